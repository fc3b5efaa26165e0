#include "ChatNotificationPolicy.h"

#include "DesktopNotifier.h"
#include "NotificationSound.h"
#include "chat/ChatMessage.h"
#include "chat/ChatRoom.h"

#include <QTimer>

namespace Redwire {

ChatNotificationPolicy::ChatNotificationPolicy(DesktopNotifier *notifier, QObject *parent)
    : QObject(parent)
    , m_notifier(notifier)
{ }

QString ChatNotificationPolicy::titleFor(const ChatRoom *room)
{
    return room->isDirect() ? QLatin1Char('@') + room->name() : QLatin1Char('#') + room->name();
}

void ChatNotificationPolicy::watch(ChatRoom *room)
{
    connect(room, &ChatRoom::messageArrived, this,
        [this, room](const ChatMessage &message) { messageArrived(room, message); });
    connect(room, &ChatRoom::mentioned, this,
        [this, room](const ChatMessage &message) { mentioned(room, message); });
    connect(room, &QObject::destroyed, this, [this, room] { m_newestNotified.remove(room); });
}

ChatNotificationPolicy::Delivery ChatNotificationPolicy::decide(
    Level level, bool mentionsMe, bool direct, bool windowActive, bool roomInView)
{
    if (windowActive && roomInView)
        return Delivery::Nothing; // being read
    if (level == Level::None || (level == Level::MentionsAndDirect && !mentionsMe && !direct))
        return Delivery::Nothing;
    return windowActive ? Delivery::InWindow : Delivery::Desktop;
}

ChatNotificationPolicy::Level ChatNotificationPolicy::levelFromName(const QString &name)
{
    if (name == QLatin1String("all"))
        return Level::All;
    if (name == QLatin1String("none"))
        return Level::None;
    return Level::MentionsAndDirect;
}

ChatNotificationPolicy::Delivery ChatNotificationPolicy::deliveryFor(
    const ChatRoom *room, bool mentionsMe) const
{
    if (room->isRequest())
        return Delivery::Nothing;
    if (!mentionsMe && m_isMuted && m_isMuted(room))
        return Delivery::Nothing;
    const Level level = m_levelOf ? m_levelOf(room) : Level::All;
    const bool inView = m_currentRoom && m_currentRoom() == room;
    return decide(level, mentionsMe, room->isDirect(), m_windowActive, inView);
}

void ChatNotificationPolicy::deliver(const Pending &note)
{
    if (note.delivery == Delivery::Nothing)
        return;
    m_notifier->notify(note.title, note.body,
        note.delivery == Delivery::Desktop ? DesktopNotifier::Reach::Desktop
                                           : DesktopNotifier::Reach::Window);
    // Several rooms notifying at once make one sound.
    if (m_soundOn && m_sound && (!m_lastSound.isValid() || m_lastSound.elapsed() >= SoundIntervalMs)) {
        m_lastSound.start();
        m_sound->play();
    }
}

void ChatNotificationPolicy::mentioned(ChatRoom *room, const ChatMessage &message)
{
    deliver({ tr("%1 mentioned you in %2").arg(message.sender, titleFor(room)), message.text,
        deliveryFor(room, true) });
}

void ChatNotificationPolicy::messageArrived(ChatRoom *room, const ChatMessage &message)
{
    // Mentions have their own notification.
    if (message.mentionsMe)
        return;
    const Delivery delivery = deliveryFor(room, false);
    if (delivery == Delivery::Nothing)
        return;
    // Stream order, not the order the verdicts came in: news older than what was shown is stale.
    if (!message.streamId.isNull()) {
        StreamId &newest = m_newestNotified[room];
        if (message.streamId <= newest)
            return;
        newest = message.streamId;
    }
    const QString sender = message.external ? tr("external") : message.sender;
    if (!m_pending.contains(room))
        m_pendingOrder.append(QPointer<ChatRoom>(room));
    m_pending.insert(
        room, { titleFor(room), sender + QStringLiteral(": ") + message.text.left(200), delivery });
    if (m_pendingOrder.size() == 1)
        QTimer::singleShot(0, this, &ChatNotificationPolicy::flush);
}

void ChatNotificationPolicy::flush()
{
    const QList<QPointer<ChatRoom>> order = std::exchange(m_pendingOrder, {});
    const auto pending = std::exchange(m_pending, {});
    for (const QPointer<ChatRoom> &room : order) {
        if (!room)
            continue;
        deliver(pending.value(room.data()));
    }
}

// Someone we never talked with wrote to us: one quiet notification (at most one a minute,
// whoever writes), and the conversation waits in the room list as a request.
void ChatNotificationPolicy::requestOpened(ChatRoom *room)
{
    if (!room || !room->isRequest())
        return;
    if (m_lastRequestNotice.isValid() && m_lastRequestNotice.elapsed() < RequestNotificationIntervalMs)
        return;
    m_lastRequestNotice.start();
    m_notifier->notify(tr("Message request"), tr("%1 wants to talk with you.").arg(room->name()),
        m_windowActive ? DesktopNotifier::Reach::Window : DesktopNotifier::Reach::Desktop);
}

} // namespace Redwire
