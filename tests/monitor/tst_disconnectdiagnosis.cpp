// Why a subscription broke, from the evidence the monitor gathers (pure logic, no server): the
// cause and the sentence for every combination that matters, the receive history that tells a
// backlog or a stall before the close, and the time marks that date "since".
#include "monitor/DisconnectDiagnosis.h"
#include "monitor/ReceiveHistory.h"
#include "monitor/SubscriptionGapTracker.h"

#include <QTest>

using namespace Redwire;
using Cause = SubscriptionGap::Cause;
using ServerState = DisconnectEvidence::ServerState;
using Level = SlowSubscriberWatch::Level;

namespace {
RedisError closedByServer()
{
    return RedisError(RedisError::Code::ConnectionLost, QStringLiteral("The server closed the connection."));
}

SlowSubscriberWatch::Limits tinyLimits()
{
    SlowSubscriberWatch::Limits limits;
    limits.hardBytes = 64 * 1024;
    limits.softBytes = 32 * 1024;
    limits.softSeconds = 1;
    limits.known = true;
    return limits;
}

ReceiveHistory::Burst burst(quint64 bytes, double expected, qint64 pauseMs = 100)
{
    ReceiveHistory::Burst b;
    b.bytes = bytes;
    b.windowMs = 250;
    b.expectedBytes = expected;
    b.longestPauseMs = pauseMs;
    return b;
}
} // namespace

Q_DECLARE_METATYPE(DisconnectEvidence)

class TestDisconnectDiagnosis : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void causes_data();
    void causes();
    void reasonsSayWhatIsKnown();
    void historyFindsABurstAfterQuiet();
    void historyTellsASteadyStreamFromABurst();
    void historyMeasuresAStall();
    void historyWithoutSamples();
    void marksRoundTrip();
};

void TestDisconnectDiagnosis::causes_data()
{
    QTest::addColumn<DisconnectEvidence>("evidence");
    QTest::addColumn<Cause>("cause");

    DisconnectEvidence killed;
    killed.error = closedByServer();
    killed.server = ServerState::Answered;
    killed.limits = tinyLimits();
    QTest::newRow("server answered, idle: killed") << killed << Cause::Killed;

    DisconnectEvidence unknown = killed;
    unknown.server = ServerState::Unknown;
    QTest::newRow("no answer yet: only lost") << unknown << Cause::ConnectionLost;

    DisconnectEvidence backlog = killed;
    backlog.burst = burst(300 * 1024, 0);
    QTest::newRow("backlog after quiet: probably the limit") << backlog << Cause::ProbablyOutputBufferLimit;

    DisconnectEvidence backlogUnknown = backlog;
    backlogUnknown.server = ServerState::Unknown;
    QTest::newRow("backlog, server not asked yet") << backlogUnknown << Cause::ProbablyOutputBufferLimit;

    DisconnectEvidence small = killed;
    small.burst = burst(16 * 1024, 0);
    QTest::newRow("a little traffic is no backlog") << small << Cause::Killed;

    DisconnectEvidence steady = killed;
    steady.burst = burst(300 * 1024, 250 * 1024);
    QTest::newRow("a steady stream is no backlog") << steady << Cause::Killed;

    DisconnectEvidence stalled = killed;
    stalled.burst = burst(0, 0, 1500);
    QTest::newRow("right after a stall: probably the limit") << stalled << Cause::ProbablyOutputBufferLimit;

    DisconnectEvidence critical = killed;
    critical.watchLevel = Level::Critical;
    critical.watchBytes = 60 * 1024;
    critical.watchAgeMs = 800;
    QTest::newRow("watch saw the limit near: the limit") << critical << Cause::OutputBufferLimit;

    DisconnectEvidence staleReading = critical;
    staleReading.watchAgeMs = 20000;
    QTest::newRow("an old critical reading proves nothing") << staleReading << Cause::Killed;

    DisconnectEvidence warning = critical;
    warning.watchLevel = Level::Warning;
    QTest::newRow("half way is not enough") << warning << Cause::Killed;

    DisconnectEvidence restart = backlog;
    restart.server = ServerState::Lost;
    QTest::newRow("server lost too: not the limit") << restart << Cause::ServerLost;

    DisconnectEvidence refused = critical;
    refused.unreachable = true;
    QTest::newRow("server unreachable afterwards") << refused << Cause::ServerLost;

    DisconnectEvidence heartbeat = backlog;
    heartbeat.error = RedisError(RedisError::Code::HeartbeatTimeout, QStringLiteral("No heartbeat."));
    QTest::newRow("heartbeat timeout") << heartbeat << Cause::HeartbeatTimeout;

    DisconnectEvidence protocol = killed;
    protocol.error = RedisError(RedisError::Code::ProtocolError, QStringLiteral("Protocol error: junk"));
    QTest::newRow("protocol error") << protocol << Cause::ConnectionFailed;
}

