#include "ClusterShardSubscribers.h"

#include "ClusterCommandRouter.h"
#include "ClusterSlot.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QRegularExpression>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

using TopicKind = SubscriberConnection::TopicKind;

// Messages of one node's connection, handed to the owner's handler with that connection known
// (messageReadTimeMs()). The classic frames on a node's connection are the heartbeat channel's,
// which never reach a handler; pattern frames are the patterns on every primary.
class ClusterShardSubscribers::NodeHandler : public SubscriberConnection::MessageHandler
{
public:
    NodeHandler(ClusterShardSubscribers *owner, const SubscriberConnection *connection)
        : m_owner(owner)
        , m_connection(connection)
    { }
    void handleMessage(const QByteArray &, const QByteArray &) override { }
    void handlePatternMessage(
        const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload) override
    {
        if (!m_owner->m_handler)
            return;
        m_owner->m_delivering = m_connection;
        m_owner->m_handler->handlePatternMessage(pattern, channel, payload);
        m_owner->m_delivering = nullptr;
    }
    void handleShardMessage(const QByteArray &channel, const QByteArray &payload) override
    {
        if (!m_owner->m_handler)
            return;
        m_owner->m_delivering = m_connection;
        m_owner->m_handler->handleShardMessage(channel, payload);
        m_owner->m_delivering = nullptr;
    }

private:
    ClusterShardSubscribers *m_owner;
    const SubscriberConnection *m_connection;
};

struct ClusterShardSubscribers::Node
{
    ServerAddress address;
    SubscriberConnection *connection = nullptr;
    std::unique_ptr<NodeHandler> handler;
};

namespace {
QString keyOf(const ServerAddress &address)
{
    return address.isValid() ? address.displayName() : QString();
}

// The "MOVED <slot> <host:port>" inside a refusal's message, or nothing.
QByteArray movedRedirect(const RedisError &error)
{
    static const QRegularExpression moved(QStringLiteral("MOVED \\d+ \\S*:\\d+"));
    const QRegularExpressionMatch match = moved.match(error.message());
    return match.hasMatch() ? match.captured(0).toUtf8() : QByteArray();
}
} // namespace

