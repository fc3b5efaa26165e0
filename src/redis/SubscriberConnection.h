#pragma once

#include "RedisConnection.h"

#include <QHash>
#include <QSet>

#include <atomic>
#include <deque>

namespace Redwire {

// The Pub/Sub connection: holds the set of channels and patterns the user wants, sends them
// after every (re)connect, and turns what the server pushes into signals. It only ever sends
// SUBSCRIBE, PSUBSCRIBE, UNSUBSCRIBE and PUNSUBSCRIBE, one topic per command (docs/HIREDIS.md, 3).
// It also keeps a private heartbeat channel subscribed: RedisClient publishes to it to prove the
// connection alive, and it keeps the subscription count from ever dropping to zero.
class SubscriberConnection : public RedisConnection
{
    Q_OBJECT
public:
    enum class TopicKind { Channel, Pattern, ShardChannel };
    Q_ENUM(TopicKind)

    // Takes every message through a plain virtual call, before the signals are emitted: for a
    // receiver of hundreds of thousands of messages a second (the monitor), where a connected
    // signal's emission costs about as many instructions as the rest of a message's path
    // (docs/PERFORMANCE.md). Its calls come from the same places as the signals.
    class MessageHandler
    {
    public:
        virtual void handleMessage(const QByteArray &channel, const QByteArray &payload) = 0;
        virtual void handlePatternMessage(
            const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload)
            = 0;
        // A message on a shard channel (SSUBSCRIBE); none by default.
        virtual void handleShardMessage(const QByteArray &channel, const QByteArray &payload)
        {
            Q_UNUSED(channel)
            Q_UNUSED(payload)
        }

    protected:
        ~MessageHandler() = default;
    };

    explicit SubscriberConnection(const ConnectionOptions &options = {}, QObject *parent = nullptr);

    // At most one handler; nullptr removes it. The handler must outlive the connection or be
    // removed first.
    void setMessageHandler(MessageHandler *handler) { m_messageHandler = handler; }
    // Hands a message to the handler and the signals as one from the server is (an empty
    // pattern: a channel subscription's message; subscribeTopic() refuses empty names). Tests feed
    // the monitor's models this way.
    void deliverMessage(const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload);
    void deliverShardMessage(const QByteArray &shardChannel, const QByteArray &payload);

    // Each adds a topic to the wanted set (sent now when connected, and after every reconnect);
    // false when the topic is invalid. Subscribing twice is harmless.
    bool subscribe(const QByteArray &channel);
    bool psubscribe(const QByteArray &pattern);
    // Sharded Pub/Sub (SSUBSCRIBE, Redis 7). hiredis's async layer does not know it; our reply
    // guard reads its frames (docs/HIREDIS.md, 2). It rides on the classic subscription this
    // connection always holds (the heartbeat channel): when the server refuses that channel to
    // this user and no other channel is subscribed, shard channels fail with Unsupported. So do
    // they on a server without SSUBSCRIBE (before 7.0).
    bool ssubscribe(const QByteArray &shardChannel);
    bool subscribeTopic(TopicKind kind, const QByteArray &name);
    void unsubscribe(const QByteArray &channel);
    void punsubscribe(const QByteArray &pattern);
    void sunsubscribe(const QByteArray &shardChannel);
    void unsubscribeTopic(TopicKind kind, const QByteArray &name);

    QList<QByteArray> channels() const { return m_channels.keys(); }
    QList<QByteArray> patterns() const { return m_patterns.keys(); }
    QList<QByteArray> shardChannels() const { return m_shardChannels.keys(); }
    // Confirmed by the server on the current connection.
    bool isActive(TopicKind kind, const QByteArray &name) const;

