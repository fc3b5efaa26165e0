#include "RedisClient.h"

#include "ClusterCommandRouter.h"
#include "ClusterNodeFollower.h"
#include "ClusterShardSubscribers.h"
#include "RedisSubscription.h"
#include "SentinelFailover.h"
#include "SubscriberLiveness.h"

#include <algorithm>

namespace Redwire {

RedisClient::RedisClient(const ConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_commands(new CommandConnection(options, this))
    , m_subscriber(new SubscriberConnection(options, this))
    , m_liveness(new SubscriberLiveness(m_commands, m_subscriber, this))
{
    connect(m_subscriber, &SubscriberConnection::subscribed, this, &RedisClient::topicSubscribed);
    connect(m_subscriber, &SubscriberConnection::subscriptionFailed, this, &RedisClient::topicFailed);
    connect(m_subscriber, &RedisConnection::stateChanged, this, [this](RedisConnection::State state) {
        if (state != RedisConnection::State::Connected) {
            for (RedisSubscription *s : std::as_const(m_channels))
                s->setState(RedisSubscription::State::Pending);
            for (RedisSubscription *s : std::as_const(m_patterns))
                s->setState(RedisSubscription::State::Pending);
            // On a cluster the shard channels have connections of their own.
            if (!m_shards)
                setShardTopicsPending(m_shardTopics.keys());
        }
        updateConnected();
    });
    connect(m_commands, &RedisConnection::stateChanged, this, &RedisClient::updateConnected);
    for (RedisConnection *connection :
        { static_cast<RedisConnection *>(m_commands), static_cast<RedisConnection *>(m_subscriber) }) {
        connect(connection, &RedisConnection::stateChanged, this, &RedisClient::updateState);
        // errorString() depends on which connection is up.
        connect(connection, &RedisConnection::stateChanged, this, &RedisClient::errorChanged);
        connect(connection, &RedisConnection::errorChanged, this, &RedisClient::errorChanged);
        connect(connection, &RedisConnection::reconnectScheduled, this, &RedisClient::errorChanged);
    }

    m_liveness->setIntervalMs(options.heartbeatIntervalMs);
    connect(m_liveness, &SubscriberLiveness::subscriberDead, this, &RedisClient::heartbeatMissed);
    connect(m_liveness, &SubscriberLiveness::serverRespondingChanged, this,
        &RedisClient::serverRespondingChanged);
    connect(m_liveness, &SubscriberLiveness::serverRespondingChanged, this, &RedisClient::updateState);
    connect(m_liveness, &SubscriberLiveness::usingPing, this, &RedisClient::livenessUsesPing);
    setUpFollower();
}

void RedisClient::setUpFollower()
{
    // Shard channels stay wanted across a change of address: moved to where the new one keeps them.
    const QList<QByteArray> shardChannels = this->shardChannels();
    for (const QByteArray &channel : shardChannels)
        m_subscriber->sunsubscribe(channel);
    setShardTopicsPending(m_shardTopics.keys());
    disconnect(m_routeShardMessages);
    m_routeShardMessages = {};
    delete m_shards;
    m_shards = nullptr;
    delete m_sentinel;
    m_sentinel = nullptr;
    delete m_cluster;
    m_cluster = nullptr;
    delete m_router;
    m_router = nullptr;
    m_commands->setRoute({});
    m_commands->setFanOut({});
    if (m_options.topology == Topology::Cluster) {
        m_cluster = new ClusterNodeFollower(m_options, { m_commands, m_subscriber }, this);
        m_router = new ClusterCommandRouter(m_options, m_commands, this);
        m_commands->setRoute(
            [router = m_router](const QList<QByteArray> &args, CommandConnection::ReplyHandler handler) {
                router->send(args, std::move(handler));
            });
        m_commands->setFanOut(
            [router = m_router](const QList<QByteArray> &args, CommandConnection::EveryNodeHandler handler) {
                router->sendToEveryNode(args, std::move(handler));
            });
        connect(m_cluster, &ClusterNodeFollower::nodeChanged, this,
            [this](const ServerAddress &node, const QString &reason) {
                m_options.host = node.host;
                m_options.port = node.port;
                m_router->setTopology(m_cluster->topology());
                Q_EMIT clusterNodeChanged(node.displayName(), reason);
            });
        connect(m_cluster, &ClusterNodeFollower::resolutionFailed, this, &RedisClient::clusterUnavailable);
        m_shards = new ClusterShardSubscribers(m_options, m_router, m_subscriber->heartbeatChannel(), this);
        m_shards->setMessageHandler(m_messageHandler);
        // Its shard channels' only (its patterns on every primary are the monitor's, not objects).
        connect(m_shards, &ClusterShardSubscribers::subscribed, this,
            [this](SubscriberConnection::TopicKind kind, const QByteArray &name) {
                if (kind == SubscriberConnection::TopicKind::ShardChannel)
                    topicSubscribed(kind, name);
            });
        connect(m_shards, &ClusterShardSubscribers::subscriptionFailed, this,
            [this](SubscriberConnection::TopicKind kind, const QByteArray &name, const RedisError &error) {
                if (kind == SubscriberConnection::TopicKind::ShardChannel)
                    topicFailed(kind, name, error);
            });
        connect(m_shards, &ClusterShardSubscribers::channelsInterrupted, this,
            [this](const ServerAddress &, const QList<QByteArray> &channels) {
                setShardTopicsPending(channels);
            });
        for (const QByteArray &channel : shardChannels)
            m_shards->subscribe(channel);
        routeShardMessages();
        return;
    }
    for (const QByteArray &channel : shardChannels)
        m_subscriber->ssubscribe(channel);
    routeShardMessages();
    if (m_options.topology != Topology::Sentinel)
        return;
    m_sentinel = new SentinelFailover(m_options, { m_commands, m_subscriber }, this);
    connect(m_sentinel, &SentinelFailover::masterChanged, this,
        [this](const ServerAddress &master, const QString &reason) {
            m_options.host = master.host;
            m_options.port = master.port;
            Q_EMIT masterChanged(master.displayName(), reason);
        });
    connect(m_sentinel, &SentinelFailover::sentinelEvent, this,
        [this](const ServerAddress &sentinel, const QByteArray &event, const QByteArray &detail) {
            Q_EMIT sentinelEvent(sentinel.displayName(), event, detail);
        });
    connect(m_sentinel, &SentinelFailover::resolutionFailed, this, &RedisClient::sentinelsUnavailable);
}

RedisClient::~RedisClient() = default;

void RedisClient::topicSubscribed(SubscriberConnection::TopicKind kind, const QByteArray &name)
{
    if (RedisSubscription *s = subscription(kind, name))
        s->setState(RedisSubscription::State::Active);
}

void RedisClient::topicFailed(
    SubscriberConnection::TopicKind kind, const QByteArray &name, const RedisError &error)
{
    RedisSubscription *s = subscription(kind, name);
    if (!s)
        return;
    topicsOf(kind).remove(name);
    updateRouting();
    s->fail(error);
    s->deleteLater();
}

void RedisClient::setShardTopicsPending(const QList<QByteArray> &channels)
{
    for (const QByteArray &channel : channels)
        if (RedisSubscription *s = m_shardTopics.value(channel))
            s->setState(RedisSubscription::State::Pending);
}

QHash<QByteArray, RedisSubscription *> &RedisClient::topicsOf(SubscriberConnection::TopicKind kind)
{
    return kind == SubscriberConnection::TopicKind::Pattern     ? m_patterns
        : kind == SubscriberConnection::TopicKind::ShardChannel ? m_shardTopics
                                                                : m_channels;
}

const QHash<QByteArray, RedisSubscription *> &RedisClient::topicsOf(
    SubscriberConnection::TopicKind kind) const
{
    return const_cast<RedisClient *>(this)->topicsOf(kind);
}

void RedisClient::setMessageHandler(SubscriberConnection::MessageHandler *handler)
{
    m_messageHandler = handler;
    m_subscriber->setMessageHandler(handler);
    if (m_shards)
        m_shards->setMessageHandler(handler);
}

bool RedisClient::ssubscribe(const QByteArray &shardChannel)
{
    return m_shards ? m_shards->subscribe(shardChannel) : m_subscriber->ssubscribe(shardChannel);
}

void RedisClient::sunsubscribe(const QByteArray &shardChannel)
{
    if (m_shards)
        m_shards->unsubscribe(shardChannel);
    else
        m_subscriber->sunsubscribe(shardChannel);
}

QList<QByteArray> RedisClient::shardChannels() const
{
    return m_shards ? m_shards->channels() : m_subscriber->shardChannels();
}

bool RedisClient::isShardChannelActive(const QByteArray &shardChannel) const
{
    return m_shards ? m_shards->isActive(shardChannel)
                    : m_subscriber->isActive(SubscriberConnection::TopicKind::ShardChannel, shardChannel);
}

qint64 RedisClient::shardMessageReadTimeMs() const
{
    return m_shards ? m_shards->messageReadTimeMs() : m_subscriber->messageReadTimeMs();
}

RedisSubscription *RedisClient::subscribeShardChannel(const QByteArray &shardChannel)
{
    return subscribeTopic(SubscriberConnection::TopicKind::ShardChannel, shardChannel);
}

// Messages go to subscription objects only while there are any: a client that listens to the
// SubscriberConnection directly (the monitor) pays nothing per message for the routing.
void RedisClient::updateRouting()
{
    routeShardMessages();
    const bool wanted = !m_channels.isEmpty() || !m_patterns.isEmpty();
    if (wanted == bool(m_routeMessages))
        return;
    if (!wanted) {
        disconnect(m_routeMessages);
        disconnect(m_routePatternMessages);
        m_routeMessages = {};
        m_routePatternMessages = {};
        return;
    }
    m_routeMessages = connect(m_subscriber, &SubscriberConnection::messageReceived, this,
        [this](const QByteArray &channel, const QByteArray &payload) {
            if (RedisSubscription *s = m_channels.value(channel))
                Q_EMIT s->messageReceived(channel, payload);
        });
    m_routePatternMessages = connect(m_subscriber, &SubscriberConnection::patternMessageReceived, this,
        [this](const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload) {
            if (RedisSubscription *s = m_patterns.value(pattern))
                Q_EMIT s->messageReceived(channel, payload);
        });
}

// As updateRouting(), for the shard channels: from subscriber() on one server, from the shard
// subscribers on a cluster (the source changes with the address).
void RedisClient::routeShardMessages()
{
    const bool wanted = !m_shardTopics.isEmpty();
    if (wanted == bool(m_routeShardMessages))
        return;
    if (!wanted) {
        disconnect(m_routeShardMessages);
        m_routeShardMessages = {};
        return;
    }
    const auto route = [this](const QByteArray &channel, const QByteArray &payload) {
        if (RedisSubscription *s = m_shardTopics.value(channel))
            Q_EMIT s->messageReceived(channel, payload);
    };
    m_routeShardMessages = m_shards
        ? connect(m_shards, &ClusterShardSubscribers::shardMessageReceived, this, route)
        : connect(m_subscriber, &SubscriberConnection::shardMessageReceived, this, route);
}

void RedisClient::setOptions(const ConnectionOptions &options)
{
    m_options = options;
    m_commands->setOptions(options);
    m_subscriber->setOptions(options);
    m_liveness->setIntervalMs(options.heartbeatIntervalMs);
    setUpFollower();
}

bool RedisClient::isConnected() const
{
    return m_commands->isConnected() && m_subscriber->isConnected();
}

bool RedisClient::isServerResponding() const
{
    return m_liveness->isServerResponding();
}

qint64 RedisClient::subscriberSilenceMs() const
{
    return m_liveness->silenceMs();
}

void RedisClient::connectToServer()
{
    if (m_sentinel || m_cluster) {
        // The sentinels name the master (a cluster node answers) first; the connections start
        // once they have.
        const QString problem = m_options.validate();
        if (!problem.isEmpty()) {
            m_commands->connectToServer(); // reports the problem as any connection would
            return;
        }
        if (m_sentinel) {
            m_sentinel->start();
        } else {
            m_cluster->start();
            m_shards->start();
        }
    } else {
        m_commands->connectToServer();
        m_subscriber->connectToServer();
    }
    m_liveness->start();
}

void RedisClient::disconnectFromServer()
{
    if (m_sentinel)
        m_sentinel->stop();
    if (m_cluster)
        m_cluster->stop();
    if (m_shards) {
        m_shards->stop();
        setShardTopicsPending(m_shardTopics.keys());
    }
    if (m_router)
        m_router->disconnectNodes();
    m_liveness->stop();
    m_commands->disconnectFromServer();
    m_subscriber->disconnectFromServer();
}

RedisSubscription *RedisClient::subscribe(const QByteArray &channel)
{
    return subscribeTopic(SubscriberConnection::TopicKind::Channel, channel);
}

RedisSubscription *RedisClient::psubscribe(const QByteArray &pattern)
{
    return subscribeTopic(SubscriberConnection::TopicKind::Pattern, pattern);
}

RedisSubscription *RedisClient::subscription(
    SubscriberConnection::TopicKind kind, const QByteArray &name) const
{
    return topicsOf(kind).value(name);
}

RedisSubscription *RedisClient::subscribeTopic(SubscriberConnection::TopicKind kind, const QByteArray &name)
{
    if (RedisSubscription *existing = subscription(kind, name))
        return existing;
    const bool shard = kind == SubscriberConnection::TopicKind::ShardChannel;
    if (!(shard ? ssubscribe(name) : m_subscriber->subscribeTopic(kind, name)))
        return nullptr;
    auto *created = new RedisSubscription(this, kind, name);
    topicsOf(kind).insert(name, created);
    updateRouting();
    if (shard ? isShardChannelActive(name) : m_subscriber->isActive(kind, name))
        created->setState(RedisSubscription::State::Active);
    return created;
}

void RedisClient::release(RedisSubscription *subscription)
{
    topicsOf(subscription->kind()).remove(subscription->name());
    if (subscription->kind() == SubscriberConnection::TopicKind::ShardChannel)
        sunsubscribe(subscription->name());
    else
        m_subscriber->unsubscribeTopic(subscription->kind(), subscription->name());
    updateRouting();
    subscription->setState(RedisSubscription::State::Unsubscribed);
    subscription->deleteLater();
}

void RedisClient::updateConnected()
{
    const bool now = isConnected();
    if (now == m_connected)
        return;
    m_connected = now;
    Q_EMIT connectedChanged(now);
}

namespace {
RedisClient::ClientState clientStateOf(RedisConnection::State state)
{
    switch (state) {
    case RedisConnection::State::Connected:
        return RedisClient::ClientState::Connected;
    case RedisConnection::State::Connecting:
        return RedisClient::ClientState::Connecting;
    case RedisConnection::State::Reconnecting:
        return RedisClient::ClientState::Reconnecting;
    case RedisConnection::State::Disconnected:
        break;
    }
    return RedisClient::ClientState::Disconnected;
}

// Both connected is connected; otherwise the one further from it says.
RedisClient::ClientState combined(RedisConnection::State a, RedisConnection::State b)
{
    using State = RedisConnection::State;
    if (a == b)
        return clientStateOf(a);
    if (a == State::Reconnecting || b == State::Reconnecting)
        return RedisClient::ClientState::Reconnecting;
    if (a == State::Disconnected || b == State::Disconnected)
        return RedisClient::ClientState::Disconnected;
    return RedisClient::ClientState::Connecting;
}
} // namespace

void RedisClient::updateState()
{
    ClientState state = combined(m_commands->state(), m_subscriber->state());
    // A frozen server: the subscriber is kept while the command connection may be reconnecting.
    if (m_subscriber->state() == RedisConnection::State::Connected && !isServerResponding())
        state = ClientState::NotResponding;
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

QString RedisClient::errorString() const
{
    if (!m_subscriber->isConnected() && !m_subscriber->errorString().isEmpty())
        return m_subscriber->errorString();
    return m_commands->errorString();
}

int RedisClient::remainingRetryDelayMs() const
{
    return std::max(m_commands->remainingRetryDelayMs(), m_subscriber->remainingRetryDelayMs());
}

} // namespace Redwire