ClusterShardSubscribers::ClusterShardSubscribers(const ConnectionOptions &options,
    ClusterCommandRouter *router, const QByteArray &heartbeatChannel, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_router(router)
    , m_heartbeatChannel(heartbeatChannel)
{
    m_options.topology = Topology::Standalone;
    m_options.seeds.clear();
    m_refreshTimer.setInterval(RefreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, m_router, &ClusterCommandRouter::refreshTopology);
    connect(m_router, &ClusterCommandRouter::topologyChanged, this, &ClusterShardSubscribers::reconcile);
}

ClusterShardSubscribers::~ClusterShardSubscribers()
{
    stop();
}

void ClusterShardSubscribers::setMessageHandler(SubscriberConnection::MessageHandler *handler)
{
    m_handler = handler;
}

void ClusterShardSubscribers::start()
{
    m_running = true;
    if (wantsAnything())
        m_refreshTimer.start();
    reconcile();
}

void ClusterShardSubscribers::stop()
{
    m_running = false;
    m_refreshTimer.stop();
    const QHash<QString, Node *> nodes = std::exchange(m_nodes, {});
    for (Node *node : nodes)
        closeNode(node);
    m_active.clear();
    m_patternsActive.clear();
    for (auto it = m_assigned.begin(); it != m_assigned.end(); ++it)
        it.value().clear();
}

// An empty name is refused at once, as SubscriberConnection refuses it.
bool ClusterShardSubscribers::usable(TopicKind kind, const QByteArray &name)
{
    if (!name.isEmpty())
        return true;
    Q_EMIT subscriptionFailed(kind, name,
        RedisError(RedisError::Code::InvalidArgument,
            kind == TopicKind::Pattern ? tr("Not a usable pattern.") : tr("Not a usable channel name.")));
    return false;
}

// Something more is wanted: placed now when running, and the map read again every few seconds.
void ClusterShardSubscribers::wantedMore()
{
    if (!m_running)
        return;
    m_refreshTimer.start();
    reconcile();
}

bool ClusterShardSubscribers::subscribe(const QByteArray &shardChannel)
{
    if (!usable(TopicKind::ShardChannel, shardChannel))
        return false;
    if (m_assigned.contains(shardChannel))
        return true;
    m_assigned.insert(shardChannel, QString());
    m_redirects.remove(shardChannel);
    wantedMore();
    return true;
}

void ClusterShardSubscribers::unsubscribe(const QByteArray &shardChannel)
{
    const auto it = m_assigned.constFind(shardChannel);
    if (it == m_assigned.cend())
        return;
    const QString key = it.value();
    m_assigned.erase(it);
    m_active.remove(shardChannel);
    m_redirects.remove(shardChannel);
    if (Node *node = m_nodes.value(key))
        node->connection->sunsubscribe(shardChannel);
    if (!wantsAnything())
        m_refreshTimer.stop();
    Q_EMIT unsubscribed(TopicKind::ShardChannel, shardChannel);
    closeIdleNodes();
}

bool ClusterShardSubscribers::psubscribeEveryPrimary(const QByteArray &pattern)
{
    if (!usable(TopicKind::Pattern, pattern))
        return false;
    if (m_everyPrimary.contains(pattern))
        return true;
    m_everyPrimary.insert(pattern);
    wantedMore();
    return true;
}

void ClusterShardSubscribers::punsubscribeEveryPrimary(const QByteArray &pattern)
{
    if (!forgetPattern(pattern))
        return;
    Q_EMIT unsubscribed(TopicKind::Pattern, pattern);
    closeIdleNodes();
}

bool ClusterShardSubscribers::forgetPattern(const QByteArray &pattern)
{
    if (!m_everyPrimary.remove(pattern))
        return false;
    m_patternsActive.remove(pattern);
    for (Node *node : std::as_const(m_nodes))
        node->connection->punsubscribe(pattern);
    if (!wantsAnything())
        m_refreshTimer.stop();
    return true;
}

qint64 ClusterShardSubscribers::notPrimaryAtMs(const ServerAddress &node) const
{
    return m_notPrimaryAtMs.value(keyOf(node), -1);
}

QList<ServerAddress> ClusterShardSubscribers::primaries() const
{
    return m_router->topology().slotOwners();
}

bool ClusterShardSubscribers::patternOnEveryPrimary(const QByteArray &pattern) const
{
    const QList<ServerAddress> all = primaries();
    for (const ServerAddress &primary : all) {
        const Node *node = m_nodes.value(keyOf(primary));
        if (!node || !node->connection->isActive(TopicKind::Pattern, pattern))
            return false;
    }
    return !all.isEmpty();
}

void ClusterShardSubscribers::patternConfirmed(const QByteArray &pattern)
{
    if (!m_everyPrimary.contains(pattern) || m_patternsActive.contains(pattern)
        || !patternOnEveryPrimary(pattern))
        return;
    m_patternsActive.insert(pattern);
    Q_EMIT subscribed(TopicKind::Pattern, pattern);
}

// A node refused a pattern (ACL): it is given up everywhere, as one server's refusal would be.
void ClusterShardSubscribers::patternRefused(const QByteArray &pattern, const RedisError &error)
{
    if (!forgetPattern(pattern))
        return;
    Q_EMIT subscriptionFailed(TopicKind::Pattern, pattern, error);
    closeIdleNodes();
}

// The patterns that counted as subscribed and are not on every primary any more.
QList<QByteArray> ClusterShardSubscribers::patternsBroken()
{
    QList<QByteArray> broken;
    for (auto it = m_patternsActive.begin(); it != m_patternsActive.end();) {
        if (patternOnEveryPrimary(*it)) {
            ++it;
            continue;
        }
        broken.append(*it);
        it = m_patternsActive.erase(it);
    }
    return broken;
}

ServerAddress ClusterShardSubscribers::nodeOf(const QByteArray &shardChannel) const
{
    const Node *node = m_nodes.value(m_assigned.value(shardChannel));
    return node ? node->address : ServerAddress();
}

QList<SubscriberConnection *> ClusterShardSubscribers::connections() const
{
    QList<SubscriberConnection *> result;
    for (const Node *node : m_nodes)
        result.append(node->connection);
    return result;
}

qint64 ClusterShardSubscribers::messageReadTimeMs() const
{
    return m_delivering ? m_delivering->messageReadTimeMs() : 0;
}

// Every wanted channel on the node the map names for its slot; a channel a node's connection
// forgot (refused, dropped) is asked for again where the map says.
void ClusterShardSubscribers::reconcile()
{
    const ClusterTopology &map = m_router->topology();
    if (!m_running || map.isEmpty())
        return;
    const QList<QByteArray> wanted = m_assigned.keys();
    for (const QByteArray &channel : wanted) {
        const ClusterNode *owner = map.ownerOf(ClusterSlot::forKey(channel));
        const ServerAddress to = owner ? owner->address : ServerAddress();
        const QString placed = m_assigned.value(channel);
        if (placed != keyOf(to)) {
            place(channel, to);
            continue;
        }
        Node *node = m_nodes.value(placed);
        if (node && !node->connection->shardChannels().contains(channel))
            node->connection->ssubscribe(channel);
    }
    if (!m_everyPrimary.isEmpty()) {
        const QList<ServerAddress> all = primaries();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const ClusterNode &node : map.nodes())
            if (!all.contains(node.address))
                m_notPrimaryAtMs.insert(keyOf(node.address), now);
        for (const ServerAddress &primary : all) {
            Node &node = nodeFor(primary);
            const QList<QByteArray> subscribed = node.connection->patterns();
            for (const QByteArray &pattern : std::as_const(m_everyPrimary))
                if (!subscribed.contains(pattern))
                    node.connection->psubscribe(pattern);
        }
        // A primary that joined (a failover, a node added) is not heard until it confirms.
        for (const ServerAddress &primary : all) {
            const Node *node = m_nodes.value(keyOf(primary));
            QList<QByteArray> broken;
            for (const QByteArray &pattern : std::as_const(m_patternsActive))
                if (!node->connection->isActive(TopicKind::Pattern, pattern))
                    broken.append(pattern);
            if (broken.isEmpty())
                continue;
            for (const QByteArray &pattern : std::as_const(broken))
                m_patternsActive.remove(pattern);
            interrupt(
                primary, broken, tr("%1 became a primary; subscribing there").arg(primary.displayName()));
        }
    }
    closeIdleNodes();
}

