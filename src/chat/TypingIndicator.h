#pragma once

#include "ChatConfig.h"

#include "redis/Clock.h"

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>

namespace Redwire {

// Typing state of one room, both ways. Outgoing: localTyping() says when a notice is due, at
// most one per typingIntervalMs. Incoming: a notice marks its sender as typing until
// typingTimeoutMs passes without another, or until their message arrives.
class TypingIndicator : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QStringList typingUsers READ typingUsers NOTIFY typingUsersChanged)
public:
    explicit TypingIndicator(const ChatConfig &config, QObject *parent = nullptr);

    // For tests, before use: the clock that says how much time passed (the steady clock by
    // default). When it advances, expired typing states end at once.
    void setClock(Clock *clock);

    // The user edited the draft. True when a typing notice should be sent now.
    bool localTyping();
    // Our message went out: the next keystroke may announce typing again at once.
    void localMessageSent();

    void noticeReceived(const QString &nickname);
    void messageReceivedFrom(const QString &nickname);
    void clear();

    // In the order they started typing.
    QStringList typingUsers() const { return m_order; }

Q_SIGNALS:
    void typingUsersChanged();

private:
    void expire();
    void scheduleExpiry();

    const int m_intervalMs;
    const int m_timeoutMs;
    Clock *m_clock = Clock::steady();
    QMetaObject::Connection m_clockAdvanced;
    qint64 m_lastNoticeAt = -1; // m_clock time of our last outgoing notice, -1 for none
    QHash<QString, qint64> m_until; // nickname -> m_clock time their typing state ends
    QStringList m_order;
    QTimer m_expiry;
};

} // namespace Redwire
