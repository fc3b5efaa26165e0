#pragma once

#include "ChatConfig.h"
#include "Outbox.h"
#include "RoomAddress.h"

#include <QObject>

namespace Redwire {

class MessageChangeApplier;
class RoomTimeline;
class SenderAssessment;

// The user's messages in one room on their way out: checked, shown pending at the bottom of the
// timeline and queued in the Outbox; marked sent or failed as the Outbox reports; retried or
// discarded. What the Outbox still holds from an earlier run is shown again (changes through
// MessageChangeApplier).
class MessageSender : public QObject
{
    Q_OBJECT
public:
    MessageSender(RoomTimeline *timeline, Outbox *outbox, const SenderAssessment *senders,
        MessageChangeApplier *editor, const RoomAddress &address, const QString &nickname,
        const ChatConfig &config, QObject *parent = nullptr);

    // After leaving the room nothing more is sent.
    void close() { m_closed = true; }
    // Why `text` cannot be sent (translated), or an empty string.
    QString sendProblem(const QString &text) const;
    bool send(const QString &text, const QString &replyTo);
    bool retry(const QString &id);
    bool discard(const QString &id);
    // Sends again what the server refused (NOPERM): it may allow it now.
    void retryRefused();

Q_SIGNALS:
    // A message (or a change, `change`) of ours could not be sent; `reason` as the Outbox says.
    void failed(const QString &reason, bool change);

private:
    void showUnsent(const Outbox::Item &item);
    void markFailed(const QString &id, const QString &reason);

    RoomTimeline *m_timeline;
    Outbox *m_outbox;
    const SenderAssessment *m_senders;
    MessageChangeApplier *m_editor;
    const RoomAddress m_address;
    const QString m_nickname;
    const ChatConfig m_config;
    bool m_closed = false;
};

} // namespace Redwire
