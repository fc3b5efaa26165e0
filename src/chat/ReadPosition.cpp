#include "ReadPosition.h"

#include "ReadMarkers.h"
#include "RoomTimeline.h"
#include "TimelineSync.h"
#include "UnreadCount.h"

namespace Redwire {

ReadPosition::ReadPosition(RoomTimeline *timeline, TimelineSync *sync, CommandConnection *commands,
    ReadMarkers *markers, const RoomAddress &address, const QString &nickname, const ChatConfig &config,
    QObject *parent)
    : QObject(parent)
    , m_timeline(timeline)
    , m_sync(sync)
    , m_commands(commands)
    , m_markers(markers)
    , m_address(address)
    , m_nickname(nickname)
    , m_config(config)
{
    connect(m_sync, &TimelineSync::syncedChanged, this, &ReadPosition::countFromMarker);
    // What arrives while the user looks at the bottom of the room is read.
    connect(m_timeline, &RoomTimeline::messagesInserted, this, [this] {
        if (m_inView && m_followingLatest)
            advanceReadMarker();
    });
    if (m_markers) {
        m_readUpTo = m_markers->marker(m_address);
        connect(m_markers, &ReadMarkers::loaded, this, &ReadPosition::countFromMarker);
    }
}

void ReadPosition::setInView(bool inView)
{
    if (m_inView == inView)
        return;
    m_inView = inView;
    if (!inView)
        return;
    if (m_unread > 0)
        setUnreadDivider(m_readUpTo.isNull() ? m_unreadFrom : m_readUpTo);
    if (m_unread != 0 || m_unreadMentions != 0) {
        m_unread = 0;
        m_unreadMentions = 0;
        Q_EMIT unreadCountChanged();
    }
    if (m_followingLatest)
        advanceReadMarker();
}

void ReadPosition::markRead()
{
    advanceReadMarker();
    if (m_unread == 0 && m_unreadMentions == 0)
        return;
    m_unread = 0;
    m_unreadMentions = 0;
    Q_EMIT unreadCountChanged();
}

void ReadPosition::setFollowingLatest(bool following)
{
    m_followingLatest = following;
    if (following && m_inView)
        advanceReadMarker();
}

void ReadPosition::advanceReadMarker()
{
    // Not before the server's marker has told what is unread (the first page would pass for read).
    if (m_markers && !m_countedFromMarker)
        return;
    const StreamId newest = m_timeline->newestStreamId();
    if (newest.isNull() || !(m_readUpTo < newest))
        return;
    m_readUpTo = newest;
    m_unreadFrom = StreamId();
    if (m_markers)
        m_markers->advance(m_address, newest);
}

void ReadPosition::setUnreadDivider(const StreamId &after)
{
    if (m_dividerAfter == after)
        return;
    m_dividerAfter = after;
    Q_EMIT unreadDividerChanged();
    // The first unread message may be older than what is held: load up to it.
    if (!after.isNull())
        m_sync->loadOlderThrough(after.next());
}

void ReadPosition::clearUnreadDivider()
{
    setUnreadDivider({});
}

// After a restart (or on a second device): what was stored after the server's read marker is
// unread. Once per run, when both the first page and the markers are in.
void ReadPosition::countFromMarker()
{
    if (m_countedFromMarker || !m_markers || !m_markers->isLoaded() || !m_sync->isSynced())
        return;
    m_countedFromMarker = true;
    const StreamId marker = m_markers->marker(m_address);
    m_readUpTo = qMax(m_readUpTo, marker);
    const StreamId upTo = m_timeline->newestStreamId();
    if (marker.isNull() || upTo.isNull() || !(marker < upTo)) {
        if (m_inView && m_followingLatest)
            advanceReadMarker();
        return;
    }
    UnreadCount::count(m_commands, m_address.historyKey(), marker, upTo, m_nickname,
        m_config.unreadCountLimit, m_config.payloadLimitBytes, this,
        [this, marker](const UnreadCount::Result &result) {
            if (result.unread == 0) {
                if (m_inView && m_followingLatest)
                    advanceReadMarker();
                return;
            }
            if (m_inView) {
                // The user has the room open: show where the unread part begins.
                setUnreadDivider(marker);
                return;
            }
            // Messages that arrived live since the count was asked for are counted already.
            m_unread += result.more ? qMax(result.unread, m_config.unreadCountLimit) : result.unread;
            m_unreadMentions += result.mentions;
            if (m_unreadFrom.isNull())
                m_unreadFrom = marker;
            Q_EMIT unreadCountChanged();
        });
}

void ReadPosition::count(const QList<ChatMessage> &arrived)
{
    if (m_inView || arrived.isEmpty())
        return;
    if (m_unread == 0 && m_unreadFrom.isNull() && !arrived.first().streamId.isNull())
        m_unreadFrom = arrived.first().streamId.previous();
    int mentions = 0;
    for (const ChatMessage &message : arrived)
        if (message.mentionsMe)
            ++mentions;
    m_unread += int(arrived.size());
    m_unreadMentions += mentions;
    Q_EMIT unreadCountChanged();
}

} // namespace Redwire
