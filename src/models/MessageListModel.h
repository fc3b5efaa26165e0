#pragma once

#include "chat/ChatMessage.h"

#include "TimelineChangeQueue.h"
#include "chat/ChatRoom.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QSet>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace Redwire {

// The rows of one room's timeline for the message view. The timeline's changes are queued and
// applied to the model's own copy at most once per frame, adjacent inserts (and removes) merged,
// so that a flood of messages becomes one beginInsertRows per frame, never a reset.
class MessageListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created by ChatController for each room")
    Q_PROPERTY(bool canLoadOlder READ canLoadOlder NOTIFY historyStateChanged)
    Q_PROPERTY(bool loadingOlder READ isLoadingOlder NOTIFY historyStateChanged)
    // The row the "new messages" divider is above, or -1.
    Q_PROPERTY(int firstUnreadRow READ firstUnreadRow NOTIFY firstUnreadRowChanged)
    // The message a jump (search result) went to, highlighted; empty for none.
    Q_PROPERTY(QString highlightedStreamId READ highlightedStreamId NOTIFY highlightedStreamIdChanged)
public:
    // Documented roles, from Qt::UserRole + 1.
    enum Role {
        MessageIdRole = Qt::UserRole + 1, // "messageId": the envelope ID (empty for external messages)
        SenderRole, // "sender": nickname, sanitised
        HtmlRole, // "html": the text escaped, with http(s) links; the only markup shown
        PlainTextRole, // "plainText"
        TimestampRole, // "timestamp": QDateTime
        KindRole, // "kind": an EntryKind
        OwnRole, // "own"
        ExternalRole, // "external": not our format (e.g. redis-cli PUBLISH)
        MentionRole, // "mention": someone else's message naming us
        DeliveryRole, // "delivery": a DeliveryState
        TruncatedRole, // "truncated": cut at the size limit
        ShowHeaderRole, // "showHeader": first of a run by the same sender
        ShowDayRole, // "showDay": first message of a day
        DayLabelRole, // "dayLabel"
        LongRole, // "longText": too long to show whole at first (see previewHtml)
        PreviewHtmlRole, // "previewHtml": the start of a long message (as html), else the html
        ExpandedRole, // "expanded": the user asked to see all of a long message
        SenderSuspiciousRole, // "senderSuspicious": the name has hidden or look-alike characters
        ReplyToRole, // "replyTo": the ID of the message this one answers, or empty
        QuoteSenderRole, // "quoteSender": who wrote the message answered; empty when not loaded
        QuoteTextRole, // "quoteText": the start of the message answered, one line, plain
        EditedRole, // "edited": the text is its author's edit
        DeletedRole, // "deleted": its author deleted it
        ReactionsRole, // "reactions": list of { reaction, count, mine }
        CanChangeRole, // "canChange": ours, so we may edit or delete it
        CanReactRole, // "canReact": a message that takes replies and reactions
        StreamIdRole, // "streamId": "ms-seq", empty for messages never stored
        FirstUnreadRole, // "firstUnread": the "new messages" divider goes above this row
        HighlightedRole, // "highlighted": the message a jump went to
        SenderTrustRole, // "senderTrust": SenderTrust (Unsigned, Pending, Verified, NewKey, KeyChanged,
                         // Forged)
    };
    Q_ENUM(Role)

    // What a row is (QML: MessageListModel.Message ...).
    enum EntryKind {
        Message,
        Join,
        Leave,
        Gap, // history lost before it could be read
    };
    Q_ENUM(EntryKind)
    // Where one of our messages is (received: someone else's, or ours read back).
    enum DeliveryState { Received, Pending, Sent, Failed };
    Q_ENUM(DeliveryState)

    explicit MessageListModel(ChatRoom *room, QObject *parent = nullptr);

    ChatRoom *room() const { return m_room; }
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool canLoadOlder() const;
    bool isLoadingOlder() const;
    const ChatMessage &messageAt(int row) const { return m_rows.at(row).message; }

    // The row of the message with envelope ID `messageId`, or -1 when it is not loaded.
    Q_INVOKABLE int rowOfId(const QString &messageId) const;

    // Shows all of a long message, or only its start again.
    Q_INVOKABLE void setExpanded(int row, bool expanded);

    int firstUnreadRow() const { return m_firstUnreadRow; }
    QString highlightedStreamId() const;
    // Goes to a stored message ("ms-seq"): loads the history up to it when needed, highlights
    // it, then jumpReady(row) or jumpFailed(reason).
    Q_INVOKABLE void jumpTo(const QString &streamId);
    Q_INVOKABLE void clearHighlight();
    // Rows (messages others wrote) after `row`: what "jump to latest" counts.
    Q_INVOKABLE int conversationRowsAfter(int row) const;
    // The row of a stored message ("ms-seq"), or -1.
    Q_INVOKABLE int rowOfStreamId(const QString &streamId) const;

    // Applies the queued changes now (otherwise the frame timer does).
    void flush();
    // How many begin/end batches have been applied: tests check the batching.
    int batchesApplied() const { return m_batches; }

Q_SIGNALS:
    void historyStateChanged();
    void firstUnreadRowChanged();
    void highlightedStreamIdChanged();
    void jumpReady(int row);
    void jumpFailed(const QString &reason);

private:
    struct Row
    {
        ChatMessage message;
        QString html;
        QString previewHtml; // only for long messages
        bool expanded = false; // kept here: delegates come and go as the view scrolls
    };
    void apply(TimelineChange &change);
    void neighbourChanged(int row);
    bool showHeader(int row) const;
    bool showDay(int row) const;
    void quotedMessageChanged(const QString &messageId);
    static Row makeRow(const ChatMessage &message);
    void updateFirstUnreadRow();
    void messageRevealed(const StreamId &streamId, bool found);
    int rowOfStreamId(const StreamId &streamId) const;

    QPointer<ChatRoom> m_room;
    TimelineChangeQueue *m_changes = nullptr;
    QList<Row> m_rows;
    QSet<QString> m_quoted; // IDs that replies (held now or earlier) answer
    int m_batches = 0;
    int m_firstUnreadRow = -1;
    StreamId m_firstUnreadId;
    StreamId m_highlighted;
    StreamId m_jumpTarget;
};

} // namespace Redwire
