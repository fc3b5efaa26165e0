#pragma once

#include <QByteArrayList>
#include <QMetaType>
#include <QString>

namespace Redwire {

// A break in the monitor's subscription: from `sinceMs`, the last moment it is known to have been
// subscribed, to `timeMs`, when every topic was confirmed again (or when the monitor stopped still
// without them). Messages published in between may have been missed; Pub/Sub cannot say which.
struct SubscriptionGap
{
    // Why the subscription broke, as far as the monitor can tell. Stable names in causeName().
    enum class Cause {
        ConnectionLost, // the connection ended; nothing more is known
        ConnectionFailed, // a timeout or protocol error on the subscriber connection
        HeartbeatTimeout, // the subscriber went silent and was replaced
        ServerLost, // both connections were lost, or the server could not be reached: restart, network
        Killed, // the server closed only the subscriber connection: CLIENT KILL, an ACL change
        ProbablyOutputBufferLimit, // as Killed, while a backlog was arriving or the monitor had stalled
        OutputBufferLimit, // as Killed, right after the server held output near its pubsub limit
    };

    qint64 sinceMs = 0; // milliseconds since the epoch (UTC)
    qint64 timeMs = 0;
    Cause cause = Cause::ConnectionLost;
    QString reason; // a sentence for people (translated)
    bool resumed = true; // false: the monitor stopped before the subscription was back
    // The topics the break hid: empty for all of them; on a cluster, shard channels can break alone.
    QByteArrayList channels;

    // "connection-lost", "connection-failed", "heartbeat-timeout", "server-lost", "killed",
    // "probably-output-buffer-limit", "output-buffer-limit".
    static const char *causeName(Cause cause);
};

} // namespace Redwire

Q_DECLARE_METATYPE(Redwire::SubscriptionGap)
