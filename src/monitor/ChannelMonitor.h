#pragma once

#include "ChannelStatistics.h"
#include "MessageFilter.h"
#include "MessageRingBuffer.h"
#include "MessageTimeStamper.h"
#include "SubscriptionGap.h"

#include "redis/ConnectionOptions.h"
#include "redis/RedisError.h"
#include "redis/SubscriberConnection.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <vector>

namespace Redwire {

class ClusterShardSubscribers;
class MessageSink;
class PubSubServerPoller;
class RedisClient;
class SlowSubscriberWatch;
class ShardGapTracker;
class SubscriptionGapTracker;

// The engine behind both faces of the monitor (the app's Monitor view and redwire-monitor):
// subscribes to patterns and channels over a RedisClient and, for every message, applies the
// filter, counts it in the statistics, hands it to the sinks (command-line output, a recorder)
// and keeps it in a bounded ring buffer for a view. Pausing holds new messages back from the
// buffer (up to a bound, the excess dropped and counted) while sinks and statistics go on.
// Views hear about the buffer at most once per frame (bufferChanged), never once per message.
// Every break in the subscription is recorded as a gap (SubscriptionGapTracker): handed to the
// sinks in order with the messages and kept in the buffer as an entry of its own, whatever the
// filter.
class ChannelMonitor : public QObject, private SubscriberConnection::MessageHandler
{
    Q_OBJECT
    Q_PROPERTY(bool connected READ isConnected NOTIFY connectedChanged)
    Q_PROPERTY(bool paused READ isPaused WRITE setPaused NOTIFY pausedChanged)
public:
    using TopicKind = SubscriberConnection::TopicKind;

    // Empty options.clientName gets a unique "redwire-monitor-..." name: the slow-subscriber
    // watch finds our connection in CLIENT LIST by it.
    explicit ChannelMonitor(const ConnectionOptions &options = {}, QObject *parent = nullptr);
    ~ChannelMonitor() override;

    RedisClient *client() const { return m_client; }
    bool isConnected() const;

    void start(); // connects; subscriptions are sent once connected (and after every reconnect)
    // Records a gap still open (see finishOpenGap()), then disconnects.
    void stop();

    // Topics; subscribing before start() is fine. False when the name is refused. On a cluster a
    // keyspace pattern (`__keyspace@…`, `__keyevent@…`) is subscribed on every primary.
    bool subscribePattern(const QByteArray &pattern);
    bool subscribeChannel(const QByteArray &channel);
    void unsubscribePattern(const QByteArray &pattern);
    void unsubscribeChannel(const QByteArray &channel);
    // Sharded Pub/Sub (SSUBSCRIBE, Redis 7): messages SPUBLISHed to the channel, marked as sharded.
    bool subscribeShardChannel(const QByteArray &channel);
    void unsubscribeShardChannel(const QByteArray &channel);
    QList<QByteArray> patterns() const;
    QList<QByteArray> channels() const;
    QList<QByteArray> shardChannels() const;
    // The confirmed subscriptions that deliver a message published to `channel`: the channel
    // itself when subscribed, then each matching pattern.
    QList<QByteArray> subscriptionsMatching(const QByteArray &channel) const;

    // Redwire's own channels (isInternalChannel: other clients' heartbeats and marks, the chat's
    // bookkeeping) are not traffic: hidden from the buffer, the sinks and the statistics unless
    // shown (default hidden).
    void setInternalChannelsShown(bool shown);
    bool internalChannelsShown() const { return m_internalShown; }
    // Redwire's own channels: the connection checks (__redwire:) and the chat's bookkeeping
    // (redwire:, e.g. read markers moved; no room may have such a name: docs/PROTOCOL.md).
    static bool isInternalChannel(const QByteArray &channel)
    {
        return channel.startsWith("__redwire:") || channel.startsWith("redwire:");
    }

    void setFilter(const MessageFilter &filter) { m_filter = filter; }
    const MessageFilter &filter() const { return m_filter; }
    // Whether the statistics count only what passes the filter (the command line's choice) or
    // all traffic (the view's: its filter is about what to show).
    void setFilterAppliesToStatistics(bool applies) { m_filterAppliesToStatistics = applies; }

    // Sinks get every accepted message, paused or not; the monitor does not own them.
    void addSink(MessageSink *sink);
    void removeSink(MessageSink *sink);

    // Off for the command-line tool, which keeps no history.
    void setBufferEnabled(bool enabled);
    bool isBufferEnabled() const { return m_bufferEnabled; }
    const MessageRingBuffer &buffer() const { return m_buffer; }
    void setBufferCapacity(qsizetype capacity);
    // Messages held back while paused: at most this many (default 100,000).
    void setHoldCapacity(qsizetype capacity) { m_held.setCapacity(capacity); }
    qsizetype heldCount() const { return m_held.size(); }
    // Dropped from the buffer because it was full, and dropped while paused.
    quint64 bufferDroppedCount() const { return m_buffer.droppedCount(); }
    quint64 pauseDroppedCount() const { return m_held.droppedCount(); }

    bool isPaused() const { return m_paused; }
    void setPaused(bool paused);
    // Empties the buffer and what is held, and resets the drop counts.
    void clear();

