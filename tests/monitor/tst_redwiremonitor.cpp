// The redwire-monitor executable, run as a process against a private redis-server: each option,
// each exit code (0 done, 1 lost with --no-reconnect, 2 usage, 3 cannot connect or authenticate),
// a server restart during a run, and SIGINT/SIGTERM ending it with the output flushed. Every break
// in the subscription is a gap on stderr and in the output: a killed subscriber, a restart, the
// server's output buffer limit (the tool stopped with SIGSTOP under a flood), an end while
// disconnected.
#include "ProgramRun.h"
#include "RedisServerProcess.h"
#include "TlsMaterial.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <cstring>
#include <functional>
#include <iterator>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#ifdef __APPLE__
#include <util.h> // forkpty
#else
#include <pty.h> // forkpty
#endif

using RedwireTest::RedisServerProcess;

namespace {

// One run of the tool.
class MonitorProcess : public RedwireTest::ProgramRun
{
public:
    // `prepare` may redirect the process's output before it starts.
    explicit MonitorProcess(const QStringList &arguments, const QString &password = QString(),
        const std::function<void(QProcess &)> &prepare = {})
        : ProgramRun(QStringLiteral(REDWIRE_MONITOR_EXECUTABLE), arguments, password, prepare)
    { }
    bool waitForSubscribed() { return waitForStderr("subscribed to"); }
};

QStringList portArgs(const RedisServerProcess &server)
{
    return { QStringLiteral("--port"), QString::number(server.port()) };
}

void publish(RedisServerProcess &server, const QString &channel, const QString &payload)
{
    server.cli({ QStringLiteral("PUBLISH"), channel, payload });
}

QDateTime isoTime(const QJsonObject &object, const char *key)
{
    return QDateTime::fromString(object.value(QLatin1String(key)).toString(), Qt::ISODateWithMs);
}

QByteArray floodPayload(int index)
{
    return QByteArray::number(index).rightJustified(7, '0') + ' ' + QByteArray(120, 'x');
}

// Payloads for a flood through --format jsonl: lengths around the formatter's copy steps (4, 8,
// 16 and 256 bytes), text that needs escapes, and bytes that are not UTF-8.
QByteArray variedPayload(int index)
{
    static const int lengths[] = { 0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 64, 255, 256, 257, 1000 };
    QByteArray payload(lengths[index % std::size(lengths)], char('a' + index % 26));
    if (index % 7 == 5)
        payload += "\"quoted\"\n\\";
    else if (index % 7 == 6)
        payload += "\xff\xfe";
    return payload;
}

quint16 unusedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort(); // closed when probe goes: nothing listens there
}

} // namespace

#define CHECK_EXIT REDWIRE_CHECK_EXIT

class TestRedwireMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void versionAndHelp();
    void usageErrors_data();
    void usageErrors();
    void countEndsTheRun();
    void formats_data();
    void formats();
    void formatNoneWithStats();
    void channelsAndPatterns();
    void shardChannelsAreMarkedAndReplayedSharded();
    void filterOnChannelNames();
    void durationEndsTheRun();
    void passwordFromEnvironment();
    void askpassFromStdin();
    void userAndDatabase();
    void unixSocketAndUri();
    void wrongPasswordExitsThree();
    void refusedPortExitsThree_data();
    void refusedPortExitsThree();
    void lostConnectionExitsOneWithoutReconnect();
    void serverRestartResubscribes();
    void clientKillIsOneGap();
    void outputBufferLimitIsAGap();
    void endingWhileDisconnectedReportsTheGap();
    void terminationSignalsFlush_data();
    void terminationSignalsFlush();
    void quietTrafficIsWrittenPromptly();
    void floodThenSignalLosesNothing_data();
    void floodThenSignalLosesNothing();
    void writeErrorExitsOne_data();
    void writeErrorExitsOne();
    void readerGoneEndsTheRunQuietly();
    void tlsOptions();
    void csvDefusesFormulaCells();
    void grepOnPayloads_data();
    void grepOnPayloads();
    void grepUsageErrors_data();
    void grepUsageErrors();
    void statsReportTheWindows();
    void statsCountOneMessage();
    void badPortInUri_data();
    void badPortInUri();
    void ctrlCAtAskpassRestoresEcho();
    void keyspaceWatch_data();
    void keyspaceWatch();
    void keyspaceOffIsAWarning();
    void keyspaceEnableRefusedSaysWhatToRun();
};

void TestRedwireMonitor::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(REDWIRE_MONITOR_EXECUTABLE)), REDWIRE_MONITOR_EXECUTABLE);
}

void TestRedwireMonitor::versionAndHelp()
{
    MonitorProcess version({ QStringLiteral("--version") });
    CHECK_EXIT(version, 0);
    QCOMPARE(version.out(), QByteArray("redwire-monitor " REDWIRE_VERSION "\n"));
    MonitorProcess help({ QStringLiteral("--help") });
    CHECK_EXIT(help, 0);
    for (const char *option : { "--host", "--port", "--socket", "--user", "--db", "--askpass", "--channel",
             "--format", "--count", "--duration", "--stats", "--filter", "--grep", "--grep-regex",
             "--no-reconnect", "--version", "--help" })
        QVERIFY2(help.out().contains(option), option);
    QVERIFY(help.out().contains("REDWIRE_PASSWORD"));
}

void TestRedwireMonitor::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("unknown option") << QStringList { "--bogus" } << QByteArray("bogus");
    QTest::newRow("password on the command line") << QStringList { "-a", "secret" } << QByteArray("'a'");
    QTest::newRow("count zero") << QStringList { "--count", "0" } << QByteArray("--count");
    QTest::newRow("count negative") << QStringList { "--count", "-5" } << QByteArray("--count");
    QTest::newRow("count text") << QStringList { "--count", "many" } << QByteArray("--count");
    QTest::newRow("count missing value") << QStringList { "--count" } << QByteArray("count");
    QTest::newRow("port zero") << QStringList { "--port", "0" } << QByteArray("port");
    QTest::newRow("port too big") << QStringList { "--port", "70000" } << QByteArray("port");
    QTest::newRow("duration zero") << QStringList { "--duration", "0" } << QByteArray("--duration");
    QTest::newRow("duration text") << QStringList { "--duration", "soon" } << QByteArray("--duration");
    QTest::newRow("stats negative") << QStringList { "--stats", "-1" } << QByteArray("--stats");
    QTest::newRow("format") << QStringList { "--format", "xml" } << QByteArray("xml");
    QTest::newRow("filter regex") << QStringList { "--filter", "(unclosed" } << QByteArray("--filter");
    QTest::newRow("db") << QStringList { "--db", "-1" } << QByteArray("database");
    QTest::newRow("empty pattern") << QStringList { "" } << QByteArray("pattern");
    QTest::newRow("empty channel") << QStringList { "--channel", "" } << QByteArray("channel");
    QTest::newRow("empty shard channel")
        << QStringList { "--shard-channel", "" } << QByteArray("--shard-channel");
    QTest::newRow("empty key pattern") << QStringList { "--keyspace", "" } << QByteArray("--keyspace");
    QTest::newRow("enable without keyspace")
        << QStringList { "--enable-keyspace-events" } << QByteArray("--enable-keyspace-events");
    QTest::newRow("uri with password")
        << QStringList { "--uri", "redis://u:secret@localhost" } << QByteArray("uri");
}

