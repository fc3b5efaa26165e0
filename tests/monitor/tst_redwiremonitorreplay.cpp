// `redwire-monitor --replay`, run as a process against a private redis-server: a recording made by
// `redwire-monitor --format jsonl` is published again and another recorder gets the same channels
// and payloads in order (binary intact); --dry-run prints and sends nothing; malformed lines are
// reported with their number and make the exit code 4; gap lines are skipped; --speed keeps the
// order; the replay-only options are refused without --replay.
#include "redis/CommandConnection.h"

#include "CommandTestSupport.h"
#include "ProgramRun.h"
#include "RedisServerProcess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using RedwireTest::RedisServerProcess;

namespace {

class MonitorProcess : public RedwireTest::ProgramRun
{
public:
    explicit MonitorProcess(const QStringList &arguments)
        : ProgramRun(QStringLiteral(REDWIRE_MONITOR_EXECUTABLE), arguments)
    { }
    void terminate() { sendSignal(SIGTERM); }
};

// (channel, payload) of each message line of a recording, in order; gap lines left out.
QList<QPair<QByteArray, QByteArray>> messagesOf(const QByteArray &jsonLines)
{
    QList<QPair<QByteArray, QByteArray>> messages;
    for (const QByteArray &line : jsonLines.split('\n')) {
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (object.isEmpty() || object.contains(QStringLiteral("event")))
            continue;
        auto bytes = [&](const QString &name) {
            return object.contains(name)
                ? object.value(name).toString().toUtf8()
                : QByteArray::fromBase64(
                    object.value(name + QStringLiteral("_base64")).toString().toLatin1());
        };
        messages.append({ bytes(QStringLiteral("channel")), bytes(QStringLiteral("payload")) });
    }
    return messages;
}

} // namespace

#define CHECK_EXIT REDWIRE_CHECK_EXIT

class TestRedwireMonitorReplay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void recordThenReplay();
    void dryRunSendsNothing();
    void malformedLinesAreReportedAndSkipped();
    void speedKeepsTheOrder();
    void usageErrors_data();
    void usageErrors();

private:
    QString writeFile(const QByteArray &contents);
    QString uri() const { return QStringLiteral("redis://127.0.0.1:%1").arg(m_server.port()); }
    QList<QPair<QByteArray, QByteArray>> m_sent;
    RedisServerProcess m_server;
    QTemporaryDir m_dir;
    QString m_recording;
};

QString TestRedwireMonitorReplay::writeFile(const QByteArray &contents)
{
    static int counter = 0;
    const QString path = m_dir.filePath(QStringLiteral("file%1.jsonl").arg(++counter));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
        return {};
    return path;
}

// A recording made by the tool itself, shared by the tests below.
void TestRedwireMonitorReplay::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(m_dir.isValid());
    MonitorProcess recorder({ QStringLiteral("-u"), uri(), QStringLiteral("--format"),
        QStringLiteral("jsonl"), QStringLiteral("rec.*") });
    QVERIFY2(recorder.waitForStderr("subscribed to"), recorder.err().constData());

    QByteArray binary;
    for (int i = 255; i >= 0; --i)
        binary += char(i);
    m_sent = { { "rec.news", "hello" }, { "rec.bin", binary }, { QByteArray("rec.\xfe\x00", 6), "x" },
        { "rec.news", "{\"z\":1,\"a\":[1,2]}" }, { "rec.empty", "" }, { "rec.news", "bye\r\n" } };
    Redwire::ConnectionOptions options;
    options.host = m_server.host();
    options.port = m_server.port();
    Redwire::CommandConnection commands(options);
    commands.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(commands.isConnected(), 20000);
    for (const auto &[channel, payload] : m_sent)
        QCOMPARE(RedwireTest::roundTrip(commands, { "PUBLISH", channel, payload }).toInteger(), 1);
    QVERIFY(recorder.waitForStdoutLines(m_sent.size()));
    recorder.terminate();
    CHECK_EXIT(recorder, 0);
    QCOMPARE(messagesOf(recorder.out()), m_sent);
    m_recording = writeFile(recorder.out());
}

