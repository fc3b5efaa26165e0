#include "ChatTraffic.h"

#include "chat/ChatRoom.h"
#include "chat/ChatSession.h"
#include "chat/Outbox.h"
#include "chat/RoomTimeline.h"

#include "redis/RedisClient.h"
#include "redis/RedisSubscription.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Redwire;

namespace RedwireSoak {

ChatTraffic::ChatTraffic(const ConnectionOptions &options, const ChatConfig &config, const QString &roomName,
    int intervalMs, QObject *parent)
    : QObject(parent)
    , m_roomName(roomName)
{
    for (int user = 0; user < Users; ++user) {
        Participant &participant = m_users[size_t(user)];
        participant.session = std::make_unique<ChatSession>(config);
        participant.session->setConnectionOptions(options);
        participant.session->setNickname(nickname(user));
        participant.timer.setInterval(intervalMs);
        participant.timer.setTimerType(Qt::PreciseTimer);
        connect(&participant.timer, &QTimer::timeout, this, [this, user] { sendNext(user); });
        Outbox *outbox = participant.session->outbox();
        connect(outbox, &Outbox::sent, this,
            [this, user](const RoomAddress &, const QString &id, const StreamId &sid) {
                Participant &participant = m_users[size_t(user)];
                const int index = participant.indexOfId.value(id, -1);
                if (index >= 0)
                    participant.sent[index].streamId = sid;
            });
        connect(outbox, &Outbox::failed, this,
            [this, user](const RoomAddress &, const QString &id, const QString &reason) {
                Participant &participant = m_users[size_t(user)];
                const int index = participant.indexOfId.value(id, -1);
                if (index >= 0) {
                    participant.sent[index].failed = true;
                    participant.sent[index].failure = reason;
                }
            });
    }
}

ChatTraffic::~ChatTraffic() = default;

QString ChatTraffic::nickname(int user)
{
    return user == Alice ? QStringLiteral("alice") : QStringLiteral("bob");
}

bool ChatTraffic::join()
{
    for (int user = 0; user < Users; ++user) {
        Participant &participant = m_users[size_t(user)];
        participant.session->connectToServer();
        participant.room = participant.session->joinRoom(m_roomName);
        if (!participant.room)
            return false;
        // The room's own subscription: what arrives live, before the timeline merges it.
        RedisSubscription *live = participant.session->client()->subscription(
            SubscriberConnection::TopicKind::Channel, participant.room->address().channel());
        if (!live)
            return false;
        connect(live, &RedisSubscription::messageReceived, this,
            [this, user](const QByteArray &, const QByteArray &payload) {
                const QString id
                    = QJsonDocument::fromJson(payload).object().value(QLatin1String("id")).toString();
                if (!id.isEmpty())
                    m_users[size_t(user)].live.insert(id);
            });
    }
    return true;
}

bool ChatTraffic::synced() const
{
    for (const Participant &participant : m_users)
        if (!participant.room || !participant.room->isSynced())
            return false;
    return true;
}

void ChatTraffic::startSending()
{
    m_users[Alice].timer.start();
    // Bob half an interval later, so that the two alternate.
    QTimer::singleShot(m_users[Bob].timer.interval() / 2, this, [this] { m_users[Bob].timer.start(); });
}

void ChatTraffic::stopSending()
{
    for (Participant &participant : m_users)
        participant.timer.stop();
}

bool ChatTraffic::allSent() const
{
    for (const Participant &participant : m_users) {
        if (participant.session->outbox()->count() > 0)
            return false;
        if (participant.room->timeline()->unplacedCount() > 0)
            return false;
    }
    return true;
}

ChatRoom *ChatTraffic::room(int user) const
{
    return m_users[size_t(user)].room;
}

ChatSession *ChatTraffic::session(int user) const
{
    return m_users[size_t(user)].session.get();
}

const RoomAddress &ChatTraffic::address() const
{
    return m_users[Alice].room->address();
}

void ChatTraffic::sendNext(int user)
{
    Participant &participant = m_users[size_t(user)];
    const QString text = QStringLiteral("%1 %2").arg(nickname(user)).arg(participant.next++);
    if (!participant.room->sendMessage(text)) {
        ++participant.refused;
        return;
    }
    // sendMessage() adds the message at the bottom as pending.
    const RoomTimeline *timeline = participant.room->timeline();
    const ChatMessage &pending = timeline->at(timeline->count() - 1);
    if (!pending.own || pending.text != text) {
        ++participant.refused; // not where sendMessage() promises it: counted as a failure
        return;
    }
    Message message;
    message.id = pending.id;
    message.text = text;
    message.acceptedMs = QDateTime::currentMSecsSinceEpoch();
    participant.indexOfId.insert(message.id, int(participant.sent.size()));
    participant.sent.append(message);
}

} // namespace RedwireSoak
