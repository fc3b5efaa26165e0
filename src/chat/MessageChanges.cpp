#include "MessageChanges.h"

#include "ChatLogging.h"

#include <algorithm>

namespace Redwire {

namespace {
constexpr qint64 TargetOverhead = 96;
constexpr qint64 RecordOverhead = 64;
} // namespace

MessageChanges::MessageChanges(const QString &myNickname, int maxMessages, qint64 maxBytes, QObject *parent)
    : QObject(parent)
    , m_myNickname(myNickname)
    , m_maxMessages(qMax(1, maxMessages))
    , m_maxBytes(qMax<qint64>(1, maxBytes))
{ }

bool MessageChanges::Order::isNewerThan(const Order &other) const
{
    if (!streamId.isNull() && !other.streamId.isNull() && streamId != other.streamId)
        return other.streamId < streamId;
    // The same stored change again (its live copy, then its stream entry), or one that was never
    // stored: the later arrival wins.
    return arrival > other.arrival;
}

bool MessageChanges::mayChange(const ChatMessage &original, const ChatEnvelope &change)
{
    // The name, with its look-alike mark (an escaped name never equals a clean one). A signed
    // message is changed only by signed changes: whose signature ChatRoom checks before it
    // records them (an unsigned edit could otherwise claim a signer whose key this client has
    // not pinned yet).
    return isChangeable(original) && !change.external && change.sender == original.sender
        && change.senderSuspicious == original.senderSuspicious
        && (!original.signature.signedEnvelope || change.signature.signedEnvelope);
}

bool MessageChanges::isChangeable(const ChatMessage &message)
{
    return !message.historyGap && !message.external && !message.id.isEmpty()
        && message.kind == ChatEnvelope::Kind::Message;
}

bool MessageChanges::record(const ChatEnvelope &change, const ChatMessage *original)
{
    const QString problem = change.changeProblem();
    if (!problem.isEmpty()) {
        qCInfo(lcChat) << "ignoring" << change.kindName << change.id << "from" << change.sender << ":"
                       << problem;
        return false;
    }
    if (original && !isChangeable(*original)) {
        qCInfo(lcChat) << "ignoring" << change.kindName << change.id << ": message" << change.ref
                       << "cannot be changed";
        return false;
    }
    if (original && change.kind != ChatEnvelope::Kind::React && !mayChange(*original, change)) {
        qCWarning(lcChat) << "ignoring a forged" << change.kindName << "of" << change.ref << "by"
                          << change.sender << "(the message is by" << original->sender << ")";
        return false;
    }

    const bool isNew = !m_targets.contains(change.ref);
    Target &target = m_targets[change.ref];
    if (isNew)
        m_insertionOrder.push_back(change.ref);
    const Order order { change.streamId, ++m_arrivals };
    const bool kept = change.kind == ChatEnvelope::Kind::React ? recordReaction(target, change, order)
                                                               : recordEditOrDelete(target, change, order);
    m_bytes -= target.bytes;
    target.bytes = costOf(target);
    m_bytes += target.bytes;
    if (isNew && !kept) {
        m_bytes -= target.bytes;
        m_targets.remove(change.ref);
        m_insertionOrder.pop_back();
        return false;
    }
    evictOldest();
    if (kept)
        Q_EMIT changed(change.ref);
    return kept;
}

bool MessageChanges::recordEditOrDelete(Target &target, const ChatEnvelope &change, const Order &order)
{
    Changer *changer = nullptr;
    for (Changer &candidate : target.changers)
        if (candidate.sender == change.sender && candidate.senderSuspicious == change.senderSuspicious
            && candidate.signedChanges == change.signature.signedEnvelope)
            changer = &candidate;
    if (!changer) {
        if (target.changers.size() >= MaxChangersPerMessage) {
            qCWarning(lcChat) << "ignoring" << change.kindName << "of" << change.ref << "by" << change.sender
                              << ": too many senders changed this message";
            return false;
        }
        target.changers.append(Changer { change.sender, change.senderSuspicious });
        target.changers.last().signedChanges = change.signature.signedEnvelope;
        changer = &target.changers.last();
    }
    if (change.kind == ChatEnvelope::Kind::Delete) {
        if (changer->deleted)
            return false;
        // Deleted for good: a later (or replayed earlier) edit cannot bring the text back.
        changer->deleted = true;
        changer->text.clear();
        return true;
    }
    if (changer->deleted || (changer->edited && !order.isNewerThan(changer->editOrder)))
        return false;
    const bool same = changer->edited && changer->text == change.text;
    changer->edited = true;
    changer->text = change.text;
    changer->editOrder = order;
    return !same;
}

bool MessageChanges::recordReaction(Target &target, const ChatEnvelope &change, const Order &order)
{
    bool known = false;
    for (ReactionRecord &record : target.reactions) {
        if (record.reaction != change.reaction)
            continue;
        known = true;
        if (record.sender != change.sender)
            continue;
        if (!order.isNewerThan(record.order))
            return false;
        const bool flipped = record.on != change.reactionOn;
        record.on = change.reactionOn;
        record.order = order;
        return flipped;
    }
    if (!known) {
        QList<QString> distinct;
        for (const ReactionRecord &record : std::as_const(target.reactions))
            if (!distinct.contains(record.reaction))
                distinct.append(record.reaction);
        if (distinct.size() >= MaxDistinctReactions) {
            qCInfo(lcChat) << "ignoring reaction to" << change.ref << ": at most" << MaxDistinctReactions
                           << "different reactions per message";
            return false;
        }
    }
    if (target.reactions.size() >= MaxReactionRecords) {
        qCInfo(lcChat) << "ignoring reaction to" << change.ref << ": at most" << MaxReactionRecords
                       << "reactions per message";
        return false;
    }
    target.reactions.append(ReactionRecord { change.sender, change.reaction, change.reactionOn, order });
    return change.reactionOn; // taking back what was never given changes nothing (but is kept: order)
}

void MessageChanges::applyTo(ChatMessage &message) const
{
    if (!isChangeable(message))
        return;
    const auto found = m_targets.constFind(message.id);
    if (found == m_targets.cend())
        return;
    const Target &target = found.value();
    ChatEnvelope author; // each changer as mayChange() sees a change
    for (const Changer &changer : target.changers) {
        author.sender = changer.sender;
        author.senderSuspicious = changer.senderSuspicious;
        author.signature.signedEnvelope = changer.signedChanges;
        if (!mayChange(message, author))
            continue;
        if (changer.deleted) {
            message.deleted = true;
            message.text.clear();
            message.mentionsMe = false;
        } else if (changer.edited && !message.deleted) {
            message.edited = true;
            message.text = changer.text;
            if (!message.own)
                message.mentionsMe = ChatMessage::textMentions(message.text, m_myNickname);
        }
    }
    QList<ChatMessage::Reaction> reactions;
    if (!message.deleted) {
        for (const ReactionRecord &record : target.reactions) {
            if (!record.on)
                continue;
            auto it = std::find_if(reactions.begin(), reactions.end(),
                [&](const ChatMessage::Reaction &r) { return r.reaction == record.reaction; });
            if (it == reactions.end())
                it = reactions.insert(reactions.end(), ChatMessage::Reaction { record.reaction, 0, false });
            ++it->count;
            it->mine = it->mine || (!m_myNickname.isEmpty() && record.sender == m_myNickname);
        }
    }
    message.reactions = reactions;
}

qint64 MessageChanges::costOf(const Target &target)
{
    qint64 bytes = TargetOverhead;
    for (const Changer &changer : target.changers)
        bytes += RecordOverhead + 2 * (changer.sender.size() + changer.text.size());
    for (const ReactionRecord &record : target.reactions)
        bytes += RecordOverhead + 2 * (record.sender.size() + record.reaction.size());
    return bytes;
}

void MessageChanges::evictOldest()
{
    // The changes of the messages changed first go first; a message shown keeps what it shows.
    while (!m_insertionOrder.empty() && (m_targets.size() > m_maxMessages || m_bytes > m_maxBytes)) {
        const QString id = m_insertionOrder.front();
        m_insertionOrder.pop_front();
        const auto it = m_targets.find(id);
        if (it == m_targets.end())
            continue;
        m_bytes -= it->bytes;
        m_targets.erase(it);
    }
}

} // namespace Redwire
