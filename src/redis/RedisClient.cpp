#include "RedisClient.h"

#include "RedisSubscription.h"

#include <QCoreApplication>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

namespace {
// The heartbeat is published every interval; the subscriber is checked this many times as often.
constexpr int ChecksPerInterval = 8;
// Silence longer than this many intervals means the subscriber is dead (detected within 2).
constexpr double DeadAfterIntervals = 1.6;
} // namespace

RedisClient::RedisClient(const ConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_commands(new CommandConnection(options, this))
    , m_subscriber(new SubscriberConnection(options, this))
{
    using TopicKind = SubscriberConnection::TopicKind;
    connect(m_subscriber, &SubscriberConnection::subscribed, this,
        [this](TopicKind kind, const QByteArray &name) {
            if (RedisSubscription *s = subscription(kind, name))
                s->setState(RedisSubscription::State::Active);
        });
    connect(m_subscriber, &SubscriberConnection::subscriptionFailed, this,
        [this](TopicKind kind, const QByteArray &name, const RedisError &error) {
            RedisSubscription *s = subscription(kind, name);
            if (!s)
                return;
            (kind == TopicKind::Pattern ? m_patterns : m_channels).remove(name);
            updateRouting();
            s->fail(error);
            s->deleteLater();
        });
    connect(m_subscriber, &RedisConnection::stateChanged, this, [this](RedisConnection::State state) {
        if (state != RedisConnection::State::Connected) {
            for (RedisSubscription *s : std::as_const(m_channels))
                s->setState(RedisSubscription::State::Pending);
            for (RedisSubscription *s : std::as_const(m_patterns))
                s->setState(RedisSubscription::State::Pending);
        }
        updateConnected();
    });
    connect(m_commands, &RedisConnection::stateChanged, this, &RedisClient::updateConnected);

    m_heartbeatTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &RedisClient::heartbeatTick);
}

RedisClient::~RedisClient() = default;

// Messages go to subscription objects only while there are any: a client that listens to the
// SubscriberConnection directly (the monitor) pays nothing per message for the routing.
void RedisClient::updateRouting()
{
    const bool wanted = !m_channels.isEmpty() || !m_patterns.isEmpty();
    if (wanted == bool(m_routeMessages))
        return;
    if (!wanted) {
        disconnect(m_routeMessages);
        disconnect(m_routePatternMessages);
        m_routeMessages = {};
        m_routePatternMessages = {};
        return;
    }
    m_routeMessages = connect(m_subscriber, &SubscriberConnection::messageReceived, this,
        [this](const QByteArray &channel, const QByteArray &payload) {
            if (RedisSubscription *s = m_channels.value(channel))
                Q_EMIT s->messageReceived(channel, payload);
        });
    m_routePatternMessages = connect(m_subscriber, &SubscriberConnection::patternMessageReceived, this,
        [this](const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload) {
            if (RedisSubscription *s = m_patterns.value(pattern))
                Q_EMIT s->messageReceived(channel, payload);
        });
}

void RedisClient::setOptions(const ConnectionOptions &options)
{
    m_options = options;
    m_commands->setOptions(options);
    m_subscriber->setOptions(options);
}

bool RedisClient::isConnected() const
{
    return m_commands->isConnected() && m_subscriber->isConnected();
}

void RedisClient::connectToServer()
{
    m_commands->connectToServer();
    m_subscriber->connectToServer();
    if (m_options.heartbeatIntervalMs > 0)
        m_heartbeatTimer.start(std::max(10, m_options.heartbeatIntervalMs / ChecksPerInterval));
    resetSilence();
}

void RedisClient::disconnectFromServer()
{
    m_heartbeatTimer.stop();
    m_commands->disconnectFromServer();
    m_subscriber->disconnectFromServer();
}

RedisSubscription *RedisClient::subscribe(const QByteArray &channel)
{
    return subscribeTopic(SubscriberConnection::TopicKind::Channel, channel);
}

RedisSubscription *RedisClient::psubscribe(const QByteArray &pattern)
{
    return subscribeTopic(SubscriberConnection::TopicKind::Pattern, pattern);
}

RedisSubscription *RedisClient::subscription(
    SubscriberConnection::TopicKind kind, const QByteArray &name) const
{
    return (kind == SubscriberConnection::TopicKind::Pattern ? m_patterns : m_channels).value(name);
}

RedisSubscription *RedisClient::subscribeTopic(SubscriberConnection::TopicKind kind, const QByteArray &name)
{
    if (RedisSubscription *existing = subscription(kind, name))
        return existing;
    if (!m_subscriber->subscribeTopic(kind, name))
        return nullptr;
    auto *created = new RedisSubscription(this, kind, name);
    (kind == SubscriberConnection::TopicKind::Pattern ? m_patterns : m_channels).insert(name, created);
    updateRouting();
    if (m_subscriber->isActive(kind, name))
        created->setState(RedisSubscription::State::Active);
    return created;
}

void RedisClient::release(RedisSubscription *subscription)
{
    (subscription->isPattern() ? m_patterns : m_channels).remove(subscription->name());
    m_subscriber->unsubscribeTopic(subscription->kind(), subscription->name());
    updateRouting();
    subscription->setState(RedisSubscription::State::Unsubscribed);
    subscription->deleteLater();
}

void RedisClient::resetSilence()
{
    m_framesSeen = m_subscriber->framesReceived();
    m_sinceLastFrame.start();
}

void RedisClient::heartbeatTick()
{
    const int interval = m_options.heartbeatIntervalMs;
    if (interval <= 0)
        return;
    if (m_commands->isConnected()
        && (!m_sinceLastPublish.isValid() || m_sinceLastPublish.elapsed() >= interval)) {
        m_commands->send(
            { "PUBLISH", m_subscriber->heartbeatChannel(), QByteArray::number(++m_heartbeatSequence) });
        m_sinceLastPublish.start();
    }
    // Only a subscriber whose heartbeat subscription is confirmed, while beats can be published,
    // is expected to hear something; otherwise the silence clock starts again.
    if (!m_subscriber->isConnected() || !m_subscriber->isHeartbeatActive() || !m_commands->isConnected()) {
        resetSilence();
        return;
    }
    if (m_subscriber->framesReceived() != m_framesSeen) {
        resetSilence();
        return;
    }
    const qint64 silence = m_sinceLastFrame.elapsed();
    if (silence > qint64(DeadAfterIntervals * interval)) {
        qCWarning(lcRedis) << "subscriber connection silent for" << silence << "ms; replacing it";
        Q_EMIT heartbeatMissed(int(silence));
        m_subscriber->failConnection(RedisError(RedisError::Code::HeartbeatTimeout,
            QCoreApplication::translate("Redwire::RedisClient", "No heartbeat from %1 for %2 ms.")
                .arg(m_options.endpointDisplayName())
                .arg(silence)));
        resetSilence();
    }
}

void RedisClient::updateConnected()
{
    const bool now = isConnected();
    if (now == m_connected)
        return;
    m_connected = now;
    Q_EMIT connectedChanged(now);
}

} // namespace Redwire
