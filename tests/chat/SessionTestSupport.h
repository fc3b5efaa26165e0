#pragma once

// Helpers for the end-to-end tests: sessions on a test server, and views of a room's timeline.
#include "chat/ChatEnvelope.h"
#include "chat/ChatRoom.h"
#include "chat/ChatScripts.h"
#include "chat/ChatSession.h"
#include "chat/RoomTimeline.h"

#include "ChatTestSupport.h"

#include <memory>

namespace ChatTest {

inline std::unique_ptr<Redwire::ChatSession> sessionFor(const RedwireTest::RedisServerProcess &server,
    const QString &nickname, const Redwire::ChatConfig &config = fastConfig())
{
    auto session = std::make_unique<Redwire::ChatSession>(config);
    session->setConnectionOptions(optionsFor(server));
    session->setNickname(nickname);
    session->connectToServer();
    return session;
}

// A session on a redis+sentinel:// or redis+cluster:// address: short timeouts, a heartbeat
// every 500 ms and quick reconnects, so that a failover is followed in seconds.
inline std::unique_ptr<Redwire::ChatSession> sessionForUrl(const QString &url, const QString &nickname)
{
    QString error;
    Redwire::ConnectionOptions options = Redwire::ConnectionOptions::fromUrl(url, &error);
    if (!error.isEmpty())
        qFatal("%s", qPrintable(error));
    options.connectTimeoutMs = 3000;
    options.commandTimeoutMs = 3000;
    options.heartbeatIntervalMs = 500;
    options.reconnect.initialDelayMs = 50;
    options.reconnect.maxDelayMs = 300;
    auto session = std::make_unique<Redwire::ChatSession>(fastConfig());
    session->setConnectionOptions(options);
    session->setNickname(nickname);
    session->connectToServer();
    return session;
}

// Two sessions, alice and bob, in one room on `server`.
struct TwoInARoom
{
    std::unique_ptr<Redwire::ChatSession> alice;
    std::unique_ptr<Redwire::ChatSession> bob;
    Redwire::ChatRoom *aliceRoom = nullptr;
    Redwire::ChatRoom *bobRoom = nullptr;

    bool synced() const { return aliceRoom->isSynced() && bobRoom->isSynced(); }
};

inline TwoInARoom twoInARoom(const RedwireTest::RedisServerProcess &server,
    const QString &room = QStringLiteral("chat"), const Redwire::ChatConfig &config = fastConfig())
{
    TwoInARoom two;
    two.alice = sessionFor(server, QStringLiteral("alice"), config);
    two.bob = sessionFor(server, QStringLiteral("bob"), config);
    two.aliceRoom = two.alice->joinRoom(room);
    two.bobRoom = two.bob->joinRoom(room);
    return two;
}

// The conversation as a list: "sender: text" for messages (external ones as "?: text").
inline QStringList conversation(const Redwire::ChatRoom *room)
{
    QStringList lines;
    const Redwire::RoomTimeline *timeline = room->timeline();
    for (int row = 0; row < timeline->count(); ++row) {
        const Redwire::ChatMessage &message = timeline->at(row);
        if (message.isConversation())
            lines.append((message.external ? QStringLiteral("?") : message.sender) + QStringLiteral(": ")
                + message.text);
    }
    return lines;
}

// Each stored message once, in stream order.
inline QString checkStreamOrder(const Redwire::ChatRoom *room)
{
    Redwire::StreamId previous;
    const Redwire::RoomTimeline *timeline = room->timeline();
    for (int row = 0; row < timeline->count(); ++row) {
        const Redwire::StreamId id = timeline->at(row).streamId;
        if (id.isNull())
            continue;
        if (!(previous < id))
            return QStringLiteral("row %1: %2 after %3")
                .arg(row)
                .arg(QString::fromLatin1(id.toByteArray()), QString::fromLatin1(previous.toByteArray()));
        previous = id;
    }
    return {};
}

inline bool allSent(const Redwire::ChatRoom *room)
{
    for (int row = 0; row < room->timeline()->count(); ++row) {
        const Redwire::ChatMessage &message = room->timeline()->at(row);
        if (message.own && message.delivery != Redwire::ChatMessage::Delivery::Sent)
            return false;
    }
    return room->timeline()->unplacedCount() == 0;
}

// Stores `count` messages "h1".."h<count>" from `sender` through the send script.
inline void seedHistory(Redwire::CommandConnection &connection, const Redwire::RoomAddress &room,
    const QString &sender, int count)
{
    for (int n = 1; n <= count; ++n) {
        const Redwire::ChatEnvelope envelope = Redwire::ChatEnvelope::create(
            Redwire::ChatEnvelope::Kind::Message, sender, QStringLiteral("h%1").arg(n));
        roundTrip(connection,
            Redwire::ChatScripts::eval(Redwire::ChatScripts::send(),
                { room.historyKey(), room.sentKey(envelope.id.toUtf8()) },
                { room.channel(), envelope.encode(), "10000", "60000" }));
    }
}
} // namespace ChatTest
