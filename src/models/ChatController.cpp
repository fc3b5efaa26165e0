#include "ChatController.h"

#include "ChatNotificationPolicy.h"
#include "ChatSettings.h"
#include "DesktopNotifier.h"
#include "MemberListModel.h"
#include "MessageListModel.h"
#include "RoomListModel.h"
#include "SigningIdentity.h"
#include "chat/ChatRoom.h"
#include "chat/ChatSession.h"
#include "chat/Outbox.h"
#include "chat/RoomTimeline.h"
#include "desktop/SigningKeyStore.h"
#include "redis/RedisClient.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QSettings>

namespace Redwire {

namespace {
const QString RoomsKey = QStringLiteral("chat/rooms");
const QString MutedKey = QStringLiteral("chat/muted");
const QString CurrentKey = QStringLiteral("chat/current");
// People we talk with (ChatSession::acceptedPeers), per nickname.
QString acceptedPeersKey(const QString &nickname)
{
    return QStringLiteral("chat/contacts/") + QString::fromLatin1(nickname.toUtf8().toHex());
}
// At most one "message request" notification this often: strangers cannot make a storm.

QString stateName(RedisConnection::State state)
{
    switch (state) {
    case RedisConnection::State::Connected:
        return QStringLiteral("Connected");
    case RedisConnection::State::Connecting:
        return QStringLiteral("Connecting");
    case RedisConnection::State::Reconnecting:
        return QStringLiteral("Reconnecting");
    case RedisConnection::State::Disconnected:
        break;
    }
    return QStringLiteral("Disconnected");
}

} // namespace

ChatController::ChatController(const ChatConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_emptyMessages(new MessageListModel(nullptr, this))
    , m_search(new MessageSearchModel(this))
    , m_identity(new SigningIdentity(
          new SigningKeyStore(KeychainBackend::system(),
              config.identityDirectory.isEmpty() ? QString()
                                                 : config.identityDirectory + QStringLiteral("/keys"),
              this),
          config.identityDirectory, this))
    , m_notifier(new DesktopNotifier(this))
    , m_notifications(new ChatNotificationPolicy(m_notifier, this))
{
    connect(m_notifier, &DesktopNotifier::notified, this, &ChatController::notified);
    m_notifications->setMutedCheck(
        [this](const ChatRoom *room) { return m_rooms && m_rooms->isMuted(RoomListModel::keyFor(room)); });
    m_notifications->setLevelSource([this](const ChatRoom *room) {
        return ChatNotificationPolicy::levelFromName(notificationLevelOf(room));
    });
    m_notifications->setCurrentRoomSource(
        [this]() -> const ChatRoom * { return m_session ? m_session->currentRoom() : nullptr; });
}

ChatController::~ChatController() = default;

QString ChatController::nickname() const
{
    return m_session ? m_session->nickname() : QString();
}

void ChatController::start(
    const ConnectionOptions &options, const QString &nickname, const QStringList &rooms)
{
    stop();
    m_options = options;
    m_session = new ChatSession(m_config, this);
    m_session->setConnectionOptions(options);
    if (!m_session->setNickname(nickname)) {
        setLastError(m_session->lastError());
        delete m_session;
        m_session = nullptr;
        return;
    }
    m_identity->attach(m_session,
        options.username + QLatin1Char('@')
            + (options.unixSocket.isEmpty()
                    ? QStringLiteral("%1:%2/%3").arg(options.host).arg(options.port).arg(options.database)
                    : QStringLiteral("%1/%2").arg(options.unixSocket).arg(options.database)));
    m_session->setAcceptedPeers(QSettings().value(acceptedPeersKey(nickname)).toStringList());
    connect(m_session, &ChatSession::acceptedPeersChanged, this, [this] {
        QSettings().setValue(acceptedPeersKey(m_session->nickname()), m_session->acceptedPeers());
    });
    connect(m_session, &ChatSession::directConversationOpened, m_notifications,
        &ChatNotificationPolicy::requestOpened);
    m_rooms = new RoomListModel(m_session, this);
    m_members = new MemberListModel(nickname, this);
    m_members->setPresenceSource([this](const QString &name) { return isOnline(name); });
    QSettings settings;
    m_rooms->setMutedKeys(settings.value(MutedKey).toStringList());

    connect(m_session, &ChatSession::roomAdded, this, &ChatController::roomAdded);
    connect(m_session, &ChatSession::roomAboutToBeRemoved, this, [this](int row) {
        ChatRoom *room = m_session->roomAt(row);
        if (MessageListModel *model = m_messageModels.take(room))
            model->deleteLater();
    });
    connect(m_session, &ChatSession::roomRemoved, this, [this] { saveRooms(); });
    connect(m_session, &ChatSession::currentRoomChanged, this, &ChatController::currentChanged);
    connect(m_session, &ChatSession::errorOccurred, this, &ChatController::setLastError);
    connect(m_session->outbox(), &Outbox::countChanged, this, &ChatController::pendingCountChanged);
    watchConnections();

    m_session->connectToServer();
    Q_EMIT startedChanged();

    // Saved rooms first, then the ones asked for on the command line (the last one is shown).
    m_restoring = true;
    QStringList toJoin = settings.value(RoomsKey).toStringList();
    for (const QString &room : rooms)
        if (!toJoin.contains(room))
            toJoin << room;
    for (const QString &room : std::as_const(toJoin))
        m_session->joinRoom(room);
    m_restoring = false;
    const QString show = rooms.isEmpty() ? settings.value(CurrentKey).toString() : rooms.last();
    if (ChatRoom *room = m_session->room(show))
        m_session->setCurrentRoom(room);
    else if (m_session->roomCount() > 0)
        m_session->setCurrentRoom(m_session->roomAt(0));
    saveRooms();
    currentChanged();
}

void ChatController::setPreferences(ChatSettings *preferences)
{
    if (m_preferences)
        disconnect(m_preferences, nullptr, this, nullptr);
    m_preferences = preferences;
    if (preferences) {
        connect(preferences, &ChatSettings::notificationLevelChanged, this,
            &ChatController::currentRoomNotificationLevelChanged);
        connect(preferences, &ChatSettings::notificationLevelChanged, this,
            &ChatController::applyNotificationLevels);
    }
    applyNotificationLevels();
    Q_EMIT currentRoomNotificationLevelChanged();
}

// A room whose every message can notify has every message's sender checked as it arrives.
void ChatController::applyNotificationLevels()
{
    if (!m_session)
        return;
    for (ChatRoom *room : m_session->rooms())
        room->setEveryMessageNotifies(notificationLevelOf(room) == QLatin1String("all"));
}

QString ChatController::notificationLevelOf(const ChatRoom *room) const
{
    if (!room)
        return {};
    const QString key = RoomListModel::keyFor(room);
    if (m_preferences)
        return m_preferences->notificationLevel(key);
    return room->isDirect() ? QStringLiteral("all") : QStringLiteral("mentions");
}

QString ChatController::currentRoomNotificationLevel() const
{
    return notificationLevelOf(m_session ? m_session->currentRoom() : nullptr);
}

void ChatController::setCurrentRoomNotificationLevel(const QString &level)
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    if (room && m_preferences)
        m_preferences->setNotificationLevel(RoomListModel::keyFor(room), level);
}

bool ChatController::currentRoomDirect() const
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    return room && room->isDirect();
}

