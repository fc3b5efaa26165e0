#include "ClusterShardSubscribers.h"

#include "ClusterCommandRouter.h"
#include "ClusterSlot.h"

#include <QLoggingCategory>
#include <QRegularExpression>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

using TopicKind = SubscriberConnection::TopicKind;

// Messages of one node's connection, handed to the owner's handler with that connection known
// (messageReadTimeMs()). The classic frames on a node's connection are the heartbeat channel's,
// which never reach a handler.
class ClusterShardSubscribers::NodeHandler : public SubscriberConnection::MessageHandler
{
public:
    NodeHandler(ClusterShardSubscribers *owner, const SubscriberConnection *connection)
        : m_owner(owner)
        , m_connection(connection)
    { }
    void handleMessage(const QByteArray &, const QByteArray &) override { }
    void handlePatternMessage(const QByteArray &, const QByteArray &, const QByteArray &) override { }
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
    if (!m_assigned.isEmpty())
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
    for (auto it = m_assigned.begin(); it != m_assigned.end(); ++it)
        it.value().clear();
}

bool ClusterShardSubscribers::subscribe(const QByteArray &shardChannel)
{
    if (shardChannel.isEmpty()) {
        Q_EMIT subscriptionFailed(TopicKind::ShardChannel, shardChannel,
            RedisError(RedisError::Code::InvalidArgument, tr("Not a usable channel name.")));
        return false;
    }
    if (m_assigned.contains(shardChannel))
        return true;
    m_assigned.insert(shardChannel, QString());
    m_redirects.remove(shardChannel);
    if (m_running) {
        m_refreshTimer.start();
        reconcile();
    }
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
    if (m_assigned.isEmpty())
        m_refreshTimer.stop();
    Q_EMIT unsubscribed(TopicKind::ShardChannel, shardChannel);
    closeIdleNodes();
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
        });
    connect(connection, &SubscriberConnection::subscriptionFailed, this,
        [this, node](TopicKind kind, const QByteArray &name, const RedisError &error) {
            if (kind == TopicKind::ShardChannel)
                nodeRefused(node, name, error);
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
    if (m_assigned.isEmpty())
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
