#include "ServerRound.h"

#include "CommandConnection.h"

#include <QCoreApplication>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

ServerRound::ServerRound(const QString &what, int timeoutMs, OptionsFor optionsFor, QObject *parent)
    : QObject(parent)
    , m_what(what)
    , m_timeoutMs(timeoutMs)
    , m_optionsFor(std::move(optionsFor))
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        reject(QCoreApplication::translate("Redwire::ServerRound", "no answer within %1 ms")
                   .arg(2 * m_timeoutMs));
    });
}

ServerRound::~ServerRound()
{
    dropConnection();
}

void ServerRound::start(const QList<ServerAddress> &servers, Ask ask)
{
    if (isRunning() || servers.isEmpty())
        return;
    m_servers = servers;
    m_ask = std::move(ask);
    m_index = 0;
    m_problems.clear();
    // From the event loop: a caller's slot must not see the answer before the call returns.
    QMetaObject::invokeMethod(this, &ServerRound::askCurrent, Qt::QueuedConnection);
}

void ServerRound::cancel()
{
    m_index = -1;
    m_timeout.stop();
    dropConnection();
}

bool ServerRound::isCurrent(const CommandConnection *connection) const
{
    return isRunning() && connection && connection == m_connection;
}

ServerAddress ServerRound::current() const
{
    return m_index >= 0 && m_index < m_servers.size() ? m_servers.at(m_index) : ServerAddress();
}

void ServerRound::dropConnection()
{
    if (!m_connection)
        return;
    // Forgotten first: the handlers its disconnect fails must not take it for the current one.
    CommandConnection *connection = m_connection;
    m_connection = nullptr;
    connection->disconnect(this);
    connection->disconnectFromServer();
    connection->deleteLater();
}

void ServerRound::askCurrent()
{
    if (m_index < 0 || m_index >= m_servers.size())
        return;
    dropConnection();
    auto *connection = new CommandConnection(m_optionsFor(m_servers.at(m_index)), this);
    m_connection = connection;
    // Twice the timeout: the connection's own connect and command timeouts report first; a
    // second command (after a refused first one) fits in it too.
    m_timeout.start(2 * m_timeoutMs);
    connect(connection, &RedisConnection::errorOccurred, this,
        [this](const RedisError &error) { reject(error.message()); });
    connect(connection, &RedisConnection::connected, this, [this, connection] {
        if (isCurrent(connection))
            m_ask(connection);
    });
    connection->connectToServer();
}

CommandConnection *ServerRound::accept()
{
    m_timeout.stop();
    m_index = -1;
    CommandConnection *connection = m_connection;
    m_connection = nullptr;
    if (connection)
        connection->disconnect(this);
    return connection;
}

void ServerRound::reject(const QString &reason)
{
    if (m_index < 0 || m_index >= m_servers.size())
        return;
    const ServerAddress server = m_servers.at(m_index);
    m_problems
        << QCoreApplication::translate("Redwire::ServerRound", "%1: %2").arg(server.displayName(), reason);
    qCInfo(lcRedis) << m_what << server.displayName() << "did not answer as needed:" << reason;
    m_timeout.stop();
    dropConnection();
    if (++m_index < m_servers.size()) {
        QMetaObject::invokeMethod(this, &ServerRound::askCurrent, Qt::QueuedConnection);
        return;
    }
    m_index = -1;
    Q_EMIT exhausted(m_problems);
}

} // namespace Redwire
