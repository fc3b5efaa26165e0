// redwire_soak: minutes of mixed faults against redwire-monitor and two chat sessions, with every
// message numbered and accounted for. Not part of the default test run; see docs/RELIABILITY.md.
//
//   redwire_soak [--minutes N] [--seed S] [--report FILE] [--work-dir DIR] [--monitor PATH]
//
// A private redis-server (append-only file on) carries three kinds of traffic: a raw publisher's
// numbered messages on a plain channel (steady, plus bursts), and alice's and bob's numbered chat
// messages in one room. redwire-monitor --format jsonl watches both channels as a child process.
// Faults drawn from the seed hit the server and the clients one at a time. At the end every
// message must be accounted for: received exactly once, or missed inside a gap the monitor
// reported (chat: under a visible gap marker). Exit 0 when so, 1 when anything was lost silently or
// arrived twice, 2 for a usage error, 3 when the soak itself could not run.
#include "ChatTraffic.h"
#include "FaultInjector.h"
#include "MonitorRun.h"
#include "RawPublisher.h"
#include "SoakAccounting.h"
#include "SoakSummary.h"
#include "SoakTime.h"
#include "SoakWait.h"

#include "chat/ChatRoom.h"
#include "chat/RoomAddress.h"
#include "chat/RoomTimeline.h"

#include "redis/CommandConnection.h"

#include "RedisServerProcess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <csignal>
#include <cstdio>

using namespace RedwireSoak;
using Redwire::ChatConfig;
using Redwire::ConnectionOptions;

namespace {

const QByteArray RawChannel = QByteArrayLiteral("soak:raw");
const QString RoomName = QStringLiteral("soak-room");

struct SoakOptions
{
    double minutes = 10;
    quint64 seed = 0;
    QString reportFile;
    QString workDirectory;
    QString monitorProgram;
    int rawIntervalMs = 50;
    int chatIntervalMs = 500;
    qint64 slackMs = 100;
};

QFile *g_log = nullptr;

void logMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (!g_log)
        return;
    static const char *const levels[] = { "debug", "warning", "critical", "fatal", "info" };
    const QByteArray line = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8() + ' '
        + (context.category ? context.category : "default") + ' ' + levels[type] + ": " + message.toUtf8()
        + '\n';
    g_log->write(line);
    if (type == QtFatalMsg)
        g_log->flush();
}

void say(const QString &text)
{
    const QByteArray bytes = text.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
    if (g_log) {
        g_log->write("soak: " + bytes);
        g_log->flush();
    }
}

int parse(const QStringList &arguments, SoakOptions *options)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Mixed faults against redwire-monitor and two chat sessions, with every message accounted for."));
    parser.addHelpOption();
    const QCommandLineOption minutes(QStringLiteral("minutes"), QStringLiteral("Run time (default 10)."),
        QStringLiteral("n"), QStringLiteral("10"));
    const QCommandLineOption seed(QStringLiteral("seed"),
        QStringLiteral("Seed of the fault schedule (default: random)."), QStringLiteral("s"));
    const QCommandLineOption report(QStringLiteral("report"),
        QStringLiteral("Writes the JSON summary here too."), QStringLiteral("file"));
    const QCommandLineOption workDir(QStringLiteral("work-dir"),
        QStringLiteral("Where the logs go (default: a new directory in the temp dir)."),
        QStringLiteral("dir"));
    const QCommandLineOption monitor(QStringLiteral("monitor"),
        QStringLiteral("The redwire-monitor to run (default: the one built with this tree)."),
        QStringLiteral("path"));
    const QCommandLineOption rawInterval(QStringLiteral("raw-interval-ms"),
        QStringLiteral("Steady raw publishing interval (default 50)."), QStringLiteral("ms"),
        QStringLiteral("50"));
    const QCommandLineOption chatInterval(QStringLiteral("chat-interval-ms"),
        QStringLiteral("Each chat user's sending interval (default 500)."), QStringLiteral("ms"),
        QStringLiteral("500"));
    const QCommandLineOption slack(QStringLiteral("slack-ms"),
        QStringLiteral("Clock slack around a gap's since and time (default 100)."), QStringLiteral("ms"),
        QStringLiteral("100"));
    parser.addOptions({ minutes, seed, report, workDir, monitor, rawInterval, chatInterval, slack });
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "redwire_soak: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    bool ok = true;
    auto number = [&](const QCommandLineOption &option, auto *out, auto low) {
        bool valid = false;
        const double value = parser.value(option).toDouble(&valid);
        if (!valid || value < double(low))
            ok = false;
        else
            *out = decltype(+*out)(value);
    };
    number(minutes, &options->minutes, 0.05);
    number(rawInterval, &options->rawIntervalMs, 1);
    number(chatInterval, &options->chatIntervalMs, 1);
    number(slack, &options->slackMs, 0);
    if (parser.isSet(seed))
        options->seed = parser.value(seed).toULongLong(&ok);
    else
        options->seed = QRandomGenerator::system()->bounded(1000000000u);
    if (!ok) {
        std::fprintf(stderr, "redwire_soak: invalid number; see --help\n");
        return 2;
    }
    options->reportFile = parser.value(report);
    options->workDirectory = parser.value(workDir);
    options->monitorProgram
        = parser.isSet(monitor) ? parser.value(monitor) : QStringLiteral(REDWIRE_MONITOR_EXECUTABLE);
    return -1;
}