void TestRedwireMonitor::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, message);
    MonitorProcess run(arguments);
    CHECK_EXIT(run, 2);
    QVERIFY(run.out().isEmpty());
    QVERIFY2(run.err().startsWith("redwire-monitor: "), run.err().constData());
    QVERIFY2(run.err().contains(message), run.err().constData());
    QVERIFY(run.err().contains("--help"));
}

void TestRedwireMonitor::countEndsTheRun()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server) + QStringList { "--count", "3", "--format", "text" });
    QVERIFY(run.waitForSubscribed());
    QVERIFY(run.err().contains(QByteArray::number(server.port())));
    for (int i = 1; i <= 5; ++i)
        publish(server, QStringLiteral("news"), QStringLiteral("message %1").arg(i));
    CHECK_EXIT(run, 0);
    const QList<QByteArray> lines = run.lines();
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines.at(0).endsWith(" news message 1"));
    QVERIFY(lines.at(2).endsWith(" news message 3"));
}

void TestRedwireMonitor::formats_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("text") << QStringLiteral("text");
    QTest::newRow("jsonl") << QStringLiteral("jsonl");
    QTest::newRow("csv") << QStringLiteral("csv");
}

void TestRedwireMonitor::formats()
{
    QFETCH(QString, format);
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server) + QStringList { "--count", "2", "--format", format });
    QVERIFY(run.waitForSubscribed());
    const QString hostile = QStringLiteral("say \"hi\",\nthen \x1b[31mred\x1b[0m");
    publish(server, QStringLiteral("news"), hostile);
    publish(server, QStringLiteral("news"), QStringLiteral("plain"));
    CHECK_EXIT(run, 0);
    const QByteArray out = run.out();
    if (format == QLatin1String("text")) {
        QCOMPARE(out.count('\n'), 2);
        QVERIFY(!out.contains('\x1b'));
        QVERIFY(out.contains("news say \"hi\",\\nthen \\e[31mred\\e[0m\n"));
    } else if (format == QLatin1String("jsonl")) {
        const QList<QByteArray> lines = run.lines();
        QCOMPARE(lines.size(), 2);
        const QJsonObject first = QJsonDocument::fromJson(lines.at(0)).object();
        QCOMPARE(first.value(QLatin1String("channel")).toString(), QStringLiteral("news"));
        QCOMPARE(first.value(QLatin1String("pattern")).toString(), QStringLiteral("*"));
        QCOMPARE(first.value(QLatin1String("payload")).toString(), hostile);
        QVERIFY(first.value(QLatin1String("time")).toString().endsWith(QLatin1Char('Z')));
    } else {
        QVERIFY(out.startsWith("time,channel,pattern,size,payload,payload_base64\r\n"));
        QVERIFY(out.contains(",news,*,27,\"say \"\"hi\"\",\nthen \x1b[31mred\x1b[0m\",\r\n"));
        QVERIFY(out.endsWith(",news,*,5,plain,\r\n"));
    }
}

void TestRedwireMonitor::formatNoneWithStats()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(
        portArgs(server) + QStringList { "--format", "none", "--stats", "0.2", "--count", "4" });
    QVERIFY(run.waitForSubscribed());
    publish(server, QStringLiteral("a"), QStringLiteral("12345"));
    publish(server, QStringLiteral("b"), QStringLiteral("1"));
    QVERIFY(run.waitForStderr("msg/s")); // a periodic report
    publish(server, QStringLiteral("a"), QStringLiteral("12345"));
    publish(server, QStringLiteral("a"), QStringLiteral("12345"));
    CHECK_EXIT(run, 0);
    QVERIFY(run.out().isEmpty());
    QVERIFY2(run.err().contains("-- total: 4 messages, 16 bytes on 2 channels"), run.err().constData());
    QVERIFY(run.err().contains(" a\n"));
    QVERIFY(run.err().contains(" b\n"));
}

void TestRedwireMonitor::channelsAndPatterns()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server)
        + QStringList { "--format", "jsonl", "--count", "3", "--channel", "exact", "-c", "other", "room.*" });
    QVERIFY(run.waitForStderr("subscribed to 3 topics"));
    QCOMPARE(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("1")); // only room.*, not the default *
    publish(server, QStringLiteral("exactly"), QStringLiteral("no"));
    publish(server, QStringLiteral("exact"), QStringLiteral("1"));
    publish(server, QStringLiteral("room.a"), QStringLiteral("2"));
    publish(server, QStringLiteral("other"), QStringLiteral("3"));
    CHECK_EXIT(run, 0);
    const QList<QByteArray> lines = run.lines();
    QCOMPARE(lines.size(), 3);
    const QJsonObject first = QJsonDocument::fromJson(lines.at(0)).object();
    QCOMPARE(first.value(QLatin1String("channel")).toString(), QStringLiteral("exact"));
    QVERIFY(first.value(QLatin1String("pattern")).isNull());
    const QJsonObject second = QJsonDocument::fromJson(lines.at(1)).object();
    QCOMPARE(second.value(QLatin1String("pattern")).toString(), QStringLiteral("room.*"));
}

