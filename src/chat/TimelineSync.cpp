#include "TimelineSync.h"

#include "RoomAddress.h"

#include "redis/CommandConnection.h"

#include <QDateTime>

namespace Redwire {

namespace {
constexpr int MaxRetryDelayMs = 30000;
}

TimelineSync::TimelineSync(RoomTimeline *timeline, CommandConnection *commands, const RoomAddress &address,
    const QString &nickname, const ChatConfig &config, QObject *parent)
    : QObject(parent)
    , m_timeline(timeline)
    , m_commands(commands)
    , m_backfill(new HistoryBackfill(commands, address.historyKey(), config, this))
    , m_nickname(nickname)
    , m_config(config)
    , m_retryDelayMs(qMax(10, config.transientRetryDelayMs))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &TimelineSync::startCatchUp);
    connect(m_commands, &RedisConnection::connected, this, &TimelineSync::startCatchUp);
    connect(m_backfill, &HistoryBackfill::pageLoaded, this, &TimelineSync::pageLoaded);
    // The memory bound dropped the oldest messages: they can be read again.
    connect(m_timeline, &RoomTimeline::messagesRemoved, this, [this](int first, int) {
        if (first == 0 && m_loadedOnce && !m_hasOlder) {
            m_hasOlder = true;
            Q_EMIT historyStateChanged();
        }
    });
    connect(m_backfill, &HistoryBackfill::failed, this,
        [this](HistoryBackfill::Purpose purpose, const QString &, int tag) { readFailed(purpose, tag); });
}

void TimelineSync::subscriptionActivated()
{
    if (m_live)
        return;
    ++m_epoch;
    m_live = true;
    m_backfill->cancel(HistoryBackfill::Purpose::Latest);
    m_backfill->cancel(HistoryBackfill::Purpose::CatchUp);
    setSynced(false);
    startCatchUp();
}

void TimelineSync::subscriptionLost()
{
    if (!m_live)
        return;
    if (m_synced)
        m_caughtUpTo = m_timeline->newestStreamId();
    m_live = false;
    m_retryTimer.stop();
    // Answers to reads of this epoch could not be placed right any more: the next epoch reads again.
    m_backfill->cancel(HistoryBackfill::Purpose::Latest);
    m_backfill->cancel(HistoryBackfill::Purpose::CatchUp);
    setSynced(false);
}

RoomTimeline::Added TimelineSync::addLive(const ChatMessage &message)
{
    return m_timeline->addLive(message, m_epoch);
}

bool TimelineSync::loadOlder()
{
    if (!m_hasOlder || !m_loadedOnce || m_timeline->isFull() || !m_commands->isConnected())
        return false;
    const StreamId oldest = m_timeline->oldestStreamId();
    if (oldest.isNull())
        return false;
    const bool started = m_backfill->loadOlder(oldest, m_epoch);
    if (started)
        Q_EMIT historyStateChanged();
    return started;
}

void TimelineSync::startCatchUp()
{
    if (!m_live || m_synced || !m_commands->isConnected())
        return;
    if (m_backfill->isRunning(HistoryBackfill::Purpose::Latest)
        || m_backfill->isRunning(HistoryBackfill::Purpose::CatchUp))
        return;
    if (!m_loadedOnce)
        m_backfill->loadLatest(m_epoch);
    else
        m_backfill->catchUp(m_caughtUpTo, m_epoch);
}

void TimelineSync::scheduleRetry()
{
    if (!m_live || m_synced)
        return;
    // While disconnected the connected signal restarts the read; otherwise back off.
    if (m_commands->isConnected() && !m_retryTimer.isActive()) {
        m_retryTimer.start(m_retryDelayMs);
        m_retryDelayMs = qMin(MaxRetryDelayMs, m_retryDelayMs * 2);
    }
}

void TimelineSync::setSynced(bool synced)
{
    if (m_synced == synced)
        return;
    m_synced = synced;
    if (synced)
        m_retryDelayMs = qMax(10, m_config.transientRetryDelayMs);
    Q_EMIT syncedChanged(synced);
}

QList<ChatMessage> TimelineSync::toMessages(const QList<ChatEnvelope> &envelopes) const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<ChatMessage> messages;
    messages.reserve(envelopes.size());
    for (const ChatEnvelope &envelope : envelopes)
        if (envelope.external || envelope.kind != ChatEnvelope::Kind::Typing)
            messages.append(ChatMessage::fromEnvelope(envelope, m_nickname, now));
    return messages;
}

void TimelineSync::pageLoaded(HistoryBackfill::Purpose purpose, const QList<ChatEnvelope> &ascending,
    bool finished, bool reachedStart, int tag)
{
    const QList<ChatMessage> messages = toMessages(ascending);
    switch (purpose) {
    case HistoryBackfill::Purpose::Older:
        if (m_timeline->addOlder(messages).size() == messages.size())
            m_hasOlder = !reachedStart;
        Q_EMIT historyStateChanged();
        return;
    case HistoryBackfill::Purpose::Latest:
        if (tag != m_epoch || !m_live)
            return;
        m_timeline->addStored(messages, m_epoch); // history, not news: nothing to recover
        m_loadedOnce = true;
        m_hasOlder = !reachedStart;
        setSynced(true);
        Q_EMIT historyStateChanged();
        return;
    case HistoryBackfill::Purpose::CatchUp: {
        if (tag != m_epoch || !m_live)
            return;
        const QList<ChatMessage> recovered = m_timeline->addStored(messages, m_epoch);
        if (finished)
            setSynced(true);
        if (!recovered.isEmpty())
            Q_EMIT messagesRecovered(recovered);
        return;
    }
    }
}

void TimelineSync::readFailed(HistoryBackfill::Purpose purpose, int tag)
{
    if (purpose == HistoryBackfill::Purpose::Older) {
        Q_EMIT historyStateChanged();
        return;
    }
    if (tag == m_epoch)
        scheduleRetry();
}

} // namespace Redwire
