// Breaks in a ChannelMonitor's subscription against a real redis-server: the subscriber killed
// (CLIENT KILL TYPE pubsub), the server restarted, the subscriber dropped for its output buffer
// limit while its event loop stood still under a flood, and the monitor stopped while not
// subscribed. Each break is exactly one gap, with a reason and sane times, in the buffer and the
// table; in the flood, what was published is what was received plus what fell in the gap.
#include "monitor/ChannelMonitor.h"
#include "monitor/MonitorMessageModel.h"
#include "monitor/SubscriptionGap.h"

#include "redis/CommandConnection.h"
#include "redis/RedisClient.h"

#include "CommandTestSupport.h"
#include "ConnectionOptionsFor.h"
#include "RedisServerProcess.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace Redwire;
using RedwireTest::connectionOptionsFor;
using RedwireTest::RedisServerProcess;
using Cause = SubscriptionGap::Cause;

namespace {

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

bool startAndSubscribe(ChannelMonitor &monitor, int topics)
{
    QSignalSpy subscribed(monitor.client()->subscriber(), &SubscriberConnection::subscribed);
    monitor.start();
    return QTest::qWaitFor([&] { return subscribed.count() >= topics && monitor.isConnected(); }, 5000);
}

SubscriptionGap gapAt(const QSignalSpy &spy, int index)
{
    return spy.at(index).at(0).value<SubscriptionGap>();
}

QString describe(const SubscriptionGap &gap)
{
    return QStringLiteral("%1 from %2 to %3: %4")
        .arg(QString::fromLatin1(SubscriptionGap::causeName(gap.cause)))
        .arg(gap.sinceMs)
        .arg(gap.timeMs)
        .arg(gap.reason);
}

// The index a flood message carries at the start of its payload; -1 for other entries.
int indexOf(const MonitoredMessage &entry)
{
    bool ok = false;
    const int index = entry.payload.left(7).trimmed().toInt(&ok);
    return entry.isGap() || !ok ? -1 : index;
}

QByteArray floodPayload(int index)
{
    return QByteArray::number(index).rightJustified(7, '0') + ' ' + QByteArray(120, 'x');
}
} // namespace

class TestSubscriptionGaps : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<SubscriptionGap>(); }
    void clientKillIsExactlyOneGap();
    void serverRestartIsAGap();
    void outputBufferLimitWhileTheLoopStandsStill();
    void stoppingWhileNotSubscribedRecordsTheGap();
};

void TestSubscriptionGaps::clientKillIsExactlyOneGap()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelMonitor monitor(connectionOptionsFor(server));
    MonitorMessageModel model;
    model.setMonitor(&monitor);
    monitor.subscribeChannel("news");
    QSignalSpy opened(&monitor, &ChannelMonitor::gapOpened);
    QSignalSpy recorded(&monitor, &ChannelMonitor::gapRecorded);
    const qint64 started = now();
    QVERIFY(startAndSubscribe(monitor, 1));
    QCOMPARE(server.cli({ "PUBLISH", "news", "before" }), QByteArray("1"));
    QTRY_COMPARE(model.rowCount(), 1);

    // The kill goes over a connection of the test's own, so that the loop keeps running.
    CommandConnection admin(connectionOptionsFor(server));
    admin.connectToServer();
    QTRY_VERIFY(admin.isConnected());
    const qint64 killSent = now();
    QCOMPARE(RedwireTest::roundTrip(admin, { "CLIENT", "KILL", "TYPE", "pubsub" }).toInteger(), 1);
    const qint64 killed = now();
    QTRY_COMPARE(recorded.count(), 1);
    const SubscriptionGap gap = gapAt(recorded, 0);
    QVERIFY2(gap.cause == Cause::Killed, qPrintable(describe(gap)));
    QVERIFY(gap.reason.contains(QLatin1String("CLIENT KILL")));
    QVERIFY(gap.resumed);
    QVERIFY2(gap.sinceMs >= started && gap.sinceMs <= killed, qPrintable(describe(gap)));
    QVERIFY2(gap.timeMs >= killSent && gap.timeMs <= now(), qPrintable(describe(gap)));
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.first().at(0).toLongLong(), gap.sinceMs);

    QCOMPARE(server.cli({ "PUBLISH", "news", "after" }), QByteArray("1"));
    QTRY_COMPARE(model.rowCount(), 3);
    QCOMPARE(recorded.count(), 1); // exactly one
    QCOMPARE(monitor.gapCount(), 1u);
    QVERIFY(!monitor.isGapOpen());
    using Roles = MonitorMessageModel::Roles;
    QCOMPARE(model.data(model.index(0), Roles::PreviewRole).toString(), QStringLiteral("before"));
    QCOMPARE(model.data(model.index(1), Roles::GapRole).toBool(), true);
    QCOMPARE(model.data(model.index(1), Roles::PreviewRole).toString(), gap.reason);
    QCOMPARE(model.data(model.index(1), Roles::TimestampRole).toLongLong(), gap.timeMs);
    QCOMPARE(model.payloadKind(1), QStringLiteral("gap"));
    QCOMPARE(model.data(model.index(2), Roles::GapRole).toBool(), false);
    QCOMPARE(model.data(model.index(2), Roles::PreviewRole).toString(), QStringLiteral("after"));
    QCOMPARE(monitor.bufferDroppedCount(), 0u);
}

