#pragma once

#include <QByteArray>

namespace Redwire {

// Writes millisecond timestamps fast: the text up to the second is formatted once per second and
// reused, only the milliseconds are added per message.
class TimestampFormatter
{
public:
    enum class Style {
        IsoUtc, // 2024-05-01T12:34:56.789Z (ISO 8601, for files and scripts)
        LocalTimeOfDay, // 14:34:56.789 (for people watching a terminal)
    };

    explicit TimestampFormatter(Style style = Style::IsoUtc)
        : m_style(style)
    { }

    Style style() const { return m_style; }
    void append(qint64 msSinceEpoch, QByteArray &out);
    QByteArray format(qint64 msSinceEpoch);

private:
    Style m_style;
    qint64 m_cachedSecond = -1;
    bool m_haveCache = false;
    QByteArray m_prefix; // up to and including the '.'
};

} // namespace Redwire
