#include "SubscriberConnection.h"

#include "private/PubSubEvent.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QMetaMethod>
#include <QRandomGenerator>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

SubscriberConnection::SubscriberConnection(const ConnectionOptions &options, QObject *parent)
    : RedisConnection(ConnectionRole::Subscriber, options, parent)
{
    const quint64 id = QRandomGenerator::global()->generate64();
    m_heartbeatChannel = "__redwire:heartbeat:" + QByteArray::number(id, 16);
    m_pingToken = "__redwire:liveness:" + QByteArray::number(id, 16);
}

bool SubscriberConnection::subscribe(const QByteArray &channel)
{
    return subscribeTopic(TopicKind::Channel, channel);
}

bool SubscriberConnection::psubscribe(const QByteArray &pattern)
{
    return subscribeTopic(TopicKind::Pattern, pattern);
}

bool SubscriberConnection::ssubscribe(const QByteArray &shardChannel)
{
    return subscribeTopic(TopicKind::ShardChannel, shardChannel);
}

bool SubscriberConnection::subscribeTopic(TopicKind kind, const QByteArray &name)
{
    if (name.isEmpty() || (kind == TopicKind::Channel && name == m_heartbeatChannel)) {
        Q_EMIT subscriptionFailed(
            kind, name, RedisError(RedisError::Code::InvalidArgument, tr("Not a usable channel name.")));
        return false;
    }
    QHash<QByteArray, bool> &topics = topicsOf(kind);
    if (topics.contains(name))
        return true;
    topics.insert(name, false);
    const QSet<QByteArray> &leaving = leavingOf(kind);
    if (isConnected() && !m_holdingTopics && !leaving.contains(name))
        sendSubscribe(kind, name);
    return true;
}

void SubscriberConnection::unsubscribe(const QByteArray &channel)
{
    unsubscribeTopic(TopicKind::Channel, channel);
}

void SubscriberConnection::punsubscribe(const QByteArray &pattern)
{
    unsubscribeTopic(TopicKind::Pattern, pattern);
}

void SubscriberConnection::sunsubscribe(const QByteArray &shardChannel)
{
    unsubscribeTopic(TopicKind::ShardChannel, shardChannel);
}

void SubscriberConnection::unsubscribeTopic(TopicKind kind, const QByteArray &name)
{
    QHash<QByteArray, bool> &topics = topicsOf(kind);
    if (!topics.contains(name))
        return;
    const bool active = topics.value(name);
    topics.remove(name);
    QSet<QByteArray> &leaving = leavingOf(kind);
    // A shard channel that is not subscribed (not confirmed yet, or never sent) has nothing to
    // take back: a SUNSUBSCRIBE for it would be answered with a frame for a channel the guard
    // no longer expects.
    if (!isConnected() || leaving.contains(name) || (kind == TopicKind::ShardChannel && !active)) {
        Q_EMIT unsubscribed(kind, name);
        return;
    }
    const QByteArray verb = kind == TopicKind::Pattern ? "PUNSUBSCRIBE"
        : kind == TopicKind::ShardChannel              ? "SUNSUBSCRIBE"
                                                       : "UNSUBSCRIBE";
    if (sendSubscription({ verb, name }))
        leaving.insert(name);
}

bool SubscriberConnection::isActive(TopicKind kind, const QByteArray &name) const
{
    return topicsOf(kind).value(name, false);
}

void SubscriberConnection::sendSubscribe(TopicKind kind, const QByteArray &name)
{
    const QByteArray verb = kind == TopicKind::Pattern ? "PSUBSCRIBE"
        : kind == TopicKind::ShardChannel              ? "SSUBSCRIBE"
                                                       : "SUBSCRIBE";
    if (sendSubscription({ verb, name })) {
        m_inFlight.push_back({ kind, name });
        return;
    }
    if (kind == TopicKind::ShardChannel && isConnected()) {
        // Not subscribed to any classic channel: hiredis would abort on the first smessage.
        m_shardChannels.remove(name);
        Q_EMIT subscriptionFailed(kind, name,
            RedisError(RedisError::Code::Unsupported,
                tr("Cannot subscribe to the shard channel %1: sharded Pub/Sub needs a classic "
                   "channel subscribed on the same connection, and the server refuses Redwire's "
                   "heartbeat channel to this user.")
                    .arg(QString::fromUtf8(name))));
    }
}

