#pragma once

#include <QByteArray>

#include <cstring>

namespace Redwire {

// Appending to a QByteArray on the per-message path. In Qt 6.4, append(const char *) and
// append(QByteArrayView) go through the general insert(), which costs more than the bytes it
// copies; these grow the array with resize() (which keeps and geometrically grows the capacity)
// and copy directly.
namespace ByteAppend {

inline void bytes(QByteArray &out, const char *data, qsizetype size)
{
    const qsizetype old = out.size();
    out.resize(old + size);
    std::memcpy(out.data() + old, data, size_t(size));
}

inline void bytes(QByteArray &out, const QByteArray &data)
{
    bytes(out, data.constData(), data.size());
}

// A string literal, its length known at compile time.
template<qsizetype N> inline void literal(QByteArray &out, const char (&text)[N])
{
    bytes(out, text, N - 1);
}

// A non-negative integer in decimal, without a temporary QByteArray.
inline void number(QByteArray &out, quint64 value)
{
    char digits[20];
    int length = 0;
    do {
        digits[sizeof digits - 1 - length++] = char('0' + value % 10);
        value /= 10;
    } while (value != 0);
    bytes(out, digits + sizeof digits - length, length);
}

} // namespace ByteAppend
} // namespace Redwire