void TestRedwireMonitorReplay::recordThenReplay()
{
    MonitorProcess listener({ QStringLiteral("-u"), uri(), QStringLiteral("--format"),
        QStringLiteral("jsonl"), QStringLiteral("rec.*") });
    QVERIFY2(listener.waitForStderr("subscribed to"), listener.err().constData());

    MonitorProcess replay({ QStringLiteral("--replay"), m_recording, QStringLiteral("--as-fast-as-possible"),
        QStringLiteral("--to"), uri() });
    CHECK_EXIT(replay, 0);
    QVERIFY2(replay.err().contains("replay finished: published 6, skipped 0, malformed 0"),
        replay.err().constData());
    QVERIFY(replay.out().isEmpty());

    QVERIFY(listener.waitForStdoutLines(m_sent.size()));
    listener.terminate();
    CHECK_EXIT(listener, 0);
    QCOMPARE(messagesOf(listener.out()), m_sent);
}

void TestRedwireMonitorReplay::dryRunSendsNothing()
{
    MonitorProcess listener({ QStringLiteral("-u"), uri(), QStringLiteral("--format"),
        QStringLiteral("jsonl"), QStringLiteral("rec.*") });
    QVERIFY2(listener.waitForStderr("subscribed to"), listener.err().constData());

    // No server needed: the port given has nothing listening, and it does not matter.
    MonitorProcess dryRun({ QStringLiteral("--replay"), m_recording, QStringLiteral("--dry-run"),
        QStringLiteral("--port"), QStringLiteral("1") });
    CHECK_EXIT(dryRun, 0);
    QVERIFY2(dryRun.err().contains("dry run finished: would publish 6, skipped 0, malformed 0"),
        dryRun.err().constData());
    const QList<QByteArray> lines = dryRun.out().split('\n');
    QCOMPARE(lines.size(), 7); // and the empty rest after the last newline
    QVERIFY2(lines.at(0).startsWith("+0.000 s PUBLISH rec.news hello"), lines.at(0).constData());
    QVERIFY2(lines.at(2).contains("PUBLISH rec.\\xfe\\x00 x"),
        lines.at(2).constData()); // escaped for the terminal
    QVERIFY2(lines.at(5).endsWith("PUBLISH rec.news bye\\r\\n"), lines.at(5).constData());

    // The listener got nothing from the dry run: the first thing it sees is published afterwards.
    m_server.cli({ QStringLiteral("PUBLISH"), QStringLiteral("rec.after"), QStringLiteral("1") });
    QVERIFY(listener.waitForStdoutLines(1));
    listener.terminate();
    CHECK_EXIT(listener, 0);
    const auto received = messagesOf(listener.out());
    QCOMPARE(received.size(), 1);
    QCOMPARE(received.at(0).first, QByteArray("rec.after"));
}

