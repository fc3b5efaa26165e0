#pragma once

#include <QByteArray>

namespace Redwire {

// A Redis glob-style pattern, matched the way PSUBSCRIBE matches it: on bytes, `*` any run,
// `?` one byte, `[abc]` `[^a-z]` classes, `\` escapes the next byte.
class ChannelGlob
{
public:
    ChannelGlob() = default;
    explicit ChannelGlob(const QByteArray &pattern)
        : m_pattern(pattern)
    { }

    const QByteArray &pattern() const { return m_pattern; }
    bool matches(const QByteArray &text) const { return matches(m_pattern, text); }

    static bool matches(const QByteArray &pattern, const QByteArray &text);

private:
    QByteArray m_pattern;
};

} // namespace Redwire
