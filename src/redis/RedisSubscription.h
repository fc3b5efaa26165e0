#pragma once

#include "RedisError.h"
#include "SubscriberConnection.h"

#include <QObject>

namespace Redwire {

class RedisClient;

// One channel or pattern the client is subscribed to, owned by RedisClient (the same object for
// the same topic). It survives reconnects: it goes back to Pending and then Active again.
class RedisSubscription : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QByteArray name READ name CONSTANT)
    Q_PROPERTY(bool pattern READ isPattern CONSTANT)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State { Pending, Active, Failed, Unsubscribed };
    Q_ENUM(State)

    QByteArray name() const { return m_name; }
    SubscriberConnection::TopicKind kind() const { return m_kind; }
    bool isPattern() const { return m_kind == SubscriberConnection::TopicKind::Pattern; }
    State state() const { return m_state; }
    RedisError error() const { return m_error; }

    // Leaves the topic; the client deletes this object later.
    void unsubscribe();

Q_SIGNALS:
    void stateChanged(Redwire::RedisSubscription::State state);
    // For a pattern subscription, channel is the channel the message was published to.
    void messageReceived(const QByteArray &channel, const QByteArray &payload);
    void failed(const Redwire::RedisError &error);

private:
    friend class RedisClient;
    RedisSubscription(RedisClient *client, SubscriberConnection::TopicKind kind, const QByteArray &name);
    void setState(State state);
    void fail(const RedisError &error);

    RedisClient *m_client;
    const SubscriberConnection::TopicKind m_kind;
    const QByteArray m_name;
    State m_state = State::Pending;
    RedisError m_error;
};

} // namespace Redwire
