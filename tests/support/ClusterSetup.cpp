#include "ClusterSetup.h"

#include <QTest>

namespace RedwireTest {

ClusterSetup::ClusterSetup()
{
    for (auto &node : m_nodes)
        node = std::make_unique<RedisServerProcess>();
}

ClusterSetup::~ClusterSetup()
{
    stop();
}

bool ClusterSetup::start()
{
    return start(Options());
}

bool ClusterSetup::start(const Options &options)
{
    stop();
    m_options = options;
    m_error.clear();
    m_created = false;
    QStringList create { QStringLiteral("--cluster"), QStringLiteral("create") };
    for (int i = 0; i < NodeCount; ++i) {
        RedisServerProcess::Options node;
        node.cluster = true;
        node.extraConfig << QStringLiteral("cluster-node-timeout %1").arg(options.nodeTimeoutMs);
        if (!m_nodes[size_t(i)]->start(node)) {
            m_error = QStringLiteral("node %1: %2").arg(i).arg(m_nodes[size_t(i)]->errorString());
            return false;
        }
        create << QStringLiteral("127.0.0.1:%1").arg(m_nodes[size_t(i)]->port());
    }
    create << QStringLiteral("--cluster-replicas") << QStringLiteral("1") << QStringLiteral("--cluster-yes");
    const RedisServerProcess::CliResult made = RedisServerProcess::runCli(create, options.readyTimeoutMs);
    if (!made.finished || made.exitCode != 0) {
        m_error = QStringLiteral("redis-cli --cluster create failed (exit %1): %2 %3")
                      .arg(made.exitCode)
                      .arg(QString::fromUtf8(made.out.right(2000)), QString::fromUtf8(made.err.right(2000)));
        return false;
    }
    const bool healthy = waitUntilHealthy(options.readyTimeoutMs);
    m_created = true;
    return healthy;
}

void ClusterSetup::stop()
{
    for (auto &node : m_nodes)
        node->stop();
}

QString ClusterSetup::url() const
{
    return QStringLiteral("redis+cluster://127.0.0.1:%1,127.0.0.1:%2")
        .arg(m_nodes[0]->port())
        .arg(m_nodes[1]->port());
}

RedisServerProcess *ClusterSetup::nodeOnPort(quint16 port)
{
    for (auto &node : m_nodes) {
        if (node->port() == port)
            return node.get();
    }
    return nullptr;
}

quint16 ClusterSetup::primaryPortForSlot(quint16 slot)
{
    for (auto &node : m_nodes) {
        if (!node->isRunning() || node->isPaused())
            continue;
        // CLUSTER SLOTS, as redis-cli prints it: first, last, ip, port, id, ... per line.
        const QList<QByteArray> lines
            = node->cli({ QStringLiteral("CLUSTER"), QStringLiteral("SLOTS") }).split('\n');
        for (qsizetype i = 0; i + 3 < lines.size(); ++i) {
            bool okFirst = false;
            bool okLast = false;
            const uint first = lines.at(i).trimmed().toUInt(&okFirst);
            const uint last = lines.at(i + 1).trimmed().toUInt(&okLast);
            if (okFirst && okLast && first <= slot && slot <= last
                && lines.at(i + 2).trimmed() == "127.0.0.1")
                return quint16(lines.at(i + 3).trimmed().toUInt());
        }
        return 0;
    }
    return 0;
}

bool ClusterSetup::waitUntilHealthy(int timeoutMs)
{
    QByteArray last;
    const bool ready = QTest::qWaitFor(
        [&] {
            for (auto &node : m_nodes) {
                if (!node->isRunning())
                    continue;
                last = node->cli({ QStringLiteral("CLUSTER"), QStringLiteral("INFO") });
                if (RedisServerProcess::infoField(last, "cluster_state") != "ok")
                    return false;
                // Every node knows which nodes are replicas (gossip takes a moment after create).
                if (!m_created) {
                    last = node->cli({ QStringLiteral("CLUSTER"), QStringLiteral("NODES") });
                    if (last.count(" slave ") + last.count(",slave ") != NodeCount / 2)
                        return false;
                    // ... and each replica is in sync (CLUSTER SLOTS leaves out one still loading).
                    last = node->cli({ QStringLiteral("INFO"), QStringLiteral("replication") });
                    if (RedisServerProcess::infoField(last, "role") == "slave"
                        && RedisServerProcess::infoField(last, "master_link_status") != "up")
                        return false;
                }
            }
            return true;
        },
        timeoutMs);
    if (!ready)
        m_error = QStringLiteral("the cluster did not become healthy: %1").arg(QString::fromUtf8(last));
    return ready;
}

} // namespace RedwireTest
