#pragma once

#include "MonitoredMessage.h"

#include <vector>

namespace Redwire {

// The last `capacity` messages (and gap entries, see MonitoredMessage), oldest first. Appending
// to a full buffer drops the oldest and counts it. Every entry appended gets a position (0, 1, 2
// ... never reused, not even after clear()), so that a model can tell which of its rows are gone
// and which are new.
class MessageRingBuffer
{
public:
    static constexpr qsizetype DefaultCapacity = 100000;

    explicit MessageRingBuffer(qsizetype capacity = DefaultCapacity);

    qsizetype capacity() const { return m_capacity; }
    // Shrinking drops the oldest messages (counted as dropped). A capacity below 1 is taken as 1.
    void setCapacity(qsizetype capacity);

    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    bool isFull() const { return m_size == m_capacity; }

    void append(const MonitoredMessage &message);
    void append(MonitoredMessage &&message);
    // Removes and returns the oldest message; the buffer must not be empty.
    MonitoredMessage takeFirst();
    // Removes every message; not counted as dropped.
    void clear();

    // 0 is the oldest.
    const MonitoredMessage &at(qsizetype index) const;

    // Position of the oldest message held, and one past the newest: the buffer holds
    // [firstPosition(), endPosition()).
    quint64 firstPosition() const { return m_endPosition - quint64(m_size); }
    quint64 endPosition() const { return m_endPosition; }
    // nullptr when that message is no longer (or not yet) held.
    const MonitoredMessage *atPosition(quint64 position) const;

    // Messages pushed out by newer ones (or by shrinking) since construction or resetDropCount();
    // gap entries leaving are not counted.
    quint64 droppedCount() const { return m_dropped; }
    void resetDropCount() { m_dropped = 0; }

private:
    MonitoredMessage &slot(qsizetype index);
    const MonitoredMessage &slot(qsizetype index) const;
    void dropOldest();

    // Grows up to m_capacity as messages arrive, then wraps: an idle monitor allocates nothing.
    std::vector<MonitoredMessage> m_slots;
    qsizetype m_capacity;
    qsizetype m_head = 0; // index in m_slots of the oldest message
    qsizetype m_size = 0;
    quint64 m_endPosition = 0;
    quint64 m_dropped = 0;
};

} // namespace Redwire
