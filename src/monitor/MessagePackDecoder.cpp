#include "MessagePackDecoder.h"

#include "JsonLinesMessageFormatter.h"
#include "Utf8Validator.h"

#include <QDateTime>
#include <QLocale>
#include <QString>

#include <cmath>
#include <cstring>

namespace Redwire {

namespace {

using Status = MessagePackDecoder::Status;

// One decoding run. Recursive descent; the depth is bounded by Limits::maxDepth, and every loop
// is bounded by the input's size (each element takes at least one byte).
class Decoder
{
public:
    Decoder(const QByteArray &data, bool indented, const MessagePackDecoder::Limits &limits, QByteArray &out)
        : m_data(reinterpret_cast<const unsigned char *>(data.constData()))
        , m_size(data.size())
        , m_indented(indented)
        , m_limits(limits)
        , m_out(out)
    { }

    Status run()
    {
        if (!value(0, m_indented))
            return m_status;
        if (m_pos != m_size)
            return Status::TrailingBytes;
        return Status::Ok;
    }
    qsizetype position() const { return m_pos; }

private:
    qsizetype left() const { return m_size - m_pos; }
    bool fail(Status status)
    {
        m_status = status;
        return false;
    }
    bool need(quint64 bytes) { return quint64(left()) >= bytes || fail(Status::Truncated); }
    quint64 readBigEndian(int bytes)
    {
        quint64 value = 0;
        for (int i = 0; i < bytes; ++i)
            value = (value << 8) | m_data[m_pos++];
        return value;
    }
    bool outputFits() { return m_out.size() <= m_limits.maxOutputBytes || fail(Status::OutputTooLarge); }

    void newline(int depth)
    {
        m_out += '\n';
        m_out.append(depth * 4, ' ');
    }

    void appendText(const unsigned char *data, qsizetype size)
    {
        const QByteArray bytes(reinterpret_cast<const char *>(data), size);
        // A str that is not UTF-8 is shown with U+FFFD where the bad bytes were.
        JsonLinesMessageFormatter::appendJsonString(
            Utf8Validator::isValid(bytes) ? bytes : QString::fromUtf8(bytes).toUtf8(), m_out);
    }

    void appendDouble(double value)
    {
        if (std::isnan(value)) {
            m_out += "\"NaN\"";
            return;
        }
        if (std::isinf(value)) {
            m_out += value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
            return;
        }
        QByteArray text = QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
        if (!text.contains('.') && !text.contains('e'))
            text += ".0"; // still reads as a float
        m_out += text;
    }

    bool string(quint64 length)
    {
        if (!need(length))
            return false;
        appendText(m_data + m_pos, qsizetype(length));
        m_pos += qsizetype(length);
        return true;
    }

    bool binary(quint64 length)
    {
        if (!need(length))
            return false;
        m_out += "{\"$bin\":\"";
        m_out += QByteArray::fromRawData(reinterpret_cast<const char *>(m_data + m_pos), qsizetype(length))
                     .toBase64();
        m_out += "\"}";
        m_pos += qsizetype(length);
        return true;
    }

    bool extension(quint64 length)
    {
        if (!need(1 + length))
            return false;
        const auto type = static_cast<qint8>(m_data[m_pos++]);
        const unsigned char *data = m_data + m_pos;
        m_pos += qsizetype(length);
        if (type == -1 && timestamp(data, qsizetype(length)))
            return true;
        m_out += "{\"$ext\":" + QByteArray::number(type) + ",\"data\":\"";
        m_out += QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(length)).toBase64();
        m_out += "\"}";
        return true;
    }