bool ChatController::isOnline(const QString &nickname) const
{
    if (!m_session)
        return false;
    if (nickname == m_session->nickname())
        return true;
    for (const ChatRoom *room : m_session->rooms())
        if (!room->isDirect() && room->members().contains(nickname))
            return true;
    return false;
}

QString ChatController::currentPeerPresence() const
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    if (!room || !room->isDirect())
        return {};
    return isOnline(room->name()) ? QStringLiteral("online") : QStringLiteral("offline");
}

void ChatController::stop()
{
    if (!m_session)
        return;
    m_session->disconnectFromServer();
    m_identity->detach();
    m_search->setRoom(nullptr, nullptr, {}, {});
    qDeleteAll(m_messageModels);
    m_messageModels.clear();
    delete m_members;
    m_members = nullptr;
    delete m_rooms;
    m_rooms = nullptr;
    delete m_session;
    m_session = nullptr;
    Q_EMIT startedChanged();
    Q_EMIT currentRoomChanged();
    Q_EMIT connectionChanged();
}

void ChatController::watchConnections()
{
    RedisClient *client = m_session->client();
    for (RedisConnection *connection : { static_cast<RedisConnection *>(client->commands()),
             static_cast<RedisConnection *>(client->subscriber()) }) {
        connect(connection, &RedisConnection::stateChanged, this, &ChatController::connectionChanged);
        connect(connection, &RedisConnection::errorChanged, this, &ChatController::connectionChanged);
        connect(connection, &RedisConnection::reconnectScheduled, this, &ChatController::connectionChanged);
    }
    connect(client, &RedisClient::serverRespondingChanged, this, &ChatController::connectionChanged);
}

int ChatController::pendingCount() const
{
    return m_session ? m_session->outbox()->count() : 0;
}

