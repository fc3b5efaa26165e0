#pragma once

#include "ConnectionOptions.h"
#include "RedisError.h"
#include "SubscriberConnection.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>

namespace Redwire {

class ClusterCommandRouter;

// A cluster client's sharded channels (SSUBSCRIBE): a shard channel lives on the primary serving
// its slot, so each is subscribed there, over one SubscriberConnection per primary that serves a
// wanted channel (opened on demand, closed when none is left). The slot map is the command
// router's. Every change of it moves the channels whose owner changed; so does the server ending a
// subscription (its slot moved, or the shard failed over: the map is read again first) and a MOVED
// answer to SSUBSCRIBE (at most ClusterCommandRouter::MaxRedirects in a row per channel). While
// any channel is wanted the map is read again every few seconds: a primary stopped without
// closing its connections is noticed once the cluster has failed it over.
//
// A subscription that was confirmed and then broke (its node's connection lost, the channel moved
// or dropped) is reported by channelsInterrupted(); it is back at its subscribed(). Messages go to
// the handler and shardMessageReceived() as a SubscriberConnection's do.
//
// The same connections carry the patterns that must be heard on every primary: keyspace
// notifications (`__keyspace@…`) are published only by the node that holds the key. Such a
// pattern is subscribed on each primary of the map (a new one after a failover, as soon as the map
// names it); it counts as subscribed() once every primary has confirmed it, and as interrupted
// (channelsInterrupted, with the patterns among the names) when one of them is lost or a primary
// it is not confirmed on yet joins. Its messages go to the handler's handlePatternMessage().
class ClusterShardSubscribers : public QObject
{
    Q_OBJECT
public:
    static constexpr int RefreshIntervalMs = 5000;

    // `heartbeatChannel`: the client subscriber's (every node hears the client's heartbeats).
    ClusterShardSubscribers(const ConnectionOptions &options, ClusterCommandRouter *router,
        const QByteArray &heartbeatChannel, QObject *parent = nullptr);
    ~ClusterShardSubscribers() override;

    // Not owned; it must outlive this object or be removed first.
    void setMessageHandler(SubscriberConnection::MessageHandler *handler);

    // Nothing connects before start(); stop() closes every node's connection and keeps the wanted
    // channels for the next start().
    void start();
    void stop();

    bool subscribe(const QByteArray &shardChannel);
    void unsubscribe(const QByteArray &shardChannel);
    QList<QByteArray> channels() const { return m_assigned.keys(); }

    // Patterns on every primary (above).
    bool psubscribeEveryPrimary(const QByteArray &pattern);
    void punsubscribeEveryPrimary(const QByteArray &pattern);
    QList<QByteArray> everyPrimaryPatterns() const { return m_everyPrimary.values(); }
    bool isPatternActive(const QByteArray &pattern) const { return m_patternsActive.contains(pattern); }
    // When the map last named this node without slots (a replica), ms since the epoch; -1 if never.
    // A primary that joined published nothing for these patterns before then.
    qint64 notPrimaryAtMs(const ServerAddress &node) const;
    bool isActive(const QByteArray &shardChannel) const { return m_active.contains(shardChannel); }
    // The node the channel is subscribed on (or being subscribed on); invalid while no node serves
    // its slot.
    ServerAddress nodeOf(const QByteArray &shardChannel) const;
    // The node connections open now (for tests and the monitor's health view).
    QList<SubscriberConnection *> connections() const;
    // While a message is being handed over: when the read that brought it returned (ms since the
    // epoch), as SubscriberConnection::messageReadTimeMs().
    qint64 messageReadTimeMs() const;
    // True while one of its connections hands a message over (the handler is shared with others).
    bool isDelivering() const { return m_delivering != nullptr; }

Q_SIGNALS:
    void shardMessageReceived(const QByteArray &shardChannel, const QByteArray &payload);
    // Kind: ShardChannel, or Pattern for the patterns on every primary (the signals of
    // SubscriberConnection, for the same receivers).
    void subscribed(Redwire::SubscriberConnection::TopicKind kind, const QByteArray &name);
    void unsubscribed(Redwire::SubscriberConnection::TopicKind kind, const QByteArray &name);
    void subscriptionFailed(Redwire::SubscriberConnection::TopicKind kind, const QByteArray &name,
        const Redwire::RedisError &error);
    // Confirmed subscriptions that broke on `node`; messages may be missed until each one's
    // subscribed().
    void channelsInterrupted(
        const Redwire::ServerAddress &node, const QList<QByteArray> &channels, const QString &reason);
    // A node's connection heard the client's heartbeat channel (a heartbeat or a time mark).
    void heartbeatReceived(const Redwire::ServerAddress &node, const QByteArray &payload);

private:
    struct Node;
    class NodeHandler;

    void reconcile();
    void place(const QByteArray &channel, const ServerAddress &owner);
    Node &nodeFor(const ServerAddress &address);
    void closeIdleNodes();
    void closeNode(Node *node);
    void interrupt(const ServerAddress &node, const QList<QByteArray> &channels, const QString &reason);
    void nodeStateChanged(Node *node);
    void nodeSubscribed(Node *node, const QByteArray &channel);
    void nodeUnsubscribed(Node *node, const QByteArray &channel);
    void nodeRefused(Node *node, const QByteArray &channel, const RedisError &error);
    void nodeDropped(Node *node, const QByteArray &channel);
    bool usable(SubscriberConnection::TopicKind kind, const QByteArray &name);
    void wantedMore();
    bool forgetPattern(const QByteArray &pattern);
    QList<ServerAddress> primaries() const;
    bool patternOnEveryPrimary(const QByteArray &pattern) const;
    void patternConfirmed(const QByteArray &pattern);
    void patternRefused(const QByteArray &pattern, const RedisError &error);
    QList<QByteArray> patternsBroken();
    bool wantsAnything() const { return !m_assigned.isEmpty() || !m_everyPrimary.isEmpty(); }

    ConnectionOptions m_options;
    ClusterCommandRouter *m_router;
    QByteArray m_heartbeatChannel;
    SubscriberConnection::MessageHandler *m_handler = nullptr;
    QHash<QString, Node *> m_nodes; // by ServerAddress::displayName()
    // Wanted channels and the node each is placed on (displayName; empty: no owner known yet).
    QHash<QByteArray, QString> m_assigned;
    QSet<QByteArray> m_active; // confirmed on their node
    QHash<QByteArray, int> m_redirects; // MOVED answers in a row
    QSet<QByteArray> m_everyPrimary; // patterns wanted on every primary
    QSet<QByteArray> m_patternsActive; // ... and confirmed on each
    QHash<QString, qint64> m_notPrimaryAtMs;
    QTimer m_refreshTimer { this };
    const SubscriberConnection *m_delivering = nullptr;
    bool m_running = false;
};

} // namespace Redwire
