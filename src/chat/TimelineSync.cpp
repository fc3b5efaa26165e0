#include "TimelineSync.h"

#include "ChatLogging.h"
#include "MessageChanges.h"
#include "Outbox.h"
#include "RoomAddress.h"

#include "redis/CommandConnection.h"

#include <QDateTime>

#include <utility>

namespace Redwire {

namespace {
constexpr int MaxRetryDelayMs = 30000;
// A live message may claim a stream ID at most this far past the server's clock as we know it:
// IDs are the server's time of storing, so a later one is made up.
constexpr qint64 FutureToleranceMs = 60 * 1000;
} // namespace

TimelineSync::TimelineSync(RoomTimeline *timeline, CommandConnection *commands, const Outbox *outbox,
    const RoomAddress &address, const QString &nickname, const ChatConfig &config, QObject *parent)
    : QObject(parent)
    , m_timeline(timeline)
    , m_commands(commands)
    , m_outbox(outbox)
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
    connect(m_backfill, &HistoryBackfill::entriesLost, this,
        [this](const StreamId &after, int tag) { entriesLost(after, tag); });
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
    if (m_synced) {
        // Live IDs are claims; only what was read from the stream says where reading resumes.
        // Re-reading what arrived live since then is the price of not trusting them.
        const StreamId verified = m_timeline->newestVerifiedStreamId();
        if (!verified.isNull())
            m_caughtUpTo = verified;
        m_heldUpTo = m_timeline->newestStreamId();
    }
    m_live = false;
    m_retryTimer.stop();
    // Answers to reads of this epoch could not be placed right any more: the next epoch reads again.
    m_backfill->cancel(HistoryBackfill::Purpose::Latest);
    m_backfill->cancel(HistoryBackfill::Purpose::CatchUp);
    setSynced(false);
}

RoomTimeline::Added TimelineSync::addLive(const ChatMessage &message)
{
    const StreamId &claimed = message.streamId;
    if (!claimed.isNull()) {
        const qint64 serverNow = QDateTime::currentMSecsSinceEpoch() + m_serverAheadMs;
        if (claimed.milliseconds() > quint64(qMax<qint64>(0, serverNow + FutureToleranceMs))) {
            qCInfo(lcChat) << "live message" << message.id << "claims stream ID" << claimed.toByteArray()
                           << "in the future; placed by arrival";
            ChatMessage unplaced = message;
            unplaced.streamId = StreamId();
            return m_timeline->addLive(unplaced, m_epoch);
        }
    }
    return m_timeline->addLive(message, m_epoch);
}

bool TimelineSync::loadOlder()
{
    return startOlderPage(0);
}

bool TimelineSync::loadOlderThrough(const StreamId &target)
{
    if (target.isNull())
        return false;
    const StreamId oldest = m_timeline->oldestStreamId();
    if (!oldest.isNull() && oldest <= target)
        return false;
    if (!m_olderTarget.isNull()) {
        m_olderTarget = qMin(m_olderTarget, target);
        return true;
    }
    m_olderTarget = target;
    if (isLoadingOlder())
        return true; // continues when the running page is in
    if (startOlderPage(m_config.revealPageSize))
        return true;
    m_olderTarget = StreamId();
    return false;
}

void TimelineSync::continueOlderTarget()
{
    if (m_olderTarget.isNull())
        return;
    const StreamId oldest = m_timeline->oldestStreamId();
    const bool reached = !oldest.isNull() && oldest <= m_olderTarget;
    if (!reached && startOlderPage(m_config.revealPageSize))
        return;
    const StreamId target = std::exchange(m_olderTarget, StreamId());
    Q_EMIT olderLoadedThrough(target, reached || !m_hasOlder);
}

bool TimelineSync::startOlderPage(int pageSize)
{
    if (!m_hasOlder || !m_loadedOnce || m_timeline->isFull() || !m_commands->isConnected())
        return false;
    // Below the oldest ID a page confirmed: IDs that live messages only claimed are read too,
    // to be confirmed or dropped.
    const StreamId before = m_timeline->olderPageBoundary();
    if (before.isNull())
        return false;
    const bool started = m_backfill->loadOlder(before, m_epoch, pageSize);
    if (started) {
        m_olderBefore = before;
        Q_EMIT historyStateChanged();
    }
    return started;
}

