#pragma once

#include "ConnectionOptions.h"
#include "RedisError.h"

#include <QObject>

namespace Redwire {

class CommandConnection;
class RedisReply;
class ServerRound;

// Finds the master of a Sentinel-watched set: asks the sentinels one after the other
// (`SENTINEL get-master-addr-by-name`) over a short-lived connection each, with a short timeout;
// the first that names it moves to the front of the list, and its `SENTINEL sentinels` answer adds
// the sentinels the URL did not name. One round at a time; it never retries on its own.
class SentinelMasterResolver : public QObject
{
    Q_OBJECT
public:
    explicit SentinelMasterResolver(const ConnectionOptions &options, QObject *parent = nullptr);
    ~SentinelMasterResolver() override;

    // The sentinels known so far, the one that last answered first.
    const QList<ServerAddress> &sentinels() const { return m_sentinels; }
    bool isResolving() const;

    // Starts a round (nothing when one is running): resolved() or failed() follows, never from
    // inside this call.
    void resolve();
    void cancel();

Q_SIGNALS:
    void resolved(const Redwire::ServerAddress &master, const Redwire::ServerAddress &sentinel);
    // No sentinel named the master this round; the message says what each one did.
    void failed(const Redwire::RedisError &error);
    void sentinelsChanged();

private:
    void answered(const RedisReply &reply);
    void mergeSentinels(const RedisReply &reply);

    ConnectionOptions m_options; // for the sentinels: timeouts, TLS, the master's name
    QList<ServerAddress> m_sentinels;
    ServerRound *m_round;
};

} // namespace Redwire
