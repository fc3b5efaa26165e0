#pragma once

#include "chat/ChatRoom.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace Redwire {

// Who is in the room in view (presence from Redis), sorted by name, with who is typing; for a
// direct conversation, the two people, the other one online or not as the presence source says;
// anyone online may be away (idle), as the away source says.
// Follows the room's changes with row inserts and removals, and can be pointed at another room.
class MemberListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatController")
    Q_PROPERTY(int onlineCount READ onlineCount NOTIFY onlineCountChanged)
public:
    enum Role {
        NicknameRole = Qt::UserRole + 1, // "nickname"
        OnlineRole, // "online": present (heartbeat within the bound)
        TypingRole, // "typing"
        MeRole, // "me": our own entry
        AwayRole, // "away": online but idle (no input for a while), as the person's presence key says
    };
    Q_ENUM(Role)

    explicit MemberListModel(const QString &myNickname, QObject *parent = nullptr);

    void setRoom(ChatRoom *room);
    // Whether a nickname is online, for direct conversations (a room's members are online).
    void setPresenceSource(std::function<bool(const QString &)> isOnline)
    {
        m_isOnline = std::move(isOnline);
    }
    // Whether we are connected: while not, nobody shows online (what we knew is stale).
    void setConnectionSource(std::function<bool()> isConnected) { m_isConnected = std::move(isConnected); }
    // Whether an online nickname is away (idle).
    void setAwaySource(std::function<bool(const QString &)> isAway) { m_isAway = std::move(isAway); }
    // The presence or away source's answers may have changed.
    void presenceChanged();
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    int onlineCount() const;

Q_SIGNALS:
    void onlineCountChanged();

private:
    void syncMembers();
    void syncTyping();

    bool isOnline(const QString &nickname) const;

    QString m_me;
    std::function<bool(const QString &)> m_isOnline;
    std::function<bool(const QString &)> m_isAway;
    std::function<bool()> m_isConnected;
    int m_lastOnlineCount = 0;
    QPointer<ChatRoom> m_room;
    QStringList m_members; // sorted
    QStringList m_typing;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace Redwire
