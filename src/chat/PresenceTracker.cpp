#include "PresenceTracker.h"

#include "ChatEnvelope.h"
#include "ChatLogging.h"
#include "ChatScripts.h"
#include "UntrustedText.h"

#include "redis/CommandConnection.h"

#include <QPointer>

#include <algorithm>

namespace Redwire {

namespace {
// After a join or leave notice, the member list is read again this soon (notices in a burst
// share one read).
constexpr int RecheckDelayMs = 250;
} // namespace

PresenceTracker::PresenceTracker(CommandConnection *commands, const RoomAddress &address,
    const QString &nickname, const ChatConfig &config, QObject *parent)
    : QObject(parent)
    , m_commands(commands)
    , m_address(address)
    , m_nickname(nickname)
    , m_config(config)
{
    m_timer.setInterval(qMax(10, config.presenceIntervalMs));
    connect(&m_timer, &QTimer::timeout, this, &PresenceTracker::heartbeat);
    m_recheck.setSingleShot(true);
    m_recheck.setInterval(qMin(RecheckDelayMs, qMax(10, config.presenceIntervalMs)));
    connect(&m_recheck, &QTimer::timeout, this, &PresenceTracker::heartbeat);
    connect(m_commands, &RedisConnection::connected, this, [this] {
        if (m_active)
            heartbeat();
    });
}

void PresenceTracker::start()
{
    if (m_active)
        return;
    m_active = true;
    m_timer.start();
    heartbeat();
}

void PresenceTracker::stop()
{
    m_active = false;
    m_recheck.stop();
    m_inFlight = false;
    ++m_generation;
    m_timer.stop();
}

void PresenceTracker::leave()
{
    const bool wasActive = m_active;
    stop();
    if (!wasActive || !m_commands->isConnected())
        return;
    ChatEnvelope envelope = ChatEnvelope::create(ChatEnvelope::Kind::Leave, m_nickname);
    envelope.reason = QStringLiteral("left");
    const RoomAddress::Announcement announcement = m_address.announcement(m_commands->options().topology);
    m_commands->send(
        ChatScripts::eval(ChatScripts::leave(), { m_address.presenceKey(), m_address.historyKey() },
            { announcement.channel, m_nickname.toUtf8(), QByteArray::number(m_config.historyLength),
                envelope.encode(), announcement.verb }));
}

void PresenceTracker::heartbeat()
{
    if (!m_active || m_inFlight || !m_commands->isConnected())
        return;
    m_inFlight = true;
    const QByteArray join = ChatEnvelope::create(ChatEnvelope::Kind::Join, m_nickname).encode();
    const RoomAddress::Announcement announcement = m_address.announcement(m_commands->options().topology);
    const QList<QByteArray> command
        = ChatScripts::eval(ChatScripts::heartbeat(), { m_address.presenceKey(), m_address.historyKey() },
            { announcement.channel, m_nickname.toUtf8(), QByteArray::number(qMax(1, m_config.presenceTtlMs)),
                QByteArray::number(m_config.historyLength), join, announcement.verb });
    QPointer<PresenceTracker> self(this);
    const quint64 generation = m_generation;
    m_commands->send(command, [self, generation](const RedisReply &reply, const RedisError &error) {
        if (!self || self->m_generation != generation)
            return;
        self->m_inFlight = false;
        if (error.isError() || !reply.isArray()) {
            const QString reason = RedisError::forUnexpectedReply(reply, error).message();
            qCInfo(lcChat) << "presence heartbeat in" << self->m_address.channel() << "failed:" << reason;
            Q_EMIT self->heartbeatFailed(reason);
            return;
        }
        QStringList members;
        for (const RedisReply &member : reply.elements()) {
            const QString name = UntrustedText::fromUtf8(member.bytes(), UntrustedText::Lines::Flatten);
            if (!name.isEmpty() && !members.contains(name))
                members.append(name);
        }
        self->setMembers(members);
        if (self)
            Q_EMIT self->refreshed();
    });
}

void PresenceTracker::setMembers(QStringList members)
{
    std::sort(members.begin(), members.end());
    if (members == m_members)
        return;
    const QStringList before = m_members;
    m_members = members;
    QPointer<PresenceTracker> self(this);
    for (const QString &name : std::as_const(members))
        if (self && !before.contains(name))
            Q_EMIT memberJoined(name);
    for (const QString &name : before)
        if (self && !members.contains(name))
            Q_EMIT memberLeft(name);
    if (self)
        Q_EMIT membersChanged();
}

void PresenceTracker::noteJoined(const QString &nickname)
{
    if (nickname.isEmpty() || m_members.contains(nickname) || !m_active)
        return;
    if (!m_recheck.isActive())
        m_recheck.start();
}

void PresenceTracker::noteLeft(const QString &nickname)
{
    if (!m_members.contains(nickname) || !m_active)
        return;
    if (!m_recheck.isActive())
        m_recheck.start();
}

} // namespace Redwire
