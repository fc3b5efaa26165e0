#include "ClusterNodeResolver.h"

#include "CommandConnection.h"
#include "RedisReply.h"
#include "ServerRound.h"

#include <QCoreApplication>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

namespace {
// A connection to one candidate: the user's credentials and TLS, short timeouts, no
// reconnecting (the next candidate is asked instead), no heartbeat.
ConnectionOptions probeOptions(const ConnectionOptions &options, const ServerAddress &node)
{
    ConnectionOptions result = options.forServer(node);
    result.connectTimeoutMs = options.discoveryTimeoutMs;
    result.commandTimeoutMs = options.discoveryTimeoutMs;
    result.heartbeatIntervalMs = 0;
    result.reconnect.enabled = false;
    return result;
}

} // namespace

ClusterNodeResolver::ClusterNodeResolver(const ConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_round(new ServerRound(
          QStringLiteral("cluster node"), options.discoveryTimeoutMs,
          [options](const ServerAddress &node) { return probeOptions(options, node); }, this))
{
    connect(m_round, &ServerRound::exhausted, this, [this](const QStringList &problems) {
        Q_EMIT failed(RedisError(RedisError::Code::ConnectionRefused,
            tr("No node of the cluster answered (%1).").arg(problems.join(QStringLiteral("; ")))));
    });
}

ClusterNodeResolver::~ClusterNodeResolver() = default;

bool ClusterNodeResolver::isResolving() const
{
    return m_round->isRunning();
}

void ClusterNodeResolver::resolve(const QList<ServerAddress> &candidates)
{
    m_round->start(candidates, [this](CommandConnection *connection) { ask(connection, "SHARDS"); });
}

void ClusterNodeResolver::cancel()
{
    m_round->cancel();
}

void ClusterNodeResolver::ask(CommandConnection *connection, const QByteArray &subcommand)
{
    connection->send({ "CLUSTER", subcommand },
        [this, connection, subcommand](const RedisReply &reply, const RedisError &error) {
            if (!m_round->isCurrent(connection))
                return;
            if (error.isError())
                m_round->reject(error.message());
            else if (subcommand == "SHARDS" && ClusterTopology::askSlotsInstead(reply))
                ask(connection, "SLOTS"); // Redis 6 and older, or an ACL without cluster|shards
            else
                answered(subcommand, reply);
        });
}

void ClusterNodeResolver::answered(const QByteArray &subcommand, const RedisReply &reply)
{
    const ServerAddress node = m_round->current();
    if (reply.isError()) {
        const QByteArray text = reply.bytes();
        m_round->reject(text.contains("cluster support disabled")
                ? tr("it is not a cluster node (cluster support is disabled there)")
                : QString::fromUtf8(text));
        return;
    }
    QString problem;
    const ClusterTopology topology = subcommand == "SHARDS"
        ? ClusterTopology::fromShards(reply, node, m_options.tls.enabled, &problem)
        : ClusterTopology::fromSlots(reply, node, &problem);
    if (topology.isEmpty()) {
        m_round->reject(problem);
        return;
    }
    if (CommandConnection *connection = m_round->accept()) {
        connection->disconnectFromServer();
        connection->deleteLater();
    }
    qCInfo(lcRedis) << "cluster node" << node.displayName() << "answered:" << topology.nodes().size()
                    << "nodes," << topology.coveredSlots() << "slots covered";
    Q_EMIT resolved(node, topology);
}

} // namespace Redwire
