#pragma once

#include "chat/ChatConfig.h"
#include "chat/StreamId.h"

#include "redis/ConnectionOptions.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include <array>
#include <memory>

namespace Redwire {
class ChatRoom;
class ChatSession;
class RoomAddress;
} // namespace Redwire

namespace RedwireSoak {

// Alice and bob, each a ChatSession of their own, in one room, each sending numbered messages
// at a steady rate. Remembers every message the outbox accepted (its envelope ID, and its stream
// ID once stored) and every envelope each of them received live over Pub/Sub.
class ChatTraffic : public QObject
{
    Q_OBJECT
public:
    enum User { Alice = 0, Bob = 1 };
    static constexpr int Users = 2;

    struct Message
    {
        QString id; // the envelope's ID
        QString text;
        qint64 acceptedMs = 0;
        Redwire::StreamId streamId; // null until the server stored it
        bool failed = false; // the outbox gave up (shown to the sender as failed)
        QString failure;
    };

    ChatTraffic(const Redwire::ConnectionOptions &options, const Redwire::ChatConfig &config,
        const QString &roomName, int intervalMs, QObject *parent = nullptr);
    ~ChatTraffic() override;

    // Connects both sessions and joins the room.
    bool join();
    bool synced() const;
    void startSending();
    void stopSending();
    // Nothing left in either outbox, and every own message placed.
    bool allSent() const;

    static QString nickname(int user);
    Redwire::ChatRoom *room(int user) const;
    Redwire::ChatSession *session(int user) const;
    const Redwire::RoomAddress &address() const;
    const QList<Message> &sent(int user) const { return m_users[size_t(user)].sent; }
    // Envelope IDs the user received over Pub/Sub (live), whoever sent them.
    const QSet<QString> &liveIds(int user) const { return m_users[size_t(user)].live; }
    // Messages sendMessage() refused, or did not put at the bottom as pending (none expected).
    int refused(int user) const { return m_users[size_t(user)].refused; }

private:
    struct Participant
    {
        std::unique_ptr<Redwire::ChatSession> session;
        Redwire::ChatRoom *room = nullptr;
        QList<Message> sent;
        QHash<QString, int> indexOfId;
        QSet<QString> live;
        QTimer timer;
        int next = 1;
        int refused = 0;
    };

    void sendNext(int user);

    std::array<Participant, Users> m_users;
    const QString m_roomName;
};

} // namespace RedwireSoak
