#pragma once

#include "ChatEnvelope.h"
#include "SenderTrust.h"
#include "StreamId.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Redwire {

// One entry of a room's timeline, as the UI shows it. Text and sender are already sanitised
// (UntrustedText); show them as plain text.
struct ChatMessage
{
    enum class Delivery {
        Received, // someone else's message, or ours read back from the server
        Pending, // ours, waiting in the outbox (disconnected, or in flight)
        Sent, // ours, stored by the server
        Failed, // ours, refused by the server; can be retried or discarded
    };

    QString id; // the envelope's ID; empty for external messages
    // The order this client received it live in (1, 2, ... per room); 0 for messages read from
    // the stream. Places the "new messages" divider for messages that have no stream ID.
    quint64 arrival = 0;
    StreamId streamId; // null for messages that were never stored (external, pending)
    ChatEnvelope::Kind kind = ChatEnvelope::Kind::Message;
    QString kindName;
    QString sender; // empty for external messages
    bool senderSuspicious = false; // the name broke the nickname rules (shown escaped, with a mark)
    QString text;
    QString reason; // for a leave: "left" or "timeout"
    qint64 timestampMs = 0; // the sender's timestamp, or the arrival time when it gave none
    bool external = false; // not our format (plain PUBLISH): an unnamed sender
    bool own = false; // sent under our nickname
    bool mentionsMe = false; // someone else's message naming our nickname
    bool truncated = false;
    // Not a message: a marker where the room's history lost entries (trimmed by the stream's
    // length cap, or deleted) before this client could read them.
    bool historyGap = false;
    qsizetype rawSize = 0;
    QByteArray raw;
    Delivery delivery = Delivery::Received;
    QString failureReason; // for Failed

    // Replies and changes (MessageChanges applies edits, deletes and reactions).
    struct Reaction
    {
        QString reaction; // one grapheme (ChatEnvelope::isValidReaction)
        int count = 0; // distinct senders
        bool mine = false; // one of them is us
        bool operator==(const Reaction &other) const
        {
            return reaction == other.reaction && count == other.count && mine == other.mine;
        }
        bool operator!=(const Reaction &other) const { return !(*this == other); }
    };
    QString replyTo; // the envelope ID this message answers; empty when none
    bool edited = false; // text is its author's latest edit
    bool deleted = false; // its author deleted it: text is empty
    QList<Reaction> reactions; // in the order each was first given
    // The envelope's signature as read, and what it says of the sender (SenderVerifier).
    EnvelopeSignature::Claim signature;
    SenderTrust trust = SenderTrust::Unsigned;
    bool trustAssessed = false;

    // The marker for lost history (see historyGap), stamped `atMs`.
    static ChatMessage gapMarker(qint64 atMs);

    static ChatMessage fromEnvelope(
        const ChatEnvelope &envelope, const QString &myNickname, qint64 receivedAtMs);

    // Under our nickname, yet not sent by this client (anyone can publish under any name): shown
    // as someone else's message, which may mention us.
    void disown(QStringView myNickname);

    // Whether `text` names `nickname` as a word of its own (case-insensitive; "@bob" and "bob,"
    // count, "bobby" does not).
    static bool textMentions(QStringView text, QStringView nickname);

    // Something a person said (as opposed to a join or leave notice).
    bool isConversation() const
    {
        return !historyGap && (kind == ChatEnvelope::Kind::Message || kind == ChatEnvelope::Kind::Unknown);
    }
    // Approximate bytes held, for the per-room memory bound.
    qsizetype memoryCost() const;
};

} // namespace Redwire

Q_DECLARE_METATYPE(Redwire::ChatMessage)
