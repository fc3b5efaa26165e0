#pragma once

#include "chat/StreamId.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>

namespace Redwire {

class ChatRoom;
class DesktopNotifier;
class NotificationSound;
struct ChatMessage;

// Decides which chat events become notifications, fed by each room's messageArrived() and
// mentioned() signals. Each room has a level (all / mentions and direct messages / none); nothing
// notifies for the room in view in the active window; with the window active a notification is
// the window's own banner, in the background a desktop notification too. A muted room's messages
// notify only when they mention us; a stranger's request does not notify, except once, quietly
// ("message request", at most once a minute). A batch of messages in a room gives one
// notification: the newest. With the sound on, a notification (banner or desktop) also plays the
// sound, at most once a second; a message request stays silent.
class ChatNotificationPolicy : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 RequestNotificationIntervalMs = 60 * 1000;
    static constexpr qint64 SoundIntervalMs = 1000;

    enum class Level { All, MentionsAndDirect, None };
    enum class Delivery { Nothing, InWindow, Desktop };

    // The rule, on its own so that it can be read and tested as a table.
    static Delivery decide(Level level, bool mentionsMe, bool direct, bool windowActive, bool roomInView);
    // "all", "mentions", "none" (ChatSettings); anything else is MentionsAndDirect.
    static Level levelFromName(const QString &name);

    explicit ChatNotificationPolicy(DesktopNotifier *notifier, QObject *parent = nullptr);

    // What the policy asks of the rest of the app. Without a level source every room is All.
    void setMutedCheck(std::function<bool(const ChatRoom *)> isMuted) { m_isMuted = std::move(isMuted); }
    void setLevelSource(std::function<Level(const ChatRoom *)> levelOf) { m_levelOf = std::move(levelOf); }
    void setCurrentRoomSource(std::function<const ChatRoom *()> currentRoom)
    {
        m_currentRoom = std::move(currentRoom);
    }
    void setWindowActive(bool active) { m_windowActive = active; }
    // What plays the sound (not owned; null: none), and whether the user wants it (off by default).
    void setSound(NotificationSound *sound) { m_sound = sound; }
    void setSoundOn(bool on) { m_soundOn = on; }

    void watch(ChatRoom *room);
    void requestOpened(ChatRoom *room);

    static QString titleFor(const ChatRoom *room);

private:
    struct Pending
    {
        QString title;
        QString body;
        Delivery delivery = Delivery::Nothing;
    };

    Delivery deliveryFor(const ChatRoom *room, bool mentionsMe) const;
    void deliver(const Pending &note);
    void messageArrived(ChatRoom *room, const ChatMessage &message);
    void mentioned(ChatRoom *room, const ChatMessage &message);
    void flush();

    DesktopNotifier *m_notifier;
    std::function<bool(const ChatRoom *)> m_isMuted;
    std::function<Level(const ChatRoom *)> m_levelOf;
    std::function<const ChatRoom *()> m_currentRoom;
    bool m_windowActive = true;
    NotificationSound *m_sound = nullptr;
    bool m_soundOn = false;
    QElapsedTimer m_lastSound;
    // The newest message of each room's current batch, notified when the batch is over.
    QHash<const ChatRoom *, Pending> m_pending;
    // The newest stored message each room notified of (or has pending): an older one that comes
    // later (its sender checked late, after a flood) notifies nothing.
    QHash<const ChatRoom *, StreamId> m_newestNotified;
    QList<QPointer<ChatRoom>> m_pendingOrder;
    QElapsedTimer m_lastRequestNotice;
};

} // namespace Redwire
