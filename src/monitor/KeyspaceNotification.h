#pragma once

#include <QByteArray>

#include <optional>

namespace Redwire {

// A keyspace notification read from its channel name and payload: Redis publishes a change to a
// key once on `__keyspace@<db>__:<key>` (payload: the event) and once on
// `__keyevent@<db>__:<event>` (payload: the key), depending on notify-keyspace-events.
// Keys are bytes (any, colons and invalid UTF-8 included); a channel that only looks like one is
// not a notification.
struct KeyspaceNotification
{
    enum class Kind { Keyspace, Keyevent };

    Kind kind = Kind::Keyspace;
    int db = 0;
    QByteArray key;
    QByteArray event;

    // Quick test for the formatters' hot path: could this channel be a notification at all?
    static bool mayBe(const QByteArray &channel) { return channel.startsWith("__key"); }
    // nullopt when the channel is not a well-formed keyspace or keyevent channel.
    static std::optional<KeyspaceNotification> parse(const QByteArray &channel, const QByteArray &payload);
    // The pattern to PSUBSCRIBE for changes to keys matching `keyPattern` in database `db`.
    static QByteArray keyspacePattern(int db, const QByteArray &keyPattern);
    // The other way: a `__keyspace@<db>__:<keys>` pattern's database and key pattern (in `key`);
    // nullopt for any other pattern.
    static std::optional<KeyspaceNotification> parseKeyspacePattern(const QByteArray &pattern);
};

} // namespace Redwire
