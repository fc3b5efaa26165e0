#pragma once

#include <QObject>
#include <QPointer>

namespace Redwire {

class ChatRoom;
class ChatSession;
class IdleWatch;

// Who is online and who is away, as the chat window shows it. Someone is online when they are in
// the presence set of one of our rooms or their presence key (UserPresence) says they are
// connected; away when that key says they are idle. For ourselves, away is our own idleness
// (IdleWatch), which is also what the session publishes to others. While we are not connected,
// nobody is online: what we knew is stale.
class PeerPresence : public QObject
{
    Q_OBJECT
public:
    explicit PeerPresence(int awayAfterMs, QObject *parent = nullptr);

    // The session whose rooms and presence keys are asked; nullptr when signed out.
    void setSession(ChatSession *session);
    // A room joined: who is here is who is online for our direct conversations.
    void watchRoom(ChatRoom *room);
    void setWindowActive(bool active);

    bool isOnline(const QString &nickname) const;
    // Connected to the server (a frozen server still counts): what we know of others is current.
    bool isConnected() const;
    // The user of this app is away (no input for a while).
    bool isAway() const;
    // "online", "away" or "offline".
    QString presenceOf(const QString &nickname) const;

Q_SIGNALS:
    // Someone's presence may have changed.
    void changed();

private:
    IdleWatch *m_idle;
    QPointer<ChatSession> m_session;
};

} // namespace Redwire
