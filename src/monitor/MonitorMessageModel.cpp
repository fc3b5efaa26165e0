#include "MonitorMessageModel.h"

#include "ChannelMonitor.h"
#include "ChannelPalette.h"
#include "KeyspaceNotification.h"
#include "PayloadPresentation.h"
#include "SubscriptionGap.h"
#include "TextMessageFormatter.h"
#include "Utf8Validator.h"

#include <QCoreApplication>
#include <QDateTime>

#include <algorithm>
#include <vector>

namespace Redwire {

namespace {
QVariant gapData(const MonitoredMessage &entry, int role, TimestampFormatter &time)
{
    const SubscriptionGap &gap = *entry.gap;
    switch (role) {
    case MonitorMessageModel::SequenceRole:
        return QVariant::fromValue(quint64(0));
    case MonitorMessageModel::TimestampRole:
        return QVariant::fromValue(gap.timeMs);
    case MonitorMessageModel::TimeRole:
        return QString::fromLatin1(time.format(gap.timeMs));
    case MonitorMessageModel::ChannelRole:
    case MonitorMessageModel::PatternRole:
    case MonitorMessageModel::ColorRole:
        return QString();
    case MonitorMessageModel::SizeRole:
        return 0;
    case Qt::DisplayRole:
    case MonitorMessageModel::PreviewRole:
        return gap.reason;
    case MonitorMessageModel::BinaryRole:
        return false;
    case MonitorMessageModel::GapRole:
        return true;
    case MonitorMessageModel::GapSinceRole:
        return QString::fromLatin1(time.format(gap.sinceMs));
    case MonitorMessageModel::KeyspaceDbRole:
        return -1;
    case MonitorMessageModel::KeyspaceKeyRole:
    case MonitorMessageModel::KeyspaceEventRole:
        return QString();
    default:
        return {};
    }
}

QString gapDetail(const SubscriptionGap &gap)
{
    auto iso
        = [](qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs); };
    return (gap.resumed ? MonitorMessageModel::tr(
                "The subscription was interrupted: messages published between %1 and %2 may be "
                "missing.")
                        : MonitorMessageModel::tr(
                            "The subscription was interrupted at %1 and not back when the monitor stopped "
                            "(%2): messages published since may be missing."))
               .arg(iso(gap.sinceMs), iso(gap.timeMs))
        + QLatin1Char('\n') + MonitorMessageModel::tr("Reason: %1").arg(gap.reason) + QLatin1Char('\n')
        + MonitorMessageModel::tr("Cause: %1")
              .arg(QString::fromLatin1(SubscriptionGap::causeName(gap.cause)));
}
} // namespace

MonitorMessageModel::MonitorMessageModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void MonitorMessageModel::setMonitor(ChannelMonitor *monitor)
{
    if (monitor == m_monitor)
        return;
    if (m_monitor)
        disconnect(m_monitor, nullptr, this, nullptr);
    if (!m_rows.empty()) {
        beginRemoveRows(QModelIndex(), 0, count() - 1);
        m_rows.clear();
        endRemoveRows();
    }
    m_monitor = monitor;
    if (monitor) {
        // Start in step with a buffer that already holds messages: they are inserted by sync().
        m_scanned = monitor->buffer().firstPosition();
        connect(monitor, &ChannelMonitor::bufferChanged, this, &MonitorMessageModel::sync);
        connect(monitor, &QObject::destroyed, this, [this] {
            if (!m_rows.empty()) {
                beginRemoveRows(QModelIndex(), 0, count() - 1);
                m_rows.clear();
                endRemoveRows();
            }
            announceCount();
        });
        sync();
    }
    announceCount();
}

int MonitorMessageModel::totalCount() const
{
    return m_monitor ? int(m_monitor->buffer().size()) : 0;
}

bool MonitorMessageModel::passes(const MonitoredMessage &entry) const
{
    return entry.isGap() || m_filter.isEmpty() || m_filter.accepts(entry.channel, entry.payload);
}

void MonitorMessageModel::setFilter(const MessageFilter &filter)
{
    m_filter = filter;
    beginResetModel();
    m_rows.clear();
    if (m_monitor) {
        const MessageRingBuffer &buffer = m_monitor->buffer();
        for (quint64 position = buffer.firstPosition(); position < buffer.endPosition(); ++position)
            if (passes(*buffer.atPosition(position)))
                m_rows.push_back(position);
        m_scanned = buffer.endPosition();
    }
    endResetModel();
    announceCount();
}

void MonitorMessageModel::setPalette(ChannelPalette *palette)
{
    if (m_palette)
        disconnect(m_palette, nullptr, this, nullptr);
    m_palette = palette;
    if (palette)
        connect(palette, &ChannelPalette::colorsChanged, this, [this] {
            if (count() > 0)
                Q_EMIT dataChanged(index(0), index(count() - 1), { ColorRole });
        });
}

