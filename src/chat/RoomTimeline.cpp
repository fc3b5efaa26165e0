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

StreamId RoomTimeline::newestVerifiedStreamId() const
{
    return m_newestVerified;
}

void RoomTimeline::markVerified(int row)
{
    Entry &entry = m_entries[row];
    entry.verified = true;
    m_newestVerified = qMax(m_newestVerified, entry.message.streamId);
}

StreamId RoomTimeline::oldestStreamId() const
{
    for (int row = 0; row < placedCount(); ++row)
        if (isKeyed(row))
            return m_entries.at(row).message.streamId;
    return {};
}

StreamId RoomTimeline::olderPageBoundary() const
{
    for (int row = 0; row < placedCount(); ++row)
        if (isKeyed(row) && m_entries.at(row).verified)
            return m_entries.at(row).message.streamId;
    const StreamId oldest = oldestStreamId();
    return oldest.isNull() ? oldest : oldest.next();
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
        if (!entry.message.id.isEmpty())
            m_envelopeIds.insert(entry.message.id);
        if (entry.verified)
            m_newestVerified = qMax(m_newestVerified, entry.message.streamId);
    }
    Q_EMIT messagesInserted(row, last);
}

// Our unplaced message was stored as `streamId`: it leaves the tail for `targetRow`.
void RoomTimeline::place(int unplacedRow, int targetRow, const StreamId &streamId, bool verified)
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
    if (verified)
        markVerified(targetRow);
    Q_EMIT messageChanged(targetRow);
}

void RoomTimeline::replaceMessage(int row, const ChatMessage &message)
{
    m_envelopeIds.remove(m_entries.at(row).message.id);
    if (!message.id.isEmpty())
        m_envelopeIds.insert(message.id);
    m_bytes -= m_entries.at(row).message.memoryCost();
    m_entries[row].message = message;
    m_bytes += message.memoryCost();
    Q_EMIT messageChanged(row);
}

RoomTimeline::Added RoomTimeline::addLive(const ChatMessage &message, int epoch)
{
    const bool keyed = !message.streamId.isNull();
    if (keyed && m_streamIds.contains(message.streamId))
        return Added::Duplicate;
    const int unplaced = unplacedRowMatching(message);
    // The same envelope again (under another stream ID, or none): a replay.
    if (unplaced < 0 && !message.id.isEmpty() && m_envelopeIds.contains(message.id))
        return Added::Duplicate;
    // Without an ID, or one inside the range read from the stream that was not read there (made
    // up): placed by arrival.
    if (!keyed || (unplaced < 0 && message.streamId <= m_newestVerified)) {
        Entry entry { message, epoch };
        entry.message.streamId = StreamId();
        insertRun(placedCount(), { entry });
        trimOldest();
        return Added::New;
    }
    const int target = livePosition(message.streamId);
    if (unplaced >= 0) {
        // Our own message's echo. Its ID is the one the send's reply gave (or will give), yet it
        // counts as read only once a page from the stream holds it: a catch-up starts from IDs
        // read in pages, which vouch for everything below them.
        m_entries[unplaced].epoch = epoch;
        place(unplaced, target, message.streamId, false);
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
            const int row = rowOfStreamId(message.streamId);
            if (row < 0)
                continue;
            if (m_entries.at(row).message.id == message.id) {
                markVerified(row);
                continue;
            }
            // A live copy claimed this ID with other content (a forged "sid"): the stream is
            // the authority. When the stored entry is one of our messages still waiting at the
            // bottom, that one takes the place; otherwise the stored content replaces the claim.
            if (unplacedRowMatching(message) < 0) {
                replaceMessage(row, message);
                markVerified(row);
                continue;
            }
            removeRows(row, row);
        }
        const int unplaced = unplacedRowMatching(message);
        if (unplaced < 0 && !message.id.isEmpty() && m_envelopeIds.contains(message.id)) {
            // Its live copy is here without this ID (refused as placement): the stored copy
            // takes its place in stream order.
            const int row = rowOfId(message.id);
            if (row >= 0 && row < placedCount() && !isKeyed(row))
                removeRows(row, row);
        }
        if (unplaced >= 0) {
            m_entries[unplaced].epoch = boundaryEpoch;
            place(unplaced, storedPosition(message.streamId, boundaryEpoch), message.streamId, true);
            continue;
        }
        if (!missing.isEmpty() && !(missing.last().streamId < message.streamId))
            continue; // not ascending: a broken page; keep what is in order
        missing.append(message);
    }

    // Then the new ones. Every row is computed against the timeline as it is before any of them
    // goes in (positions only grow with the stream ID, so they come out ascending); then the runs
    // that share a row are inserted, each shifting the ones after it by its length. Computing a
    // row after an earlier run went in would count that run twice.
    QList<int> rows;
    rows.reserve(missing.size());
    for (const ChatMessage &message : std::as_const(missing))
        rows.append(storedPosition(message.streamId, boundaryEpoch));
    int shift = 0;
    qsizetype runStart = 0;
    for (qsizetype i = 1; i <= missing.size(); ++i) {
        if (i < missing.size() && rows.at(i) == rows.at(runStart))
            continue;
        QList<Entry> run;
        run.reserve(i - runStart);
        for (qsizetype k = runStart; k < i; ++k)
            run.append(Entry { missing.at(k), boundaryEpoch, true });
        insertRun(rows.at(runStart) + shift, run);
        shift += int(run.size());
        runStart = i;
    }
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

