#include "MessageListModel.h"

#include "FirstUnreadRow.h"
#include "MessageHtml.h"
#include "MessagePresentation.h"
#include "chat/ChatRoom.h"
#include "chat/MessageChanges.h"
#include "chat/RoomTimeline.h"

#include <QDateTime>

#include <utility>

namespace Redwire {

namespace {
MessageListModel::EntryKind kindOf(const ChatMessage &message)
{
    if (message.historyGap)
        return MessageListModel::Gap;
    switch (message.kind) {
    case ChatEnvelope::Kind::Join:
        return MessageListModel::Join;
    case ChatEnvelope::Kind::Leave:
        return MessageListModel::Leave;
    default:
        return MessageListModel::Message;
    }
}

MessageListModel::DeliveryState deliveryOf(ChatMessage::Delivery delivery)
{
    switch (delivery) {
    case ChatMessage::Delivery::Pending:
        return MessageListModel::Pending;
    case ChatMessage::Delivery::Sent:
        return MessageListModel::Sent;
    case ChatMessage::Delivery::Failed:
        return MessageListModel::Failed;
    case ChatMessage::Delivery::Received:
        break;
    }
    return MessageListModel::Received;
}

} // namespace

MessageListModel::MessageListModel(ChatRoom *room, QObject *parent)
    : QAbstractListModel(parent)
    , m_room(room)
{
    if (!room)
        return;
    RoomTimeline *timeline = room->timeline();
    m_rows.reserve(timeline->count());
    for (int row = 0; row < timeline->count(); ++row) {
        m_rows.append(makeRow(timeline->at(row)));
        if (!timeline->at(row).replyTo.isEmpty())
            m_quoted.insert(timeline->at(row).replyTo);
    }

    m_changes = new TimelineChangeQueue(timeline, this);
    connect(m_changes, &TimelineChangeQueue::ready, this, &MessageListModel::flush);
    connect(room, &ChatRoom::historyStateChanged, this, &MessageListModel::historyStateChanged);
    connect(room, &ChatRoom::historyStateChanged, this, [this] {
        flush();
        updateFirstUnreadRow();
    });
    connect(room, &ChatRoom::unreadDividerChanged, this, [this] {
        flush();
        updateFirstUnreadRow();
    });
    connect(room, &ChatRoom::messageRevealed, this, &MessageListModel::messageRevealed);
    updateFirstUnreadRow();
}

int MessageListModel::rowOfStreamId(const StreamId &streamId) const
{
    if (streamId.isNull())
        return -1;
    for (int row = int(m_rows.size()) - 1; row >= 0; --row)
        if (m_rows.at(row).message.streamId == streamId)
            return row;
    return -1;
}

int MessageListModel::rowOfFirstUnread() const
{
    if (!m_firstUnreadId.isNull())
        return rowOfStreamId(m_firstUnreadId);
    if (m_firstUnreadArrival == 0)
        return -1;
    for (int row = int(m_rows.size()) - 1; row >= 0; --row)
        if (m_rows.at(row).message.streamId.isNull()
            && m_rows.at(row).message.arrival == m_firstUnreadArrival)
            return row;
    return -1;
}

// The divider goes above the first unread message (FirstUnreadRow).
void MessageListModel::updateFirstUnreadRow()
{
    FirstUnreadRow divider;
    if (m_room) {
        divider.after = m_room->unreadDividerAfter();
        divider.atArrival = m_room->unreadDividerAtArrival();
        divider.olderPagesToCome = m_room->hasOlderMessages();
    }
    const int found = divider.find(
        int(m_rows.size()), [this](int row) -> const ChatMessage & { return m_rows.at(row).message; });
    const StreamId foundId = found >= 0 ? m_rows.at(found).message.streamId : StreamId();
    const quint64 foundArrival = found >= 0 && foundId.isNull() ? m_rows.at(found).message.arrival : 0;
    if (found == m_firstUnreadRow && foundId == m_firstUnreadId && foundArrival == m_firstUnreadArrival)
        return;
    // Rows move as pages go in above: the old divider row is found again by its ID (or arrival).
    const int previous = rowOfFirstUnread();
    m_firstUnreadRow = found;
    m_firstUnreadId = foundId;
    m_firstUnreadArrival = foundArrival;
    for (const int row : { previous, found })
        if (row >= 0 && row < m_rows.size())
            Q_EMIT dataChanged(index(row), index(row), { FirstUnreadRole });
    Q_EMIT firstUnreadRowChanged();
}

QString MessageListModel::highlightedStreamId() const
{
    return m_highlighted.isNull() ? QString() : QString::fromLatin1(m_highlighted.toByteArray());
}

void MessageListModel::clearHighlight()
{
    if (m_highlighted.isNull())
        return;
    const int row = rowOfStreamId(m_highlighted);
    m_highlighted = StreamId();
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row), { HighlightedRole });
    Q_EMIT highlightedStreamIdChanged();
}

