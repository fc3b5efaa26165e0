#include "MonitorSelection.h"

#include "monitor/ChannelMonitor.h"
#include "monitor/JsonLinesMessageFormatter.h"
#include "monitor/KeyspaceNotification.h"
#include "monitor/MonitorMessageModel.h"
#include "monitor/PayloadPresentation.h"
#include "monitor/Utf8Validator.h"

#include <QClipboard>
#include <QDateTime>
#include <QGuiApplication>

namespace Redwire {

void MonitorSelection::select(const MonitorMessageModel *messages, int row)
{
    const MonitoredMessage *entry = messages->messageAt(row);
    if (!entry) {
        clear();
        return;
    }
    const QModelIndex index = messages->index(row);
    m_position = messages->positionAt(row);
    m_detail = messages->payloadDetail(row);
    m_kind = messages->payloadKind(row);
    m_message = *entry;
    m_channel = messages->data(index, MonitorMessageModel::ChannelRole).toString();
    m_via = messages->data(index, MonitorMessageModel::SubscriptionsRole).toString();
    m_time = QDateTime::fromMSecsSinceEpoch(entry->timestampMs)
                 .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    m_raw = entry->isGap() ? m_detail : PayloadPresentation::raw(entry->payload);
    const QString time
        = QDateTime::fromMSecsSinceEpoch(entry->timestampMs).toString(QStringLiteral("HH:mm:ss.zzz"));
    if (entry->isGap()) {
        m_title = tr("Gap in the subscription, back at %1").arg(time);
    } else if (const auto notification = KeyspaceNotification::mayBe(entry->channel)
            ? KeyspaceNotification::parse(entry->channel, entry->payload)
            : std::nullopt) {
        // One arg() call: a key that holds "%3" stays as it is.
        m_title = tr("Key %1 in db %2: %3 at %4")
                      .arg(messages->data(index, MonitorMessageModel::KeyspaceKeyRole).toString(),
                          QString::number(notification->db),
                          messages->data(index, MonitorMessageModel::KeyspaceEventRole).toString(), time);
    } else {
        m_title = tr("%1 at %2, %n byte(s), via %3", "", int(entry->payload.size()))
                      .arg(m_channel, time, m_via.isEmpty() ? tr("a subscription since dropped") : m_via);
    }
    Q_EMIT changed();
}

void MonitorSelection::clear()
{
    if (m_position < 0 && m_detail.isEmpty())
        return;
    m_position = -1;
    m_title.clear();
    m_detail.clear();
    m_kind.clear();
    m_channel.clear();
    m_via.clear();
    m_time.clear();
    m_raw.clear();
    m_message = {};
    Q_EMIT changed();
}

QString MonitorSelection::copyPayload() const
{
    if (m_position < 0 || m_message.isGap())
        return {};
    const QByteArray &payload = m_message.payload;
    const bool text = Utf8Validator::isValid(payload);
    QGuiApplication::clipboard()->setText(
        text ? QString::fromUtf8(payload) : QString::fromLatin1(payload.toHex()));
    return text ? tr("Payload copied.") : tr("Payload copied as hex digits (it is not text).");
}

QString MonitorSelection::copyAsJson() const
{
    if (m_position < 0)
        return {};
    JsonLinesMessageFormatter formatter;
    QByteArray line;
    if (m_message.isGap())
        formatter.appendGap(*m_message.gap, line);
    else
        formatter.append(m_message, line);
    line.chop(1); // the newline
    QGuiApplication::clipboard()->setText(QString::fromUtf8(line));
    return tr("Message copied as JSON.");
}

} // namespace Redwire
