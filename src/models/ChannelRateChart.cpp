#include "ChannelRateChart.h"

#include "monitor/ChannelPalette.h"
#include "monitor/ChannelStatistics.h"

#include <QDateTime>

#include <algorithm>

namespace Redwire {

ChannelRateChart::ChannelRateChart(const ChannelPalette *palette, QObject *parent)
    : QObject(parent)
    , m_palette(palette)
{
    m_sampler.setInterval(1000);
    connect(&m_sampler, &QTimer::timeout, this, &ChannelRateChart::sample);
}

void ChannelRateChart::setStatistics(const ChannelStatistics *statistics)
{
    m_statistics = statistics;
    reset();
    if (statistics)
        m_sampler.start();
    else
        m_sampler.stop();
}

void ChannelRateChart::setIntervalMs(int intervalMs)
{
    m_sampler.setInterval(qMax(10, intervalMs));
}

void ChannelRateChart::sample()
{
    if (!m_statistics)
        return;
    m_history.sample(*m_statistics, QDateTime::currentMSecsSinceEpoch());
    QVariantList series;
    double peak = 0;
    for (const ChannelRateHistory::Series &entry : m_history.busiest(ChartedChannels)) {
        const ChannelStatistics::Channel &channel = m_statistics->channel(entry.channelIndex);
        QVariantList points;
        points.reserve(entry.rates.size());
        for (double rate : entry.rates)
            points.append(rate);
        peak = std::max(peak, entry.peak);
        series.append(QVariantMap {
            { QStringLiteral("channel"),
                channel.isOverflow ? tr("(other channels)") : QString::fromUtf8(channel.name) },
            { QStringLiteral("color"), m_palette->colorFor(channel.name) },
            { QStringLiteral("peak"), entry.peak },
            { QStringLiteral("points"), points },
        });
    }
    const double ceiling = ChannelRateHistory::niceCeiling(peak);
    Q_EMIT sampled();
    if (series == m_series && ceiling == m_ceiling)
        return;
    m_series = series;
    m_ceiling = ceiling;
    Q_EMIT changed();
}

void ChannelRateChart::reset()
{
    if (m_statistics)
        m_history.reset(*m_statistics, QDateTime::currentMSecsSinceEpoch());
    const bool wasDrawn = !m_series.isEmpty() || m_ceiling != 1;
    m_series.clear();
    m_ceiling = 1;
    if (wasDrawn)
        Q_EMIT changed();
}

} // namespace Redwire
