#include "ChannelMonitor.h"

#include "ChannelGlob.h"
#include "KeyspaceNotification.h"
#include "MessageSink.h"
#include "PubSubServerPoller.h"
#include "ShardGapTracker.h"
#include "SlowSubscriberWatch.h"
#include "SubscriptionGapTracker.h"

#include "redis/ClusterShardSubscribers.h"
#include "redis/RedisClient.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QRandomGenerator>

#include <algorithm>

Q_LOGGING_CATEGORY(lcMonitor, "redwire.monitor")

namespace Redwire {

namespace {
// A view repaints at most this often; the buffer is announced no more often than that.
constexpr int BufferNotificationMs = 16;

ConnectionOptions withClientName(ConnectionOptions options)
{
    if (options.clientName.isEmpty())
        options.clientName = QStringLiteral("redwire-monitor-%1")
                                 .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
    return options;
}
} // namespace

ChannelMonitor::ChannelMonitor(const ConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_client(new RedisClient(withClientName(options), this))
    , m_statistics(QDateTime::currentMSecsSinceEpoch())
    , m_poller(new PubSubServerPoller(m_client->commands(), this))
    , m_slowWatch(new SlowSubscriberWatch(m_client->commands(), this))
    , m_gaps(new SubscriptionGapTracker(m_client, m_slowWatch, this))
{
    SubscriberConnection *subscriber = m_client->subscriber();
    m_heartbeatChannel = subscriber->heartbeatChannel();
    m_held.setCapacity(m_buffer.capacity());
    m_slowWatch->setClientName(m_client->options().clientName.toUtf8());
    m_poller->setChannelSource([this] { return m_statistics.channelNames(); });
    m_poller->setShardChannelSource([this] { return shardChannels(); });

    m_client->setMessageHandler(this);
    connect(subscriber, &SubscriberConnection::subscribed, this, &ChannelMonitor::subscriptionsChanged);
    connect(subscriber, &SubscriberConnection::unsubscribed, this, &ChannelMonitor::subscriptionsChanged);
    connect(subscriber, &RedisConnection::stateChanged, this, &ChannelMonitor::subscriptionsChanged);
    m_groupFlush.setSingleShot(true);
    m_groupFlush.setInterval(0);
    connect(&m_groupFlush, &QTimer::timeout, this, &ChannelMonitor::flushDeliveryGroup);
    connect(subscriber, &SubscriberConnection::resubscribed, this, [this](int topics) {
        qCDebug(lcMonitor) << "resubscribed to" << topics << "topics";
        Q_EMIT resubscribed(topics);
    });
    const auto refused = [this](TopicKind kind, const QByteArray &name, const RedisError &error) {
        subscriptionsChanged();
        qCWarning(lcMonitor) << "subscription to" << name << "refused:" << error.message();
        Q_EMIT subscriptionFailed(kind, name, error);
    };
    connect(subscriber, &SubscriberConnection::subscriptionFailed, this, refused);
    // On a cluster, shard channels live on the nodes serving their slots.
    if (ClusterShardSubscribers *shards = m_client->clusterShardSubscribers()) {
        connect(shards, &ClusterShardSubscribers::subscribed, this, &ChannelMonitor::subscriptionsChanged);
        connect(shards, &ClusterShardSubscribers::unsubscribed, this, &ChannelMonitor::subscriptionsChanged);
        connect(shards, &ClusterShardSubscribers::channelsInterrupted, this,
            &ChannelMonitor::subscriptionsChanged);
        connect(shards, &ClusterShardSubscribers::subscriptionFailed, this, refused);
        m_shardGaps = new ShardGapTracker(shards, this);
        connect(m_shardGaps, &ShardGapTracker::gapOpened, this, &ChannelMonitor::gapOpened);
        connect(m_shardGaps, &ShardGapTracker::gapRecorded, this, &ChannelMonitor::recordGap);
    }
    connect(m_client, &RedisClient::connectedChanged, this, &ChannelMonitor::connectedChanged);
    connect(m_poller, &PubSubServerPoller::updated, this, &ChannelMonitor::serverPolled);
    m_gaps->setReceivedBytesSource([this] { return m_receivedBytes; });
    connect(m_gaps, &SubscriptionGapTracker::gapOpened, this, &ChannelMonitor::gapOpened);
    connect(m_gaps, &SubscriptionGapTracker::gapRecorded, this, &ChannelMonitor::recordGap);

    m_notifyTimer.setSingleShot(true);
    m_notifyTimer.setInterval(BufferNotificationMs);
    connect(&m_notifyTimer, &QTimer::timeout, this, &ChannelMonitor::notifyBufferChanged);
}

ChannelMonitor::~ChannelMonitor()
{
    m_client->setMessageHandler(nullptr); // the client, our child, outlives this body
}

bool ChannelMonitor::isConnected() const
{
    return m_client->isConnected();
}

void ChannelMonitor::start()
{
    m_gaps->start();
    if (m_shardGaps)
        m_shardGaps->start();
    m_client->connectToServer();
    if (m_serverPollingEnabled) {
        m_poller->start();
        m_slowWatch->start();
    }
}

void ChannelMonitor::stop()
{
    flushDeliveryGroup();
    finishOpenGap();
    m_gaps->stop();
    if (m_shardGaps)
        m_shardGaps->stop();
    m_poller->stop();
    m_slowWatch->stop();
    m_client->disconnectFromServer();
}

// Keyspace notifications are published only by the node that holds the key: on a cluster their
// patterns go on every primary (ClusterShardSubscribers), the others on the one subscriber.
ClusterShardSubscribers *ChannelMonitor::everyPrimaryFor(const QByteArray &pattern) const
{
    return KeyspaceNotification::mayBe(pattern) ? m_client->clusterShardSubscribers() : nullptr;
}

bool ChannelMonitor::subscribePattern(const QByteArray &pattern)
{
    if (ClusterShardSubscribers *primaries = everyPrimaryFor(pattern))
        return primaries->psubscribeEveryPrimary(pattern);
    return m_client->subscriber()->psubscribe(pattern);
}

bool ChannelMonitor::subscribeChannel(const QByteArray &channel)
{
    return m_client->subscriber()->subscribe(channel);
}

bool ChannelMonitor::subscribeShardChannel(const QByteArray &channel)
{
    return m_client->ssubscribe(channel);
}

void ChannelMonitor::unsubscribeShardChannel(const QByteArray &channel)
{
    m_client->sunsubscribe(channel);
}

QList<QByteArray> ChannelMonitor::shardChannels() const
{
    return m_client->shardChannels();
}

void ChannelMonitor::unsubscribePattern(const QByteArray &pattern)
{
    if (ClusterShardSubscribers *primaries = everyPrimaryFor(pattern))
        primaries->punsubscribeEveryPrimary(pattern);
    else
        m_client->subscriber()->punsubscribe(pattern);
}

void ChannelMonitor::unsubscribeChannel(const QByteArray &channel)
{
    m_client->subscriber()->unsubscribe(channel);
}

QList<QByteArray> ChannelMonitor::patterns() const
{
    QList<QByteArray> all = m_client->subscriber()->patterns();
    if (const ClusterShardSubscribers *primaries = m_client->clusterShardSubscribers())
        all += primaries->everyPrimaryPatterns();
    return all;
}

QList<QByteArray> ChannelMonitor::channels() const
{
    return m_client->subscriber()->channels();
}

QList<QByteArray> ChannelMonitor::subscriptionsMatching(const QByteArray &channel) const
{
    // A channel that a pattern on every primary covers comes from the primaries only (below).
    if (const ClusterShardSubscribers *primaries = m_client->clusterShardSubscribers()) {
        QList<QByteArray> everywhere = primaries->everyPrimaryPatterns();
        std::sort(everywhere.begin(), everywhere.end());
        QList<QByteArray> matching;
        for (const QByteArray &pattern : std::as_const(everywhere))
            if (primaries->isPatternActive(pattern) && ChannelGlob::matches(pattern, channel))
                matching << pattern;
        if (!matching.isEmpty())
            return matching;
    }
    const SubscriberConnection *subscriber = m_client->subscriber();
    QList<QByteArray> matching;
    if (subscriber->isActive(TopicKind::Channel, channel))
        matching << channel;
    QList<QByteArray> patterns = subscriber->patterns();
    std::sort(patterns.begin(), patterns.end());
    for (const QByteArray &pattern : std::as_const(patterns))
        if (subscriber->isActive(TopicKind::Pattern, pattern) && ChannelGlob::matches(pattern, channel))
            matching << pattern;
    return matching;
}

// On a cluster the classic subscriber hears the key events of its own node only (primary or
// replica: a replica publishes them again as it applies them). Where a pattern on every primary
// covers the channel, those copies are duplicates of what the primaries deliver: dropped.
bool ChannelMonitor::isNodeLocalCopy(const QByteArray &channel) const
{
    const ClusterShardSubscribers *primaries = m_client->clusterShardSubscribers();
    if (!primaries || primaries->isDelivering() || !KeyspaceNotification::mayBe(channel))
        return false;
    const QList<QByteArray> everywhere = primaries->everyPrimaryPatterns();
    return std::any_of(everywhere.cbegin(), everywhere.cend(),
        [&channel](const QByteArray &pattern) { return ChannelGlob::matches(pattern, channel); });
}

void ChannelMonitor::setInternalChannelsShown(bool shown)
{
    m_internalShown = shown;
    m_lastChannel.clear();
}

void ChannelMonitor::subscriptionsChanged()
{
    m_expectedDeliveries.clear();
    m_lastChannel.clear();
}

int ChannelMonitor::expectedDeliveries(const QByteArray &channel)
{
    auto it = m_expectedDeliveries.constFind(channel);
    if (it != m_expectedDeliveries.constEnd())
        return it.value();
    if (m_expectedDeliveries.size() > 10000) // a bound for a `*` monitor on a busy server
        m_expectedDeliveries.clear();
    const int expected = int(subscriptionsMatching(channel).size());
    m_expectedDeliveries.insert(channel, expected);
    return expected;
}

void ChannelMonitor::addSink(MessageSink *sink)
{
    if (sink && std::find(m_sinks.begin(), m_sinks.end(), sink) == m_sinks.end())
        m_sinks.push_back(sink);
}

void ChannelMonitor::removeSink(MessageSink *sink)
{
    m_sinks.erase(std::remove(m_sinks.begin(), m_sinks.end(), sink), m_sinks.end());
}

void ChannelMonitor::setBufferEnabled(bool enabled)
{
    if (enabled == m_bufferEnabled)
        return;
    m_bufferEnabled = enabled;
    if (!enabled)
        clear();
}

void ChannelMonitor::setBufferCapacity(qsizetype capacity)
{
    m_buffer.setCapacity(capacity);
    scheduleBufferNotification();
}

void ChannelMonitor::handleMessage(const QByteArray &channel, const QByteArray &payload)
{
    if (isNodeLocalCopy(channel))
        return;
    deliver(QByteArray(), channel, payload);
}

void ChannelMonitor::handlePatternMessage(
    const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload)
{
    // Our own liveness heartbeat matches patterns like "*"; it is not traffic.
    if (channel == m_heartbeatChannel || isNodeLocalCopy(channel))
        return;
    deliver(pattern, channel, payload);
}

// An SPUBLISH reaches its shard channel's subscribers only, once: never part of a classic
// PUBLISH's group of deliveries.
void ChannelMonitor::handleShardMessage(const QByteArray &channel, const QByteArray &payload)
{
    if (!m_internalShown && isInternalChannel(channel))
        return;
    flushDeliveryGroup();
    accept(QByteArray(), channel, payload, m_client->shardMessageReadTimeMs(), true);
}

// Redis hands one PUBLISH to a client once per matching subscription, in consecutive frames
// (first the channel's, then each pattern's). Counted as one message: a group is complete when as
// many deliveries as we have matching subscriptions have come; a different message, or the end of
// the batch of frames, ends an incomplete one (a subscription confirmed or dropped meanwhile).
void ChannelMonitor::deliver(const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload)
{
    if (channel.constData() != m_lastChannel.constData() || m_lastChannel.isNull()) {
        m_lastChannel = channel;
        m_lastHidden = !m_internalShown && isInternalChannel(channel);
        m_lastExpected = m_lastHidden ? 0 : expectedDeliveries(channel);
    }
    if (m_lastHidden)
        return;
    if (m_group.open) {
        if (m_group.channel == channel && m_group.received < m_group.expected && m_group.payload == payload) {
            if (++m_group.received == m_group.expected)
                flushDeliveryGroup();
            return;
        }
        flushDeliveryGroup();
    }
    const int expected = m_lastExpected;
    // From a node's connection on a cluster (keyspace patterns), else from the subscriber.
    const ClusterShardSubscribers *primaries = m_client->clusterShardSubscribers();
    const qint64 readTimeMs = primaries && primaries->isDelivering()
        ? primaries->messageReadTimeMs()
        : m_client->subscriber()->messageReadTimeMs();
    if (expected <= 1) {
        accept(pattern, channel, payload, readTimeMs);
        return;
    }
    m_group = { true, pattern, channel, payload, 1, expected, readTimeMs };
    m_groupFlush.start();
}

void ChannelMonitor::flushDeliveryGroup()
{
    m_groupFlush.stop();
    if (!m_group.open)
        return;
    m_group.open = false;
    accept(m_group.pattern, m_group.channel, m_group.payload, m_group.readTimeMs);
    m_group.payload.clear();
}

// Runs once per message: no allocation and no reference counting beyond what the buffer keeps,
// no clock read (the time is the socket read's), the filter's and the statistics' lookups only
// when they are in use.
void ChannelMonitor::accept(const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload,
    qint64 readTimeMs, bool sharded)
{
    ++m_received;
    m_receivedBytes += quint64(channel.size() + payload.size());
    const bool filtered = !m_filter.isEmpty();
    const bool passes = !filtered || m_filter.accepts(channel, payload);
    if (!passes && (m_filterAppliesToStatistics || !m_statisticsEnabled))
        return;
    const qint64 timestamp
        = m_timestampsEnabled || m_statisticsEnabled || m_bufferEnabled ? m_timeStamper.stamp(readTimeMs) : 0;
    if (m_statisticsEnabled)
        m_statistics.record(channel, payload.size(), timestamp);
    if (!passes)
        return;
    const MessageView message(timestamp, channel, pattern, payload, ++m_sequence, sharded);
    for (MessageSink *sink : m_sinks)
        sink->messageAccepted(message);
    if (!m_bufferEnabled)
        return;
    (m_paused ? m_held : m_buffer).append(message.toMessage());
    scheduleBufferNotification();
}

bool ChannelMonitor::isGapOpen() const
{
    return m_gaps->isGapOpen() || (m_shardGaps && m_shardGaps->isGapOpen());
}

void ChannelMonitor::finishOpenGap(const RedisError &failure)
{
    m_gaps->finishOpenGap(failure);
    if (m_shardGaps)
        m_shardGaps->finishOpenGaps();
}

// Gaps pass no filter: a break hides messages of every channel.
void ChannelMonitor::recordGap(const SubscriptionGap &gap)
{
    flushDeliveryGroup();
    ++m_gapCount;
    for (MessageSink *sink : m_sinks)
        sink->gapRecorded(gap);
    if (m_bufferEnabled) {
        (m_paused ? m_held : m_buffer).append(MonitoredMessage::fromGap(gap));
        scheduleBufferNotification();
    }
    Q_EMIT gapRecorded(gap);
}

void ChannelMonitor::scheduleBufferNotification()
{
    if (!m_notifyTimer.isActive())
        m_notifyTimer.start();
}

void ChannelMonitor::notifyBufferChanged()
{
    Q_EMIT bufferChanged();
}

void ChannelMonitor::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (!paused) {
        // What was held goes into the buffer in order (the oldest may push out older ones).
        while (!m_held.isEmpty())
            m_buffer.append(m_held.takeFirst());
    }
    Q_EMIT pausedChanged(paused);
    notifyBufferChanged();
}

void ChannelMonitor::clear()
{
    m_buffer.clear();
    m_buffer.resetDropCount();
    m_held.clear();
    m_held.resetDropCount();
    m_notifyTimer.stop();
    notifyBufferChanged();
}

void ChannelMonitor::clearStatistics()
{
    m_statistics.clear(QDateTime::currentMSecsSinceEpoch());
}

void ChannelMonitor::publish(const QByteArray &channel, const QByteArray &payload)
{
    m_client->commands()->send(
        { "PUBLISH", channel, payload }, [this, channel](const RedisReply &reply, const RedisError &error) {
            if (!error && reply.isInteger())
                Q_EMIT published(channel, reply.toInteger(), RedisError());
            else
                Q_EMIT published(channel, -1, RedisError::forUnexpectedReply(reply, error));
        });
}

void ChannelMonitor::serverPolled()
{
    QList<QByteArray> channels = m_poller->serverChannels();
    channels.removeAll(m_heartbeatChannel);
    if (!m_internalShown)
        channels.removeIf([](const QByteArray &channel) { return isInternalChannel(channel); });
    if (m_statisticsEnabled)
        m_statistics.setServerChannels(channels);
    const QHash<QByteArray, qint64> &counts = m_poller->subscriberCounts();
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        m_statistics.setSubscriberCount(it.key(), it.value());
    const QHash<QByteArray, qint64> &shardCounts = m_poller->shardSubscriberCounts();
    for (const QByteArray &channel : shardChannels())
        m_statistics.setShardSubscriberCount(channel, shardCounts.value(channel, -1));
}

} // namespace Redwire
