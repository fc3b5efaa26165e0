#pragma once

#include "SubscriptionGap.h"

#include <QByteArray>
#include <QMetaType>

#include <memory>

namespace Redwire {

// One Pub/Sub message as the monitor saw it. The byte arrays share their data with what the
// subscriber connection delivered: copying a message copies no payload.
// An entry of the monitor's history can also mark a break in the subscription instead: then `gap`
// is set, `timestampMs` is the gap's end, and the other fields are empty.
struct MonitoredMessage
{
    qint64 timestampMs = 0; // wall clock when it was received, milliseconds since the epoch (UTC)
    QByteArray channel;
    QByteArray pattern; // the pattern that matched it; empty for a plain channel subscription
    QByteArray payload;
    quint64 sequence = 0; // 1, 2, 3 ... in the order the monitor received messages; 0 for a gap
    std::shared_ptr<const SubscriptionGap> gap;
    bool sharded = false; // SPUBLISHed, received on a shard channel subscription (SSUBSCRIBE)

    bool isGap() const { return bool(gap); }
    static MonitoredMessage fromGap(const SubscriptionGap &gap)
    {
        MonitoredMessage entry;
        entry.timestampMs = gap.timeMs;
        entry.gap = std::make_shared<const SubscriptionGap>(gap);
        return entry;
    }
};

// The same message while it passes through the monitor, without owning its bytes: what sinks
// and formatters are given, so that the per-message path touches no reference count. Valid only
// during the call; toMessage() keeps a copy.
struct MessageView
{
    MessageView(qint64 timestampMs, const QByteArray &channel, const QByteArray &pattern,
        const QByteArray &payload, quint64 sequence, bool sharded = false)
        : timestampMs(timestampMs)
        , channel(channel)
        , pattern(pattern)
        , payload(payload)
        , sequence(sequence)
        , sharded(sharded)
    { }
    MessageView(const MonitoredMessage &message) // implicit: a stored message can always be viewed
        : MessageView(message.timestampMs, message.channel, message.pattern, message.payload,
            message.sequence, message.sharded)
    { }

    MonitoredMessage toMessage() const
    {
        return { timestampMs, channel, pattern, payload, sequence, {}, sharded };
    }

    qint64 timestampMs;
    const QByteArray &channel;
    const QByteArray &pattern;
    const QByteArray &payload;
    quint64 sequence;
    bool sharded;
};

} // namespace Redwire

Q_DECLARE_METATYPE(Redwire::MonitoredMessage)
