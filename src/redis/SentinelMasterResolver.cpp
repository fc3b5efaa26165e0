#include "SentinelMasterResolver.h"

#include "CommandConnection.h"
#include "RedisReply.h"
#include "ServerRound.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QPointer>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

namespace {
// The options of a connection to one sentinel: no AUTH, no SELECT (a sentinel has neither the
// data's password nor databases), short timeouts, no reconnecting: the next sentinel is asked
// instead.
ConnectionOptions sentinelConnectionOptions(const ConnectionOptions &options, const ServerAddress &sentinel)
{
    ConnectionOptions result;
    result.host = sentinel.host;
    result.port = sentinel.port;
    result.connectTimeoutMs = options.discoveryTimeoutMs;
    result.commandTimeoutMs = options.discoveryTimeoutMs;
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
    , m_round(new ServerRound(
          QStringLiteral("sentinel"), options.discoveryTimeoutMs,
          [options](const ServerAddress &sentinel) { return sentinelConnectionOptions(options, sentinel); },
          this))
{
    connect(m_round, &ServerRound::exhausted, this, [this](const QStringList &problems) {
        Q_EMIT failed(RedisError(RedisError::Code::ConnectionRefused,
            tr("No sentinel named the master \"%1\" (%2).")
                .arg(m_options.sentinelMaster, problems.join(QStringLiteral("; ")))));
    });
}

SentinelMasterResolver::~SentinelMasterResolver() = default;

bool SentinelMasterResolver::isResolving() const
{
    return m_round->isRunning();
}

void SentinelMasterResolver::resolve()
{
    m_round->start(m_sentinels, [this](CommandConnection *connection) {
        connection->send({ "SENTINEL", "get-master-addr-by-name", m_options.sentinelMaster.toUtf8() },
            [this, connection](const RedisReply &reply, const RedisError &error) {
                if (!m_round->isCurrent(connection))
                    return;
                if (error.isError())
                    m_round->reject(error.message());
                else
                    answered(reply);
            });
    });
}

void SentinelMasterResolver::cancel()
{
    m_round->cancel();
}

void SentinelMasterResolver::answered(const RedisReply &reply)
{
    if (reply.isNil()) {
        m_round->reject(tr("it does not know a master named \"%1\"").arg(m_options.sentinelMaster));
        return;
    }
    if (reply.isError()) {
        m_round->reject(QString::fromUtf8(reply.bytes()));
        return;
    }
    bool ok = false;
    const uint port = stringAt(reply, 1).toUInt(&ok);
    const QByteArray host = stringAt(reply, 0);
    if (!reply.isArray() || reply.size() != 2 || host.isEmpty() || !ok || port == 0 || port > 65535) {
        m_round->reject(tr("an answer that is not an address: %1").arg(reply.toDisplayString()));
        return;
    }
    const ServerAddress sentinel = m_round->current();
    m_sentinels.removeOne(sentinel);
    m_sentinels.prepend(sentinel);
    const ServerAddress master { QString::fromUtf8(host), quint16(port) };
    qCInfo(lcRedis) << "sentinel" << sentinel.displayName() << "names" << master.displayName()
                    << "as master of" << m_options.sentinelMaster;
    // The same connection then asks for the other sentinels; it goes once they are known.
    QPointer<CommandConnection> connection = m_round->accept();
    if (connection) {
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