ConnectionOptions connectionTo(const RedwireTest::RedisServerProcess &server)
{
    ConnectionOptions options;
    options.host = server.host();
    options.port = server.port();
    options.connectTimeoutMs = 3000;
    options.commandTimeoutMs = 5000;
    options.heartbeatIntervalMs = 1000;
    options.reconnect.initialDelayMs = 100;
    options.reconnect.maxDelayMs = 2000;
    return options;
}

// The whole history stream, oldest first; false when it could not be read.
bool readStream(const ConnectionOptions &options, const QByteArray &key, QList<StreamEntry> *entries)
{
    Redwire::CommandConnection connection(options);
    connection.connectToServer();
    if (!waitUntil([&] { return connection.isConnected(); }, 30000))
        return false;
    QByteArray start = "-";
    for (;;) {
        bool done = false;
        Redwire::RedisReply page;
        connection.send({ "XRANGE", key, start, "+", "COUNT", "1000" },
            [&](const Redwire::RedisReply &reply, const Redwire::RedisError &error) {
                page = error.isError() ? Redwire::RedisReply::error(error.message().toUtf8()) : reply;
                done = true;
            });
        if (!waitUntil([&] { return done; }, 30000) || !page.isArray())
            return false;
        for (const Redwire::RedisReply &item : page.elements()) {
            StreamEntry entry;
            entry.id = Redwire::StreamId::parse(item.at(0).bytes());
            const Redwire::RedisReply &fields = item.at(1);
            for (qsizetype i = 0; i + 1 < fields.size(); i += 2) {
                if (fields.at(i).bytes() != "env")
                    continue;
                const QJsonObject envelope = QJsonDocument::fromJson(fields.at(i + 1).bytes()).object();
                entry.envelopeId = envelope.value(QLatin1String("id")).toString();
                entry.kind = envelope.value(QLatin1String("kind")).toString();
                entry.from = envelope.value(QLatin1String("from")).toString();
                entry.text = envelope.value(QLatin1String("text")).toString();
            }
            entries->append(entry);
        }
        if (page.size() < 1000)
            return true;
        start = "(" + entries->last().id.toByteArray();
    }
}

} // namespace