void TestSubscriptionGaps::serverRestartIsAGap()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelMonitor monitor(connectionOptionsFor(server));
    monitor.subscribePattern("p.*");
    monitor.subscribeChannel("c");
    QSignalSpy recorded(&monitor, &ChannelMonitor::gapRecorded);
    QSignalSpy resubscribed(&monitor, &ChannelMonitor::resubscribed);
    QVERIFY(startAndSubscribe(monitor, 2));
    const qint64 stoppedAt = now();
    QVERIFY(server.restart());
    QTRY_VERIFY_WITH_TIMEOUT(recorded.count() == 1, 10000);
    const SubscriptionGap gap = gapAt(recorded, 0);
    QCOMPARE(resubscribed.count(), 1); // recorded once every topic was back
    QVERIFY2(gap.cause == Cause::ServerLost, qPrintable(describe(gap)));
    QVERIFY(gap.resumed);
    QVERIFY2(gap.sinceMs <= stoppedAt && gap.timeMs >= stoppedAt && gap.timeMs <= now(),
        qPrintable(describe(gap)));
    QCOMPARE(server.cli({ "PUBLISH", "p.x", "after" }), QByteArray("1"));
    QTRY_COMPARE(monitor.receivedCount(), 1u);
    QCOMPARE(recorded.count(), 1);
    QCOMPARE(monitor.buffer().size(), 2);
    QVERIFY(monitor.buffer().at(0).isGap());
}

