#pragma once

#include "RedisConnection.h"

namespace Redwire {

// A connection for ordinary commands: any number in flight (pipelined), each reply delivered to
// its own handler, in order. Commands that would change what the connection is (SUBSCRIBE,
// MONITOR, CLIENT REPLY ...) are refused: Pub/Sub has its own SubscriberConnection.
class CommandConnection : public RedisConnection
{
    Q_OBJECT
public:
    explicit CommandConnection(const ConnectionOptions &options = {}, QObject *parent = nullptr);

    // Sends a command given as binary-safe arguments ({"SET", key, value}). The handler is called
    // exactly once: with the reply, or with an error when no reply will come.
    void send(const QList<QByteArray> &args, ReplyHandler handler = {});
    // A cluster client's entry connection: send() hands commands to `route` (which picks the
    // node), and sendHere() sends on this connection itself. Empty: send() sends here.
    using Route = std::function<void(const QList<QByteArray> &args, ReplyHandler handler)>;
    void setRoute(Route route) { m_route = std::move(route); }
    void sendHere(const QList<QByteArray> &args, ReplyHandler handler = {});

    // What a node said to a command sent to every node (sendToEveryNode).
    struct NodeReply
    {
        ServerAddress node;
        RedisReply reply;
        RedisError error;
    };
    using EveryNodeHandler = std::function<void(const QList<NodeReply> &replies)>;
    // Sends the command to every node of the data set and hands over each node's answer, once all
    // have come: on a cluster every node that is not failing, primaries and replicas (PUBSUB NUMSUB, CHANNELS
    // and NUMPAT only know a node's own clients); elsewhere this connection's one server. The
    // handler is called exactly once, never from inside this call.
    using FanOut = std::function<void(const QList<QByteArray> &args, EveryNodeHandler handler)>;
    void setFanOut(FanOut fanOut) { m_fanOut = std::move(fanOut); }
    void sendToEveryNode(const QList<QByteArray> &args, EveryNodeHandler handler);

    // Why send() would refuse these arguments, or an empty string.
    static QString refusalReason(const QList<QByteArray> &args);

private:
    Route m_route;
    FanOut m_fanOut;
};

} // namespace Redwire
