#include "ChannelGlob.h"

#include <utility>

namespace Redwire {

namespace {

// Matches the class starting after '[' at pattern[p] against byte c; sets `end` to the index
// after the closing ']' (or the end of the pattern: Redis takes an unclosed class to run to it).
bool classMatches(const char *pattern, qsizetype length, qsizetype p, unsigned char c, qsizetype *end)
{
    bool negate = false;
    if (p < length && pattern[p] == '^') {
        negate = true;
        ++p;
    }
    bool matched = false;
    while (p < length && pattern[p] != ']') {
        if (pattern[p] == '\\' && p + 1 < length) {
            ++p;
            if (static_cast<unsigned char>(pattern[p]) == c)
                matched = true;
            ++p;
        } else if (p + 2 < length && pattern[p + 1] == '-' && pattern[p + 2] != ']') {
            unsigned char from = static_cast<unsigned char>(pattern[p]);
            unsigned char to = static_cast<unsigned char>(pattern[p + 2]);
            if (from > to)
                std::swap(from, to);
            if (c >= from && c <= to)
                matched = true;
            p += 3;
        } else {
            if (static_cast<unsigned char>(pattern[p]) == c)
                matched = true;
            ++p;
        }
    }
    *end = p < length ? p + 1 : p;
    return matched != negate;
}

} // namespace

bool ChannelGlob::matches(const QByteArray &patternBytes, const QByteArray &textBytes)
{
    const char *pattern = patternBytes.constData();
    const qsizetype patternLength = patternBytes.size();
    const char *text = textBytes.constData();
    const qsizetype textLength = textBytes.size();

    // Iterative matching with one backtrack point, the last '*': linear for the patterns people
    // write, never recursive (a hostile pattern cannot blow the stack).
    qsizetype p = 0;
    qsizetype t = 0;
    qsizetype starP = -1;
    qsizetype starT = 0;
    while (t < textLength) {
        if (p < patternLength) {
            const char pc = pattern[p];
            if (pc == '*') {
                while (p < patternLength && pattern[p] == '*')
                    ++p;
                if (p == patternLength)
                    return true;
                starP = p;
                starT = t;
                continue;
            }
            const unsigned char c = static_cast<unsigned char>(text[t]);
            qsizetype next = p + 1;
            bool ok;
            if (pc == '?') {
                ok = true;
            } else if (pc == '[') {
                ok = classMatches(pattern, patternLength, p + 1, c, &next);
            } else if (pc == '\\' && p + 1 < patternLength) {
                ok = static_cast<unsigned char>(pattern[p + 1]) == c;
                next = p + 2;
            } else {
                ok = static_cast<unsigned char>(pc) == c;
            }
            if (ok) {
                p = next;
                ++t;
                continue;
            }
        }
        if (starP < 0)
            return false;
        p = starP;
        t = ++starT;
    }
    while (p < patternLength && pattern[p] == '*')
        ++p;
    return p == patternLength;
}

} // namespace Redwire
