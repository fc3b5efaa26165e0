#pragma once

#include "CommandConnection.h"
#include "ConnectionOptions.h"
#include "SubscriberConnection.h"

#include <QHash>
#include <QObject>

namespace Redwire {

class ClusterCommandRouter;
class ClusterNodeFollower;
class ClusterShardSubscribers;
class RedisSubscription;
class SentinelFailover;

// What the rest of Redwire talks to: a command connection and a subscriber connection to one
// server, with the subscriber's liveness watched by SubscriberLiveness: a subscriber that stays
// silent while the server answers is replaced; a server that answers nothing at all is reported
// as not responding and its connections are kept. With a redis+sentinel:// address a
// SentinelFailover keeps both connections on the current master; with a redis+cluster:// address
// a ClusterNodeFollower keeps them on one node that answers (classic Pub/Sub reaches every node)
// and a ClusterCommandRouter sends each command on a key to the node serving its slot.
class RedisClient : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool connected READ isConnected NOTIFY connectedChanged)
    Q_PROPERTY(bool serverResponding READ isServerResponding NOTIFY serverRespondingChanged)
    Q_PROPERTY(Redwire::RedisClient::ClientState state READ state NOTIFY stateChanged)
public:
    // The two connections seen as one (as QMqttClient's ClientState). NotResponding: the
    // subscriber is connected but the server has answered nothing for a while.
    enum class ClientState { Disconnected, Connecting, Connected, Reconnecting, NotResponding };
    Q_ENUM(ClientState)

    explicit RedisClient(const ConnectionOptions &options = {}, QObject *parent = nullptr);
    ~RedisClient() override;

    void setOptions(const ConnectionOptions &options);
    const ConnectionOptions &options() const { return m_options; }

    // In a cluster: the entry for every command (routed by key to the node serving it).
    CommandConnection *commands() const { return m_commands; }
    // Cluster only: the router behind commands(), else nullptr.
    ClusterCommandRouter *clusterRouter() const { return m_router; }
    SubscriberConnection *subscriber() const { return m_subscriber; }
    // Cluster only: the shard channels' connections (one per primary serving one), else nullptr.
    ClusterShardSubscribers *clusterShardSubscribers() const { return m_shards; }
    // The message handler of subscriber() and, on a cluster, of the shard channels' connections.
    void setMessageHandler(SubscriberConnection::MessageHandler *handler);
    bool isConnected() const;
    // False while connected but the server has answered nothing for a while (frozen or paused).
    bool isServerResponding() const;
    // How long the subscriber connection has heard nothing (not even a heartbeat), in ms.
    qint64 subscriberSilenceMs() const;
    ClientState state() const { return m_state; }
    // Why the client is not connected: the subscriber's error while it is down, else the command
    // connection's; empty when neither has one.
    QString errorString() const;
    // Until the later of the two connections' next reconnect attempts, or -1 when none is due.
    int remainingRetryDelayMs() const;

    // Returns the subscription object for the topic (the same one when asked again), or nullptr
    // when the topic is refused (the reason in subscriptionFailed / the object's error).
    RedisSubscription *subscribe(const QByteArray &channel);
    RedisSubscription *psubscribe(const QByteArray &pattern);
    RedisSubscription *subscription(SubscriberConnection::TopicKind kind, const QByteArray &name) const;
    // Sharded channels (SSUBSCRIBE): on subscriber() for one server, on the primary serving each
    // channel's slot on a cluster (clusterShardSubscribers()). Their signals are the subscriber's,
    // or on a cluster the shard subscribers'.
    bool ssubscribe(const QByteArray &shardChannel);
    // The same as a subscription object (kind ShardChannel), as subscribe() gives for a channel:
    // Pending while the channel is interrupted (its connection lost, its slot moved or failed
    // over), Active again once it is confirmed where it lives now.
    RedisSubscription *subscribeShardChannel(const QByteArray &shardChannel);
    void sunsubscribe(const QByteArray &shardChannel);
    QList<QByteArray> shardChannels() const;
    bool isShardChannelActive(const QByteArray &shardChannel) const;
    // While a shard channel's message is handed over: when its read returned (ms since the epoch).
    qint64 shardMessageReadTimeMs() const;

public Q_SLOTS:
    void connectToServer();
    void disconnectFromServer();

Q_SIGNALS:
    void connectedChanged(bool connected);
    void stateChanged(Redwire::RedisClient::ClientState state);
    // errorString() or remainingRetryDelayMs() may have changed.
    void errorChanged();
    // The subscriber went silent for this long while the server answered; it is being replaced.
    void heartbeatMissed(int silenceMs);
    void serverRespondingChanged(bool responding);
    // Once: the server refuses this user the heartbeat channel; liveness checks use PING.
    void livenessUsesPing();
    // Sentinel only: the connections follow the master to this address (also the first time).
    void masterChanged(const QString &endpoint, const QString &reason);
    // Sentinel only: an event a sentinel published about the master ("+sdown", "master mymaster ...").
    void sentinelEvent(const QString &sentinel, const QByteArray &event, const QByteArray &detail);
    // Sentinel only: no sentinel named the master; asking again after nextRetryMs.
    void sentinelsUnavailable(const Redwire::RedisError &error, int nextRetryMs);
    // Cluster only: the connections are on this node now (also the first time).
    void clusterNodeChanged(const QString &endpoint, const QString &reason);
    // Cluster only: no node answered; asking again after nextRetryMs.
    void clusterUnavailable(const Redwire::RedisError &error, int nextRetryMs);

private:
    friend class RedisSubscription;
    void topicSubscribed(SubscriberConnection::TopicKind kind, const QByteArray &name);
    void topicFailed(SubscriberConnection::TopicKind kind, const QByteArray &name, const RedisError &error);
    RedisSubscription *subscribeTopic(SubscriberConnection::TopicKind kind, const QByteArray &name);
    void release(RedisSubscription *subscription);
    void updateConnected();
    void updateState();
    void updateRouting();
    void setUpFollower();
    void routeShardMessages();
    void setShardTopicsPending(const QList<QByteArray> &channels);
    QHash<QByteArray, RedisSubscription *> &topicsOf(SubscriberConnection::TopicKind kind);
    const QHash<QByteArray, RedisSubscription *> &topicsOf(SubscriberConnection::TopicKind kind) const;

    ConnectionOptions m_options;
    CommandConnection *m_commands;
    SubscriberConnection *m_subscriber;
    QHash<QByteArray, RedisSubscription *> m_channels;
    QHash<QByteArray, RedisSubscription *> m_patterns;
    QHash<QByteArray, RedisSubscription *> m_shardTopics;
    QMetaObject::Connection m_routeMessages;
    QMetaObject::Connection m_routePatternMessages;
    QMetaObject::Connection m_routeShardMessages;
    class SubscriberLiveness *m_liveness;
    SentinelFailover *m_sentinel = nullptr;
    ClusterNodeFollower *m_cluster = nullptr;
    ClusterCommandRouter *m_router = nullptr;
    ClusterShardSubscribers *m_shards = nullptr;
    SubscriberConnection::MessageHandler *m_messageHandler = nullptr;
    bool m_connected = false;
    ClientState m_state = ClientState::Disconnected;
};

} // namespace Redwire
