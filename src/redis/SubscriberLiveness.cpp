#include "SubscriberLiveness.h"

#include "CommandConnection.h"
#include "RedisError.h"
#include "SubscriberConnection.h"

#include <QCoreApplication>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

namespace {
// The subscriber is looked at this many times per interval.
constexpr int ChecksPerInterval = 8;
} // namespace

SubscriberLiveness::SubscriberLiveness(
    CommandConnection *commands, SubscriberConnection *subscriber, QObject *parent)
    : QObject(parent)
    , m_commands(commands)
    , m_subscriber(subscriber)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &SubscriberLiveness::tick);
    connect(m_subscriber, &RedisConnection::connected, this, [this] {
        ++m_subscriberEpoch;
        m_round = {};
        heard();
    });
}

void SubscriberLiveness::setClock(Clock *clock)
{
    disconnect(m_clockAdvanced);
    m_clock = clock ? clock : Clock::steady();
    m_clockAdvanced = connect(m_clock, &Clock::advanced, this, [this] {
        if (m_timer.isActive())
            tick();
    });
}

void SubscriberLiveness::start()
{
    if (m_intervalMs <= 0)
        return;
    m_timer.start(std::max(10, m_intervalMs / ChecksPerInterval));
    m_round = {};
    heard();
}

void SubscriberLiveness::stop()
{
    m_timer.stop();
    m_round = {};
    setResponding(true);
}

void SubscriberLiveness::heard()
{
    m_framesSeen = m_subscriber->framesReceived();
    m_lastFrameAt = m_clock->nowMs();
    m_round.open = false; // settled; the next round starts on schedule
    setResponding(true);
}

void SubscriberLiveness::tick()
{
    if (m_intervalMs <= 0)
        return;
    if (!m_subscriber->isConnected()) {
        // Reconnecting is reported by the connection's own state; nothing to judge here.
        m_round = {};
        heard();
        return;
    }
    if (m_subscriber->framesReceived() != m_framesSeen)
        heard();
    if (m_subscriber->isHeartbeatRefused() && !m_announcedPing) {
        m_announcedPing = true;
        Q_EMIT usingPing();
    }
    if (!m_subscriber->isHeartbeatActive() && !m_subscriber->isHeartbeatRefused()) {
        // The heartbeat's subscription is not confirmed yet: no frame is expected.
        heard();
        return;
    }
    const bool witnessPending = m_round.open && !m_round.answered;
    if (!witnessPending && (m_roundStartedAt < 0 || m_clock->nowMs() - m_roundStartedAt >= m_intervalMs))
        startRound();

    const qint64 silence = silenceMs();
    if (silence <= qint64(SilentAfterIntervals * m_intervalMs))
        return;
    const bool witnessAnswered = m_round.open && m_round.answered
        && m_round.subscriberEpoch == m_subscriberEpoch
        && m_subscriber->framesReceived() == m_round.framesAtSend;
    if (!witnessAnswered) {
        setResponding(false);
        return;
    }
    // The server has answered, so it has sent our frame: give it half an interval to arrive.
    if (m_clock->nowMs() - m_round.answeredAt >= m_intervalMs / 2)
        replaceSubscriber("silent while the server answers");
}

void SubscriberLiveness::startRound()
{
    const bool byHeartbeat = m_subscriber->isHeartbeatActive() && m_commands->isConnected();
    // The PING fallback only when there is silence to explain: on hiredis 0.14 every PING on a
    // subscribed connection leaves a small callback record behind until the connection closes.
    const bool silent = silenceMs() >= m_intervalMs;
    if (!byHeartbeat && !silent)
        return;
    if (!byHeartbeat && !m_subscriber->sendLivenessPing()) {
        // No topic confirmed: nothing can be lost on this connection, and nothing to ask.
        heard();
        return;
    }
    m_roundStartedAt = m_clock->nowMs();
    m_round = {};
    m_round.open = true;
    m_round.id = ++m_roundsStarted;
    m_round.framesAtSend = m_subscriber->framesReceived();
    m_round.subscriberEpoch = m_subscriberEpoch;
    if (!m_commands->isConnected())
        return; // only the subscriber's own PING: its pong, or silence
    const quint64 round = m_round.id;
    const bool heartbeat = byHeartbeat;
    QList<QByteArray> witness { "PING" };
    if (heartbeat)
        witness = { "PUBLISH", m_subscriber->heartbeatChannel(), QByteArray::number(round) };
    m_commands->send(witness, [this, round, heartbeat](const RedisReply &reply, const RedisError &error) {
        if (error || reply.isError()) {
            witnessFailed(round);
            return;
        }
        witnessAnswered(round, heartbeat ? reply.toInteger() : -1);
    });
}

void SubscriberLiveness::witnessAnswered(quint64 round, qint64 receivers)
{
    if (round != m_round.id || !m_round.open)
        return;
    m_round.answered = true;
    m_round.answeredAt = m_clock->nowMs();
    setResponding(true);
    // The server delivered our heartbeat to no one: it no longer has this subscriber (a
    // connection it dropped without our kernel noticing).
    if (receivers == 0 && m_round.subscriberEpoch == m_subscriberEpoch && m_subscriber->isConnected()
        && m_subscriber->framesReceived() == m_round.framesAtSend)
        replaceSubscriber("unknown to the server");
    else if (m_subscriber->framesReceived() != m_framesSeen)
        heard();
}

void SubscriberLiveness::witnessFailed(quint64 round)
{
    if (round == m_round.id)
        m_round.open = false; // a timed-out or dropped command connection; try again later
}

void SubscriberLiveness::replaceSubscriber(const char *why)
{
    const qint64 silence = silenceMs();
    qCWarning(lcRedis) << "subscriber connection" << why << "after" << silence
                       << "ms of silence; replacing it";
    Q_EMIT subscriberDead(int(silence));
    m_subscriber->failConnection(RedisError(RedisError::Code::HeartbeatTimeout,
        QCoreApplication::translate("Redwire::SubscriberLiveness",
            "%1 answers, but the subscriber connection heard nothing for %2 ms.")
            .arg(m_subscriber->options().endpointDisplayName())
            .arg(silence)));
    m_round = {};
    heard();
}

void SubscriberLiveness::setResponding(bool responding)
{
    if (m_responding == responding)
        return;
    m_responding = responding;
    if (responding)
        qCInfo(lcRedis) << m_subscriber->options().endpointDisplayName() << "is responding again";
    else
        qCWarning(lcRedis) << m_subscriber->options().endpointDisplayName() << "is not responding; after"
                           << silenceMs() << "ms of silence the connections are kept open";
    Q_EMIT serverRespondingChanged(responding);
}

} // namespace Redwire
