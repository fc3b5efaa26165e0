#pragma once

#include <QByteArray>
#include <QMetaType>

namespace Redwire {

// One Pub/Sub message as the monitor saw it. The byte arrays share their data with what the
// subscriber connection delivered: copying a message copies no payload.
struct MonitoredMessage
{
    qint64 timestampMs = 0; // wall clock when it was received, milliseconds since the epoch (UTC)
    QByteArray channel;
    QByteArray pattern; // the pattern that matched it; empty for a plain channel subscription
    QByteArray payload;
    quint64 sequence = 0; // 1, 2, 3 ... in the order the monitor received messages
};

// The same message while it passes through the monitor, without owning its bytes: what sinks
// and formatters are given, so that the per-message path touches no reference count. Valid only
// during the call; toMessage() keeps a copy.
struct MessageView
{
    MessageView(qint64 timestampMs, const QByteArray &channel, const QByteArray &pattern,
        const QByteArray &payload, quint64 sequence)
        : timestampMs(timestampMs)
        , channel(channel)
        , pattern(pattern)
        , payload(payload)
        , sequence(sequence)
    { }
    MessageView(const MonitoredMessage &message) // implicit: a stored message can always be viewed
        : MessageView(
            message.timestampMs, message.channel, message.pattern, message.payload, message.sequence)
    { }

    MonitoredMessage toMessage() const { return { timestampMs, channel, pattern, payload, sequence }; }

    qint64 timestampMs;
    const QByteArray &channel;
    const QByteArray &pattern;
    const QByteArray &payload;
    quint64 sequence;
};

} // namespace Redwire

Q_DECLARE_METATYPE(Redwire::MonitoredMessage)
