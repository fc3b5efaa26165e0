#pragma once

#include "ChatEnvelope.h"
#include "ChatMessage.h"
#include "Ed25519Key.h"

#include <QByteArray>
#include <QList>
#include <QObject>

namespace Redwire {

class RoomTimeline;
class SenderVerifier;

// Who sent what in one room: judges each message's claimed sender with the session's
// SenderVerifier (rows placed by history too), and holds back what waits for a sender's keys —
// the notifications of new messages and the changes (edits, deletes, reactions), bounded — until
// the keys arrive. Without a verifier every sender is taken as claimed.
class SenderAssessment : public QObject
{
    Q_OBJECT
public:
    // Messages and changes held while their sender's keys are fetched, each.
    static constexpr int MaxAwaitingKeys = 200;

    SenderAssessment(RoomTimeline *timeline, const QByteArray &channel, QObject *parent = nullptr);

    // Signs what the room sends and judges who sent what it receives (null: neither).
    void setVerifier(SenderVerifier *verifier);
    // Our key (null without a verifier, or when we send unsigned).
    Ed25519Key signingKey() const;

    // Judges `message`'s sender, once (a forged sender names nobody).
    void assess(ChatMessage &message) const;
    // Whether a new message from someone else may raise what it would (count, notification):
    // not when its sender is forged; not yet while its keys are fetched (then it is held, and
    // comes back through settled()).
    bool mayNotify(ChatMessage &message);
    // An edit, delete or reaction: changeAccepted() when its sender is who it claims (signed by
    // them, or unsigned from someone who never signed); held while the keys are fetched.
    void receiveChange(const ChatEnvelope &change);

Q_SIGNALS:
    // Held messages whose sender turned out to be theirs: they may raise what they would have.
    void settled(const QList<Redwire::ChatMessage> &messages);
    void changeAccepted(const Redwire::ChatEnvelope &change);

private:
    void reassess(const QString &nickname);
    void assessPlacedRows();

    RoomTimeline *m_timeline;
    const QByteArray m_channel;
    SenderVerifier *m_verifier = nullptr;
    QList<ChatMessage> m_awaitingKeys;
    QList<ChatEnvelope> m_changesAwaitingKeys;
    bool m_assessQueued = false;
};

} // namespace Redwire
