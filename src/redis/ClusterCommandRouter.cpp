#include "ClusterCommandRouter.h"

#include "ClusterSlot.h"
#include "CommandKeys.h"
#include "RedisReply.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QPointer>
#include <QSet>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

namespace {
constexpr int RefreshIntervalMs = 1000;
constexpr int FirstRetryDelayMs = 100;

// "MOVED 3999 127.0.0.1:6381" / "ASK 3999 127.0.0.1:6381"; an empty host (":6381") is the node
// that answered.
bool parseRedirect(const QByteArray &text, const ServerAddress &answered, quint16 *slot, ServerAddress *to)
{
    const QList<QByteArray> parts = text.split(' ');
    if (parts.size() != 3)
        return false;
    bool okSlot = false;
    const uint number = parts.at(1).toUInt(&okSlot);
    const qsizetype colon = parts.at(2).lastIndexOf(':');
    bool okPort = false;
    const uint port = colon >= 0 ? parts.at(2).mid(colon + 1).toUInt(&okPort) : 0;
    if (!okSlot || number >= uint(ClusterSlot::Count) || !okPort || port == 0 || port > 65535)
        return false;
    QByteArray host = parts.at(2).left(colon);
    if (host.startsWith('[') && host.endsWith(']'))
        host = host.mid(1, host.size() - 2);
    *slot = quint16(number);
    *to = { host.isEmpty() || host == "?" ? answered.host : QString::fromUtf8(host), quint16(port) };
    return true;
}

bool startsWithWord(const QByteArray &text, QByteArrayView word)
{
    return text.startsWith(word) && (text.size() == word.size() || text.at(word.size()) == ' ');
}

ServerAddress addressOf(const CommandConnection *connection)
{
    return { connection->options().host, connection->options().port };
}
} // namespace

struct ClusterCommandRouter::Attempt
{
    QList<QByteArray> args;
    CommandConnection::ReplyHandler handler;
    int redirects = 0;
    int retries = 0;
    bool asking = false;
    bool pinned = false; // for this node only (sendToEveryNode): no redirection, no retry
    ServerAddress askTarget;
    ServerAddress sentTo;
};

struct ClusterCommandRouter::Node
{
    CommandConnection *connection = nullptr;
    QList<AttemptPtr> waiting; // until the connection is up
};

ClusterCommandRouter::ClusterCommandRouter(
    const ConnectionOptions &options, CommandConnection *entry, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_entry(entry)
{
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &ClusterCommandRouter::refreshTopology);
}

ClusterCommandRouter::~ClusterCommandRouter()
{
    disconnectNodes();
}

void ClusterCommandRouter::setTopology(const ClusterTopology &topology)
{
    m_topology = topology;
    // A node that left the map or is failing (failed over and not back, removed) gets no
    // commands: its connection would only keep trying to reconnect. Replicas that are not
    // failing keep theirs (sendToEveryNode asks them too).
    QSet<QString> serving;
    for (const ServerAddress &owner : m_topology.slotOwners())
        serving.insert(owner.displayName());
    for (const ClusterNode &node : m_topology.nodes())
        if (node.reachable)
            serving.insert(node.address.displayName());
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
        Node *node = it.value();
        if (serving.contains(it.key()) || !node->waiting.isEmpty()) {
            ++it;
            continue;
        }
        node->connection->disconnect(this);
        node->connection->disconnectFromServer();
        node->connection->deleteLater();
        delete node;
        it = m_nodes.erase(it);
    }
    Q_EMIT topologyChanged();
}

void ClusterCommandRouter::send(const QList<QByteArray> &args, CommandConnection::ReplyHandler handler)
{
    auto attempt = std::make_shared<Attempt>();
    attempt->args = args;
    attempt->handler = std::move(handler);
    dispatch(attempt);
}

void ClusterCommandRouter::sendToEveryNode(
    const QList<QByteArray> &args, CommandConnection::EveryNodeHandler handler)
{
    QList<ServerAddress> targets;
    for (const ClusterNode &node : m_topology.nodes())
        if (node.reachable && !targets.contains(node.address))
            targets.append(node.address);
    if (targets.isEmpty())
        targets.append(addressOf(m_entry));
    struct Gathering
    {
        QList<CommandConnection::NodeReply> replies;
        qsizetype left = 0;
        CommandConnection::EveryNodeHandler handler;
    };
    auto gathering = std::make_shared<Gathering>();
    gathering->replies.resize(targets.size());
    gathering->left = targets.size();
    gathering->handler = std::move(handler);
    for (qsizetype i = 0; i < targets.size(); ++i) {
        auto attempt = std::make_shared<Attempt>();
        attempt->args = args;
        attempt->pinned = true;
        const ServerAddress node = targets.at(i);
        attempt->handler = [gathering, i, node](const RedisReply &reply, const RedisError &error) {
            gathering->replies[i] = { node, reply, error };
            if (--gathering->left == 0 && gathering->handler)
                gathering->handler(gathering->replies);
        };
        sendTo(node, attempt);
    }
}

