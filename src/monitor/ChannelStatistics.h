#pragma once

#include "ChannelRateMeter.h"

#include <QByteArray>
#include <QHash>
#include <QList>

#include <vector>

namespace Redwire {

// Traffic per channel as the monitor sees it (counts, bytes, rates, first and last seen), plus
// what the server says about each channel (subscriber count, whether PUBSUB CHANNELS lists it).
// Channels keep the index they were first given, so a model can append rows. The number of
// channels is bounded: past the limit, traffic is added to one "other channels" entry.
// All times are wall-clock milliseconds since the epoch, passed in by the caller.
class ChannelStatistics
{
public:
    static constexpr qsizetype DefaultChannelLimit = 10000;

    struct Channel
    {
        QByteArray name;
        bool isOverflow = false; // the entry that collects channels beyond the limit
        quint64 messages = 0;
        quint64 bytes = 0;
        qint64 firstSeenMs = 0; // meaningful once messages > 0 (a channel may be known from the server only)
        qint64 lastSeenMs = 0;
        qint64 subscribers = -1; // PUBSUB NUMSUB; -1: not known
        qint64 shardSubscribers = -1; // PUBSUB SHARDNUMSUB, for shard channels we follow; -1: not known
        bool listedByServer = false; // in the last PUBSUB CHANNELS answer
        ChannelRateMeter meter;
    };

    explicit ChannelStatistics(qint64 originMs = 0, qsizetype channelLimit = DefaultChannelLimit);

    // Counts one message of `bytes` payload bytes on `channel`.
    void record(const QByteArray &channel, qint64 bytes, qint64 nowMs);

    qsizetype channelCount() const { return qsizetype(m_channels.size()); }
    const Channel &channel(qsizetype index) const { return m_channels[size_t(index)]; }
    qsizetype indexOf(const QByteArray &channel) const { return m_index.value(channel, -1); }
    qsizetype channelLimit() const { return m_channelLimit; }

    // What the server reported; channels not seen yet are added (within the limit).
    void setServerChannels(const QList<QByteArray> &channels);
    void setSubscriberCount(const QByteArray &channel, qint64 subscribers);
    void setShardSubscriberCount(const QByteArray &channel, qint64 subscribers);
    // Channels to ask PUBSUB NUMSUB about: every named one.
    QList<QByteArray> channelNames() const;

    quint64 totalMessages() const { return m_totalMessages; }
    quint64 totalBytes() const { return m_totalBytes; }
    ChannelRateMeter::Rate totalRate(ChannelRateMeter::Window window, qint64 nowMs) const
    {
        return m_total.rate(window, nowMs);
    }
    ChannelRateMeter::Rate rate(qsizetype index, ChannelRateMeter::Window window, qint64 nowMs) const
    {
        return m_channels[size_t(index)].meter.rate(window, nowMs);
    }

    // Forgets every channel and total; rates measure from `originMs` on.
    void clear(qint64 originMs);
    // How many times clear() was called: what was counted before belongs to another generation.
    quint64 generation() const { return m_generation; }

private:
    qsizetype entryFor(const QByteArray &channel, bool *added);
    qsizetype overflowEntry();

    qint64 m_originMs;
    qsizetype m_channelLimit;
    std::vector<Channel> m_channels;
    QHash<QByteArray, qsizetype> m_index;
    qsizetype m_overflowIndex = -1;
    qsizetype m_lastIndex = -1; // a flood on one channel skips the hash lookup
    quint64 m_totalMessages = 0;
    quint64 m_totalBytes = 0;
    quint64 m_generation = 0;
    ChannelRateMeter m_total;
};

} // namespace Redwire
