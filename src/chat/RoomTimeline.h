#pragma once

#include "ChatMessage.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

namespace Redwire {

// The ordered messages of one room, merged from live Pub/Sub deliveries and pages read from the
// room's stream, without duplicates (one entry per stream ID) and in stream order. Messages that
// were never stored (external ones) stay where they arrived. Our own messages that the server has
// not confirmed yet form a tail at the bottom until their stored copy places them. Bounded: past
// maxMessages (or maxBytes) the oldest are dropped, down to a sixteenth below the bound; the
// pending tail is never dropped.
//
// Every change is announced before and after, with rows, so that a QAbstractListModel can call
// beginInsertRows/endInsertRows and the like. A move goes from `from` to `to` as QList::move does;
// for beginMoveRows the destination is `to > from ? to + 1 : to`.
class RoomTimeline : public QObject
{
    Q_OBJECT
public:
    // What addLive() did with a message.
    enum class Added {
        New, // inserted
        Duplicate, // already held (by stream ID); nothing changed
        Confirmed, // the stored copy of one of our pending messages: the pending entry was placed
    };
    Q_ENUM(Added)

    explicit RoomTimeline(
        int maxMessages = 5000, qint64 maxBytes = qint64(64) * 1024 * 1024, QObject *parent = nullptr);

    int count() const { return int(m_entries.size()); }
    const ChatMessage &at(int row) const { return m_entries.at(row).message; }
    int rowOfId(const QString &id) const;
    int rowOfStreamId(const StreamId &streamId) const;
    bool containsStreamId(const StreamId &streamId) const { return m_streamIds.contains(streamId); }
    StreamId newestStreamId() const;
    StreamId oldestStreamId() const;
    // Where the next older page ends (exclusive): the oldest ID a page confirmed, or past the
    // oldest ID held when none did; every ID held below it is only claimed.
    StreamId olderPageBoundary() const;
    // The newest stream ID read from the stream in a page (kept when trimmed), never one a live
    // message merely claimed: where a catch-up may start.
    StreamId newestVerifiedStreamId() const;
    // Our own messages at the bottom that are not placed yet (pending, failed, or sent and not
    // read back).
    int unplacedCount() const { return m_unplaced; }
    qint64 memoryBytes() const { return m_bytes; }
    int maxMessages() const { return m_maxMessages; }
    // Whether an older page could add anything without going over the bounds.
    bool isFull() const;

    // A message that arrived over Pub/Sub while the room's subscription was in its `epoch`-th
    // active period. Live messages come in server order, so one with a stream ID goes after
    // everything that arrived before it, one without goes at the bottom (above the tail). A
    // claimed ID inside the range read from the stream that is not held is false (that range
    // was read): the message is placed as if it had none.
    Added addLive(const ChatMessage &message, int epoch);
    // Stored messages (ascending stream IDs) read in `boundaryEpoch`: they were missed while not
    // subscribed, so each goes by stream ID, and among messages without one, after those that
    // arrived in earlier epochs and before those of `boundaryEpoch` or later. Returns the
    // messages that were new. Trims the oldest when over the bounds.
    QList<ChatMessage> addStored(const QList<ChatMessage> &ascending, int boundaryEpoch);
    // A page older than everything held (ascending): inserted at the top, newest first, only as
    // many as the bounds allow. Returns the messages inserted.
    QList<ChatMessage> addOlder(const QList<ChatMessage> &ascending);

    // A marker (ChatMessage::historyGap) right after everything held up to `after`, as a
    // catch-up in `boundaryEpoch` found that entries after it are gone from the stream. The
    // messages that catch-up recovers go below it.
    void addGapMarker(const ChatMessage &marker, const StreamId &after, int boundaryEpoch);

    // One of our messages, not yet stored: goes to the bottom.
    void addPending(const ChatMessage &message);
    // Updates the delivery state of our message `id` (and its stream ID once known).
    bool setDelivery(const QString &id, ChatMessage::Delivery delivery, const StreamId &streamId = {},
        const QString &failureReason = {});
    // Replaces the message at `row` with a changed copy of itself (an edit, a reaction).
    void updateMessage(int row, const ChatMessage &message) { replaceMessage(row, message); }
    // An entry that is not a row (an edit, a reaction) was read from the stream in a page: the
    // stream up to it has been read, as for a row's ID (newestVerifiedStreamId()).
    void noteRead(const StreamId &streamId) { m_newestVerified = qMax(m_newestVerified, streamId); }
    // Drops an unplaced message of ours (a failed send the user discards).
    bool removeUnplaced(const QString &id);
    // Pages read every stored message from `first` to `last`: a live message in that range
    // whose stream ID they did not confirm claimed an ID it does not have (a forged "sid"). It
    // keeps its row but loses the ID, so it orders and anchors nothing. Returns how many.
    // `heldElsewhere`: entries the pages held but did not add (a join notice already shown
    // live), by stream ID -> envelope ID; a live copy with the same envelope ID is confirmed.
    int dropUnconfirmedStreamIds(
        const StreamId &first, const StreamId &last, const QHash<StreamId, QString> &heldElsewhere = {});

Q_SIGNALS:
    void messagesAboutToBeInserted(int first, int last);
    void messagesInserted(int first, int last);
    void messagesAboutToBeRemoved(int first, int last);
    void messagesRemoved(int first, int last);
    void messageAboutToBeMoved(int from, int to);
    void messageMoved(int from, int to);
    void messageChanged(int row);

private:
    struct Entry
    {
        ChatMessage message;
        int epoch = 0;
        bool verified = false; // the stream ID was read from the stream, not claimed live
    };

    int placedCount() const { return int(m_entries.size()) - m_unplaced; }
    bool isKeyed(int row) const { return !m_entries.at(row).message.streamId.isNull(); }
    int unplacedRowMatching(const ChatMessage &message) const;
    int livePosition(const StreamId &streamId) const;
    int storedPosition(const StreamId &streamId, int boundaryEpoch) const;
    void insertRun(int row, const QList<Entry> &entries);
    void place(int unplacedRow, int targetRow, const StreamId &streamId, bool verified);
    void replaceMessage(int row, const ChatMessage &message);
    void markVerified(int row);
    void removeRows(int first, int last);
    QList<ChatMessage> insertStored(const QList<ChatMessage> &ascending, int boundaryEpoch);
    void trimOldest();

    QList<Entry> m_entries;
    QSet<StreamId> m_streamIds; // of placed entries
    QSet<QString> m_envelopeIds; // of all entries that have one
    StreamId m_newestVerified; // newest ID ever read from the stream (kept when trimmed)
    int m_unplaced = 0;
    qint64 m_bytes = 0;
    const int m_maxMessages;
    const qint64 m_maxBytes;
};

} // namespace Redwire
