#include "ChatSessionSettings.h"

#include "chat/ChatRoom.h"
#include "chat/ChatSession.h"

#include <QSettings>

namespace Redwire {

namespace {
const QString RoomsKey = QStringLiteral("chat/rooms");
const QString MutedKey = QStringLiteral("chat/muted");
const QString CurrentKey = QStringLiteral("chat/current");

// Any nickname makes a valid key: hex, never a path separator or a QSettings group.
QString acceptedPeersKey(const QString &nickname)
{
    return QStringLiteral("chat/contacts/") + QString::fromLatin1(nickname.toUtf8().toHex());
}
} // namespace

void ChatSessionSettings::restoreRooms(ChatSession *session, const QStringList &asked)
{
    QStringList toJoin = QSettings().value(RoomsKey).toStringList();
    for (const QString &room : asked)
        if (!toJoin.contains(room))
            toJoin << room;
    for (const QString &room : std::as_const(toJoin))
        session->joinRoom(room);
    const QString show = asked.isEmpty() ? currentRoom() : asked.last();
    if (ChatRoom *room = session->room(show))
        session->setCurrentRoom(room);
    else if (session->roomCount() > 0)
        session->setCurrentRoom(session->roomAt(0));
}

void ChatSessionSettings::saveRooms(const ChatSession *session)
{
    QStringList names;
    for (const ChatRoom *room : session->rooms())
        if (!room->isDirect())
            names << room->name();
    QSettings().setValue(RoomsKey, names);
}

QStringList ChatSessionSettings::mutedKeys()
{
    return QSettings().value(MutedKey).toStringList();
}

void ChatSessionSettings::setMutedKeys(const QStringList &keys)
{
    QSettings().setValue(MutedKey, keys);
}

QString ChatSessionSettings::currentRoom()
{
    return QSettings().value(CurrentKey).toString();
}

void ChatSessionSettings::setCurrentRoom(const QString &name)
{
    QSettings().setValue(CurrentKey, name);
}

QStringList ChatSessionSettings::acceptedPeers(const QString &nickname)
{
    return QSettings().value(acceptedPeersKey(nickname)).toStringList();
}

void ChatSessionSettings::setAcceptedPeers(const QString &nickname, const QStringList &peers)
{
    QSettings().setValue(acceptedPeersKey(nickname), peers);
}

} // namespace Redwire
