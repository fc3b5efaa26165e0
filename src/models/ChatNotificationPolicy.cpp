#include "ChatNotificationPolicy.h"

#include "DesktopNotifier.h"
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
}

bool ChatNotificationPolicy::isInView(const ChatRoom *room) const
{
    return m_windowActive && m_currentRoom && m_currentRoom() == room;
}

void ChatNotificationPolicy::mentioned(ChatRoom *room, const ChatMessage &message)
{
    if (isInView(room) || room->isRequest())
        return;
    m_notifier->notify(tr("%1 mentioned you in %2").arg(message.sender, titleFor(room)), message.text);
}

void ChatNotificationPolicy::messageArrived(ChatRoom *room, const ChatMessage &message)
{
    // Mentions have their own notification; muted rooms, the room being read and requests none.
    if (message.mentionsMe || isInView(room) || room->isRequest() || (m_isMuted && m_isMuted(room)))
        return;
    const QString sender = message.external ? tr("external") : message.sender;
    if (!m_pending.contains(room))
        m_pendingOrder.append(QPointer<ChatRoom>(room));
    m_pending.insert(room, { titleFor(room), sender + QStringLiteral(": ") + message.text.left(200) });
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
        const QPair<QString, QString> note = pending.value(room.data());
        m_notifier->notify(note.first, note.second);
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
    m_notifier->notify(tr("Message request"), tr("%1 wants to talk with you.").arg(room->name()));
}

} // namespace Redwire