int main(int argc, char *argv[])
{
    std::signal(SIGPIPE, SIG_IGN);
    QCoreApplication app(argc, argv);
    SoakOptions options;
    if (const int code = parse(QCoreApplication::arguments(), &options); code >= 0)
        return code;

    QString workDirectory = options.workDirectory;
    if (workDirectory.isEmpty())
        workDirectory = QDir::temp().filePath(
            QStringLiteral("redwire-soak-%1-%2")
                .arg(options.seed)
                .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    if (!QDir().mkpath(workDirectory)) {
        std::fprintf(stderr, "redwire_soak: cannot create %s\n", qPrintable(workDirectory));
        return 3;
    }
    const QDir work(workDirectory);
    QFile log(work.filePath(QStringLiteral("soak.log")));
    if (log.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        g_log = &log;
        qInstallMessageHandler(logMessage);
    }
    // The command that replays this schedule (the rates and the slack only when not the defaults).
    QString reproduce
        = QStringLiteral("redwire_soak --minutes %1 --seed %2").arg(options.minutes).arg(options.seed);
    const SoakOptions defaults;
    if (options.rawIntervalMs != defaults.rawIntervalMs)
        reproduce += QStringLiteral(" --raw-interval-ms %1").arg(options.rawIntervalMs);
    if (options.chatIntervalMs != defaults.chatIntervalMs)
        reproduce += QStringLiteral(" --chat-interval-ms %1").arg(options.chatIntervalMs);
    if (options.slackMs != defaults.slackMs)
        reproduce += QStringLiteral(" --slack-ms %1").arg(options.slackMs);
    say(QStringLiteral("%1   (logs in %2)").arg(reproduce, workDirectory));

    RedwireTest::RedisServerProcess server;
    RedwireTest::RedisServerProcess::Options serverOptions;
    serverOptions.extraConfig << QStringLiteral("appendonly yes") << QStringLiteral("appendfsync always")
                              << QStringLiteral("enable-debug-command yes");
    if (!server.start(serverOptions)) {
        say(QStringLiteral("cannot start redis-server: %1").arg(server.errorString()));
        return 3;
    }
    const ConnectionOptions clientOptions = connectionTo(server);

    MonitorRun monitor(options.monitorProgram,
        { QStringLiteral("--port"), QString::number(server.port()), QStringLiteral("--format"),
            QStringLiteral("jsonl"), QStringLiteral("-c"), QString::fromUtf8(RawChannel),
            QStringLiteral("-c"), RoomName },
        RawChannel, RoomName.toUtf8(), workDirectory);
    QObject::connect(&monitor, &MonitorRun::gapReported, [](const MonitorRun::Gap &gap) {
        say(QStringLiteral("         monitor gap %1 .. %2 (%3 ms) %4%5")
                .arg(iso(gap.sinceMs), iso(gap.timeMs))
                .arg(gap.timeMs - gap.sinceMs)
                .arg(gap.cause, gap.resumed ? QString() : QStringLiteral(" (not resumed)")));
    });
    if (!monitor.start()) {
        say(monitor.errorString());
        return 3;
    }
    if (!waitUntil([&] { return monitor.standardError().contains("subscribed to"); }, 20000)) {
        say(QStringLiteral("redwire-monitor did not subscribe: %1")
                .arg(QString::fromUtf8(monitor.standardError())));
        return 3;
    }

    ChatConfig chatConfig;
    chatConfig.presenceIntervalMs = 1000;
    chatConfig.presenceTtlMs = 3000;
    chatConfig.transientRetryDelayMs = 200;
    chatConfig.maxMessagesInMemory = 1000000; // the check reads the whole conversation from memory
    chatConfig.maxBytesInMemory = qint64(1) << 30;
    ChatTraffic chat(clientOptions, chatConfig, RoomName, options.chatIntervalMs);
    if (!chat.join() || !waitUntil([&] { return chat.synced(); }, 30000)) {
        say(QStringLiteral("the chat sessions did not join the room"));
        return 3;
    }

    ConnectionOptions publisherOptions = clientOptions;
    publisherOptions.commandTimeoutMs = 30000; // past the longest SIGSTOP: no doubt about those
    RawPublisher publisher(publisherOptions, RawChannel, options.rawIntervalMs);
    publisher.start();
    FaultInjector injector(&server, &publisher, &monitor, options.seed);
    chat.startSending();

    QElapsedTimer clock;
    clock.start();
    const qint64 runMs = qint64(options.minutes * 60000);
    auto stamp = [&] { return QStringLiteral("[%1 s]").arg(double(clock.elapsed()) / 1000, 6, 'f', 1); };
    QObject::connect(&injector, &FaultInjector::faultStarted, [&](const FaultInjector::Event &event) {
        say(QStringLiteral("%1 %2 ...").arg(stamp(), QString::fromLatin1(FaultInjector::name(event.fault))));
    });
    QTimer progress;
    QObject::connect(&progress, &QTimer::timeout, [&] {
        say(QStringLiteral("%1 raw published %2, monitor lines %3 raw + %4 chat, gaps %5; chat sent %6 + %7")
                .arg(stamp())
                .arg(publisher.publications().size())
                .arg(monitor.rawLines())
                .arg(monitor.chatLines())
                .arg(monitor.gaps().size())
                .arg(chat.sent(ChatTraffic::Alice).size())
                .arg(chat.sent(ChatTraffic::Bob).size()));
    });
    progress.start(30000);

    while (injector.fatalError().isEmpty() && monitor.isRunning()) {
        const int pauseMs = injector.drawPauseMs();
        if (clock.elapsed() + pauseMs >= runMs) {
            waitFor(int(runMs - clock.elapsed()));
            break;
        }
        waitFor(pauseMs);
        const FaultInjector::Event event = injector.injectNext();
        say(QStringLiteral("%1 %2 done in %3 ms%4: %5")
                .arg(stamp(), QString::fromLatin1(FaultInjector::name(event.fault)))
                .arg(event.endMs - event.startMs)
                .arg(event.ok ? QString() : QStringLiteral(" (WENT WRONG)"), event.detail));
    }
    progress.stop();
    publisher.stop();
    chat.stopSending();
    const qint64 trafficEndMs = now();
    say(QStringLiteral("%1 traffic stopped; waiting for quiescence").arg(stamp()));

    // Quiescence: every answer in, every outbox empty, both rooms caught up, and a last message
    // through the monitor (so it is subscribed and has read everything published before).
    waitUntil([&] { return publisher.pending() == 0; }, 60000);
    const bool chatSettled = waitUntil([&] { return chat.allSent() && chat.synced(); }, 120000);
    int fence = -1;
    waitUntil([&] { return (fence = publisher.publishOne()) >= 0; }, 30000, 200);
    const bool fenceArrived = fence >= 0 && waitUntil([&] { return monitor.rawCount(fence) > 0; }, 60000);
    auto everyoneHasEverything = [&] {
        for (int sender = 0; sender < ChatTraffic::Users; ++sender) {
            const Redwire::RoomTimeline *viewer = chat.room(1 - sender)->timeline();
            for (const ChatTraffic::Message &message : chat.sent(sender))
                if (!message.failed && viewer->rowOfId(message.id) < 0)
                    return false;
        }
        return true;
    };
    const bool chatComplete = waitUntil(everyoneHasEverything, 60000, 200);
    say(QStringLiteral("%1 quiescent: chat settled %2, complete %3, fence through the monitor %4")
            .arg(stamp())
            .arg(chatSettled ? "yes" : "NO", chatComplete ? "yes" : "NO", fenceArrived ? "yes" : "NO"));
    const int monitorExit = monitor.terminate(15000);

    QList<StreamEntry> stream;
    const bool streamRead = readStream(clientOptions, chat.address().historyKey(), &stream);

    // The accounting.
    const SoakAccounting accounting(options.slackMs);
    QList<Tally> tallies;
    tallies.append(accounting.monitorRaw(publisher, monitor));
    tallies.append(accounting.monitorChat(stream, monitor));
    for (int sender = 0; sender < ChatTraffic::Users; ++sender) {
        const int viewer = 1 - sender;
        tallies.append(accounting.chat(
            QStringLiteral("chat %1 -> %2").arg(ChatTraffic::nickname(sender), ChatTraffic::nickname(viewer)),
            chat.sent(sender), chat.room(viewer)->timeline(), chat.liveIds(viewer),
            chat.room(sender)->timeline(), stream));
    }
    QStringList failures;
    for (const Tally &tally : tallies) {
        for (const QString &problem : tally.problems)
            failures.append(tally.path + QStringLiteral(": ") + problem);
        if (tally.unaccounted > 0)
            failures.append(QStringLiteral("%1: %2 unaccounted").arg(tally.path).arg(tally.unaccounted));
        if (tally.duplicates > 0)
            failures.append(QStringLiteral("%1: %2 duplicated").arg(tally.path).arg(tally.duplicates));
    }
    QJsonObject order;
    for (int user = 0; user < ChatTraffic::Users; ++user) {
        const QString problem = SoakAccounting::orderProblem(chat.room(user)->timeline(), stream);
        order.insert(
            ChatTraffic::nickname(user), problem.isEmpty() ? QStringLiteral("stream order") : problem);
        if (!problem.isEmpty())
            failures.append(QStringLiteral("%1's timeline: %2").arg(ChatTraffic::nickname(user), problem));
    }
    const QStringList twice = SoakAccounting::storedTwice(stream);
    if (!twice.isEmpty())
        failures.append(QStringLiteral("%1 envelope(s) stored twice in the stream, e.g. %2")
                            .arg(twice.size())
                            .arg(twice.first()));
    if (!streamRead)
        failures.append(QStringLiteral("the history stream could not be read"));
    if (monitorExit != 0)
        failures.append(QStringLiteral("redwire-monitor exited with %1").arg(monitorExit));
    if (!fenceArrived)
        failures.append(QStringLiteral("the last raw message never reached the monitor"));
    if (!injector.fatalError().isEmpty())
        failures.append(injector.fatalError());
    for (int user = 0; user < ChatTraffic::Users; ++user)
        if (chat.refused(user) > 0)
            failures.append(QStringLiteral("%1: sendMessage refused %2 message(s)")
                                .arg(ChatTraffic::nickname(user))
                                .arg(chat.refused(user)));
    for (const QByteArray &line : monitor.strangeLines().mid(0, 5))
        failures.append(QStringLiteral("monitor printed a line the soak does not understand: %1")
                            .arg(QString::fromUtf8(line.left(200))));

    // The summary and the report.
    SoakFindings findings;
    findings.tallies = tallies;
    findings.chatOrder = order;
    findings.streamEntries = int(stream.size());
    findings.perFault = accounting.perFault(injector.events(), monitor, publisher);
    findings.faults = injector.events();
    findings.gaps = monitor.gaps();
    findings.monitorExitCode = monitorExit;
    findings.failures = failures;
    say(QString());
    for (const QString &line : summaryLines(findings, options.slackMs))
        say(line);
    for (const QString &failure : failures)
        say(QStringLiteral("FAIL: ") + failure);
    say(failures.isEmpty() ? QStringLiteral("PASS: every message accounted for (%1)").arg(reproduce)
                           : QStringLiteral("FAILED (%1)").arg(reproduce));
    const QJsonObject report = reportJson(findings,
        QJsonObject {
            { QStringLiteral("command"), reproduce },
            { QStringLiteral("seed"), QString::number(options.seed) },
            { QStringLiteral("minutes"), options.minutes },
            { QStringLiteral("rawIntervalMs"), options.rawIntervalMs },
            { QStringLiteral("chatIntervalMs"), options.chatIntervalMs },
            { QStringLiteral("slackMs"), options.slackMs },
            { QStringLiteral("trafficEnded"), iso(trafficEndMs) },
            { QStringLiteral("workDirectory"), workDirectory },
        });
    const QByteArray json = QJsonDocument(report).toJson();
    for (const QString &path : { work.filePath(QStringLiteral("report.json")), options.reportFile }) {
        QFile file(path);
        if (!path.isEmpty() && file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            file.write(json);
    }
    QFile serverLog(work.filePath(QStringLiteral("redis.log")));
    if (serverLog.open(QIODevice::WriteOnly | QIODevice::Truncate))
        serverLog.write(server.log());
    qInstallMessageHandler(nullptr);
    g_log = nullptr;
    return failures.isEmpty() ? 0 : 1;
}
