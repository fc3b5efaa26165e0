#pragma once

#include <QByteArray>

#include <vector>

namespace Redwire {
class ChannelStatistics;
}

// --stats: what each channel carried since the previous report, as messages/s and bytes/s, for
// stderr. Keeps the counts of the previous report to take the difference (channel indexes in
// ChannelStatistics never change).
class StatisticsReport
{
public:
    static constexpr int MaxChannelsShown = 20;

    // The report for the interval that ends now, `elapsedMs` long.
    QByteArray next(const Redwire::ChannelStatistics &statistics, qint64 elapsedMs);
    // The closing line: totals over the whole run.
    static QByteArray summary(const Redwire::ChannelStatistics &statistics, qint64 runMs);

private:
    std::vector<quint64> m_messages;
    std::vector<quint64> m_bytes;
};