void ClusterCommandRouter::dispatch(const AttemptPtr &attempt)
{
    if (attempt->asking) {
        sendTo(attempt->askTarget, attempt);
        return;
    }
    const std::optional<QByteArray> key = CommandKeys::firstKey(attempt->args);
    const ClusterNode *owner = key ? m_topology.ownerOf(ClusterSlot::forKey(*key)) : nullptr;
    // Without a key, or before the map is known: the entry (a MOVED answer says where else).
    sendTo(owner ? owner->address : addressOf(m_entry), attempt);
}

void ClusterCommandRouter::sendTo(const ServerAddress &target, const AttemptPtr &attempt)
{
    attempt->sentTo = target;
    if (target == addressOf(m_entry)) {
        sendNow(m_entry, attempt);
        return;
    }
    Node &node = nodeFor(target);
    if (node.connection->isConnected()) {
        sendNow(node.connection, attempt);
        return;
    }
    node.waiting.append(attempt);
    if (node.connection->state() == RedisConnection::State::Disconnected)
        node.connection->connectToServer();
}

void ClusterCommandRouter::sendNow(CommandConnection *connection, const AttemptPtr &attempt)
{
    QPointer<ClusterCommandRouter> self(this);
    if (attempt->asking)
        connection->sendHere({ "ASKING" }); // its +OK is not needed: the command's answer says it all
    connection->sendHere(attempt->args, [self, attempt](const RedisReply &reply, const RedisError &error) {
        if (self)
            self->handleReply(attempt, reply, error);
        else if (attempt->handler)
            attempt->handler(reply, error);
    });
}

void ClusterCommandRouter::handleReply(
    const AttemptPtr &attempt, const RedisReply &reply, const RedisError &error)
{
    if (attempt->pinned) {
        finish(attempt, reply, error);
        return;
    }
    if (error.isError()) {
        // Never sent (the node was down, or went before the command went out): a fresh map and
        // another go. Anything else may have run on the server: reported as it is.
        if (error.code() == RedisError::Code::NotConnected && attempt->retries < MaxRedirects) {
            refreshTopology();
            retryLater(attempt);
            return;
        }
        finish(attempt, reply, error);
        return;
    }
    if (!reply.isError()) {
        finish(attempt, reply, error);
        return;
    }
    const QByteArray &text = reply.bytes();
    const bool moved = startsWithWord(text, "MOVED");
    const bool ask = !moved && startsWithWord(text, "ASK");
    if (moved || ask) {
        quint16 slot = 0;
        ServerAddress to;
        if (!parseRedirect(text, attempt->sentTo, &slot, &to) || attempt->redirects >= MaxRedirects) {
            finish(attempt, reply, error);
            return;
        }
        ++attempt->redirects;
        ++m_redirectsFollowed;
        qCDebug(lcRedis) << (moved ? "MOVED" : "ASK") << "slot" << slot << "to" << to.displayName();
        if (moved) {
            m_topology.moveSlot(slot, to);
            attempt->asking = false;
            refreshTopology();
        } else {
            attempt->asking = true;
            attempt->askTarget = to;
        }
        dispatch(attempt);
        return;
    }
    if ((startsWithWord(text, "TRYAGAIN") || startsWithWord(text, "CLUSTERDOWN"))
        && attempt->retries < MaxRedirects) {
        retryLater(attempt);
        return;
    }
    finish(attempt, reply, error);
}

void ClusterCommandRouter::retryLater(const AttemptPtr &attempt)
{
    const int delay = FirstRetryDelayMs << attempt->retries;
    ++attempt->retries;
    // After an ASK the retry goes to the importing node again (with ASKING): a multi-key command
    // whose keys are not all there yet is answered TRYAGAIN there until the migration ends, and
    // going back through the old owner would spend a redirection on each round.
    QTimer::singleShot(delay, this, [this, attempt] { dispatch(attempt); });
}

