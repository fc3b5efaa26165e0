#include "ClusterNodeFollower.h"

#include "ClusterNodeResolver.h"
#include "ConnectionMove.h"
#include "ReconnectBackoff.h"
#include "RedisConnection.h"

#include <QCoreApplication>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

ClusterNodeFollower::ClusterNodeFollower(
    const ConnectionOptions &options, QList<RedisConnection *> connections, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_connections(std::move(connections))
    , m_resolver(new ClusterNodeResolver(options, this))
    , m_backoff(std::make_unique<ReconnectBackoff>(options.reconnect))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] { m_resolver->resolve(candidates()); });
    connect(m_resolver, &ClusterNodeResolver::resolved, this, &ClusterNodeFollower::resolved);
    connect(m_resolver, &ClusterNodeResolver::failed, this, [this](const RedisError &error) {
        if (!m_running)
            return;
        const int delay = m_backoff->nextDelayMs();
        qCWarning(lcRedis) << error.message() << "- asking again in" << delay << "ms";
        m_retryTimer.start(delay);
        Q_EMIT resolutionFailed(error, delay);
    });
    for (RedisConnection *connection : std::as_const(m_connections)) {
        connect(connection, &RedisConnection::errorOccurred, this, &ClusterNodeFollower::connectionFailed);
        connect(connection, &RedisConnection::connected, this, [this] { m_backoff->reset(); });
    }
}

ClusterNodeFollower::~ClusterNodeFollower() = default;

void ClusterNodeFollower::start()
{
    if (m_running)
        return;
    m_running = true;
    m_node = {};
    m_backoff->reset();
    m_resolver->resolve(candidates());
}

void ClusterNodeFollower::stop()
{
    m_running = false;
    m_retryTimer.stop();
    m_resolver->cancel();
}

// The nodes the cluster announced (healthy primaries first), then the seeds; the node the
// connections are on comes last: when it failed, another one is better.
QList<ServerAddress> ClusterNodeFollower::candidates() const
{
    QList<ServerAddress> result;
    for (const QList<ServerAddress> &list : { m_topology.addresses(), m_options.seeds }) {
        for (const ServerAddress &address : list) {
            if (address != m_node && !result.contains(address))
                result.append(address);
        }
    }
    if (m_node.isValid())
        result.append(m_node);
    return result;
}

void ClusterNodeFollower::resolveSoon(const QString &why)
{
    if (!m_running || m_resolver->isResolving() || m_retryTimer.isActive())
        return;
    qCInfo(lcRedis) << "looking for a cluster node again:" << why;
    m_resolver->resolve(candidates());
}

void ClusterNodeFollower::resolved(const ServerAddress &node, const ClusterTopology &topology)
{
    if (!m_running)
        return;
    m_topology = topology;
    if (node == m_node) {
        // The same node answers again: the connections need not wait for their backoff.
        for (RedisConnection *connection : std::as_const(m_connections)) {
            if (connection->state() == RedisConnection::State::Reconnecting)
                connection->reconnectNow();
        }
        return;
    }
    const bool first = !m_node.isValid();
    const QString reason = first ? tr("%1 answered for the cluster").arg(node.displayName())
                                 : tr("%1 failed; %2 answers").arg(m_node.displayName(), node.displayName());
    const RedisError moved(RedisError::Code::ConnectionLost,
        tr("Moving to cluster node %1 (%2).").arg(node.displayName(), reason));
    qCInfo(lcRedis) << "on cluster node" << node.displayName() << "-" << reason;
    m_node = node;
    m_moving = true;
    moveConnections(m_connections, node, moved, first);
    m_moving = false;
    Q_EMIT nodeChanged(node, reason);
}

void ClusterNodeFollower::connectionFailed()
{
    if (!m_moving)
        resolveSoon(tr("the connection to %1 failed").arg(m_node.displayName()));
}

} // namespace Redwire
