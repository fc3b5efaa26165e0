#include "RoomTimeline.h"

namespace Redwire {

RoomTimeline::RoomTimeline(int maxMessages, qint64 maxBytes, QObject *parent)
    : QObject(parent)
    , m_maxMessages(qMax(1, maxMessages))
    , m_maxBytes(qMax<qint64>(1, maxBytes))
{ }

int RoomTimeline::rowOfId(const QString &id) const
{
    if (id.isEmpty())
        return -1;
    for (int row = count() - 1; row >= 0; --row)
        if (m_entries.at(row).message.id == id)
            return row;
    return -1;
}

int RoomTimeline::rowOfStreamId(const StreamId &streamId) const
{
    if (streamId.isNull() || !m_streamIds.contains(streamId))
        return -1;
    for (int row = placedCount() - 1; row >= 0; --row)
        if (m_entries.at(row).message.streamId == streamId)
            return row;
    return -1;
}

StreamId RoomTimeline::newestStreamId() const
{
    for (int row = placedCount() - 1; row >= 0; --row)
        if (isKeyed(row))
            return m_entries.at(row).message.streamId;
    return {};
}

StreamId RoomTimeline::oldestStreamId() const
{
    for (int row = 0; row < placedCount(); ++row)
        if (isKeyed(row))
            return m_entries.at(row).message.streamId;
    return {};
}

bool RoomTimeline::isFull() const
{
    return count() >= m_maxMessages || m_bytes >= m_maxBytes;
}

int RoomTimeline::unplacedRowMatching(const ChatMessage &message) const
{
    for (int row = placedCount(); row < count(); ++row) {
        const ChatMessage &own = m_entries.at(row).message;
        if ((!message.id.isEmpty() && own.id == message.id)
            || (!message.streamId.isNull() && own.streamId == message.streamId))
            return row;
    }
    return -1;
}

// Live messages arrive in server order: a stored one goes after everything already here, except
// that it must stay before stored messages with a larger ID (read from the stream before their
// live copy came in).
int RoomTimeline::livePosition(const StreamId &streamId) const
{
    int position = placedCount();
    for (int row = placedCount() - 1; row >= 0; --row) {
        if (!isKeyed(row))
            continue;
        if (m_entries.at(row).message.streamId < streamId)
            break;
        position = row;
    }
    return position;
}

// Right after the last stored message with a smaller ID, then past the unstored messages that
// arrived before the gap this message fell into.
int RoomTimeline::storedPosition(const StreamId &streamId, int boundaryEpoch) const
{
    int position = 0;
    for (int row = placedCount() - 1; row >= 0; --row) {
        if (isKeyed(row) && m_entries.at(row).message.streamId < streamId) {
            position = row + 1;
            break;
        }
    }
    while (position < placedCount() && !isKeyed(position) && m_entries.at(position).epoch < boundaryEpoch)
        ++position;
    return position;
}

void RoomTimeline::insertRun(int row, const QList<Entry> &entries)
{
    if (entries.isEmpty())
        return;
    const int last = row + int(entries.size()) - 1;
    Q_EMIT messagesAboutToBeInserted(row, last);
    for (int i = 0; i < entries.size(); ++i) {
        const Entry &entry = entries.at(i);
        m_entries.insert(row + i, entry);
        m_bytes += entry.message.memoryCost();
        if (!entry.message.streamId.isNull())
            m_streamIds.insert(entry.message.streamId);
    }
    Q_EMIT messagesInserted(row, last);
}

// Our unplaced message was stored as `streamId`: it leaves the tail for `targetRow`.
void RoomTimeline::place(int unplacedRow, int targetRow, const StreamId &streamId)
{
    Q_ASSERT(unplacedRow >= placedCount() && targetRow <= placedCount());
    if (unplacedRow != targetRow) {
        Q_EMIT messageAboutToBeMoved(unplacedRow, targetRow);
        m_entries.move(unplacedRow, targetRow);
        --m_unplaced;
        Q_EMIT messageMoved(unplacedRow, targetRow);
    } else {
        --m_unplaced;
    }
    ChatMessage &message = m_entries[targetRow].message;
    m_bytes -= message.memoryCost();
    message.streamId = streamId;
    message.delivery = ChatMessage::Delivery::Sent;
    message.failureReason.clear();
    m_bytes += message.memoryCost();
    m_streamIds.insert(streamId);
    Q_EMIT messageChanged(targetRow);
}

void RoomTimeline::replaceMessage(int row, const ChatMessage &message)
{
    m_bytes -= m_entries.at(row).message.memoryCost();
    m_entries[row].message = message;
    m_bytes += message.memoryCost();
    Q_EMIT messageChanged(row);
}

RoomTimeline::Added RoomTimeline::addLive(const ChatMessage &message, int epoch)
{
    if (message.streamId.isNull()) {
        insertRun(placedCount(), { Entry { message, epoch } });
        trimOldest();
        return Added::New;
    }
    if (m_streamIds.contains(message.streamId))
        return Added::Duplicate;
    const int target = livePosition(message.streamId);
    const int unplaced = unplacedRowMatching(message);
    if (unplaced >= 0) {
        m_entries[unplaced].epoch = epoch;
        place(unplaced, target, message.streamId);
        trimOldest();
        return Added::Confirmed;
    }
    insertRun(target, { Entry { message, epoch } });
    trimOldest();
    return Added::New;
}

QList<ChatMessage> RoomTimeline::insertStored(const QList<ChatMessage> &ascending, int boundaryEpoch)
{
    // First what is already here: duplicates, and our own unplaced messages now read back.
    QList<ChatMessage> missing;
    for (const ChatMessage &message : ascending) {
        if (message.streamId.isNull())
            continue;
        if (m_streamIds.contains(message.streamId)) {
            // The stream is the authority: a live copy that claimed this ID with other content
            // (a forged "sid") gives way to what was stored.
            const int row = rowOfStreamId(message.streamId);
            if (row >= 0 && m_entries.at(row).message.id != message.id && !m_entries.at(row).message.own)
                replaceMessage(row, message);
            continue;
        }
        const int unplaced = unplacedRowMatching(message);
        if (unplaced >= 0) {
            m_entries[unplaced].epoch = boundaryEpoch;
            place(unplaced, storedPosition(message.streamId, boundaryEpoch), message.streamId);
            continue;
        }
        if (!missing.isEmpty() && !(missing.last().streamId < message.streamId))
            continue; // not ascending: a broken page; keep what is in order
        missing.append(message);
    }

    // Then the new ones, in runs that share an insertion row. Rows are computed against the
    // timeline as it is now; each run shifts the following ones by its length.
    int shift = 0;
    int runRow = -1;
    QList<Entry> run;
    for (const ChatMessage &message : std::as_const(missing)) {
        const int row = storedPosition(message.streamId, boundaryEpoch);
        if (row != runRow && !run.isEmpty()) {
            insertRun(runRow + shift, run);
            shift += int(run.size());
            run.clear();
        }
        runRow = row;
        run.append(Entry { message, boundaryEpoch });
    }
    insertRun(runRow + shift, run);
    return missing;
}

QList<ChatMessage> RoomTimeline::addStored(const QList<ChatMessage> &ascending, int boundaryEpoch)
{
    QList<ChatMessage> added = insertStored(ascending, boundaryEpoch);
    trimOldest();
    return added;
}

QList<ChatMessage> RoomTimeline::addOlder(const QList<ChatMessage> &ascending)
{
    // Newest first, while the bounds allow.
    qsizetype first = ascending.size();
    int room = m_maxMessages - count();
    qint64 bytes = m_bytes;
    while (first > 0 && room > 0) {
        const qint64 cost = ascending.at(first - 1).memoryCost();
        if (bytes + cost > m_maxBytes)
            break;
        bytes += cost;
        --room;
        --first;
    }
    return insertStored(ascending.mid(first), 0);
}

void RoomTimeline::addPending(const ChatMessage &message)
{
    ChatMessage pending = message;
    pending.streamId = StreamId();
    insertRun(count(), { Entry { pending, 0 } });
    ++m_unplaced;
}

bool RoomTimeline::setDelivery(
    const QString &id, ChatMessage::Delivery delivery, const StreamId &streamId, const QString &failureReason)
{
    const int row = rowOfId(id);
    if (row < 0)
        return false;
    ChatMessage message = m_entries.at(row).message;
    if (row < placedCount()) {
        // Already placed by its stored copy: only a late "sent" can arrive, which changes nothing.
        return false;
    }
    message.delivery = delivery;
    message.failureReason = delivery == ChatMessage::Delivery::Failed ? failureReason : QString();
    if (!streamId.isNull())
        message.streamId = streamId; // remembered; placed when its stored copy arrives
    replaceMessage(row, message);
    return true;
}

bool RoomTimeline::removeUnplaced(const QString &id)
{
    const int row = rowOfId(id);
    if (row < placedCount())
        return false;
    Q_EMIT messagesAboutToBeRemoved(row, row);
    m_bytes -= m_entries.at(row).message.memoryCost();
    m_entries.removeAt(row);
    --m_unplaced;
    Q_EMIT messagesRemoved(row, row);
    return true;
}

void RoomTimeline::trimOldest()
{
    int drop = 0;
    qint64 dropBytes = 0;
    const int placed = placedCount();
    while (drop < placed && (count() - drop > m_maxMessages || m_bytes - dropBytes > m_maxBytes)) {
        dropBytes += m_entries.at(drop).message.memoryCost();
        ++drop;
    }
    if (drop == 0)
        return;
    Q_EMIT messagesAboutToBeRemoved(0, drop - 1);
    for (int row = 0; row < drop; ++row)
        m_streamIds.remove(m_entries.at(row).message.streamId);
    m_entries.remove(0, drop);
    m_bytes -= dropBytes;
    Q_EMIT messagesRemoved(0, drop - 1);
}

} // namespace Redwire