void TestRedwireMonitorReplay::malformedLinesAreReportedAndSkipped()
{
    QFile original(m_recording);
    QVERIFY(original.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = original.readAll().split('\n');
    lines.insert(1,
        R"({"event":"gap","time":"2024-05-01T12:34:56.789Z","since":"2024-05-01T12:34:54.289Z","reason":"r","cause":"killed","resumed":true})");
    lines.insert(3, "not json at all");
    lines.insert(4, R"({"time":"2024-05-01T12:34:56Z","channel":"rec.x","size":9,"payload":"short"})");
    const QString path = writeFile(lines.join('\n'));

    MonitorProcess listener({ QStringLiteral("-u"), uri(), QStringLiteral("--format"),
        QStringLiteral("jsonl"), QStringLiteral("rec.*") });
    QVERIFY2(listener.waitForStderr("subscribed to"), listener.err().constData());
    MonitorProcess replay({ QStringLiteral("--replay"), path, QStringLiteral("--as-fast-as-possible"),
        QStringLiteral("--to"), uri() });
    CHECK_EXIT(replay, 4);
    QVERIFY2(replay.err().contains(path.toUtf8() + ":4: malformed line skipped: not JSON"),
        replay.err().constData());
    QVERIFY2(replay.err().contains(path.toUtf8() + ":5: malformed line skipped: \"size\" is 9"),
        replay.err().constData());
    QVERIFY2(replay.err().contains("replay finished: published 6, skipped 1, malformed 2"),
        replay.err().constData());

    QVERIFY(listener.waitForStdoutLines(m_sent.size()));
    listener.terminate();
    CHECK_EXIT(listener, 0);
    QCOMPARE(messagesOf(listener.out()), m_sent);
}

void TestRedwireMonitorReplay::speedKeepsTheOrder()
{
    // Four messages 250 ms apart, at twice the speed: they arrive in order, each received after the
    // one before (the recorder's own timestamps), whatever the machine's load.
    QByteArray recording;
    for (int i = 0; i < 4; ++i)
        recording += QStringLiteral(
            R"({"time":"2024-05-01T12:34:56.%1Z","channel":"rec.paced","pattern":null,"size":1,"payload":"%2"})"
            "\n")
                         .arg(100 + 250 * i, 3, 10, QLatin1Char('0'))
                         .arg(i)
                         .toUtf8();
    MonitorProcess listener({ QStringLiteral("-u"), uri(), QStringLiteral("--format"),
        QStringLiteral("jsonl"), QStringLiteral("rec.*") });
    QVERIFY2(listener.waitForStderr("subscribed to"), listener.err().constData());
    MonitorProcess replay({ QStringLiteral("--replay"), writeFile(recording), QStringLiteral("--speed"),
        QStringLiteral("2"), QStringLiteral("-u"), uri() });
    CHECK_EXIT(replay, 0);
    QVERIFY(listener.waitForStdoutLines(4));
    listener.terminate();
    CHECK_EXIT(listener, 0);
    QDateTime previous;
    int index = 0;
    for (const QByteArray &line : listener.out().split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        QCOMPARE(object.value(QStringLiteral("payload")).toString(), QString::number(index++));
        const QDateTime time
            = QDateTime::fromString(object.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
        QVERIFY(time.isValid());
        if (previous.isValid())
            QVERIFY(time >= previous);
        previous = time;
    }
    QCOMPARE(index, 4);
}

void TestRedwireMonitorReplay::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("speed without replay") << QStringList { QStringLiteral("--speed"), QStringLiteral("2") }
                                          << QStringLiteral("--speed needs --replay");
    QTest::newRow("dry run without replay")
        << QStringList { QStringLiteral("--dry-run") } << QStringLiteral("--dry-run needs --replay");
    QTest::newRow("zero speed") << QStringList { QStringLiteral("--replay"), QStringLiteral("f"),
        QStringLiteral("--speed"), QStringLiteral("0") }
                                << QStringLiteral("Invalid --speed: 0");
    QTest::newRow("speed and fast") << QStringList { QStringLiteral("--replay"), QStringLiteral("f"),
        QStringLiteral("--speed"), QStringLiteral("2"), QStringLiteral("--as-fast-as-possible") }
                                    << QStringLiteral("cannot be combined");
    QTest::newRow("to and uri") << QStringList { QStringLiteral("--replay"), QStringLiteral("f"),
        QStringLiteral("--to"), QStringLiteral("redis://a"), QStringLiteral("--uri"),
        QStringLiteral("redis://b") }
                                << QStringLiteral("--to and --uri cannot be combined");
    QTest::newRow("patterns") << QStringList { QStringLiteral("--replay"), QStringLiteral("f"),
        QStringLiteral("news.*") }
                              << QStringLiteral("--replay takes no patterns");
    QTest::newRow("format") << QStringList { QStringLiteral("--replay"), QStringLiteral("f"),
        QStringLiteral("--format"), QStringLiteral("csv") }
                            << QStringLiteral("--format cannot be combined with --replay");
    QTest::newRow("bad --to") << QStringList { QStringLiteral("--replay"), QStringLiteral("f"),
        QStringLiteral("--to"), QStringLiteral("redis://127.0.0.1:99999") }
                              << QStringLiteral("Invalid --to: Invalid port: 99999");
    QTest::newRow("missing file") << QStringList { QStringLiteral("--replay"),
        QStringLiteral("/nonexistent/x.jsonl"), QStringLiteral("--dry-run") }
                                  << QStringLiteral("Cannot read /nonexistent/x.jsonl");
}

void TestRedwireMonitorReplay::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    MonitorProcess run(arguments);
    CHECK_EXIT(run, 2);
    QVERIFY2(run.err().contains(message.toUtf8()), run.err().constData());
}

QTEST_GUILESS_MAIN(TestRedwireMonitorReplay)
#include "tst_redwiremonitorreplay.moc"
