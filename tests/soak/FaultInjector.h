#pragma once

#include "ServerCli.h"

#include <QList>
#include <QObject>
#include <QString>

#include <random>

namespace RedwireTest {
class RedisServerProcess;
}

namespace RedwireSoak {

class MonitorRun;
class RawPublisher;

// The faults of the soak, drawn one after another from a seeded generator: which fault, its
// parameters and the pause before the next are all drawn from the seed, so a seed replays the
// same schedule (what the faults then hit depends on timing). One fault at a time, each run to
// its end while the event loop keeps the clients going.
class FaultInjector : public QObject
{
    Q_OBJECT
public:
    enum class Fault {
        KillSubscribers, // CLIENT KILL TYPE pubsub, once or 2-4 times 20-800 ms apart
        KillNormalClient, // CLIENT KILL ID <one normal client>, or TYPE normal
        ServerStop, // SIGSTOP for 2-15 s, then SIGCONT
        ClientPause, // CLIENT PAUSE <1-8 s> [WRITE]
        DebugSleep, // DEBUG SLEEP <1-5 s>
        ServerRestart, // SIGTERM, down for 0-3 s, started again on the same port and AOF
        OutputBufferLimit, // "pubsub 64kb 32kb 1" during a burst on the raw channel
        AclChange, // the default user loses its channels and gets them back in one MULTI
    };
    static constexpr int FaultKinds = 8;
    static const char *name(Fault fault);

    struct Event
    {
        Fault fault = Fault::KillSubscribers;
        qint64 startMs = 0;
        qint64 endMs = 0;
        QString detail;
        bool ok = true; // false: the injection itself went wrong (see detail)
    };

    FaultInjector(RedwireTest::RedisServerProcess *server, RawPublisher *publisher, MonitorRun *monitor,
        quint64 seed, QObject *parent = nullptr);

    // The pause before the next fault, drawn from the seed.
    int drawPauseMs();
    // Draws the next fault and its parameters and runs it to its end.
    Event injectNext();
    const QList<Event> &events() const { return m_events; }
    // Set when the server could not be started again: the soak cannot go on.
    QString fatalError() const { return m_fatal; }

Q_SIGNALS:
    void faultStarted(const RedwireSoak::FaultInjector::Event &event);

private:
    int uniform(int low, int high); // inclusive
    void killSubscribers(Event &event, int times, int spacing);
    void killNormalClient(Event &event, int pick, bool all);
    void stopServer(Event &event, int ms);
    void pauseClients(Event &event, int ms, bool writeOnly);
    void debugSleep(Event &event, int seconds);
    void restartServer(Event &event, int downMs);
    void outputBufferLimit(Event &event, int messages, bool stopMonitor);
    void aclChange(Event &event);
    bool restoreDefaultLimits(Event &event);

    RedwireTest::RedisServerProcess *m_server;
    RawPublisher *m_publisher;
    MonitorRun *m_monitor;
    ServerCli m_cli;
    std::mt19937_64 m_random;
    QList<Event> m_events;
    QString m_fatal;
};

} // namespace RedwireSoak
