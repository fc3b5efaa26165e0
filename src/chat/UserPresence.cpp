#include "UserPresence.h"

#include "ChatLogging.h"
#include "RoomAddress.h"

#include "redis/CommandConnection.h"

#include <QPointer>

#include <algorithm>

namespace Redwire {

namespace {
const QByteArray OnlineValue = "online";
const QByteArray AwayValue = "away";
} // namespace

UserPresence::UserPresence(CommandConnection *commands, const ChatConfig &config, QObject *parent)
    : QObject(parent)
    , m_commands(commands)
    , m_config(config)
{
    m_timer.setInterval(qMax(10, config.presenceIntervalMs));
    connect(&m_timer, &QTimer::timeout, this, &UserPresence::beat);
    connect(m_commands, &RedisConnection::connected, this, &UserPresence::beat);
    m_timer.start();
}

void UserPresence::setNickname(const QString &nickname)
{
    if (nickname == m_nickname)
        return;
    m_nickname = nickname;
    ++m_generation;
    beat();
}

void UserPresence::setAway(bool away)
{
    if (away == m_away)
        return;
    m_away = away;
    writeOwn();
}

void UserPresence::setWatched(QStringList nicknames)
{
    nicknames.removeAll(QString());
    nicknames.removeAll(m_nickname);
    nicknames.removeDuplicates();
    if (nicknames.size() > MaxWatched)
        nicknames.resize(MaxWatched); // the first ones matter most
    std::sort(nicknames.begin(), nicknames.end());
    if (nicknames == m_watched)
        return;
    const QStringList added = [&] {
        QStringList fresh;
        for (const QString &name : std::as_const(nicknames))
            if (!m_watched.contains(name))
                fresh << name;
        return fresh;
    }();
    m_watched = nicknames;
    bool forgotten = false;
    for (auto it = m_states.begin(); it != m_states.end();) {
        if (m_watched.contains(it.key())) {
            ++it;
        } else {
            it = m_states.erase(it);
            forgotten = true;
        }
    }
    if (forgotten)
        Q_EMIT statesChanged();
    // Someone new to watch is read now, not at the next beat.
    if (!added.isEmpty())
        readWatched();
}

void UserPresence::beat()
{
    writeOwn();
    readWatched();
}

void UserPresence::writeOwn()
{
    if (m_nickname.isEmpty() || !m_commands->isConnected())
        return;
    m_commands->send({ "SET", RoomAddress::userPresenceKey(m_nickname), m_away ? AwayValue : OnlineValue,
                         "PX", QByteArray::number(qMax(1, m_config.presenceTtlMs)) },
        [key = RoomAddress::userPresenceKey(m_nickname)](const RedisReply &reply, const RedisError &error) {
            if (error.isError() || reply.isError())
                qCInfo(lcChat) << "presence" << key
                               << "not written:" << RedisError::forCommand(reply, error).message();
        });
}

// One GET per person, pipelined: their keys live in their own cluster slots.
void UserPresence::readWatched()
{
    if (m_nickname.isEmpty() || m_watched.isEmpty() || !m_commands->isConnected())
        return;
    const quint64 generation = ++m_generation;
    QPointer<UserPresence> self(this);
    for (const QString &name : std::as_const(m_watched)) {
        m_commands->send({ "GET", RoomAddress::userPresenceKey(name) },
            [self, generation, name](const RedisReply &reply, const RedisError &error) {
                if (!self || self->m_generation != generation || error.isError() || reply.isError())
                    return;
                // Values other than "away" (a later version's states) count as there.
                const State state = reply.isNil() ? State::Absent
                    : reply.bytes() == AwayValue  ? State::Away
                                                  : State::Online;
                if (!self->m_watched.contains(name) || self->m_states.value(name, State::Absent) == state)
                    return;
                self->m_states.insert(name, state);
                Q_EMIT self->statesChanged();
            });
    }
}

} // namespace Redwire
