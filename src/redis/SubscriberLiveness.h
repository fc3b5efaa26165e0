#pragma once

#include "Clock.h"

#include <QObject>
#include <QTimer>

namespace Redwire {

class CommandConnection;
class SubscriberConnection;

// Tells a dead subscriber connection from a server that is only not answering.
//
// Every interval a "round" asks the server something on the command connection (the witness)
// that makes it send a frame to our subscriber: a PUBLISH to the subscriber's heartbeat channel,
// or, for a user the server refuses that channel, a PING on the subscriber itself. A subscriber
// that stays silent is only declared dead when the server has answered the witness (it is alive
// and has handed us the frame) and the frame still has not come: then the old connection is
// broken and is replaced. While the witness gets no answer either, the server is frozen
// (SIGSTOP, DEBUG SLEEP, CLIENT PAUSE, a blocked script): the old connection is kept, with
// everything the server still holds for it, and `responding` turns false until a frame arrives.
// A connection that is really gone is reported by the kernel (TCP keepalive) or by the server's
// answer that our subscriber does not exist (PUBLISH reaching no one).
class SubscriberLiveness : public QObject
{
    Q_OBJECT
public:
    SubscriberLiveness(
        CommandConnection *commands, SubscriberConnection *subscriber, QObject *parent = nullptr);

    // 0 stops the checks.
    void setIntervalMs(int intervalMs) { m_intervalMs = intervalMs; }
    // For tests, before start(): the clock that says how long the silence is (the steady clock by
    // default). When it advances, the checks run at once.
    void setClock(Clock *clock);
    void start();
    void stop();

    bool isServerResponding() const { return m_responding; }
    // How long the subscriber has heard nothing, in ms.
    qint64 silenceMs() const { return m_lastFrameAt >= 0 ? m_clock->nowMs() - m_lastFrameAt : 0; }

    // Silence longer than this many intervals is looked at (detected within 2 intervals).
    static constexpr double SilentAfterIntervals = 1.6;

Q_SIGNALS:
    // The server answers but the subscriber does not hear it: the connection is being replaced.
    void subscriberDead(int silenceMs);
    void serverRespondingChanged(bool responding);
    // Once per client: the heartbeat channel is refused; the checks use PING from now on.
    void usingPing();

private:
    struct Round
    {
        bool open = false;
        bool answered = false;
        quint64 id = 0;
        quint64 framesAtSend = 0;
        quint64 subscriberEpoch = 0;
        qint64 answeredAt = -1; // m_clock time
    };

    void tick();
    void startRound();
    void witnessAnswered(quint64 round, qint64 receivers);
    void witnessFailed(quint64 round);
    void heard();
    void replaceSubscriber(const char *why);
    void setResponding(bool responding);

    CommandConnection *m_commands;
    SubscriberConnection *m_subscriber;
    QTimer m_timer;
    int m_intervalMs = 5000;
    Clock *m_clock = Clock::steady();
    QMetaObject::Connection m_clockAdvanced;
    qint64 m_lastFrameAt = -1; // m_clock time, -1 before the first
    quint64 m_framesSeen = 0;
    quint64 m_subscriberEpoch = 0;
    Round m_round;
    quint64 m_roundsStarted = 0;
    qint64 m_roundStartedAt = -1; // m_clock time
    bool m_responding = true;
    bool m_announcedPing = false;
};

} // namespace Redwire
