#include "SentinelFailover.h"

#include "CommandConnection.h"
#include "ConnectionMove.h"
#include "ReconnectBackoff.h"
#include "SentinelEventWatch.h"
#include "SentinelMasterResolver.h"

#include <QCoreApplication>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

SentinelFailover::SentinelFailover(
    const ConnectionOptions &options, QList<RedisConnection *> connections, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_connections(std::move(connections))
    , m_resolver(new SentinelMasterResolver(options, this))
    , m_watch(new SentinelEventWatch(options, this))
    , m_backoff(std::make_unique<ReconnectBackoff>(options.reconnect))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, m_resolver, &SentinelMasterResolver::resolve);
    connect(m_resolver, &SentinelMasterResolver::resolved, this,
        [this](const ServerAddress &master) { resolved(master); });
    connect(m_resolver, &SentinelMasterResolver::failed, this, [this](const RedisError &error) {
        if (!m_running)
            return;
        const int delay = m_backoff->nextDelayMs();
        qCWarning(lcRedis) << error.message() << "- asking again in" << delay << "ms";
        m_retryTimer.start(delay);
        Q_EMIT resolutionFailed(error, delay);
    });
    connect(m_resolver, &SentinelMasterResolver::sentinelsChanged, this,
        [this] { m_watch->setSentinels(m_resolver->sentinels()); });
    connect(m_watch, &SentinelEventWatch::eventReceived, this, &SentinelFailover::sentinelEvent);
    connect(m_watch, &SentinelEventWatch::masterSwitched, this, [this](const ServerAddress &master) {
        if (m_running && master != m_master)
            moveTo(master, tr("the sentinels switched the master to %1").arg(master.displayName()));
    });
    for (RedisConnection *connection : std::as_const(m_connections)) {
        connect(connection, &RedisConnection::readOnlyReplyReceived, this,
            [this] { resolveSoon(tr("the server answered READONLY: it is a replica now"), true); });
        connect(connection, &RedisConnection::errorOccurred, this, &SentinelFailover::connectionFailed);
    }
    if (auto *commands = qobject_cast<CommandConnection *>(m_connections.value(0)))
        connect(commands, &RedisConnection::connected, this, &SentinelFailover::checkRole);
}

SentinelFailover::~SentinelFailover() = default;

QList<ServerAddress> SentinelFailover::sentinels() const
{
    return m_resolver->sentinels();
}

void SentinelFailover::start()
{
    if (m_running)
        return;
    m_running = true;
    m_master = {}; // the first answer connects, even when it names the master of last time
    m_backoff->reset();
    m_watch->start();
    m_resolver->resolve();
}

void SentinelFailover::stop()
{
    m_running = false;
    m_retryTimer.stop();
    m_resolver->cancel();
    m_watch->stop();
}

void SentinelFailover::resolveSoon(const QString &why, bool insist)
{
    if (!m_running)
        return;
    m_insist = m_insist || insist;
    if (m_resolver->isResolving() || m_retryTimer.isActive())
        return;
    qCInfo(lcRedis) << "asking the sentinels for the master again:" << why;
    m_resolver->resolve();
}

void SentinelFailover::resolved(const ServerAddress &master)
{
    if (!m_running)
        return;
    if (master != m_master || !m_master.isValid()) {
        moveTo(master,
            m_master.isValid() ? tr("the sentinels name %1 as the master now").arg(master.displayName())
                               : tr("the sentinels name %1 as the master").arg(master.displayName()));
        return;
    }
    // The same master as before: the connections keep their own reconnecting. After a refusal
    // (ROLE, READONLY) the sentinels have not caught up yet: ask again, with backoff.
    if (m_insist)
        m_retryTimer.start(m_backoff->nextDelayMs());
}

void SentinelFailover::moveTo(const ServerAddress &master, const QString &reason)
{
    const bool first = !m_master.isValid();
    m_master = master;
    m_retryTimer.stop();
    m_insist = false;
    qCInfo(lcRedis) << "following the master of" << m_options.sentinelMaster << "to" << master.displayName()
                    << "-" << reason;
    const RedisError moved(RedisError::Code::ConnectionLost,
        tr("The master of \"%1\" moved to %2 (%3); following it.")
            .arg(m_options.sentinelMaster, master.displayName(), reason));
    m_moving = true;
    moveConnections(m_connections, master, moved, first);
    m_moving = false;
    Q_EMIT masterChanged(master, reason);
}

void SentinelFailover::checkRole()
{
    auto *commands = qobject_cast<CommandConnection *>(m_connections.value(0));
    if (!commands || !m_running)
        return;
    const ServerAddress asked = m_master;
    commands->send({ "ROLE" }, [this, asked](const RedisReply &reply, const RedisError &error) {
        if (error.isError() || asked != m_master || !m_running)
            return; // the connection went; what follows decides
        const QByteArray role = reply.isArray() && reply.size() > 0 ? reply.at(0).bytes() : QByteArray();
        if (role == "master") {
            m_backoff->reset();
            m_insist = false;
            m_retryTimer.stop();
            return;
        }
        const QString why
            = tr("%1 is not the master (ROLE: %2)").arg(asked.displayName(), reply.toDisplayString());
        qCWarning(lcRedis) << why;
        const RedisError notMaster(RedisError::Code::ConnectionLost, why);
        m_moving = true;
        for (RedisConnection *connection : std::as_const(m_connections))
            connection->failConnection(notMaster);
        m_moving = false;
        resolveSoon(why, true);
    });
}

void SentinelFailover::connectionFailed()
{
    if (!m_moving)
        resolveSoon(tr("the connection to %1 failed").arg(m_master.displayName()), false);
}

} // namespace Redwire
