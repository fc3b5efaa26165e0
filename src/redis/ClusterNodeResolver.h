#pragma once

#include "ClusterTopology.h"
#include "ConnectionOptions.h"
#include "RedisError.h"

#include <QObject>

namespace Redwire {

class CommandConnection;
class RedisReply;
class ServerRound;

// Finds a cluster node that answers: asks the candidates one after the other, each over a
// short-lived connection with the user's credentials and a short timeout, for CLUSTER SHARDS
// (CLUSTER SLOTS from a server older than 7.0). The first that answers with a topology is the
// node found. One round at a time; it never retries on its own.
class ClusterNodeResolver : public QObject
{
    Q_OBJECT
public:
    explicit ClusterNodeResolver(const ConnectionOptions &options, QObject *parent = nullptr);
    ~ClusterNodeResolver() override;

    bool isResolving() const;
    // Starts a round over `candidates` (nothing when one is running or the list is empty):
    // resolved() or failed() follows, never from inside this call.
    void resolve(const QList<ServerAddress> &candidates);
    void cancel();

Q_SIGNALS:
    void resolved(const Redwire::ServerAddress &node, const Redwire::ClusterTopology &topology);
    // No candidate answered; the message says what each one did.
    void failed(const Redwire::RedisError &error);

private:
    void ask(CommandConnection *connection, const QByteArray &subcommand);
    void answered(const QByteArray &subcommand, const RedisReply &reply);

    ConnectionOptions m_options;
    ServerRound *m_round;
};

} // namespace Redwire
