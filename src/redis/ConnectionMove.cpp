#include "ConnectionMove.h"

#include "RedisConnection.h"
#include "RedisError.h"

namespace Redwire {

void moveConnections(
    const QList<RedisConnection *> &connections, const ServerAddress &to, const RedisError &why, bool first)
{
    for (RedisConnection *connection : connections) {
        ConnectionOptions options = connection->options();
        options.host = to.host;
        options.port = to.port;
        connection->setOptions(options);
        if (first || connection->state() == RedisConnection::State::Disconnected) {
            connection->connectToServer();
            continue;
        }
        if (connection->state() != RedisConnection::State::Reconnecting)
            connection->failConnection(why);
        connection->reconnectNow();
    }
}

} // namespace Redwire