QString ChatController::connectionState() const
{
    if (!m_session)
        return QStringLiteral("Disconnected");
    const RedisConnection::State a = m_session->client()->commands()->state();
    const RedisConnection::State b = m_session->client()->subscriber()->state();
    // A frozen server: the subscriber is kept while the command connection may be reconnecting.
    if (b == RedisConnection::State::Connected && !m_session->client()->isServerResponding())
        return QStringLiteral("NotResponding");
    if (a == b)
        return stateName(a);
    if (a == RedisConnection::State::Reconnecting || b == RedisConnection::State::Reconnecting)
        return QStringLiteral("Reconnecting");
    if (a == RedisConnection::State::Disconnected || b == RedisConnection::State::Disconnected)
        return QStringLiteral("Disconnected");
    return QStringLiteral("Connecting");
}

QString ChatController::errorText() const
{
    if (!m_session)
        return m_lastError;
    const RedisConnection *subscriber = m_session->client()->subscriber();
    const RedisConnection *commands = m_session->client()->commands();
    if (!subscriber->isConnected() && !subscriber->errorString().isEmpty())
        return subscriber->errorString();
    return commands->errorString();
}

int ChatController::retryInMs() const
{
    if (!m_session)
        return -1;
    return std::max(m_session->client()->commands()->remainingRetryDelayMs(),
        m_session->client()->subscriber()->remainingRetryDelayMs());
}

MessageListModel *ChatController::messages() const
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    return room ? modelFor(room) : m_emptyMessages;
}

MessageListModel *ChatController::modelFor(ChatRoom *room) const
{
    MessageListModel *&model = m_messageModels[room];
    if (!model)
        model = new MessageListModel(room, const_cast<ChatController *>(this));
    return model;
}

QString ChatController::currentRoom() const
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    return room ? room->name() : QString();
}

QString ChatController::currentRoomKey() const
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    return room ? RoomListModel::keyFor(room) : QString();
}

QString ChatController::currentRoomProblem() const
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    return room ? room->problem() : QString();
}

void ChatController::retryCurrentRoom()
{
    if (ChatRoom *room = m_session ? m_session->currentRoom() : nullptr)
        room->retryAccess();
}

bool ChatController::currentRoomMuted() const
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    return room && m_rooms->isMuted(RoomListModel::keyFor(room));
}

QString ChatController::typingText() const
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    if (!room)
        return {};
    QStringList others = room->typingUsers();
    others.removeAll(nickname());
    switch (others.size()) {
    case 0:
        return {};
    case 1:
        return tr("%1 is typing…").arg(others.first());
    case 2:
        return tr("%1 and %2 are typing…").arg(others.at(0), others.at(1));
    default:
        return tr("Several people are typing…");
    }
}

void ChatController::setWindowActive(bool active)
{
    if (m_windowActive == active)
        return;
    m_windowActive = active;
    m_notifications->setWindowActive(active);
    // While the window is in the background, the room shown is not being read.
    if (m_session && m_session->currentRoom())
        m_session->currentRoom()->setInView(active);
    Q_EMIT windowActiveChanged();
}

void ChatController::roomAdded(int row)
{
    ChatRoom *room = m_session->roomAt(row);
    if (!room)
        return;
    m_notifications->watch(room);
    room->setEveryMessageNotifies(notificationLevelOf(room) == QLatin1String("all"));
    connect(room, &ChatRoom::errorOccurred, this, &ChatController::setLastError);
    // Who is here in a room is who is online for our direct conversations.
    if (!room->isDirect())
        connect(room, &ChatRoom::membersChanged, this, [this] {
            Q_EMIT currentPeerPresenceChanged();
            if (m_members)
                m_members->presenceChanged();
        });
    if (!m_restoring)
        saveRooms();
}

void ChatController::acceptCurrentRequest()
{
    if (ChatRoom *room = m_session ? m_session->currentRoom() : nullptr)
        room->acceptRequest();
}

bool ChatController::currentRoomRequest() const
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    return room && room->isRequest();
}

void ChatController::currentChanged()
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    if (m_members)
        m_members->setRoom(room);
    m_search->setRoom(room, m_session ? m_session->client()->commands() : nullptr, nickname(), m_config);
    if (room) {
        connect(room, &ChatRoom::typingUsersChanged, this, &ChatController::typingTextChanged,
            Qt::UniqueConnection);
        connect(
            room, &ChatRoom::problemChanged, this, &ChatController::roomProblemChanged, Qt::UniqueConnection);
        connect(
            room, &ChatRoom::requestChanged, this, &ChatController::roomProblemChanged, Qt::UniqueConnection);
        room->setInView(m_windowActive);
        if (!m_restoring)
            QSettings().setValue(CurrentKey, room->name());
    }
    Q_EMIT currentRoomChanged();
    Q_EMIT currentRoomProblemChanged();
    Q_EMIT typingTextChanged();
    Q_EMIT currentPeerPresenceChanged();
    Q_EMIT currentRoomNotificationLevelChanged();
}