void ClusterCommandRouter::finish(const AttemptPtr &attempt, const RedisReply &reply, const RedisError &error)
{
    if (attempt->handler)
        attempt->handler(reply, error);
}

ClusterCommandRouter::Node &ClusterCommandRouter::nodeFor(const ServerAddress &address)
{
    const QString key = address.displayName();
    if (Node *node = m_nodes.value(key))
        return *node;
    auto *node = new Node;
    node->connection = new CommandConnection(m_options.forServer(address), this);
    connect(node->connection, &RedisConnection::connected, this, [this, key] { nodeConnected(key); });
    connect(node->connection, &RedisConnection::errorOccurred, this,
        [this, key](const RedisError &error) { nodeFailed(key, error); });
    m_nodes.insert(key, node);
    return *node;
}

void ClusterCommandRouter::nodeConnected(const QString &key)
{
    Node *node = m_nodes.value(key);
    if (!node)
        return;
    const QList<AttemptPtr> waiting = std::exchange(node->waiting, {});
    for (const AttemptPtr &attempt : waiting)
        sendNow(node->connection, attempt);
}

void ClusterCommandRouter::nodeFailed(const QString &key, const RedisError &error)
{
    Node *node = m_nodes.value(key);
    if (!node)
        return;
    qCInfo(lcRedis) << "cluster node" << key << "cannot be reached:" << error.message();
    // What waited for it was never sent: it goes again once the map is fresh.
    const QList<AttemptPtr> waiting = std::exchange(node->waiting, {});
    for (const AttemptPtr &attempt : waiting)
        handleReply(attempt, RedisReply(), RedisError(RedisError::Code::NotConnected, error.message()));
}

void ClusterCommandRouter::disconnectNodes()
{
    const QHash<QString, Node *> nodes = std::exchange(m_nodes, {});
    for (Node *node : nodes) {
        node->connection->disconnect(this);
        for (const AttemptPtr &attempt : std::as_const(node->waiting))
            finish(attempt, RedisReply(),
                RedisError(RedisError::Code::NotConnected, tr("Disconnected from the cluster.")));
        node->connection->disconnectFromServer();
        node->connection->deleteLater();
        delete node;
    }
}

bool ClusterCommandRouter::noteMoved(const QByteArray &redirect, const ServerAddress &answered)
{
    quint16 slot = 0;
    ServerAddress to;
    if (!startsWithWord(redirect, "MOVED") || !parseRedirect(redirect, answered, &slot, &to))
        return false;
    m_topology.moveSlot(slot, to);
    Q_EMIT topologyChanged();
    refreshTopology();
    return true;
}

// The whole map, from the entry: after MOVED (the slots moved in a block, most likely), after a
// node could not be reached (a failover). At most once a second.
void ClusterCommandRouter::refreshTopology()
{
    if (m_refreshing || !m_entry->isConnected())
        return;
    if (m_sinceRefresh.isValid() && m_sinceRefresh.elapsed() < RefreshIntervalMs) {
        if (!m_refreshTimer.isActive())
            m_refreshTimer.start(int(RefreshIntervalMs - m_sinceRefresh.elapsed()));
        return;
    }
    m_refreshing = true;
    m_sinceRefresh.start();
    askForTopology("SHARDS");
}

// CLUSTER SHARDS, or CLUSTER SLOTS where SHARDS is refused (ClusterTopology::askSlotsInstead).
void ClusterCommandRouter::askForTopology(const QByteArray &subcommand)
{
    const ServerAddress asked = addressOf(m_entry);
    QPointer<ClusterCommandRouter> self(this);
    m_entry->sendHere({ "CLUSTER", subcommand },
        [self, asked, subcommand](const RedisReply &reply, const RedisError &error) {
            if (!self)
                return;
            if (!error.isError() && subcommand == "SHARDS" && ClusterTopology::askSlotsInstead(reply)) {
                self->askForTopology("SLOTS");
                return;
            }
            self->m_refreshing = false;
            if (error.isError())
                return;
            QString problem;
            const ClusterTopology topology = subcommand == "SHARDS"
                ? ClusterTopology::fromShards(reply, asked, self->m_options.tls.enabled, &problem)
                : ClusterTopology::fromSlots(reply, asked, &problem);
            if (topology.isEmpty()) {
                qCWarning(lcRedis) << "the cluster's map could not be read:" << problem;
                return;
            }
            self->setTopology(topology);
        });
}

} // namespace Redwire
