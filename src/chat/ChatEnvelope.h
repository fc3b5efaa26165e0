#pragma once

#include "EnvelopeSignature.h"
#include "StreamId.h"

#include <QByteArray>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace Redwire {

// The wire format of Redwire chat protocol v1 (docs/PROTOCOL.md): one JSON object per Pub/Sub
// message and per stream entry. decode() never fails: a payload that is not one of our envelopes
// (plain text from redis-cli, malformed JSON, a JSON array, a missing or mistyped required field,
// anything over the size limit) becomes an external message whose text is the payload itself.
// Everything decoded is sanitised as UntrustedText; the raw bytes are kept (up to the limit).
class ChatEnvelope
{
public:
    // Edit, Delete and React change an earlier message (`ref`); they are stored and published
    // like messages, and clients that do not know them show their text as a message.
    enum class Kind { Message, Join, Leave, Typing, Edit, Delete, React, Unknown };

    static constexpr int ProtocolVersion = 1;
    static constexpr int MaxIdLength = 128;
    static constexpr int MaxKindLength = 32;
    // What the send script adds when it publishes ("sid":"<20 digits>-<20 digits>",): an
    // envelope must leave this much room under the payload limit.
    static constexpr int StreamIdOverhead = 64;
    // A reaction is one grapheme (an emoji, possibly with modifiers) of at most this many UTF-16
    // units.
    static constexpr int MaxReactionLength = 32;

    // Fields on the wire.
    int version = ProtocolVersion; // "v"
    QString id; // "id": unique per message, chosen by the sender
    StreamId streamId; // "sid": set by the server-side script; null when not stored
    Kind kind = Kind::Message; // "kind"
    QString kindName; // "kind" as sent, kept for kinds this version does not know
    QString sender; // "from": a nickname; empty for external messages
    bool senderSuspicious = false; // "from" breaks the nickname rules; sender shows it escaped
    QString text; // "text"
    qint64 timestampMs = 0; // "ts": sender's clock, ms since the epoch; 0 when absent or unusable
    QString reason; // "reason" of a leave: "left" or "timeout"
    // "ref": the message this one answers (message), replaces (edit), removes (delete) or reacts
    // to (react); empty when absent or not a valid ID.
    QString ref;
    QString reaction; // "reaction" of a react; empty when absent or not one short grapheme
    bool reactionOn = true; // "on" of a react: false takes the reaction back
    bool hasText = false; // "text" was present (an edit needs one)

    // How the payload was read.
    bool external = false; // not our envelope: text is the payload, sender is empty
    bool truncated = false; // over the size limit: text holds the first bytes and a marker
    qsizetype rawSize = 0; // bytes received
    QByteArray raw; // the bytes received, cut to the limit
    // "kid" and "sig" (docs/PROTOCOL.md, "Signed envelopes"), read but not checked: checking
    // needs the channel and the sender's key (SenderVerifier).
    EnvelopeSignature::Claim signature;

    // A new envelope from us: a fresh ID, the current time.
    static ChatEnvelope create(Kind kind, const QString &sender, const QString &text = {});
    static ChatEnvelope decode(const QByteArray &payload, qsizetype payloadLimit);
    // Compact JSON; "sid" only when streamId is set, "text" only when non-empty or a message.
    QByteArray encode() const;
    // The same, signed for this channel with the key ("kid" and "sig"); as encode() for a null key.
    QByteArray encode(const QByteArray &channel, const Ed25519Key &key) const;

    // An edit, delete or react.
    bool isChange() const
    {
        return !external && (kind == Kind::Edit || kind == Kind::Delete || kind == Kind::React);
    }
    // Why a change cannot be applied (no ref, an edit without text, a react without a valid
    // reaction), for the log; empty when it can.
    QString changeProblem() const;
    // Whether `reaction` is one grapheme of at most MaxReactionLength units, without spaces or
    // controls.
    static bool isValidReaction(const QString &reaction);

    static QString kindToString(Kind kind);
    static Kind kindFromString(const QString &name);
    // What is appended to the text of a cut payload (translated).
    static QString truncationMarker(qsizetype shownBytes, qsizetype receivedBytes);

private:
    QJsonObject toJson() const;
};

} // namespace Redwire

Q_DECLARE_METATYPE(Redwire::ChatEnvelope)