    // Off when nobody looks at message times (the command line counting with --format none).
    // A message's time is when the socket read that brought it returned (one clock read per read,
    // shared by the messages of that read), never earlier than the message before's.
    void setTimestampsEnabled(bool enabled) { m_timestampsEnabled = enabled; }

    void setStatisticsEnabled(bool enabled) { m_statisticsEnabled = enabled; }
    bool isStatisticsEnabled() const { return m_statisticsEnabled; }
    const ChannelStatistics &statistics() const { return m_statistics; }
    void clearStatistics();

    // Whether start() also starts the server poller and the slow-subscriber watch (default on).
    void setServerPollingEnabled(bool enabled) { m_serverPollingEnabled = enabled; }
    PubSubServerPoller *serverPoller() const { return m_poller; }
    SlowSubscriberWatch *slowSubscriberWatch() const { return m_slowWatch; }

    // Messages received (one per PUBLISH, however many of our subscriptions delivered it;
    // before the filter) and accepted (after it).
    quint64 receivedCount() const { return m_received; }
    quint64 acceptedCount() const { return m_sequence; }
    // Channel and payload bytes of the messages received.
    quint64 receivedBytes() const { return m_receivedBytes; }

    SubscriptionGapTracker *gapTracker() const { return m_gaps; }
    // Breaks in the subscription recorded since construction (clear() keeps the count).
    quint64 gapCount() const { return m_gapCount; }
    bool isGapOpen() const;
    // When the monitor ends while not subscribed again: records the open gap as ending now. With
    // `failure` (it ends because a connection failed for good), a break the subscriber connection
    // has not noticed yet is recorded too.
    void finishOpenGap(const RedisError &failure = RedisError());

    // Publishes a test message over the command connection; the answer comes as published().
    void publish(const QByteArray &channel, const QByteArray &payload);

Q_SIGNALS:
    void connectedChanged(bool connected);
    void pausedChanged(bool paused);
    // The buffer, held messages or drop counts changed; at most about once per frame.
    void bufferChanged();
    // Subscribed (again, after a reconnect) to every topic.
    void resubscribed(int topics);
    void subscriptionFailed(Redwire::SubscriberConnection::TopicKind kind, const QByteArray &name,
        const Redwire::RedisError &error);
    // The subscription broke; messages published from sinceMs on may be missed.
    void gapOpened(qint64 sinceMs);
    // A break in the subscription, after the sinks and the buffer have it.
    void gapRecorded(const Redwire::SubscriptionGap &gap);
    // receivers is PUBLISH's answer; -1 with the error when it failed.
    void published(const QByteArray &channel, qint64 receivers, const Redwire::RedisError &error);

private:
    ClusterShardSubscribers *everyPrimaryFor(const QByteArray &pattern) const;
    bool isNodeLocalCopy(const QByteArray &channel) const;
    // SubscriberConnection::MessageHandler: every message, without a signal's cost.
    void handleMessage(const QByteArray &channel, const QByteArray &payload) override;
    void handlePatternMessage(
        const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload) override;
    void handleShardMessage(const QByteArray &channel, const QByteArray &payload) override;
    void deliver(const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload);
    int expectedDeliveries(const QByteArray &channel);
    void flushDeliveryGroup();
    void subscriptionsChanged();
    void accept(const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload,
        qint64 readTimeMs, bool sharded = false);
    void recordGap(const SubscriptionGap &gap);
    void scheduleBufferNotification();
    void notifyBufferChanged();
    void serverPolled();

    RedisClient *m_client;
    QByteArray m_heartbeatChannel;
    MessageFilter m_filter;
    bool m_filterAppliesToStatistics = false;
    std::vector<MessageSink *> m_sinks;
    bool m_bufferEnabled = true;
    MessageRingBuffer m_buffer;
    MessageRingBuffer m_held;
    bool m_paused = false;
    bool m_statisticsEnabled = true;
    bool m_timestampsEnabled = true;
    MessageTimeStamper m_timeStamper;
    bool m_serverPollingEnabled = true;
    ChannelStatistics m_statistics;
    PubSubServerPoller *m_poller;
    SlowSubscriberWatch *m_slowWatch;
    SubscriptionGapTracker *m_gaps;
    ShardGapTracker *m_shardGaps = nullptr; // a cluster's shard channels
    QTimer m_notifyTimer { this };
    bool m_internalShown = false;
    // One PUBLISH reaches us once per subscription that matches its channel (the channel, each
    // pattern), in consecutive frames: they are merged into one message. The group being merged:
    struct DeliveryGroup
    {
        bool open = false;
        QByteArray pattern; // the first delivery's
        QByteArray channel;
        QByteArray payload;
        int received = 0;
        int expected = 0;
        qint64 readTimeMs = 0; // the first delivery's
    };
    DeliveryGroup m_group;
    QTimer m_groupFlush { this }; // an incomplete group (a subscription just changing) ends with the batch
    QHash<QByteArray, int> m_expectedDeliveries; // per channel, for the confirmed subscriptions
    // The last channel's verdict: floods are mostly on one channel, whose name the subscriber
    // delivers as the same shared bytes each time, so one pointer comparison usually decides.
    QByteArray m_lastChannel;
    int m_lastExpected = 0;
    bool m_lastHidden = false;
    quint64 m_received = 0;
    quint64 m_receivedBytes = 0;
    quint64 m_sequence = 0;
    quint64 m_gapCount = 0;
};

} // namespace Redwire
