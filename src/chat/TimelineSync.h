#pragma once

#include "ChatConfig.h"
#include "HistoryBackfill.h"
#include "RoomTimeline.h"

#include <QObject>
#include <QTimer>

#include <functional>

namespace Redwire {

class CommandConnection;
class MessageChanges;
class Outbox;
class RoomAddress;

// Keeps a room's timeline free of gaps. The room subscribes first; each time the subscription
// becomes active (an "epoch") this reads what the subscription could not deliver: the latest
// page the first time, afterwards everything after the newest stream ID that was read from the
// stream (never one a live message merely claimed: a forged "sid" must not move the catch-up
// past what was missed). Until that read is done the room is not `synced`. Live messages that
// claim an ID in the future are not placed by it; live IDs that the catch-up read does not
// confirm are dropped. Entries deleted from the stream before they could be read (its length
// cap) leave a visible gap marker. Also loads older pages on demand. Reads that fail are
// repeated after a delay, or after the reconnect.
class TimelineSync : public QObject
{
    Q_OBJECT
public:
    // `outbox` tells which messages this client sent (they are "own").
    TimelineSync(RoomTimeline *timeline, CommandConnection *commands, const Outbox *outbox,
        const RoomAddress &address, const QString &nickname, const ChatConfig &config,
        QObject *parent = nullptr);

    void subscriptionActivated();
    void subscriptionLost();

    // Adds a message that arrived over the subscription.
    RoomTimeline::Added addLive(const ChatMessage &message);

    // Decides whether a join or leave notice read in a page goes into the timeline (ChatRoom
    // shows one join per stay of a member); older pages are history and keep theirs.
    void setNoticeFilter(std::function<bool(const ChatMessage &)> filter)
    {
        m_noticeFilter = std::move(filter);
    }

    // Where edits, deletes and reactions read from the stream go; the messages of a page get
    // theirs before they are placed.
    void setChanges(MessageChanges *changes) { m_changes = changes; }
    // When set, each change read from the stream goes here instead (ChatRoom checks its sender's
    // signature first, as for live changes, and records it into the MessageChanges).
    void setChangeGate(std::function<void(const ChatEnvelope &)> gate) { m_changeGate = std::move(gate); }

    bool loadOlder();
    // Loads older pages (larger ones) until the timeline holds `target` or an older ID, the start
    // of history, or the memory bound; then olderLoadedThrough. False when nothing is to load.
    bool loadOlderThrough(const StreamId &target);
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
    // loadOlderThrough() is done (`complete`: the timeline reaches back to `target`).
    void olderLoadedThrough(const Redwire::StreamId &target, bool complete);

private:
    void startCatchUp();
    void scheduleRetry();
    void setSynced(bool synced);
    void pageLoaded(HistoryBackfill::Purpose purpose, const QList<ChatEnvelope> &ascending, bool finished,
        bool reachedStart, int tag);
    void readFailed(HistoryBackfill::Purpose purpose, int tag);
    bool startOlderPage(int pageSize);
    void continueOlderTarget();
    QList<ChatMessage> toMessages(const QList<ChatEnvelope> &envelopes, bool filterNotices) const;
    void applyChanges(const QList<ChatEnvelope> &envelopes, QList<ChatMessage> &messages, bool noteRead);
    void learnServerClock(const QList<ChatMessage> &stored);
    void dropUnconfirmed(const StreamId &first, const StreamId &last);
    void entriesLost(const StreamId &after, int tag);

    RoomTimeline *m_timeline;
    CommandConnection *m_commands;
    const Outbox *m_outbox;
    std::function<bool(const ChatMessage &)> m_noticeFilter;
    // Notices a page held but the filter left out, until the range they are in is checked.
    mutable QHash<StreamId, QString> m_filteredNotices;
    MessageChanges *m_changes = nullptr;
    std::function<void(const ChatEnvelope &)> m_changeGate;
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
    StreamId m_caughtUpTo; // newest stream ID read from the stream when the last synced epoch ended
    StreamId m_heldUpTo; // newest stream ID held (read or received live) then
    StreamId m_catchUpFrom; // where the running catch-up started ...
    StreamId m_catchUpFirstRead; // ... the oldest ID it read ...
    StreamId m_catchUpReadTo; // ... and the newest ID it has read so far
    StreamId m_olderBefore; // where the running older page ends (exclusive)
    StreamId m_olderTarget; // loadOlderThrough()'s target while it runs
    int m_gapCheckedEpoch = 0;
    int m_historyLostEpoch = 0;
    qint64 m_serverAheadMs = 0; // how far the server's clock is ahead of ours, as its IDs show
};

} // namespace Redwire
