#include "Utf8Validator.h"

#include <cstring>

namespace Redwire {

int Utf8Validator::decode(const char *data, qsizetype size, qsizetype index, char32_t *codePoint)
{
    const auto *s = reinterpret_cast<const unsigned char *>(data) + index;
    const qsizetype left = size - index;
    const unsigned char b0 = s[0];
    if (b0 < 0x80) {
        *codePoint = b0;
        return 1;
    }
    int length;
    char32_t cp;
    char32_t minimum;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        length = 2;
        cp = b0 & 0x1F;
        minimum = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        length = 3;
        cp = b0 & 0x0F;
        minimum = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        length = 4;
        cp = b0 & 0x07;
        minimum = 0x10000;
    } else {
        return 0; // a continuation byte, C0/C1 (always overlong) or F5..FF
    }
    if (left < length)
        return 0;
    for (int i = 1; i < length; ++i) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    *codePoint = cp;
    return length;
}

bool Utf8Validator::isValid(const char *data, qsizetype size)
{
    qsizetype i = 0;
    while (i < size) {
        // Most payloads are ASCII (JSON, numbers, keys): check eight bytes at a time.
        if (size - i >= 8) {
            quint64 word;
            std::memcpy(&word, data + i, sizeof word);
            if ((word & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        if (static_cast<unsigned char>(data[i]) < 0x80) {
            ++i;
            continue;
        }
        char32_t codePoint;
        const int length = decode(data, size, i, &codePoint);
        if (length == 0)
            return false;
        i += length;
    }
    return true;
}

} // namespace Redwire