void TimelineSync::startCatchUp()
{
    if (!m_live || m_synced || !m_commands->isConnected())
        return;
    if (m_backfill->isRunning(HistoryBackfill::Purpose::Latest)
        || m_backfill->isRunning(HistoryBackfill::Purpose::CatchUp))
        return;
    if (!m_loadedOnce) {
        const StreamId heldOldest = m_timeline->oldestStreamId();
        if (heldOldest.isNull()) {
            m_backfill->loadLatest(m_epoch);
            return;
        }
        // Live messages came in before the first page was read (the subscription dropped
        // before it): the latest page might not reach back to them, so read from them on.
        m_caughtUpTo = heldOldest.previous();
    }
    if (m_gapCheckedEpoch != m_epoch)
        m_backfill->checkDeletedAfter(m_heldUpTo, m_epoch);
    m_catchUpFrom = m_caughtUpTo;
    m_catchUpReadTo = StreamId();
    m_catchUpFirstRead = StreamId();
    m_backfill->catchUp(m_caughtUpTo, m_epoch);
}

void TimelineSync::entriesLost(const StreamId &after, int tag)
{
    if (tag != m_epoch || !m_live || m_gapCheckedEpoch == m_epoch)
        return;
    m_gapCheckedEpoch = m_epoch;
    m_historyLostEpoch = m_epoch;
    qCWarning(lcChat) << "history after" << after.toByteArray() << "was trimmed before it could be read";
    m_timeline->addGapMarker(ChatMessage::gapMarker(QDateTime::currentMSecsSinceEpoch()), after, m_epoch);
}

void TimelineSync::learnServerClock(const QList<ChatMessage> &stored)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const ChatMessage &message : stored)
        if (!message.streamId.isNull())
            m_serverAheadMs = qMax(m_serverAheadMs, qint64(message.streamId.milliseconds()) - now);
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

QList<ChatMessage> TimelineSync::toMessages(const QList<ChatEnvelope> &envelopes, bool filterNotices) const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<ChatMessage> messages;
    messages.reserve(envelopes.size());
    for (const ChatEnvelope &envelope : envelopes)
        if (envelope.external || (envelope.kind != ChatEnvelope::Kind::Typing && !envelope.isChange())) {
            ChatMessage message = ChatMessage::fromEnvelope(envelope, m_nickname, now);
            if (!m_outbox || !m_outbox->queuedByUs(message.id))
                message.disown(m_nickname);
            const bool notice
                = message.kind == ChatEnvelope::Kind::Join || message.kind == ChatEnvelope::Kind::Leave;
            if (notice && filterNotices && m_noticeFilter && !m_noticeFilter(message)) {
                if (!message.streamId.isNull() && m_filteredNotices.size() < 10000)
                    m_filteredNotices.insert(message.streamId, message.id);
                continue;
            }
            messages.append(message);
        }
    return messages;
}

// The page's changes are kept first, then its messages get them: a change may come in the page
// before or after its message, or in a page read earlier (MessageChanges keeps it).
void TimelineSync::applyChanges(
    const QList<ChatEnvelope> &envelopes, QList<ChatMessage> &messages, bool noteRead)
{
    QHash<QString, qsizetype> byId;
    for (qsizetype i = 0; i < messages.size(); ++i)
        if (!messages.at(i).id.isEmpty())
            byId.insert(messages.at(i).id, i);
    for (const ChatEnvelope &envelope : envelopes) {
        if (!envelope.isChange())
            continue;
        if (noteRead && !envelope.streamId.isNull())
            m_timeline->noteRead(envelope.streamId);
        if (m_changeGate) {
            m_changeGate(envelope);
            continue;
        }
        if (!m_changes)
            continue;
        const ChatMessage *original = nullptr;
        if (const auto at = byId.constFind(envelope.ref); at != byId.cend())
            original = &messages.at(at.value());
        else if (const int row = m_timeline->rowOfId(envelope.ref); row >= 0)
            original = &m_timeline->at(row);
        m_changes->record(envelope, original);
    }
    if (m_changes)
        for (ChatMessage &message : messages)
            m_changes->applyTo(message);
}

