#pragma once

#include "ChatConfig.h"
#include "HistoryBackfill.h"
#include "RoomTimeline.h"

#include <QObject>
#include <QTimer>

namespace Redwire {

class CommandConnection;
class RoomAddress;

// Keeps a room's timeline free of gaps. The room subscribes first; each time the subscription
// becomes active (an "epoch") this reads what the subscription could not deliver: the latest
// page the first time, afterwards everything after the newest stream ID held when the previous
// epoch ended. Until that read is done the room is not `synced`. Also loads older pages on
// demand. Reads that fail are repeated after a delay, or after the reconnect.
class TimelineSync : public QObject
{
    Q_OBJECT
public:
    TimelineSync(RoomTimeline *timeline, CommandConnection *commands, const RoomAddress &address,
        const QString &nickname, const ChatConfig &config, QObject *parent = nullptr);

    void subscriptionActivated();
    void subscriptionLost();

    // Adds a message that arrived over the subscription.
    RoomTimeline::Added addLive(const ChatMessage &message);

    bool loadOlder();
    int epoch() const { return m_epoch; }
    bool isLive() const { return m_live; }
    bool isSynced() const { return m_synced; }
    bool hasOlder() const { return m_hasOlder; }
    bool isLoadingOlder() const { return m_backfill->isRunning(HistoryBackfill::Purpose::Older); }

Q_SIGNALS:
    void syncedChanged(bool synced);
    void historyStateChanged();
    // Messages read after a reconnect that the subscription had missed (new to the user).
    void messagesRecovered(const QList<Redwire::ChatMessage> &messages);

private:
    void startCatchUp();
    void scheduleRetry();
    void setSynced(bool synced);
    void pageLoaded(HistoryBackfill::Purpose purpose, const QList<ChatEnvelope> &ascending, bool finished,
        bool reachedStart, int tag);
    void readFailed(HistoryBackfill::Purpose purpose, int tag);
    QList<ChatMessage> toMessages(const QList<ChatEnvelope> &envelopes) const;

    RoomTimeline *m_timeline;
    CommandConnection *m_commands;
    HistoryBackfill *m_backfill;
    const QString m_nickname;
    const ChatConfig m_config;
    QTimer m_retryTimer;
    int m_retryDelayMs;
    int m_epoch = 0;
    bool m_live = false;
    bool m_synced = false;
    bool m_loadedOnce = false;
    bool m_hasOlder = true;
    StreamId m_caughtUpTo; // newest stream ID held when the last synced epoch ended
};

} // namespace Redwire
