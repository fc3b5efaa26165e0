#include "ChatController.h"

#include "ChatNotificationPolicy.h"
#include "ChatSessionSettings.h"
#include "ChatSettings.h"
#include "DesktopNotifier.h"
#include "MemberListModel.h"
#include "MessageListModel.h"
#include "MessageModelCache.h"
#include "PeerPresence.h"
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
    , m_presence(new PeerPresence(config.awayAfterMs, this))
    , m_notifications(new ChatNotificationPolicy(m_notifier, this))
    , m_levels(new RoomNotificationLevels(this))
{
    m_notifications->setSound(new SoundEffectPlayer(this));
    connect(m_presence, &PeerPresence::changed, this, [this] {
        Q_EMIT currentPeerPresenceChanged();
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

ChatRoom *ChatController::current() const
{
    return m_session ? m_session->currentRoom() : nullptr;
}

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
    m_identity->attach(m_session, options.accountScope());
    m_session->setAcceptedPeers(ChatSessionSettings::acceptedPeers(nickname));
    connect(m_session, &ChatSession::acceptedPeersChanged, this,
        [this] { ChatSessionSettings::setAcceptedPeers(m_session->nickname(), m_session->acceptedPeers()); });
    connect(m_session, &ChatSession::directConversationOpened, m_notifications,
        &ChatNotificationPolicy::requestOpened);
    m_rooms = new RoomListModel(m_session, this);
    m_members = new MemberListModel(nickname, this);
    m_members->setPresenceSource([this](const QString &name) { return m_presence->isOnline(name); });
    m_members->setConnectionSource([this] { return m_presence->isConnected(); });
    m_members->setAwaySource(
        [this](const QString &name) { return m_presence->presenceOf(name) == QLatin1String("away"); });
    m_presence->setSession(m_session);
    m_rooms->setMutedKeys(ChatSessionSettings::mutedKeys());
    connect(m_rooms, &RoomListModel::mutedChanged, this, [this] {
        ChatSessionSettings::setMutedKeys(m_rooms->mutedKeys());
        Q_EMIT currentRoomChanged(); // currentRoomMuted
    });

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
    return m_levels->levelOf(current());
}

void ChatController::setCurrentRoomNotificationLevel(const QString &level)
{
    m_levels->setLevel(current(), level);
}

bool ChatController::currentRoomDirect() const
{
    return current() && current()->isDirect();
}

QString ChatController::currentPeerPresence() const
{
    ChatRoom *room = current();
    if (!room || !room->isDirect())
        return {};
    return m_presence->presenceOf(room->name());
}

void ChatController::stop()
{
    if (!m_session)
        return;
    m_identity->detach();
    m_presence->setSession(nullptr);
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
             static_cast<QObject *>(closing->client()->subscriber()) })
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
    return m_messageModels->modelFor(current());
}

QString ChatController::currentRoom() const
{
    return current() ? current()->name() : QString();
}

QString ChatController::currentRoomKey() const
{
    ChatRoom *room = current();
    return room ? RoomListModel::keyFor(room) : QString();
}

QString ChatController::currentRoomProblem() const
{
    return current() ? current()->problem() : QString();
}

void ChatController::retryCurrentRoom()
{
    if (ChatRoom *room = current())
        room->retryAccess();
}

bool ChatController::currentRoomMuted() const
{
    ChatRoom *room = current();
    return room && m_rooms->isMuted(RoomListModel::keyFor(room));
}

QString ChatController::typingText() const
{
    ChatRoom *room = current();
    return room ? TypingText::describe(room->typingUsers(), nickname()) : QString();
}

void ChatController::setWindowActive(bool active)
{
    if (m_windowActive == active)
        return;
    m_windowActive = active;
    m_notifications->setWindowActive(active);
    m_presence->setWindowActive(active);
    // Back at the window: another device may have read meanwhile.
    if (active && m_session)
        m_session->readMarkers()->reload();
    // While the window is in the background, the room shown is not being read.
    if (current())
        current()->setInView(active);
    Q_EMIT windowActiveChanged();
}

void ChatController::roomAdded(int row)
{
    ChatRoom *room = m_session->roomAt(row);
    if (!room)
        return;
    m_notifications->watch(room);
    m_levels->watch(room);
    m_presence->watchRoom(room);
    connect(room, &ChatRoom::errorOccurred, this, &ChatController::showError);
    if (!m_restoring)
        saveRooms();
}

void ChatController::acceptCurrentRequest()
{
    if (ChatRoom *room = current())
        room->acceptRequest();
}

bool ChatController::currentRoomRequest() const
{
    return current() && current()->isRequest();
}

void ChatController::currentChanged()
{
    ChatRoom *room = current();
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
    if (sender() == current())
        Q_EMIT currentRoomProblemChanged();
}

void ChatController::joinRoom(const QString &name)
{
    if (m_session)
        show(m_session->joinRoom(name.trimmed()));
}

void ChatController::openDirect(const QString &peer)
{
    if (m_session)
        show(m_session->openDirect(peer));
}

void ChatController::show(ChatRoom *room)
{
    if (room)
        m_session->setCurrentRoom(room);
    else
        showError(m_session->lastError());
}

void ChatController::setCurrentRoomMuted(bool muted)
{
    if (current())
        m_rooms->setRowMuted(m_rooms->rowOf(current()), muted);
}

bool ChatController::send(const QString &text, const QString &replyTo)
{
    ChatRoom *room = current();
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
    ChatRoom *room = current();
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
    return current() && current()->deleteMessage(messageId);
}

bool ChatController::toggleReaction(const QString &messageId, const QString &reaction)
{
    return current() && current()->toggleReaction(messageId, reaction);
}

void ChatController::copyToClipboard(const QString &text) const
{
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(text);
}

QString ChatController::sendProblem(const QString &text) const
{
    ChatRoom *room = current();
    return room && !text.trimmed().isEmpty() ? room->sendProblem(text) : QString();
}

void ChatController::retry(const QString &messageId)
{
    if (ChatRoom *room = current())
        room->retryMessage(messageId);
}

void ChatController::loadOlder()
{
    if (ChatRoom *room = current())
        room->loadOlderMessages();
}

void ChatController::setReadingLatest(bool reading)
{
    if (ChatRoom *room = current())
        room->setFollowingLatest(reading);
}

void ChatController::userTyping()
{
    if (ChatRoom *room = current())
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