// Sharded Pub/Sub: SPUBLISHed messages come through --shard-channel marked "sharded" (only they:
// a classic line stays as it was), the text format says so beside the others, and a replay of the
// recording SPUBLISHes them again (a shard-only listener hears them; a PUBLISH would not reach it).
void TestRedwireMonitor::shardChannelsAreMarkedAndReplayedSharded()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess recorder(portArgs(server)
        + QStringList {
            "--format", "jsonl", "--count", "3", "--shard-channel", "orders:{eu}", "-c", "plain" });
    QVERIFY(recorder.waitForStderr("subscribed to 2 topics"));
    QCOMPARE(server.cli({ "PUBSUB", "SHARDNUMSUB", "orders:{eu}" }), QByteArray("orders:{eu}\n1"));
    QCOMPARE(server.cli({ "SPUBLISH", "orders:{eu}", "first" }), QByteArray("1"));
    publish(server, QStringLiteral("plain"), QStringLiteral("classic"));
    QCOMPARE(server.cli({ "SPUBLISH", "orders:{eu}", "second" }), QByteArray("1"));
    CHECK_EXIT(recorder, 0);
    const QList<QByteArray> lines = recorder.lines();
    QCOMPARE(lines.size(), 3);
    const QJsonObject first = QJsonDocument::fromJson(lines.at(0)).object();
    QCOMPARE(first.value(QLatin1String("channel")).toString(), QStringLiteral("orders:{eu}"));
    QCOMPARE(first.value(QLatin1String("sharded")).toBool(), true);
    QCOMPARE(first.value(QLatin1String("payload")).toString(), QStringLiteral("first"));
    const QJsonObject second = QJsonDocument::fromJson(lines.at(1)).object();
    QCOMPARE(second.value(QLatin1String("channel")).toString(), QStringLiteral("plain"));
    QVERIFY(!second.contains(QLatin1String("sharded")));
    QCOMPARE(QJsonDocument::fromJson(lines.at(2)).object().value(QLatin1String("sharded")).toBool(), true);

    MonitorProcess text(portArgs(server)
        + QStringList {
            "--format", "text", "--count", "2", "--shard-channel", "orders:{eu}", "-c", "plain" });
    QVERIFY(text.waitForStderr("subscribed to 2 topics"));
    QCOMPARE(server.cli({ "SPUBLISH", "orders:{eu}", "third" }), QByteArray("1"));
    publish(server, QStringLiteral("plain"), QStringLiteral("fourth"));
    CHECK_EXIT(text, 0);
    QVERIFY2(text.lines().value(0).endsWith("orders:{eu} (sharded) third"), text.out().constData());
    QVERIFY2(text.lines().value(1).endsWith("plain fourth"), text.out().constData());

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile recording(dir.filePath(QStringLiteral("shard.jsonl")));
    QVERIFY(recording.open(QIODevice::WriteOnly));
    recording.write(recorder.out());
    recording.close();
    // A dry run says which lines would go out with SPUBLISH.
    MonitorProcess dryRun(QStringList { "--replay", recording.fileName(), "--dry-run" });
    CHECK_EXIT(dryRun, 0);
    const QList<QByteArray> due = dryRun.lines();
    QCOMPARE(due.size(), 3);
    QVERIFY2(due.at(0).contains(" s SPUBLISH orders:{eu} first"), due.at(0).constData());
    QVERIFY2(due.at(1).contains(" s PUBLISH plain classic"), due.at(1).constData());
    QVERIFY2(due.at(2).contains(" s SPUBLISH orders:{eu} second"), due.at(2).constData());
    MonitorProcess listener(portArgs(server)
        + QStringList { "--format", "jsonl", "--count", "2", "--shard-channel", "orders:{eu}" });
    QVERIFY(listener.waitForStderr("subscribed to 1 topic"));
    MonitorProcess replay(
        portArgs(server) + QStringList { "--replay", recording.fileName(), "--as-fast-as-possible" });
    CHECK_EXIT(replay, 0);
    QVERIFY2(replay.err().contains("published 3"), replay.err().constData());
    CHECK_EXIT(listener, 0);
    const QList<QByteArray> heard = listener.lines();
    QCOMPARE(heard.size(), 2);
    QCOMPARE(QJsonDocument::fromJson(heard.at(0)).object().value(QLatin1String("payload")).toString(),
        QStringLiteral("first"));
    QCOMPARE(QJsonDocument::fromJson(heard.at(1)).object().value(QLatin1String("payload")).toString(),
        QStringLiteral("second"));
}

void TestRedwireMonitor::filterOnChannelNames()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server) + QStringList { "--filter", "^orders\\.(eu|us)$", "--count", "2" });
    QVERIFY(run.waitForSubscribed());
    publish(server, QStringLiteral("orders.asia"), QStringLiteral("no"));
    publish(server, QStringLiteral("orders.eu"), QStringLiteral("yes 1"));
    publish(server, QStringLiteral("xorders.eu"), QStringLiteral("no"));
    publish(server, QStringLiteral("orders.us"), QStringLiteral("yes 2"));
    CHECK_EXIT(run, 0);
    const QList<QByteArray> lines = run.lines();
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines.at(0).endsWith("orders.eu yes 1"));
    QVERIFY(lines.at(1).endsWith("orders.us yes 2"));
}

void TestRedwireMonitor::durationEndsTheRun()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QElapsedTimer clock;
    clock.start();
    MonitorProcess run(portArgs(server) + QStringList { "--duration", "0.5" });
    CHECK_EXIT(run, 0);
    QVERIFY(clock.elapsed() >= 500);
    QVERIFY(run.out().isEmpty());
}

void TestRedwireMonitor::passwordFromEnvironment()
{
    RedisServerProcess server;
    RedisServerProcess::Options options;
    options.requirePass = QStringLiteral("s3cret");
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server) + QStringList { "--count", "1" }, QStringLiteral("s3cret"));
    QVERIFY(run.waitForSubscribed());
    publish(server, QStringLiteral("x"), QStringLiteral("ok"));
    CHECK_EXIT(run, 0);
    QCOMPARE(run.lines().size(), 1);
    // The password never shows in the process's arguments.
    QVERIFY(!run.process().arguments().join(QLatin1Char(' ')).contains(QStringLiteral("s3cret")));
}

void TestRedwireMonitor::askpassFromStdin()
{
    RedisServerProcess server;
    RedisServerProcess::Options options;
    options.requirePass = QStringLiteral("from stdin");
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    MonitorProcess run(
        portArgs(server) + QStringList { "--askpass", "--count", "1" }, QStringLiteral("wrong"));
    QVERIFY(run.started());
    run.process().write("from stdin\n");
    run.process().closeWriteChannel();
    QVERIFY(run.waitForSubscribed());
    publish(server, QStringLiteral("x"), QStringLiteral("ok"));
    CHECK_EXIT(run, 0);

    MonitorProcess nothing(portArgs(server) + QStringList { "--askpass" });
    QVERIFY(nothing.started());
    nothing.process().closeWriteChannel();
    CHECK_EXIT(nothing, 2);
}

void TestRedwireMonitor::userAndDatabase()
{
    RedisServerProcess server;
    RedisServerProcess::Options options;
    options.aclUsers << QStringLiteral("user watcher on >pw ~* &* +@all");
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server) + QStringList { "--user", "watcher", "--db", "3", "--count", "1" },
        QStringLiteral("pw"));
    QVERIFY(run.waitForSubscribed());
    QVERIFY(server.cli({ "CLIENT", "LIST" }).contains("user=watcher"));
    QVERIFY(server.cli({ "CLIENT", "LIST" }).contains("db=3"));
    publish(server, QStringLiteral("x"), QStringLiteral("ok"));
    CHECK_EXIT(run, 0);
    // A database the server does not have cannot be selected: that is not something to retry.
    MonitorProcess badDb(
        portArgs(server) + QStringList { "--user", "watcher", "--db", "99" }, QStringLiteral("pw"));
    CHECK_EXIT(badDb, 3);
}

void TestRedwireMonitor::unixSocketAndUri()
{
    RedisServerProcess server;
    RedisServerProcess::Options options;
    options.unixSocket = true;
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    MonitorProcess viaSocket({ "--socket", server.unixSocketPath(), "--count", "1" });
    QVERIFY(viaSocket.waitForSubscribed());
    MonitorProcess viaUri(
        { "--uri", QStringLiteral("redis://127.0.0.1:%1/2").arg(server.port()), "--count", "1" });
    QVERIFY(viaUri.waitForSubscribed());
    publish(server, QStringLiteral("x"), QStringLiteral("ok"));
    CHECK_EXIT(viaSocket, 0);
    CHECK_EXIT(viaUri, 0);
    QVERIFY(viaSocket.err().contains("unix:"));
}

void TestRedwireMonitor::wrongPasswordExitsThree()
{
    RedisServerProcess server;
    RedisServerProcess::Options options;
    options.requirePass = QStringLiteral("right");
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    MonitorProcess wrong(portArgs(server), QStringLiteral("wrong"));
    CHECK_EXIT(wrong, 3);
    QVERIFY2(wrong.err().contains("cannot connect"), wrong.err().constData());
    QVERIFY(!wrong.err().contains("wrong")); // the password is not echoed
    MonitorProcess none(portArgs(server) + QStringList { "--no-reconnect" });
    CHECK_EXIT(none, 3);
}

