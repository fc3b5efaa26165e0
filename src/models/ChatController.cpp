#include "ChatController.h"

#include "ChatNotificationPolicy.h"
#include "ChatSessionSettings.h"
#include "ChatSettings.h"
#include "DesktopNotifier.h"
#include "IdleWatch.h"
#include "MemberListModel.h"
#include "MessageListModel.h"
#include "MessageModelCache.h"
#include "RoomListModel.h"
#include "RoomNotificationLevels.h"
#include "SigningIdentity.h"
#include "SoundEffectPlayer.h"
#include "TypingText.h"
#include "chat/ChatRoom.h"
#include "chat/ChatSession.h"
#include "chat/Outbox.h"
#include "chat/ReadMarkers.h"
#include "chat/RoomTimeline.h"
#include "chat/UserPresence.h"
#include "desktop/SigningKeyStore.h"
#include "redis/RedisClient.h"

#include <QClipboard>
#include <QGuiApplication>

namespace Redwire {

ChatController::ChatController(const ChatConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_messageModels(new MessageModelCache(this))
    , m_search(new MessageSearchModel(this))
    , m_identity(new SigningIdentity(
          new SigningKeyStore(KeychainBackend::system(),
              config.identityDirectory.isEmpty() ? QString()
                                                 : config.identityDirectory + QStringLiteral("/keys"),
              this),
          config.identityDirectory, this))
    , m_notifier(new DesktopNotifier(this))
    , m_idle(new IdleWatch(config.awayAfterMs, this))
    , m_notifications(new ChatNotificationPolicy(m_notifier, this))
    , m_levels(new RoomNotificationLevels(this))
{
    m_notifications->setSound(new SoundEffectPlayer(this));
    connect(m_idle, &IdleWatch::idleChanged, this, [this](bool idle) {
        if (m_session)
            m_session->userPresence()->setAway(idle);
        if (m_members)
            m_members->presenceChanged();
    });
    connect(m_levels, &RoomNotificationLevels::changed, this,
        &ChatController::currentRoomNotificationLevelChanged);
    connect(m_notifier, &DesktopNotifier::notified, this, &ChatController::notified);
    m_notifications->setMutedCheck(
        [this](const ChatRoom *room) { return m_rooms && m_rooms->isMuted(RoomListModel::keyFor(room)); });
    m_notifications->setLevelSource([this](const ChatRoom *room) {
        return ChatNotificationPolicy::levelFromName(m_levels->levelOf(room));
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
        showError(m_session->lastError());
        delete m_session;
        m_session = nullptr;
        return;
    }
    m_identity->attach(m_session,
        options.username + QLatin1Char('@')
            + (options.topology == Topology::Sentinel // the master moves; the set's name stays
                    ? QStringLiteral("sentinel:%1/%2").arg(options.sentinelMaster).arg(options.database)
                    : options.unixSocket.isEmpty()
                        ? QStringLiteral("%1:%2/%3").arg(options.host).arg(options.port).arg(options.database)
                        : QStringLiteral("%1/%2").arg(options.unixSocket).arg(options.database)));
    m_session->setAcceptedPeers(ChatSessionSettings::acceptedPeers(nickname));
    connect(m_session, &ChatSession::acceptedPeersChanged, this,
        [this] { ChatSessionSettings::setAcceptedPeers(m_session->nickname(), m_session->acceptedPeers()); });
    connect(m_session, &ChatSession::directConversationOpened, m_notifications,
        &ChatNotificationPolicy::requestOpened);
    m_rooms = new RoomListModel(m_session, this);
    m_members = new MemberListModel(nickname, this);
    m_members->setPresenceSource([this](const QString &name) { return isOnline(name); });
    m_members->setAwaySource(
        [this](const QString &name) { return presenceOf(name) == QLatin1String("away"); });
    m_session->userPresence()->setAway(m_idle->isIdle());
    connect(m_session->userPresence(), &UserPresence::statesChanged, this, [this] {
        Q_EMIT currentPeerPresenceChanged();
        if (m_members)
            m_members->presenceChanged();
    });
    m_rooms->setMutedKeys(ChatSessionSettings::mutedKeys());

    connect(m_session, &ChatSession::roomAdded, this, &ChatController::roomAdded);
    connect(m_session, &ChatSession::roomAboutToBeRemoved, this,
        [this](int row) { m_messageModels->drop(m_session->roomAt(row)); });
    connect(m_session, &ChatSession::roomRemoved, this, [this] { saveRooms(); });
    connect(m_session, &ChatSession::currentRoomChanged, this, &ChatController::currentChanged);
    connect(m_session, &ChatSession::errorOccurred, this, &ChatController::showError);
    connect(m_session->outbox(), &Outbox::countChanged, this, &ChatController::pendingCountChanged);
    watchConnections();

    m_session->connectToServer();
    Q_EMIT startedChanged();

    m_restoring = true;
    ChatSessionSettings::restoreRooms(m_session, rooms);
    m_restoring = false;
    saveRooms();
    currentChanged();
}

void ChatController::setPreferences(ChatSettings *preferences)
{
    m_levels->setPreferences(preferences);
    m_notifications->setSoundOn(preferences && preferences->notificationSound());
    if (preferences)
        connect(preferences, &ChatSettings::notificationSoundChanged, this,
            [this, preferences] { m_notifications->setSoundOn(preferences->notificationSound()); });
}

QString ChatController::currentRoomNotificationLevel() const
{
    return m_levels->levelOf(m_session ? m_session->currentRoom() : nullptr);
}

void ChatController::setCurrentRoomNotificationLevel(const QString &level)
{
    m_levels->setLevel(m_session ? m_session->currentRoom() : nullptr, level);
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
    if (m_session->isPresent(nickname))
        return true;
    return m_session->userPresence()->stateOf(nickname) != UserPresence::State::Absent;
}

bool ChatController::isAway() const
{
    return m_idle->isIdle();
}

QString ChatController::presenceOf(const QString &nickname) const
{
    if (!isOnline(nickname))
        return QStringLiteral("offline");
    const bool away = m_session && nickname == m_session->nickname()
        ? isAway()
        : m_session && m_session->userPresence()->stateOf(nickname) == UserPresence::State::Away;
    return away ? QStringLiteral("away") : QStringLiteral("online");
}

QString ChatController::currentPeerPresence() const
{
    ChatRoom *room = m_session ? m_session->currentRoom() : nullptr;
    if (!room || !room->isDirect())
        return {};
    return presenceOf(room->name());
}

void ChatController::stop()
{
    if (!m_session)
        return;
    m_identity->detach();
    m_search->setRoom(nullptr, nullptr, {}, {});
    m_messageModels->clear();
    delete m_members;
    m_members = nullptr;
    delete m_rooms;
    m_rooms = nullptr;
    // The session goes once its last read markers are written (or a short bound passed).
    ChatSession *closing = std::exchange(m_session, nullptr);
    // Nothing it still receives reaches the window.
    disconnect(closing, nullptr, this, nullptr);
    disconnect(closing, nullptr, m_notifications, nullptr);
    for (QObject *part : { static_cast<QObject *>(closing->outbox()),
             static_cast<QObject *>(closing->client()), static_cast<QObject *>(closing->client()->commands()),
             static_cast<QObject *>(closing->client()->subscriber()),
             static_cast<QObject *>(closing->userPresence()) })
        disconnect(part, nullptr, this, nullptr);
    for (ChatRoom *room : closing->rooms()) {
        disconnect(room, nullptr, this, nullptr);
        disconnect(room, nullptr, m_notifications, nullptr);
    }
    ++m_closingSessions;
    connect(closing, &ChatSession::closed, this, [this, closing] {
        closing->deleteLater();
        if (--m_closingSessions == 0)
            Q_EMIT stopped();
    });
    closing->closeGracefully();
    Q_EMIT startedChanged();
    Q_EMIT currentRoomChanged();
    Q_EMIT connectionChanged();
}

void ChatController::watchConnections()
{
    RedisClient *client = m_session->client();
    connect(client, &RedisClient::stateChanged, this, &ChatController::connectionChanged);
    connect(client, &RedisClient::errorChanged, this, &ChatController::connectionChanged);
}

int ChatController::pendingCount() const
{
    return m_session ? m_session->outbox()->count() : 0;
}

RedisClient::ClientState ChatController::connectionState() const
{
    return m_session ? m_session->client()->state() : RedisClient::ClientState::Disconnected;
}

QString ChatController::errorText() const
{
    return m_session ? m_session->client()->errorString() : m_lastError;
}

int ChatController::retryInMs() const
{
    return m_session ? m_session->client()->remainingRetryDelayMs() : -1;
}

MessageListModel *ChatController::messages() const
{
    return m_messageModels->modelFor(m_session ? m_session->currentRoom() : nullptr);
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
    return room ? TypingText::describe(room->typingUsers(), nickname()) : QString();
}

void ChatController::setWindowActive(bool active)
{
    if (m_windowActive == active)
        return;
    m_windowActive = active;
    m_notifications->setWindowActive(active);
    m_idle->setWindowActive(active);
    // Back at the window: another device may have read meanwhile.
    if (active && m_session)
        m_session->readMarkers()->reload();
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
    m_levels->watch(room);
    connect(room, &ChatRoom::errorOccurred, this, &ChatController::showError);
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
            ChatSessionSettings::setCurrentRoom(room->name());
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
        showError(m_session->lastError());
}

void ChatController::openDirect(const QString &peer)
{
    if (!m_session)
        return;
    if (ChatRoom *room = m_session->openDirect(peer))
        m_session->setCurrentRoom(room);
    else
        showError(m_session->lastError());
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
    ChatSessionSettings::setMutedKeys(m_rooms->mutedKeys());
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
    if (m_session && !m_restoring)
        ChatSessionSettings::saveRooms(m_session);
}

void ChatController::setLastError(const QString &message)
{
    m_lastError = message;
    Q_EMIT lastErrorChanged();
}

} // namespace Redwire
