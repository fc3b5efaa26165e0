#include "SenderAssessment.h"

#include "ChatLogging.h"
#include "RoomTimeline.h"
#include "SenderVerifier.h"

#include <utility>

namespace Redwire {

SenderAssessment::SenderAssessment(RoomTimeline *timeline, const QByteArray &channel, QObject *parent)
    : QObject(parent)
    , m_timeline(timeline)
    , m_channel(channel)
{ }

Ed25519Key SenderAssessment::signingKey() const
{
    return m_verifier ? m_verifier->signingKey() : Ed25519Key();
}

void SenderAssessment::setVerifier(SenderVerifier *verifier)
{
    m_verifier = verifier;
    if (!verifier)
        return;
    connect(verifier, &SenderVerifier::keysArrived, this, &SenderAssessment::reassess);
    // Rows placed by history and catch-up are judged right after they arrive: not inside the
    // insertion, which the models are still taking in.
    connect(m_timeline, &RoomTimeline::messagesInserted, this, [this] {
        if (std::exchange(m_assessQueued, true))
            return;
        QMetaObject::invokeMethod(this, &SenderAssessment::assessPlacedRows, Qt::QueuedConnection);
    });
}

void SenderAssessment::assessPlacedRows()
{
    m_assessQueued = false;
    for (int row = 0; row < m_timeline->count(); ++row) {
        if (m_timeline->at(row).trustAssessed)
            continue;
        ChatMessage message = m_timeline->at(row);
        assess(message);
        m_timeline->updateMessage(row, message);
    }
}

void SenderAssessment::assess(ChatMessage &message) const
{
    if (!m_verifier || message.trustAssessed)
        return;
    message.trust = m_verifier->assess(m_channel, message);
    message.trustAssessed = true;
    if (message.trust == SenderTrust::Forged)
        message.mentionsMe = false;
}

bool SenderAssessment::mayNotify(ChatMessage &message)
{
    if (!message.trustAssessed)
        assess(message);
    // A forged sender raises nothing; one whose key is being fetched waits for it.
    if (message.trust == SenderTrust::Forged)
        return false;
    if (message.trust == SenderTrust::Pending) {
        if (m_awaitingKeys.size() < MaxAwaitingKeys)
            m_awaitingKeys.append(message);
        return false;
    }
    return true;
}

// The keys of `nickname` arrived: its pending messages are judged again, and those that turn
// out to be theirs raise what they would have.
void SenderAssessment::reassess(const QString &nickname)
{
    for (int row = 0; row < m_timeline->count(); ++row) {
        const ChatMessage &held = m_timeline->at(row);
        if (held.sender != nickname || held.trust != SenderTrust::Pending)
            continue;
        ChatMessage message = held;
        message.trustAssessed = false;
        assess(message);
        if (message.trust != SenderTrust::Pending)
            m_timeline->updateMessage(row, message);
    }
    QList<ChatMessage> settledMessages;
    for (auto it = m_awaitingKeys.begin(); it != m_awaitingKeys.end();) {
        if (it->sender != nickname) {
            ++it;
            continue;
        }
        ChatMessage message = *it;
        message.trustAssessed = false;
        assess(message);
        if (message.trust == SenderTrust::Pending) {
            ++it;
            continue;
        }
        if (message.trust != SenderTrust::Forged)
            settledMessages.append(message);
        it = m_awaitingKeys.erase(it);
    }
    if (!settledMessages.isEmpty())
        Q_EMIT settled(settledMessages);
    const QList<ChatEnvelope> changes = std::exchange(m_changesAwaitingKeys, {});
    for (const ChatEnvelope &change : changes)
        receiveChange(change);
}

// An edit, delete or reaction applies only when its sender is who it claims: signed by them, or
// unsigned from someone who never signed. One whose key is being fetched waits for it (bounded).
void SenderAssessment::receiveChange(const ChatEnvelope &change)
{
    if (!m_verifier) {
        Q_EMIT changeAccepted(change);
        return;
    }
    const ChatMessage claimed = ChatMessage::fromEnvelope(change, QString(), 0);
    switch (m_verifier->assess(m_channel, claimed)) {
    case SenderTrust::Verified:
    case SenderTrust::NewKey:
        Q_EMIT changeAccepted(change);
        return;
    case SenderTrust::Unsigned:
        if (!m_verifier->signs(change.sender)) {
            Q_EMIT changeAccepted(change);
            return;
        }
        break;
    case SenderTrust::Pending:
        if (m_changesAwaitingKeys.size() < MaxAwaitingKeys)
            m_changesAwaitingKeys.append(change);
        return;
    case SenderTrust::KeyChanged:
    case SenderTrust::Forged:
        break;
    }
    qCWarning(lcChat) << "ignored a change that is not its claimed sender's:" << change.sender << "in"
                      << m_channel;
}

} // namespace Redwire
