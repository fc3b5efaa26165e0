#include "SentinelSetup.h"

#include <QTest>

namespace RedwireTest {

SentinelSetup::SentinelSetup()
{
    for (auto &server : m_servers)
        server = std::make_unique<RedisServerProcess>();
    for (auto &sentinel : m_sentinels)
        sentinel = std::make_unique<RedisServerProcess>();
}

SentinelSetup::~SentinelSetup()
{
    stop();
}

bool SentinelSetup::start()
{
    return start(Options());
}

bool SentinelSetup::start(const Options &options)
{
    stop();
    m_options = options;
    m_error.clear();
    if (!m_servers[0]->start()) {
        m_error = QStringLiteral("master: ") + m_servers[0]->errorString();
        return false;
    }
    const QByteArray masterPort = QByteArray::number(m_servers[0]->port());
    RedisServerProcess::Options replica;
    replica.extraConfig << QStringLiteral("replicaof 127.0.0.1 %1").arg(m_servers[0]->port());
    if (!m_servers[1]->start(replica)) {
        m_error = QStringLiteral("replica: ") + m_servers[1]->errorString();
        return false;
    }
    const QString name = options.masterName;
    for (int i = 0; i < SentinelCount; ++i) {
        RedisServerProcess::Options sentinel;
        sentinel.sentinel = true;
        sentinel.extraConfig
            << QStringLiteral("sentinel monitor %1 127.0.0.1 %2 2").arg(name).arg(m_servers[0]->port())
            << QStringLiteral("sentinel down-after-milliseconds %1 %2").arg(name).arg(options.downAfterMs)
            << QStringLiteral("sentinel failover-timeout %1 %2").arg(name).arg(options.failoverTimeoutMs)
            << QStringLiteral("sentinel parallel-syncs %1 1").arg(name);
        if (!m_sentinels[size_t(i)]->start(sentinel)) {
            m_error = QStringLiteral("sentinel %1: %2").arg(i).arg(m_sentinels[size_t(i)]->errorString());
            return false;
        }
    }
    return waitUntilReady();
}

bool SentinelSetup::waitUntilReady()
{
    const QByteArray name = m_options.masterName.toUtf8();
    QByteArray last;
    const bool ready = QTest::qWaitFor(
        [&] {
            last = m_servers[1]->cli({ QStringLiteral("INFO"), QStringLiteral("replication") });
            if (RedisServerProcess::infoField(last, "master_link_status") != "up")
                return false;
            for (int i = 0; i < SentinelCount; ++i) {
                last = sentinelCli(
                    i, { QStringLiteral("SENTINEL"), QStringLiteral("MASTER"), m_options.masterName });
                // Flat field/value lines from redis-cli.
                const QList<QByteArray> lines = last.split('\n');
                QByteArray slaves, others;
                for (qsizetype j = 0; j + 1 < lines.size(); ++j) {
                    if (lines.at(j).trimmed() == "num-slaves")
                        slaves = lines.at(j + 1).trimmed();
                    if (lines.at(j).trimmed() == "num-other-sentinels")
                        others = lines.at(j + 1).trimmed();
                }
                if (slaves != "1" || others != QByteArray::number(SentinelCount - 1))
                    return false;
            }
            return true;
        },
        m_options.readyTimeoutMs);
    if (!ready)
        m_error = QStringLiteral("the sentinel setup was not ready after %1 ms; last answer: %2")
                      .arg(m_options.readyTimeoutMs)
                      .arg(QString::fromUtf8(last));
    Q_UNUSED(name)
    return ready;
}

void SentinelSetup::stop()
{
    for (auto &sentinel : m_sentinels)
        sentinel->stop();
    for (auto &server : m_servers)
        server->stop();
}

QString SentinelSetup::url() const
{
    QStringList addresses;
    for (const auto &sentinel : m_sentinels)
        addresses << QStringLiteral("127.0.0.1:%1").arg(sentinel->port());
    return QStringLiteral("redis+sentinel://%1/%2")
        .arg(addresses.join(QLatin1Char(',')), m_options.masterName);
}

RedisServerProcess *SentinelSetup::serverOnPort(quint16 port)
{
    for (auto &server : m_servers)
        if (server->port() == port)
            return server.get();
    return nullptr;
}

QByteArray SentinelSetup::sentinelCli(int index, const QStringList &args)
{
    return m_sentinels[size_t(index)]->cli(args, 2000);
}

quint16 SentinelSetup::masterPortFromSentinels()
{
    for (int i = 0; i < SentinelCount; ++i) {
        const QList<QByteArray> lines = sentinelCli(i,
            { QStringLiteral("SENTINEL"), QStringLiteral("get-master-addr-by-name"), m_options.masterName })
                                            .split('\n');
        if (lines.size() == 2)
            return quint16(lines.at(1).trimmed().toUInt());
    }
    return 0;
}

bool SentinelSetup::forceFailover()
{
    const QByteArray answer
        = sentinelCli(0, { QStringLiteral("SENTINEL"), QStringLiteral("FAILOVER"), m_options.masterName });
    if (answer != "OK")
        m_error = QStringLiteral("SENTINEL FAILOVER answered: %1").arg(QString::fromUtf8(answer));
    return answer == "OK";
}

quint16 SentinelSetup::waitForNewMaster(quint16 oldPort, int timeoutMs)
{
    quint16 port = 0;
    const bool moved = QTest::qWaitFor(
        [&] {
            for (int i = 0; i < SentinelCount; ++i) {
                const QList<QByteArray> lines = sentinelCli(i,
                    { QStringLiteral("SENTINEL"), QStringLiteral("get-master-addr-by-name"),
                        m_options.masterName })
                                                    .split('\n');
                if (lines.size() != 2 || lines.at(1).trimmed().toUInt() == oldPort)
                    return false;
                port = quint16(lines.at(1).trimmed().toUInt());
            }
            RedisServerProcess *server = serverOnPort(port);
            return server && server->cli({ QStringLiteral("ROLE") }).startsWith("master");
        },
        timeoutMs);
    return moved ? port : 0;
}

} // namespace RedwireTest
