#include "MessageChangeApplier.h"

#include "MessageChanges.h"
#include "Outbox.h"
#include "RoomTimeline.h"
#include "SenderAssessment.h"
#include "UntrustedText.h"

namespace Redwire {

MessageChangeApplier::MessageChangeApplier(RoomTimeline *timeline, MessageChanges *changes, Outbox *outbox,
    const SenderAssessment *senders, const RoomAddress &address, const QString &nickname,
    const ChatConfig &config, QObject *parent)
    : QObject(parent)
    , m_timeline(timeline)
    , m_changes(changes)
    , m_outbox(outbox)
    , m_senders(senders)
    , m_address(address)
    , m_nickname(nickname)
    , m_config(config)
{
    connect(m_changes, &MessageChanges::changed, this, &MessageChangeApplier::applyToRow);
}

bool MessageChangeApplier::canChange(const ChatMessage &message) const
{
    if (m_closed || message.deleted || message.delivery == ChatMessage::Delivery::Failed)
        return false;
    ChatEnvelope mine;
    mine.sender = m_nickname;
    return MessageChanges::mayChange(message, mine);
}

bool MessageChangeApplier::editMessage(const QString &id, const QString &text)
{
    const int row = m_timeline->rowOfId(id);
    if (row < 0 || !canChange(m_timeline->at(row)) || text.trimmed().isEmpty())
        return false;
    if (m_timeline->at(row).text == UntrustedText::sanitized(text))
        return true; // nothing to change
    ChatEnvelope change = ChatEnvelope::create(ChatEnvelope::Kind::Edit, m_nickname, text);
    change.ref = id;
    return send(change);
}

bool MessageChangeApplier::deleteMessage(const QString &id)
{
    const int row = m_timeline->rowOfId(id);
    if (row < 0 || !canChange(m_timeline->at(row)))
        return false;
    // What clients that do not know deletes show.
    ChatEnvelope change
        = ChatEnvelope::create(ChatEnvelope::Kind::Delete, m_nickname, tr("(deleted a message)"));
    change.ref = id;
    return send(change);
}

bool MessageChangeApplier::toggleReaction(const QString &id, const QString &reaction)
{
    const int row = m_timeline->rowOfId(id);
    if (m_closed || row < 0 || !ChatEnvelope::isValidReaction(reaction))
        return false;
    const ChatMessage &message = m_timeline->at(row);
    if (!MessageChanges::isChangeable(message) || message.deleted)
        return false;
    bool given = false;
    for (const ChatMessage::Reaction &existing : message.reactions)
        given = given || (existing.reaction == reaction && existing.mine);
    // The text is what clients that do not know reactions show.
    ChatEnvelope change = ChatEnvelope::create(
        ChatEnvelope::Kind::React, m_nickname, given ? tr("(took back %1)").arg(reaction) : reaction);
    change.ref = id;
    change.reaction = reaction;
    change.reactionOn = !given;
    return send(change);
}

// Shows our change at once and queues it like a message: stored, so that history replays it.
bool MessageChangeApplier::send(ChatEnvelope change)
{
    const QByteArray payload = change.encode(m_address.channel(), m_senders->signingKey());
    if (payload.size() > qsizetype(m_config.payloadLimitBytes) - ChatEnvelope::StreamIdOverhead)
        return false;
    record(change);
    if (!m_outbox->enqueue(m_address, change.id, payload)) {
        Q_EMIT queueFailed();
        return false;
    }
    return true;
}

void MessageChangeApplier::record(const ChatEnvelope &change)
{
    const int row = m_timeline->rowOfId(change.ref);
    m_changes->record(change, row >= 0 ? &m_timeline->at(row) : nullptr);
}

// A change to a message arrived (or was made): the row shows it.
void MessageChangeApplier::applyToRow(const QString &id)
{
    const int row = m_timeline->rowOfId(id);
    if (row < 0)
        return;
    ChatMessage message = m_timeline->at(row);
    m_changes->applyTo(message);
    const ChatMessage &before = m_timeline->at(row);
    if (message.text != before.text || message.edited != before.edited || message.deleted != before.deleted
        || message.reactions != before.reactions)
        m_timeline->updateMessage(row, message);
}

} // namespace Redwire
