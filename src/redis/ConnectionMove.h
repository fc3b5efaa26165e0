#pragma once

#include "ConnectionOptions.h"

#include <QList>

namespace Redwire {

class RedisConnection;
class RedisError;

// Points connections at another server and reconnects them there at once. One that is up is
// first closed with `why`: to its users an ordinary lost connection (subscriptions are sent
// again, the break is reported as a gap). One that is down, or `first` (nothing connected yet),
// just connects. What SentinelFailover does when the master moves and ClusterNodeFollower when
// its node goes.
void moveConnections(
    const QList<RedisConnection *> &connections, const ServerAddress &to, const RedisError &why, bool first);

} // namespace Redwire