void SubscriberConnection::prepareConnected()
{
    m_inFlight.clear();
    m_leavingChannels.clear();
    m_leavingPatterns.clear();
    m_leavingShardChannels.clear();
    m_heartbeatActive = false;
    for (auto it = m_channels.begin(); it != m_channels.end(); ++it)
        it.value() = false;
    for (auto it = m_patterns.begin(); it != m_patterns.end(); ++it)
        it.value() = false;
    for (auto it = m_shardChannels.begin(); it != m_shardChannels.end(); ++it)
        it.value() = false;
    // The heartbeat channel goes first, so that the count never returns to zero afterwards.
    if (!m_heartbeatRefused)
        sendSubscribe(TopicKind::Channel, m_heartbeatChannel);
    m_holdingTopics = !m_heartbeatRefused && !m_heartbeatAllowed;
    if (!m_holdingTopics)
        sendWantedTopics();
    m_resubscribesPending = m_everConnected ? wantedTopicCount() : -1;
    // A connection closed by the heartbeat's refusal carried no topic: it does not count.
    m_everConnected = m_everConnected || !m_holdingTopics;
    if (m_resubscribesPending == 0) {
        m_resubscribesPending = -1;
        QMetaObject::invokeMethod(
            this, [this] { Q_EMIT resubscribed(0); }, Qt::QueuedConnection);
    }
}

void SubscriberConnection::sendWantedTopics()
{
    m_holdingTopics = false;
    for (auto it = m_channels.cbegin(); it != m_channels.cend(); ++it)
        if (!it.value())
            sendSubscribe(TopicKind::Channel, it.key());
    for (auto it = m_patterns.cbegin(); it != m_patterns.cend(); ++it)
        if (!it.value())
            sendSubscribe(TopicKind::Pattern, it.key());
    // Last: they need a classic subscription under them (the heartbeat's, or one of the above).
    const QList<QByteArray> shardChannels = m_shardChannels.keys();
    for (const QByteArray &name : shardChannels)
        if (!m_shardChannels.value(name, true))
            sendSubscribe(TopicKind::ShardChannel, name);
}

bool SubscriberConnection::sendLivenessPing()
{
    if (!isConnected() || !m_leavingChannels.isEmpty() || !m_leavingPatterns.isEmpty())
        return false;
    // Shard subscriptions do not count: a PING answers as a Pub/Sub frame only while a classic
    // one is held.
    const auto anyActive = [](const QHash<QByteArray, bool> &topics) {
        return std::any_of(topics.cbegin(), topics.cend(), [](bool active) { return active; });
    };
    if (!m_heartbeatActive && !anyActive(m_channels) && !anyActive(m_patterns))
        return false;
    return sendPing(m_pingToken);
}

RedisError SubscriberConnection::connectionLost(const RedisError &error)
{
    for (auto it = m_channels.begin(); it != m_channels.end(); ++it)
        it.value() = false;
    for (auto it = m_patterns.begin(); it != m_patterns.end(); ++it)
        it.value() = false;
    for (auto it = m_shardChannels.begin(); it != m_shardChannels.end(); ++it)
        it.value() = false;
    m_heartbeatActive = false;
    m_holdingTopics = false;
    m_resubscribesPending = -1;
    std::deque<Topic> inFlight;
    inFlight.swap(m_inFlight);
    m_leavingChannels.clear();
    m_leavingPatterns.clear();
    m_leavingShardChannels.clear();
    // hiredis closes the connection on an error reply to SUBSCRIBE: it was the answer to the
    // oldest unconfirmed one. Drop that topic, report it, and reconnect for the rest. Unsupported:
    // a server without the command (SSUBSCRIBE before Redis 7).
    const bool refusal = error.code() == RedisError::Code::PermissionDenied
        || (error.code() == RedisError::Code::Unsupported && !inFlight.empty()
            && inFlight.front().kind == TopicKind::ShardChannel);
    if (refusal && !inFlight.empty()) {
        const bool heartbeat
            = inFlight.front().kind == TopicKind::Channel && inFlight.front().name == m_heartbeatChannel;
        m_inFlight = std::move(inFlight);
        refused(error.message().toUtf8());
        m_inFlight.clear();
        if (heartbeat)
            return RedisError(RedisError::Code::ConnectionLost,
                tr("This user may not subscribe to Redwire's heartbeat channel (%1); connecting "
                   "again without it. Connection checks use PING instead.")
                    .arg(error.message()));
        return RedisError(RedisError::Code::ConnectionLost,
            tr("A subscription was refused (%1); reconnecting for the others.").arg(error.message()));
    }
    return error;
}

