#pragma once

#include "MessageFilter.h"
#include "TimestampFormatter.h"

#include <QAbstractListModel>
#include <QPointer>

#include <deque>

namespace Redwire {

class ChannelMonitor;
class ChannelPalette;
struct MonitoredMessage;

// The live message table: one row per message in the monitor's ring buffer that passes the view's
// filter, oldest first, and one per break in the subscription (GapRole true: time is when it was
// back, preview the reason; gaps pass every filter). The filter only chooses what is shown: the
// buffer keeps everything subscribed, and clearing the filter shows it all again. It follows the
// buffer when the monitor announces a change (at most once per frame): new messages arrive as
// one beginInsertRows at the end, messages the buffer dropped leave as one beginRemoveRows at the
// front. A new filter is the one reset.
class MonitorMessageModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // Entries in the buffer, shown or not.
    Q_PROPERTY(int totalCount READ totalCount NOTIFY countChanged)
    Q_PROPERTY(bool filtered READ isFiltered NOTIFY countChanged)
public:
    enum Roles {
        SequenceRole = Qt::UserRole + 1, // quint64: 1, 2, 3 ... as the monitor accepted them
        TimestampRole, // qint64: milliseconds since the epoch
        TimeRole, // QString: local time with milliseconds, "14:34:56.789"
        ChannelRole, // QString: the channel, control characters escaped
        PatternRole, // QString: the pattern that matched, empty for a channel subscription
        SizeRole, // int: payload bytes
        PreviewRole, // QString: one line of payload, escaped and cut
        BinaryRole, // bool: the payload is not valid UTF-8
        ColorRole, // QString: "#rrggbb" of the channel
        GapRole, // bool: the row marks a break in the subscription, not a message
        GapSinceRole, // QString: local time the break began (the last moment known subscribed)
        PositionRole, // double: the entry's buffer position, its identity while it is held
        SubscriptionsRole, // QString: every subscription of ours that delivered it, "a, b*"; "sharded: a"
        // A keyspace notification's parts (KeyspaceNotification); -1 and empty for other rows.
        KeyspaceDbRole, // int
        KeyspaceKeyRole, // QString: the key, control characters and invalid UTF-8 escaped
        KeyspaceEventRole, // QString: "set", "del", "expired" ...
    };
    Q_ENUM(Roles)

    explicit MonitorMessageModel(QObject *parent = nullptr);

    void setMonitor(ChannelMonitor *monitor);
    ChannelMonitor *monitor() const { return m_monitor; }
    // Shared with the statistics table so that a channel has one colour; optional.
    void setPalette(ChannelPalette *palette);

    int count() const { return int(m_rows.size()); }
    int totalCount() const;
    bool isFiltered() const { return !m_filter.isEmpty(); }
    void setFilter(const MessageFilter &filter);
    const MessageFilter &filter() const { return m_filter; }
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // nullptr when the row is out of range or its message has just been dropped.
    const MonitoredMessage *messageAt(int row) const;
    // The buffer position a row shows (its identity), and back; -1 when there is none.
    qint64 positionAt(int row) const;
    Q_INVOKABLE int rowOfPosition(qint64 position) const;
    // The selected message in full: JSON pretty-printed, text as is, binary as a hex dump; for a
    // gap, when it began and ended and why.
    Q_INVOKABLE QString payloadDetail(int row) const;
    // "json", "text", "binary", "empty", or "gap" for a break in the subscription.
    Q_INVOKABLE QString payloadKind(int row) const;

public Q_SLOTS:
    // Brings the rows in line with the buffer now.
    void sync();

Q_SIGNALS:
    void countChanged();

private:
    QPointer<ChannelMonitor> m_monitor;
    QPointer<ChannelPalette> m_palette;
    bool passes(const MonitoredMessage &entry) const;
    void announceCount();

    MessageFilter m_filter;
    // The buffer positions the rows show, ascending; and the first position not yet looked at.
    std::deque<quint64> m_rows;
    quint64 m_scanned = 0;
    // What countChanged last announced (count, totalCount).
    int m_announcedCount = 0;
    int m_announcedTotal = 0;
    mutable TimestampFormatter m_time { TimestampFormatter::Style::LocalTimeOfDay };
};

} // namespace Redwire
