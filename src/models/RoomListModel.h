#pragma once

#include "chat/ChatRoom.h"
#include "chat/ChatSession.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QSet>
#include <QtQml/qqmlregistration.h>

namespace Redwire {

// The joined rooms, then the direct conversations (each group in the session's order, so a list
// can show them as two sections), with unread counts and the user's mute choices. A direct
// conversation's unread messages count as mentions: they are addressed to us.
class RoomListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatController")
    Q_PROPERTY(int currentRow READ currentRow NOTIFY currentRowChanged)
public:
    enum Role {
        NameRole = Qt::UserRole + 1, // "name": room name, or the peer's nickname
        UnreadRole, // "unread": messages since the room was last in view
        MentionsRole, // "mentions": of those, the ones naming us
        MutedRole, // "muted": no badge colour, no notification
        CurrentRole, // "current": the room in view
        DirectRole, // "direct": a direct conversation
        ProblemRole, // "problem": why the server refuses the room (translated), or empty
        RequestRole, // "request": a direct conversation from someone we never talked with
        SectionRole, // "section": "rooms" or "direct" (rooms come first)
    };
    Q_ENUM(Role)

    explicit RoomListModel(ChatSession *session, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int currentRow() const;
    // The room shown in `row`, or null; the row of `room`, or -1.
    ChatRoom *roomAt(int row) const { return m_order.value(row); }
    int rowOf(const ChatRoom *room) const;
    // For keyboard navigation: the row `step` rows from the room in view (no wrapping), or with
    // `unreadOnly` the nearest room in that direction with unread messages that are not muted
    // (muted rooms count when they mention us), wrapping round; -1 when there is none.
    Q_INVOKABLE int rowAfter(int step, bool unreadOnly) const;
    // Shows the room in `row`.
    Q_INVOKABLE void select(int row);
    // Leaves the room in `row`; when it was in view, the room now in its row (or the last) is shown.
    Q_INVOKABLE void leave(int row);
    Q_INVOKABLE void setRowMuted(int row, bool muted);
    bool isMuted(const QString &key) const { return m_muted.contains(key); }
    void setMuted(const QString &key, bool muted);
    QStringList mutedKeys() const { return QStringList(m_muted.begin(), m_muted.end()); }
    void setMutedKeys(const QStringList &keys);
    // "room:NAME" or "dm:NICK": what mute settings are stored under.
    static QString keyFor(const ChatRoom *room);

Q_SIGNALS:
    void currentRowChanged();
    // A room was muted or unmuted (mutedKeys() changed).
    void mutedChanged();

private:
    void watch(ChatRoom *room);
    void roomChanged(ChatRoom *room, const QList<int> &roles);
    void insert(ChatRoom *room);
    void remove(ChatRoom *room);

    QList<ChatRoom *> m_order; // rooms first, then direct conversations
    QPointer<ChatSession> m_session;
    QSet<QString> m_muted;
    int m_lastCurrentRow = -1;
};

} // namespace Redwire
