#include "MemberListModel.h"

#include "chat/ChatRoom.h"

#include <algorithm>
#include <utility>

namespace Redwire {

MemberListModel::MemberListModel(const QString &myNickname, QObject *parent)
    : QAbstractListModel(parent)
    , m_me(myNickname)
{ }

void MemberListModel::setRoom(ChatRoom *room)
{
    if (m_room == room)
        return;
    for (const QMetaObject::Connection &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_room = room;
    if (room) {
        m_connections << connect(room, &ChatRoom::membersChanged, this, &MemberListModel::syncMembers);
        m_connections << connect(room, &ChatRoom::typingUsersChanged, this, &MemberListModel::syncTyping);
    }
    syncMembers();
    syncTyping();
}

// Applies the difference between the rows and the room's member list as inserts and removals.
void MemberListModel::syncMembers()
{
    QStringList wanted;
    if (m_room && m_room->isDirect())
        wanted = QStringList { m_me, m_room->name() };
    else if (m_room)
        wanted = m_room->members();
    std::sort(wanted.begin(), wanted.end(), [](const QString &a, const QString &b) {
        const int c = QString::compare(a, b, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a < b;
    });
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    const int before = int(m_members.size());
    for (int row = int(m_members.size()) - 1; row >= 0; --row) {
        if (!wanted.contains(m_members.at(row))) {
            beginRemoveRows({}, row, row);
            m_members.removeAt(row);
            endRemoveRows();
        }
    }
    for (int row = 0; row < wanted.size(); ++row) {
        if (row < m_members.size() && m_members.at(row) == wanted.at(row))
            continue;
        beginInsertRows({}, row, row);
        m_members.insert(row, wanted.at(row));
        endInsertRows();
    }
    if (before != m_members.size() || m_lastOnlineCount != onlineCount()) {
        m_lastOnlineCount = onlineCount();
        Q_EMIT onlineCountChanged();
    }
}

bool MemberListModel::isOnline(const QString &nickname) const
{
    if (m_isConnected && !m_isConnected())
        return false;
    if (!m_room || !m_room->isDirect() || nickname == m_me)
        return true;
    return m_isOnline && m_isOnline(nickname);
}

int MemberListModel::onlineCount() const
{
    return int(std::count_if(
        m_members.cbegin(), m_members.cend(), [this](const QString &name) { return isOnline(name); }));
}

void MemberListModel::presenceChanged()
{
    if (!m_room || m_members.isEmpty())
        return;
    Q_EMIT dataChanged(index(0), index(int(m_members.size()) - 1), { OnlineRole, AwayRole });
    if (m_lastOnlineCount != onlineCount()) {
        m_lastOnlineCount = onlineCount();
        Q_EMIT onlineCountChanged();
    }
}

void MemberListModel::syncTyping()
{
    // The new state is in place before dataChanged: a view reads the row when it is emitted.
    const QStringList before = std::exchange(m_typing, m_room ? m_room->typingUsers() : QStringList());
    for (int row = 0; row < m_members.size(); ++row) {
        const QString &name = m_members.at(row);
        if (m_typing.contains(name) != before.contains(name))
            Q_EMIT dataChanged(index(row), index(row), { TypingRole });
    }
}

int MemberListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_members.size());
}

QHash<int, QByteArray> MemberListModel::roleNames() const
{
    static const QHash<int, QByteArray> names { { NicknameRole, "nickname" }, { OnlineRole, "online" },
        { TypingRole, "typing" }, { MeRole, "me" }, { AwayRole, "away" } };
    return names;
}

QVariant MemberListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QString &name = m_members.at(index.row());
    switch (role) {
    case NicknameRole:
    case Qt::DisplayRole:
        return name;
    case OnlineRole:
        return isOnline(name);
    case TypingRole:
        return m_typing.contains(name);
    case MeRole:
        return name == m_me;
    case AwayRole:
        return isOnline(name) && m_isAway && m_isAway(name);
    default:
        return {};
    }
}

} // namespace Redwire
