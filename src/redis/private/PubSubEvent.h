#pragma once

#include <QByteArray>

namespace Redwire {

// One Pub/Sub frame from the server, already checked and copied out of hiredis.
struct PubSubEvent
{
    enum class Kind {
        Message,
        PatternMessage,
        Subscribed,
        Unsubscribed,
        PatternSubscribed,
        PatternUnsubscribed,
        Error, // an error reply to a (P)SUBSCRIBE; the text is in payload
        Pong, // the answer to a liveness PING
        // Sharded Pub/Sub (Redis 7): hiredis's async layer does not know these frames; ReplyGuard
        // reads them while the reader builds them and reports them.
        ShardMessage,
        ShardSubscribed,
        ShardUnsubscribed,
    };
    Kind kind = Kind::Message;
    QByteArray pattern; // PatternMessage only
    QByteArray channel; // the channel, or the pattern for (un)subscribe confirmations
    QByteArray payload;
    qint64 count = 0; // subscriptions left, for confirmations
    // When the socket read that brought the frame returned: wall clock, ms since the epoch (UTC).
    qint64 readTimeMs = 0;
};

} // namespace Redwire