void TestDisconnectDiagnosis::causes()
{
    QFETCH(DisconnectEvidence, evidence);
    QFETCH(Cause, cause);
    QCOMPARE(DisconnectDiagnosis::causeOf(evidence), cause);
    QVERIFY(!DisconnectDiagnosis::reason(evidence).isEmpty());
}

void TestDisconnectDiagnosis::reasonsSayWhatIsKnown()
{
    DisconnectEvidence evidence;
    evidence.error = closedByServer();
    evidence.server = ServerState::Answered;
    evidence.limits = tinyLimits();
    evidence.watchLevel = Level::Critical;
    evidence.watchBytes = 60 * 1024;
    evidence.watchAgeMs = 800;
    const QString certain = DisconnectDiagnosis::reason(evidence);
    QVERIFY2(certain.startsWith(QLatin1String("disconnected by the server's output buffer limit")),
        qPrintable(certain));
    QVERIFY2(certain.contains(QLatin1String("64.00 KiB hard, 32.00 KiB soft for 1 s")), qPrintable(certain));

    evidence.watchLevel = Level::Unknown;
    evidence.burst = burst(3 * 1024 * 1024, 0);
    const QString probable = DisconnectDiagnosis::reason(evidence);
    QVERIFY2(probable.startsWith(QLatin1String("probably disconnected by the server's output buffer limit")),
        qPrintable(probable));
    QVERIFY2(probable.contains(QLatin1String("backlog of 3.00 MiB")), qPrintable(probable));

    evidence.limits = SlowSubscriberWatch::Limits(); // CONFIG GET refused
    evidence.refusedTopics = QStringList { QStringLiteral("secret") };
    const QString withoutLimits = DisconnectDiagnosis::reason(evidence);
    QVERIFY(!withoutLimits.contains(QLatin1String("client-output-buffer-limit")));
    QVERIFY(withoutLimits.endsWith(QLatin1String("refused when subscribing again: secret")));
    QVERIFY(DisconnectDiagnosis::limitsText(SlowSubscriberWatch::Limits()).isEmpty());
}

void TestDisconnectDiagnosis::historyFindsABurstAfterQuiet()
{
    ReceiveHistory history;
    for (qint64 t = 0; t <= 2000; t += 100)
        history.record(t, 1000); // quiet: nothing new for two seconds
    // The loop stood still from 2000 to 2050, then 200 KiB arrived before the close at 2060.
    const ReceiveHistory::Burst b = history.burstAt(2060, 1000 + 200 * 1024);
    QCOMPARE(b.bytes, quint64(200 * 1024));
    QCOMPARE(b.windowMs, 260); // from the sample at 1800, the newest at least 250 ms old
    QCOMPARE(b.expectedBytes, 0.0);
    QVERIFY(b.longestPauseMs <= 100);
}

void TestDisconnectDiagnosis::historyTellsASteadyStreamFromABurst()
{
    ReceiveHistory history;
    for (qint64 t = 0; t <= 2000; t += 100)
        history.record(t, quint64(t) * 1024); // 1,000 KiB/s
    const ReceiveHistory::Burst b = history.burstAt(2050, 2050 * 1024);
    QCOMPARE(b.windowMs, 250); // from the sample at 1800
    QCOMPARE(b.bytes, quint64(250 * 1024));
    QCOMPARE(b.expectedBytes, 250.0 * 1024); // the rate from 800 to 1800 brings as much
}

void TestDisconnectDiagnosis::historyMeasuresAStall()
{
    ReceiveHistory history;
    for (qint64 t = 0; t <= 1000; t += 100)
        history.record(t, 0);
    // SIGSTOP at 1000, SIGCONT at 4000: the timer fires once late, then the close comes.
    history.record(4010, 0);
    const ReceiveHistory::Burst b = history.burstAt(4030, 150 * 1024);
    QCOMPARE(b.longestPauseMs, 3010);
    QCOMPARE(b.bytes, quint64(150 * 1024));
    QCOMPARE(b.windowMs, 3030); // from the last sample before the stall
}

void TestDisconnectDiagnosis::historyWithoutSamples()
{
    ReceiveHistory history;
    QVERIFY(history.isEmpty());
    const ReceiveHistory::Burst b = history.burstAt(100, 5000);
    QCOMPARE(b.bytes, 0u);
    QCOMPARE(b.longestPauseMs, 0);
    history.record(50, 10);
    QCOMPARE(history.burstAt(100, 5000).bytes, 4990u); // the only sample, however young
    history.clear();
    QVERIFY(history.isEmpty());
}

void TestDisconnectDiagnosis::marksRoundTrip()
{
    const QByteArray mark = SubscriptionGapTracker::markPayload(1714566896789);
    QCOMPARE(SubscriptionGapTracker::markTime(mark), 1714566896789);
    QCOMPARE(SubscriptionGapTracker::markTime("17"), -1); // RedisClient's heartbeat: a sequence number
    QCOMPARE(SubscriptionGapTracker::markTime(mark + "x"), -1);
}

QTEST_APPLESS_MAIN(TestDisconnectDiagnosis)
#include "tst_disconnectdiagnosis.moc"
