#include "FaultInjector.h"

#include "MonitorRun.h"
#include "RawPublisher.h"
#include "SoakTime.h"
#include "SoakWait.h"

#include "RedisServerProcess.h"

#include <QDateTime>
#include <QRegularExpression>

namespace RedwireSoak {

namespace {
const QString OutputLimitOption = QStringLiteral("client-output-buffer-limit");
const QString TinyPubSubLimit = QStringLiteral("pubsub 64kb 32kb 1");
const QString DefaultPubSubLimit = QStringLiteral("pubsub 32mb 8mb 60");

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes.trimmed()).replace(QLatin1Char('\n'), QLatin1Char(' '));
}

// "id=7 addr=... name=... cmd=publish ..." -> the value of `field`.
QString clientField(const QString &line, const QString &field)
{
    const QRegularExpression pattern(QStringLiteral("(?:^| )%1=(\\S*)").arg(field));
    return pattern.match(line).captured(1);
}
} // namespace

const char *FaultInjector::name(Fault fault)
{
    switch (fault) {
    case Fault::KillSubscribers:
        return "kill-pubsub";
    case Fault::KillNormalClient:
        return "kill-normal";
    case Fault::ServerStop:
        return "server-sigstop";
    case Fault::ClientPause:
        return "client-pause";
    case Fault::DebugSleep:
        return "debug-sleep";
    case Fault::ServerRestart:
        return "server-restart";
    case Fault::OutputBufferLimit:
        return "output-buffer-limit";
    case Fault::AclChange:
        return "acl-change";
    }
    return "?";
}