    QByteArray heartbeatChannel() const { return m_heartbeatChannel; }
    // Before the first connect: share another connection's heartbeat channel (a cluster's
    // connection per shard hears the client's heartbeats and time marks: PUBLISH reaches every node).
    void setHeartbeatChannel(const QByteArray &channel) { m_heartbeatChannel = channel; }
    // What to do when the server ends a shard subscription unasked (its slot moved, or the shard
    // failed over): subscribe again here (the default), or forget it and emit
    // shardChannelDropped() for an owner that follows the slot to its new node.
    void setResubscribeDroppedShardChannels(bool resubscribe) { m_resubscribeDropped = resubscribe; }
    bool isHeartbeatActive() const { return m_heartbeatActive; }
    // The server refuses the heartbeat channel to this user (an ACL with channel rules): liveness
    // then rests on sendLivenessPing().
    bool isHeartbeatRefused() const { return m_heartbeatRefused; }
    // Sends a PING whose pong counts as a received frame. Only while the server is sure to
    // answer it as a Pub/Sub frame: a topic confirmed and no unsubscribe on its way (the
    // subscription count cannot reach zero under it). False when it was not sent.
    bool sendLivenessPing();
    // Frames received since construction; a cheap liveness counter.
    quint64 framesReceived() const { return m_framesReceived; }
    // While messageReceived() or patternMessageReceived() is emitted: when the socket read that
    // brought the message returned (wall clock, ms since the epoch, UTC). The frames of one read
    // share it: one clock read per read, not per message. 0 before the first message.
    qint64 messageReadTimeMs() const { return m_messageReadTimeMs; }

Q_SIGNALS:
    void messageReceived(const QByteArray &channel, const QByteArray &payload);
    void patternMessageReceived(
        const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload);
    void shardMessageReceived(const QByteArray &shardChannel, const QByteArray &payload);
    void subscribed(Redwire::SubscriberConnection::TopicKind kind, const QByteArray &name);
    void unsubscribed(Redwire::SubscriberConnection::TopicKind kind, const QByteArray &name);
    void subscriptionFailed(Redwire::SubscriberConnection::TopicKind kind, const QByteArray &name,
        const Redwire::RedisError &error);
    // After a reconnect, once every wanted topic is confirmed again.
    void resubscribed(int topics);
    void heartbeatReceived(const QByteArray &payload);
    // The server ended this shard subscription unasked and it was forgotten
    // (setResubscribeDroppedShardChannels(false)).
    void shardChannelDropped(const QByteArray &shardChannel);

protected:
    // Count the message signals' receivers, so that a connection whose messages go to a handler
    // alone emits nothing per message (an emission without receivers still costs about 65
    // instructions in Qt 6.4).
    void connectNotify(const QMetaMethod &signal) override;
    void disconnectNotify(const QMetaMethod &signal) override;
    void prepareConnected() override;
    RedisError connectionLost(const RedisError &error) override;
    void pubSubEvent(PubSubEvent &event) override;

private:
    struct Topic
    {
        TopicKind kind;
        QByteArray name;
    };
    QHash<QByteArray, bool> &topicsOf(TopicKind kind)
    {
        return kind == TopicKind::Pattern     ? m_patterns
            : kind == TopicKind::ShardChannel ? m_shardChannels
                                              : m_channels;
    }
    const QHash<QByteArray, bool> &topicsOf(TopicKind kind) const
    {
        return kind == TopicKind::Pattern     ? m_patterns
            : kind == TopicKind::ShardChannel ? m_shardChannels
                                              : m_channels;
    }
    QSet<QByteArray> &leavingOf(TopicKind kind)
    {
        return kind == TopicKind::Pattern     ? m_leavingPatterns
            : kind == TopicKind::ShardChannel ? m_leavingShardChannels
                                              : m_leavingChannels;
    }
    int wantedTopicCount() const
    {
        return int(m_channels.size() + m_patterns.size() + m_shardChannels.size());
    }
    void shardUnsubscribed(const QByteArray &name);
    void sendSubscribe(TopicKind kind, const QByteArray &name);
    void confirmed(TopicKind kind, const QByteArray &name);
    void unsubscribeConfirmed(TopicKind kind, const QByteArray &name);
    void refused(const QByteArray &errorText);
    void sendWantedTopics();

    // Wanted topics, and whether the server has confirmed each on the current connection.
    QHash<QByteArray, bool> m_channels;
    QHash<QByteArray, bool> m_patterns;
    QHash<QByteArray, bool> m_shardChannels;
    // Sent and not yet confirmed, in order: an error reply belongs to the first.
    std::deque<Topic> m_inFlight;
    // Unsubscribes not yet confirmed; a new SUBSCRIBE for one of them waits for the confirmation.
    QSet<QByteArray> m_leavingChannels;
    QSet<QByteArray> m_leavingPatterns;
    QSet<QByteArray> m_leavingShardChannels;
    QByteArray m_heartbeatChannel;
    bool m_heartbeatActive = false;
    bool m_heartbeatRefused = false;
    // The server has confirmed the heartbeat channel once: it is allowed for this user. Until
    // then, the other topics wait for its answer, so that a refusal (which closes the
    // connection, docs/HIREDIS.md 6) never interrupts them.
    bool m_heartbeatAllowed = false;
    bool m_holdingTopics = false;
    QByteArray m_pingToken;
    bool m_everConnected = false;
    bool m_resubscribeDropped = true;
    int m_resubscribesPending = -1;
    quint64 m_framesReceived = 0;
    qint64 m_messageReadTimeMs = 0;
    MessageHandler *m_messageHandler = nullptr;
    // Receivers of messageReceived() and patternMessageReceived(). An over-count only costs an
    // emission; connectNotify() is called for every connection, QML's included.
    std::atomic<int> m_messageReceivers { 0 };
    std::atomic<int> m_patternMessageReceivers { 0 };
};

} // namespace Redwire
