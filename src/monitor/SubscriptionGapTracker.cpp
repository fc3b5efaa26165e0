#include "SubscriptionGapTracker.h"

#include "SlowSubscriberWatch.h"

#include "redis/RedisClient.h"

#include <QDateTime>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcMonitor)

namespace Redwire {

namespace {
// A command connection lost this shortly before the subscriber broke went down with the server.
constexpr qint64 SameOutageMs = 2000;
const QByteArray MarkPrefix = QByteArrayLiteral("redwire-monitor-mark:");

bool isUnreachable(RedisError::Code code)
{
    return code == RedisError::Code::ConnectionRefused || code == RedisError::Code::ConnectTimeout
        || code == RedisError::Code::HostNotFound;
}
} // namespace

SubscriptionGapTracker::SubscriptionGapTracker(
    RedisClient *client, SlowSubscriberWatch *watch, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_watch(watch)
{
    m_clock.start();
    m_sampleTimer.setInterval(SampleIntervalMs);
    connect(&m_sampleTimer, &QTimer::timeout, this, &SubscriptionGapTracker::tick);

    using TopicKind = SubscriberConnection::TopicKind;
    SubscriberConnection *subscriber = client->subscriber();
    connect(
        subscriber, &RedisConnection::stateChanged, this, &SubscriptionGapTracker::subscriberStateChanged);
    connect(subscriber, &RedisConnection::errorOccurred, this,
        [this](const RedisError &error) { subscriberFailed(error); });
    connect(subscriber, &SubscriberConnection::subscribed, this, [this] {
        if (m_confirmedAtMs < 0)
            m_confirmedAtMs = QDateTime::currentMSecsSinceEpoch();
        m_subscribed = true;
        tryClose();
    });
    connect(subscriber, &SubscriberConnection::subscriptionFailed, this,
        [this](TopicKind, const QByteArray &name, const RedisError &) {
            if (m_gapOpen)
                m_evidence.refusedTopics.append(QString::fromUtf8(name));
            tryClose();
        });
    connect(subscriber, &SubscriberConnection::unsubscribed, this, &SubscriptionGapTracker::tryClose);
    connect(subscriber, &SubscriberConnection::heartbeatReceived, this, [this](const QByteArray &payload) {
        const qint64 mark = markTime(payload);
        if (mark > m_lastMarkMs)
            m_lastMarkMs = mark;
    });
    connect(
        client->commands(), &RedisConnection::errorOccurred, this, &SubscriptionGapTracker::commandsFailed);
}

QByteArray SubscriptionGapTracker::markPayload(qint64 msSinceEpoch)
{
    return MarkPrefix + QByteArray::number(msSinceEpoch);
}

qint64 SubscriptionGapTracker::markTime(const QByteArray &payload)
{
    if (!payload.startsWith(MarkPrefix))
        return -1;
    bool ok = false;
    const qint64 time = payload.mid(MarkPrefix.size()).toLongLong(&ok);
    return ok && time >= 0 ? time : -1;
}

void SubscriptionGapTracker::start()
{
    m_watching = true;
    subscriberStateChanged();
}

void SubscriptionGapTracker::stop()
{
    m_watching = false;
    m_subscribed = false;
    m_sampleTimer.stop();
}

void SubscriptionGapTracker::subscriberStateChanged()
{
    if (!m_client->subscriber()->isConnected()) {
        // The history stays: the error that follows is judged with it.
        m_sampleTimer.stop();
        return;
    }
    // A new connection: what proved the old one alive does not carry over.
    m_subscribed = false;
    m_confirmedAtMs = -1;
    m_lastMarkMs = -1;
    m_history.clear();
    m_history.record(m_clock.elapsed(), receivedBytes());
    m_ticks = 0;
    if (m_watching)
        m_sampleTimer.start();
    tryClose();
}

void SubscriptionGapTracker::tick()
{
    m_history.record(m_clock.elapsed(), receivedBytes());
    if (++m_ticks % (MarkIntervalMs / SampleIntervalMs) != 0)
        return;
    CommandConnection *commands = m_client->commands();
    SubscriberConnection *subscriber = m_client->subscriber();
    if (commands->isConnected() && subscriber->isHeartbeatActive())
        commands->send(
            { "PUBLISH", subscriber->heartbeatChannel(), markPayload(QDateTime::currentMSecsSinceEpoch()) });
}

void SubscriptionGapTracker::subscriberFailed(const RedisError &error)
{
    if (m_gapOpen) {
        if (isUnreachable(error.code()))
            m_evidence.unreachable = true;
        return;
    }
    if (m_watching && m_subscribed)
        openGap(error);
}

void SubscriptionGapTracker::commandsFailed()
{
    m_commandsLostAt = m_clock.elapsed();
    if (m_gapOpen)
        m_evidence.server = DisconnectEvidence::ServerState::Lost;
}

void SubscriptionGapTracker::openGap(const RedisError &error)
{
    m_gapOpen = true;
    m_subscribed = false;
    m_gap = SubscriptionGap();
    m_gap.sinceMs = qMax(m_lastMarkMs, m_confirmedAtMs);
    m_evidence = DisconnectEvidence();
    m_evidence.error = error;
    m_evidence.burst = m_history.burstAt(m_clock.elapsed(), receivedBytes());
    if (m_watch) {
        m_evidence.watchLevel = m_watch->level();
        m_evidence.watchBytes = m_watch->outputBufferBytes();
        m_evidence.watchAgeMs = m_watch->lastReadingAgeMs();
        m_evidence.limits = m_watch->limits();
    }
    qCInfo(lcMonitor) << "subscription broken:" << error.message() << "- last known subscribed at"
                      << m_gap.sinceMs << "- burst" << m_evidence.burst.bytes << "bytes in"
                      << m_evidence.burst.windowMs << "ms, expected" << m_evidence.burst.expectedBytes
                      << ", longest pause" << m_evidence.burst.longestPauseMs << "ms";
    askServer();
    Q_EMIT gapOpened(m_gap.sinceMs);
}

// Whether the server is still there tells a restart from a connection it closed on purpose; the
// answer also brings the pubsub limits when the watch does not have them.
void SubscriptionGapTracker::askServer()
{
    if (m_commandsLostAt >= 0 && m_clock.elapsed() - m_commandsLostAt <= SameOutageMs) {
        m_evidence.server = DisconnectEvidence::ServerState::Lost;
        return;
    }
    const quint64 gapId = m_gapId;
    // The handler records what it learnt and calls nothing else: it can run while the client is
    // being destroyed.
    m_client->commands()->send({ "CONFIG", "GET", "client-output-buffer-limit" },
        [this, gapId](const RedisReply &reply, const RedisError &error) {
            if (gapId != m_gapId || !m_gapOpen)
                return;
            if (error.isError()) {
                m_evidence.server = DisconnectEvidence::ServerState::Lost;
                return;
            }
            if (m_evidence.server == DisconnectEvidence::ServerState::Unknown)
                m_evidence.server = DisconnectEvidence::ServerState::Answered;
            SlowSubscriberWatch::Limits limits;
            if (!m_evidence.limits.known && reply.isArray() && reply.size() >= 2
                && SlowSubscriberWatch::parseLimits(reply.at(1).bytes(), &limits))
                m_evidence.limits = limits;
        });
}

void SubscriptionGapTracker::tryClose()
{
    if (!m_gapOpen)
        return;
    const SubscriberConnection *subscriber = m_client->subscriber();
    if (!subscriber->isConnected())
        return;
    for (const QByteArray &channel : subscriber->channels())
        if (!subscriber->isActive(SubscriberConnection::TopicKind::Channel, channel))
            return;
    for (const QByteArray &pattern : subscriber->patterns())
        if (!subscriber->isActive(SubscriberConnection::TopicKind::Pattern, pattern))
            return;
    record(true);
}

void SubscriptionGapTracker::finishOpenGap(const RedisError &failure)
{
    if (!m_gapOpen && failure.isError() && m_watching && m_subscribed)
        openGap(failure);
    if (m_gapOpen)
        record(false);
}

void SubscriptionGapTracker::record(bool resumed)
{
    m_gapOpen = false;
    ++m_gapId;
    m_gap.timeMs = qMax(QDateTime::currentMSecsSinceEpoch(), m_gap.sinceMs);
    m_gap.resumed = resumed;
    m_gap.cause = DisconnectDiagnosis::causeOf(m_evidence);
    m_gap.reason = DisconnectDiagnosis::reason(m_evidence);
    qCInfo(lcMonitor) << "gap from" << m_gap.sinceMs << "to" << m_gap.timeMs << ":" << m_gap.reason;
    Q_EMIT gapRecorded(m_gap);
}

} // namespace Redwire
