// ChannelRateMeter and ChannelStatistics with an injected clock: exact rates over 1 s, 10 s and
// 1 min, windows that forget, the origin, the channel limit.
#include "monitor/ChannelRateMeter.h"
#include "monitor/ChannelStatistics.h"

#include <QTest>

using namespace Redwire;
using Window = ChannelRateMeter::Window;

class TestChannelRateMeter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void steadyStreamGivesItsRate_data();
    void steadyStreamGivesItsRate();
    void burstLeavesTheShortWindowFirst();
    void rateRightAfterTheOriginIsNotInflated();
    void idleMeterReadsZero();
    void clockSteppingBackDoesNotCorrupt();
    void negativeClock();
    void statisticsCountPerChannel();
    void statisticsKeepIndexesAndServerData();
    void statisticsChannelLimitFoldsIntoOther();
    void statisticsClear();
};

void TestChannelRateMeter::steadyStreamGivesItsRate_data()
{
    QTest::addColumn<int>("intervalMs"); // one message of 100 bytes every intervalMs
    QTest::addColumn<int>("window");
    QTest::addColumn<double>("expected"); // messages per second
    QTest::newRow("10/s over 1 s") << 100 << int(Window::OneSecond) << 10.0;
    QTest::newRow("10/s over 10 s") << 100 << int(Window::TenSeconds) << 10.0;
    QTest::newRow("10/s over 1 min") << 100 << int(Window::OneMinute) << 10.0;
    QTest::newRow("1000/s over 1 s") << 1 << int(Window::OneSecond) << 1000.0;
    QTest::newRow("1000/s over 1 min") << 1 << int(Window::OneMinute) << 1000.0;
    QTest::newRow("0.5/s over 1 min") << 2000 << int(Window::OneMinute) << 0.5;
}

void TestChannelRateMeter::steadyStreamGivesItsRate()
{
    QFETCH(int, intervalMs);
    QFETCH(int, window);
    QFETCH(double, expected);
    ChannelRateMeter meter(0);
    // Three minutes of traffic, then a look at several moments within one interval.
    qint64 t = 0;
    for (; t < 180000; t += intervalMs)
        meter.record(t, 100);
    const qint64 last = t - intervalMs;
    for (qint64 now = last; now < last + intervalMs; now += qMax(1, intervalMs / 4)) {
        const ChannelRateMeter::Rate rate = meter.rate(Window(window), now);
        // The window's left edge moves in bucket steps: within one bucket's share of the window.
        QVERIFY2(qAbs(rate.messagesPerSecond - expected) <= expected * 0.11 + 0.05,
            qPrintable(QStringLiteral("at %1: %2/s").arg(now).arg(rate.messagesPerSecond)));
        QVERIFY(qAbs(rate.bytesPerSecond - 100 * rate.messagesPerSecond) < 1e-6);
    }
}

void TestChannelRateMeter::burstLeavesTheShortWindowFirst()
{
    ChannelRateMeter meter(0);
    for (int i = 0; i < 500; ++i)
        meter.record(100000 + i, 10); // 500 messages in half a second
    QCOMPARE(meter.rate(Window::OneSecond, 100999).messagesPerSecond, 500.0 / 0.999);
    // 2 s later: gone from the 1 s window, still in the 10 s and 1 min windows.
    QCOMPARE(meter.rate(Window::OneSecond, 102500).messagesPerSecond, 0.0);
    QCOMPARE(meter.rate(Window::TenSeconds, 102500).messagesPerSecond, 500.0 / 9.5);
    QCOMPARE(meter.rate(Window::OneMinute, 102500).bytesPerSecond, 5000.0 / 57.5);
    // 15 s later: only the minute remembers.
    QCOMPARE(meter.rate(Window::TenSeconds, 115000).messagesPerSecond, 0.0);
    QVERIFY(meter.rate(Window::OneMinute, 115000).messagesPerSecond > 0);
    // 2 min later: nothing.
    QCOMPARE(meter.rate(Window::OneMinute, 220000).messagesPerSecond, 0.0);
}

void TestChannelRateMeter::rateRightAfterTheOriginIsNotInflated()
{
    ChannelRateMeter meter(50000);
    for (int i = 0; i < 10; ++i)
        meter.record(50000 + i, 1);
    // 10 messages in the first 10 ms are 10 per second, not 1000.
    QCOMPARE(meter.rate(Window::TenSeconds, 50010).messagesPerSecond, 10.0);
    // 4 s after the origin, the 10 s and 1 min windows cover those 4 s only.
    QCOMPARE(meter.rate(Window::TenSeconds, 54000).messagesPerSecond, 2.5);
    QCOMPARE(meter.rate(Window::OneMinute, 54000).messagesPerSecond, 2.5);
}

void TestChannelRateMeter::idleMeterReadsZero()
{
    const ChannelRateMeter meter(0);
    for (Window window : { Window::OneSecond, Window::TenSeconds, Window::OneMinute }) {
        QCOMPARE(meter.rate(window, 123456).messagesPerSecond, 0.0);
        QCOMPARE(meter.rate(window, 123456).bytesPerSecond, 0.0);
    }
    QCOMPARE(ChannelRateMeter::windowMs(Window::OneSecond), 1000);
    QCOMPARE(ChannelRateMeter::windowMs(Window::TenSeconds), 10000);
    QCOMPARE(ChannelRateMeter::windowMs(Window::OneMinute), 60000);
}

