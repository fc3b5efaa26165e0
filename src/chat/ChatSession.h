#pragma once

#include "ChatConfig.h"
#include "ChatError.h"

#include "redis/ConnectionOptions.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <memory>

namespace Redwire {

class ChatRoom;
class Outbox;
class OutboxStore;
class ReadMarkers;
class SenderVerifier;
class Ed25519Key;
class RedisClient;
class RedisSubscription;
class RoomAddress;

// The chat engine for one nickname on one server: owns the RedisClient, the outbox and the
// rooms and direct conversations (in the order they were joined or opened). Direct messages to
// us arrive through two pattern subscriptions; a conversation that is new to us opens itself.
// The conversations we take part in are also listed in Redis and reopened at connect.
class ChatSession : public QObject
{
    Q_OBJECT
    Q_MOC_INCLUDE("chat/ChatRoom.h")
    Q_PROPERTY(QString nickname READ nickname NOTIFY nicknameChanged)
    Q_PROPERTY(bool connected READ isConnected NOTIFY connectedChanged)
    Q_PROPERTY(int roomCount READ roomCount NOTIFY roomCountChanged)
    Q_PROPERTY(Redwire::ChatRoom *currentRoom READ currentRoom WRITE setCurrentRoom NOTIFY currentRoomChanged)
public:
    explicit ChatSession(const ChatConfig &config = {}, QObject *parent = nullptr);
    ~ChatSession() override;

    const ChatConfig &config() const { return m_config; }
    RedisClient *client() const { return m_client; }
    Outbox *outbox() const { return m_outbox; }
    ReadMarkers *readMarkers() const { return m_readMarkers; }
    // Signs what we send and judges who sent what we receive (docs/PROTOCOL.md, "Signed
    // envelopes"). Without a key we send unsigned; pins are kept in memory unless a path is set.
    SenderVerifier *senderVerifier() const { return m_verifier; }
    void setSigningKey(const Ed25519Key &key);
    void setKeyPinPath(const QString &path);
    // People we talk with: a direct conversation another one starts opens as a request
    // (ChatRoom::request). Grows when we open or answer one; the app keeps it (not in Redis,
    // where anyone could write it).
    QStringList acceptedPeers() const;
    void setAcceptedPeers(const QStringList &peers);

    // Takes effect at the next connect.
    void setConnectionOptions(const ConnectionOptions &options);
    QString nickname() const { return m_nickname; }
    // Only before the first room is joined; false (with lastError()) otherwise or when invalid.
    bool setNickname(const QString &nickname);
    bool isConnected() const;
    const ChatError &lastError() const { return m_lastError; }

    int roomCount() const { return int(m_rooms.size()); }
    ChatRoom *roomAt(int index) const { return m_rooms.value(index); }
    int indexOf(ChatRoom *room) const { return int(m_rooms.indexOf(room)); }
    QList<ChatRoom *> rooms() const { return m_rooms; }
    ChatRoom *room(const QString &name) const;
    ChatRoom *directRoom(const QString &peer) const;
    // Whether `nickname` is us or in the presence set of one of our rooms (the protocol has no
    // presence per user: this is what a direct conversation shows).
    bool isPresent(const QString &nickname) const;

    // The room (the same object when already joined), or nullptr with lastError().
    Q_INVOKABLE Redwire::ChatRoom *joinRoom(const QString &name);
    Q_INVOKABLE Redwire::ChatRoom *openDirect(const QString &peer);
    // Announces the leave (rooms), unsubscribes, removes the room and deletes it later.
    Q_INVOKABLE void leaveRoom(Redwire::ChatRoom *room);

    // The room the user looks at: its messages do not count as unread.
    ChatRoom *currentRoom() const { return m_currentRoom; }
    void setCurrentRoom(ChatRoom *room);

public Q_SLOTS:
    void connectToServer();
    // Drops the connections at once; the rooms stay, and our presence expires on the server.
    void disconnectFromServer();

Q_SIGNALS:
    void nicknameChanged();
    void connectedChanged(bool connected);
    void roomCountChanged();
    void roomAboutToBeAdded(int index);
    void roomAdded(int index);
    void roomAboutToBeRemoved(int index);
    void roomRemoved(int index);
    void currentRoomChanged();
    // A direct conversation opened by a message from `room->name()`, or reopened at connect.
    void directConversationOpened(Redwire::ChatRoom *room);
    void errorOccurred(const Redwire::ChatError &error);
    void acceptedPeersChanged();

private:
    ChatRoom *openDirectRoom(const QString &peer);
    void accept(const QString &peer);
    bool setError(ChatError::Kind kind, const QString &message);
    ChatRoom *addRoom(const RoomAddress &address, RedisSubscription *live);
    ChatRoom *roomForChannel(const QByteArray &channel) const;
    void subscribeDirectPatterns();
    void directMessageReceived(const QByteArray &channel, const QByteArray &payload);
    void restoreDirectConversations();
    void rememberDirectConversation(const RoomAddress &address);
    void openOutboxStore();

    const ChatConfig m_config;
    RedisClient *m_client;
    Outbox *m_outbox;
    ReadMarkers *m_readMarkers;
    SenderVerifier *m_verifier;
    QString m_nickname;
    ChatError m_lastError;
    QList<ChatRoom *> m_rooms;
    QList<QPointer<RedisSubscription>> m_directPatterns; // [me first, me second]
    QPointer<ChatRoom> m_currentRoom;
    std::unique_ptr<OutboxStore> m_outboxStore; // once the server and nickname are known
    QSet<QString> m_acceptedPeers;
};

} // namespace Redwire
