#include "RoomListModel.h"

#include "chat/ChatRoom.h"
#include "chat/ChatSession.h"

namespace Redwire {

RoomListModel::RoomListModel(ChatSession *session, QObject *parent)
    : QAbstractListModel(parent)
    , m_session(session)
{
    for (ChatRoom *room : session->rooms())
        insert(room);
    // Our rows are our own order: a room is inserted where its group wants it once the session
    // has it, and removed before the session lets it go.
    connect(session, &ChatSession::roomAdded, this, [this](int index) { insert(m_session->roomAt(index)); });
    connect(session, &ChatSession::roomAboutToBeRemoved, this,
        [this](int index) { remove(m_session->roomAt(index)); });
    connect(session, &ChatSession::roomRemoved, this, [this](int) { Q_EMIT currentRowChanged(); });
    connect(session, &ChatSession::currentRoomChanged, this, [this] {
        const int now = currentRow();
        if (m_lastCurrentRow >= 0 && m_lastCurrentRow < rowCount())
            Q_EMIT dataChanged(index(m_lastCurrentRow), index(m_lastCurrentRow), { CurrentRole });
        if (now >= 0)
            Q_EMIT dataChanged(index(now), index(now), { CurrentRole });
        m_lastCurrentRow = now;
        Q_EMIT currentRowChanged();
    });
}

QString RoomListModel::keyFor(const ChatRoom *room)
{
    return (room->isDirect() ? QStringLiteral("dm:") : QStringLiteral("room:")) + room->name();
}

void RoomListModel::insert(ChatRoom *room)
{
    if (!room || m_order.contains(room))
        return;
    // After the last row of its group: rooms before every direct conversation.
    int row = int(m_order.size());
    if (!room->isDirect()) {
        row = 0;
        while (row < m_order.size() && !m_order.at(row)->isDirect())
            ++row;
    }
    beginInsertRows({}, row, row);
    m_order.insert(row, room);
    endInsertRows();
    watch(room);
}

void RoomListModel::remove(ChatRoom *room)
{
    const int row = rowOf(room);
    if (row < 0)
        return;
    disconnect(room, nullptr, this, nullptr);
    beginRemoveRows({}, row, row);
    m_order.removeAt(row);
    endRemoveRows();
}

int RoomListModel::rowOf(const ChatRoom *room) const
{
    return int(m_order.indexOf(const_cast<ChatRoom *>(room)));
}

void RoomListModel::watch(ChatRoom *room)
{
    if (!room)
        return;
    connect(room, &ChatRoom::unreadCountChanged, this, [this, room] {
        roomChanged(room, { UnreadRole, MentionsRole });
    });
    connect(room, &ChatRoom::problemChanged, this, [this, room] { roomChanged(room, { ProblemRole }); });
    connect(room, &ChatRoom::requestChanged, this, [this, room] { roomChanged(room, { RequestRole }); });
}

void RoomListModel::roomChanged(ChatRoom *room, const QList<int> &roles)
{
    const int row = rowOf(room);
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row), roles);
}

int RoomListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_order.size());
}

QHash<int, QByteArray> RoomListModel::roleNames() const
{
    static const QHash<int, QByteArray> names {
        { NameRole, "name" },
        { UnreadRole, "unread" },
        { MentionsRole, "mentions" },
        { MutedRole, "muted" },
        { CurrentRole, "current" },
        { DirectRole, "direct" },
        { ProblemRole, "problem" },
        { RequestRole, "request" },
        { SectionRole, "section" },
    };
    return names;
}

QVariant RoomListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_session)
        return {};
    const ChatRoom *room = m_order.value(index.row());
    if (!room)
        return {};
    switch (role) {
    case NameRole:
    case Qt::DisplayRole:
        return room->name();
    case UnreadRole:
        return room->unreadCount();
    case MentionsRole:
        return room->isDirect() ? room->unreadCount() : room->unreadMentionCount();
    case MutedRole:
        return m_muted.contains(keyFor(room));
    case CurrentRole:
        return m_session->currentRoom() == room;
    case DirectRole:
        return room->isDirect();
    case ProblemRole:
        return room->problem();
    case RequestRole:
        return room->isRequest();
    case SectionRole:
        return room->isDirect() ? QStringLiteral("direct") : QStringLiteral("rooms");
    default:
        return {};
    }
}

int RoomListModel::currentRow() const
{
    return m_session && m_session->currentRoom() ? rowOf(m_session->currentRoom()) : -1;
}

int RoomListModel::rowAfter(int step, bool unreadOnly) const
{
    const int count = rowCount();
    if (count == 0 || step == 0)
        return -1;
    const int from = currentRow();
    if (!unreadOnly) {
        const int row = from < 0 ? (step > 0 ? 0 : count - 1) : from + step;
        return row >= 0 && row < count ? row : -1;
    }
    const int direction = step > 0 ? 1 : -1;
    const int start = from < 0 ? 0 : from;
    for (int i = 1; i <= count; ++i) {
        const int row = ((start + direction * i) % count + count) % count;
        const ChatRoom *room = m_order.value(row);
        if (row == from || !room || room->unreadCount() == 0)
            continue;
        if (!m_muted.contains(keyFor(room)) || room->unreadMentionCount() > 0 || room->isDirect())
            return row;
    }
    return -1;
}

void RoomListModel::setMuted(const QString &key, bool muted)
{
    if (muted == m_muted.contains(key))
        return;
    if (muted)
        m_muted.insert(key);
    else
        m_muted.remove(key);
    for (int row = 0; row < m_order.size(); ++row)
        if (keyFor(m_order.at(row)) == key)
            Q_EMIT dataChanged(index(row), index(row), { MutedRole });
    Q_EMIT mutedChanged();
}

void RoomListModel::select(int row)
{
    if (ChatRoom *room = m_session ? roomAt(row) : nullptr)
        m_session->setCurrentRoom(room);
}

void RoomListModel::leave(int row)
{
    ChatRoom *room = m_session ? roomAt(row) : nullptr;
    if (!room)
        return;
    const bool wasCurrent = room == m_session->currentRoom();
    m_session->leaveRoom(room);
    if (wasCurrent && !m_order.isEmpty())
        m_session->setCurrentRoom(m_order.at(std::min<int>(row, m_order.size() - 1)));
}

void RoomListModel::setRowMuted(int row, bool muted)
{
    if (ChatRoom *room = roomAt(row))
        setMuted(keyFor(room), muted);
}

void RoomListModel::setMutedKeys(const QStringList &keys)
{
    for (const QString &key : keys)
        setMuted(key, true);
}

} // namespace Redwire
