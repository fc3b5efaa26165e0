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
    connect(m_timeline, &RoomTimeline::messagesInserted, this, [this](int first, int last) {
        readThroughOwn(first, last);
        if (m_inView && m_followingLatest)
            advanceReadMarker();
    });
    // Our message placed by its stored copy (it had no stream ID while on its way).
    connect(m_timeline, &RoomTimeline::messageChanged, this, [this](int row) { readThroughOwn(row, row); });
    if (m_markers) {
        m_readUpTo = m_markers->marker(m_address);
        connect(m_markers, &ReadMarkers::loaded, this, &ReadPosition::countFromMarker);
        connect(m_markers, &ReadMarkers::markerMoved, this, &ReadPosition::markerMovedElsewhere);
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
        setUnreadDivider(m_readUpTo.isNull() ? m_unreadFrom : m_readUpTo, m_firstUnreadArrival);
    m_firstUnreadArrival = 0;
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
    m_firstUnreadArrival = 0;
    if (m_markers)
        m_markers->advance(m_address, newest);
}

// The user wrote in this conversation: what they had seen when they wrote is read up to their
// message, so that after a restart the "new messages" divider is not above it. Not past a
// message from someone else stored before theirs that they have not seen (their message waited
// in the outbox while offline, or they wrote scrolled up while it arrived below): that stays
// unread.
void ReadPosition::readThroughOwn(int first, int last)
{
    if (m_markers && !m_countedFromMarker)
        return; // not before the server's marker has told what is unread
    StreamId newestOwn;
    for (int row = first; row <= last && row < m_timeline->count(); ++row) {
        const ChatMessage &message = m_timeline->at(row);
        if (message.own && message.isConversation() && newestOwn < message.streamId)
            newestOwn = message.streamId;
    }
    if (newestOwn.isNull() || !(m_readUpTo < newestOwn))
        return;
    for (int row = 0; row < m_timeline->count(); ++row) {
        const ChatMessage &message = m_timeline->at(row);
        if (!message.own && message.isConversation() && m_readUpTo < message.streamId
            && message.streamId < newestOwn)
            return;
    }
    m_readUpTo = newestOwn;
    m_unreadFrom = StreamId();
    if (m_markers)
        m_markers->advance(m_address, newestOwn);
}

void ReadPosition::setUnreadDivider(const StreamId &after, quint64 atArrival)
{
    if (m_dividerAfter == after && m_dividerAtArrival == atArrival)
        return;
    const bool load = m_dividerAfter != after && !after.isNull();
    m_dividerAfter = after;
    m_dividerAtArrival = atArrival;
    Q_EMIT unreadDividerChanged();
    // The first unread message may be older than what is held: load up to it.
    if (load)
        m_sync->loadOlderThrough(after.next());
}

// Another device of ours read this conversation further: what it read is not unread here.
void ReadPosition::markerMovedElsewhere(const QByteArray &channel)
{
    if (channel != m_address.channel() || !m_countedFromMarker)
        return;
    const StreamId marker = m_markers->marker(m_address);
    if (!(m_readUpTo < marker))
        return;
    m_readUpTo = marker;
    if (m_unread == 0 && m_unreadMentions == 0)
        return;
    const std::optional<UnreadCount::Result> held = UnreadCount::countHeld(*m_timeline, marker);
    if (!held)
        return; // read up to somewhere older than what is held: the count stands
    const int unread = qMin(m_unread, held->unread);
    const int mentions = qMin(m_unreadMentions, held->mentions);
    if (unread == m_unread && mentions == m_unreadMentions)
        return;
    m_unread = unread;
    m_unreadMentions = mentions;
    if (m_unread == 0) {
        m_unreadFrom = StreamId();
        m_firstUnreadArrival = 0;
    }
    Q_EMIT unreadCountChanged();
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
    if (m_firstUnreadArrival == 0 && arrived.first().arrival > 0)
        m_firstUnreadArrival = arrived.first().arrival;
    int mentions = 0;
    for (const ChatMessage &message : arrived)
        if (message.mentionsMe)
            ++mentions;
    m_unread += int(arrived.size());
    m_unreadMentions += mentions;
    Q_EMIT unreadCountChanged();
}

} // namespace Redwire
