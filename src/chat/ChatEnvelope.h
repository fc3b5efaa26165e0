#pragma once

#include "StreamId.h"

#include <QByteArray>
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
    enum class Kind { Message, Join, Leave, Typing, Unknown };

    static constexpr int ProtocolVersion = 1;
    static constexpr int MaxIdLength = 128;
    static constexpr int MaxKindLength = 32;
    // What the send script adds when it publishes ("sid":"<20 digits>-<20 digits>",): an
    // envelope must leave this much room under the payload limit.
    static constexpr int StreamIdOverhead = 64;

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

    // How the payload was read.
    bool external = false; // not our envelope: text is the payload, sender is empty
    bool truncated = false; // over the size limit: text holds the first bytes and a marker
    qsizetype rawSize = 0; // bytes received
    QByteArray raw; // the bytes received, cut to the limit

    // A new envelope from us: a fresh ID, the current time.
    static ChatEnvelope create(Kind kind, const QString &sender, const QString &text = {});
    static ChatEnvelope decode(const QByteArray &payload, qsizetype payloadLimit);
    // Compact JSON; "sid" only when streamId is set, "text" only when non-empty or a message.
    QByteArray encode() const;

    static QString kindToString(Kind kind);
    static Kind kindFromString(const QString &name);
    // What is appended to the text of a cut payload (translated).
    static QString truncationMarker(qsizetype shownBytes, qsizetype receivedBytes);
};

} // namespace Redwire

Q_DECLARE_METATYPE(Redwire::ChatEnvelope)
