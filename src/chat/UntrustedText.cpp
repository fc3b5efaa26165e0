#include "UntrustedText.h"

namespace Redwire {

namespace {
constexpr char16_t Replacement = 0xFFFD;

bool isControl(char16_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
}
} // namespace

bool UntrustedText::isBidiControl(char32_t codePoint)
{
    return (codePoint >= 0x202A && codePoint <= 0x202E) || (codePoint >= 0x2066 && codePoint <= 0x2069);
}

bool UntrustedText::containsBidiControl(QStringView text)
{
    for (const QChar c : text)
        if (isBidiControl(c.unicode()))
            return true;
    return false;
}

QString UntrustedText::fromUtf8(QByteArrayView bytes, Lines lines)
{
    // Qt's decoder replaces every invalid sequence (overlong forms, encoded surrogates, bytes
    // above U+10FFFF, truncated sequences) with U+FFFD.
    return sanitized(QString::fromUtf8(bytes), lines);
}

QString UntrustedText::sanitized(QStringView text, Lines lines)
{
    const bool flatten = lines == Lines::Flatten;
    QString out;
    out.reserve(text.size());
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t c = text[i].unicode();
        if (QChar::isHighSurrogate(c)) {
            if (i + 1 < size && QChar::isLowSurrogate(text[i + 1].unicode())) {
                out.append(text[i]);
                out.append(text[++i]);
            } else {
                out.append(QChar(Replacement));
            }
            continue;
        }
        if (QChar::isLowSurrogate(c)) {
            out.append(QChar(Replacement));
            continue;
        }
        if (isBidiControl(c))
            continue;
        if (c == u'\r') {
            if (i + 1 < size && text[i + 1] == u'\n')
                continue; // the '\n' follows
            out.append(flatten ? u' ' : u'\n');
            continue;
        }
        if (c == u'\n' || c == u'\t') {
            out.append(flatten ? QChar(u' ') : QChar(c));
            continue;
        }
        if (isControl(c)) {
            out.append(QChar(Replacement));
            continue;
        }
        if (flatten && (c == 0x2028 || c == 0x2029)) { // line and paragraph separators
            out.append(u' ');
            continue;
        }
        out.append(QChar(c));
    }
    return out;
}

qsizetype UntrustedText::utf8PrefixLength(QByteArrayView bytes, qsizetype maxBytes)
{
    if (maxBytes >= bytes.size())
        return bytes.size();
    if (maxBytes <= 0)
        return 0;
    // bytes[maxBytes] is the first byte left out: back off over continuation bytes (10xxxxxx) so
    // that the cut falls before the lead byte of a sequence. At most three steps back: a longer
    // run of continuation bytes is invalid anyway and decodes to U+FFFD whatever we do.
    qsizetype cut = maxBytes;
    for (int step = 0; step < 3 && cut > 0 && (uchar(bytes[cut]) & 0xC0) == 0x80; ++step)
        --cut;
    return (uchar(bytes[cut]) & 0xC0) == 0x80 ? maxBytes : cut;
}

} // namespace Redwire
