#include "SenderAssessment.h"

#include "ChatLogging.h"
#include "RoomSenderChecks.h"
#include "SenderVerifier.h"

#include <utility>

namespace Redwire {

SenderAssessment::SenderAssessment(RoomTimeline *timeline, const QByteArray &channel, QObject *parent)
    : QObject(parent)
    , m_channel(channel)
    , m_checks(new RoomSenderChecks(timeline, channel, this))
{
    connect(m_checks, &RoomSenderChecks::verdictsReached, this, &SenderAssessment::settled);
}

Ed25519Key SenderAssessment::signingKey() const
{
    return m_verifier ? m_verifier->signingKey() : Ed25519Key();
}

// Rows placed by history and catch-up, and live ones nothing waits for, are judged when the view
// shows them (shown); messages that can notify or be counted, before they do.
void SenderAssessment::setVerifier(SenderVerifier *verifier)
{
    m_verifier = verifier;
    m_checks->setVerifier(verifier);
    if (!verifier)
        return;
    connect(verifier, &SenderVerifier::keysArrived, this, &SenderAssessment::reassess);
    connect(verifier, &SenderVerifier::pinReplaced, this,
        [this](const QString &nickname) { m_checks->senderKeysChanged(nickname, true); });
}

void SenderAssessment::assess(ChatMessage &message)
{
    m_checks->judgeCheaply(message); // a signature is checked later
}

bool SenderAssessment::mayNotify(const ChatMessage &message, bool notifies, bool counted)
{
    // Not judged yet, or its sender's keys are being fetched: what can notify, or be counted,
    // waits for the verdict (a forged sender raises nothing).
    if (m_verifier && (!message.trustAssessed || message.trust == SenderTrust::Pending)) {
        if (notifies || counted)
            m_checks->awaitVerdict(
                message, notifies ? RoomSenderChecks::Priority::Notify : RoomSenderChecks::Priority::Count);
        return false;
    }
    // Signed with our own key: ours, from another device of ours, which we have read.
    return message.trust != SenderTrust::Forged && !m_checks->signedByUs(message);
}

void SenderAssessment::shown(const QString &id)
{
    m_checks->shown(id);
}

// The keys of `nickname` arrived: its pending messages are judged again (those that turn out to
// be theirs raise what they would have, through settled), and its held changes.
void SenderAssessment::reassess(const QString &nickname)
{
    m_checks->senderKeysChanged(nickname, false);
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
