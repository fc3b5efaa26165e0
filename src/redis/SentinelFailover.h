#pragma once

#include "ConnectionOptions.h"
#include "RedisError.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace Redwire {

class RedisConnection;
class SentinelEventWatch;
class SentinelMasterResolver;
class ReconnectBackoff;

// Keeps a set of connections on the master that Sentinel names. It resolves the master before the
// first connect; checks with ROLE that the server it reached is the master; moves the connections
// at once on +switch-master from any sentinel, on a -READONLY answer, and when they lose the
// server and the sentinels name another. Moving closes a connection with an error that says why
// and reconnects it to the new address at once: to its users it is a reconnect (subscriptions are
// sent again, the break is reported as one). A Cluster client would use the same moving for each
// node's connections, with a slot map instead of the sentinels.
class SentinelFailover : public QObject
{
    Q_OBJECT
public:
    // `connections` are the client's (commands first: ROLE is asked there); not owned.
    SentinelFailover(
        const ConnectionOptions &options, QList<RedisConnection *> connections, QObject *parent = nullptr);
    ~SentinelFailover() override;

    void start();
    void stop();
    ServerAddress master() const { return m_master; }
    QList<ServerAddress> sentinels() const;

Q_SIGNALS:
    // The connections are being moved to this master (the first time: they are connecting to it).
    void masterChanged(const Redwire::ServerAddress &master, const QString &reason);
    void sentinelEvent(
        const Redwire::ServerAddress &sentinel, const QByteArray &event, const QByteArray &detail);
    // No sentinel could name the master; asking again after nextRetryMs.
    void resolutionFailed(const Redwire::RedisError &error, int nextRetryMs);

private:
    // Asks the sentinels again; with `insist`, again and again (backoff) while they name the
    // same server, until ROLE says it is the master.
    void resolveSoon(const QString &why, bool insist);
    void resolved(const ServerAddress &master);
    void moveTo(const ServerAddress &master, const QString &reason);
    void checkRole();
    void connectionFailed();

    ConnectionOptions m_options;
    QList<RedisConnection *> m_connections;
    SentinelMasterResolver *m_resolver;
    SentinelEventWatch *m_watch;
    std::unique_ptr<ReconnectBackoff> m_backoff;
    QTimer m_retryTimer;
    ServerAddress m_master;
    bool m_insist = false;
    bool m_running = false;
    bool m_moving = false; // our own closing of the connections is not a failure to look into
};

} // namespace Redwire
