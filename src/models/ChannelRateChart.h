#pragma once

#include "monitor/ChannelRateHistory.h"

#include <QObject>
#include <QTimer>
#include <QVariantList>

namespace Redwire {

class ChannelPalette;
class ChannelStatistics;

// What the monitor's rate chart draws: once a second a sample of every channel's rate; the
// series of the channels with the most messages in the last minute, on a scale that fits the
// highest rate among them.
class ChannelRateChart : public QObject
{
    Q_OBJECT
public:
    static constexpr int ChartedChannels = 5;

    explicit ChannelRateChart(const ChannelPalette *palette, QObject *parent = nullptr);

    // Samples `statistics` from now on (null: stops); the chart starts empty.
    void setStatistics(const ChannelStatistics *statistics);
    // The chart starts again from now (the statistics were cleared).
    void reset();
    void setIntervalMs(int intervalMs);
    // [{channel, color, peak, points: [msgs/s, ...oldest first]}], the busiest first.
    QVariantList series() const { return m_series; }
    // 1, 2 or 5 times a power of ten, at least the highest rate charted.
    double ceiling() const { return m_ceiling; }

Q_SIGNALS:
    // A sample was taken (counters may read differently).
    void sampled();
    // series() or ceiling() changed: an unchanged chart is not repainted.
    void changed();

private:
    void sample();

    const ChannelPalette *m_palette;
    const ChannelStatistics *m_statistics = nullptr;
    QTimer m_sampler { this };
    ChannelRateHistory m_history;
    QVariantList m_series;
    double m_ceiling = 1;
};

} // namespace Redwire
