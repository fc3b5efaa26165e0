#include "ChatEnvelope.h"

#include "Ed25519Key.h"
#include "RoomAddress.h"
#include "UntrustedText.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextBoundaryFinder>
#include <QUuid>

#include <cmath>

namespace Redwire {

namespace {
// Timestamps beyond this (year 275760, JavaScript's limit) are not timestamps.
constexpr double MaxTimestampMs = 8.64e15;
constexpr int MaxVersion = 1000000;
constexpr int MaxReasonLength = 64;

ChatEnvelope externalMessage(const QByteArray &payload)
{
    ChatEnvelope envelope;
    envelope.external = true;
    envelope.kind = ChatEnvelope::Kind::Message;
    envelope.kindName = ChatEnvelope::kindToString(envelope.kind);
    envelope.rawSize = payload.size();
    envelope.raw = payload;
    envelope.text = UntrustedText::fromUtf8(payload);
    return envelope;
}

// Reads the fields of a v1 envelope; false when a required field is missing or mistyped.
bool readFields(const QJsonObject &object, ChatEnvelope *envelope)
{
    const QJsonValue version = object.value(QLatin1String("v"));
    const QJsonValue id = object.value(QLatin1String("id"));
    const QJsonValue kind = object.value(QLatin1String("kind"));
    const QJsonValue from = object.value(QLatin1String("from"));
    const QJsonValue text = object.value(QLatin1String("text"));

    if (!version.isDouble())
        return false;
    const double v = version.toDouble();
    if (!(v >= 1 && v <= MaxVersion) || v != std::floor(v))
        return false;
    if (!id.isString() || id.toString().isEmpty() || id.toString().size() > ChatEnvelope::MaxIdLength)
        return false;
    if (!kind.isString() || kind.toString().isEmpty() || kind.toString().size() > ChatEnvelope::MaxKindLength)
        return false;
    if (!from.isString())
        return false;
    // A name that breaks the rules ours follow (invisible or bidi characters, spaces, mixed
    // alphabets) is shown with its hidden characters written out, and flagged: it cannot pass
    // for a member's name.
    const QString visible = UntrustedText::sanitized(from.toString(), UntrustedText::Lines::Flatten);
    if (visible.trimmed().isEmpty() || from.toString().toUtf8().size() > RoomAddress::MaxNicknameBytes)
        return false;
    const bool suspicious = !RoomAddress::nicknameProblem(from.toString()).isEmpty();
    const QString sender = suspicious ? RoomAddress::escapedNickname(from.toString()) : visible;
    const ChatEnvelope::Kind parsedKind = ChatEnvelope::kindFromString(kind.toString());
    if (!text.isUndefined() && !text.isString())
        return false;
    if (parsedKind == ChatEnvelope::Kind::Message && !text.isString())
        return false;

    envelope->version = int(v);
    envelope->id = id.toString();
    envelope->kind = parsedKind;
    envelope->kindName = UntrustedText::sanitized(kind.toString(), UntrustedText::Lines::Flatten);
    envelope->sender = sender;
    envelope->senderSuspicious = suspicious;
    envelope->text = UntrustedText::sanitized(text.toString());

    // Optional fields: a mistyped one is ignored, not fatal.
    const QJsonValue sid = object.value(QLatin1String("sid"));
    if (sid.isString())
        envelope->streamId = StreamId::parse(sid.toString().toLatin1());
    const QJsonValue ts = object.value(QLatin1String("ts"));
    if (ts.isDouble()) {
        const double ms = ts.toDouble();
        if (std::isfinite(ms) && ms >= 0 && ms <= MaxTimestampMs)
            envelope->timestampMs = qint64(ms);
    }
    const QJsonValue reason = object.value(QLatin1String("reason"));
    if (reason.isString())
        envelope->reason = UntrustedText::sanitized(reason.toString(), UntrustedText::Lines::Flatten)
                               .left(MaxReasonLength);
    envelope->hasText = text.isString();
    // A ref that is not a valid ID is no ref: a reply shows as a plain message, a change is
    // ignored (changeProblem()).
    const QJsonValue ref = object.value(QLatin1String("ref"));
    if (ref.isString() && !ref.toString().isEmpty() && ref.toString().size() <= ChatEnvelope::MaxIdLength)
        envelope->ref = ref.toString();
    const QJsonValue reaction = object.value(QLatin1String("reaction"));
    if (reaction.isString() && ChatEnvelope::isValidReaction(reaction.toString()))
        envelope->reaction = reaction.toString();
    const QJsonValue on = object.value(QLatin1String("on"));
    envelope->reactionOn = !on.isBool() || on.toBool();
    return true;
}
} // namespace

QString ChatEnvelope::kindToString(Kind kind)
{
    switch (kind) {
    case Kind::Message:
        return QStringLiteral("message");
    case Kind::Join:
        return QStringLiteral("join");
    case Kind::Leave:
        return QStringLiteral("leave");
    case Kind::Typing:
        return QStringLiteral("typing");
    case Kind::Edit:
        return QStringLiteral("edit");
    case Kind::Delete:
        return QStringLiteral("delete");
    case Kind::React:
        return QStringLiteral("react");
    case Kind::Unknown:
        break;
    }
    return QString();
}

ChatEnvelope::Kind ChatEnvelope::kindFromString(const QString &name)
{
    for (const Kind kind :
        { Kind::Message, Kind::Join, Kind::Leave, Kind::Typing, Kind::Edit, Kind::Delete, Kind::React })
        if (name == kindToString(kind))
            return kind;
    return Kind::Unknown;
}

bool ChatEnvelope::isValidReaction(const QString &reaction)
{
    if (reaction.isEmpty() || reaction.size() > MaxReactionLength)
        return false;
    if (UntrustedText::sanitized(reaction, UntrustedText::Lines::Flatten) != reaction)
        return false; // controls, bidi controls, invalid UTF-16
    for (const QChar c : reaction)
        if (c.isSpace())
            return false;
    // One grapheme: "👍🏽" and "❤️" are one, "lol" or "👍👍" are not (nothing to read as a word
    // under someone's message).
    QTextBoundaryFinder graphemes(QTextBoundaryFinder::Grapheme, reaction);
    return graphemes.toNextBoundary() == reaction.size();
}

QString ChatEnvelope::changeProblem() const
{
    if (!isChange())
        return QStringLiteral("not a change");
    if (ref.isEmpty())
        return QStringLiteral("no valid \"ref\"");
    if (kind == Kind::Edit && (!hasText || text.trimmed().isEmpty()))
        return QStringLiteral("an edit without text");
    if (kind == Kind::React && reaction.isEmpty())
        return QStringLiteral("no valid \"reaction\"");
    return {};
}

QString ChatEnvelope::truncationMarker(qsizetype shownBytes, qsizetype receivedBytes)
{
    return QCoreApplication::translate("Redwire::ChatEnvelope", "[message cut: %1 of %2 bytes shown]")
        .arg(shownBytes)
        .arg(receivedBytes);
}

ChatEnvelope ChatEnvelope::create(Kind kind, const QString &sender, const QString &text)
{
    ChatEnvelope envelope;
    envelope.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    envelope.kind = kind;
    envelope.kindName = kindToString(kind);
    envelope.sender = sender;
    envelope.text = text;
    envelope.hasText = !text.isEmpty() || kind == Kind::Message;
    envelope.timestampMs = QDateTime::currentMSecsSinceEpoch();
    return envelope;
}

ChatEnvelope ChatEnvelope::decode(const QByteArray &payload, qsizetype payloadLimit)
{
    if (payload.size() > payloadLimit) {
        // Not parsed at all: the work done for a hostile payload stays bounded by the limit.
        const qsizetype shown = UntrustedText::utf8PrefixLength(payload, qMax<qsizetype>(0, payloadLimit));
        ChatEnvelope envelope = externalMessage(payload.left(shown));
        envelope.rawSize = payload.size();
        envelope.truncated = true;
        envelope.text += u'\n' + truncationMarker(shown, payload.size());
        return envelope;
    }
    // Only an object can be an envelope; skip the parser for everything else.
    const QByteArray trimmed = payload.trimmed();
    if (!trimmed.startsWith('{'))
        return externalMessage(payload);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return externalMessage(payload);
    ChatEnvelope envelope;
    if (!readFields(document.object(), &envelope))
        return externalMessage(payload);
    envelope.rawSize = payload.size();
    envelope.raw = payload;
    if (document.object().contains(QLatin1String("sig")) || document.object().contains(QLatin1String("kid")))
        envelope.signature = EnvelopeSignature::read(document.object());
    return envelope;
}

QByteArray ChatEnvelope::encode() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

QByteArray ChatEnvelope::encode(const QByteArray &channel, const Ed25519Key &key) const
{
    return QJsonDocument(EnvelopeSignature::sign(toJson(), channel, key)).toJson(QJsonDocument::Compact);
}

QJsonObject ChatEnvelope::toJson() const
{
    QJsonObject object;
    object.insert(QLatin1String("v"), version);
    object.insert(QLatin1String("id"), id);
    object.insert(QLatin1String("kind"), kind == Kind::Unknown ? kindName : kindToString(kind));
    object.insert(QLatin1String("from"), sender);
    if (kind == Kind::Message || !text.isEmpty())
        object.insert(QLatin1String("text"), text);
    if (timestampMs > 0)
        object.insert(QLatin1String("ts"), timestampMs);
    if (!streamId.isNull())
        object.insert(QLatin1String("sid"), QString::fromLatin1(streamId.toByteArray()));
    if (!reason.isEmpty())
        object.insert(QLatin1String("reason"), reason);
    if (!ref.isEmpty())
        object.insert(QLatin1String("ref"), ref);
    if (!reaction.isEmpty()) {
        object.insert(QLatin1String("reaction"), reaction);
        object.insert(QLatin1String("on"), reactionOn);
    }
    return object;
}

} // namespace Redwire
