#include "ChatRoom.h"

#include "ChatLogging.h"
#include "MessageChangeApplier.h"
#include "MessageChanges.h"
#include "MessageSender.h"
#include "Outbox.h"
#include "PresenceTracker.h"
#include "ReadPosition.h"
#include "RoomTimeline.h"
#include "SenderAssessment.h"
#include "TimelineSync.h"
#include "TypingIndicator.h"

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
    , m_reading(
          new ReadPosition(m_timeline, m_sync, client->commands(), markers, address, nickname, config, this))
    , m_senders(new SenderAssessment(m_timeline, address.channel(), this))
    , m_editor(
          new MessageChangeApplier(m_timeline, m_changes, outbox, m_senders, address, nickname, config, this))
    , m_sender(new MessageSender(m_timeline, outbox, m_senders, m_editor, address, nickname, config, this))
{
    m_sync->setChanges(m_changes);
    // Changes read from history are checked like live ones.
    m_sync->setChangeGate([this](const ChatEnvelope &change) { m_senders->receiveChange(change); });
    connect(m_reading, &ReadPosition::unreadCountChanged, this, &ChatRoom::unreadCountChanged);
    connect(m_reading, &ReadPosition::unreadDividerChanged, this, &ChatRoom::unreadDividerChanged);
    connect(m_senders, &SenderAssessment::settled, this, &ChatRoom::countUnread);
    connect(m_senders, &SenderAssessment::changeAccepted, m_editor, &MessageChangeApplier::record);
    connect(m_editor, &MessageChangeApplier::queueFailed, this, [this] {
        Q_EMIT errorOccurred({ ChatError::Kind::NotQueued, tr("Your change could not be queued.") });
    });
    connect(m_sync, &TimelineSync::syncedChanged, this, &ChatRoom::syncedChanged);
    connect(m_sync, &TimelineSync::historyStateChanged, this, &ChatRoom::historyStateChanged);
    connect(m_sync, &TimelineSync::messagesRecovered, this, &ChatRoom::countUnread);
    connect(m_sync, &TimelineSync::olderLoadedThrough, this, [this](const StreamId &, bool) {
        const QList<StreamId> waiting = std::exchange(m_revealing, {});
        for (const StreamId &id : waiting)
            revealMessage(id);
    });
    connect(m_typing, &TypingIndicator::typingUsersChanged, this, &ChatRoom::typingUsersChanged);
    connect(m_sender, &MessageSender::failed, this, [this](const QString &reason, bool change) {
        if (change)
            Q_EMIT errorOccurred({ ChatError::Kind::ChangeNotSent,
                tr("Your change to a message could not be sent: %1").arg(reason) });
        // Not allowed to write here: the room says so, not only the message.
        if (reason.startsWith(QLatin1String("NOPERM")))
            setProblem(tr("The server refused your message: %1").arg(reason));
    });

    if (!m_address.isDirect()) {
        m_presence = new PresenceTracker(client->commands(), address, nickname, config, this);
        connect(m_presence, &PresenceTracker::membersChanged, this, &ChatRoom::membersChanged);
        connect(m_presence, &PresenceTracker::memberJoined, this, &ChatRoom::memberJoined);
        connect(m_presence, &PresenceTracker::memberLeft, this, &ChatRoom::memberLeft);
        m_presence->start();
    }

    m_sync->setNoticeFilter([this](const ChatMessage &message) { return showNotice(message); });
    if (hasShardChannel())
        m_liveShard = m_client->subscribeShardChannel(m_address.liveShardChannel());
    attachLive(m_live);
    attachLive(m_liveShard);
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

void ChatRoom::attachLive(RedisSubscription *live)
{
    if (!live)
        return;
    connect(live, &RedisSubscription::stateChanged, this, &ChatRoom::subscriptionStateChanged);
    connect(live, &RedisSubscription::failed, this, [this](const RedisError &error) {
        m_refusedAt.start();
        setProblem(tr("The server refused this room: %1").arg(error.message()), true);
        Q_EMIT errorOccurred({ ChatError::Kind::SubscribeRefused,
            tr("Cannot follow %1: %2").arg(name(), error.message()), error });
    });
    // A room's own channel; a direct conversation's messages come through receive().
    if (!m_address.isDirect())
        connect(live, &RedisSubscription::messageReceived, this,
            [this](const QByteArray &, const QByteArray &payload) { receive(payload); });
    subscriptionStateChanged();
}

// A room on a cluster: its messages come on its shard channel (RoomAddress::announcement()).
bool ChatRoom::hasShardChannel() const
{
    return !m_address.isDirect() && m_client->options().topology == Topology::Cluster;
}

// Live when every channel of the room is subscribed (on a cluster, the room's channel and its
// shard channel: a break of either may hide messages, and the catch-up after it reads them).
bool ChatRoom::isLive() const
{
    const auto active
        = [](const RedisSubscription *s) { return s && s->state() == RedisSubscription::State::Active; };
    return active(m_live) && (!hasShardChannel() || active(m_liveShard));
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
    const auto failed
        = [](const RedisSubscription *s) { return !s || s->state() == RedisSubscription::State::Failed; };
    if (!m_address.isDirect() && failed(m_live)) {
        m_live = m_client->subscribe(m_address.channel());
        attachLive(m_live);
    }
    if (hasShardChannel() && failed(m_liveShard)) {
        m_liveShard = m_client->subscribeShardChannel(m_address.liveShardChannel());
        attachLive(m_liveShard);
    }
    // Messages refused for the same reason go again.
    m_sender->retryRefused();
}

ChatRoom::~ChatRoom() = default;

void ChatRoom::subscriptionStateChanged()
{
    const bool live = isLive();
    if (live && m_followRefused)
        setProblem({});
    if (live && !m_left)
        m_sync->subscriptionActivated();
    else
        m_sync->subscriptionLost();
}

int ChatRoom::unreadCount() const
{
    return m_reading->unreadCount();
}

int ChatRoom::unreadMentionCount() const
{
    return m_reading->unreadMentionCount();
}

bool ChatRoom::isInView() const
{
    return m_reading->isInView();
}

void ChatRoom::setInView(bool inView)
{
    if (m_reading->isInView() == inView)
        return;
    m_reading->setInView(inView);
    Q_EMIT inViewChanged();
}

void ChatRoom::markRead()
{
    m_reading->markRead();
}

void ChatRoom::setFollowingLatest(bool following)
{
    m_reading->setFollowingLatest(following);
}

bool ChatRoom::isFollowingLatest() const
{
    return m_reading->isFollowingLatest();
}

StreamId ChatRoom::readMarker() const
{
    return m_reading->readMarker();
}

StreamId ChatRoom::unreadDividerAfter() const
{
    return m_reading->unreadDividerAfter();
}

quint64 ChatRoom::unreadDividerAtArrival() const
{
    return m_reading->unreadDividerAtArrival();
}

void ChatRoom::clearUnreadDivider()
{
    m_reading->clearUnreadDivider();
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
    return m_sender->sendProblem(text);
}

bool ChatRoom::sendMessage(const QString &text, const QString &replyTo)
{
    if (!m_sender->send(text, replyTo))
        return false;
    setRequest(false); // answering accepts
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

bool ChatRoom::canChange(const ChatMessage &message) const
{
    return m_editor->canChange(message);
}

bool ChatRoom::editMessage(const QString &id, const QString &text)
{
    return m_editor->editMessage(id, text);
}

bool ChatRoom::deleteMessage(const QString &id)
{
    const int row = m_timeline->rowOfId(id);
    if (row < 0)
        return false;
    // Never sent: nothing to tell anyone, it goes.
    const ChatMessage &message = m_timeline->at(row);
    if (message.own && message.delivery == ChatMessage::Delivery::Failed)
        return discardMessage(id);
    return m_editor->deleteMessage(id);
}

bool ChatRoom::toggleReaction(const QString &id, const QString &reaction)
{
    return m_editor->toggleReaction(id, reaction);
}

bool ChatRoom::retryMessage(const QString &id)
{
    return m_sender->retry(id);
}

bool ChatRoom::discardMessage(const QString &id)
{
    return m_sender->discard(id);
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
    const RoomAddress::Announcement announcement = m_address.announcement(m_client->options().topology);
    m_client->commands()->send({ announcement.verb, announcement.channel,
        ChatEnvelope::create(ChatEnvelope::Kind::Typing, m_nickname)
            .encode(m_address.channel(), m_senders->signingKey()) });
}

void ChatRoom::receive(const QByteArray &payload)
{
    if (m_left)
        return;
    const ChatEnvelope envelope = ChatEnvelope::decode(payload, m_config.payloadLimitBytes);
    if (envelope.isChange()) {
        m_senders->receiveChange(envelope);
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
    message.arrival = ++m_arrivals;
    if (!m_outbox->queuedByUs(message.id))
        message.disown(m_nickname);
    m_changes->applyTo(message); // changes that came before it
    m_senders->assess(message); // a signature is checked later (RoomSenderChecks)
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
    m_editor->close();
    m_sender->close();
    if (m_presence)
        m_presence->leave();
    if (m_live && !m_address.isDirect())
        m_live->unsubscribe();
    if (m_liveShard)
        m_liveShard->unsubscribe();
    m_sync->subscriptionLost();
    m_typing->clear();
}

// New messages from someone else: what they raise, once each, in order.
void ChatRoom::countUnread(const QList<ChatMessage> &fresh)
{
    QList<ChatMessage> arrived;
    for (ChatMessage message : fresh) {
        if (message.own || !message.isConversation()
            || !m_senders->mayNotify(message, canNotify(message), !isInView()))
            continue;
        Q_EMIT messageArrived(message);
        if (message.mentionsMe)
            Q_EMIT mentioned(message);
        arrived.append(message);
    }
    m_reading->count(arrived);
}

void ChatRoom::setSenderVerifier(SenderVerifier *verifier)
{
    m_senders->setVerifier(verifier);
}

void ChatRoom::senderShown(const QString &id)
{
    m_senders->shown(id);
}

bool ChatRoom::canNotify(const ChatMessage &message) const
{
    return m_everyMessageNotifies || message.mentionsMe || isDirect();
}

} // namespace Redwire
