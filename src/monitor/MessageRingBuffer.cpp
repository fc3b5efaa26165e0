#include "MessageRingBuffer.h"

#include <QtGlobal>

#include <utility>

namespace Redwire {

MessageRingBuffer::MessageRingBuffer(qsizetype capacity)
    : m_capacity(qMax<qsizetype>(1, capacity))
{ }

void MessageRingBuffer::setCapacity(qsizetype capacity)
{
    capacity = qMax<qsizetype>(1, capacity);
    if (capacity == m_capacity)
        return;
    while (m_size > capacity)
        dropOldest();
    // Re-lay the survivors from index 0 so that the wrap arithmetic holds for the new capacity.
    std::vector<MonitoredMessage> kept;
    kept.reserve(size_t(m_size));
    for (qsizetype i = 0; i < m_size; ++i)
        kept.push_back(std::move(slot(i)));
    m_slots = std::move(kept);
    m_head = 0;
    m_capacity = capacity;
}

MonitoredMessage &MessageRingBuffer::slot(qsizetype index)
{
    const qsizetype physical = m_head + index;
    return m_slots[size_t(physical < m_capacity ? physical : physical - m_capacity)];
}

const MonitoredMessage &MessageRingBuffer::slot(qsizetype index) const
{
    const qsizetype physical = m_head + index;
    return m_slots[size_t(physical < m_capacity ? physical : physical - m_capacity)];
}

void MessageRingBuffer::dropOldest()
{
    if (!slot(0).isGap())
        ++m_dropped;
    slot(0) = MonitoredMessage(); // release the payload now, not when the slot is reused
    m_head = m_head + 1 == m_capacity ? 0 : m_head + 1;
    --m_size;
}

void MessageRingBuffer::append(const MonitoredMessage &message)
{
    append(MonitoredMessage(message));
}

void MessageRingBuffer::append(MonitoredMessage &&message)
{
    if (m_size == m_capacity) {
        // Overwrite the oldest in place: no allocation once the buffer is full.
        if (!slot(0).isGap())
            ++m_dropped;
        slot(0) = std::move(message);
        m_head = m_head + 1 == m_capacity ? 0 : m_head + 1;
    } else {
        // While the storage is still growing nothing wraps: the next slot is either the end of
        // the vector or one freed by takeFirst().
        const qsizetype physical = m_head + m_size;
        if (physical == qsizetype(m_slots.size()) && physical < m_capacity) {
            // Reserve the whole capacity once: growing by doubling would move half a million
            // messages on the GUI thread at some point (a 250 ms stall measured with a capacity of
            // 1,000,000). Untouched pages of the reservation cost no memory.
            if (m_slots.capacity() < size_t(m_capacity))
                m_slots.reserve(size_t(m_capacity));
            m_slots.push_back(std::move(message));
        } else {
            slot(m_size) = std::move(message);
        }
        ++m_size;
    }
    ++m_endPosition;
}

MonitoredMessage MessageRingBuffer::takeFirst()
{
    Q_ASSERT(m_size > 0);
    MonitoredMessage first = std::move(slot(0));
    slot(0) = MonitoredMessage();
    m_head = m_head + 1 == m_capacity ? 0 : m_head + 1;
    --m_size;
    return first;
}

void MessageRingBuffer::clear()
{
    m_slots.clear();
    m_slots.shrink_to_fit();
    m_head = 0;
    m_size = 0;
}

const MonitoredMessage &MessageRingBuffer::at(qsizetype index) const
{
    Q_ASSERT(index >= 0 && index < m_size);
    return slot(index);
}

const MonitoredMessage *MessageRingBuffer::atPosition(quint64 position) const
{
    if (position < firstPosition() || position >= m_endPosition)
        return nullptr;
    return &slot(qsizetype(position - firstPosition()));
}

} // namespace Redwire
