#include "TimelineChangeQueue.h"

#include "chat/RoomTimeline.h"

#include <utility>

namespace Redwire {

TimelineChangeQueue::TimelineChangeQueue(RoomTimeline *timeline, QObject *parent)
    : QObject(parent)
{
    m_frame.setSingleShot(true);
    m_frame.setInterval(FrameMs);
    connect(&m_frame, &QTimer::timeout, this, &TimelineChangeQueue::ready);
    using Type = TimelineChange::Type;
    connect(timeline, &RoomTimeline::messagesInserted, this, [this, timeline](int first, int last) {
        QList<ChatMessage> messages;
        messages.reserve(last - first + 1);
        for (int row = first; row <= last; ++row)
            messages.append(timeline->at(row));
        queue({ Type::Insert, first, last, std::move(messages) });
    });
    connect(timeline, &RoomTimeline::messagesRemoved, this, [this](int first, int last) {
        queue({ Type::Remove, first, last, {} });
    });
    connect(timeline, &RoomTimeline::messageMoved, this, [this](int from, int to) {
        queue({ Type::Move, from, to, {} });
    });
    connect(timeline, &RoomTimeline::messageChanged, this, [this, timeline](int row) {
        queue({ Type::Update, row, row, { timeline->at(row) } });
    });
}

std::vector<TimelineChange> TimelineChangeQueue::take()
{
    m_frame.stop();
    return std::exchange(m_pending, {});
}

void TimelineChangeQueue::queue(TimelineChange &&change)
{
    using Type = TimelineChange::Type;
    if (!m_pending.empty()) {
        TimelineChange &previous = m_pending.back();
        // A flood appends at the bottom: one run, one insert.
        if (change.type == Type::Insert && previous.type == Type::Insert
            && change.first == previous.last + 1) {
            previous.last = change.last;
            previous.messages += change.messages;
            return;
        }
        // Trimming the oldest removes from the top, again and again.
        if (change.type == Type::Remove && previous.type == Type::Remove && change.first == previous.first) {
            previous.last += change.last - change.first + 1;
            return;
        }
    }
    m_pending.push_back(std::move(change));
    if (!m_frame.isActive())
        m_frame.start();
}

} // namespace Redwire