void SubscriberConnection::refused(const QByteArray &errorText)
{
    if (m_inFlight.empty()) {
        qCWarning(lcRedis) << "error reply on the subscriber connection:" << errorText;
        return;
    }
    const Topic topic = m_inFlight.front();
    m_inFlight.pop_front();
    const QString text = QString::fromUtf8(errorText);
    const RedisError error(text.startsWith(QLatin1String("NOPERM")) ? RedisError::Code::PermissionDenied
                                                                    : RedisError::Code::ServerError,
        tr("Cannot subscribe to %1: %2").arg(QString::fromUtf8(topic.name), text));
    if (topic.kind == TopicKind::Channel && topic.name == m_heartbeatChannel) {
        qCWarning(lcRedis) << "the heartbeat channel is refused; liveness checks use PING:" << text;
        m_heartbeatRefused = true;
        return;
    }
    topicsOf(topic.kind).remove(topic.name);
    Q_EMIT subscriptionFailed(topic.kind, topic.name, error);
    // A refusal settles its topic too: the last one to settle completes the resubscribe.
    if (m_resubscribesPending > 0 && --m_resubscribesPending == 0) {
        m_resubscribesPending = -1;
        Q_EMIT resubscribed(wantedTopicCount());
    }
}

void SubscriberConnection::confirmed(TopicKind kind, const QByteArray &name)
{
    if (!m_inFlight.empty() && m_inFlight.front().kind == kind && m_inFlight.front().name == name)
        m_inFlight.pop_front();
    if (kind == TopicKind::Channel && name == m_heartbeatChannel) {
        m_heartbeatActive = true;
        m_heartbeatAllowed = true;
        m_everConnected = true;
        if (m_holdingTopics)
            sendWantedTopics();
        return;
    }
    QHash<QByteArray, bool> &topics = topicsOf(kind);
    auto it = topics.find(name);
    if (it == topics.end() || it.value())
        return;
    it.value() = true;
    Q_EMIT subscribed(kind, name);
    if (m_resubscribesPending > 0 && --m_resubscribesPending == 0) {
        m_resubscribesPending = -1;
        Q_EMIT resubscribed(wantedTopicCount());
    }
}

void SubscriberConnection::unsubscribeConfirmed(TopicKind kind, const QByteArray &name)
{
    QSet<QByteArray> &leaving = leavingOf(kind);
    leaving.remove(name);
    if (topicsOf(kind).contains(name)) {
        // Wanted again while the unsubscribe was on its way: subscribe now that it is done.
        sendSubscribe(kind, name);
        return;
    }
    Q_EMIT unsubscribed(kind, name);
}

void SubscriberConnection::deliverMessage(
    const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload)
{
    if (pattern.isEmpty()) {
        if (m_messageHandler)
            m_messageHandler->handleMessage(channel, payload);
        if (m_messageReceivers.load(std::memory_order_relaxed) > 0)
            Q_EMIT messageReceived(channel, payload);
    } else {
        if (m_messageHandler)
            m_messageHandler->handlePatternMessage(pattern, channel, payload);
        if (m_patternMessageReceivers.load(std::memory_order_relaxed) > 0)
            Q_EMIT patternMessageReceived(pattern, channel, payload);
    }
}

void SubscriberConnection::deliverShardMessage(const QByteArray &shardChannel, const QByteArray &payload)
{
    if (m_messageHandler)
        m_messageHandler->handleShardMessage(shardChannel, payload);
    Q_EMIT shardMessageReceived(shardChannel, payload);
}

