#pragma once

#include <QHash>
#include <QList>
#include <QtGlobal>

#include <vector>

namespace Redwire {

class ChannelStatistics;

// Messages per second of every channel over the last minute, for the rate chart: one sample per
// tick (a second), taken from the statistics' message counts, kept for as many ticks as the
// window holds. A plateau stays for the whole window after it ends, and the busiest channels are
// those with the most messages in the window, not in the last few seconds. Time is passed in.
class ChannelRateHistory
{
public:
    static constexpr int DefaultSamples = 60;

    struct Series
    {
        qsizetype channelIndex = -1; // in the ChannelStatistics sampled
        QList<double> rates; // messages per second, oldest first, sampleCount() long
        quint64 messages = 0; // in the window
        double peak = 0; // the highest rate in the window
    };

    explicit ChannelRateHistory(int samples = DefaultSamples);

    // Starts over, empty: what the statistics counted so far belongs to no sample.
    void reset(const ChannelStatistics &statistics, qint64 nowMs);
    // One sample: each channel's messages since the previous sample, per second elapsed. Statistics
    // cleared meanwhile start the history over.
    void sample(const ChannelStatistics &statistics, qint64 nowMs);

    int capacity() const { return m_capacity; }
    int sampleCount() const { return int(qMin<quint64>(m_taken, quint64(m_capacity))); }
    // The channels with messages in the window, the most first (ties: the first seen), at most
    // `limit`.
    QList<Series> busiest(int limit) const;

    // The least of 1, 2 or 5 times a power of ten that is at least `value` (1 for nothing): the top
    // of a scale that fits the data.
    static double niceCeiling(double value);

private:
    struct Track
    {
        std::vector<quint64> messages; // per slot
        quint64 lastActive = 0; // the sample that last counted a message
    };

    int slotOf(quint64 sample) const { return int(sample % quint64(m_capacity)); }

    int m_capacity;
    quint64 m_taken = 0; // samples taken since the last reset
    qint64 m_lastSampleMs = 0;
    std::vector<double> m_seconds; // per slot: how long its sample measured
    std::vector<quint64> m_counted; // per channel index: its message count at the last sample
    quint64 m_generation = 0; // of the statistics counted
    QHash<qsizetype, Track> m_tracks; // channels with a message in the window
};

} // namespace Redwire
