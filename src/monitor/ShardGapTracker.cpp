#include "ShardGapTracker.h"

#include "SubscriptionGapTracker.h"

#include "redis/ClusterShardSubscribers.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcMonitor)

namespace Redwire {

ShardGapTracker::ShardGapTracker(ClusterShardSubscribers *shards, QObject *parent)
    : QObject(parent)
    , m_shards(shards)
{
    connect(shards, &ClusterShardSubscribers::heartbeatReceived, this,
        [this](const ServerAddress &node, const QByteArray &payload) {
            const qint64 mark = SubscriptionGapTracker::markTime(payload);
            qint64 &last = m_lastMarkMs[node.displayName()];
            last = std::max(last, mark);
        });
    connect(shards, &ClusterShardSubscribers::channelsInterrupted, this, &ShardGapTracker::interrupted);
    connect(shards, &ClusterShardSubscribers::subscribed, this,
        [this](SubscriberConnection::TopicKind, const QByteArray &channel) {
            m_confirmedAtMs.insert(channel, QDateTime::currentMSecsSinceEpoch());
            settled(channel);
        });
    connect(shards, &ClusterShardSubscribers::unsubscribed, this,
        [this](SubscriberConnection::TopicKind, const QByteArray &channel) { settled(channel); });
    connect(shards, &ClusterShardSubscribers::subscriptionFailed, this,
        [this](SubscriberConnection::TopicKind, const QByteArray &channel) { settled(channel); });
}

void ShardGapTracker::interrupted(
    const ServerAddress &node, const QList<QByteArray> &channels, const QString &reason)
{
    if (!m_watching)
        return;
    // A primary that joined (keyspace patterns) was not one when the map last said so.
    const qint64 mark = std::max(m_lastMarkMs.value(node.displayName(), -1), m_shards->notPrimaryAtMs(node));
    OpenGap open;
    open.gap.sinceMs = QDateTime::currentMSecsSinceEpoch();
    QStringList shardNames;
    QStringList patternNames;
    const QList<QByteArray> patterns = m_shards->everyPrimaryPatterns();
    for (const QByteArray &channel : channels) {
        open.gap.sinceMs = std::min(open.gap.sinceMs, std::max(mark, m_confirmedAtMs.value(channel, -1)));
        open.waiting.insert(channel);
        (patterns.contains(channel) ? patternNames : shardNames).append(QString::fromUtf8(channel));
    }
    QStringList names;
    if (!shardNames.isEmpty())
        names.append(tr("sharded channel(s) %1").arg(shardNames.join(QLatin1String(", "))));
    if (!patternNames.isEmpty())
        names.append(tr("pattern(s) %1 on every primary").arg(patternNames.join(QLatin1String(", "))));
    open.gap.sinceMs = std::max<qint64>(open.gap.sinceMs, 0);
    open.gap.cause = SubscriptionGap::Cause::ConnectionLost;
    open.gap.channels = channels;
    open.gap.reason = tr("%1 on %2: %3").arg(names.join(QLatin1String("; ")), node.displayName(), reason);
    qCInfo(lcMonitor) << "shard subscription broken:" << open.gap.reason << "- last known subscribed at"
                      << open.gap.sinceMs;
    m_open.append(open);
    Q_EMIT gapOpened(open.gap.sinceMs);
}

void ShardGapTracker::settled(const QByteArray &channel)
{
    for (qsizetype i = 0; i < m_open.size();) {
        OpenGap &open = m_open[i];
        if (!open.waiting.remove(channel) || !open.waiting.isEmpty()) {
            ++i;
            continue;
        }
        const OpenGap closed = m_open.takeAt(i);
        record(closed, true);
    }
}

void ShardGapTracker::finishOpenGaps()
{
    const QList<OpenGap> open = std::exchange(m_open, {});
    for (const OpenGap &gap : open)
        record(gap, false);
}

void ShardGapTracker::record(OpenGap open, bool resumed)
{
    open.gap.timeMs = std::max(QDateTime::currentMSecsSinceEpoch(), open.gap.sinceMs);
    open.gap.resumed = resumed;
    qCInfo(lcMonitor) << "shard gap from" << open.gap.sinceMs << "to" << open.gap.timeMs << ":"
                      << open.gap.reason;
    Q_EMIT gapRecorded(open.gap);
}

} // namespace Redwire
