#pragma once

#include "ReceiveHistory.h"
#include "SlowSubscriberWatch.h"
#include "SubscriptionGap.h"

#include "redis/RedisError.h"

#include <QStringList>

namespace Redwire {

// Why the subscriber connection broke, from what the monitor could gather: the error the connection
// reported, whether the server still answered on the command connection, the slow-subscriber
// watch's last reading and what arrived just before the close. Redis says nothing when it drops a
// subscriber for `client-output-buffer-limit pubsub` (it closes the socket, and 7.0 counts it
// nowhere), so that cause is inferred: stated when the watch saw the output near the limit, given as
// "probably" when the connection closed during a burst of backlog or right after a stall.
struct DisconnectEvidence
{
    enum class ServerState {
        Unknown, // not asked yet, or no answer before the gap was recorded
        Answered, // answered on the command connection after the subscriber connection closed
        Lost, // the command connection was lost too, or could not ask
    };

    RedisError error; // as the subscriber connection reported it
    ServerState server = ServerState::Unknown;
    bool unreachable = false; // a reconnect attempt was refused or timed out
    SlowSubscriberWatch::Level watchLevel = SlowSubscriberWatch::Level::Unknown;
    qint64 watchBytes = -1; // output the server held for us at the last reading
    qint64 watchAgeMs = -1; // how long before the close that reading was; -1: none
    SlowSubscriberWatch::Limits limits;
    ReceiveHistory::Burst burst;
    QStringList refusedTopics; // refused while subscribing again
};

class DisconnectDiagnosis
{
public:
    // A burst of at least this much, and twice what the rate before it would bring, is a backlog.
    static constexpr quint64 BacklogBytes = 32 * 1024;
    // The event loop standing still this long just before the close makes the monitor a slow reader.
    static constexpr qint64 StallMs = 1000;
    // The watch's reading counts when it is at most this old.
    static constexpr qint64 FreshReadingMs = 5000;

    static SubscriptionGap::Cause causeOf(const DisconnectEvidence &evidence);
    // A sentence for the gap's reason.
    static QString reason(const DisconnectEvidence &evidence);
    // "pubsub 64 KiB hard, 32 KiB soft for 1 s"; empty when not known.
    static QString limitsText(const SlowSubscriberWatch::Limits &limits);
};

} // namespace Redwire
