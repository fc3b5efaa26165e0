#include "StatisticsReport.h"

#include "monitor/ChannelStatistics.h"
#include "monitor/TextMessageFormatter.h"

#include <QCoreApplication>
#include <QTime>

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

using Redwire::ChannelRateMeter;

namespace {

// The translation context of this file's messages, for members and free functions alike.
struct StatisticsReportText
{
    Q_DECLARE_TR_FUNCTIONS(StatisticsReport)
};

// "%n message(s)" for counts past what StatisticsReportText::tr() takes (an int): a long run carries more
// bytes than that.
QString counted(const char *text, quint64 n)
{
    constexpr int Largest = std::numeric_limits<int>::max();
    if (n <= quint64(Largest))
        return StatisticsReportText::tr(text, nullptr, int(n));
    return StatisticsReportText::tr(text, nullptr, Largest)
        .replace(QString::number(Largest), QString::number(n));
}

QString bytes(double rate)
{
    if (rate >= 1e9)
        return StatisticsReportText::tr("%1 GB").arg(rate / 1e9, 0, 'f', 2);
    if (rate >= 1e6)
        return StatisticsReportText::tr("%1 MB").arg(rate / 1e6, 0, 'f', 2);
    if (rate >= 1e3)
        return StatisticsReportText::tr("%1 kB").arg(rate / 1e3, 0, 'f', 1);
    return StatisticsReportText::tr("%1 B").arg(rate, 0, 'f', 0);
}

constexpr std::array<ChannelRateMeter::Window, 3> Windows { ChannelRateMeter::Window::OneSecond,
    ChannelRateMeter::Window::TenSeconds, ChannelRateMeter::Window::OneMinute };
// Column widths: messages/s for the three windows, then bytes/s for them.
constexpr int MessageWidths[3] = { 11, 9, 9 };
constexpr int ByteWidths[3] = { 14, 10, 10 };

using Rates = std::array<ChannelRateMeter::Rate, 3>;

QString row(const Rates &rates, const QString &name)
{
    QString text;
    for (size_t i = 0; i < Windows.size(); ++i)
        text += QStringLiteral("%1").arg(rates[i].messagesPerSecond, MessageWidths[i], 'f', 1);
    for (size_t i = 0; i < Windows.size(); ++i)
        text += QStringLiteral("%1").arg(bytes(rates[i].bytesPerSecond), ByteWidths[i]);
    return text + QStringLiteral("  ") + name + QLatin1Char('\n');
}

QString header()
{
    return QStringLiteral("%1%2%3%4%5%6  %7\n")
        .arg(StatisticsReportText::tr("msg/s 1 s"), MessageWidths[0])
        .arg(StatisticsReportText::tr("10 s"), MessageWidths[1])
        .arg(StatisticsReportText::tr("60 s"), MessageWidths[2])
        .arg(StatisticsReportText::tr("bytes/s 1 s"), ByteWidths[0])
        .arg(StatisticsReportText::tr("10 s"), ByteWidths[1])
        .arg(StatisticsReportText::tr("60 s"), ByteWidths[2])
        .arg(StatisticsReportText::tr("channel"));
}

} // namespace

QByteArray StatisticsReport::report(const Redwire::ChannelStatistics &statistics, qint64 nowMs)
{
    struct Active
    {
        qsizetype index;
        Rates rates;
    };
    std::vector<Active> active;
    for (qsizetype i = 0; i < statistics.channelCount(); ++i) {
        Active channel { i, {} };
        for (size_t w = 0; w < Windows.size(); ++w)
            channel.rates[w] = statistics.rate(i, Windows[w], nowMs);
        if (channel.rates[2].messagesPerSecond > 0) // heard from in the last minute
            active.push_back(channel);
    }
    std::sort(active.begin(), active.end(), [](const Active &a, const Active &b) {
        for (size_t w = 0; w < Windows.size(); ++w)
            if (a.rates[w].messagesPerSecond != b.rates[w].messagesPerSecond)
                return a.rates[w].messagesPerSecond > b.rates[w].messagesPerSecond;
        return a.index < b.index;
    });

    QString text = QStringLiteral("-- %1  %2, %3\n")
                       .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")),
                           StatisticsReportText::tr("%n active channel(s)", nullptr, int(active.size())),
                           counted("%n message(s) in total", statistics.totalMessages()));
    text += header();
    Rates total;
    for (size_t w = 0; w < Windows.size(); ++w)
        total[w] = statistics.totalRate(Windows[w], nowMs);
    text += row(total, StatisticsReportText::tr("(all)"));
    const size_t shown = std::min<size_t>(active.size(), MaxChannelsShown);
    for (size_t i = 0; i < shown; ++i) {
        const auto &channel = statistics.channel(active[i].index);
        text += row(active[i].rates,
            channel.isOverflow
                ? StatisticsReportText::tr("(other channels)")
                : QString::fromUtf8(Redwire::TextMessageFormatter::terminalSafe(channel.name)));
    }
    if (active.size() > shown)
        text += StatisticsReportText::tr(
            "   ... and %n more channel(s)\n", nullptr, int(active.size() - shown));
    return text.toUtf8();
}

QByteArray StatisticsReport::summary(const Redwire::ChannelStatistics &statistics, qint64 runMs)
{
    const double seconds = double(qMax<qint64>(1, runMs)) / 1000.0;
    return StatisticsReportText::tr("-- total: %1, %2 on %3 in %4 s (%5 msg/s)\n")
        .arg(counted("%n message(s)", statistics.totalMessages()),
            counted("%n byte(s)", statistics.totalBytes()),
            StatisticsReportText::tr("%n channel(s)", nullptr, int(statistics.channelCount())))
        .arg(seconds, 0, 'f', 1)
        .arg(double(statistics.totalMessages()) / seconds, 0, 'f', 1)
        .toUtf8();
}
