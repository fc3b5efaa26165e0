#include "MonitorMessageModel.h"

#include "ChannelMonitor.h"
#include "ChannelPalette.h"
#include "PayloadPresentation.h"
#include "TextMessageFormatter.h"
#include "Utf8Validator.h"

namespace Redwire {

MonitorMessageModel::MonitorMessageModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void MonitorMessageModel::setMonitor(ChannelMonitor *monitor)
{
    if (monitor == m_monitor)
        return;
    if (m_monitor)
        disconnect(m_monitor, nullptr, this, nullptr);
    if (m_end > m_first) {
        beginRemoveRows(QModelIndex(), 0, count() - 1);
        m_first = m_end = 0;
        endRemoveRows();
    }
    m_monitor = monitor;
    if (monitor) {
        // Start in step with a buffer that already holds messages: they are inserted by sync().
        m_first = m_end = monitor->buffer().firstPosition();
        connect(monitor, &ChannelMonitor::bufferChanged, this, &MonitorMessageModel::sync);
        connect(monitor, &QObject::destroyed, this, [this] {
            if (m_end > m_first) {
                beginRemoveRows(QModelIndex(), 0, count() - 1);
                m_first = m_end;
                endRemoveRows();
                Q_EMIT countChanged();
            }
        });
        sync();
    }
    Q_EMIT countChanged();
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
    const int before = count();

    // Rows whose messages the buffer no longer holds leave from the front, in one step.
    if (bufferFirst > m_first && m_end > m_first) {
        const quint64 removeEnd = qMin(bufferFirst, m_end);
        beginRemoveRows(QModelIndex(), 0, int(removeEnd - m_first) - 1);
        m_first = removeEnd;
        endRemoveRows();
    }
    // Everything shown is gone: skip messages that came and went between two syncs.
    if (m_first == m_end && bufferFirst > m_end)
        m_first = m_end = bufferFirst;
    if (bufferEnd > m_end) {
        beginInsertRows(QModelIndex(), count(), count() + int(bufferEnd - m_end) - 1);
        m_end = bufferEnd;
        endInsertRows();
    }
    if (count() != before)
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
    return m_monitor->buffer().atPosition(m_first + quint64(row));
}

QVariant MonitorMessageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MonitoredMessage *message = messageAt(index.row());
    if (!message)
        return {};
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
    };
    return names;
}

QString MonitorMessageModel::payloadDetail(int row) const
{
    const MonitoredMessage *message = messageAt(row);
    return message ? PayloadPresentation::detail(message->payload) : QString();
}

QString MonitorMessageModel::payloadKind(int row) const
{
    const MonitoredMessage *message = messageAt(row);
    if (!message)
        return {};
    switch (PayloadPresentation::kindOf(message->payload)) {
    case PayloadPresentation::Kind::Empty:
        return QStringLiteral("empty");
    case PayloadPresentation::Kind::Json:
        return QStringLiteral("json");
    case PayloadPresentation::Kind::Text:
        return QStringLiteral("text");
    case PayloadPresentation::Kind::Binary:
        return QStringLiteral("binary");
    }
    return {};
}

} // namespace Redwire
