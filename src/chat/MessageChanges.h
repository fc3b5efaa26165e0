#pragma once

#include "ChatEnvelope.h"
#include "ChatMessage.h"
#include "StreamId.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <deque>

namespace Redwire {

// The edits, deletes and reactions of one room, by the ID of the message they change. A change
// may come before its message (history is read newest page first; a live edit may beat the read
// of an older page) or after it: applyTo() gives a message its current state whenever it is
// placed, and changed() names the message to update when a change arrives later. Replaying the
// same change (live, then from the stream) changes nothing. Bounded per message and in total;
// what goes over a bound is dropped and logged.
class MessageChanges : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxDistinctReactions = 20; // per message
    static constexpr int MaxReactionRecords = 500; // per message: sender × reaction
    // Per message: senders whose edits or deletes are kept while the message is unknown (only
    // its author's will count; the others are forged).
    static constexpr int MaxChangersPerMessage = 8;

    explicit MessageChanges(const QString &myNickname, int maxMessages = 10000,
        qint64 maxBytes = qint64(16) * 1024 * 1024, QObject *parent = nullptr);

    // Whether `change` (an edit or delete) may change `original`: only its author may, by the
    // same sender name, and with a signed change when the original was signed (the signature
    // itself is checked by ChatRoom before the change is recorded).
    static bool mayChange(const ChatMessage &original, const ChatEnvelope &change);
    // Whether `message` can carry changes at all: a conversation message with an ID.
    static bool isChangeable(const ChatMessage &message);

    // Keeps an edit, delete or react. `original` is the message it refers to when known: a
    // change its sender may not make is refused there and then. False when refused (invalid, not
    // allowed, over a bound) or when it changes nothing.
    bool record(const ChatEnvelope &change, const ChatMessage *original = nullptr);
    // Gives `message` the changes kept for it: its author's latest edit, its author's delete, and
    // the reactions that are on.
    void applyTo(ChatMessage &message) const;

    int messageCount() const { return int(m_targets.size()); }
    qint64 memoryBytes() const { return m_bytes; }

Q_SIGNALS:
    // A change to `messageId` was kept: a message already shown may look different now.
    void changed(const QString &messageId);

private:
    // Which of two changes is newer: by stream ID when both were stored, else by arrival.
    struct Order
    {
        StreamId streamId;
        quint64 arrival = 0;
        bool isNewerThan(const Order &other) const;
    };
    struct Changer
    {
        QString sender;
        bool senderSuspicious = false;
        bool signedChanges = false; // its changes carry signatures (checked before recorded)
        bool deleted = false;
        bool edited = false;
        QString text; // latest edit
        Order editOrder;
    };
    struct ReactionRecord
    {
        QString sender;
        QString reaction;
        bool on = true;
        Order order;
    };
    struct Target
    {
        QList<Changer> changers;
        QList<ReactionRecord> reactions;
        qint64 bytes = 0;
    };

    bool recordEditOrDelete(Target &target, const ChatEnvelope &change, const Order &order);
    bool recordReaction(Target &target, const ChatEnvelope &change, const Order &order);
    static qint64 costOf(const Target &target);
    void evictOldest();

    const QString m_myNickname;
    const int m_maxMessages;
    const qint64 m_maxBytes;
    QHash<QString, Target> m_targets;
    std::deque<QString> m_insertionOrder; // for eviction, oldest first
    qint64 m_bytes = 0;
    quint64 m_arrivals = 0;
};

} // namespace Redwire
