#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>

namespace Redwire {

class ChatRoom;
class DesktopNotifier;
struct ChatMessage;

// Decides which chat events become desktop notifications, fed by each room's messageArrived()
// and mentioned() signals: a mention always (unless it is in view); other messages of a room that
// is neither muted, nor in view in the active window, nor a stranger's request (one notification
// per batch: the newest); a stranger's first message as one quiet "message request" at most once
// a minute.
class ChatNotificationPolicy : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 RequestNotificationIntervalMs = 60 * 1000;

    explicit ChatNotificationPolicy(DesktopNotifier *notifier, QObject *parent = nullptr);

    // What the policy asks of the rest of the app.
    void setMutedCheck(std::function<bool(const ChatRoom *)> isMuted) { m_isMuted = std::move(isMuted); }
    void setCurrentRoomSource(std::function<const ChatRoom *()> currentRoom)
    {
        m_currentRoom = std::move(currentRoom);
    }
    void setWindowActive(bool active) { m_windowActive = active; }

    void watch(ChatRoom *room);
    void requestOpened(ChatRoom *room);

    static QString titleFor(const ChatRoom *room);

private:
    bool isInView(const ChatRoom *room) const;
    void messageArrived(ChatRoom *room, const ChatMessage &message);
    void mentioned(ChatRoom *room, const ChatMessage &message);
    void flush();

    DesktopNotifier *m_notifier;
    std::function<bool(const ChatRoom *)> m_isMuted;
    std::function<const ChatRoom *()> m_currentRoom;
    bool m_windowActive = true;
    // The newest message of each room's current batch, notified when the batch is over.
    QHash<const ChatRoom *, QPair<QString, QString>> m_pending;
    QList<QPointer<ChatRoom>> m_pendingOrder;
    QElapsedTimer m_lastRequestNotice;
};

} // namespace Redwire
