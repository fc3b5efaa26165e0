#include "ChannelRateHistory.h"

#include "ChannelStatistics.h"

#include <algorithm>
#include <cmath>

namespace Redwire {

ChannelRateHistory::ChannelRateHistory(int samples)
    : m_capacity(qMax(1, samples))
    , m_seconds(size_t(m_capacity), 1.0)
{ }

void ChannelRateHistory::reset(const ChannelStatistics &statistics, qint64 nowMs)
{
    m_taken = 0;
    m_lastSampleMs = nowMs;
    m_tracks.clear();
    m_generation = statistics.generation();
    m_counted.assign(size_t(statistics.channelCount()), 0);
    for (qsizetype i = 0; i < statistics.channelCount(); ++i)
        m_counted[size_t(i)] = statistics.channel(i).messages;
}

void ChannelRateHistory::sample(const ChannelStatistics &statistics, qint64 nowMs)
{
    const size_t channels = size_t(statistics.channelCount());
    if (statistics.generation() != m_generation) {
        // Cleared: what they count now came after the clearing.
        m_generation = statistics.generation();
        m_tracks.clear();
        m_taken = 0;
        m_counted.assign(channels, 0);
    }
    // A channel seen since the last sample: all its messages came since.
    m_counted.resize(channels, 0);

    const quint64 sample = m_taken++;
    const int slot = slotOf(sample);
    // At least a millisecond: two samples in the same millisecond are not an infinite rate.
    m_seconds[size_t(slot)] = double(qMax<qint64>(1, nowMs - m_lastSampleMs)) / 1000.0;
    m_lastSampleMs = nowMs;

    for (size_t i = 0; i < channels; ++i) {
        const quint64 total = statistics.channel(qsizetype(i)).messages;
        const quint64 messages = total - m_counted[i];
        m_counted[i] = total;
        auto it = m_tracks.find(qsizetype(i));
        if (messages == 0) {
            if (it == m_tracks.end())
                continue;
            it->messages[size_t(slot)] = 0;
            // A whole window without a message: the channel leaves the history.
            if (sample - it->lastActive >= quint64(m_capacity))
                m_tracks.erase(it);
            continue;
        }
        if (it == m_tracks.end())
            it = m_tracks.insert(qsizetype(i), Track { std::vector<quint64>(size_t(m_capacity), 0), sample });
        it->messages[size_t(slot)] = messages;
        it->lastActive = sample;
    }
}

QList<ChannelRateHistory::Series> ChannelRateHistory::busiest(int limit) const
{
    const int count = sampleCount();
    QList<Series> all;
    all.reserve(m_tracks.size());
    for (auto it = m_tracks.cbegin(); it != m_tracks.cend(); ++it) {
        Series series;
        series.channelIndex = it.key();
        series.rates.reserve(count);
        for (quint64 sample = m_taken - quint64(count); sample < m_taken; ++sample) {
            const int slot = slotOf(sample);
            const quint64 messages = it->messages[size_t(slot)];
            const double rate = double(messages) / m_seconds[size_t(slot)];
            series.messages += messages;
            series.peak = std::max(series.peak, rate);
            series.rates.append(rate);
        }
        if (series.messages > 0)
            all.append(std::move(series));
    }
    std::sort(all.begin(), all.end(), [](const Series &a, const Series &b) {
        return a.messages != b.messages ? a.messages > b.messages : a.channelIndex < b.channelIndex;
    });
    if (limit >= 0 && all.size() > limit)
        all.resize(limit);
    return all;
}

double ChannelRateHistory::niceCeiling(double value)
{
    if (!(value > 0) || !std::isfinite(value))
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : { 1.0, 2.0, 5.0, 10.0 })
        if (step * power >= value * (1 - 1e-9))
            return step * power;
    return 10 * power;
}

} // namespace Redwire
