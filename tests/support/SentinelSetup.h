#pragma once

#include "RedisServerProcess.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <memory>

namespace RedwireTest {

// A Sentinel deployment for one test, on loopback ports: a master, one replica of it and three
// sentinels watching it under one name, each a RedisServerProcess of its own (stopped by PID when
// the object goes away). Short sentinel timeouts so that a failover takes seconds, not minutes.
class SentinelSetup
{
public:
    static constexpr int SentinelCount = 3;

    struct Options
    {
        QString masterName = QStringLiteral("mymaster");
        int downAfterMs = 1000;
        int failoverTimeoutMs = 4000;
        int readyTimeoutMs = 30000; // until the replica is in sync and every sentinel knows all
    };

    SentinelSetup();
    ~SentinelSetup();

    // Starts everything and waits until the replica is in sync and each sentinel knows the
    // replica and the two other sentinels (a failover needs both). False with errorString().
    bool start(const Options &options);
    bool start();
    void stop();

    QString masterName() const { return m_options.masterName; }
    // redis+sentinel://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3/<masterName>
    QString url() const;
    // The two data servers; which one is the master changes with a failover.
    RedisServerProcess &server(int index) { return *m_servers.at(size_t(index)); }
    RedisServerProcess &sentinel(int index) { return *m_sentinels.at(size_t(index)); }
    // The data server at this port, or nullptr.
    RedisServerProcess *serverOnPort(quint16 port);

    // The master's port as the first sentinel that answers names it; 0 when none answers.
    quint16 masterPortFromSentinels();
    // `SENTINEL FAILOVER <name>` on the first sentinel; true when it said OK.
    bool forceFailover();
    // Waits (polling the sentinels, up to timeoutMs) until every sentinel names a master other
    // than `oldPort` and that server says ROLE master. Returns the new port, 0 on timeout.
    quint16 waitForNewMaster(quint16 oldPort, int timeoutMs = 30000);

    QString errorString() const { return m_error; }

private:
    bool waitUntilReady();
    QByteArray sentinelCli(int index, const QStringList &args);

    Options m_options;
    std::array<std::unique_ptr<RedisServerProcess>, 2> m_servers;
    std::array<std::unique_ptr<RedisServerProcess>, SentinelCount> m_sentinels;
    QString m_error;
};

} // namespace RedwireTest