void TimelineSync::pageLoaded(HistoryBackfill::Purpose purpose, const QList<ChatEnvelope> &ascending,
    bool finished, bool reachedStart, int tag)
{
    const bool current = purpose == HistoryBackfill::Purpose::Older || (tag == m_epoch && m_live);
    QList<ChatMessage> messages = toMessages(ascending, purpose != HistoryBackfill::Purpose::Older);
    if (current)
        applyChanges(ascending, messages, purpose != HistoryBackfill::Purpose::Older);
    learnServerClock(messages);
    StreamId pageFirst;
    StreamId pageLast;
    for (const ChatEnvelope &envelope : ascending) {
        if (envelope.streamId.isNull())
            continue;
        if (pageFirst.isNull())
            pageFirst = envelope.streamId;
        pageLast = envelope.streamId;
    }
    switch (purpose) {
    case HistoryBackfill::Purpose::Older: {
        const bool allFit = m_timeline->addOlder(messages).size() == messages.size();
        if (allFit)
            m_hasOlder = !reachedStart;
        // The page holds every entry from its first up to where it was asked to end.
        if (allFit && !m_olderBefore.isNull())
            dropUnconfirmed(reachedStart ? StreamId(0, 0) : pageFirst, m_olderBefore.previous());
        Q_EMIT historyStateChanged();
        continueOlderTarget();
        return;
    }
    case HistoryBackfill::Purpose::Latest:
        if (tag != m_epoch || !m_live)
            return;
        m_timeline->addStored(messages, m_epoch); // history, not news: nothing to recover
        // Everything from its first entry to the stream's end then (or all, at the start).
        if (!pageLast.isNull())
            dropUnconfirmed(reachedStart ? StreamId(0, 0) : pageFirst, pageLast);
        m_loadedOnce = true;
        m_hasOlder = !reachedStart;
        setSynced(true);
        Q_EMIT historyStateChanged();
        return;
    case HistoryBackfill::Purpose::CatchUp: {
        if (tag != m_epoch || !m_live)
            return;
        if (m_catchUpFirstRead.isNull())
            m_catchUpFirstRead = pageFirst;
        m_catchUpReadTo = qMax(m_catchUpReadTo, pageLast);
        const QList<ChatMessage> recovered = m_timeline->addStored(messages, m_epoch);
        if (finished) {
            // Everything stored after the start up to the newest entry read has been read.
            // Below the first entry read, when the stream lost entries, an unconfirmed ID may be
            // a real message trimmed since: left alone.
            const StreamId from = m_historyLostEpoch == m_epoch
                ? qMax(m_catchUpFrom.next(), m_catchUpFirstRead)
                : m_catchUpFrom.next();
            if (!m_catchUpReadTo.isNull())
                dropUnconfirmed(from, m_catchUpReadTo);
            m_gapCheckedEpoch = m_epoch;
            if (!m_loadedOnce) {
                m_loadedOnce = true;
                Q_EMIT historyStateChanged();
            }
            setSynced(true);
        }
        if (!recovered.isEmpty())
            Q_EMIT messagesRecovered(recovered);
        return;
    }
    }
}

void TimelineSync::dropUnconfirmed(const StreamId &first, const StreamId &last)
{
    const int dropped = m_timeline->dropUnconfirmedStreamIds(first, last, m_filteredNotices);
    m_filteredNotices.clear();
    if (dropped)
        qCWarning(lcChat) << dropped << "live messages claimed stream IDs that the stream does not hold";
}

void TimelineSync::readFailed(HistoryBackfill::Purpose purpose, int tag)
{
    if (purpose == HistoryBackfill::Purpose::Older) {
        Q_EMIT historyStateChanged();
        if (!m_olderTarget.isNull())
            Q_EMIT olderLoadedThrough(std::exchange(m_olderTarget, StreamId()), false);
        return;
    }
    if (tag == m_epoch)
        scheduleRetry();
}

} // namespace Redwire
