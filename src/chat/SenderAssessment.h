#pragma once

#include "ChatEnvelope.h"
#include "ChatMessage.h"
#include "Ed25519Key.h"

#include <QByteArray>
#include <QList>
#include <QObject>

namespace Redwire {

class RoomSenderChecks;
class RoomTimeline;
class SenderVerifier;

// Who sent what in one room: judges each message's claimed sender with the session's
// SenderVerifier, lazily (RoomSenderChecks: a signature is checked when a notification, the view
// or an unread count needs it), and holds back what waits for a verdict or a sender's keys — the
// notifications of new messages and the changes (edits, deletes, reactions, live or read from
// history), bounded — until it comes. Without a verifier every sender is taken as claimed.
class SenderAssessment : public QObject
{
    Q_OBJECT
public:
    // Changes held while their sender's keys are fetched.
    static constexpr int MaxAwaitingKeys = 200;

    SenderAssessment(RoomTimeline *timeline, const QByteArray &channel, QObject *parent = nullptr);

    // Signs what the room sends and judges who sent what it receives (null: neither).
    void setVerifier(SenderVerifier *verifier);
    // Our key (null without a verifier, or when we send unsigned).
    Ed25519Key signingKey() const;

    // Judges `message`'s sender as far as it costs nothing (a forged sender names nobody); a
    // signature to check leaves it Pending and unassessed, checked later.
    void assess(ChatMessage &message);
    // Whether a new message from someone else may raise what it would (count, notification) now:
    // not when its sender is forged or it is signed with our own key (ours, from another device
    // of ours); not yet while it is unchecked or its keys are fetched. Then
    // it waits for the verdict when it `notifies` (checked first) or is `counted`, and comes back
    // through settled().
    bool mayNotify(const ChatMessage &message, bool notifies, bool counted);
    // The view shows (or is about to show) the message `id`: its sender is checked soon.
    void shown(const QString &id);
    // An edit, delete or reaction: changeAccepted() when its sender is who it claims (signed by
    // them, or unsigned from someone who never signed); held while the keys are fetched.
    void receiveChange(const ChatEnvelope &change);

Q_SIGNALS:
    // Held messages whose sender turned out to be theirs: they may raise what they would have.
    void settled(const QList<Redwire::ChatMessage> &messages);
    void changeAccepted(const Redwire::ChatEnvelope &change);

private:
    void reassess(const QString &nickname);

    const QByteArray m_channel;
    SenderVerifier *m_verifier = nullptr;
    RoomSenderChecks *m_checks;
    QList<ChatEnvelope> m_changesAwaitingKeys;
};

} // namespace Redwire
