#include "ChatRoom.h"

#include "ChatLogging.h"
#include "MessageChanges.h"
#include "Outbox.h"
#include "PresenceTracker.h"
#include "ReadMarkers.h"
#include "RoomSenderChecks.h"
#include "RoomTimeline.h"
#include "SenderVerifier.h"
#include "TimelineSync.h"
#include "TypingIndicator.h"
#include "UnreadCount.h"
#include "UntrustedText.h"

#include "redis/RedisClient.h"
#include "redis/RedisSubscription.h"

#include <QDateTime>

#include <utility>

namespace Redwire {

namespace {
constexpr qint64 AutomaticRetryAfterMs = 60 * 1000;
}

ChatRoom::ChatRoom(RedisClient *client, Outbox *outbox, RedisSubscription *live, const RoomAddress &address,
    const QString &nickname, const ChatConfig &config, ReadMarkers *markers, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_outbox(outbox)
    , m_live(live)
    , m_address(address)
    , m_nickname(nickname)
    , m_config(config)
    , m_timeline(new RoomTimeline(config.maxMessagesInMemory, config.maxBytesInMemory, this))
    // Changes of messages not held (scrolled out, or not read yet) are kept for twice as many.
    , m_changes(new MessageChanges(nickname, 2 * config.maxMessagesInMemory,
          qMax<qint64>(1024 * 1024, config.maxBytesInMemory / 4), this))
    , m_sync(new TimelineSync(m_timeline, client->commands(), outbox, address, nickname, config, this))
    , m_typing(new TypingIndicator(config, this))
    , m_markers(markers)
    , m_checks(new RoomSenderChecks(m_timeline, address.channel(), this))
{
    m_sync->setChanges(m_changes);
    // Changes read from history are checked like live ones.
    m_sync->setChangeGate([this](const ChatEnvelope &change) { receiveChange(change); });
    connect(m_checks, &RoomSenderChecks::verdictsReached, this, &ChatRoom::countUnread);
    connect(m_changes, &MessageChanges::changed, this, &ChatRoom::messageChanged);
    connect(m_sync, &TimelineSync::syncedChanged, this, &ChatRoom::syncedChanged);
    connect(m_sync, &TimelineSync::historyStateChanged, this, &ChatRoom::historyStateChanged);
    connect(m_sync, &TimelineSync::messagesRecovered, this, &ChatRoom::countUnread);
    connect(m_sync, &TimelineSync::syncedChanged, this, &ChatRoom::countFromMarker);
    connect(m_sync, &TimelineSync::olderLoadedThrough, this, [this](const StreamId &, bool) {
        const QList<StreamId> waiting = std::exchange(m_revealing, {});
        for (const StreamId &id : waiting)
            revealMessage(id);
    });
    // What arrives while the user looks at the bottom of the room is read.
    connect(m_timeline, &RoomTimeline::messagesInserted, this, [this] {
        if (m_inView && m_followingLatest)
            advanceReadMarker();
    });
    if (m_markers) {
        m_readUpTo = m_markers->marker(m_address);
        connect(m_markers, &ReadMarkers::loaded, this, &ChatRoom::countFromMarker);
    }
    connect(m_typing, &TypingIndicator::typingUsersChanged, this, &ChatRoom::typingUsersChanged);
    connect(m_outbox, &Outbox::sent, this,
        [this](const RoomAddress &address, const QString &id, const StreamId &streamId) {
            if (address == m_address)
                messageSent(id, streamId);
        });
    connect(m_outbox, &Outbox::failed, this,
        [this](const RoomAddress &address, const QString &id, const QString &reason) {
            if (address == m_address)
                messageFailed(id, reason);
        });

    // Messages of ours still in the outbox (typed in an earlier run): at the bottom, pending.
    for (const Outbox::Item &item : m_outbox->items())
        if (item.address == m_address)
            showUnsent(item);
    connect(m_outbox, &Outbox::restored, this, [this](const Outbox::Item &item) {
        if (item.address == m_address)
            showUnsent(item);
    });

    if (!m_address.isDirect()) {
        m_presence = new PresenceTracker(client->commands(), address, nickname, config, this);
        connect(m_presence, &PresenceTracker::membersChanged, this, &ChatRoom::membersChanged);
        connect(m_presence, &PresenceTracker::memberJoined, this, &ChatRoom::memberJoined);
        connect(m_presence, &PresenceTracker::memberLeft, this, &ChatRoom::memberLeft);
        m_presence->start();
    }

    m_sync->setNoticeFilter([this](const ChatMessage &message) { return showNotice(message); });
    attachLive();
    // A room the server refused is asked for again after a reconnect (an ACL may have changed),
    // but not sooner than a minute after the refusal: on hiredis 0.14 the refusal itself closes
    // the connection, and asking at once would make a reconnect storm. The user can ask at any
    // time (retryAccess()).
    connect(m_client, &RedisClient::connectedChanged, this, [this] {
        if (m_client->isConnected() && m_followRefused && m_refusedAt.isValid()
            && m_refusedAt.elapsed() >= AutomaticRetryAfterMs)
            retryAccess();
    });
}

void ChatRoom::attachLive()
{
    if (!m_live)
        return;
    connect(m_live, &RedisSubscription::stateChanged, this, &ChatRoom::subscriptionStateChanged);
    connect(m_live, &RedisSubscription::failed, this, [this](const RedisError &error) {
        m_refusedAt.start();
        setProblem(tr("The server refused this room: %1").arg(error.message()), true);
        Q_EMIT errorOccurred(tr("Cannot follow %1: %2").arg(name(), error.message()));
    });
    // A room's own channel; a direct conversation's messages come through receive().
    if (!m_address.isDirect())
        connect(m_live, &RedisSubscription::messageReceived, this,
            [this](const QByteArray &, const QByteArray &payload) { receive(payload); });
    subscriptionStateChanged();
}

void ChatRoom::setRequest(bool request)
{
    if (m_request == request)
        return;
    m_request = request;
    Q_EMIT requestChanged();
}

void ChatRoom::setProblem(const QString &problem, bool followRefused)
{
    m_followRefused = followRefused;
    if (m_problem == problem)
        return;
    m_problem = problem;
    Q_EMIT problemChanged();
}

void ChatRoom::retryAccess()
{
    if (m_left)
        return;
    setProblem({});
    if (!m_address.isDirect() && (!m_live || m_live->state() == RedisSubscription::State::Failed)) {
        m_live = m_client->subscribe(m_address.channel());
        attachLive();
    }
    // Messages refused for the same reason go again.
    for (const Outbox::Item &item : m_outbox->items())
        if (item.address == m_address && item.state == Outbox::State::Failed
            && item.failureReason.startsWith(QLatin1String("NOPERM")))
            retryMessage(item.id);
}

ChatRoom::~ChatRoom() = default;

void ChatRoom::subscriptionStateChanged()
{
    if (m_live && m_live->state() == RedisSubscription::State::Active && m_followRefused)
        setProblem({});
    if (m_live && m_live->state() == RedisSubscription::State::Active && !m_left)
        m_sync->subscriptionActivated();
    else
        m_sync->subscriptionLost();
}

void ChatRoom::setInView(bool inView)
{
    if (m_inView == inView)
        return;
    m_inView = inView;
    if (inView) {
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
    Q_EMIT inViewChanged();
}

void ChatRoom::markRead()
{
    advanceReadMarker();
    if (m_unread == 0 && m_unreadMentions == 0)
        return;
    m_unread = 0;
    m_unreadMentions = 0;
    Q_EMIT unreadCountChanged();
}

void ChatRoom::setFollowingLatest(bool following)
{
    m_followingLatest = following;
    if (following && m_inView)
        advanceReadMarker();
}

void ChatRoom::advanceReadMarker()
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

void ChatRoom::setUnreadDivider(const StreamId &after)
{
    if (m_dividerAfter == after)
        return;
    m_dividerAfter = after;
    Q_EMIT unreadDividerChanged();
    // The first unread message may be older than what is held: load up to it.
    if (!after.isNull())
        m_sync->loadOlderThrough(after.next());
}

void ChatRoom::clearUnreadDivider()
{
    setUnreadDivider({});
}

// After a restart (or on a second device): what was stored after the server's read marker is
// unread. Once per run, when both the first page and the markers are in.
void ChatRoom::countFromMarker()
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
    UnreadCount::count(m_client->commands(), m_address.historyKey(), marker, upTo, m_nickname,
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

void ChatRoom::revealMessage(const StreamId &streamId)
{
    if (streamId.isNull()) {
        Q_EMIT messageRevealed(streamId, false);
        return;
    }
    if (m_timeline->rowOfStreamId(streamId) >= 0) {
        Q_EMIT messageRevealed(streamId, true);
        return;
    }
    const StreamId oldest = m_timeline->oldestStreamId();
    if ((oldest.isNull() || oldest <= streamId) || !m_sync->loadOlderThrough(streamId)) {
        Q_EMIT messageRevealed(streamId, false);
        return;
    }
    m_revealing.append(streamId);
}

QStringList ChatRoom::members() const
{
    return m_presence ? m_presence->members() : QStringList();
}

QStringList ChatRoom::typingUsers() const
{
    return m_typing->typingUsers();
}

bool ChatRoom::isSynced() const
{
    return m_sync->isSynced();
}

bool ChatRoom::hasOlderMessages() const
{
    return m_sync->hasOlder();
}

bool ChatRoom::isLoadingOlderMessages() const
{
    return m_sync->isLoadingOlder();
}

QString ChatRoom::sendProblem(const QString &text) const
{
    if (m_left)
        return tr("You left this conversation.");
    if (text.trimmed().isEmpty())
        return tr("Type a message first.");
    // Measured as published: with the stream ID the script adds, it must stay under the limit
    // that every receiver applies.
    const qsizetype size = ChatEnvelope::create(ChatEnvelope::Kind::Message, m_nickname, text)
                               .encode(m_address.channel(), signingKey())
                               .size();
    const qsizetype limit = qsizetype(m_config.payloadLimitBytes) - ChatEnvelope::StreamIdOverhead;
    if (size > limit)
        return tr("This message is too long: %1 bytes, at most %2 can be sent.").arg(size).arg(limit);
    return {};
}

bool ChatRoom::sendMessage(const QString &text, const QString &replyTo)
{
    if (!sendProblem(text).isEmpty())
        return false;
    ChatEnvelope envelope = ChatEnvelope::create(ChatEnvelope::Kind::Message, m_nickname, text);
    if (!replyTo.isEmpty() && replyTo.size() <= ChatEnvelope::MaxIdLength)
        envelope.ref = replyTo;
    const QByteArray payload = envelope.encode(m_address.channel(), signingKey());
    ChatMessage message = ChatMessage::fromEnvelope(envelope, m_nickname, envelope.timestampMs);
    // Ours, signed by us: nothing to check.
    message.trust = signingKey().isNull() ? SenderTrust::Unsigned : SenderTrust::Verified;
    message.trustAssessed = true;
    message.text = UntrustedText::sanitized(text);
    message.raw = payload;
    message.rawSize = payload.size();
    message.own = true;
    message.delivery = ChatMessage::Delivery::Pending;
    m_timeline->addPending(message);
    setRequest(false); // answering accepts
    if (!m_outbox->enqueue(m_address, envelope.id, payload))
        messageFailed(envelope.id, tr("The message could not be queued."));
    m_typing->localMessageSent();
    return true;
}

// One "joined" per stay: a member announced again while we saw no leave (a server restart
// empties the presence set and everyone joins anew, a reconnect re-announces) is not news.
bool ChatRoom::showNotice(const ChatMessage &message)
{
    if (message.external)
        return true;
    if (message.kind == ChatEnvelope::Kind::Join) {
        if (m_announced.contains(message.sender))
            return false;
        m_announced.insert(message.sender);
    } else if (message.kind == ChatEnvelope::Kind::Leave) {
        m_announced.remove(message.sender);
    }
    return true;
}

void ChatRoom::showUnsent(const Outbox::Item &item)
{
    if (m_timeline->rowOfId(item.id) >= 0)
        return;
    const ChatEnvelope envelope = ChatEnvelope::decode(item.envelope, m_config.payloadLimitBytes);
    if (envelope.isChange()) {
        // An edit, delete or reaction of ours not stored yet: it shows at once, as when it was made.
        recordChange(envelope);
        return;
    }
    ChatMessage message = ChatMessage::fromEnvelope(envelope, m_nickname, envelope.timestampMs);
    message.id = item.id;
    message.own = true;
    message.delivery = ChatMessage::Delivery::Pending;
    m_timeline->addPending(message);
    if (item.state == Outbox::State::Failed)
        m_timeline->setDelivery(item.id, ChatMessage::Delivery::Failed, {}, item.failureReason);
}

bool ChatRoom::canChange(const ChatMessage &message) const
{
    if (m_left || message.deleted || message.delivery == ChatMessage::Delivery::Failed)
        return false;
    ChatEnvelope mine;
    mine.sender = m_nickname;
    return MessageChanges::mayChange(message, mine);
}

bool ChatRoom::editMessage(const QString &id, const QString &text)
{
    const int row = m_timeline->rowOfId(id);
    if (row < 0 || !canChange(m_timeline->at(row)) || text.trimmed().isEmpty())
        return false;
    if (m_timeline->at(row).text == UntrustedText::sanitized(text))
        return true; // nothing to change
    ChatEnvelope change = ChatEnvelope::create(ChatEnvelope::Kind::Edit, m_nickname, text);
    change.ref = id;
    return sendChange(change);
}

bool ChatRoom::deleteMessage(const QString &id)
{
    const int row = m_timeline->rowOfId(id);
    if (row < 0)
        return false;
    const ChatMessage &message = m_timeline->at(row);
    // Never sent: nothing to tell anyone, it goes.
    if (message.own && message.delivery == ChatMessage::Delivery::Failed)
        return discardMessage(id);
    if (!canChange(message))
        return false;
    // What clients that do not know deletes show.
    ChatEnvelope change
        = ChatEnvelope::create(ChatEnvelope::Kind::Delete, m_nickname, tr("(deleted a message)"));
    change.ref = id;
    return sendChange(change);
}

bool ChatRoom::toggleReaction(const QString &id, const QString &reaction)
{
    const int row = m_timeline->rowOfId(id);
    if (m_left || row < 0 || !ChatEnvelope::isValidReaction(reaction))
        return false;
    const ChatMessage &message = m_timeline->at(row);
    if (!MessageChanges::isChangeable(message) || message.deleted)
        return false;
    bool given = false;
    for (const ChatMessage::Reaction &existing : message.reactions)
        given = given || (existing.reaction == reaction && existing.mine);
    // The text is what clients that do not know reactions show.
    ChatEnvelope change = ChatEnvelope::create(
        ChatEnvelope::Kind::React, m_nickname, given ? tr("(took back %1)").arg(reaction) : reaction);
    change.ref = id;
    change.reaction = reaction;
    change.reactionOn = !given;
    return sendChange(change);
}

// Shows our change at once and queues it like a message: stored, so that history replays it.
bool ChatRoom::sendChange(ChatEnvelope change)
{
    const QByteArray payload = change.encode(m_address.channel(), signingKey());
    if (payload.size() > qsizetype(m_config.payloadLimitBytes) - ChatEnvelope::StreamIdOverhead)
        return false;
    recordChange(change);
    if (!m_outbox->enqueue(m_address, change.id, payload)) {
        Q_EMIT errorOccurred(tr("Your change could not be queued."));
        return false;
    }
    return true;
}

void ChatRoom::recordChange(const ChatEnvelope &change)
{
    const int row = m_timeline->rowOfId(change.ref);
    m_changes->record(change, row >= 0 ? &m_timeline->at(row) : nullptr);
}

// A change to a message arrived (or was made): the row shows it.
void ChatRoom::messageChanged(const QString &id)
{
    const int row = m_timeline->rowOfId(id);
    if (row < 0)
        return;
    ChatMessage message = m_timeline->at(row);
    m_changes->applyTo(message);
    const ChatMessage &before = m_timeline->at(row);
    if (message.text != before.text || message.edited != before.edited || message.deleted != before.deleted
        || message.reactions != before.reactions)
        m_timeline->updateMessage(row, message);
}

bool ChatRoom::retryMessage(const QString &id)
{
    if (!m_outbox->retry(id))
        return false;
    m_timeline->setDelivery(id, ChatMessage::Delivery::Pending);
    return true;
}

bool ChatRoom::discardMessage(const QString &id)
{
    if (!m_outbox->discard(id))
        return false;
    m_timeline->removeUnplaced(id);
    return true;
}

bool ChatRoom::loadOlderMessages()
{
    return m_sync->loadOlder();
}

void ChatRoom::userTyping()
{
    if (m_left || !m_client->commands()->isConnected() || !m_typing->localTyping())
        return;
    // Not stored, not queued: a typing notice that cannot go out now is worthless later.
    m_client->commands()->send({ "PUBLISH", m_address.channel(),
        ChatEnvelope::create(ChatEnvelope::Kind::Typing, m_nickname)
            .encode(m_address.channel(), signingKey()) });
}

void ChatRoom::receive(const QByteArray &payload)
{
    if (m_left)
        return;
    const ChatEnvelope envelope = ChatEnvelope::decode(payload, m_config.payloadLimitBytes);
    if (envelope.isChange()) {
        receiveChange(envelope);
        return;
    }
    if (!envelope.external) {
        switch (envelope.kind) {
        case ChatEnvelope::Kind::Typing:
            if (envelope.sender != m_nickname)
                m_typing->noticeReceived(envelope.sender);
            return;
        case ChatEnvelope::Kind::Join:
            if (m_presence)
                m_presence->noteJoined(envelope.sender);
            break;
        case ChatEnvelope::Kind::Leave:
            if (m_presence)
                m_presence->noteLeft(envelope.sender);
            break;
        case ChatEnvelope::Kind::Message:
        case ChatEnvelope::Kind::Unknown:
            m_typing->messageReceivedFrom(envelope.sender);
            break;
        case ChatEnvelope::Kind::Edit:
        case ChatEnvelope::Kind::Delete:
        case ChatEnvelope::Kind::React:
            break; // handled above
        }
    }
    ChatMessage message
        = ChatMessage::fromEnvelope(envelope, m_nickname, QDateTime::currentMSecsSinceEpoch());
    if (!m_outbox->queuedByUs(message.id))
        message.disown(m_nickname);
    m_changes->applyTo(message); // changes that came before it
    m_checks->judgeCheaply(message); // a signature is checked later (RoomSenderChecks)
    if (!showNotice(message))
        return;
    if (m_sync->addLive(message) == RoomTimeline::Added::New)
        countUnread({ message });
}

void ChatRoom::leave()
{
    if (m_left)
        return;
    m_left = true;
    if (m_presence)
        m_presence->leave();
    if (m_live && !m_address.isDirect())
        m_live->unsubscribe();
    m_sync->subscriptionLost();
    m_typing->clear();
}

void ChatRoom::countUnread(const QList<ChatMessage> &fresh)
{
    int unread = 0;
    int mentions = 0;
    for (ChatMessage message : fresh) {
        if (message.own || !message.isConversation())
            continue;
        // Not judged yet, or its sender's keys are being fetched: what can notify, or be
        // counted, waits for the verdict (a forged sender raises nothing).
        if (m_verifier && (!message.trustAssessed || message.trust == SenderTrust::Pending)) {
            const bool notifies = canNotify(message);
            if (notifies || !m_inView)
                m_checks->awaitVerdict(message,
                    notifies ? RoomSenderChecks::Priority::Notify : RoomSenderChecks::Priority::Count);
            continue;
        }
        if (message.trust == SenderTrust::Forged)
            continue;
        Q_EMIT messageArrived(message);
        if (message.mentionsMe)
            Q_EMIT mentioned(message);
        if (!m_inView) {
            if (m_unread == 0 && unread == 0 && m_unreadFrom.isNull() && !message.streamId.isNull())
                m_unreadFrom = message.streamId.previous();
            ++unread;
            if (message.mentionsMe)
                ++mentions;
        }
    }
    if (unread == 0)
        return;
    m_unread += unread;
    m_unreadMentions += mentions;
    Q_EMIT unreadCountChanged();
}

void ChatRoom::messageSent(const QString &id, const StreamId &streamId)
{
    m_timeline->setDelivery(id, ChatMessage::Delivery::Sent, streamId);
}

void ChatRoom::messageFailed(const QString &id, const QString &reason)
{
    if (const Outbox::Item *item = m_outbox->item(id);
        item && ChatEnvelope::decode(item->envelope, m_config.payloadLimitBytes).isChange())
        Q_EMIT errorOccurred(tr("Your change to a message could not be sent: %1").arg(reason));
    // Not allowed to write here: the room says so, not only the message.
    if (reason.startsWith(QLatin1String("NOPERM")))
        setProblem(tr("The server refused your message: %1").arg(reason));
    m_timeline->setDelivery(id, ChatMessage::Delivery::Failed, {}, reason);
}

Ed25519Key ChatRoom::signingKey() const
{
    return m_verifier ? m_verifier->signingKey() : Ed25519Key();
}

// Rows placed by history and catch-up, and live ones nothing waits for, are judged when the view
// shows them (senderShown); messages that can notify or be counted, before they do.
void ChatRoom::setSenderVerifier(SenderVerifier *verifier)
{
    m_verifier = verifier;
    m_checks->setVerifier(verifier);
    if (!verifier)
        return;
    connect(verifier, &SenderVerifier::keysArrived, this, &ChatRoom::reassessSender);
    connect(verifier, &SenderVerifier::pinReplaced, this,
        [this](const QString &nickname) { m_checks->senderKeysChanged(nickname, true); });
}

void ChatRoom::senderShown(const QString &id)
{
    m_checks->shown(id);
}

bool ChatRoom::canNotify(const ChatMessage &message) const
{
    return m_everyMessageNotifies || message.mentionsMe || isDirect();
}

// The keys of `nickname` arrived: its pending messages are judged again, and those that turn
// out to be theirs raise what they would have.
void ChatRoom::reassessSender(const QString &nickname)
{
    m_checks->senderKeysChanged(nickname, false);
    const QList<ChatEnvelope> changes = std::exchange(m_changesAwaitingKeys, {});
    for (const ChatEnvelope &change : changes)
        receiveChange(change);
}

// An edit, delete or reaction applies only when its sender is who it claims: signed by them, or
// unsigned from someone who never signed. One whose key is being fetched waits for it (bounded).
void ChatRoom::receiveChange(const ChatEnvelope &change)
{
    if (!m_verifier) {
        recordChange(change);
        return;
    }
    const ChatMessage claimed = ChatMessage::fromEnvelope(change, m_nickname, 0);
    switch (m_verifier->assess(m_address.channel(), claimed)) {
    case SenderTrust::Verified:
    case SenderTrust::NewKey:
        recordChange(change);
        return;
    case SenderTrust::Unsigned:
        if (!m_verifier->signs(change.sender)) {
            recordChange(change);
            return;
        }
        break;
    case SenderTrust::Pending:
        if (m_changesAwaitingKeys.size() < MaxAwaitingKeys)
            m_changesAwaitingKeys.append(change);
        return;
    case SenderTrust::KeyChanged:
    case SenderTrust::Forged:
        break;
    }
    qCWarning(lcChat) << "ignored a change that is not its claimed sender's:" << change.sender << "in"
                      << m_address.name();
}

} // namespace Redwire