void TestChannelRateMeter::clockSteppingBackDoesNotCorrupt()
{
    ChannelRateMeter meter(0);
    for (int i = 0; i < 100; ++i)
        meter.record(200000 + i * 10, 1);
    meter.record(100000, 1); // the wall clock stepped back 100 s
    const double rate = meter.rate(Window::OneSecond, 201000).messagesPerSecond;
    QVERIFY(rate >= 80 && rate <= 100);
    QCOMPARE(meter.rate(Window::OneSecond, 100050).messagesPerSecond, 1 / 0.95);
}

void TestChannelRateMeter::negativeClock()
{
    ChannelRateMeter meter(-5000);
    meter.record(-150, 1);
    meter.record(-50, 1);
    QCOMPARE(meter.rate(Window::OneSecond, 0).messagesPerSecond, 2 / 0.9);
}

void TestChannelRateMeter::statisticsCountPerChannel()
{
    ChannelStatistics statistics(1000);
    statistics.record("a", 10, 1000);
    statistics.record("b", 5, 1100);
    statistics.record("a", 20, 1200);
    QCOMPARE(statistics.channelCount(), 2);
    QCOMPARE(statistics.indexOf("a"), 0);
    QCOMPARE(statistics.indexOf("b"), 1);
    QCOMPARE(statistics.indexOf("c"), -1);
    const ChannelStatistics::Channel &a = statistics.channel(0);
    QCOMPARE(a.name, QByteArray("a"));
    QCOMPARE(a.messages, 2u);
    QCOMPARE(a.bytes, 30u);
    QCOMPARE(a.firstSeenMs, 1000);
    QCOMPARE(a.lastSeenMs, 1200);
    QCOMPARE(statistics.totalMessages(), 3u);
    QCOMPARE(statistics.totalBytes(), 35u);
    // 0.5 s since the origin; the one-second window counts at least 0.9 s.
    QCOMPARE(statistics.rate(0, Window::OneSecond, 1500).messagesPerSecond, 2 / 0.9);
    QCOMPARE(statistics.totalRate(Window::OneSecond, 1500).bytesPerSecond, 35 / 0.9);
    QCOMPARE(statistics.totalRate(Window::TenSeconds, 3000).messagesPerSecond, 1.5);
}

void TestChannelRateMeter::statisticsKeepIndexesAndServerData()
{
    ChannelStatistics statistics(0);
    statistics.record("a", 1, 10);
    statistics.setServerChannels({ "b", "a" });
    QCOMPARE(statistics.channelCount(), 2);
    QCOMPARE(statistics.indexOf("a"), 0); // never moves
    QCOMPARE(statistics.channel(1).name, QByteArray("b"));
    QCOMPARE(statistics.channel(1).messages, 0u);
    QVERIFY(statistics.channel(0).listedByServer);
    QVERIFY(statistics.channel(1).listedByServer);
    statistics.setSubscriberCount("b", 3);
    statistics.setSubscriberCount("unknown", 9); // ignored
    QCOMPARE(statistics.channel(1).subscribers, 3);
    QCOMPARE(statistics.channel(0).subscribers, -1);
    statistics.setServerChannels({ "b" });
    QVERIFY(!statistics.channel(0).listedByServer);
    QCOMPARE(statistics.channelNames(), (QList<QByteArray> { "a", "b" }));
}

void TestChannelRateMeter::statisticsChannelLimitFoldsIntoOther()
{
    ChannelStatistics statistics(0, 3);
    for (int i = 0; i < 10; ++i)
        statistics.record("c" + QByteArray::number(i), 2, 100 + i);
    statistics.record("c1", 2, 200);
    QCOMPARE(statistics.channelCount(), 4); // three named, one "other channels"
    const ChannelStatistics::Channel &other = statistics.channel(3);
    QVERIFY(other.isOverflow);
    QCOMPARE(other.messages, 7u);
    QCOMPARE(other.bytes, 14u);
    QCOMPARE(statistics.channel(1).messages, 2u);
    QCOMPARE(statistics.totalMessages(), 11u);
    QVERIFY(!statistics.channelNames().contains(QByteArray()));
    statistics.setServerChannels({ "new" }); // no room: not added
    QCOMPARE(statistics.channelCount(), 4);
}

void TestChannelRateMeter::statisticsClear()
{
    ChannelStatistics statistics(0);
    statistics.record("a", 1, 10);
    statistics.clear(5000);
    QCOMPARE(statistics.channelCount(), 0);
    QCOMPARE(statistics.totalMessages(), 0u);
    statistics.record("b", 1, 5010);
    QCOMPARE(statistics.indexOf("b"), 0);
    QCOMPARE(statistics.totalRate(Window::TenSeconds, 5020).messagesPerSecond, 1.0);
}

QTEST_APPLESS_MAIN(TestChannelRateMeter)
#include "tst_channelratemeter.moc"