FaultInjector::FaultInjector(RedwireTest::RedisServerProcess *server, RawPublisher *publisher,
    MonitorRun *monitor, quint64 seed, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_publisher(publisher)
    , m_monitor(monitor)
    , m_cli(server)
    , m_random(seed)
{ }

int FaultInjector::uniform(int low, int high)
{
    return std::uniform_int_distribution<int>(low, high)(m_random);
}

int FaultInjector::drawPauseMs()
{
    return uniform(6000, 16000);
}

FaultInjector::Event FaultInjector::injectNext()
{
    Event event;
    event.fault = Fault(uniform(0, FaultKinds - 1));
    // Every parameter is drawn before anything runs, in the same order for a given fault.
    const int a = uniform(0, 1 << 30);
    const int b = uniform(0, 1 << 30);
    event.startMs = now();
    Q_EMIT faultStarted(event);
    switch (event.fault) {
    case Fault::KillSubscribers:
        killSubscribers(event, b % 2 == 0 ? 1 : 2 + b % 3, a);
        break;
    case Fault::KillNormalClient:
        killNormalClient(event, a, b % 4 == 0);
        break;
    case Fault::ServerStop:
        stopServer(event, 2000 + a % 13001);
        break;
    case Fault::ClientPause:
        pauseClients(event, 1000 + a % 7001, b % 3 == 0);
        break;
    case Fault::DebugSleep:
        debugSleep(event, 1 + a % 5);
        break;
    case Fault::ServerRestart:
        restartServer(event, a % 3001);
        break;
    case Fault::OutputBufferLimit:
        outputBufferLimit(event, 40000 + a % 20001, b % 3 != 0);
        break;
    case Fault::AclChange:
        aclChange(event);
        break;
    }
    event.endMs = now();
    m_events.append(event);
    return event;
}

// Half of the time more than once, 20-800 ms apart: the next kill meets clients that are
// reconnecting, resubscribing or catching up.
void FaultInjector::killSubscribers(Event &event, int times, int spacing)
{
    QStringList killed;
    for (int i = 0; i < times; ++i) {
        const int pauseMs = 20 + (spacing >> (i * 4)) % 781;
        if (i > 0)
            waitFor(pauseMs);
        const QByteArray count = m_cli.output({ QStringLiteral("CLIENT"), QStringLiteral("KILL"),
            QStringLiteral("TYPE"), QStringLiteral("pubsub") });
        event.ok = event.ok && !count.isEmpty();
        killed.append(i == 0 ? text(count) : QStringLiteral("%1 after %2 ms").arg(text(count)).arg(pauseMs));
    }
    event.detail
        = QStringLiteral("killed %1 subscriber connection(s)").arg(killed.join(QStringLiteral(", ")));
}

void FaultInjector::killNormalClient(Event &event, int pick, bool all)
{
    if (all) {
        const QByteArray killed = m_cli.output({ QStringLiteral("CLIENT"), QStringLiteral("KILL"),
            QStringLiteral("TYPE"), QStringLiteral("normal") });
        event.ok = !killed.isEmpty();
        event.detail = QStringLiteral("TYPE normal: killed %1").arg(text(killed));
        return;
    }
    QStringList clients;
    const QString list = QString::fromUtf8(m_cli.output({ QStringLiteral("CLIENT"), QStringLiteral("LIST"),
        QStringLiteral("TYPE"), QStringLiteral("normal") }));
    for (const QString &line : list.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (clientField(line, QStringLiteral("cmd")) != QLatin1String("client|list")) // redis-cli itself
            clients.append(line.trimmed());
    if (clients.isEmpty()) {
        event.ok = false;
        event.detail = QStringLiteral("no normal client to kill");
        return;
    }
    std::sort(clients.begin(), clients.end(), [](const QString &x, const QString &y) {
        return clientField(x, QStringLiteral("id")).toLongLong()
            < clientField(y, QStringLiteral("id")).toLongLong();
    });
    const QString victim = clients.at(pick % clients.size());
    const QString id = clientField(victim, QStringLiteral("id"));
    const QByteArray killed
        = m_cli.output({ QStringLiteral("CLIENT"), QStringLiteral("KILL"), QStringLiteral("ID"), id });
    event.ok = killed == "1";
    event.detail = QStringLiteral("id=%1 name=%2 last cmd=%3 (of %4 normal clients): %5")
                       .arg(id, clientField(victim, QStringLiteral("name")),
                           clientField(victim, QStringLiteral("cmd")))
                       .arg(clients.size())
                       .arg(text(killed));
}

void FaultInjector::stopServer(Event &event, int ms)
{
    m_server->pause();
    waitFor(ms);
    m_server->resume();
    event.detail = QStringLiteral("stopped %1 ms").arg(ms);
}

void FaultInjector::pauseClients(Event &event, int ms, bool writeOnly)
{
    QStringList args { QStringLiteral("CLIENT"), QStringLiteral("PAUSE"), QString::number(ms) };
    if (writeOnly)
        args << QStringLiteral("WRITE");
    const QByteArray reply = m_cli.output(args);
    event.ok = reply == "OK";
    waitFor(ms + 200);
    event.detail = QStringLiteral("%1 ms%2: %3")
                       .arg(ms)
                       .arg(writeOnly ? QStringLiteral(" WRITE") : QString(), text(reply));
}

void FaultInjector::debugSleep(Event &event, int seconds)
{
    const QByteArray reply
        = m_cli.output({ QStringLiteral("DEBUG"), QStringLiteral("SLEEP"), QString::number(seconds) },
            (seconds + 15) * 1000);
    event.ok = reply == "OK";
    event.detail = QStringLiteral("%1 s: %2").arg(seconds).arg(text(reply));
}

void FaultInjector::restartServer(Event &event, int downMs)
{
    m_server->stop();
    waitFor(downMs);
    bool started = m_server->restart();
    if (!started) {
        waitFor(1000);
        started = m_server->restart();
    }
    event.ok = started;
    event.detail = QStringLiteral("down %1 ms").arg(downMs);
    if (!started) {
        m_fatal = QStringLiteral("the server did not start again: %1").arg(m_server->errorString());
        event.detail += QStringLiteral(": ") + m_fatal;
    }
}

// The monitor stopped (most of the time) while a burst pours into the raw channel under a tiny
// pubsub limit: the server drops it, as it would a subscriber that cannot keep up.
void FaultInjector::outputBufferLimit(Event &event, int messages, bool stopMonitor)
{
    const QByteArray set = m_cli.output(
        { QStringLiteral("CONFIG"), QStringLiteral("SET"), OutputLimitOption, TinyPubSubLimit });
    if (stopMonitor)
        m_monitor->pause();
    int first = 0;
    const QByteArray commands = m_publisher->prepareBurst(messages, &first);
    const RedwireTest::RedisServerProcess::CliResult pipe
        = m_cli.run({ QStringLiteral("--pipe") }, commands, 120000);
    const QByteArray summary = pipe.out.trimmed().split('\n').last();
    const bool allPublished
        = pipe.finished && summary.contains("errors: 0, replies: " + QByteArray::number(messages));
    m_publisher->finishBurst(first, messages, allPublished);
    waitFor(1500); // past the soft limit's second
    const QByteArray subscribers = m_cli.output(
        { QStringLiteral("PUBSUB"), QStringLiteral("NUMSUB"), QString::fromLatin1(m_publisher->channel()) });
    m_monitor->resume();
    waitFor(3000);
    event.ok = set == "OK" && allPublished && restoreDefaultLimits(event);
    event.detail = QStringLiteral("burst of %1 (raw %2..%3), monitor %4; after it: %5 subscriber(s); %6")
                       .arg(messages)
                       .arg(first)
                       .arg(first + messages - 1)
                       .arg(stopMonitor ? QStringLiteral("stopped") : QStringLiteral("running"))
                       .arg(text(subscribers.split('\n').value(1)), text(summary))
        + event.detail;
}

bool FaultInjector::restoreDefaultLimits(Event &event)
{
    const QByteArray reply = m_cli.output(
        { QStringLiteral("CONFIG"), QStringLiteral("SET"), OutputLimitOption, DefaultPubSubLimit });
    if (reply != "OK")
        event.detail += QStringLiteral("; restoring the limit said: ") + text(reply);
    return reply == "OK";
}

// Redis 7 disconnects a subscriber whose channels its user may no longer use. Taken away and
// given back in one transaction, so that no reconnect meets a refusal.
void FaultInjector::aclChange(Event &event)
{
    const RedwireTest::RedisServerProcess::CliResult result
        = m_cli.run({}, "MULTI\nACL SETUSER default resetchannels\nACL SETUSER default allchannels\nEXEC\n");
    const QByteArray acl = m_cli.output({ QStringLiteral("ACL"), QStringLiteral("LIST") });
    event.ok = result.finished && acl.contains("&*");
    event.detail = QStringLiteral("resetchannels + allchannels in one MULTI: %1; now: %2")
                       .arg(text(result.out), text(acl));
}

} // namespace RedwireSoak
