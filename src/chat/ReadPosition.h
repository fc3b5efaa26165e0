#pragma once

#include "ChatConfig.h"
#include "ChatMessage.h"
#include "RoomAddress.h"
#include "StreamId.h"

#include <QList>
#include <QObject>

namespace Redwire {

class CommandConnection;
class ReadMarkers;
class RoomTimeline;
class TimelineSync;

// Where the user is in one room: the unread counts, the read marker (shared by devices through
// ReadMarkers, when given), and where the "new messages" divider goes. While the room is in
// view nothing counts as unread; while the user also follows the newest messages the marker
// follows what arrives.
class ReadPosition : public QObject
{
    Q_OBJECT
public:
    // `markers` may be null: the position then lasts for this run only.
    ReadPosition(RoomTimeline *timeline, TimelineSync *sync, CommandConnection *commands,
        ReadMarkers *markers, const RoomAddress &address, const QString &nickname, const ChatConfig &config,
        QObject *parent = nullptr);

    int unreadCount() const { return m_unread; }
    int unreadMentionCount() const { return m_unreadMentions; }
    bool isInView() const { return m_inView; }
    void setInView(bool inView);
    void markRead();
    void setFollowingLatest(bool following);
    bool isFollowingLatest() const { return m_followingLatest; }
    StreamId readMarker() const { return m_readUpTo; }
    StreamId unreadDividerAfter() const { return m_dividerAfter; }
    // Messages without a stream ID place the divider by arrival (ChatRoom::unreadDividerAtArrival).
    quint64 unreadDividerAtArrival() const { return m_dividerAtArrival; }
    void clearUnreadDivider();
    // New messages from others (already judged worth counting) arrived.
    void count(const QList<ChatMessage> &arrived);

Q_SIGNALS:
    void unreadCountChanged();
    void unreadDividerChanged();

private:
    void advanceReadMarker();
    void readThroughOwn(int first, int last);
    void countFromMarker();
    void setUnreadDivider(const StreamId &after, quint64 atArrival = 0);
    void markerMovedElsewhere(const QByteArray &channel);

    RoomTimeline *m_timeline;
    TimelineSync *m_sync;
    CommandConnection *m_commands;
    ReadMarkers *m_markers;
    const RoomAddress m_address;
    const QString m_nickname;
    const ChatConfig m_config;
    int m_unread = 0;
    int m_unreadMentions = 0;
    bool m_inView = false;
    bool m_followingLatest = false;
    bool m_countedFromMarker = false;
    StreamId m_readUpTo;
    StreamId m_unreadFrom; // before the first message counted unread, when no marker says more
    StreamId m_dividerAfter;
    quint64 m_dividerAtArrival = 0;
    quint64 m_firstUnreadArrival = 0; // of the first message counted unread; 0: none
};

} // namespace Redwire
