#include "SentinelMasterResolver.h"

#include "CommandConnection.h"
#include "RedisReply.h"

#include <QCoreApplication>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Redwire::SentinelMasterResolver", text);
}

// The options of a connection to one sentinel: no AUTH, no SELECT (a sentinel has neither the
// data's password nor databases), short timeouts, no reconnecting: the next sentinel is asked
// instead.
ConnectionOptions sentinelConnectionOptions(const ConnectionOptions &options, const ServerAddress &sentinel)
{
    ConnectionOptions result;
    result.host = sentinel.host;
    result.port = sentinel.port;
    result.connectTimeoutMs = options.sentinelTimeoutMs;
    result.commandTimeoutMs = options.sentinelTimeoutMs;
    result.heartbeatIntervalMs = 0;
    result.reconnect.enabled = false;
    result.tls = options.tls;
    return result;
}

// A string element of a reply, or empty.
QByteArray stringAt(const RedisReply &reply, qsizetype index)
{
    return index < reply.size() && (reply.at(index).isString() || reply.at(index).isStatus())
        ? reply.at(index).bytes()
        : QByteArray();
}
} // namespace

SentinelMasterResolver::SentinelMasterResolver(const ConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_sentinels(options.seeds)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this,
        [this] { currentFailed(tr("no answer within %1 ms").arg(m_options.sentinelTimeoutMs)); });
}

SentinelMasterResolver::~SentinelMasterResolver()
{
    dropConnection();
}

void SentinelMasterResolver::resolve()
{
    if (isResolving() || m_sentinels.isEmpty())
        return;
    m_index = 0;
    m_problems.clear();
    // From the event loop: a caller's slot must not see the answer before the call returns.
    QMetaObject::invokeMethod(this, &SentinelMasterResolver::askCurrent, Qt::QueuedConnection);
}

void SentinelMasterResolver::cancel()
{
    m_index = -1;
    m_timeout.stop();
    dropConnection();
}

void SentinelMasterResolver::dropConnection()
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

void SentinelMasterResolver::askCurrent()
{
    if (m_index < 0 || m_index >= m_sentinels.size())
        return;
    dropConnection();
    const ServerAddress sentinel = m_sentinels.at(m_index);
    auto *connection = new CommandConnection(sentinelConnectionOptions(m_options, sentinel), this);
    m_connection = connection;
    // Twice the timeout: the connection's own connect and command timeouts report first.
    m_timeout.start(2 * m_options.sentinelTimeoutMs);
    connect(connection, &RedisConnection::errorOccurred, this,
        [this](const RedisError &error) { currentFailed(error.message()); });
    connect(connection, &RedisConnection::connected, this, [this, connection] {
        connection->send({ "SENTINEL", "get-master-addr-by-name", m_options.sentinelMaster.toUtf8() },
            [this, connection](const RedisReply &reply, const RedisError &error) {
                if (connection != m_connection)
                    return;
                if (error.isError())
                    currentFailed(error.message());
                else
                    answered(reply);
            });
    });
    connection->connectToServer();
}

void SentinelMasterResolver::currentFailed(const QString &reason)
{
    if (m_index < 0 || m_index >= m_sentinels.size())
        return;
    m_problems << tr("%1: %2").arg(m_sentinels.at(m_index).displayName(), reason);
    qCInfo(lcRedis) << "sentinel" << m_sentinels.at(m_index).displayName()
                    << "did not name the master:" << reason;
    m_timeout.stop();
    dropConnection();
    if (++m_index < m_sentinels.size()) {
        QMetaObject::invokeMethod(this, &SentinelMasterResolver::askCurrent, Qt::QueuedConnection);
        return;
    }
    m_index = -1;
    Q_EMIT failed(RedisError(RedisError::Code::ConnectionRefused,
        tr("No sentinel named the master \"%1\" (%2).")
            .arg(m_options.sentinelMaster, m_problems.join(QStringLiteral("; ")))));
}

void SentinelMasterResolver::answered(const RedisReply &reply)
{
    if (reply.isNil()) {
        currentFailed(tr("it does not know a master named \"%1\"").arg(m_options.sentinelMaster));
        return;
    }
    if (reply.isError()) {
        currentFailed(QString::fromUtf8(reply.bytes()));
        return;
    }
    bool ok = false;
    const uint port = stringAt(reply, 1).toUInt(&ok);
    const QByteArray host = stringAt(reply, 0);
    if (!reply.isArray() || reply.size() != 2 || host.isEmpty() || !ok || port == 0 || port > 65535) {
        currentFailed(tr("an answer that is not an address: %1").arg(reply.toDisplayString()));
        return;
    }
    m_timeout.stop();
    const ServerAddress sentinel = m_sentinels.takeAt(m_index);
    m_sentinels.prepend(sentinel);
    m_index = -1;
    const ServerAddress master { QString::fromUtf8(host), quint16(port) };
    qCInfo(lcRedis) << "sentinel" << sentinel.displayName() << "names" << master.displayName()
                    << "as master of" << m_options.sentinelMaster;
    // The same connection then asks for the other sentinels; it goes once they are known.
    QPointer<CommandConnection> connection = m_connection;
    m_connection = nullptr;
    if (connection) {
        connection->disconnect(this);
        connection->send({ "SENTINEL", "sentinels", m_options.sentinelMaster.toUtf8() },
            [this, connection](const RedisReply &others, const RedisError &error) {
                // Aborted: disconnected, or the resolver (its parent) is going away.
                if (error.code() == RedisError::Code::Aborted)
                    return;
                if (!error.isError())
                    mergeSentinels(others);
                if (connection)
                    connection->deleteLater();
            });
    }
    Q_EMIT resolved(master, sentinel);
}

// SENTINEL sentinels: one flat field/value array per other sentinel ("ip", "127.0.0.1", "port", ...).
void SentinelMasterResolver::mergeSentinels(const RedisReply &reply)
{
    bool changed = false;
    for (const RedisReply &entry : reply.elements()) {
        ServerAddress address;
        for (qsizetype i = 0; i + 1 < entry.size(); i += 2) {
            const QByteArray field = stringAt(entry, i);
            if (field == "ip")
                address.host = QString::fromUtf8(stringAt(entry, i + 1));
            else if (field == "port")
                address.port = quint16(stringAt(entry, i + 1).toUInt());
        }
        if (address.isValid() && !m_sentinels.contains(address)) {
            m_sentinels.append(address);
            changed = true;
        }
    }
    if (changed)
        Q_EMIT sentinelsChanged();
}

} // namespace Redwire
