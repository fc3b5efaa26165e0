#pragma once

#include "redis/ConnectionOptions.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Redwire {

// Where a conversation lives in Redis: its Pub/Sub channel and its keys (docs/PROTOCOL.md).
// A room "chat" is channel "chat" with keys "redwire:{room:chat}:..."; the direct conversation
// of alice and bob is channel "dm:{alice|bob}" (nicknames sorted) with keys
// "redwire:{dm:alice|bob}:...". The hash tag keeps one conversation's keys in one cluster slot.
class RoomAddress
{
public:
    enum class Kind { Room, Direct };

    static constexpr int MaxRoomNameBytes = 200;
    static constexpr int MaxNicknameBytes = 64;

    RoomAddress() = default; // invalid

    // Invalid when the name or nicknames are refused (see roomNameProblem / nicknameProblem).
    static RoomAddress room(const QString &name);
    static RoomAddress direct(const QString &me, const QString &peer);
    // The direct conversation a "dm:{a|b}" channel belongs to, seen from `me`; invalid when the
    // channel is not well-formed or `me` is not one of the two.
    static RoomAddress fromDirectChannel(const QByteArray &channel, const QString &me);

    // Why a name cannot be used, translated for the user; empty when it can.
    static QString roomNameProblem(const QString &name);
    static QString nicknameProblem(const QString &nickname);
    static bool mixesScripts(QStringView nickname);
    // A nickname that breaks the rules, written so that its hidden characters show.
    static QString escapedNickname(QStringView nickname);

    // The PSUBSCRIBE patterns that catch every direct conversation of `nickname`.
    static QList<QByteArray> directPatterns(const QString &nickname);
    // Sorted set of the conversations `nickname` takes part in (peer -> last activity, ms).
    static QByteArray directIndexKey(const QString &nickname);
    // Hash of `nickname`'s read markers (channel -> newest stream ID read), shared by its devices.
    static QByteArray readMarkersKey(const QString &nickname);
    // The channel where a device of `nickname` says that it moved a read marker (the payload is
    // the conversation's channel), so that the others read the markers again.
    static QByteArray readMarkersMovedChannel(const QString &nickname);
    // Whether `nickname` is connected anywhere, and how: "online" or "away", expiring (UserPresence).
    static QByteArray userPresenceKey(const QString &nickname);
    // The nickname's published public keys (a hash: key id -> {"key","created"}).
    static QByteArray signingKeysKey(const QString &nickname);

    bool isValid() const { return !m_channel.isEmpty(); }
    Kind kind() const { return m_kind; }
    bool isDirect() const { return m_kind == Kind::Direct; }
    // The room's name, or for a direct conversation the other party's nickname.
    QString name() const { return m_name; }
    QByteArray channel() const { return m_channel; }

    // A room's shard channel, "redwire:{room:<name>}:live": on a cluster the send script
    // SPUBLISHes a room's messages there, on the primary that stores its history (empty for a
    // direct conversation, which stays on its channel: new ones are found by pattern).
    QByteArray liveShardChannel() const
    {
        return isDirect() || !isValid() ? QByteArray() : keyPrefix() + ":live";
    }

    // Where the scripts announce what they store: the verb and the channel.
    struct Announcement
    {
        QByteArray verb; // PUBLISH or SPUBLISH
        QByteArray channel;
    };
    // On a Redis Cluster a room's messages go to its shard channel.
    Announcement announcement(Topology topology) const
    {
        if (topology == Topology::Cluster && !isDirect())
            return { "SPUBLISH", liveShardChannel() };
        return { "PUBLISH", m_channel };
    }

    QByteArray historyKey() const { return keyPrefix() + ":history"; }
    QByteArray presenceKey() const { return keyPrefix() + ":presence"; }
    // Remembers that the message with this envelope ID was stored (its stream ID).
    QByteArray sentKey(const QByteArray &messageId) const { return keyPrefix() + ":sent:" + messageId; }

    friend bool operator==(const RoomAddress &a, const RoomAddress &b)
    {
        return a.m_kind == b.m_kind && a.m_channel == b.m_channel;
    }
    friend bool operator!=(const RoomAddress &a, const RoomAddress &b) { return !(a == b); }

private:
    QByteArray keyPrefix() const { return "redwire:{" + m_tag + '}'; }

    Kind m_kind = Kind::Room;
    QString m_name;
    QByteArray m_channel;
    QByteArray m_tag; // the hash tag's content: "room:<name>" or "dm:<a>|<b>"
};

} // namespace Redwire

Q_DECLARE_METATYPE(Redwire::RoomAddress)
