#include "ChatSession.h"

#include "ChatEnvelope.h"
#include "ChatLogging.h"
#include "ChatRoom.h"
#include "Outbox.h"
#include "OutboxStore.h"
#include "ReadMarkers.h"
#include "RoomAddress.h"
#include "SenderVerifier.h"
#include "UserPresence.h"

#include "redis/RedisClient.h"
#include "redis/RedisSubscription.h"

#include <QDateTime>
#include <QTimer>

#include <utility>

namespace Redwire {

ChatSession::ChatSession(const ChatConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_client(new RedisClient({}, this))
    , m_outbox(new Outbox(m_client->commands(), config, this))
    , m_readMarkers(new ReadMarkers(m_client->commands(), config, this))
    , m_userPresence(new UserPresence(m_client->commands(), config, this))
    , m_verifier(new SenderVerifier(m_client->commands(), this))
{
    connect(m_client, &RedisClient::connectedChanged, this, &ChatSession::connectedChanged);
    connect(
        m_client->commands(), &RedisConnection::connected, this, &ChatSession::restoreDirectConversations);
    connect(
        m_outbox, &Outbox::sent, this, [this](const RoomAddress &address, const QString &, const StreamId &) {
            if (address.isDirect())
                rememberDirectConversation(address);
        });
}

ChatSession::~ChatSession()
{
    // Rooms and outbox first: they use the client's connections, which fail their pending
    // commands while being destroyed (the handlers check that their object is still there).
    const QList<ChatRoom *> rooms = std::exchange(m_rooms, {});
    qDeleteAll(rooms);
    delete std::exchange(m_outbox, nullptr);
    delete std::exchange(m_readMarkers, nullptr);
    delete std::exchange(m_userPresence, nullptr);
    delete std::exchange(m_client, nullptr);
}

void ChatSession::setConnectionOptions(const ConnectionOptions &options)
{
    m_client->setOptions(options);
}

bool ChatSession::setError(ChatError::Kind kind, const QString &message)
{
    m_lastError = ChatError(kind, message);
    return false;
}

bool ChatSession::setNickname(const QString &nickname)
{
    if (nickname == m_nickname)
        return true;
    if (!m_rooms.isEmpty())
        return setError(
            ChatError::Kind::NicknameLocked, tr("The nickname cannot change while conversations are open."));
    const QString problem = RoomAddress::nicknameProblem(nickname);
    if (!problem.isEmpty())
        return setError(ChatError::Kind::InvalidName, problem);
    for (const QPointer<RedisSubscription> &pattern : std::as_const(m_directPatterns))
        if (pattern)
            pattern->unsubscribe();
    m_directPatterns.clear();
    if (m_readMarkersMoved)
        m_readMarkersMoved->unsubscribe();
    m_readMarkersMoved.clear();
    m_nickname = nickname;
    m_readMarkers->setNickname(nickname);
    m_userPresence->setNickname(nickname);
    m_verifier->setIdentity(nickname, m_verifier->signingKey());
    Q_EMIT nicknameChanged();
    if (m_client->commands()->state() != RedisConnection::State::Disconnected) {
        subscribeDirectPatterns();
        followReadMarkers();
    }
    return true;
}

void ChatSession::setSigningKey(const Ed25519Key &key)
{
    m_verifier->setIdentity(m_nickname, key);
}

void ChatSession::setKeyPinPath(const QString &path)
{
    m_verifier->setPinStorePath(path);
}

bool ChatSession::isConnected() const
{
    return m_client->isConnected();
}

void ChatSession::connectToServer()
{
    if (m_nickname.isEmpty()) {
        setError(ChatError::Kind::NoNickname, tr("Choose a nickname first."));
        Q_EMIT errorOccurred(m_lastError);
        return;
    }
    openOutboxStore();
    subscribeDirectPatterns();
    followReadMarkers();
    m_client->connectToServer();
}

// Messages typed but never stored in an earlier run under this nickname on this server go out
// now (once: the server remembers stored IDs); from here on every change is written down.
void ChatSession::openOutboxStore()
{
    if (m_config.outboxDirectory.isEmpty() || m_outboxStore)
        return;
    // Through Sentinel or Cluster the address changes with a failover; the data set does not.
    m_outboxStore = std::make_unique<OutboxStore>(
        m_config.outboxDirectory, m_client->options().accountScope(), m_nickname);
    QString error;
    const QList<Outbox::Item> kept = m_outboxStore->load(&error);
    if (!error.isEmpty())
        qCWarning(lcChat) << "unsent messages in" << m_outboxStore->path() << "could not be read:" << error;
    m_outbox->restore(kept);
    connect(m_outbox, &Outbox::itemsChanged, this, [this] {
        QString error;
        if (m_outboxStore && !m_outboxStore->save(m_outbox->items(), &error))
            qCWarning(lcChat) << "unsent messages could not be written to" << m_outboxStore->path() << error;
    });
}

void ChatSession::disconnectFromServer()
{
    m_readMarkers->flush();
    m_client->disconnectFromServer();
}

void ChatSession::closeGracefully(int boundMs)
{
    if (m_closing)
        return;
    m_closing = true;
    auto finish = [this] {
        if (!m_closing)
            return;
        m_closing = false;
        m_client->disconnectFromServer();
        Q_EMIT closed();
    };
    m_readMarkers->flush();
    if (m_readMarkers->writesInFlight() == 0) {
        QMetaObject::invokeMethod(this, finish, Qt::QueuedConnection);
        return;
    }
    // The marker written last is what another device (or the next start) opens the room at.
    connect(m_readMarkers, &ReadMarkers::writesSettled, this, finish, Qt::SingleShotConnection);
    QTimer::singleShot(qMax(0, boundMs), this, finish);
}

// The partners of our direct conversations first (they have no other presence), then the
// members of our rooms (for who is away).
void ChatSession::watchPeople()
{
    QStringList people;
    for (const ChatRoom *room : std::as_const(m_rooms))
        if (room->isDirect())
            people << room->name();
    for (const ChatRoom *room : std::as_const(m_rooms))
        if (!room->isDirect())
            people << room->members();
    m_userPresence->setWatched(people);
}

// Another device of ours moved a read marker: ours are read again (the hash is the truth; the
// message only says when to look).
void ChatSession::followReadMarkers()
{
    if (m_readMarkersMoved || m_nickname.isEmpty())
        return;
    m_readMarkersMoved = m_client->subscribe(RoomAddress::readMarkersMovedChannel(m_nickname));
    if (m_readMarkersMoved)
        connect(m_readMarkersMoved, &RedisSubscription::messageReceived, m_readMarkers, &ReadMarkers::reload);
}

ChatRoom *ChatSession::room(const QString &name) const
{
    for (ChatRoom *room : m_rooms)
        if (!room->isDirect() && room->name() == name)
            return room;
    return nullptr;
}

bool ChatSession::isPresent(const QString &nickname) const
{
    if (nickname == m_nickname)
        return true;
    for (const ChatRoom *room : m_rooms)
        if (!room->isDirect() && room->members().contains(nickname))
            return true;
    return false;
}

ChatRoom *ChatSession::directRoom(const QString &peer) const
{
    for (ChatRoom *room : m_rooms)
        if (room->isDirect() && room->name() == peer)
            return room;
    return nullptr;
}

ChatRoom *ChatSession::roomForChannel(const QByteArray &channel) const
{
    for (ChatRoom *room : m_rooms)
        if (room->address().channel() == channel)
            return room;
    return nullptr;
}

ChatRoom *ChatSession::joinRoom(const QString &name)
{
    if (m_nickname.isEmpty()) {
        setError(ChatError::Kind::NoNickname, tr("Choose a nickname first."));
        return nullptr;
    }
    const RoomAddress address = RoomAddress::room(name);
    if (!address.isValid()) {
        setError(ChatError::Kind::InvalidName, RoomAddress::roomNameProblem(name));
        return nullptr;
    }
    if (ChatRoom *existing = room(name))
        return existing;
    RedisSubscription *live = m_client->subscribe(address.channel());
    if (!live) {
        setError(ChatError::Kind::SubscribeRefused, tr("Cannot subscribe to %1.").arg(name));
        return nullptr;
    }
    return addRoom(address, live);
}

QStringList ChatSession::acceptedPeers() const
{
    QStringList peers(m_acceptedPeers.cbegin(), m_acceptedPeers.cend());
    peers.sort();
    return peers;
}

void ChatSession::setAcceptedPeers(const QStringList &peers)
{
    m_acceptedPeers = QSet<QString>(peers.cbegin(), peers.cend());
}

void ChatSession::accept(const QString &peer)
{
    if (peer.isEmpty() || m_acceptedPeers.contains(peer))
        return;
    m_acceptedPeers.insert(peer);
    Q_EMIT acceptedPeersChanged();
}

// The user opens a conversation: they chose this person.
ChatRoom *ChatSession::openDirect(const QString &peer)
{
    ChatRoom *room = openDirectRoom(peer);
    if (room) {
        room->setRequest(false);
        accept(peer);
    }
    return room;
}

// A conversation opened by someone else's message, or reopened at connect: a request unless we
// talk with them.
ChatRoom *ChatSession::openDirectRoom(const QString &peer)
{
    if (m_nickname.isEmpty()) {
        setError(ChatError::Kind::NoNickname, tr("Choose a nickname first."));
        return nullptr;
    }
    if (peer == m_nickname) {
        setError(ChatError::Kind::InvalidName, tr("A direct conversation needs someone else."));
        return nullptr;
    }
    const RoomAddress address = RoomAddress::direct(m_nickname, peer);
    if (!address.isValid()) {
        setError(ChatError::Kind::InvalidName, RoomAddress::nicknameProblem(peer));
        return nullptr;
    }
    if (ChatRoom *existing = directRoom(peer))
        return existing;
    subscribeDirectPatterns();
    // "dm:{me|*}" carries the conversations where our nickname sorts first, "dm:{*|me}" the others.
    const bool meFirst = m_nickname.toUtf8() < peer.toUtf8();
    ChatRoom *room = addRoom(address, m_directPatterns.value(meFirst ? 0 : 1));
    if (room) {
        room->setRequest(!m_acceptedPeers.contains(peer));
        connect(room, &ChatRoom::requestChanged, this, [this, room, peer] {
            if (!room->isRequest())
                accept(peer);
        });
    }
    return room;
}

ChatRoom *ChatSession::addRoom(const RoomAddress &address, RedisSubscription *live)
{
    const int index = int(m_rooms.size());
    Q_EMIT roomAboutToBeAdded(index);
    auto *room = new ChatRoom(m_client, m_outbox, live, address, m_nickname, m_config, m_readMarkers, this);
    room->setSenderVerifier(m_verifier);
    connect(room, &ChatRoom::errorOccurred, this, &ChatSession::errorOccurred);
    m_rooms.append(room);
    connect(room, &ChatRoom::membersChanged, this, &ChatSession::watchPeople);
    watchPeople();
    Q_EMIT roomAdded(index);
    Q_EMIT roomCountChanged();
    return room;
}

void ChatSession::leaveRoom(ChatRoom *room)
{
    const int index = indexOf(room);
    if (index < 0)
        return;
    room->leave();
    if (room->isDirect() && m_client->commands()->isConnected())
        m_client->commands()->send(
            { "ZREM", RoomAddress::directIndexKey(m_nickname), room->name().toUtf8() });
    Q_EMIT roomAboutToBeRemoved(index);
    m_rooms.removeAt(index);
    watchPeople();
    if (m_currentRoom == room)
        setCurrentRoom(nullptr);
    Q_EMIT roomRemoved(index);
    Q_EMIT roomCountChanged();
    room->deleteLater();
}

void ChatSession::setCurrentRoom(ChatRoom *room)
{
    if (m_currentRoom == room)
        return;
    if (m_currentRoom) {
        m_currentRoom->setInView(false);
        m_currentRoom->setFollowingLatest(false);
        m_currentRoom->clearUnreadDivider();
    }
    m_currentRoom = room;
    if (room)
        room->setInView(true);
    Q_EMIT currentRoomChanged();
}

void ChatSession::subscribeDirectPatterns()
{
    if (!m_directPatterns.isEmpty() || m_nickname.isEmpty())
        return;
    for (const QByteArray &pattern : RoomAddress::directPatterns(m_nickname)) {
        RedisSubscription *subscription = m_client->psubscribe(pattern);
        if (subscription)
            connect(
                subscription, &RedisSubscription::messageReceived, this, &ChatSession::directMessageReceived);
        m_directPatterns.append(subscription);
    }
}

void ChatSession::directMessageReceived(const QByteArray &channel, const QByteArray &payload)
{
    ChatRoom *room = roomForChannel(channel);
    if (!room) {
        // Someone typing to us is no reason to open a conversation; their message will be.
        const ChatEnvelope envelope = ChatEnvelope::decode(payload, m_config.payloadLimitBytes);
        if (!envelope.external && envelope.kind == ChatEnvelope::Kind::Typing)
            return;
        // Only well-formed "dm:{a|b}" channels with our nickname open a conversation; the pattern
        // also matches e.g. "dm:{x|y|me}", which belongs to no one and is dropped.
        const RoomAddress address = RoomAddress::fromDirectChannel(channel, m_nickname);
        if (!address.isValid()) {
            qCWarning(lcChat) << "ignoring a message on" << channel << "- not a direct conversation of ours";
            return;
        }
        room = openDirectRoom(address.name());
        if (!room)
            return;
        Q_EMIT directConversationOpened(room);
    }
    room->receive(payload);
}

void ChatSession::restoreDirectConversations()
{
    if (m_nickname.isEmpty() || m_config.directConversationsToRestore <= 0)
        return;
    QPointer<ChatSession> self(this);
    const QString nickname = m_nickname;
    m_client->commands()->send({ "ZREVRANGE", RoomAddress::directIndexKey(nickname), "0",
                                   QByteArray::number(m_config.directConversationsToRestore - 1) },
        [self, nickname](const RedisReply &reply, const RedisError &error) {
            if (!self || error.isError() || !reply.isArray() || self->m_nickname != nickname)
                return;
            for (const RedisReply &peer : reply.elements()) {
                const QString name = QString::fromUtf8(peer.bytes());
                if (name.toUtf8() != peer.bytes() || self->directRoom(name))
                    continue;
                if (ChatRoom *room = self->openDirectRoom(name))
                    Q_EMIT self->directConversationOpened(room);
                if (!self)
                    return;
            }
        });
}

void ChatSession::rememberDirectConversation(const RoomAddress &address)
{
    // Two keys in two slots: two commands, not one script. Losing one only means that the
    // conversation is not reopened at the next connect; its messages are in its stream.
    const QByteArray now = QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    const QString peer = address.name();
    m_client->commands()->send({ "ZADD", RoomAddress::directIndexKey(m_nickname), now, peer.toUtf8() });
    m_client->commands()->send({ "ZADD", RoomAddress::directIndexKey(peer), now, m_nickname.toUtf8() });
}

} // namespace Redwire
