#include "StatisticsReport.h"

#include "monitor/ChannelStatistics.h"
#include "monitor/TextMessageFormatter.h"

#include <QCoreApplication>
#include <QTime>

#include <algorithm>

namespace {
QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("StatisticsReport", text, disambiguation, n);
}

QString bytesPerSecond(double rate)
{
    if (rate >= 1e9)
        return tr("%1 GB/s").arg(rate / 1e9, 0, 'f', 2);
    if (rate >= 1e6)
        return tr("%1 MB/s").arg(rate / 1e6, 0, 'f', 2);
    if (rate >= 1e3)
        return tr("%1 kB/s").arg(rate / 1e3, 0, 'f', 1);
    return tr("%1 B/s").arg(rate, 0, 'f', 0);
}
} // namespace

QByteArray StatisticsReport::next(const Redwire::ChannelStatistics &statistics, qint64 elapsedMs)
{
    const double seconds = double(qMax<qint64>(1, elapsedMs)) / 1000.0;
    const size_t channels = size_t(statistics.channelCount());
    m_messages.resize(channels, 0);
    m_bytes.resize(channels, 0);

    struct Row
    {
        size_t index;
        quint64 messages;
        quint64 bytes;
    };
    std::vector<Row> active;
    quint64 totalMessages = 0;
    quint64 totalBytes = 0;
    for (size_t i = 0; i < channels; ++i) {
        const auto &channel = statistics.channel(qsizetype(i));
        const quint64 messages = channel.messages - m_messages[i];
        const quint64 bytes = channel.bytes - m_bytes[i];
        m_messages[i] = channel.messages;
        m_bytes[i] = channel.bytes;
        totalMessages += messages;
        totalBytes += bytes;
        if (messages > 0)
            active.push_back({ i, messages, bytes });
    }
    std::sort(active.begin(), active.end(), [](const Row &a, const Row &b) {
        return a.messages != b.messages ? a.messages > b.messages : a.index < b.index;
    });

    QString text = tr("-- %1  %n active channel(s)", nullptr, int(active.size()))
                       .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")));
    text += tr("  %1 msg/s  %2  (%3 messages in total)\n")
                .arg(double(totalMessages) / seconds, 0, 'f', 1)
                .arg(bytesPerSecond(double(totalBytes) / seconds))
                .arg(statistics.totalMessages());
    const size_t shown = std::min<size_t>(active.size(), MaxChannelsShown);
    for (size_t i = 0; i < shown; ++i) {
        const Row &row = active[i];
        const auto &channel = statistics.channel(qsizetype(row.index));
        const QString name = channel.isOverflow
            ? tr("(other channels)")
            : QString::fromUtf8(Redwire::TextMessageFormatter::terminalSafe(channel.name));
        text += tr("%1 msg/s %2  %3\n")
                    .arg(double(row.messages) / seconds, 12, 'f', 1)
                    .arg(bytesPerSecond(double(row.bytes) / seconds), 12)
                    .arg(name);
    }
    if (active.size() > shown)
        text += tr("   ... and %n more channel(s)\n", nullptr, int(active.size() - shown));
    return text.toUtf8();
}

QByteArray StatisticsReport::summary(const Redwire::ChannelStatistics &statistics, qint64 runMs)
{
    const double seconds = double(qMax<qint64>(1, runMs)) / 1000.0;
    return tr("-- total: %1 messages, %2 bytes on %n channel(s) in %3 s (%4 msg/s)\n", nullptr,
        int(statistics.channelCount()))
        .arg(statistics.totalMessages())
        .arg(statistics.totalBytes())
        .arg(seconds, 0, 'f', 1)
        .arg(double(statistics.totalMessages()) / seconds, 0, 'f', 1)
        .toUtf8();
}