void TestRedwireMonitor::refusedPortExitsThree_data()
{
    QTest::addColumn<bool>("reconnect");
    QTest::newRow("--no-reconnect") << false;
    QTest::newRow("reconnecting by default") << true;
}

void TestRedwireMonitor::refusedPortExitsThree()
{
    QFETCH(bool, reconnect);
    QStringList arguments { "--port", QString::number(unusedPort()) };
    if (!reconnect)
        arguments << QStringLiteral("--no-reconnect");
    MonitorProcess run(arguments);
    CHECK_EXIT(run, 3);
    QVERIFY(run.err().contains("cannot connect"));
}

void TestRedwireMonitor::lostConnectionExitsOneWithoutReconnect()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server) + QStringList { "--no-reconnect", "--format", "jsonl" });
    QVERIFY(run.waitForSubscribed());
    publish(server, QStringLiteral("x"), QStringLiteral("before"));
    server.stop();
    CHECK_EXIT(run, 1);
    QVERIFY(run.err().contains("lost"));
    const QList<QByteArray> lines = run.lines();
    QCOMPARE(lines.size(), 2); // what came before is flushed, then the break that ended the run
    QVERIFY(QJsonDocument::fromJson(lines.at(0)).object().value(QLatin1String("payload"))
        == QLatin1String("before"));
    const QJsonObject gap = QJsonDocument::fromJson(lines.at(1)).object();
    QCOMPARE(gap.value(QLatin1String("event")).toString(), QStringLiteral("gap"));
    QCOMPARE(gap.value(QLatin1String("resumed")).toBool(true), false);
    QVERIFY2(run.err().contains("gap: not subscribed since"), run.err().constData());
}

void TestRedwireMonitor::serverRestartResubscribes()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server) + QStringList { "--count", "2", "-c", "chan", "pat.*" });
    QVERIFY(run.waitForSubscribed());
    publish(server, QStringLiteral("chan"), QStringLiteral("before"));
    QVERIFY(run.waitForStdoutLines(1));
    QVERIFY(server.restart());
    QVERIFY2(run.waitForStderr("resubscribed to 2 topics", 15000), run.err().constData());
    QVERIFY(run.err().contains("lost"));
    publish(server, QStringLiteral("pat.x"), QStringLiteral("after"));
    CHECK_EXIT(run, 0);
    const QList<QByteArray> lines = run.lines();
    QCOMPARE(lines.size(), 3); // --count counts messages, not the gap between them
    QVERIFY2(lines.at(1).contains(" *** gap since "), lines.at(1).constData());
    QVERIFY2(lines.at(1).contains("the connection to the server was lost"), lines.at(1).constData());
    QVERIFY(lines.at(2).endsWith("pat.x (pat.*) after"));
    QVERIFY2(run.err().contains("gap: messages published from "), run.err().constData());
}

// --quiet silences the notes, never a gap. Exactly one gap line, between the messages.
void TestRedwireMonitor::clientKillIsOneGap()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server) + QStringList { "--quiet", "--format", "jsonl", "-c", "news" });
    QVERIFY(run.started());
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMSUB", "news" }), QByteArray("news\n1"), 10000);
    publish(server, QStringLiteral("news"), QStringLiteral("before"));
    QVERIFY(run.waitForStdoutLines(1));
    const QDateTime killSent = QDateTime::currentDateTimeUtc();
    QCOMPARE(server.cli({ "CLIENT", "KILL", "TYPE", "pubsub" }), QByteArray("1"));
    const QDateTime killed = QDateTime::currentDateTimeUtc();
    QVERIFY2(run.waitForStderr("gap: "), run.err().constData());
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMSUB", "news" }), QByteArray("news\n1"), 10000);
    publish(server, QStringLiteral("news"), QStringLiteral("after"));
    QVERIFY(run.waitForStdoutLines(3));
    QCOMPARE(::kill(pid_t(run.process().processId()), SIGTERM), 0);
    CHECK_EXIT(run, 0);

    const QList<QByteArray> lines = run.lines();
    QCOMPARE(lines.size(), 3);
    QCOMPARE(run.err().count('\n'), 1); // the gap, and no note
    QVERIFY2(run.err().startsWith("redwire-monitor: gap: messages published from "), run.err().constData());
    QVERIFY(run.err().contains("CLIENT KILL"));
    const QJsonObject before = QJsonDocument::fromJson(lines.at(0)).object();
    const QJsonObject gap = QJsonDocument::fromJson(lines.at(1)).object();
    const QJsonObject after = QJsonDocument::fromJson(lines.at(2)).object();
    QVERIFY(!before.contains(QLatin1String("event")) && !after.contains(QLatin1String("event")));
    QCOMPARE(after.value(QLatin1String("payload")).toString(), QStringLiteral("after"));
    QCOMPARE(gap.value(QLatin1String("event")).toString(), QStringLiteral("gap"));
    QCOMPARE(gap.value(QLatin1String("cause")).toString(), QStringLiteral("killed"));
    QCOMPARE(gap.value(QLatin1String("resumed")).toBool(), true);
    QVERIFY(gap.value(QLatin1String("reason")).toString().contains(QLatin1String("CLIENT KILL")));
    const QDateTime since = isoTime(gap, "since");
    const QDateTime time = isoTime(gap, "time");
    QVERIFY(since.isValid() && time.isValid());
    QVERIFY2(since <= killed && killSent <= time, lines.at(1).constData());
    QVERIFY(since >= isoTime(before, "time").addSecs(-2)); // a time mark at most a second old
    QVERIFY(time <= isoTime(after, "time"));
}

