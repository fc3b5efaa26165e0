#pragma once

#include <QByteArrayView>
#include <QString>

namespace Redwire {

// Turns what a remote party wrote into text that is safe to show as plain text: invalid UTF-8
// and lone surrogates become U+FFFD, the bidi embedding/override/isolate controls (U+202A-U+202E,
// U+2066-U+2069) are removed so that they cannot reorder the UI, and control characters other
// than line breaks and tabs become U+FFFD (so a NUL is visible, not a truncation).
class UntrustedText
{
public:
    enum class Lines { Keep, Flatten };

    // Decodes UTF-8 and sanitises; multi-line text keeps '\n' and '\t' ("\r\n" becomes "\n").
    static QString fromUtf8(QByteArrayView bytes, Lines lines = Lines::Keep);
    // The same for text that is already decoded (a JSON string).
    static QString sanitized(QStringView text, Lines lines = Lines::Keep);

    static bool isBidiControl(char32_t codePoint);
    static bool containsBidiControl(QStringView text);

    // The largest prefix length <= maxBytes that does not split a UTF-8 sequence.
    static qsizetype utf8PrefixLength(QByteArrayView bytes, qsizetype maxBytes);
};

} // namespace Redwire
