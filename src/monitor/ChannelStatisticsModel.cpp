#include "ChannelStatisticsModel.h"

#include "ChannelMonitor.h"
#include "ChannelPalette.h"
#include "PubSubServerPoller.h"
#include "TextMessageFormatter.h"

#include <QCoreApplication>
#include <QDateTime>

#include <algorithm>

namespace Redwire {

using Window = ChannelRateMeter::Window;

ChannelStatisticsModel::ChannelStatisticsModel(QObject *parent)
    : QAbstractListModel(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &ChannelStatisticsModel::refresh);
}

void ChannelStatisticsModel::setMonitor(ChannelMonitor *monitor)
{
    if (m_rows > 0) {
        beginRemoveRows(QModelIndex(), 0, m_rows - 1);
        m_rows = 0;
        endRemoveRows();
        Q_EMIT countChanged();
    }
    if (m_monitor)
        disconnect(m_monitor->serverPoller(), nullptr, this, nullptr);
    m_monitor = monitor;
    if (!monitor) {
        m_timer.stop();
        return;
    }
    connect(monitor->serverPoller(), &PubSubServerPoller::updated, this, &ChannelStatisticsModel::refresh);
    m_timer.start();
    refresh();
}

void ChannelStatisticsModel::setPalette(ChannelPalette *palette)
{
    m_palette = palette;
    if (palette)
        connect(palette, &ChannelPalette::colorsChanged, this, [this] {
            if (m_rows > 0)
                Q_EMIT dataChanged(index(0), index(m_rows - 1), { ColorRole });
        });
}

void ChannelStatisticsModel::refresh()
{
    if (!m_monitor)
        return;
    m_now = m_clock();
    const ChannelStatistics &statistics = m_monitor->statistics();
    const int channels = int(statistics.channelCount());
    if (channels < m_rows) {
        // The statistics were cleared: the old rows go, the new ones (if any) come.
        beginRemoveRows(QModelIndex(), 0, m_rows - 1);
        m_rows = 0;
        m_shown.clear();
        endRemoveRows();
    }
    // Only rows whose numbers moved, in runs of neighbours.
    for (int row = 0; row < m_rows;) {
        int last = row - 1;
        for (int r = row; r < m_rows; ++r) {
            Shown now = shownAt(r);
            if (now == m_shown.at(r))
                break;
            m_shown[r] = now;
            last = r;
        }
        if (last >= row) {
            Q_EMIT dataChanged(index(row), index(last));
            row = last + 1;
        } else {
            ++row;
        }
    }
    if (channels > m_rows) {
        beginInsertRows(QModelIndex(), m_rows, channels - 1);
        for (int row = m_rows; row < channels; ++row)
            m_shown.append(shownAt(row));
        m_rows = channels;
        endInsertRows();
        Q_EMIT countChanged();
    }
    const ChannelRateMeter::Rate total = statistics.totalRate(Window::OneSecond, m_now);
    m_messagesPerSecond = total.messagesPerSecond;
    m_bytesPerSecond = total.bytesPerSecond;
    const std::array<double, 7> totals = totalsShown();
    if (totals != m_totalsShown) {
        m_totalsShown = totals;
        Q_EMIT totalsChanged();
    }
}

bool ChannelStatisticsModel::Shown::operator==(const Shown &other) const
{
    return messages == other.messages && bytes == other.bytes
        && std::equal(std::begin(rates), std::end(rates), std::begin(other.rates))
        && subscribers == other.subscribers && shardSubscribers == other.shardSubscribers
        && listedByServer == other.listedByServer && lastSeenMs == other.lastSeenMs;
}

ChannelStatisticsModel::Shown ChannelStatisticsModel::shownAt(int row) const
{
    const ChannelStatistics::Channel &channel = m_monitor->statistics().channel(row);
    Shown shown { channel.messages, channel.bytes, {}, channel.subscribers, channel.shardSubscribers,
        channel.listedByServer, channel.lastSeenMs };
    int i = 0;
    for (const Window window : { Window::OneSecond, Window::TenSeconds, Window::OneMinute }) {
        const ChannelRateMeter::Rate rate = channel.meter.rate(window, m_now);
        shown.rates[i++] = rate.messagesPerSecond;
        shown.rates[i++] = rate.bytesPerSecond;
    }
    return shown;
}