// The tool stopped (SIGSTOP) while a flood is published: the server drops its subscriber at the
// 64 KiB pubsub limit. After SIGCONT it reads what was already on its way, then the close: a gap
// that names the output buffer limit, between message lines that stay valid. Published =
// received + what fell in the gap (the indices between the last line before it and the one after).
void TestRedwireMonitor::outputBufferLimitIsAGap()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QCOMPARE(server.cli({ "CONFIG", "SET", "client-output-buffer-limit", "pubsub 64kb 32kb 1" }),
        QByteArray("OK"));
    MonitorProcess run(portArgs(server) + QStringList { "--format", "jsonl", "-c", "flood" });
    QVERIFY(run.waitForSubscribed());
    int published = 0;
    for (; published < 3; ++published)
        publish(server, QStringLiteral("flood"), QString::fromLatin1(floodPayload(published + 1)));
    QVERIFY(run.waitForStdoutLines(3));

    const pid_t pid = pid_t(run.process().processId());
    QCOMPARE(::kill(pid, SIGSTOP), 0);
    bool dropped = false;
    for (int round = 0; round < 5 && !dropped; ++round) {
        QByteArray commands;
        for (int i = 0; i < 48000; ++i)
            commands += RedisServerProcess::respCommand({ "PUBLISH", "flood", floodPayload(++published) });
        QVERIFY2(server.pipe(commands).endsWith("replies: 48000"), qPrintable(server.errorString()));
        dropped = server.cli({ "CLIENT", "LIST", "TYPE", "pubsub" }).isEmpty();
    }
    QCOMPARE(::kill(pid, SIGCONT), 0);
    QVERIFY2(dropped, "the server never dropped the subscriber");
    QVERIFY2(run.waitForStderr("resubscribed to 1 topic", 15000), run.err().constData());
    const QByteArray last = floodPayload(++published);
    publish(server, QStringLiteral("flood"), QString::fromLatin1(last));
    QTRY_VERIFY_WITH_TIMEOUT(run.out().contains(last), 15000);
    QCOMPARE(::kill(pid, SIGTERM), 0);
    CHECK_EXIT(run, 0);

    QVERIFY2(run.err().contains("gap: messages published from "), run.err().constData());
    QVERIFY2(run.err().contains("output buffer limit"), run.err().constData());
    const QList<QByteArray> lines = run.lines();
    int received = 0;
    int gaps = 0;
    int lastBeforeGap = 0;
    for (const QByteArray &line : lines) {
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        if (object.contains(QLatin1String("event"))) {
            QCOMPARE(object.value(QLatin1String("event")).toString(), QStringLiteral("gap"));
            const QString cause = object.value(QLatin1String("cause")).toString();
            QVERIFY2(cause.endsWith(QLatin1String("output-buffer-limit")), line.constData());
            QVERIFY2(object.value(QLatin1String("reason"))
                         .toString()
                         .contains(QLatin1String("output buffer limit")),
                line.constData());
            QVERIFY(isoTime(object, "since") <= isoTime(object, "time"));
            ++gaps;
            continue;
        }
        QCOMPARE(object.value(QLatin1String("channel")).toString(), QStringLiteral("flood"));
        const int index = object.value(QLatin1String("payload")).toString().left(7).toInt();
        ++received;
        if (gaps == 0) {
            QCOMPARE(index, lastBeforeGap + 1); // no hole before the gap
            lastBeforeGap = index;
        } else {
            QCOMPARE(index, published); // only the message published after it
        }
    }
    QCOMPARE(gaps, 1);
    QVERIFY(received < published);
    QCOMPARE(published - received, published - 1 - lastBeforeGap); // every missing one is in the gap
    qInfo("published %d, received %d, in the gap %d", published, received, published - received);
}

// SIGTERM while the server is down: the gap is still open, and reported as the run ends.
void TestRedwireMonitor::endingWhileDisconnectedReportsTheGap()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server) + QStringList { "--format", "text", "-c", "x" });
    QVERIFY(run.waitForSubscribed());
    server.stop();
    QVERIFY2(run.waitForStderr("reconnecting"), run.err().constData());
    QCOMPARE(::kill(pid_t(run.process().processId()), SIGTERM), 0);
    CHECK_EXIT(run, 0);
    const QList<QByteArray> lines = run.lines();
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.at(0).contains(" *** gap since ")
            && lines.at(0).contains("not subscribed again when the monitor stopped"),
        lines.at(0).constData());
    QVERIFY2(run.err().contains("gap: not subscribed since "), run.err().constData());
}

void TestRedwireMonitor::terminationSignalsFlush_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGINT") << int(SIGINT);
    QTest::newRow("SIGTERM") << int(SIGTERM);
}

void TestRedwireMonitor::terminationSignalsFlush()
{
    QFETCH(int, signalNumber);
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    // The stats line tells when all three arrived, well before the 100 ms idle flush is due.
    MonitorProcess run(portArgs(server) + QStringList { "--format", "jsonl", "--stats", "0.02" });
    QVERIFY(run.waitForSubscribed());
    for (int i = 0; i < 3; ++i)
        publish(server, QStringLiteral("x"), QString::number(i));
    QVERIFY(run.waitForStderr(", 3 messages in total"));
    QCOMPARE(::kill(pid_t(run.process().processId()), signalNumber), 0);
    CHECK_EXIT(run, 0);
    QCOMPARE(run.lines().size(), 3);
    QVERIFY(run.err().contains("-- total: 3 messages"));
}

// The output is buffered for throughput, but a message on a quiet channel reaches the reader
// while the monitor runs on (it is written at most about 100 ms after it came), not at the end of
// the run.
void TestRedwireMonitor::quietTrafficIsWrittenPromptly()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server) + QStringList { "--format", "jsonl", "--duration", "300" });
    QVERIFY(run.waitForSubscribed());
    publish(server, QStringLiteral("quiet"), QStringLiteral("first"));
    QVERIFY(run.waitForStdoutLines(1));
    QCOMPARE(run.process().state(), QProcess::Running);
    publish(server, QStringLiteral("quiet"), QStringLiteral("second"));
    QVERIFY(run.waitForStdoutLines(2));
    QCOMPARE(run.process().state(), QProcess::Running);
    QCOMPARE(::kill(pid_t(run.process().processId()), SIGTERM), 0);
    CHECK_EXIT(run, 0);
    const QList<QByteArray> lines = run.lines();
    QCOMPARE(lines.size(), 2);
    QCOMPARE(QJsonDocument::fromJson(lines.at(0)).object().value(QLatin1String("payload")).toString(),
        QStringLiteral("first"));
    QCOMPARE(QJsonDocument::fromJson(lines.at(1)).object().value(QLatin1String("payload")).toString(),
        QStringLiteral("second"));
}

void TestRedwireMonitor::floodThenSignalLosesNothing_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGINT") << int(SIGINT);
    QTest::newRow("SIGTERM") << int(SIGTERM);
}

// A flood, then a termination signal as soon as the monitor has counted the last message (most of
// the last batch is then still in the output buffer): every message is in the output, whole, in
// order and with its exact bytes.
void TestRedwireMonitor::floodThenSignalLosesNothing()
{
    QFETCH(int, signalNumber);
    constexpr int total = 20000;
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(
        portArgs(server) + QStringList { "--format", "jsonl", "--stats", "0.02", "-c", "flood" });
    QVERIFY(run.waitForSubscribed());
    QByteArray commands;
    for (int i = 0; i < total; ++i)
        commands += RedisServerProcess::respCommand({ "PUBLISH", "flood", variedPayload(i) });
    QVERIFY2(server.pipe(commands).endsWith("replies: 20000"), qPrintable(server.errorString()));
    QVERIFY2(run.waitForStderr(", 20000 message", 60000), run.err().right(500).constData());
    QCOMPARE(::kill(pid_t(run.process().processId()), signalNumber), 0);
    CHECK_EXIT(run, 0);
    QVERIFY(run.out().endsWith('\n'));
    const QList<QByteArray> lines = run.lines();
    QCOMPARE(lines.size(), total);
    QDateTime previous;
    for (int i = 0; i < total; ++i) {
        const QJsonObject object = QJsonDocument::fromJson(lines.at(i)).object();
        // The time of the socket read that brought the message: shared, never going backwards.
        const QDateTime time = isoTime(object, "time");
        QVERIFY2(time.isValid() && (!previous.isValid() || time >= previous), lines.at(i).constData());
        previous = time;
        const QByteArray payload = object.contains(QLatin1String("payload"))
            ? object.value(QLatin1String("payload")).toString().toUtf8()
            : QByteArray::fromBase64(object.value(QLatin1String("payload_base64")).toString().toLatin1());
        QVERIFY2(payload == variedPayload(i), lines.at(i).constData());
        QCOMPARE(object.value(QLatin1String("size")).toInt(), variedPayload(i).size());
        QCOMPARE(object.value(QLatin1String("channel")).toString(), QStringLiteral("flood"));
    }
}

