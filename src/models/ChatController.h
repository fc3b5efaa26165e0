#pragma once

#include "MemberListModel.h"
#include "MessageListModel.h"
#include "MessageSearchModel.h"
#include "RoomListModel.h"
#include "SigningIdentity.h"
#include "chat/ChatConfig.h"
#include "chat/ChatError.h"
#include "redis/ConnectionOptions.h"
#include "redis/RedisClient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace Redwire {

class ChatRoom;
class ChatSession;
class ChatSettings;
class DesktopNotifier;
class MessageModelCache;
class PeerPresence;
class RoomNotificationLevels;

// What the chat page talks to: one ChatSession, the models over it, the connection state in a
// form a banner can show, and the user's choices that outlive a run (joined rooms, muted rooms,
// the room in view), kept in QSettings.
class ChatController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by the application")
    Q_PROPERTY(bool started READ isStarted NOTIFY startedChanged)
    Q_PROPERTY(QString nickname READ nickname NOTIFY startedChanged)
    Q_PROPERTY(QString endpoint READ endpoint NOTIFY startedChanged)
    Q_PROPERTY(
        Redwire::RedisClient::ClientState connectionState READ connectionState NOTIFY connectionChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY connectionChanged)
    Q_PROPERTY(int retryInMs READ retryInMs NOTIFY connectionChanged)
    Q_PROPERTY(Redwire::RoomListModel *rooms READ rooms NOTIFY startedChanged)
    Q_PROPERTY(Redwire::MessageListModel *messages READ messages NOTIFY currentRoomChanged)
    Q_PROPERTY(Redwire::MemberListModel *members READ members NOTIFY startedChanged)
    // Searching the room in view (Ctrl+F).
    Q_PROPERTY(Redwire::MessageSearchModel *search READ search CONSTANT)
    Q_PROPERTY(Redwire::SigningIdentity *identity READ identity CONSTANT)
    Q_PROPERTY(QString currentRoom READ currentRoom NOTIFY currentRoomChanged)
    // "room:NAME" or "dm:NICK" (RoomListModel::keyFor): what per-room choices are kept under.
    Q_PROPERTY(QString currentRoomKey READ currentRoomKey NOTIFY currentRoomChanged)
    Q_PROPERTY(bool currentRoomMuted READ currentRoomMuted NOTIFY currentRoomChanged)
    // The room in view is a direct conversation (currentRoom is then the other person's nickname).
    Q_PROPERTY(bool currentRoomDirect READ currentRoomDirect NOTIFY currentRoomChanged)
    // For a direct conversation: "online" when the other person is present in a room we are in
    // (its presence set) or their presence key says so, "away" when that key says they are idle,
    // else "offline"; empty for a room.
    Q_PROPERTY(QString currentPeerPresence READ currentPeerPresence NOTIFY currentPeerPresenceChanged)
    // "all", "mentions" or "none" (ChatSettings::notificationLevel) for the room in view.
    Q_PROPERTY(QString currentRoomNotificationLevel READ currentRoomNotificationLevel NOTIFY
            currentRoomNotificationLevelChanged)
    Q_PROPERTY(QString currentRoomProblem READ currentRoomProblem NOTIFY currentRoomProblemChanged)
    Q_PROPERTY(bool currentRoomRequest READ currentRoomRequest NOTIFY currentRoomProblemChanged)
    Q_PROPERTY(QString typingText READ typingText NOTIFY typingTextChanged)
    Q_PROPERTY(int payloadLimit READ payloadLimit CONSTANT)
    Q_PROPERTY(bool windowActive READ windowActive WRITE setWindowActive NOTIFY windowActiveChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY pendingCountChanged)