std::array<double, 7> ChannelStatisticsModel::totalsShown() const
{
    return { m_messagesPerSecond, m_bytesPerSecond, double(totalMessages()), double(totalBytes()),
        double(serverPatternCount()), double(serverChannelCount()), double(serverInternalChannelCount()) };
}

qulonglong ChannelStatisticsModel::totalMessages() const
{
    return m_monitor ? m_monitor->statistics().totalMessages() : 0;
}

qulonglong ChannelStatisticsModel::totalBytes() const
{
    return m_monitor ? m_monitor->statistics().totalBytes() : 0;
}

qint64 ChannelStatisticsModel::serverPatternCount() const
{
    return m_monitor ? m_monitor->serverPoller()->patternCount() : -1;
}

int ChannelStatisticsModel::serverChannelCount() const
{
    if (!m_monitor)
        return 0;
    const int all = int(m_monitor->serverPoller()->serverChannels().size());
    return m_monitor->internalChannelsShown() ? all : all - serverInternalChannelCount();
}

int ChannelStatisticsModel::serverInternalChannelCount() const
{
    if (!m_monitor || m_monitor->internalChannelsShown())
        return 0;
    const QList<QByteArray> channels = m_monitor->serverPoller()->serverChannels();
    return int(std::count_if(channels.cbegin(), channels.cend(), &ChannelMonitor::isInternalChannel));
}

int ChannelStatisticsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

QVariant ChannelStatisticsModel::data(const QModelIndex &index, int role) const
{
    if (!m_monitor || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChannelStatistics &statistics = m_monitor->statistics();
    if (index.row() >= statistics.channelCount())
        return {};
    const ChannelStatistics::Channel &channel = statistics.channel(index.row());
    auto rate = [&](Window window) { return channel.meter.rate(window, m_now); };
    switch (role) {
    case Qt::DisplayRole:
    case ChannelRole:
        if (channel.isOverflow)
            return QCoreApplication::translate("Redwire::ChannelStatisticsModel", "(other channels)");
        return QString::fromUtf8(TextMessageFormatter::terminalSafe(channel.name));
    case OtherChannelsRole:
        return channel.isOverflow;
    case MessagesRole:
        return qulonglong(channel.messages);
    case BytesRole:
        return qulonglong(channel.bytes);
    case MessageRate1sRole:
        return rate(Window::OneSecond).messagesPerSecond;
    case MessageRate10sRole:
        return rate(Window::TenSeconds).messagesPerSecond;
    case MessageRate60sRole:
        return rate(Window::OneMinute).messagesPerSecond;
    case ByteRate1sRole:
        return rate(Window::OneSecond).bytesPerSecond;
    case ByteRate10sRole:
        return rate(Window::TenSeconds).bytesPerSecond;
    case ByteRate60sRole:
        return rate(Window::OneMinute).bytesPerSecond;
    case FirstSeenRole:
        return channel.messages ? channel.firstSeenMs : qint64(0);
    case LastSeenRole:
        return channel.messages ? channel.lastSeenMs : qint64(0);
    case SubscribersRole:
        return channel.subscribers;
    case ShardSubscribersRole:
        return channel.shardSubscribers;
    case ListedByServerRole:
        return channel.listedByServer;
    case ColorRole:
        return m_palette ? m_palette->colorFor(channel.name) : ChannelPalette::defaultColor(channel.name);
    default:
        return {};
    }
}

QHash<int, QByteArray> ChannelStatisticsModel::roleNames() const
{
    static const QHash<int, QByteArray> names {
        { ChannelRole, "channel" },
        { OtherChannelsRole, "otherChannels" },
        { MessagesRole, "messages" },
        { BytesRole, "bytes" },
        { MessageRate1sRole, "messageRate1s" },
        { MessageRate10sRole, "messageRate10s" },
        { MessageRate60sRole, "messageRate60s" },
        { ByteRate1sRole, "byteRate1s" },
        { ByteRate10sRole, "byteRate10s" },
        { ByteRate60sRole, "byteRate60s" },
        { FirstSeenRole, "firstSeen" },
        { LastSeenRole, "lastSeen" },
        { SubscribersRole, "subscribers" },
        { ListedByServerRole, "listedByServer" },
        { ColorRole, "channelColor" },
        { ShardSubscribersRole, "shardSubscribers" },
    };
    return names;
}

} // namespace Redwire
