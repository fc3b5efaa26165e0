#pragma once

#include "RedisServerProcess.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <memory>

namespace RedwireTest {

// A Redis Cluster for one test, on loopback ports below 22768 (their bus ports below 32768): six
// redis-server nodes made into three primaries with a replica each by `redis-cli --cluster
// create`, each a RedisServerProcess of its own (stopped by PID when the object goes away). A
// short node timeout, so that a failover takes seconds.
class ClusterSetup
{
public:
    static constexpr int NodeCount = 6;

    struct Options
    {
        int nodeTimeoutMs = 1000;
        int readyTimeoutMs = 60000; // until every node says cluster_state:ok and knows all six
    };

    ClusterSetup();
    ~ClusterSetup();

    // Starts the nodes, creates the cluster and waits until it is ready. False with errorString().
    bool start(const Options &options);
    bool start();
    void stop();

    // redis+cluster://127.0.0.1:p0,127.0.0.1:p1 (two seeds).
    QString url() const;
    RedisServerProcess &node(int index) { return *m_nodes.at(size_t(index)); }
    // The node on this port, or nullptr.
    RedisServerProcess *nodeOnPort(quint16 port);
    // The port of the primary serving this slot, as the first running node tells; 0 if none does.
    quint16 primaryPortForSlot(quint16 slot);
    // The node's cluster ID (CLUSTER MYID); empty if it does not answer.
    QByteArray nodeId(quint16 port);
    // The three steps of moving a slot by hand, as `redis-cli --cluster reshard` does for each:
    // IMPORTING on `to` and MIGRATING on `from`; MIGRATE of every key of the slot (ASK / TRYAGAIN
    // answered meanwhile); then SETSLOT NODE on every primary, and wait until the nodes agree.
    // False (with errorString()) when a node refuses a step.
    bool beginSlotMigration(quint16 slot, quint16 from, quint16 to);
    bool migrateSlotKeys(quint16 slot, quint16 from, quint16 to);
    bool finishSlotMigration(quint16 slot, quint16 to);

    // The key's slot as a running node computes it (CLUSTER KEYSLOT), and the port of the primary
    // serving it (0 if none does).
    quint16 slotOf(const QString &key);
    quint16 primaryPortForKey(const QString &key) { return primaryPortForSlot(slotOf(key)); }

    // Waits until every running node says cluster_state:ok (while starting: and knows the three
    // replicas). False on timeout.
    bool waitUntilHealthy(int timeoutMs = 30000);

    QString errorString() const { return m_error; }

private:
    Options m_options;
    std::array<std::unique_ptr<RedisServerProcess>, NodeCount> m_nodes;
    QString m_error;
    bool m_created = false;
};

} // namespace RedwireTest
