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

quint16 ClusterSetup::slotOf(const QString &key)
{
    for (auto &node : m_nodes)
        if (node->isRunning() && !node->isPaused())
            return quint16(node->cli({ QStringLiteral("CLUSTER"), QStringLiteral("KEYSLOT"), key }).toUInt());
    return 0;
}

QByteArray ClusterSetup::nodeId(quint16 port)
{
    RedisServerProcess *node = nodeOnPort(port);
    return node ? node->cli({ QStringLiteral("CLUSTER"), QStringLiteral("MYID") }).trimmed() : QByteArray();
}

bool ClusterSetup::beginSlotMigration(quint16 slot, quint16 from, quint16 to)
{
    const QString number = QString::number(slot);
    RedisServerProcess *source = nodeOnPort(from);
    RedisServerProcess *target = nodeOnPort(to);
    if (!source || !target) {
        m_error = QStringLiteral("no node on port %1 or %2").arg(from).arg(to);
        return false;
    }
    const QByteArray importing = target->cli({ QStringLiteral("CLUSTER"), QStringLiteral("SETSLOT"), number,
        QStringLiteral("IMPORTING"), QString::fromLatin1(nodeId(from)) });
    const QByteArray migrating = source->cli({ QStringLiteral("CLUSTER"), QStringLiteral("SETSLOT"), number,
        QStringLiteral("MIGRATING"), QString::fromLatin1(nodeId(to)) });
    if (importing != "OK" || migrating != "OK") {
        m_error = QStringLiteral("SETSLOT %1 IMPORTING/MIGRATING: %2 / %3")
                      .arg(number, QString::fromUtf8(importing), QString::fromUtf8(migrating));
        return false;
    }
    return true;
}

bool ClusterSetup::migrateSlotKeys(quint16 slot, quint16 from, quint16 to)
{
    RedisServerProcess *source = nodeOnPort(from);
    if (!source) {
        m_error = QStringLiteral("no node on port %1").arg(from);
        return false;
    }
    for (;;) {
        const QByteArray keys = source->cli({ QStringLiteral("CLUSTER"), QStringLiteral("GETKEYSINSLOT"),
            QString::number(slot), QStringLiteral("100") });
        if (keys.trimmed().isEmpty())
            return true;
        QStringList migrate { QStringLiteral("MIGRATE"), QStringLiteral("127.0.0.1"), QString::number(to),
            QString(), QStringLiteral("0"), QStringLiteral("5000"), QStringLiteral("KEYS") };
        for (const QByteArray &key : keys.split('\n'))
            if (!key.isEmpty())
                migrate.append(QString::fromUtf8(key));
        const QByteArray answer = source->cli(migrate);
        if (answer != "OK" && answer != "NOKEY") {
            m_error = QStringLiteral("MIGRATE: %1").arg(QString::fromUtf8(answer));
            return false;
        }
    }
}

bool ClusterSetup::finishSlotMigration(quint16 slot, quint16 to)
{
    const QByteArray id = nodeId(to);
    // Every primary: the target first (it stops importing), then the others.
    QList<RedisServerProcess *> primaries;
    for (auto &node : m_nodes) {
        if (!node->isRunning() || node->isPaused())
            continue;
        const QByteArray info = node->cli({ QStringLiteral("INFO"), QStringLiteral("replication") });
        if (RedisServerProcess::infoField(info, "role") == "master")
            node->port() == to ? primaries.prepend(node.get()) : primaries.append(node.get());
    }
    for (RedisServerProcess *primary : std::as_const(primaries)) {
        const QByteArray answer = primary->cli({ QStringLiteral("CLUSTER"), QStringLiteral("SETSLOT"),
            QString::number(slot), QStringLiteral("NODE"), QString::fromLatin1(id) });
        if (answer != "OK") {
            m_error = QStringLiteral("SETSLOT %1 NODE on %2: %3")
                          .arg(slot)
                          .arg(primary->port())
                          .arg(QString::fromUtf8(answer));
            return false;
        }
    }
    if (!QTest::qWaitFor(
            [&] {
                for (auto &node : m_nodes)
                    if (node->isRunning() && !node->isPaused() && primaryPortForSlot(slot) != to)
                        return false;
                return true;
            },
            10000)) {
        m_error = QStringLiteral("slot %1 not served by %2 after 10 s").arg(slot).arg(to);
        return false;
    }
    return true;
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