// A write that fails (ENOSPC on /dev/full) is an error on stderr and exit code 1, whether the
// writer thread finds it in the middle of a flood or only the last lines, written at the end,
// meet it (that one used to end with 0).
void TestRedwireMonitor::writeErrorExitsOne_data()
{
    QTest::addColumn<int>("messages");
    QTest::addColumn<int>("payloadSize");
    QTest::newRow("found at the end") << 3 << 10;
    QTest::newRow("found in a flood") << 5000 << 1000;
}

void TestRedwireMonitor::writeErrorExitsOne()
{
    QFETCH(int, messages);
    QFETCH(int, payloadSize);
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server)
            + QStringList { "--format", "jsonl", "-c", "full", "--count", QString::number(messages) },
        QString(), [](QProcess &process) { process.setStandardOutputFile(QStringLiteral("/dev/full")); });
    QVERIFY2(run.waitForSubscribed(), run.err().constData());
    QByteArray commands;
    for (int i = 0; i < messages; ++i)
        commands += RedisServerProcess::respCommand({ "PUBLISH", "full", QByteArray(payloadSize, 'p') });
    // The monitor may end (and unsubscribe) before the last PUBLISH: only the sending matters.
    server.pipe(commands);
    CHECK_EXIT(run, 1);
    QVERIFY2(run.err().contains("cannot write the output: " + QByteArray(std::strerror(ENOSPC))),
        run.err().constData());
}

// The reader went away (`redwire-monitor | head -n 1`): the run ends by itself, quietly, with 0,
// as a pipeline expects. Its stdout is a pipe of ours whose read end is closed after a line.
void TestRedwireMonitor::readerGoneEndsTheRunQuietly()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    int fds[2];
    QCOMPARE(::pipe2(fds, O_CLOEXEC), 0);
    auto closeBoth = qScopeGuard([&] {
        for (int fd : fds)
            if (fd >= 0)
                ::close(fd);
    });
    const int writeEnd = fds[1];
    MonitorProcess run(portArgs(server) + QStringList { "--format", "jsonl", "-c", "gone" }, QString(),
        [writeEnd](QProcess &process) {
            process.setChildProcessModifier([writeEnd] { ::dup2(writeEnd, STDOUT_FILENO); });
        });
    QVERIFY2(run.waitForSubscribed(), run.err().constData());
    ::close(fds[1]);
    fds[1] = -1;
    QByteArray commands;
    for (int i = 0; i < 20000; ++i)
        commands += RedisServerProcess::respCommand({ "PUBLISH", "gone", floodPayload(i) });
    server.pipe(commands);
    QByteArray got;
    QVERIFY(QTest::qWaitFor(
        [&] {
            pollfd readable { fds[0], POLLIN, 0 };
            char chunk[4096];
            if (::poll(&readable, 1, 0) > 0) {
                const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
                if (n > 0)
                    got.append(chunk, n);
            }
            return got.contains('\n');
        },
        30000));
    ::close(fds[0]);
    fds[0] = -1;
    // Without --count or --duration only the broken pipe ends it; more traffic makes it write.
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     if (run.process().state() == QProcess::NotRunning)
                         return true;
                     publish(server, QStringLiteral("gone"), QStringLiteral("more"));
                     return false;
                 },
                 30000),
        run.err().constData());
    CHECK_EXIT(run, 0);
    QVERIFY2(!run.err().contains("cannot write"), run.err().constData());
}

void TestRedwireMonitor::tlsOptions()
{
#ifdef REDWIRE_BUILD_HAS_TLS
    RedwireTest::TlsMaterial tls;
    QVERIFY2(tls.generate(), qPrintable(tls.errorString()));
    RedisServerProcess server;
    RedisServerProcess::Options options;
    options.tls = &tls;
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    const QStringList tlsArgs { "--tls", "--port", QString::number(server.tlsPort()), "--sni", "localhost" };
    MonitorProcess run(tlsArgs
        + QStringList { "--cacert", tls.caCertPath(), "--cert", tls.clientCertPath(), "--key",
            tls.clientKeyPath(), "--count", "1" });
    QVERIFY2(run.waitForSubscribed(), run.err().constData());
    QVERIFY(run.err().contains("tls://"));
    publish(server, QStringLiteral("x"), QStringLiteral("over tls"));
    CHECK_EXIT(run, 0);
    QVERIFY(run.out().endsWith(" x over tls\n"));
    // A CA that signed nothing the server presents: cannot connect.
    MonitorProcess untrusted(tlsArgs + QStringList { "--cacert", tls.otherCaCertPath() });
    CHECK_EXIT(untrusted, 3);
#else
    // Without TLS in the build the options do not exist.
    MonitorProcess run({ "--tls" });
    CHECK_EXIT(run, 2);
    QVERIFY(run.err().contains("tls"));
#endif
}

// A payload a spreadsheet would run (=HYPERLINK, +, -, @, tab, CR first) is written with a ' in
// front; so is such a channel name. The size is the payload's own.
void TestRedwireMonitor::csvDefusesFormulaCells()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server) + QStringList { "--count", "7", "--format", "csv" });
    QVERIFY(run.waitForSubscribed());
    publish(server, QStringLiteral("news"), QStringLiteral("=HYPERLINK(\"http://evil.invalid\",\"click\")"));
    publish(server, QStringLiteral("news"), QStringLiteral("+1+1"));
    publish(server, QStringLiteral("news"), QStringLiteral("-1+1"));
    publish(server, QStringLiteral("news"), QStringLiteral("@SUM(A1)"));
    publish(server, QStringLiteral("news"), QStringLiteral("\t=1"));
    publish(server, QStringLiteral("news"), QStringLiteral("\r=1"));
    publish(server, QStringLiteral("=chan"), QStringLiteral("a=b"));
    CHECK_EXIT(run, 0);
    const QList<QByteArray> rows = run.out().split('\n');
    QCOMPARE(rows.size(), 9); // header, 7 rows (one with a CR inside), and nothing after the last CRLF
    QVERIFY2(rows.at(1).endsWith(R"x(,news,*,41,"'=HYPERLINK(""http://evil.invalid"",""click"")",)x"
                                 "\r"),
        rows.at(1).constData());
    QVERIFY2(rows.at(2).endsWith(",news,*,4,'+1+1,\r"), rows.at(2).constData());
    QVERIFY2(rows.at(3).endsWith(",news,*,4,'-1+1,\r"), rows.at(3).constData());
    QVERIFY2(rows.at(4).endsWith(",news,*,8,'@SUM(A1),\r"), rows.at(4).constData());
    QVERIFY2(rows.at(5).endsWith(",news,*,3,'\t=1,\r"), rows.at(5).constData());
    QVERIFY2(rows.at(6).endsWith(",news,*,3,\"'\r=1\",\r"), rows.at(6).constData());
    QVERIFY2(rows.at(7).endsWith(",'=chan,*,3,a=b,\r"), rows.at(7).constData());
}

// --grep is a substring of the payload, --grep-regex a regular expression searched in it; both
// case-sensitive ((?i) in a regex ignores case). Channels are not searched.
void TestRedwireMonitor::grepOnPayloads_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("--grep") << QStringList { "--grep", "needle" }
                            << QStringList { "a needle here", "needle" };
    QTest::newRow("--grep is case-sensitive")
        << QStringList { "--grep", "NEEDLE" } << QStringList { "NEEDLE upper" };
    QTest::newRow("--grep-regex") << QStringList { "--grep-regex", "^id=[0-9]+$" } << QStringList { "id=42" };
    QTest::newRow("--grep-regex (?i)")
        << QStringList { "--grep-regex", "(?i)^needle" } << QStringList { "NEEDLE upper", "needle" };
    QTest::newRow("--grep with --filter")
        << QStringList { "--grep", "=", "--filter", "^pay" } << QStringList { "id=42" };
}

