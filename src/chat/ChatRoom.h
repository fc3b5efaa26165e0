#pragma once

#include "ChatConfig.h"
#include "ChatError.h"
#include "ChatMessage.h"
#include "Ed25519Key.h"
#include "Outbox.h"
#include "RoomAddress.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>

namespace Redwire {

class MessageChangeApplier;
class MessageChanges;
class MessageSender;
class PresenceTracker;
class ReadMarkers;
class ReadPosition;
class SenderAssessment;
class SenderVerifier;
class RedisClient;
class RedisSubscription;
class RoomTimeline;
class TimelineSync;
class TypingIndicator;

// One joined room or direct conversation: its timeline (the rows a message list shows), its
// members and who is typing, unread counts, and sending. Created and owned by ChatSession.
class ChatRoom : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString name READ name CONSTANT)
    Q_PROPERTY(bool direct READ isDirect CONSTANT)
    Q_PROPERTY(int unreadCount READ unreadCount NOTIFY unreadCountChanged)
    Q_PROPERTY(int unreadMentionCount READ unreadMentionCount NOTIFY unreadCountChanged)
    Q_PROPERTY(bool inView READ isInView WRITE setInView NOTIFY inViewChanged)
    Q_PROPERTY(QStringList members READ members NOTIFY membersChanged)
    Q_PROPERTY(QStringList typingUsers READ typingUsers NOTIFY typingUsersChanged)
    Q_PROPERTY(bool synced READ isSynced NOTIFY syncedChanged)
    Q_PROPERTY(bool hasOlderMessages READ hasOlderMessages NOTIFY historyStateChanged)
    Q_PROPERTY(bool loadingOlderMessages READ isLoadingOlderMessages NOTIFY historyStateChanged)
    // Why the server refuses this room (to follow it or to write to it), translated; empty when
    // it does not.
    Q_PROPERTY(QString problem READ problem NOTIFY problemChanged)
    // A direct conversation someone we never talked with started: no notifications until the
    // user accepts it (or answers).
    Q_PROPERTY(bool request READ isRequest NOTIFY requestChanged)
public:
    // `live` delivers the room's messages: its own channel subscription, or for a direct
    // conversation the session's pattern subscription (whose messages the session routes here
    // through receive()).
    // `markers` (may be null) keeps the read position across devices and restarts.
    ChatRoom(RedisClient *client, Outbox *outbox, RedisSubscription *live, const RoomAddress &address,
        const QString &nickname, const ChatConfig &config, ReadMarkers *markers = nullptr,
        QObject *parent = nullptr);
    ~ChatRoom() override;

    const RoomAddress &address() const { return m_address; }
    QString name() const { return m_address.name(); }
    bool isDirect() const { return m_address.isDirect(); }
    RoomTimeline *timeline() const { return m_timeline; }

    int unreadCount() const;
    int unreadMentionCount() const;
    bool isInView() const;
    // While in view, nothing counts as unread (and the counts are reset).
    void setInView(bool inView);
    // Resets the counts and moves the read marker to the newest message held.
    Q_INVOKABLE void markRead();
    // The user sees the newest messages (the view is at the bottom): while in view, the read
    // marker follows what arrives.
    void setFollowingLatest(bool following);
    bool isFollowingLatest() const;
    // The newest stream ID the user has read (from the server's read markers, or this run).
    StreamId readMarker() const;
    // Where the "new messages" divider goes: after this stream ID; null for none. Set when the
    // room comes into view with unread messages (or the marker read after a restart shows some);
    // kept until clearUnreadDivider().
    StreamId unreadDividerAfter() const;
    // The divider for messages that arrived live while the room was not in view (plain PUBLISHes
    // have no stream ID): it goes above the first message whose arrival (ChatMessage::arrival) is
    // at least this; 0 for none.
    quint64 unreadDividerAtArrival() const;
    void clearUnreadDivider();
    // Makes the timeline hold the stored message `streamId` (loading older history up to it when
    // needed); answers with messageRevealed.
    void revealMessage(const StreamId &streamId);

    QStringList members() const;
    QStringList typingUsers() const;
    bool isSynced() const;
    bool hasOlderMessages() const;
    bool isLoadingOlderMessages() const;
    QString problem() const { return m_problem; }
    bool isRequest() const { return m_request; }
    void setRequest(bool request);
    Q_INVOKABLE void acceptRequest() { setRequest(false); }
    // Asks the server again for a room it refused (and sends refused messages again).
    Q_INVOKABLE void retryAccess();

    // Why `text` cannot be sent (translated), or an empty string.
    Q_INVOKABLE QString sendProblem(const QString &text) const;
    // Adds the message at the bottom as pending and queues it; false when sendProblem() says so.
    // `replyTo`: the ID of the message it answers (shown quoted above it), or empty.
    Q_INVOKABLE bool sendMessage(const QString &text, const QString &replyTo = {});
    // Changes one of our messages (ID `id`): the change shows at once and is sent (stored and
    // published, so that history replays it). False when the message is not ours, not here, or
    // the text cannot be sent.
    Q_INVOKABLE bool editMessage(const QString &id, const QString &text);
    Q_INVOKABLE bool deleteMessage(const QString &id);
    // Gives our `reaction` to message `id`, or takes it back when we gave it.
    Q_INVOKABLE bool toggleReaction(const QString &id, const QString &reaction);
    // Whether we may edit or delete `message` (ours by name, stored or on its way).
    bool canChange(const ChatMessage &message) const;
    MessageChanges *changes() const { return m_changes; }
    Q_INVOKABLE bool retryMessage(const QString &id);
    Q_INVOKABLE bool discardMessage(const QString &id);
    Q_INVOKABLE bool loadOlderMessages();
    // The user edited the draft: announces typing, at most once per typing interval.
    Q_INVOKABLE void userTyping();
    // Signs what this room sends and judges who sent what it receives (null: neither).
    void setSenderVerifier(SenderVerifier *verifier);
    // Whether any message of this room can raise a notification (level "all"); otherwise only
    // mentions and direct messages can. Those are checked first (RoomSenderChecks).
    void setEveryMessageNotifies(bool notifies) { m_everyMessageNotifies = notifies; }
    // The view shows the message `id` (or is about to): its sender is checked soon.
    Q_INVOKABLE void senderShown(const QString &id);

    // A payload published on this room's channel.
    void receive(const QByteArray &payload);
    // Leaves for good: announces the leave and unsubscribes. ChatSession deletes the room after.
    void leave();

