#pragma once

#include "ClusterTopology.h"
#include "ConnectionOptions.h"
#include "RedisError.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace Redwire {

class ClusterNodeResolver;
class RedisConnection;
class ReconnectBackoff;

// Keeps a client's connections on one node of a Redis Cluster, for what every node serves alike:
// classic Pub/Sub (a PUBLISH on any node reaches the subscribers of all) and commands without
// keys. It finds a node that answers, the seeds first; when a connection to that node fails, it
// looks again with that node last, and the connections move to the first node that answers (to
// the same one when it is back first). Moving is a lost connection to the connections' users:
// subscriptions are sent again, the break is a gap. Commands on keys and sharded channels need
// the slot map (topology()) and a connection per node: not here yet.
class ClusterNodeFollower : public QObject
{
    Q_OBJECT
public:
    // `connections` are the client's; not owned.
    ClusterNodeFollower(
        const ConnectionOptions &options, QList<RedisConnection *> connections, QObject *parent = nullptr);
    ~ClusterNodeFollower() override;

    void start();
    void stop();
    ServerAddress node() const { return m_node; }
    const ClusterTopology &topology() const { return m_topology; }

Q_SIGNALS:
    // The connections are being moved to this node (the first time: they are connecting to it).
    void nodeChanged(const Redwire::ServerAddress &node, const QString &reason);
    // No node answered; asking again after nextRetryMs.
    void resolutionFailed(const Redwire::RedisError &error, int nextRetryMs);

private:
    QList<ServerAddress> candidates() const;
    void resolveSoon(const QString &why);
    void resolved(const ServerAddress &node, const ClusterTopology &topology);
    void connectionFailed();

    ConnectionOptions m_options;
    QList<RedisConnection *> m_connections;
    ClusterNodeResolver *m_resolver;
    std::unique_ptr<ReconnectBackoff> m_backoff;
    QTimer m_retryTimer;
    ClusterTopology m_topology;
    ServerAddress m_node;
    bool m_running = false;
    bool m_moving = false; // our own closing of the connections is not a failure to look into
};

} // namespace Redwire