void TestRedwireMonitor::grepOnPayloads()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, expected);
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server)
        + QStringList { "--format", "jsonl", "--stats", "60", "--count", QString::number(expected.size()) }
        + arguments);
    QVERIFY(run.waitForSubscribed());
    publish(server, QStringLiteral("needle"), QStringLiteral("hay")); // a channel name does not match
    for (const char *payload : { "a needle here", "NEEDLE upper", "id=42", "needle", "xid=7" })
        publish(server, QStringLiteral("payloads"), QString::fromLatin1(payload));
    CHECK_EXIT(run, 0);
    QStringList payloads;
    for (const QByteArray &line : run.lines())
        payloads << QJsonDocument::fromJson(line).object().value(QLatin1String("payload")).toString();
    QCOMPARE(payloads, expected);
    // --stats counts what passes, as with --filter.
    const QByteArray total = "-- total: " + QByteArray::number(expected.size())
        + (expected.size() == 1 ? " message" : " messages");
    QVERIFY2(run.err().contains(total), run.err().constData());
}

void TestRedwireMonitor::grepUsageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("invalid regex") << QStringList { "--grep-regex",
        "(unclosed" } << QByteArray("Invalid --grep-regex: Invalid regular expression at offset 9: ");
    QTest::newRow("both") << QStringList { "--grep", "a", "--grep-regex", "b" }
                          << QByteArray("--grep and --grep-regex");
    QTest::newRow("twice") << QStringList { "--grep", "a", "--grep", "b" } << QByteArray("--grep");
    QTest::newRow("empty") << QStringList { "--grep", "" } << QByteArray("--grep");
    QTest::newRow("empty regex") << QStringList { "--grep-regex", "" } << QByteArray("--grep-regex");
    QTest::newRow("missing value") << QStringList { "--grep" } << QByteArray("grep");
}

void TestRedwireMonitor::grepUsageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, message);
    MonitorProcess run(arguments);
    CHECK_EXIT(run, 2);
    QVERIFY(run.out().isEmpty());
    QVERIFY2(run.err().startsWith("redwire-monitor: "), run.err().constData());
    QVERIFY2(run.err().contains(message), run.err().constData());
    QVERIFY(run.err().contains("--help"));
}

namespace {
// The rows of the last complete --stats report in `err`: channel name -> the msg/s columns.
QHash<QByteArray, QList<double>> lastStatsReport(const QByteArray &err)
{
    QHash<QByteArray, QList<double>> rows;
    const QList<QByteArray> lines = err.split('\n');
    qsizetype start = -1;
    for (qsizetype i = lines.size() - 1; i >= 0 && start < 0; --i)
        if (lines.at(i).startsWith("-- ") && !lines.at(i).startsWith("-- total") && i + 1 < lines.size()
            && lines.at(i + 1).contains("60 s"))
            start = i + 2;
    for (qsizetype i = start; start >= 0 && i < lines.size(); ++i) {
        const QList<QByteArray> fields = lines.at(i).simplified().split(' ');
        if (lines.at(i).startsWith("-- ") || fields.size() < 4)
            break;
        rows.insert(
            fields.last(), { fields.at(0).toDouble(), fields.at(1).toDouble(), fields.at(2).toDouble() });
    }
    return rows;
}
} // namespace

// --stats reports each channel over the last second, ten seconds and minute: after a burst, the
// one-second column goes back to 0 while the longer windows still count it.
void TestRedwireMonitor::statsReportTheWindows()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server) + QStringList { "--format", "none", "--stats", "0.1" });
    QVERIFY(run.waitForSubscribed());
    for (int i = 0; i < 3; ++i)
        publish(server, QStringLiteral("burst"), QStringLiteral("12345"));
    QTRY_VERIFY2_WITH_TIMEOUT(
        lastStatsReport(run.err()).value("burst").value(0) > 0, run.err().constData(), 10000);
    QVERIFY2(run.err().contains("msg/s 1 s"), run.err().constData());
    QVERIFY(run.err().contains("10 s"));
    QVERIFY(run.err().contains("60 s"));
    QVERIFY(lastStatsReport(run.err()).contains("(all)"));
    QTRY_VERIFY2_WITH_TIMEOUT(
        lastStatsReport(run.err()).value("burst").value(0, -1) == 0, run.err().constData(), 10000);
    const QList<double> burst = lastStatsReport(run.err()).value("burst");
    QVERIFY2(burst.size() == 3 && burst.at(1) > 0 && burst.at(2) > 0, run.err().constData());
    // Ten seconds and a minute hold the same 3 messages; the minute divides by no less time.
    QVERIFY(burst.at(1) >= burst.at(2));
    QCOMPARE(::kill(pid_t(run.process().processId()), SIGTERM), 0);
    CHECK_EXIT(run, 0);
}

void TestRedwireMonitor::statsCountOneMessage()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(
        portArgs(server) + QStringList { "--format", "none", "--stats", "0.1", "--count", "1" });
    QVERIFY(run.waitForSubscribed());
    publish(server, QStringLiteral("one"), QStringLiteral("x"));
    CHECK_EXIT(run, 0);
    QVERIFY2(run.err().contains("1 message in total"), run.err().constData());
    QVERIFY2(run.err().contains("-- total: 1 message, 1 byte on 1 channel"), run.err().constData());
    QVERIFY2(!run.err().contains("1 messages"), run.err().constData());
}

// A URL with a port QUrl refuses: our words, not QUrl's internals ("source was ...").
void TestRedwireMonitor::badPortInUri_data()
{
    QTest::addColumn<QString>("uri");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("too big") << "redis://127.0.0.1:99999"
                             << QByteArray("Invalid --uri: Invalid port: 99999 (a number from 1 to 65535)");
    QTest::newRow("65536") << "redis://127.0.0.1:65536"
                           << QByteArray("Invalid --uri: Invalid port: 65536 (a number from 1 to 65535)");
    QTest::newRow("text") << "redis://localhost:abc/2"
                          << QByteArray("Invalid --uri: Invalid port: abc (a number from 1 to 65535)");
    QTest::newRow("negative") << "rediss://user@host:-5"
                              << QByteArray("Invalid --uri: Invalid port: -5 (a number from 1 to 65535)");
    QTest::newRow("zero") << "redis://[::1]:0"
                          << QByteArray("Invalid --uri: Invalid port: 0 (a number from 1 to 65535)");
    QTest::newRow("not a port") << "redis://[::1:6379" << QByteArray("Invalid --uri: Not a valid URL: ");
}

void TestRedwireMonitor::badPortInUri()
{
    QFETCH(QString, uri);
    QFETCH(QByteArray, message);
    MonitorProcess run({ "--uri", uri });
    CHECK_EXIT(run, 2);
    QVERIFY2(run.err().startsWith("redwire-monitor: " + message), run.err().constData());
    QVERIFY2(!run.err().contains("source was") && !run.err().contains("scheme ="), run.err().constData());
    QCOMPARE(run.err().count('\n'), 2); // the message, then where to find help
}

