#pragma once

#include "ClusterTopology.h"
#include "CommandConnection.h"
#include "ConnectionOptions.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>

namespace Redwire {

// Sends a cluster client's commands to the node that serves their key. A command without a key
// goes out on the client's own command connection (the entry, on whichever node the client is
// on); one with a key goes to the primary owning its slot, over a connection per node opened on
// demand (commands wait for it to connect). Redirections are followed, at most 5 per command:
// MOVED (the slot's new owner noted, the whole map asked again at most once a second), ASK
// (ASKING, then the command, on the node importing the slot; the map stays), TRYAGAIN and
// CLUSTERDOWN (again after 100, 200, 400 ... ms). A node that cannot be reached makes a command
// that was never sent wait for a fresh map and go again; one that may have run is reported.
class ClusterCommandRouter : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxRedirects = 5;

    ClusterCommandRouter(
        const ConnectionOptions &options, CommandConnection *entry, QObject *parent = nullptr);
    ~ClusterCommandRouter() override;

    void setTopology(const ClusterTopology &topology);
    const ClusterTopology &topology() const { return m_topology; }

    // The handler is called exactly once, never from inside this call.
    void send(const QList<QByteArray> &args, CommandConnection::ReplyHandler handler);
    // The command on every node of the map that is not failing (the entry alone while none is
    // known), with no redirection followed: each node's own answer, or why it gave none.
    void sendToEveryNode(const QList<QByteArray> &args, CommandConnection::EveryNodeHandler handler);
    // Closes the connections to the other nodes; waiting commands fail.
    void disconnectNodes();
    // Reads the whole map again from the entry (at most once a second; topologyChanged() when it
    // is in): after a node was lost, or a subscription ended because its slot moved.
    void refreshTopology();
    // A "MOVED <slot> <host:port>" answer that `answered` gave outside this router (to a shard
    // subscription): the slot is noted as moved (topologyChanged()) and the map read again.
    // False when the text is not a MOVED answer.
    bool noteMoved(const QByteArray &redirect, const ServerAddress &answered);

    // For tests and logs: redirections followed so far, node connections open.
    int redirectsFollowed() const { return m_redirectsFollowed; }
    int nodeConnectionCount() const { return int(m_nodes.size()); }

Q_SIGNALS:
    void topologyChanged();

private:
    struct Attempt;
    struct Node;
    using AttemptPtr = std::shared_ptr<Attempt>;

    void dispatch(const AttemptPtr &attempt);
    void sendTo(const ServerAddress &target, const AttemptPtr &attempt);
    void sendNow(CommandConnection *connection, const AttemptPtr &attempt);
    void handleReply(const AttemptPtr &attempt, const RedisReply &reply, const RedisError &error);
    void retryLater(const AttemptPtr &attempt);
    void finish(const AttemptPtr &attempt, const RedisReply &reply, const RedisError &error);
    Node &nodeFor(const ServerAddress &address);
    void nodeConnected(const QString &key);
    void nodeFailed(const QString &key, const RedisError &error);
    void askForTopology(const QByteArray &subcommand);

    ConnectionOptions m_options;
    CommandConnection *m_entry;
    ClusterTopology m_topology;
    QHash<QString, Node *> m_nodes; // by ServerAddress::displayName()
    QElapsedTimer m_sinceRefresh;
    QTimer m_refreshTimer;
    bool m_refreshing = false;
    int m_redirectsFollowed = 0;
};

} // namespace Redwire
