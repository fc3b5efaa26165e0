#include "RoomSenderChecks.h"

#include "ChatLogging.h"
#include "RoomTimeline.h"
#include "SenderVerifier.h"

namespace Redwire {

RoomSenderChecks::RoomSenderChecks(RoomTimeline *timeline, const QByteArray &channel, QObject *parent)
    : QObject(parent)
    , m_timeline(timeline)
    , m_channel(channel)
{
    m_notifyTurn.setSingleShot(true);
    m_notifyTurn.setInterval(0);
    connect(&m_notifyTurn, &QTimer::timeout, this, &RoomSenderChecks::runNotifyTurn);
    m_idleTurn.setSingleShot(true);
    m_idleTurn.setInterval(IdleIntervalMs);
    connect(&m_idleTurn, &QTimer::timeout, this, &RoomSenderChecks::runIdleTurn);
}

void RoomSenderChecks::setVerifier(SenderVerifier *verifier)
{
    m_verifier = verifier;
}

void RoomSenderChecks::judgeCheaply(ChatMessage &message)
{
    if (!m_verifier || message.trustAssessed)
        return;
    const EnvelopeSignature::Claim &claim = message.signature;
    if (!message.external && !message.sender.isEmpty() && !message.id.isEmpty() && claim.wellFormed) {
        message.trust = SenderTrust::Pending; // not checked yet
        return;
    }
    judgeNow(message);
}

void RoomSenderChecks::judgeNow(ChatMessage &message)
{
    if (!m_verifier || message.trustAssessed)
        return;
    message.trust = m_verifier->assess(m_channel, message);
    message.trustAssessed = true;
    if (message.trust == SenderTrust::Forged)
        message.mentionsMe = false;
}

void RoomSenderChecks::awaitVerdict(const ChatMessage &message, Priority priority)
{
    if (m_waiting.size() >= MaxWaiting) {
        // A flood: the oldest is let go without a verdict, so it neither notifies nor counts.
        qCWarning(lcChat) << "too many messages wait for their sender check; one from"
                          << m_waiting.constFirst().message.sender << "is not counted";
        m_waiting.removeFirst();
    }
    m_waiting.append({ message, priority });
    if (!message.trustAssessed)
        enqueue(message.id, priority);
    // Assessed and Pending: its sender's keys are being fetched (senderKeysChanged).
}

void RoomSenderChecks::shown(const QString &id)
{
    if (!m_verifier || id.isEmpty())
        return;
    m_shown.removeOne(id);
    m_shown.append(id);
    if (m_shown.size() > MaxShownRequests)
        m_shown.removeFirst();
    schedule();
}

void RoomSenderChecks::enqueue(const QString &id, Priority priority)
{
    switch (priority) {
    case Priority::Notify:
        if (m_notify.size() < MaxWaiting)
            m_notify.append(id);
        break;
    case Priority::Shown:
        shown(id);
        return;
    case Priority::Count:
        if (m_count.size() < MaxWaiting)
            m_count.append(id);
        break;
    }
    schedule();
}

void RoomSenderChecks::schedule()
{
    if (!m_notify.isEmpty() && !m_notifyTurn.isActive())
        m_notifyTurn.start();
    if ((!m_shown.isEmpty() || !m_count.isEmpty()) && !m_idleTurn.isActive())
        m_idleTurn.start();
}

void RoomSenderChecks::runNotifyTurn()
{
    int budget = NotifyChecksPerTurn;
    while (budget > 0 && !m_notify.isEmpty())
        budget -= check(m_notify.takeFirst()) ? 1 : 0;
    schedule();
}

void RoomSenderChecks::runIdleTurn()
{
    int budget = IdleChecksPerTurn;
    while (budget > 0 && !m_shown.isEmpty())
        budget -= check(m_shown.takeLast()) ? 1 : 0;
    while (budget > 0 && !m_count.isEmpty())
        budget -= check(m_count.takeFirst()) ? 1 : 0;
    schedule();
}

// One verdict for the row and the waiting copy of a message. True when it cost a check.
bool RoomSenderChecks::check(const QString &id)
{
    if (!m_verifier)
        return false;
    const int row = m_timeline->rowOfId(id);
    qsizetype waiting = -1;
    for (qsizetype i = 0; i < m_waiting.size() && waiting < 0; ++i)
        if (!m_waiting.at(i).message.trustAssessed && m_waiting.at(i).message.id == id)
            waiting = i;
    const bool rowUnchecked = row >= 0 && !m_timeline->at(row).trustAssessed;
    if (!rowUnchecked && waiting < 0)
        return false;
    ChatMessage judged = rowUnchecked ? m_timeline->at(row) : m_waiting.at(waiting).message;
    bool costly = false;
    if (!rowUnchecked && row >= 0) {
        judged.trust = m_timeline->at(row).trust; // judged already, as the row
        judged.trustAssessed = true;
    } else {
        judgeNow(judged);
        costly = true;
    }
    if (rowUnchecked) {
        ChatMessage updated = m_timeline->at(row);
        updated.trust = judged.trust;
        updated.trustAssessed = true;
        if (judged.trust == SenderTrust::Forged)
            updated.mentionsMe = false;
        m_timeline->updateMessage(row, updated);
    }
    if (waiting >= 0) {
        ChatMessage &message = m_waiting[waiting].message;
        message.trust = judged.trust;
        message.trustAssessed = true;
        if (judged.trust == SenderTrust::Forged)
            message.mentionsMe = false;
        settle();
    }
    return costly;
}

void RoomSenderChecks::settle()
{
    QList<ChatMessage> judged;
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        if (!it->message.trustAssessed || it->message.trust == SenderTrust::Pending) {
            ++it;
            continue;
        }
        if (it->message.trust != SenderTrust::Forged)
            judged.append(it->message);
        it = m_waiting.erase(it);
    }
    if (!judged.isEmpty())
        Q_EMIT verdictsReached(judged);
}

// Marks a row for another check: it shows Pending until the view asks for it, or the check of
// a waiting copy reaches it.
void RoomSenderChecks::markForCheck(int row)
{
    ChatMessage message = m_timeline->at(row);
    message.trust = SenderTrust::Pending;
    message.trustAssessed = false;
    m_timeline->updateMessage(row, message);
}

void RoomSenderChecks::senderKeysChanged(const QString &nickname, bool pinReplaced)
{
    for (int row = 0; row < m_timeline->count(); ++row) {
        const ChatMessage &held = m_timeline->at(row);
        if (held.sender != nickname || !held.trustAssessed)
            continue;
        if (held.trust == SenderTrust::Pending || (pinReplaced && held.trust == SenderTrust::KeyChanged))
            markForCheck(row);
    }
    for (Waiting &waiting : m_waiting) {
        ChatMessage &message = waiting.message;
        if (message.sender != nickname || !message.trustAssessed || message.trust != SenderTrust::Pending)
            continue;
        message.trustAssessed = false;
        enqueue(message.id, waiting.priority);
    }
}

} // namespace Redwire