// Ctrl-C at the --askpass prompt, in a real terminal (a pty): the tool dies of SIGINT as it
// should, and the terminal has its echo back. The test holds the terminal open, as a shell does.
void TestRedwireMonitor::ctrlCAtAskpassRestoresEcho()
{
    int master = -1;
    const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    QVERIFY2(pid >= 0, strerror(errno));
    if (pid == 0) {
        ::execl(REDWIRE_MONITOR_EXECUTABLE, "redwire-monitor", "--askpass", "--port", "1", nullptr);
        ::_exit(127);
    }
    const int terminal = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
    bool exited = false;
    auto cleanup = qScopeGuard([&] {
        if (!exited && ::waitpid(pid, nullptr, WNOHANG) == 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
        ::close(terminal);
        ::close(master);
    });
    QVERIFY2(terminal >= 0, strerror(errno));
    ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    QByteArray screen;
    const auto readScreen = [&] {
        char buffer[256];
        for (ssize_t n; (n = ::read(master, buffer, sizeof buffer)) > 0;)
            screen.append(buffer, n);
        return screen;
    };
    const auto echoOn = [&] {
        termios settings {};
        return ::tcgetattr(terminal, &settings) == 0 && (settings.c_lflag & ECHO) != 0;
    };
    QTRY_VERIFY_WITH_TIMEOUT(readScreen().contains("Password: "), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!echoOn(), 10000); // the prompt turns it off just after printing
    QCOMPARE(::write(master, "sec", 3), 3);
    QCOMPARE(::write(master, "\x03", 1), 1); // Ctrl-C: the terminal sends SIGINT
    int status = 0;
    // waitpid() reaps once; QTRY_VERIFY evaluates its condition again at the end.
    const auto hasExited = [&] { return exited = exited || ::waitpid(pid, &status, WNOHANG) == pid; };
    QTRY_VERIFY_WITH_TIMEOUT(hasExited(), 10000);
    QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT,
        qPrintable(QStringLiteral("status %1, screen: %2").arg(status).arg(QString::fromUtf8(readScreen()))));
    QVERIFY2(echoOn(), "the terminal's echo is still off");
    QVERIFY(!readScreen().contains("sec"));
}

// --keyspace PATTERN watches key changes in the connection's database, with
// --enable-keyspace-events turning the notifications on; each format has the db, key and event.
void TestRedwireMonitor::keyspaceWatch_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("text") << QStringLiteral("text");
    QTest::newRow("jsonl") << QStringLiteral("jsonl");
    QTest::newRow("csv") << QStringLiteral("csv");
}

void TestRedwireMonitor::keyspaceWatch()
{
    QFETCH(QString, format);
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server)
        + QStringList { "--db", "2", "--keyspace", "user:*", "--enable-keyspace-events", "--format", format,
            "--count", "3" });
    QVERIFY2(run.waitForStderr("keyspace notifications are on"), run.err().constData());
    QVERIFY2(run.waitForSubscribed(), run.err().constData());
    // Turning them on is no reason for a warning that they are off (printed once in between).
    QVERIFY2(!run.err().contains("warning"), run.err().constData());
    QVERIFY(server.cli({ "CONFIG", "GET", "notify-keyspace-events" }).contains('K'));
    QCOMPARE(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"));
    server.cli({ "-n", "2", "SET", "user:1:name", "ada" });
    server.cli({ "-n", "2", "SET", "orders:1", "not watched" });
    server.cli({ "-n", "0", "SET", "user:1:name", "another database" });
    server.cli({ "-n", "2", "EXPIRE", "user:1:name", "100" });
    server.cli({ "-n", "2", "DEL", "user:1:name" });
    CHECK_EXIT(run, 0);
    QList<QByteArray> lines = run.lines();
    if (format == QLatin1String("csv")) {
        QCOMPARE(
            lines.value(0), QByteArray("time,channel,pattern,size,payload,payload_base64,db,key,event\r"));
        lines.removeFirst();
    }
    QCOMPARE(lines.size(), 3);
    const QList<QByteArray> events { "set", "expire", "del" };
    for (int i = 0; i < 3; ++i) {
        const QByteArray &line = lines.at(i);
        if (format == QLatin1String("text")) {
            QVERIFY2(line.endsWith(" db=2 event=" + events.at(i) + " key=user:1:name"), line.constData());
        } else if (format == QLatin1String("jsonl")) {
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            QCOMPARE(object.value("channel").toString(), QStringLiteral("__keyspace@2__:user:1:name"));
            const QJsonObject keyspace = object.value("keyspace").toObject();
            QCOMPARE(keyspace.value("db").toInt(-1), 2);
            QCOMPARE(keyspace.value("key").toString(), QStringLiteral("user:1:name"));
            QCOMPARE(keyspace.value("event").toString(), QString::fromLatin1(events.at(i)));
        } else {
            QVERIFY2(line.endsWith(",2,user:1:name," + events.at(i) + '\r'), line.constData());
        }
    }
}

// Notifications off: the run goes on (they may be turned on later), with a warning on stderr that
// says how to turn them on; nothing is changed without --enable-keyspace-events.
void TestRedwireMonitor::keyspaceOffIsAWarning()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    MonitorProcess run(portArgs(server) + QStringList { "--keyspace", "--quiet", "--count", "1" });
    QVERIFY2(run.waitForStderr("warning: Keyspace notifications are off"), run.err().constData());
    QVERIFY2(run.err().contains("--enable-keyspace-events"), run.err().constData());
    QVERIFY2(run.err().contains("CONFIG SET notify-keyspace-events KEA"), run.err().constData());
    QCOMPARE(server.cli({ "CONFIG", "GET", "notify-keyspace-events" }), QByteArray("notify-keyspace-events"));
    // `--keyspace` alone is every key of database 0, and no other pattern.
    QTRY_COMPARE(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"));
    server.cli({ "CONFIG", "SET", "notify-keyspace-events", "K$" });
    publish(server, QStringLiteral("news"), QStringLiteral("not watched"));
    server.cli({ "SET", "any:key", "1" });
    CHECK_EXIT(run, 0);
    QVERIFY2(run.out().endsWith(" db=0 event=set key=any:key\n"), run.out().constData());
}

void TestRedwireMonitor::keyspaceEnableRefusedSaysWhatToRun()
{
    RedisServerProcess server;
    RedisServerProcess::Options options;
    options.aclUsers << QStringLiteral("user watcher on >pw ~* &* +@all -config|set");
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    MonitorProcess run(
        portArgs(server) + QStringList { "--user", "watcher", "--keyspace", "--enable-keyspace-events" },
        QStringLiteral("pw"));
    QVERIFY2(run.waitForStderr("CONFIG SET notify-keyspace-events KEA"), run.err().constData());
    // The refusal comes after the server's answer: a line of its own, later (under ASan, in a later read).
    QVERIFY2(run.waitForStderr("may not change the server's configuration"), run.err().constData());
    QCOMPARE(server.cli({ "CONFIG", "GET", "notify-keyspace-events" }), QByteArray("notify-keyspace-events"));
    run.process().terminate();
    CHECK_EXIT(run, 0);
}

QTEST_MAIN(TestRedwireMonitor)
#include "tst_redwiremonitor.moc"
