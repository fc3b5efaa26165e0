#pragma once

#include "DisconnectDiagnosis.h"
#include "ReceiveHistory.h"
#include "SubscriptionGap.h"

#include "redis/RedisError.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>

namespace Redwire {

class RedisClient;
class SlowSubscriberWatch;

// Notices every break in a subscription and records it as a SubscriptionGap: opened when the
// subscriber connection fails after topics were confirmed on it, closed once every topic is
// confirmed again (or by finishOpenGap() when the monitor stops first). One gap per outage, however
// many reconnect attempts it takes.
//
// "since" is the last moment the subscription is known to have held. Once a second, while the
// subscriber is connected, the tracker publishes a time mark on the subscriber's private heartbeat
// channel; a mark that comes back proves that everything published before it was delivered, even
// to a monitor that reads far behind. Since is the newest mark received (or, before the first,
// when the topics were confirmed): at most about a second early, never late.
class SubscriptionGapTracker : public QObject
{
    Q_OBJECT
public:
    static constexpr int SampleIntervalMs = 100;
    static constexpr int MarkIntervalMs = 1000;

    SubscriptionGapTracker(RedisClient *client, SlowSubscriberWatch *watch, QObject *parent = nullptr);

    // The bytes received so far (the monitor counts them per message).
    void setReceivedBytesSource(std::function<quint64()> source) { m_receivedBytes = std::move(source); }

    // Breaks count only between start() and stop().
    void start();
    void stop();

    bool isGapOpen() const { return m_gapOpen; }
    // Records a gap still open as ending now, with the subscription not back (resumed false). With
    // `failure` (the monitor ends because a connection failed for good), a subscription that the
    // subscriber connection has not seen break yet is taken as broken by it.
    void finishOpenGap(const RedisError &failure = RedisError());

    // The payload of a time mark published at `msSinceEpoch`, and the time in one; -1 when it is not.
    static QByteArray markPayload(qint64 msSinceEpoch);
    static qint64 markTime(const QByteArray &payload);

Q_SIGNALS:
    // The subscription broke; messages published from sinceMs on may be missed.
    void gapOpened(qint64 sinceMs);
    void gapRecorded(const Redwire::SubscriptionGap &gap);

private:
    void subscriberStateChanged();
    void subscriberFailed(const RedisError &error);
    void commandsFailed();
    void openGap(const RedisError &error);
    void askServer();
    void tryClose();
    void record(bool resumed);
    void tick();
    quint64 receivedBytes() const { return m_receivedBytes ? m_receivedBytes() : 0; }

    RedisClient *m_client;
    SlowSubscriberWatch *m_watch;
    std::function<quint64()> m_receivedBytes;
    QTimer m_sampleTimer { this };
    QElapsedTimer m_clock; // monotonic, for the receive history
    ReceiveHistory m_history;
    int m_ticks = 0;
    bool m_watching = false;
    // On the current subscriber connection: a topic was confirmed, when, and the newest mark.
    bool m_subscribed = false;
    qint64 m_confirmedAtMs = -1;
    qint64 m_lastMarkMs = -1;
    qint64 m_commandsLostAt = -1; // m_clock time the command connection last failed
    bool m_gapOpen = false;
    quint64 m_gapId = 0;
    SubscriptionGap m_gap;
    DisconnectEvidence m_evidence;
};

} // namespace Redwire
