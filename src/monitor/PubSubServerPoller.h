#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>

namespace Redwire {

class CommandConnection;
class RedisReply;

// Asks the server, at an interval, what it knows about Pub/Sub: the active channels
// (PUBSUB CHANNELS), the number of pattern subscriptions (PUBSUB NUMPAT) and the subscriber count
// of each channel of interest (PUBSUB NUMSUB), whether we hear it by name or through a pattern.
// One poll at a time, one NUMSUB per poll; a poll that fails (not connected, no permission) leaves
// the previous answer and reports why. On a Redis Cluster every node not failing is asked (a node
// knows only its own clients' subscriptions) and the answers add up; a node that does not answer
// is left out of that poll.
class PubSubServerPoller : public QObject
{
    Q_OBJECT
public:
    // At most this many channels are asked about per poll (one NUMSUB command). With more, each
    // poll asks about the next ones in turn, so that every channel is counted every few polls.
    static constexpr int MaxChannelsPerPoll = 1000;

    explicit PubSubServerPoller(CommandConnection *commands, QObject *parent = nullptr);

    void setIntervalMs(int intervalMs);
    int intervalMs() const { return m_timer.interval(); }
    // Channels to count subscribers of, besides the ones PUBSUB CHANNELS lists.
    void setChannelSource(std::function<QList<QByteArray>()> source) { m_channelSource = std::move(source); }
    // Shard channels to count subscribers of (PUBSUB SHARDNUMSUB, Redis 7; summed over the nodes
    // of a cluster: the owner and its replicas each know their own clients).
    void setShardChannelSource(std::function<QList<QByteArray>()> source)
    {
        m_shardChannelSource = std::move(source);
    }

    void start(); // polls now, then every interval
    void stop();
    bool isActive() const { return m_timer.isActive(); }
    void pollNow();

    QList<QByteArray> serverChannels() const { return m_serverChannels; }
    qint64 patternCount() const { return m_patternCount; } // -1: not known yet
    // From the last poll's NUMSUB: the channels asked about then (-1 for the others).
    qint64 subscriberCount(const QByteArray &channel) const { return m_subscribers.value(channel, -1); }
    const QHash<QByteArray, qint64> &subscriberCounts() const { return m_subscribers; }
    // From the last poll's SHARDNUMSUB; empty when the server does not know it (before Redis 7).
    const QHash<QByteArray, qint64> &shardSubscriberCounts() const { return m_shardSubscribers; }
    QString errorString() const { return m_error; }

Q_SIGNALS:
    void updated();
    void pollFailed(const QString &message);

private:
    void askEveryNode(const QList<QByteArray> &args, bool (*usable)(const RedisReply &),
        std::function<void(const QList<RedisReply> &answers)> use);
    void channelsAnswered(const QList<QByteArray> &channels);
    void askShardSubscribers(const QList<QByteArray> &shardChannels);
    void finishPoll();
    void fail(const QString &message);

    CommandConnection *m_commands;
    QTimer m_timer { this };
    std::function<QList<QByteArray>()> m_channelSource;
    std::function<QList<QByteArray>()> m_shardChannelSource;
    bool m_polling = false;
    int m_repliesLeft = 0;
    qsizetype m_nextChannel = 0; // where the next poll's NUMSUB starts, when not all fit in one
    bool m_failed = false;
    QList<QByteArray> m_serverChannels;
    qint64 m_patternCount = -1;
    QHash<QByteArray, qint64> m_subscribers;
    QHash<QByteArray, qint64> m_shardSubscribers;
    QString m_error;
};

} // namespace Redwire