void MonitorMessageModel::sync()
{
    if (!m_monitor)
        return;
    const MessageRingBuffer &buffer = m_monitor->buffer();
    const quint64 bufferFirst = buffer.firstPosition();
    const quint64 bufferEnd = buffer.endPosition();

    // Rows whose entries the buffer no longer holds leave from the front, in one step.
    const auto firstHeld = std::lower_bound(m_rows.begin(), m_rows.end(), bufferFirst);
    if (firstHeld != m_rows.begin()) {
        beginRemoveRows(QModelIndex(), 0, int(firstHeld - m_rows.begin()) - 1);
        m_rows.erase(m_rows.begin(), firstHeld);
        endRemoveRows();
    }
    // Entries that came and went between two syncs are skipped.
    m_scanned = std::max(m_scanned, bufferFirst);
    if (bufferEnd > m_scanned) {
        std::vector<quint64> added;
        for (quint64 position = m_scanned; position < bufferEnd; ++position)
            if (passes(*buffer.atPosition(position)))
                added.push_back(position);
        m_scanned = bufferEnd;
        if (!added.empty()) {
            beginInsertRows(QModelIndex(), count(), count() + int(added.size()) - 1);
            m_rows.insert(m_rows.end(), added.begin(), added.end());
            endInsertRows();
        }
    }
    // The total changes with every message, shown or not; once the buffer is full, neither it
    // nor the count does (as many rows leave as arrive), and the view is not told otherwise.
    if (count() != m_announcedCount || totalCount() != m_announcedTotal)
        announceCount();
}

void MonitorMessageModel::announceCount()
{
    m_announcedCount = count();
    m_announcedTotal = totalCount();
    Q_EMIT countChanged();
}

int MonitorMessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

const MonitoredMessage *MonitorMessageModel::messageAt(int row) const
{
    if (!m_monitor || row < 0 || row >= count())
        return nullptr;
    return m_monitor->buffer().atPosition(m_rows[size_t(row)]);
}

qint64 MonitorMessageModel::positionAt(int row) const
{
    return row >= 0 && row < count() ? qint64(m_rows[size_t(row)]) : -1;
}

int MonitorMessageModel::rowOfPosition(qint64 position) const
{
    if (position < 0)
        return -1;
    const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), quint64(position));
    return it != m_rows.end() && *it == quint64(position) ? int(it - m_rows.begin()) : -1;
}

QVariant MonitorMessageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MonitoredMessage *message = messageAt(index.row());
    if (!message)
        return {};
    if (message->isGap())
        return role == PositionRole ? QVariant(double(positionAt(index.row())))
                                    : gapData(*message, role, m_time);
    switch (role) {
    case SequenceRole:
        return QVariant::fromValue(message->sequence);
    case TimestampRole:
        return QVariant::fromValue(message->timestampMs);
    case TimeRole:
        return QString::fromLatin1(m_time.format(message->timestampMs));
    case Qt::DisplayRole:
    case ChannelRole:
        return QString::fromUtf8(TextMessageFormatter::terminalSafe(message->channel));
    case PatternRole:
        return QString::fromUtf8(TextMessageFormatter::terminalSafe(message->pattern));
    case SizeRole:
        return int(message->payload.size());
    case PreviewRole:
        return PayloadPresentation::preview(message->payload);
    case BinaryRole:
        return !Utf8Validator::isValid(message->payload);
    case ColorRole:
        return m_palette ? m_palette->colorFor(message->channel)
                         : ChannelPalette::defaultColor(message->channel);
    case GapRole:
        return false;
    case GapSinceRole:
        return QString();
    case PositionRole:
        return double(positionAt(index.row()));
    case SubscriptionsRole: {
        // An SPUBLISH reaches its shard channel's subscription only. The mark goes first: the
        // column is narrow and cuts the end.
        if (message->sharded)
            return tr("sharded: %1")
                .arg(QString::fromUtf8(TextMessageFormatter::terminalSafe(message->channel)));
        QStringList names;
        if (m_monitor)
            for (const QByteArray &name : m_monitor->subscriptionsMatching(message->channel))
                names << QString::fromUtf8(TextMessageFormatter::terminalSafe(name));
        return names.join(QLatin1String(", "));
    }
    case KeyspaceDbRole:
    case KeyspaceKeyRole:
    case KeyspaceEventRole: {
        const auto notification = KeyspaceNotification::mayBe(message->channel)
            ? KeyspaceNotification::parse(message->channel, message->payload)
            : std::nullopt;
        if (role == KeyspaceDbRole)
            return notification ? notification->db : -1;
        if (!notification)
            return QString();
        return QString::fromUtf8(TextMessageFormatter::terminalSafe(
            role == KeyspaceKeyRole ? notification->key : notification->event));
    }
    default:
        return {};
    }
}

QHash<int, QByteArray> MonitorMessageModel::roleNames() const
{
    static const QHash<int, QByteArray> names {
        { SequenceRole, "sequence" },
        { TimestampRole, "timestamp" },
        { TimeRole, "time" },
        { ChannelRole, "channel" },
        { PatternRole, "pattern" },
        { SizeRole, "size" },
        { PreviewRole, "preview" },
        { BinaryRole, "binary" },
        { ColorRole, "channelColor" },
        { GapRole, "gap" },
        { GapSinceRole, "gapSince" },
        { PositionRole, "position" },
        { SubscriptionsRole, "subscriptions" },
        { KeyspaceDbRole, "keyspaceDb" },
        { KeyspaceKeyRole, "keyspaceKey" },
        { KeyspaceEventRole, "keyspaceEvent" },
    };
    return names;
}

QString MonitorMessageModel::payloadDetail(int row) const
{
    const MonitoredMessage *message = messageAt(row);
    if (message && message->isGap())
        return gapDetail(*message->gap);
    return message ? PayloadPresentation::detail(message->payload) : QString();
}

QString MonitorMessageModel::payloadKind(int row) const
{
    const MonitoredMessage *message = messageAt(row);
    if (!message)
        return {};
    if (message->isGap())
        return QStringLiteral("gap");
    return PayloadPresentation::kindName(PayloadPresentation::kindOf(message->payload));
}

} // namespace Redwire
