#pragma once

#include "chat/ChatRoom.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

namespace Redwire {

// Who is in the room in view (presence from Redis), sorted by name, with who is typing. Follows
// the room's changes with row inserts and removals, and can be pointed at another room.
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
    };
    Q_ENUM(Role)

    explicit MemberListModel(const QString &myNickname, QObject *parent = nullptr);

    void setRoom(ChatRoom *room);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    int onlineCount() const { return int(m_members.size()); }

Q_SIGNALS:
    void onlineCountChanged();

private:
    void syncMembers();
    void syncTyping();

    QString m_me;
    QPointer<ChatRoom> m_room;
    QStringList m_members; // sorted
    QStringList m_typing;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace Redwire