void RoomTimeline::addGapMarker(const ChatMessage &marker, const StreamId &after, int boundaryEpoch)
{
    const StreamId next = after.next();
    ChatMessage unkeyed = marker;
    unkeyed.streamId = StreamId();
    // One epoch early: the stored messages of `boundaryEpoch` then go after it, not before.
    insertRun(storedPosition(next, boundaryEpoch), { Entry { unkeyed, boundaryEpoch - 1 } });
    trimOldest();
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
    removeRows(row, row);
    --m_unplaced;
    return true;
}

// Removes entries (placed ones, or one unplaced whose count the caller adjusts).
void RoomTimeline::removeRows(int first, int last)
{
    Q_EMIT messagesAboutToBeRemoved(first, last);
    for (int row = first; row <= last; ++row) {
        const ChatMessage &message = m_entries.at(row).message;
        m_bytes -= message.memoryCost();
        m_streamIds.remove(message.streamId);
        m_envelopeIds.remove(message.id);
    }
    m_entries.remove(first, last - first + 1);
    Q_EMIT messagesRemoved(first, last);
}

int RoomTimeline::dropUnconfirmedStreamIds(
    const StreamId &first, const StreamId &last, const QHash<StreamId, QString> &heldElsewhere)
{
    int dropped = 0;
    for (int row = placedCount() - 1; row >= 0; --row) {
        Entry &entry = m_entries[row];
        if (entry.verified || !isKeyed(row))
            continue;
        const StreamId id = entry.message.streamId;
        if (id < first || id > last)
            continue;
        if (const auto held = heldElsewhere.constFind(id);
            held != heldElsewhere.cend() && !held->isEmpty() && *held == entry.message.id) {
            markVerified(row);
            continue;
        }
        m_streamIds.remove(id);
        entry.message.streamId = StreamId();
        ++dropped;
        Q_EMIT messageChanged(row);
    }
    return dropped;
}

void RoomTimeline::trimOldest()
{
    if (count() <= m_maxMessages && m_bytes <= m_maxBytes)
        return;
    // Over a bound: down to a sixteenth below it, so that a flood trims once every few hundred
    // messages, not once per message (each trim is a row removal the view must lay out).
    const int keepMessages = m_maxMessages - m_maxMessages / 16;
    const qint64 keepBytes = m_maxBytes - m_maxBytes / 16;
    int drop = 0;
    qint64 dropBytes = 0;
    const int placed = placedCount();
    while (drop < placed && (count() - drop > keepMessages || m_bytes - dropBytes > keepBytes)) {
        dropBytes += m_entries.at(drop).message.memoryCost();
        ++drop;
    }
    if (drop > 0)
        removeRows(0, drop - 1);
}

} // namespace Redwire
