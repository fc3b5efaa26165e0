#pragma once

#include <QByteArray>

namespace Redwire {
class ChannelStatistics;
}

// --stats: messages/s and bytes/s over the last second, ten seconds and minute, in total and for
// each channel heard from in the last minute (busiest first), for stderr. The windows are the
// statistics' own rate meters, so a report says the same whatever the --stats interval.
class StatisticsReport
{
public:
    static constexpr int MaxChannelsShown = 20;

    // The report as of `nowMs`, on the clock the statistics were recorded with (milliseconds since
    // the epoch).
    static QByteArray report(const Redwire::ChannelStatistics &statistics, qint64 nowMs);
    // The closing line: totals over the whole run.
    static QByteArray summary(const Redwire::ChannelStatistics &statistics, qint64 runMs);
};