// The subscriber cannot read while the test's thread is busy publishing a flood through redis-cli
// --pipe (every step blocks the event loop); the server drops it once 64 KiB are waiting for it.
void TestSubscriptionGaps::outputBufferLimitWhileTheLoopStandsStill()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QCOMPARE(server.cli({ "CONFIG", "SET", "client-output-buffer-limit", "pubsub 64kb 32kb 1" }),
        QByteArray("OK"));
    ConnectionOptions options = connectionOptionsFor(server);
    options.heartbeatIntervalMs = 60000; // the stand-still must not read as a dead server
    ChannelMonitor monitor(options);
    MonitorMessageModel model;
    model.setMonitor(&monitor);
    monitor.subscribeChannel("flood");
    QSignalSpy recorded(&monitor, &ChannelMonitor::gapRecorded);
    const qint64 started = now();
    QVERIFY(startAndSubscribe(monitor, 1));
    int published = 0;
    for (; published < 3; ++published)
        QCOMPARE(server.cli({ "PUBLISH", "flood", QString::fromLatin1(floodPayload(published + 1)) }),
            QByteArray("1"));
    QTRY_COMPARE(monitor.receivedCount(), 3u);

    const QByteArray name = monitor.client()->options().clientName.toUtf8();
    const qint64 floodStarted = now();
    bool dropped = false;
    for (int round = 0; round < 5 && !dropped; ++round) {
        QByteArray commands;
        for (int i = 0; i < 48000; ++i)
            commands += RedisServerProcess::respCommand({ "PUBLISH", "flood", floodPayload(++published) });
        QVERIFY2(server.pipe(commands).endsWith("replies: 48000"), qPrintable(server.errorString()));
        dropped = !server.cli({ "CLIENT", "LIST", "TYPE", "pubsub" }).contains("name=" + name);
    }
    QVERIFY2(dropped, "the server never dropped the subscriber");
    const qint64 floodEnded = now();

    QTRY_VERIFY_WITH_TIMEOUT(recorded.count() == 1, 15000);
    const SubscriptionGap gap = gapAt(recorded, 0);
    QVERIFY2(gap.cause == Cause::ProbablyOutputBufferLimit || gap.cause == Cause::OutputBufferLimit,
        qPrintable(describe(gap)));
    QVERIFY2(gap.reason.contains(QLatin1String("output buffer limit")), qPrintable(gap.reason));
    QVERIFY2(gap.reason.contains(QLatin1String("64.00 KiB hard")), qPrintable(gap.reason));
    QVERIFY2(gap.sinceMs >= started && gap.sinceMs <= floodStarted, qPrintable(describe(gap)));
    QVERIFY2(gap.timeMs >= floodEnded, qPrintable(describe(gap)));

    ++published;
    QCOMPARE(
        server.cli({ "PUBLISH", "flood", QString::fromLatin1(floodPayload(published)) }), QByteArray("1"));
    QTRY_VERIFY(monitor.buffer().size() > 0
        && indexOf(monitor.buffer().at(monitor.buffer().size() - 1)) == published);

    // Published = received + what fell in the gap: the messages before the gap are 1..k without a
    // hole, the gap comes next, then the one published after it; k + 1 < published.
    const quint64 received = monitor.receivedCount();
    QVERIFY2(
        received < quint64(published), qPrintable(QStringLiteral("%1 of %2").arg(received).arg(published)));
    QCOMPARE(monitor.gapCount(), 1u);
    QCOMPARE(recorded.count(), 1);
    const MessageRingBuffer &buffer = monitor.buffer();
    QCOMPARE(quint64(buffer.size()), received + 1);
    qsizetype gapEntry = -1;
    for (qsizetype i = 0; i < buffer.size(); ++i) {
        if (buffer.at(i).isGap()) {
            gapEntry = i;
            break;
        }
        QCOMPARE(indexOf(buffer.at(i)), int(i) + 1);
    }
    QCOMPARE(gapEntry, buffer.size() - 2);
    const int missed = published - int(received);
    QCOMPARE(
        missed, published - 1 - int(gapEntry)); // all the indices between the last before and the one after
    qInfo("published %d, received %llu, in the gap %d: %s", published, qulonglong(received), missed,
        qPrintable(gap.reason));
    QTRY_COMPARE(model.rowCount(), int(buffer.size())); // the table follows at the next frame
    QVERIFY(model.data(model.index(int(gapEntry)), MonitorMessageModel::GapRole).toBool());
}

void TestSubscriptionGaps::stoppingWhileNotSubscribedRecordsTheGap()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelMonitor monitor(connectionOptionsFor(server));
    monitor.subscribeChannel("c");
    QSignalSpy opened(&monitor, &ChannelMonitor::gapOpened);
    QSignalSpy recorded(&monitor, &ChannelMonitor::gapRecorded);
    QVERIFY(startAndSubscribe(monitor, 1));
    server.stop();
    QTRY_COMPARE(opened.count(), 1);
    QVERIFY(monitor.isGapOpen());
    QCOMPARE(recorded.count(), 0); // not while it lasts
    monitor.stop();
    QCOMPARE(recorded.count(), 1);
    const SubscriptionGap gap = gapAt(recorded, 0);
    QVERIFY(!gap.resumed);
    QVERIFY(gap.timeMs >= gap.sinceMs);
    QVERIFY(!gap.reason.isEmpty());
    QVERIFY(!monitor.isGapOpen());
    monitor.stop(); // once only
    QCOMPARE(recorded.count(), 1);
}

QTEST_MAIN(TestSubscriptionGaps)
#include "tst_subscriptiongaps.moc"
