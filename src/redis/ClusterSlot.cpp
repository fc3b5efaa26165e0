#include "ClusterSlot.h"

#include <array>

namespace Redwire::ClusterSlot {

namespace {
// CRC16-CCITT (XMODEM) a byte at a time: the table for polynomial 0x1021.
constexpr std::array<quint16, 256> makeTable()
{
    std::array<quint16, 256> table {};
    for (int byte = 0; byte < 256; ++byte) {
        quint16 crc = quint16(byte << 8);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x8000) ? quint16((crc << 1) ^ 0x1021) : quint16(crc << 1);
        table[size_t(byte)] = crc;
    }
    return table;
}
constexpr std::array<quint16, 256> table = makeTable();
} // namespace

QByteArrayView hashedPart(QByteArrayView key)
{
    const qsizetype open = key.indexOf('{');
    if (open < 0)
        return key;
    const qsizetype close = key.sliced(open + 1).indexOf('}');
    if (close <= 0) // no '}', or "{}": the whole key
        return key;
    return key.sliced(open + 1, close);
}

quint16 crc16(QByteArrayView bytes)
{
    quint16 crc = 0;
    for (const char c : bytes)
        crc = quint16((crc << 8) ^ table[size_t(((crc >> 8) ^ quint8(c)) & 0xff)]);
    return crc;
}

quint16 forKey(QByteArrayView key)
{
    return quint16(crc16(hashedPart(key)) % Count);
}

} // namespace Redwire::ClusterSlot