    // The timestamp extension: 32-bit seconds; 30-bit nanoseconds and 34-bit seconds; or 32-bit
    // nanoseconds and signed 64-bit seconds. False when it is none of these (shown as a plain ext).
    bool timestamp(const unsigned char *data, qsizetype length)
    {
        auto bigEndian = [data](int from, int bytes) {
            quint64 value = 0;
            for (int i = 0; i < bytes; ++i)
                value = (value << 8) | data[from + i];
            return value;
        };
        qint64 seconds = 0;
        quint32 nanoseconds = 0;
        if (length == 4) {
            seconds = qint64(bigEndian(0, 4));
        } else if (length == 8) {
            const quint64 word = bigEndian(0, 8);
            nanoseconds = quint32(word >> 34);
            seconds = qint64(word & 0x3FFFFFFFFULL);
        } else if (length == 12) {
            nanoseconds = quint32(bigEndian(0, 4));
            seconds = qint64(bigEndian(4, 8));
        } else {
            return false;
        }
        if (nanoseconds > 999999999)
            return false;
        // QDateTime covers about ±292 million years; further out, the numbers as they are.
        constexpr qint64 limitSeconds = 9'000'000'000'000LL;
        if (seconds > limitSeconds || seconds < -limitSeconds) {
            m_out += "{\"$timestamp\":null,\"seconds\":" + QByteArray::number(seconds)
                + ",\"nanoseconds\":" + QByteArray::number(nanoseconds) + '}';
            return true;
        }
        QByteArray text = QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC)
                              .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
                              .toLatin1();
        if (nanoseconds) {
            QByteArray fraction = QByteArray::number(nanoseconds).rightJustified(9, '0');
            while (fraction.endsWith('0'))
                fraction.chop(1);
            text += '.' + fraction;
        }
        m_out += "{\"$timestamp\":\"" + text + "Z\"}";
        return true;
    }

    bool array(quint64 count, int depth)
    {
        if (depth + 1 > m_limits.maxDepth)
            return fail(Status::TooDeep);
        if (!need(count)) // every element takes at least a byte
            return false;
        m_out += '[';
        for (quint64 i = 0; i < count; ++i) {
            if (i)
                m_out += ',';
            if (m_indented)
                newline(depth + 1);
            if (!value(depth + 1, m_indented) || !outputFits())
                return false;
        }
        if (m_indented && count)
            newline(depth);
        m_out += ']';
        return true;
    }

    bool map(quint64 count, int depth)
    {
        if (depth + 1 > m_limits.maxDepth)
            return fail(Status::TooDeep);
        if (!need(count * 2)) // a key and a value, a byte each at least (count < 2^32: no overflow)
            return false;
        m_out += '{';
        for (quint64 i = 0; i < count; ++i) {
            if (i)
                m_out += ',';
            if (m_indented)
                newline(depth + 1);
            if (!key(depth + 1))
                return false;
            m_out += m_indented ? ": " : ":";
            if (!value(depth + 1, m_indented) || !outputFits())
                return false;
        }
        if (m_indented && count)
            newline(depth);
        m_out += '}';
        return true;
    }

    // A str key as it is; any other key as the string of its compact JSON.
    bool key(int depth)
    {
        if (!need(1))
            return false;
        const unsigned char first = m_data[m_pos];
        if ((first & 0xE0) == 0xA0 || first == 0xD9 || first == 0xDA || first == 0xDB)
            return value(depth, false);
        QByteArray keyJson;
        keyJson.swap(m_out);
        const bool ok = value(depth, false);
        keyJson.swap(m_out);
        if (!ok)
            return false;
        JsonLinesMessageFormatter::appendJsonString(keyJson, m_out);
        return true;
    }

    bool value(int depth, bool indented)
    {
        const bool outerIndented = m_indented;
        m_indented = indented;
        const bool ok = decodeValue(depth);
        m_indented = outerIndented;
        return ok;
    }