void MessageListModel::jumpTo(const QString &streamId)
{
    const StreamId id = StreamId::parse(streamId.toLatin1());
    if (id.isNull() || !m_room) {
        Q_EMIT jumpFailed(tr("This message cannot be shown."));
        return;
    }
    clearHighlight();
    m_highlighted = id;
    m_jumpTarget = id;
    Q_EMIT highlightedStreamIdChanged();
    m_room->revealMessage(id);
}

void MessageListModel::messageRevealed(const StreamId &streamId, bool found)
{
    if (streamId != m_jumpTarget)
        return;
    m_jumpTarget = StreamId();
    flush();
    const int row = found ? rowOfStreamId(streamId) : -1;
    if (row < 0) {
        Q_EMIT jumpFailed(tr("This message is no longer in the room's history, or too far back to show."));
        return;
    }
    Q_EMIT dataChanged(index(row), index(row), { HighlightedRole });
    Q_EMIT jumpReady(row);
}

int MessageListModel::rowOfStreamId(const QString &streamId) const
{
    return rowOfStreamId(StreamId::parse(streamId.toLatin1()));
}

int MessageListModel::conversationRowsAfter(int row) const
{
    int count = 0;
    for (int r = int(m_rows.size()) - 1; r > row && r >= 0; --r) {
        const ChatMessage &message = m_rows.at(r).message;
        if (message.isConversation() && !message.own)
            ++count;
    }
    return count;
}

MessageListModel::Row MessageListModel::makeRow(const ChatMessage &message)
{
    const QString preview = MessagePresentation::previewOf(message.text);
    return { message, MessageHtml::fromPlainText(message.text),
        preview.isEmpty() ? QString() : MessageHtml::fromPlainText(preview) };
}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    static const QHash<int, QByteArray> names {
        { MessageIdRole, "messageId" },
        { SenderRole, "sender" },
        { HtmlRole, "html" },
        { PlainTextRole, "plainText" },
        { TimestampRole, "timestamp" },
        { KindRole, "kind" },
        { OwnRole, "own" },
        { ExternalRole, "external" },
        { MentionRole, "mention" },
        { DeliveryRole, "delivery" },
        { TruncatedRole, "truncated" },
        { ShowHeaderRole, "showHeader" },
        { ShowDayRole, "showDay" },
        { DayLabelRole, "dayLabel" },
        { LongRole, "longText" },
        { PreviewHtmlRole, "previewHtml" },
        { ExpandedRole, "expanded" },
        { SenderSuspiciousRole, "senderSuspicious" },
        { ReplyToRole, "replyTo" },
        { QuoteSenderRole, "quoteSender" },
        { QuoteTextRole, "quoteText" },
        { EditedRole, "edited" },
        { DeletedRole, "deleted" },
        { ReactionsRole, "reactions" },
        { CanChangeRole, "canChange" },
        { CanReactRole, "canReact" },
        { StreamIdRole, "streamId" },
        { FirstUnreadRole, "firstUnread" },
        { HighlightedRole, "highlighted" },
        { SenderTrustRole, "senderTrust" },
    };
    return names;
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const ChatMessage &m = row.message;
    switch (role) {
    case MessageIdRole:
        return m.id;
    case SenderRole:
    case Qt::DisplayRole:
        return m.sender;
    case HtmlRole:
        return row.html;
    case LongRole:
        return !row.previewHtml.isEmpty();
    case ExpandedRole:
        return row.expanded;
    case SenderSuspiciousRole:
        return m.senderSuspicious;
    case StreamIdRole:
        return m.streamId.isNull() ? QString() : QString::fromLatin1(m.streamId.toByteArray());
    case FirstUnreadRole:
        return (!m_firstUnreadId.isNull() && m.streamId == m_firstUnreadId)
            || (m_firstUnreadArrival != 0 && m.streamId.isNull() && m.arrival == m_firstUnreadArrival);
    case HighlightedRole:
        return !m_highlighted.isNull() && m.streamId == m_highlighted;
    case PreviewHtmlRole:
        return row.previewHtml.isEmpty() ? row.html : row.previewHtml;
    case PlainTextRole:
        return m.text;
    case TimestampRole:
        return QDateTime::fromMSecsSinceEpoch(m.timestampMs);
    case KindRole:
        return int(kindOf(m));
    case OwnRole:
        return m.own;
    case ExternalRole:
        return m.external;
    case MentionRole:
        // Not highlighted before the sender is known not to be forged.
        return m.mentionsMe && MessagePresentation::shownTrust(m) != SenderTrust::Pending;
    case DeliveryRole:
        return int(deliveryOf(m.delivery));
    case TruncatedRole:
        return m.truncated;
    case ShowHeaderRole:
        return showHeader(index.row());
    case ShowDayRole:
        return showDay(index.row());
    case ReplyToRole:
        return m.replyTo;
    case QuoteSenderRole:
    case QuoteTextRole: {
        const int quoted = m.replyTo.isEmpty() ? -1 : rowOfId(m.replyTo);
        if (quoted < 0)
            return QString();
        const ChatMessage &original = m_rows.at(quoted).message;
        return role == QuoteSenderRole ? original.sender : MessagePresentation::quoteOf(original);
    }
    case EditedRole:
        return m.edited;
    case DeletedRole:
        return m.deleted;
    case ReactionsRole:
        return MessagePresentation::reactionsOf(m);
    case CanChangeRole:
        return m_room && m_room->canChange(m);
    case CanReactRole:
        return MessageChanges::isChangeable(m) && !m.deleted;
    case SenderTrustRole: {
        const SenderTrust trust = MessagePresentation::shownTrust(m);
        // A delegate asks for it when the row comes into view: its sender is checked then.
        if (!m.trustAssessed && trust == SenderTrust::Pending && m_room)
            m_room->senderShown(m.id);
        return int(trust);
    }
    case DayLabelRole:
        return MessagePresentation::dayLabel(m.timestampMs);
    default:
        return {};
    }
}

