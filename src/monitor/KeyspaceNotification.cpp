#include "KeyspaceNotification.h"

namespace Redwire {

namespace {
constexpr int MaxDatabaseDigits = 9; // far above any server's `databases`, and no int overflow

// From `at` in a `__keyspace@` or `__keyevent@` channel: <db> as decimal digits, then "__:" and
// the rest (the key or event, which may hold "__:" too).
bool splitDatabaseAndName(const QByteArray &channel, qsizetype at, int *db, QByteArray *name)
{
    qsizetype digits = 0;
    int number = 0;
    while (at + digits < channel.size() && channel.at(at + digits) >= '0' && channel.at(at + digits) <= '9') {
        if (++digits > MaxDatabaseDigits)
            return false;
        number = number * 10 + (channel.at(at + digits - 1) - '0');
    }
    if (digits == 0 || channel.mid(at + digits, 3) != "__:")
        return false;
    *db = number;
    *name = channel.mid(at + digits + 3);
    return true;
}
} // namespace

std::optional<KeyspaceNotification> KeyspaceNotification::parse(
    const QByteArray &channel, const QByteArray &payload)
{
    KeyspaceNotification notification;
    qsizetype at;
    if (channel.startsWith("__keyspace@")) {
        notification.kind = Kind::Keyspace;
        at = 11;
    } else if (channel.startsWith("__keyevent@")) {
        notification.kind = Kind::Keyevent;
        at = 11;
    } else {
        return std::nullopt;
    }
    int db = 0;
    QByteArray name;
    if (!splitDatabaseAndName(channel, at, &db, &name))
        return std::nullopt;
    // An empty key is a valid key (SET "" 1); an empty event is not an event.
    if ((notification.kind == Kind::Keyspace ? payload : name).isEmpty())
        return std::nullopt;
    notification.db = db;
    if (notification.kind == Kind::Keyspace) {
        notification.key = name;
        notification.event = payload;
    } else {
        notification.event = name;
        notification.key = payload;
    }
    return notification;
}

std::optional<KeyspaceNotification> KeyspaceNotification::parseKeyspacePattern(const QByteArray &pattern)
{
    KeyspaceNotification watch;
    if (!pattern.startsWith("__keyspace@") || !splitDatabaseAndName(pattern, 11, &watch.db, &watch.key))
        return std::nullopt;
    return watch;
}

QByteArray KeyspaceNotification::keyspacePattern(int db, const QByteArray &keyPattern)
{
    return "__keyspace@" + QByteArray::number(db)
        + "__:" + (keyPattern.isEmpty() ? QByteArray("*") : keyPattern);
}

} // namespace Redwire