void ClusterShardSubscribers::place(const QByteArray &channel, const ServerAddress &owner)
{
    if (Node *old = m_nodes.value(m_assigned.value(channel))) {
        const bool wasActive = m_active.remove(channel);
        old->connection->sunsubscribe(channel);
        if (wasActive)
            interrupt(old->address, { channel },
                owner.isValid() ? tr("its slot moved to %1").arg(owner.displayName())
                                : tr("no node serves its slot"));
    }
    m_assigned.insert(channel, keyOf(owner));
    if (!owner.isValid()) {
        qCWarning(lcRedis) << "no cluster node serves the slot of shard channel" << channel;
        return;
    }
    qCDebug(lcRedis) << "shard channel" << channel << "on" << owner.displayName();
    nodeFor(owner).connection->ssubscribe(channel);
}

ClusterShardSubscribers::Node &ClusterShardSubscribers::nodeFor(const ServerAddress &address)
{
    const QString key = keyOf(address);
    if (Node *existing = m_nodes.value(key))
        return *existing;
    auto *node = new Node;
    node->address = address;
    ConnectionOptions options = m_options;
    options.host = address.host;
    options.port = address.port;
    node->connection = new SubscriberConnection(options, this);
    node->handler = std::make_unique<NodeHandler>(this, node->connection);
    SubscriberConnection *connection = node->connection;
    connection->setHeartbeatChannel(m_heartbeatChannel);
    connection->setResubscribeDroppedShardChannels(false);
    connection->setMessageHandler(node->handler.get());
    m_nodes.insert(key, node);
    connect(connection, &RedisConnection::stateChanged, this, [this, node] { nodeStateChanged(node); });
    connect(connection, &SubscriberConnection::subscribed, this,
        [this, node](TopicKind kind, const QByteArray &name) {
            if (kind == TopicKind::ShardChannel)
                nodeSubscribed(node, name);
            else if (kind == TopicKind::Pattern)
                patternConfirmed(name);
        });
    connect(connection, &SubscriberConnection::subscriptionFailed, this,
        [this, node](TopicKind kind, const QByteArray &name, const RedisError &error) {
            if (kind == TopicKind::ShardChannel)
                nodeRefused(node, name, error);
            else if (kind == TopicKind::Pattern)
                patternRefused(name, error);
        });
    connect(connection, &SubscriberConnection::shardChannelDropped, this,
        [this, node](const QByteArray &name) { nodeDropped(node, name); });
    connect(connection, &SubscriberConnection::heartbeatReceived, this,
        [this, node](const QByteArray &payload) { Q_EMIT heartbeatReceived(node->address, payload); });
    connect(connection, &SubscriberConnection::shardMessageReceived, this,
        &ClusterShardSubscribers::shardMessageReceived);
    connection->connectToServer();
    return *node;
}