void ChatController::roomProblemChanged()
{
    if (sender() == (m_session ? m_session->currentRoom() : nullptr))
        Q_EMIT currentRoomProblemChanged();
}

void ChatController::joinRoom(const QString &name)
{
    if (!m_session)
        return;
    if (ChatRoom *room = m_session->joinRoom(name.trimmed()))
        m_session->setCurrentRoom(room);
    else
        setLastError(m_session->lastError());
}

void ChatController::openDirect(const QString &peer)
{
    if (!m_session)
        return;
    if (ChatRoom *room = m_session->openDirect(peer))
        m_session->setCurrentRoom(room);
    else
        setLastError(m_session->lastError());
}

// Rows are RoomListModel's (rooms, then direct conversations), not the session's order.
void ChatController::selectRow(int row)
{
    if (ChatRoom *room = m_session ? m_rooms->roomAt(row) : nullptr)
        m_session->setCurrentRoom(room);
}

void ChatController::leaveRow(int row)
{
    ChatRoom *room = m_session ? m_rooms->roomAt(row) : nullptr;
    if (!room)
        return;
    const bool wasCurrent = room == m_session->currentRoom();
    m_session->leaveRoom(room);
    if (wasCurrent && m_rooms->rowCount() > 0)
        m_session->setCurrentRoom(m_rooms->roomAt(std::min(row, m_rooms->rowCount() - 1)));
}

void ChatController::setRowMuted(int row, bool muted)
{
    ChatRoom *room = m_session ? m_rooms->roomAt(row) : nullptr;
    if (!room)
        return;
    m_rooms->setMuted(RoomListModel::keyFor(room), muted);
    QSettings().setValue(MutedKey, m_rooms->mutedKeys());
    Q_EMIT currentRoomChanged();
}

void ChatController::setCurrentRoomMuted(bool muted)
{
    if (m_session && m_session->currentRoom())
        setRowMuted(m_rooms->rowOf(m_session->currentRoom()), muted);
}

bool ChatController::send(const QString &text, const QString &replyTo)
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    if (!room)
        return false;
    if (!room->sendMessage(text, replyTo)) {
        setLastError(room->sendProblem(text));
        return false;
    }
    return true;
}

bool ChatController::editMessage(const QString &messageId, const QString &text)
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    if (!room)
        return false;
    if (!room->editMessage(messageId, text)) {
        const QString problem = room->sendProblem(text);
        setLastError(problem.isEmpty() ? tr("This message cannot be edited.") : problem);
        return false;
    }
    return true;
}

bool ChatController::deleteMessage(const QString &messageId)
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    return room && room->deleteMessage(messageId);
}

bool ChatController::toggleReaction(const QString &messageId, const QString &reaction)
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    return room && room->toggleReaction(messageId, reaction);
}

void ChatController::copyToClipboard(const QString &text) const
{
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(text);
}

QString ChatController::sendProblem(const QString &text) const
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    return room && !text.trimmed().isEmpty() ? room->sendProblem(text) : QString();
}

void ChatController::retry(const QString &messageId)
{
    if (ChatRoom *room = m_session ? m_session->currentRoom() : nullptr)
        room->retryMessage(messageId);
}

void ChatController::loadOlder()
{
    if (ChatRoom *room = m_session ? m_session->currentRoom() : nullptr)
        room->loadOlderMessages();
}

void ChatController::setReadingLatest(bool reading)
{
    if (ChatRoom *room = m_session ? m_session->currentRoom() : nullptr)
        room->setFollowingLatest(reading);
}

void ChatController::userTyping()
{
    if (ChatRoom *room = m_session ? m_session->currentRoom() : nullptr)
        room->userTyping();
}

void ChatController::reconnectNow()
{
    if (!m_session)
        return;
    m_session->client()->commands()->reconnectNow();
    m_session->client()->subscriber()->reconnectNow();
}

void ChatController::saveRooms() const
{
    if (!m_session || m_restoring)
        return;
    QStringList names;
    for (const ChatRoom *room : m_session->rooms())
        if (!room->isDirect())
            names << room->name();
    QSettings().setValue(RoomsKey, names);
}

void ChatController::setLastError(const QString &message)
{
    m_lastError = message;
    Q_EMIT lastErrorChanged();
}

} // namespace Redwire
