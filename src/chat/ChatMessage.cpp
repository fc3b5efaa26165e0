#include "ChatMessage.h"

namespace Redwire {

namespace {
bool isWordCharacter(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c.isMark();
}
} // namespace

ChatMessage ChatMessage::gapMarker(qint64 atMs)
{
    ChatMessage marker;
    marker.historyGap = true;
    marker.kind = ChatEnvelope::Kind::Unknown;
    marker.timestampMs = atMs;
    return marker;
}

ChatMessage ChatMessage::fromEnvelope(
    const ChatEnvelope &envelope, const QString &myNickname, qint64 receivedAtMs)
{
    ChatMessage message;
    message.id = envelope.external ? QString() : envelope.id;
    message.streamId = envelope.streamId;
    message.kind = envelope.kind;
    message.kindName = envelope.kindName;
    message.sender = envelope.sender;
    message.senderSuspicious = envelope.senderSuspicious;
    message.text = envelope.text;
    message.reason = envelope.reason;
    if (envelope.kind == ChatEnvelope::Kind::Message)
        message.replyTo = envelope.ref;
    message.timestampMs = envelope.timestampMs > 0 ? envelope.timestampMs : receivedAtMs;
    message.external = envelope.external;
    message.own = !envelope.external && !myNickname.isEmpty() && envelope.sender == myNickname;
    message.truncated = envelope.truncated;
    message.rawSize = envelope.rawSize;
    message.raw = envelope.raw;
    message.signature = envelope.signature;
    // Ours, read back from the server (another device of ours, or history): stored, so sent.
    if (message.own && !message.streamId.isNull())
        message.delivery = Delivery::Sent;
    message.mentionsMe = !message.own && message.isConversation() && !myNickname.isEmpty()
        && textMentions(message.text, myNickname);
    return message;
}

void ChatMessage::disown(QStringView myNickname)
{
    if (!own)
        return;
    own = false;
    delivery = Delivery::Received;
    mentionsMe = isConversation() && textMentions(text, myNickname);
}

bool ChatMessage::textMentions(QStringView text, QStringView nickname)
{
    if (nickname.isEmpty())
        return false;
    qsizetype from = 0;
    while (true) {
        const qsizetype at = text.indexOf(nickname, from, Qt::CaseInsensitive);
        if (at < 0)
            return false;
        const qsizetype end = at + nickname.size();
        const bool startsWord = at == 0 || !isWordCharacter(text[at - 1]);
        const bool endsWord = end >= text.size() || !isWordCharacter(text[end]);
        if (startsWord && endsWord)
            return true;
        from = at + 1;
    }
}

qsizetype ChatMessage::memoryCost() const
{
    constexpr qsizetype overhead = 160; // the struct, string headers, the timeline's bookkeeping
    return overhead + raw.size() + signature.canonicalBody.size() + signature.signature.size()
        + qsizetype(reactions.size()) * 48
        + 2
        * (id.size() + kindName.size() + sender.size() + text.size() + reason.size() + failureReason.size()
            + replyTo.size());
}

} // namespace Redwire