public:
    explicit ChatController(const ChatConfig &config = {}, QObject *parent = nullptr);
    ~ChatController() override;

    bool isStarted() const { return m_session != nullptr; }
    QString nickname() const;
    QString endpoint() const { return m_options.serverDisplayName(); }
    RedisClient::ClientState connectionState() const;
    QString errorText() const;
    int retryInMs() const;
    RoomListModel *rooms() const { return m_rooms; }
    MessageListModel *messages() const;
    MemberListModel *members() const { return m_members; }
    MessageSearchModel *search() const { return m_search; }
    SigningIdentity *identity() const { return m_identity; }
    QString currentRoom() const;
    QString currentRoomKey() const;
    bool currentRoomMuted() const;
    bool currentRoomDirect() const;
    QString currentPeerPresence() const;
    QString currentRoomNotificationLevel() const;
    Q_INVOKABLE void setCurrentRoomNotificationLevel(const QString &level);
    // Where notification levels are kept (main.cpp hands the app's settings); without it every
    // room notifies at its default level.
    void setPreferences(ChatSettings *preferences);
    QString currentRoomProblem() const;
    // Asks the server again for the room in view after it refused it.
    Q_INVOKABLE void retryCurrentRoom();
    bool currentRoomRequest() const;
    // The user accepts the message request in view.
    Q_INVOKABLE void acceptCurrentRequest();
    QString typingText() const;
    int payloadLimit() const { return m_config.payloadLimitBytes; }
    bool windowActive() const { return m_windowActive; }
    void setWindowActive(bool active);
    QString lastError() const { return m_lastError; }
    // Messages typed but not stored by the server yet (they live in memory only).
    int pendingCount() const;
    ChatSession *session() const { return m_session; }

    // Connects as `nickname` and opens the saved rooms plus `rooms`; the last of `rooms` (or the
    // saved room in view) is shown.
    Q_INVOKABLE void start(
        const Redwire::ConnectionOptions &options, const QString &nickname, const QStringList &rooms = {});
    // Signs out: the session's pending read markers are written first, then it disconnects
    // (asynchronously, bounded); stopped() says when.
    Q_INVOKABLE void stop();
    // A session stopped is still writing its last read markers.
    bool isStopping() const { return m_closingSessions > 0; }

    Q_INVOKABLE void joinRoom(const QString &name);
    Q_INVOKABLE void openDirect(const QString &nickname);
    Q_INVOKABLE void setCurrentRoomMuted(bool muted);
    // Sends `text` to the room in view; `replyTo` is the ID of the message it answers, or empty.
    Q_INVOKABLE bool send(const QString &text, const QString &replyTo = {});
    // Our message `messageId` in the room in view gets `text` / is deleted (see ChatRoom).
    Q_INVOKABLE bool editMessage(const QString &messageId, const QString &text);
    Q_INVOKABLE bool deleteMessage(const QString &messageId);
    // Gives `reaction` to a message of the room in view, or takes ours back.
    Q_INVOKABLE bool toggleReaction(const QString &messageId, const QString &reaction);
    Q_INVOKABLE void retry(const QString &messageId);
    Q_INVOKABLE void loadOlder();
    // The view shows the newest messages of the room in view (it is at the bottom): they are
    // read, and the read marker follows.
    Q_INVOKABLE void setReadingLatest(bool reading);
    Q_INVOKABLE void userTyping();
    Q_INVOKABLE void reconnectNow();
    // Why the composer's text cannot be sent as it is (too long, ...), or an empty string.
    Q_INVOKABLE QString sendProblem(const QString &text) const;
    // Puts `text` on the system clipboard (a message's full text, one click away).
    Q_INVOKABLE void copyToClipboard(const QString &text) const;

Q_SIGNALS:
    void startedChanged();
    void connectionChanged();
    void currentRoomChanged();
    void currentRoomProblemChanged();
    void typingTextChanged();
    void windowActiveChanged();
    void lastErrorChanged();
    void pendingCountChanged();
    void currentPeerPresenceChanged();
    void currentRoomNotificationLevelChanged();
    // For the window: a notification was raised (ask for attention, show a banner).
    void notified(const QString &title, const QString &body);
    // Every session stopped has closed its connections.
    void stopped();

private:
    // The room in view, if any.
    ChatRoom *current() const;
    // Puts a room just joined or opened in view, or says why there is none.
    void show(ChatRoom *room);
    void roomProblemChanged();
    void setLastError(const QString &message);
    void showError(const ChatError &error) { setLastError(error.message()); }
    void watchConnections();
    void roomAdded(int row);
    void currentChanged();
    void saveRooms() const;

    const ChatConfig m_config;
    ConnectionOptions m_options;
    ChatSession *m_session = nullptr;
    RoomListModel *m_rooms = nullptr;
    MemberListModel *m_members = nullptr;
    MessageSearchModel *m_search;
    SigningIdentity *m_identity;
    MessageModelCache *m_messageModels;
    DesktopNotifier *m_notifier;
    PeerPresence *m_presence;
    class ChatNotificationPolicy *m_notifications;
    RoomNotificationLevels *m_levels;
    QString m_lastError;
    bool m_windowActive = true;
    bool m_restoring = false;
    int m_closingSessions = 0;
};

} // namespace Redwire