Q_SIGNALS:
    void unreadCountChanged();
    void inViewChanged();
    void membersChanged();
    void memberJoined(const QString &nickname);
    void memberLeft(const QString &nickname);
    void typingUsersChanged();
    void syncedChanged();
    void historyStateChanged();
    // A new conversation message from someone else arrived (live or recovered after a
    // reconnect), once per message, in order.
    void messageArrived(const Redwire::ChatMessage &message);
    // A new message naming us arrived (live or recovered after a reconnect).
    void mentioned(const Redwire::ChatMessage &message);
    // The room's subscription was refused (e.g. NOPERM), or a change or message of ours could
    // not be sent or queued.
    void errorOccurred(const Redwire::ChatError &error);
    void problemChanged();
    void requestChanged();
    void unreadDividerChanged();
    // revealMessage() is done: `found` tells whether the timeline holds the message now.
    void messageRevealed(const Redwire::StreamId &streamId, bool found);

private:
    void subscriptionStateChanged();
    void countUnread(const QList<ChatMessage> &fresh);
    bool canNotify(const ChatMessage &message) const;
    bool showNotice(const ChatMessage &message);
    void attachLive(RedisSubscription *live);
    bool hasShardChannel() const;
    bool isLive() const;
    void setProblem(const QString &problem, bool followRefused = false);

    RedisClient *m_client;
    Outbox *m_outbox;
    QPointer<RedisSubscription> m_live;
    // On a cluster: the room's shard channel, where Redwire clients announce its messages (m_live
    // still carries what plain clients PUBLISH on the room's channel).
    QPointer<RedisSubscription> m_liveShard;
    const RoomAddress m_address;
    const QString m_nickname;
    const ChatConfig m_config;
    RoomTimeline *m_timeline;
    MessageChanges *m_changes;
    TimelineSync *m_sync;
    TypingIndicator *m_typing;
    ReadPosition *m_reading;
    SenderAssessment *m_senders;
    MessageChangeApplier *m_editor;
    MessageSender *m_sender;
    PresenceTracker *m_presence = nullptr; // rooms only
    bool m_left = false;
    QString m_problem;
    QSet<QString> m_announced; // members whose join is shown and who have not left since
    bool m_followRefused = false; // the problem is a refused subscription
    bool m_request = false;
    QElapsedTimer m_refusedAt;
    QList<StreamId> m_revealing;
    quint64 m_arrivals = 0; // messages received live so far
    bool m_everyMessageNotifies = true;
};

} // namespace Redwire
