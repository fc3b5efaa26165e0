#pragma once

#include "ChatConfig.h"
#include "ChatEnvelope.h"
#include "ChatMessage.h"
#include "RoomAddress.h"

#include <QObject>

namespace Redwire {

class MessageChanges;
class Outbox;
class RoomTimeline;
class SenderAssessment;

// The edits, deletes and reactions of one room on their way to its rows: ours are made here
// (shown at once, then queued in the outbox like messages, so that history replays them), and
// every change MessageChanges keeps is applied to the row of the message it changes.
class MessageChangeApplier : public QObject
{
    Q_OBJECT
public:
    MessageChangeApplier(RoomTimeline *timeline, MessageChanges *changes, Outbox *outbox,
        const SenderAssessment *senders, const RoomAddress &address, const QString &nickname,
        const ChatConfig &config, QObject *parent = nullptr);

    // After leaving the room nothing can be changed any more.
    void close() { m_closed = true; }
    // Whether we may edit or delete `message` (ours by name, stored or on its way).
    bool canChange(const ChatMessage &message) const;
    bool editMessage(const QString &id, const QString &text);
    bool deleteMessage(const QString &id);
    bool toggleReaction(const QString &id, const QString &reaction);
    // Keeps a change (ours, or someone's that SenderAssessment accepted).
    void record(const ChatEnvelope &change);

Q_SIGNALS:
    // The outbox refused our change.
    void queueFailed();

private:
    bool send(ChatEnvelope change);
    void applyToRow(const QString &id);

    RoomTimeline *m_timeline;
    MessageChanges *m_changes;
    Outbox *m_outbox;
    const SenderAssessment *m_senders;
    const RoomAddress m_address;
    const QString m_nickname;
    const ChatConfig m_config;
    bool m_closed = false;
};

} // namespace Redwire
