#pragma once

#include <QHash>
#include <QObject>

namespace Redwire {

class ChatRoom;
class MessageListModel;

// The message models of a session's rooms: one per room, made when the room is first shown
// (rooms never shown cost no model), dropped with the room; an empty one stands for no room.
class MessageModelCache : public QObject
{
    Q_OBJECT
public:
    explicit MessageModelCache(QObject *parent = nullptr);

    // The room's model (made now when it has none); the empty model for null.
    MessageListModel *modelFor(ChatRoom *room);
    // The room goes: its model is deleted later (a view may still hold it).
    void drop(ChatRoom *room);
    void clear();

private:
    MessageListModel *m_empty;
    QHash<ChatRoom *, MessageListModel *> m_models;
};

} // namespace Redwire
