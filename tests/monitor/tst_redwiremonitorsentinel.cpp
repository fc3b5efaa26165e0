// redwire-monitor with a redis+sentinel:// address (--url), as a process against a real Sentinel
// setup: it keeps going through `SENTINEL FAILOVER` with one gap line, prints the sentinels'
// events, and every message published is either printed or inside the gap. Addresses it cannot
// use are usage errors (exit 2); no sentinel answering is exit 3.
#include "SentinelSetup.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using RedwireTest::RedisServerProcess;
using RedwireTest::SentinelSetup;

namespace {
// One run of the tool: stdout and stderr collected as they come.
class MonitorProcess
{
public:
    explicit MonitorProcess(const QStringList &arguments)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("REDWIRE_PASSWORD"));
        m_process.setProcessEnvironment(environment);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput,
            [this] { m_out += m_process.readAllStandardOutput(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError,
            [this] { m_err += m_process.readAllStandardError(); });
        m_process.start(QStringLiteral(REDWIRE_MONITOR_EXECUTABLE), arguments);
    }
    ~MonitorProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    bool waitForStderr(const QByteArray &text, int timeoutMs = 20000)
    {
        (void)QTest::qWaitFor(
            [&] { return m_err.contains(text) || m_process.state() == QProcess::NotRunning; }, timeoutMs);
        return m_err.contains(text);
    }
    int waitForExit(int timeoutMs = 20000)
    {
        if (m_process.state() != QProcess::NotRunning) {
            QSignalSpy finished(&m_process, &QProcess::finished);
            if (!finished.wait(timeoutMs))
                return -1;
        }
        m_out += m_process.readAllStandardOutput();
        m_err += m_process.readAllStandardError();
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    void terminate() { m_process.terminate(); }
    const QByteArray &out() const { return m_out; }
    const QByteArray &err() const { return m_err; }

private:
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};
} // namespace

class TestRedwireMonitorSentinel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void unusableAddressesAreUsageErrors_data();
    void unusableAddressesAreUsageErrors();
    void noSentinelAnsweringExitsThree();
    void keepsGoingThroughAFailover();
};

void TestRedwireMonitorSentinel::unusableAddressesAreUsageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("cluster with --port") << QStringList { "--url", "redis+cluster://127.0.0.1:7000", "--port",
        "6379" } << QByteArray("--port cannot be combined with a redis+cluster:// address");
    QTest::newRow("cluster with a database") << QStringList { "--url", "redis+cluster://127.0.0.1:7000", "-n",
        "2" } << QByteArray("Redis Cluster has database 0 only");
    QTest::newRow("no master name") << QStringList { "--url", "redis+sentinel://127.0.0.1:26379" }
                                    << QByteArray("Invalid --uri: The sentinel URL names no master");
    QTest::newRow("password") << QStringList { "-u", "redis+sentinel://u:secret@127.0.0.1:26379/m" }
                              << QByteArray("Put no password in the URL");
    QTest::newRow("with --port") << QStringList { "--uri", "redis+sentinel://127.0.0.1:26379/m", "--port",
        "6379" } << QByteArray("--port cannot be combined with a redis+sentinel:// address");
}

void TestRedwireMonitorSentinel::unusableAddressesAreUsageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, message);
    MonitorProcess run(arguments);
    QCOMPARE(run.waitForExit(), 2);
    QVERIFY2(run.err().contains(message), run.err().constData());
    QVERIFY(!run.err().contains("secret"));
}

void TestRedwireMonitorSentinel::noSentinelAnsweringExitsThree()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close(); // nothing listens there now
    MonitorProcess run({ "--url", QStringLiteral("redis+sentinel://127.0.0.1:%1/mymaster").arg(port) });
    QCOMPARE(run.waitForExit(), 3);
    QVERIFY2(run.err().contains("cannot find the master: No sentinel named the master \"mymaster\""),
        run.err().constData());
}

void TestRedwireMonitorSentinel::keepsGoingThroughAFailover()
{
    SentinelSetup setup;
    QVERIFY2(setup.start(), qPrintable(setup.errorString()));
    const quint16 oldPort = setup.server(0).port();
    MonitorProcess run({ "--url", setup.url(), "-c", "news" });
    QVERIFY2(run.waitForStderr("subscribed to 1 topic on 127.0.0.1:" + QByteArray::number(oldPort)
                 + " (master of mymaster)"),
        run.err().constData());

    // Published one at a time to whichever server the sentinels name: counted exactly.
    int published = 0;
    auto publishSome = [&](int count) {
        for (int i = 0; i < count; ++i) {
            RedisServerProcess *master = setup.serverOnPort(setup.masterPortFromSentinels());
            QVERIFY(master);
            master->cli({ "PUBLISH", "news", QString::number(++published) });
        }
    };
    publishSome(5);
    QTRY_COMPARE_WITH_TIMEOUT(run.out().count('\n'), 5, 20000);
    QVERIFY2(setup.forceFailover(), qPrintable(setup.errorString()));
    const quint16 newPort = setup.waitForNewMaster(oldPort);
    QVERIFY(newPort != 0);
    QVERIFY2(run.waitForStderr("resubscribed to 1 topic"), run.err().constData());
    QVERIFY2(run.err().contains("+switch-master mymaster 127.0.0.1 " + QByteArray::number(oldPort)
                 + " 127.0.0.1 " + QByteArray::number(newPort)),
        run.err().constData());
    QVERIFY2(run.err().contains("following the master to 127.0.0.1:" + QByteArray::number(newPort)),
        run.err().constData());
    publishSome(5);
    QTRY_VERIFY_WITH_TIMEOUT(run.out().contains(" news 10\n"), 20000);
    run.terminate();
    QCOMPARE(run.waitForExit(), 0);

    // 10 sent = 10 received: nothing was published during the move; the move is one gap line.
    QList<QByteArray> lines = run.out().split('\n');
    lines.removeAll(QByteArray());
    int messages = 0;
    int gaps = 0;
    for (const QByteArray &line : std::as_const(lines)) {
        if (line.contains(" *** gap since "))
            ++gaps;
        else if (line.contains(" news "))
            ++messages;
    }
    QCOMPARE(messages, 10);
    QCOMPARE(gaps, 1);
    QVERIFY2(run.err().contains("gap: messages published from "), run.err().constData());
    QVERIFY2(
        run.err().contains("The master of \"mymaster\" moved to 127.0.0.1:" + QByteArray::number(newPort)),
        run.err().constData());
}

QTEST_GUILESS_MAIN(TestRedwireMonitorSentinel)
#include "tst_redwiremonitorsentinel.moc"
