#include "RedisSubscription.h"

#include "RedisClient.h"

namespace Redwire {

RedisSubscription::RedisSubscription(
    RedisClient *client, SubscriberConnection::TopicKind kind, const QByteArray &name)
    : QObject(client)
    , m_client(client)
    , m_kind(kind)
    , m_name(name)
{ }

void RedisSubscription::unsubscribe()
{
    if (m_state == State::Unsubscribed || m_state == State::Failed)
        return;
    m_client->release(this);
}

void RedisSubscription::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void RedisSubscription::fail(const RedisError &error)
{
    m_error = error;
    setState(State::Failed);
    Q_EMIT failed(error);
}

} // namespace Redwire