bool MessageListModel::showDay(int row) const
{
    return row == 0 || MessagePresentation::startsDay(m_rows.at(row - 1).message, m_rows.at(row).message);
}

bool MessageListModel::showHeader(int row) const
{
    return showDay(row) || MessagePresentation::startsRun(m_rows.at(row - 1).message, m_rows.at(row).message);
}

int MessageListModel::rowOfId(const QString &messageId) const
{
    if (messageId.isEmpty())
        return -1;
    for (int row = int(m_rows.size()) - 1; row >= 0; --row)
        if (m_rows.at(row).message.id == messageId)
            return row;
    return -1;
}

// The quotes of the replies to `messageId` show what it says now (edited, deleted, loaded).
void MessageListModel::quotedMessageChanged(const QString &messageId)
{
    if (messageId.isEmpty() || !m_quoted.contains(messageId))
        return;
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).message.replyTo == messageId)
            Q_EMIT dataChanged(index(row), index(row), { QuoteSenderRole, QuoteTextRole });
}

void MessageListModel::setExpanded(int row, bool expanded)
{
    if (row < 0 || row >= m_rows.size() || m_rows.at(row).expanded == expanded)
        return;
    m_rows[row].expanded = expanded;
    Q_EMIT dataChanged(index(row), index(row), { ExpandedRole });
}

bool MessageListModel::canLoadOlder() const
{
    return m_room && m_room->hasOlderMessages();
}

bool MessageListModel::isLoadingOlder() const
{
    return m_room && m_room->isLoadingOlderMessages();
}

void MessageListModel::flush()
{
    if (!m_changes)
        return;
    std::vector<TimelineChange> changes = m_changes->take();
    for (TimelineChange &change : changes)
        apply(change);
    if (!changes.empty())
        updateFirstUnreadRow();
}

void MessageListModel::neighbourChanged(int row)
{
    if (row >= 0 && row < m_rows.size()) {
        const QModelIndex at = index(row);
        Q_EMIT dataChanged(at, at, { ShowHeaderRole, ShowDayRole, DayLabelRole });
    }
}

void MessageListModel::apply(TimelineChange &change)
{
    ++m_batches;
    switch (change.type) {
    case TimelineChange::Type::Insert:
        beginInsertRows({}, change.first, change.last);
        for (int i = 0; i < change.messages.size(); ++i) {
            m_rows.insert(change.first + i, makeRow(change.messages.at(i)));
            if (!change.messages.at(i).replyTo.isEmpty())
                m_quoted.insert(change.messages.at(i).replyTo);
        }
        endInsertRows();
        neighbourChanged(change.last + 1);
        // An older page may bring what replies below answer.
        if (!m_quoted.isEmpty())
            for (const ChatMessage &message : std::as_const(change.messages))
                quotedMessageChanged(message.id);
        break;
    case TimelineChange::Type::Remove:
        beginRemoveRows({}, change.first, change.last);
        m_rows.remove(change.first, change.last - change.first + 1);
        endRemoveRows();
        neighbourChanged(change.first);
        break;
    case TimelineChange::Type::Move: {
        const int from = change.first;
        const int to = change.last;
        if (from == to)
            break;
        beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
        m_rows.move(from, to);
        endMoveRows();
        neighbourChanged(from);
        neighbourChanged(from + 1);
        neighbourChanged(to);
        neighbourChanged(to + 1);
        break;
    }
    case TimelineChange::Type::Update: {
        const bool expanded = m_rows.at(change.first).expanded;
        m_rows[change.first] = makeRow(change.messages.first());
        m_rows[change.first].expanded = expanded;
        Q_EMIT dataChanged(index(change.first), index(change.first));
        neighbourChanged(change.first + 1);
        quotedMessageChanged(change.messages.first().id);
        break;
    }
    }
}

} // namespace Redwire
