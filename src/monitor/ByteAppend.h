#pragma once

#include <QByteArray>

#include <cstring>

namespace Redwire {

// Appending to a QByteArray on the per-message path. In Qt 6.4, append(const char *) and
// append(QByteArrayView) go through the general insert(), which costs more than the bytes it
// copies; these grow the array with resize() (which keeps and geometrically grows the capacity)
// and copy directly.
namespace ByteAppend {

// Runs up to this long are copied by copy() itself, longer ones by the C library's memcpy.
constexpr qsizetype ShortCopyBytes = 256;

// Copies `size` bytes to `to` and returns the end of the copy. A short run is copied in 16-byte
// (or smaller, overlapping) moves inline rather than by a call to memcpy: the C library picks its
// memcpy for long copies, and on a CPU with AVX-512 that one uses 512-bit registers, which slowed
// down the whole per-message path of redwire-monitor --format jsonl by half (see
// docs/PERFORMANCE.md). A memcpy of a constant size is compiled into plain moves.
inline char *copy(char *to, const char *from, qsizetype size)
{
    if (size > ShortCopyBytes) {
        std::memcpy(to, from, size_t(size));
    } else if (size >= 16) {
        const qsizetype last = size - 16;
        for (qsizetype i = 0; i < last; i += 16)
            std::memcpy(to + i, from + i, 16);
        std::memcpy(to + last, from + last, 16);
    } else if (size >= 8) {
        std::memcpy(to, from, 8);
        std::memcpy(to + size - 8, from + size - 8, 8);
    } else if (size >= 4) {
        std::memcpy(to, from, 4);
        std::memcpy(to + size - 4, from + size - 4, 4);
    } else if (size > 0) {
        to[0] = from[0];
        to[size / 2] = from[size / 2];
        to[size - 1] = from[size - 1];
    }
    return to + size;
}

inline char *copy(char *to, const QByteArray &from)
{
    return copy(to, from.constData(), from.size());
}

// The number of decimal digits of `value`, written to the end of `digits`; returns the first one.
inline char *decimal(char (&digits)[20], quint64 value)
{
    char *first = digits + sizeof digits;
    do {
        *--first = char('0' + value % 10);
        value /= 10;
    } while (value != 0);
    return first;
}

inline void bytes(QByteArray &out, const char *data, qsizetype size)
{
    const qsizetype old = out.size();
    out.resize(old + size);
    copy(out.data() + old, data, size);
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
    const char *first = decimal(digits, value);
    bytes(out, first, digits + sizeof digits - first);
}

} // namespace ByteAppend
} // namespace Redwire
