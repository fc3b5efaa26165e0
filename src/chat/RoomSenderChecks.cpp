#include "RoomSenderChecks.h"

#include "ChatLogging.h"
#include "RoomTimeline.h"
#include "SenderVerifier.h"

#include <algorithm>
#include <utility>

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
    ++m_arrivals;
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
    if (!mayMentionUs(message))
        message.mentionsMe = false;
}

// Our nickname is always pinned to our own key (SenderVerifier::setIdentity): a good signature
// under it is ours, from another device of ours or an earlier run.
bool RoomSenderChecks::signedByUs(const ChatMessage &judged) const
{
    return m_verifier && judged.trustAssessed && judged.trust == SenderTrust::Verified
        && !judged.sender.isEmpty() && judged.sender == m_verifier->nickname();
}

// A forgery mentions no one, and we do not mention ourselves.
bool RoomSenderChecks::mayMentionUs(const ChatMessage &judged) const
{
    return judged.trust != SenderTrust::Forged && !signedByUs(judged);
}

void RoomSenderChecks::awaitVerdict(const ChatMessage &message, Priority priority)
{
    if (m_waiting.size() >= size_t(MaxWaiting)) {
        // A flood: what comes over the bound is let go without a verdict, so it neither notifies
        // nor counts (the earlier ones keep their place and their order).
        if (m_letGo++ == 0)
            QTimer::singleShot(1000, this, &RoomSenderChecks::logLetGo);
        return;
    }
    m_waiting.push_back({ message, priority });
    if (!message.trustAssessed)
        enqueue(message.id, priority);
    // Assessed and Pending: its sender's keys are being fetched (senderKeysChanged).
}

void RoomSenderChecks::logLetGo()
{
    qCWarning(lcChat) << "a flood:" << std::exchange(m_letGo, 0)
                      << "messages were let go unjudged (not notified, not counted unread)";
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
    if (!m_notify.isEmpty() && !m_notifyTurn.isActive()) {
        const qint64 interval = m_flooded ? NotifyIntervalInAFloodMs : NotifyIntervalMs;
        const qint64 since = m_lastNotifyTurn.isValid() ? m_lastNotifyTurn.elapsed() : interval;
        m_notifyTurn.start(int(qBound<qint64>(0, interval - since, interval)));
    }
    if ((!m_shown.isEmpty() || !m_count.isEmpty()) && !m_idleTurn.isActive())
        m_idleTurn.start();
}

// A turn verifies at most `checks` signatures, and looks up at most LookupsPerTurn messages (a
// request for a message judged meanwhile costs a lookup, not a check).
void RoomSenderChecks::runNotifyTurn()
{
    m_lastNotifyTurn.start();
    updateFlood();
    // In a flood, newest first: what notifies is what just arrived.
    int budget = m_flooded ? NotifyChecksPerTurnInAFlood : NotifyChecksPerTurn;
    for (int lookups = LookupsPerTurn; budget > 0 && lookups > 0 && !m_notify.isEmpty(); --lookups)
        budget -= check(m_flooded ? m_notify.takeLast() : m_notify.takeFirst()) ? 1 : 0;
    schedule();
}

// The arrival rate of signed messages, over windows of a second; a window that has seen more than
// a second's worth is a flood at once.
void RoomSenderChecks::updateFlood()
{
    if (!m_arrivalWindow.isValid()) {
        m_arrivalWindow.start();
        m_flooded = m_arrivals > FloodPerSecond;
        return;
    }
    const qint64 elapsed = m_arrivalWindow.elapsed();
    if (elapsed >= 1000) {
        m_flooded = m_arrivals * 1000 / elapsed > FloodPerSecond;
        m_arrivals = 0;
        m_arrivalWindow.start();
    } else if (m_arrivals > FloodPerSecond) {
        m_flooded = true;
    }
}

void RoomSenderChecks::runIdleTurn()
{
    // In a flood the view's rows scroll by faster than anyone reads them: half the pace.
    updateFlood();
    int budget = m_flooded ? IdleChecksPerTurnInAFlood : IdleChecksPerTurn;
    int lookups = LookupsPerTurn;
    for (; budget > 0 && lookups > 0 && !m_shown.isEmpty(); --lookups)
        budget -= check(m_shown.takeLast()) ? 1 : 0;
    for (; budget > 0 && lookups > 0 && !m_count.isEmpty(); --lookups)
        budget -= check(m_count.takeFirst()) ? 1 : 0;
    schedule();
}

// One verdict for the row and the waiting copy of a message. True when it cost a check.
bool RoomSenderChecks::check(const QString &id)
{
    if (!m_verifier)
        return false;
    const int row = m_timeline->rowOfId(id);
    const auto found = std::find_if(m_waiting.begin(), m_waiting.end(),
        [&id](const Waiting &waiting) { return !waiting.message.trustAssessed && waiting.message.id == id; });
    const bool waiting = found != m_waiting.end();
    const bool rowUnchecked = row >= 0 && !m_timeline->at(row).trustAssessed;
    if (!rowUnchecked && !waiting)
        return false;
    ChatMessage judged = rowUnchecked ? m_timeline->at(row) : found->message;
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
        if (!mayMentionUs(updated))
            updated.mentionsMe = false;
        m_timeline->updateMessage(row, updated);
    }
    if (waiting) {
        ChatMessage &message = found->message;
        message.trust = judged.trust;
        message.trustAssessed = true;
        if (!mayMentionUs(message))
            message.mentionsMe = false;
        // Pending: its sender's keys are being fetched; it waits for them (senderKeysChanged).
        if (judged.trust != SenderTrust::Pending) {
            const ChatMessage settled = std::move(message);
            m_waiting.erase(found); // usually the oldest: the queues are in arrival order
            if (settled.trust != SenderTrust::Forged)
                Q_EMIT verdictsReached({ settled });
        }
    }
    return costly;
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