    bool decodeValue(int depth)
    {
        if (!need(1))
            return false;
        const unsigned char type = m_data[m_pos++];
        if (type <= 0x7F) {
            m_out += QByteArray::number(type);
            return true;
        }
        if (type >= 0xE0) {
            m_out += QByteArray::number(int(static_cast<qint8>(type)));
            return true;
        }
        if ((type & 0xF0) == 0x80)
            return map(type & 0x0F, depth);
        if ((type & 0xF0) == 0x90)
            return array(type & 0x0F, depth);
        if ((type & 0xE0) == 0xA0)
            return string(type & 0x1F);
        switch (type) {
        case 0xC0:
            m_out += "null";
            return true;
        case 0xC2:
            m_out += "false";
            return true;
        case 0xC3:
            m_out += "true";
            return true;
        case 0xC4:
        case 0xC5:
        case 0xC6: {
            const int width = 1 << (type - 0xC4);
            return need(width) && binary(readBigEndian(width));
        }
        case 0xC7:
        case 0xC8:
        case 0xC9: {
            const int width = 1 << (type - 0xC7);
            return need(width) && extension(readBigEndian(width));
        }
        case 0xCA: {
            if (!need(4))
                return false;
            const auto bits = quint32(readBigEndian(4));
            float value;
            std::memcpy(&value, &bits, sizeof value);
            appendDouble(double(value));
            return true;
        }
        case 0xCB: {
            if (!need(8))
                return false;
            const quint64 bits = readBigEndian(8);
            double value;
            std::memcpy(&value, &bits, sizeof value);
            appendDouble(value);
            return true;
        }
        case 0xCC:
        case 0xCD:
        case 0xCE:
        case 0xCF: {
            const int width = 1 << (type - 0xCC);
            if (!need(width))
                return false;
            m_out += QByteArray::number(readBigEndian(width));
            return true;
        }
        case 0xD0:
        case 0xD1:
        case 0xD2:
        case 0xD3: {
            const int width = 1 << (type - 0xD0);
            if (!need(width))
                return false;
            const quint64 raw = readBigEndian(width);
            const int unusedBits = 64 - 8 * width;
            // Sign-extend through the top bits.
            const qint64 value = unusedBits ? qint64(raw << unusedBits) >> unusedBits : qint64(raw);
            m_out += QByteArray::number(value);
            return true;
        }
        case 0xD4:
        case 0xD5:
        case 0xD6:
        case 0xD7:
        case 0xD8:
            return extension(quint64(1) << (type - 0xD4));
        case 0xD9:
        case 0xDA:
        case 0xDB: {
            const int width = 1 << (type - 0xD9);
            return need(width) && string(readBigEndian(width));
        }
        case 0xDC:
        case 0xDD: {
            const int width = type == 0xDC ? 2 : 4;
            return need(width) && array(readBigEndian(width), depth);
        }
        case 0xDE:
        case 0xDF: {
            const int width = type == 0xDE ? 2 : 4;
            return need(width) && map(readBigEndian(width), depth);
        }
        default: // 0xC1
            --m_pos;
            return fail(Status::Invalid);
        }
    }

    const unsigned char *m_data;
    qsizetype m_size;
    qsizetype m_pos = 0;
    bool m_indented;
    MessagePackDecoder::Limits m_limits;
    QByteArray &m_out;
    Status m_status = Status::Ok;
};

} // namespace

MessagePackDecoder::Result MessagePackDecoder::toJson(const QByteArray &data, Layout layout)
{
    return toJson(data, layout, Limits());
}

MessagePackDecoder::Result MessagePackDecoder::toJson(
    const QByteArray &data, Layout layout, const Limits &limits)
{
    Result result;
    if (data.isEmpty()) {
        result.status = Status::Truncated;
        result.errorOffset = 0;
        return result;
    }
    Decoder decoder(data, layout == Layout::Indented, limits, result.json);
    result.status = decoder.run();
    if (result.status == Status::Ok && result.json.size() > limits.maxOutputBytes)
        result.status = Status::OutputTooLarge;
    if (result.status != Status::Ok)
        result.errorOffset = decoder.position();
    return result;
}

} // namespace Redwire