// A node with no wanted channel left is closed: later, not under the signal that led here.
void ClusterShardSubscribers::closeIdleNodes()
{
    QMetaObject::invokeMethod(
        this,
        [this] {
            QSet<QString> used;
            for (const QString &key : std::as_const(m_assigned))
                used.insert(key);
            if (!m_everyPrimary.isEmpty())
                for (const ServerAddress &primary : primaries())
                    used.insert(keyOf(primary));
            for (auto it = m_nodes.begin(); it != m_nodes.end();) {
                if (used.contains(it.key())) {
                    ++it;
                    continue;
                }
                qCDebug(lcRedis) << "no shard channel left on" << it.key() << "- closing";
                closeNode(it.value());
                it = m_nodes.erase(it);
            }
        },
        Qt::QueuedConnection);
}

void ClusterShardSubscribers::closeNode(Node *node)
{
    node->connection->disconnect(this);
    node->connection->setMessageHandler(nullptr);
    node->connection->disconnectFromServer();
    node->connection->deleteLater();
    delete node;
}

void ClusterShardSubscribers::interrupt(
    const ServerAddress &node, const QList<QByteArray> &channels, const QString &reason)
{
    if (channels.isEmpty())
        return;
    qCInfo(lcRedis) << "shard channels" << channels << "on" << node.displayName() << "interrupted:" << reason;
    Q_EMIT channelsInterrupted(node, channels, reason);
}

void ClusterShardSubscribers::nodeStateChanged(Node *node)
{
    if (node->connection->state() == RedisConnection::State::Connected)
        return;
    const QString key = keyOf(node->address);
    QList<QByteArray> broken;
    for (auto it = m_assigned.cbegin(); it != m_assigned.cend(); ++it)
        if (it.value() == key && m_active.remove(it.key()))
            broken.append(it.key());
    broken += patternsBroken();
    if (broken.isEmpty())
        return;
    const QString error = node->connection->errorString();
    interrupt(node->address, broken,
        error.isEmpty() ? tr("the connection to %1 was lost").arg(node->address.displayName()) : error);
    // A lost node may have been failed over: its channels' new owner is in the next map.
    m_router->refreshTopology();
}

void ClusterShardSubscribers::nodeSubscribed(Node *node, const QByteArray &channel)
{
    if (m_assigned.value(channel) != keyOf(node->address))
        return; // no longer wanted there
    m_redirects.remove(channel);
    m_active.insert(channel);
    Q_EMIT subscribed(TopicKind::ShardChannel, channel);
}

void ClusterShardSubscribers::nodeRefused(Node *node, const QByteArray &channel, const RedisError &error)
{
    if (m_assigned.value(channel) != keyOf(node->address))
        return;
    m_active.remove(channel);
    const QByteArray redirect = movedRedirect(error);
    if (!redirect.isEmpty() && ++m_redirects[channel] <= ClusterCommandRouter::MaxRedirects) {
        // Its slot is served elsewhere: placed again where the corrected map says.
        m_assigned.insert(channel, QString());
        if (!m_router->noteMoved(redirect, node->address))
            reconcile();
        return;
    }
    m_assigned.remove(channel);
    m_redirects.remove(channel);
    if (!wantsAnything())
        m_refreshTimer.stop();
    Q_EMIT subscriptionFailed(TopicKind::ShardChannel, channel, error);
    closeIdleNodes();
}

void ClusterShardSubscribers::nodeDropped(Node *node, const QByteArray &channel)
{
    if (m_assigned.value(channel) != keyOf(node->address))
        return;
    m_assigned.insert(channel, QString());
    if (m_active.remove(channel))
        interrupt(node->address, { channel },
            tr("%1 ended the subscription (its slot moved, or its shard failed over)")
                .arg(node->address.displayName()));
    // Placed again once the map is read; until then nowhere (the old node said it is not there).
    m_router->refreshTopology();
}

} // namespace Redwire
