#include "MessageSender.h"

#include "MessageChangeApplier.h"
#include "RoomTimeline.h"
#include "SenderAssessment.h"
#include "UntrustedText.h"

namespace Redwire {

MessageSender::MessageSender(RoomTimeline *timeline, Outbox *outbox, const SenderAssessment *senders,
    MessageChangeApplier *editor, const RoomAddress &address, const QString &nickname,
    const ChatConfig &config, QObject *parent)
    : QObject(parent)
    , m_timeline(timeline)
    , m_outbox(outbox)
    , m_senders(senders)
    , m_editor(editor)
    , m_address(address)
    , m_nickname(nickname)
    , m_config(config)
{
    connect(m_outbox, &Outbox::sent, this,
        [this](const RoomAddress &address, const QString &id, const StreamId &streamId) {
            if (address == m_address)
                m_timeline->setDelivery(id, ChatMessage::Delivery::Sent, streamId);
        });
    connect(m_outbox, &Outbox::failed, this,
        [this](const RoomAddress &address, const QString &id, const QString &reason) {
            if (address == m_address)
                markFailed(id, reason);
        });
    // Messages of ours still in the outbox (typed in an earlier run): at the bottom, pending.
    for (const Outbox::Item &item : m_outbox->items())
        if (item.address == m_address)
            showUnsent(item);
    connect(m_outbox, &Outbox::restored, this, [this](const Outbox::Item &item) {
        if (item.address == m_address)
            showUnsent(item);
    });
}

QString MessageSender::sendProblem(const QString &text) const
{
    if (m_closed)
        return tr("You left this conversation.");
    if (text.trimmed().isEmpty())
        return tr("Type a message first.");
    // Measured as published: with the stream ID the script adds, it must stay under the limit
    // that every receiver applies.
    const qsizetype size = ChatEnvelope::create(ChatEnvelope::Kind::Message, m_nickname, text)
                               .encode(m_address.channel(), m_senders->signingKey())
                               .size();
    const qsizetype limit = qsizetype(m_config.payloadLimitBytes) - ChatEnvelope::StreamIdOverhead;
    if (size > limit)
        return tr("This message is too long: %1 bytes, at most %2 can be sent.").arg(size).arg(limit);
    return {};
}

bool MessageSender::send(const QString &text, const QString &replyTo)
{
    if (!sendProblem(text).isEmpty())
        return false;
    ChatEnvelope envelope = ChatEnvelope::create(ChatEnvelope::Kind::Message, m_nickname, text);
    if (!replyTo.isEmpty() && replyTo.size() <= ChatEnvelope::MaxIdLength)
        envelope.ref = replyTo;
    const QByteArray payload = envelope.encode(m_address.channel(), m_senders->signingKey());
    ChatMessage message = ChatMessage::fromEnvelope(envelope, m_nickname, envelope.timestampMs);
    // Ours, signed by us: nothing to check.
    message.trust = m_senders->signingKey().isNull() ? SenderTrust::Unsigned : SenderTrust::Verified;
    message.trustAssessed = true;
    message.text = UntrustedText::sanitized(text);
    message.raw = payload;
    message.rawSize = payload.size();
    message.own = true;
    message.delivery = ChatMessage::Delivery::Pending;
    m_timeline->addPending(message);
    if (!m_outbox->enqueue(m_address, envelope.id, payload))
        markFailed(envelope.id, tr("The message could not be queued."));
    return true;
}

void MessageSender::showUnsent(const Outbox::Item &item)
{
    if (m_timeline->rowOfId(item.id) >= 0)
        return;
    const ChatEnvelope envelope = ChatEnvelope::decode(item.envelope, m_config.payloadLimitBytes);
    if (envelope.isChange()) {
        // An edit, delete or reaction of ours not stored yet: it shows at once, as when it was made.
        m_editor->record(envelope);
        return;
    }
    ChatMessage message = ChatMessage::fromEnvelope(envelope, m_nickname, envelope.timestampMs);
    message.id = item.id;
    message.own = true;
    message.delivery = ChatMessage::Delivery::Pending;
    m_timeline->addPending(message);
    if (item.state == Outbox::State::Failed)
        m_timeline->setDelivery(item.id, ChatMessage::Delivery::Failed, {}, item.failureReason);
}

bool MessageSender::retry(const QString &id)
{
    if (!m_outbox->retry(id))
        return false;
    m_timeline->setDelivery(id, ChatMessage::Delivery::Pending);
    return true;
}

bool MessageSender::discard(const QString &id)
{
    if (!m_outbox->discard(id))
        return false;
    m_timeline->removeUnplaced(id);
    return true;
}

void MessageSender::retryRefused()
{
    for (const Outbox::Item &item : m_outbox->items())
        if (item.address == m_address && item.state == Outbox::State::Failed
            && item.failureReason.startsWith(QLatin1String("NOPERM")))
            retry(item.id);
}

void MessageSender::markFailed(const QString &id, const QString &reason)
{
    const Outbox::Item *item = m_outbox->item(id);
    Q_EMIT failed(
        reason, item && ChatEnvelope::decode(item->envelope, m_config.payloadLimitBytes).isChange());
    m_timeline->setDelivery(id, ChatMessage::Delivery::Failed, {}, reason);
}

} // namespace Redwire
