#pragma once

#include "chat/ChatMessage.h"

#include <QList>
#include <QObject>
#include <QTimer>

#include <vector>

namespace Redwire {

class RoomTimeline;

// One change of a RoomTimeline, as a model applies it.
struct TimelineChange
{
    enum class Type { Insert, Remove, Move, Update };
    Type type;
    int first; // Move: from
    int last; // Move: to
    QList<ChatMessage> messages; // Insert, Update
};

// Collects a room timeline's changes for a model that applies them at most once per frame:
// adjacent inserts (a flood at the bottom) and removes (trimming the oldest) are merged, and
// ready() comes one frame after the first change.
class TimelineChangeQueue : public QObject
{
    Q_OBJECT
public:
    static constexpr int FrameMs = 16;

    explicit TimelineChangeQueue(RoomTimeline *timeline, QObject *parent = nullptr);

    // The changes so far, oldest first; the queue is empty after.
    std::vector<TimelineChange> take();

Q_SIGNALS:
    void ready();

private:
    void queue(TimelineChange &&change);

    std::vector<TimelineChange> m_pending;
    QTimer m_frame;
};

} // namespace Redwire
