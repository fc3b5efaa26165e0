#pragma once

#include "SubscriptionGap.h"

#include "redis/ConnectionOptions.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

namespace Redwire {

class ClusterShardSubscribers;

// The breaks of a cluster's shard subscriptions, as SubscriptionGaps: a shard channel lives on the
// node serving its slot, so its subscription can break alone (its node lost, its slot moved, its
// shard failed over) while the rest of the monitor holds. A gap opens when the shard subscribers
// report channels interrupted and closes once each of them is confirmed again (or is given up).
// "since" is, as in SubscriptionGapTracker, the newest time mark heard on that node's connection
// (the monitor publishes one a second; PUBLISH reaches every node), or the channel's confirmation
// when that is later: at most about a second early, never late.
class ShardGapTracker : public QObject
{
    Q_OBJECT
public:
    explicit ShardGapTracker(ClusterShardSubscribers *shards, QObject *parent = nullptr);

    void start() { m_watching = true; }
    void stop() { m_watching = false; }
    bool isGapOpen() const { return !m_open.isEmpty(); }
    // Records the gaps still open as ending now, without the channels back.
    void finishOpenGaps();

Q_SIGNALS:
    // Shard channels broke; messages published to them from sinceMs on may be missed.
    void gapOpened(qint64 sinceMs);
    // Emitted once the gap is no longer open (isGapOpen() says so for the others only).
    void gapRecorded(const Redwire::SubscriptionGap &gap);

private:
    struct OpenGap
    {
        SubscriptionGap gap;
        QSet<QByteArray> waiting;
    };
    void interrupted(const ServerAddress &node, const QList<QByteArray> &channels, const QString &reason);
    void settled(const QByteArray &channel);
    void record(OpenGap open, bool resumed);

    ClusterShardSubscribers *m_shards;
    QHash<QString, qint64> m_lastMarkMs; // per node
    QHash<QByteArray, qint64> m_confirmedAtMs; // per channel, on its current node
    QList<OpenGap> m_open;
    bool m_watching = false;
};

} // namespace Redwire
