#include "PeerPresence.h"

#include "IdleWatch.h"
#include "chat/ChatRoom.h"
#include "chat/ChatSession.h"
#include "chat/UserPresence.h"
#include "redis/RedisClient.h"

namespace Redwire {

PeerPresence::PeerPresence(int awayAfterMs, QObject *parent)
    : QObject(parent)
    , m_idle(new IdleWatch(awayAfterMs, this))
{
    connect(m_idle, &IdleWatch::idleChanged, this, [this](bool idle) {
        if (m_session)
            m_session->userPresence()->setAway(idle);
        Q_EMIT changed();
    });
}

void PeerPresence::setSession(ChatSession *session)
{
    if (m_session) {
        disconnect(m_session->userPresence(), nullptr, this, nullptr);
        disconnect(m_session->client(), nullptr, this, nullptr);
        for (ChatRoom *room : m_session->rooms())
            disconnect(room, nullptr, this, nullptr);
    }
    m_session = session;
    if (!session)
        return;
    session->userPresence()->setAway(m_idle->isIdle());
    connect(session->userPresence(), &UserPresence::statesChanged, this, &PeerPresence::changed);
    connect(session->client(), &RedisClient::stateChanged, this, &PeerPresence::changed);
}

void PeerPresence::watchRoom(ChatRoom *room)
{
    if (!room->isDirect())
        connect(room, &ChatRoom::membersChanged, this, &PeerPresence::changed);
}

void PeerPresence::setWindowActive(bool active)
{
    m_idle->setWindowActive(active);
}

bool PeerPresence::isOnline(const QString &nickname) const
{
    if (!isConnected())
        return false;
    if (m_session->isPresent(nickname))
        return true;
    return m_session->userPresence()->stateOf(nickname) != UserPresence::State::Absent;
}

bool PeerPresence::isConnected() const
{
    if (!m_session)
        return false;
    const RedisClient::ClientState state = m_session->client()->state();
    return state == RedisClient::ClientState::Connected || state == RedisClient::ClientState::NotResponding;
}

bool PeerPresence::isAway() const
{
    return m_idle->isIdle();
}

QString PeerPresence::presenceOf(const QString &nickname) const
{
    if (!isOnline(nickname))
        return QStringLiteral("offline");
    const bool away = nickname == m_session->nickname()
        ? isAway()
        : m_session->userPresence()->stateOf(nickname) == UserPresence::State::Away;
    return away ? QStringLiteral("away") : QStringLiteral("online");
}

} // namespace Redwire
