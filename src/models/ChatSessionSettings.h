#pragma once

#include <QString>
#include <QStringList>

namespace Redwire {

class ChatSession;

// What a chat session keeps between runs, in the application's QSettings: the rooms joined, the
// rooms muted (RoomListModel keys), the room in view, and per nickname the people we talk with
// (ChatSession::acceptedPeers).
class ChatSessionSettings
{
public:
    // Joins the saved rooms, then `asked` (the command line's); shows the last of `asked`, else
    // the saved room in view, else the first.
    static void restoreRooms(ChatSession *session, const QStringList &asked);
    // The session's rooms (not its direct conversations), for the next run.
    static void saveRooms(const ChatSession *session);
    static QStringList mutedKeys();
    static void setMutedKeys(const QStringList &keys);
    static QString currentRoom();
    static void setCurrentRoom(const QString &name);
    static QStringList acceptedPeers(const QString &nickname);
    static void setAcceptedPeers(const QString &nickname, const QStringList &peers);
};

} // namespace Redwire