void SubscriberConnection::shardUnsubscribed(const QByteArray &name)
{
    if (m_leavingShardChannels.contains(name)) {
        unsubscribeConfirmed(TopicKind::ShardChannel, name);
        return;
    }
    // Unasked: the server dropped it (its slot moved to another node, or the shard failed
    // over). Still wanted: subscribe again; a refusal is reported as any other.
    auto it = m_shardChannels.find(name);
    if (it == m_shardChannels.end())
        return;
    if (!m_resubscribeDropped) {
        qCInfo(lcRedis) << "the server ended the shard subscription" << name;
        m_shardChannels.erase(it);
        Q_EMIT shardChannelDropped(name);
        return;
    }
    qCInfo(lcRedis) << "the server ended the shard subscription" << name << "; subscribing again";
    it.value() = false;
    if (isConnected() && !m_holdingTopics)
        sendSubscribe(TopicKind::ShardChannel, name);
}

void SubscriberConnection::connectNotify(const QMetaMethod &signal)
{
    if (signal == QMetaMethod::fromSignal(&SubscriberConnection::messageReceived))
        m_messageReceivers.fetch_add(1, std::memory_order_relaxed);
    else if (signal == QMetaMethod::fromSignal(&SubscriberConnection::patternMessageReceived))
        m_patternMessageReceivers.fetch_add(1, std::memory_order_relaxed);
    RedisConnection::connectNotify(signal);
}

void SubscriberConnection::disconnectNotify(const QMetaMethod &signal)
{
    // An invalid method stands for every signal to one receiver (or to all): we cannot tell how
    // many of ours went, so the counts stay, too high at worst.
    if (signal == QMetaMethod::fromSignal(&SubscriberConnection::messageReceived)) {
        if (m_messageReceivers.load(std::memory_order_relaxed) > 0)
            m_messageReceivers.fetch_sub(1, std::memory_order_relaxed);
    } else if (signal == QMetaMethod::fromSignal(&SubscriberConnection::patternMessageReceived)) {
        if (m_patternMessageReceivers.load(std::memory_order_relaxed) > 0)
            m_patternMessageReceivers.fetch_sub(1, std::memory_order_relaxed);
    }
    RedisConnection::disconnectNotify(signal);
}

void SubscriberConnection::pubSubEvent(PubSubEvent &event)
{
    ++m_framesReceived;
    switch (event.kind) {
    case PubSubEvent::Kind::Message:
        m_messageReadTimeMs = event.readTimeMs;
        if (event.channel == m_heartbeatChannel) {
            Q_EMIT heartbeatReceived(event.payload);
            break;
        }
        deliverMessage(QByteArray(), event.channel, event.payload);
        break;
    case PubSubEvent::Kind::PatternMessage:
        m_messageReadTimeMs = event.readTimeMs;
        deliverMessage(event.pattern, event.channel, event.payload);
        break;
    case PubSubEvent::Kind::Subscribed:
        confirmed(TopicKind::Channel, event.channel);
        break;
    case PubSubEvent::Kind::PatternSubscribed:
        confirmed(TopicKind::Pattern, event.channel);
        break;
    case PubSubEvent::Kind::Unsubscribed:
        unsubscribeConfirmed(TopicKind::Channel, event.channel);
        break;
    case PubSubEvent::Kind::PatternUnsubscribed:
        unsubscribeConfirmed(TopicKind::Pattern, event.channel);
        break;
    case PubSubEvent::Kind::Error:
        refused(event.payload);
        break;
    case PubSubEvent::Kind::Pong:
        break; // counted above: the connection is alive
    case PubSubEvent::Kind::ShardMessage:
        m_messageReadTimeMs = event.readTimeMs;
        deliverShardMessage(event.channel, event.payload);
        break;
    case PubSubEvent::Kind::ShardSubscribed:
        confirmed(TopicKind::ShardChannel, event.channel);
        break;
    case PubSubEvent::Kind::ShardUnsubscribed:
        shardUnsubscribed(event.channel);
        break;
    }
}

} // namespace Redwire
