#include "ChannelStatistics.h"

#include <QSet>

namespace Redwire {

ChannelStatistics::ChannelStatistics(qint64 originMs, qsizetype channelLimit)
    : m_originMs(originMs)
    , m_channelLimit(qMax<qsizetype>(1, channelLimit))
    , m_total(originMs)
{ }

qsizetype ChannelStatistics::overflowEntry()
{
    if (m_overflowIndex < 0) {
        Channel other;
        other.isOverflow = true;
        other.meter = ChannelRateMeter(m_originMs);
        m_channels.push_back(std::move(other));
        m_overflowIndex = qsizetype(m_channels.size()) - 1;
    }
    return m_overflowIndex;
}

qsizetype ChannelStatistics::entryFor(const QByteArray &channel, bool *added)
{
    *added = false;
    const auto it = m_index.constFind(channel);
    if (it != m_index.cend())
        return it.value();
    if (m_index.size() >= m_channelLimit)
        return -1;
    Channel entry;
    entry.name = channel;
    entry.meter = ChannelRateMeter(m_originMs);
    m_channels.push_back(std::move(entry));
    const qsizetype index = qsizetype(m_channels.size()) - 1;
    m_index.insert(channel, index);
    *added = true;
    return index;
}

void ChannelStatistics::record(const QByteArray &channel, qint64 bytes, qint64 nowMs)
{
    qsizetype index = m_lastIndex;
    if (index < 0 || m_channels[size_t(index)].name != channel || index == m_overflowIndex) {
        bool added = false;
        index = entryFor(channel, &added);
        if (index < 0)
            index = overflowEntry();
        m_lastIndex = index;
    }
    Channel &entry = m_channels[size_t(index)];
    if (++entry.messages == 1)
        entry.firstSeenMs = nowMs;
    entry.bytes += quint64(bytes);
    entry.lastSeenMs = nowMs;
    entry.meter.record(nowMs, bytes);
    ++m_totalMessages;
    m_totalBytes += quint64(bytes);
    m_total.record(nowMs, bytes);
}

void ChannelStatistics::setServerChannels(const QList<QByteArray> &channels)
{
    QSet<QByteArray> listed;
    listed.reserve(channels.size());
    for (const QByteArray &name : channels) {
        listed.insert(name);
        bool added = false;
        entryFor(name, &added);
    }
    for (Channel &entry : m_channels)
        if (!entry.isOverflow)
            entry.listedByServer = listed.contains(entry.name);
}

void ChannelStatistics::setSubscriberCount(const QByteArray &channel, qint64 subscribers)
{
    const qsizetype index = indexOf(channel);
    if (index >= 0)
        m_channels[size_t(index)].subscribers = subscribers;
}

void ChannelStatistics::setShardSubscriberCount(const QByteArray &channel, qint64 subscribers)
{
    const qsizetype index = indexOf(channel);
    if (index >= 0)
        m_channels[size_t(index)].shardSubscribers = subscribers;
}

QList<QByteArray> ChannelStatistics::channelNames() const
{
    QList<QByteArray> names;
    names.reserve(m_index.size());
    for (const Channel &entry : m_channels)
        if (!entry.isOverflow)
            names.append(entry.name);
    return names;
}

void ChannelStatistics::clear(qint64 originMs)
{
    m_originMs = originMs;
    m_channels.clear();
    m_index.clear();
    m_overflowIndex = -1;
    m_lastIndex = -1;
    m_totalMessages = 0;
    m_totalBytes = 0;
    m_total = ChannelRateMeter(originMs);
    ++m_generation;
}

} // namespace Redwire
