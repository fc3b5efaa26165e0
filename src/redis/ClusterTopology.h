#pragma once

#include "ConnectionOptions.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Redwire {

class RedisReply;

// One node of a Redis Cluster as the cluster announces it.
struct ClusterNode
{
    QByteArray id; // the 40-character node ID (empty when the answer did not give it)
    ServerAddress address;
    bool primary = false;
    bool healthy = true; // CLUSTER SHARDS "health": online (CLUSTER SLOTS does not say)
    // Not failed: "online", or a replica still "loading" (Redis 7.0 says so of a replica whose
    // replication offset it has not heard yet, although it answers commands).
    bool reachable = true;
};

// Who serves which slot: read from a node's CLUSTER SHARDS answer (Redis 7.0+) or, from older
// servers, CLUSTER SLOTS. Addresses are the ones the cluster announces; an empty or unknown ("?")
// one means "the node you asked", as Redis documents.
class ClusterTopology
{
public:
    ClusterTopology();

    // `asked`: the node the answer came from. `tls`: take the nodes' "tls-port" where given.
    // An empty topology with `*error` set when the answer is not one.
    static ClusterTopology fromShards(
        const RedisReply &reply, const ServerAddress &asked, bool tls, QString *error = nullptr);
    static ClusterTopology fromSlots(
        const RedisReply &reply, const ServerAddress &asked, QString *error = nullptr);
    // An error answer to CLUSTER SHARDS that CLUSTER SLOTS may not give: a server before 7.0
    // ("unknown subcommand"), or an ACL user allowed cluster|slots and not cluster|shards.
    static bool askSlotsInstead(const RedisReply &shardsReply);

    bool isEmpty() const { return m_nodes.isEmpty(); }
    const QList<ClusterNode> &nodes() const { return m_nodes; }
    // The primary serving the slot, or nullptr when no node covers it.
    const ClusterNode *ownerOf(quint16 slot) const;
    int coveredSlots() const;
    // A MOVED answer: the slot is served by this node now (a primary, added when unknown).
    void moveSlot(quint16 slot, const ServerAddress &to);
    // The nodes that serve at least one slot.
    QList<ServerAddress> slotOwners() const;
    // The nodes' addresses: healthy ones first (primaries before replicas), each once.
    QList<ServerAddress> addresses() const;

private:
    int addNode(const ClusterNode &node);
    void assign(qint64 first, qint64 last, int node);

    QList<ClusterNode> m_nodes;
    QList<qint16> m_owner; // per slot: index into m_nodes, -1 when uncovered
};

} // namespace Redwire
Q_DECLARE_METATYPE(Redwire::ClusterTopology)
