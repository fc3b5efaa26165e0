#pragma once

#include <QByteArray>

namespace Redwire {

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. Payloads
// are bytes; the formatters use this to decide between text and an encoded form.
class Utf8Validator
{
public:
    static bool isValid(const QByteArray &bytes) { return isValid(bytes.constData(), bytes.size()); }
    static bool isValid(const char *data, qsizetype size);

    // Decodes the sequence starting at data[index]: returns its length in bytes (1 to 4) and the
    // code point, or 0 when the bytes there are not valid UTF-8.
    static int decode(const char *data, qsizetype size, qsizetype index, char32_t *codePoint);
};

} // namespace Redwire
