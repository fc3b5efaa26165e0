// ChannelRateHistory with an injected clock: a plateau stays for the whole minute after it ends,
// the busiest channels are those with the most messages in the window, rates follow the time the
// samples measured, and the scale's ceiling fits the data.
#include "monitor/ChannelRateHistory.h"
#include "monitor/ChannelStatistics.h"

#include <QTest>

using namespace Redwire;

namespace {
// `perSecond` messages on `channel`, spread over the second that starts at `startMs`.
void publishSecond(ChannelStatistics &statistics, const QByteArray &channel, int perSecond, qint64 startMs)
{
    for (int i = 0; i < perSecond; ++i)
        statistics.record(channel, 10, startMs + qint64(i) * 1000 / perSecond);
}

const ChannelRateHistory::Series *seriesOf(const QList<ChannelRateHistory::Series> &all,
    const ChannelStatistics &statistics, const QByteArray &channel)
{
    for (const ChannelRateHistory::Series &series : all)
        if (statistics.channel(series.channelIndex).name == channel)
            return &series;
    return nullptr;
}
} // namespace

class TestChannelRateHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plateauStaysForTheWholeWindow();
    void busiestHaveTheMostMessagesInTheWindow();
    void ratesFollowTheTimeMeasured();
    void resetAndClearedStatisticsStartOver();
    void niceCeiling_data();
    void niceCeiling();
};

// 1,700 msg/s for ten seconds, then heartbeat-like 1 msg/s on five other channels: the plateau is
// the busiest channel for as long as it is in the minute, and leaves after it.
void TestChannelRateHistory::plateauStaysForTheWholeWindow()
{
    ChannelStatistics statistics(0);
    ChannelRateHistory history;
    history.reset(statistics, 0);
    qint64 t = 0;
    for (int second = 0; second < 10; ++second, t += 1000) {
        publishSecond(statistics, "big", 1700, t);
        history.sample(statistics, t + 1000);
    }
    for (int second = 0; second < 49; ++second, t += 1000) {
        for (int small = 1; small <= 5; ++small)
            publishSecond(statistics, "small" + QByteArray::number(small), 1, t);
        history.sample(statistics, t + 1000);
    }
    QCOMPARE(history.sampleCount(), 59);
    QList<ChannelRateHistory::Series> busiest = history.busiest(5);
    QCOMPARE(busiest.size(), 5);
    QCOMPARE(statistics.channel(busiest.first().channelIndex).name, QByteArray("big"));
    const ChannelRateHistory::Series &big = busiest.first();
    QCOMPARE(big.messages, 17000u);
    QCOMPARE(big.peak, 1700.0);
    QCOMPARE(big.rates.size(), 59);
    QCOMPARE(big.rates.mid(0, 10), QList<double>(10, 1700.0));
    QCOMPARE(big.rates.mid(10), QList<double>(49, 0.0));
    // Four of the five small ones (the first seen win the tie), each a steady 1 msg/s after the
    // plateau, 0 during it.
    for (qsizetype i = 1; i < busiest.size(); ++i) {
        QCOMPARE(busiest[i].messages, 49u);
        QCOMPARE(busiest[i].peak, 1.0);
        QCOMPARE(busiest[i].rates.first(), 0.0);
        QCOMPARE(busiest[i].rates.last(), 1.0);
    }
    QCOMPARE(statistics.channel(busiest[1].channelIndex).name, QByteArray("small1"));

    // Ten seconds later only the plateau's last second is still in the window; a second more and
    // the channel is gone.
    for (int second = 0; second < 10; ++second)
        history.sample(statistics, t += 1000);
    QCOMPARE(history.sampleCount(), 60);
    busiest = history.busiest(10);
    const ChannelRateHistory::Series *last = seriesOf(busiest, statistics, "big");
    QVERIFY(last);
    QCOMPARE(last->messages, 1700u);
    QCOMPARE(last->rates.first(), 1700.0);
    QCOMPARE(last->rates.last(), 0.0);
    history.sample(statistics, t += 1000);
    busiest = history.busiest(10);
    QVERIFY(!seriesOf(busiest, statistics, "big"));
    QCOMPARE(history.sampleCount(), 60);
}

void TestChannelRateHistory::busiestHaveTheMostMessagesInTheWindow()
{
    ChannelStatistics statistics(0);
    ChannelRateHistory history(10);
    history.reset(statistics, 0);
    // "burst": 100 messages once; "steady": 20 a second for ten seconds (200 in all).
    publishSecond(statistics, "burst", 100, 0);
    for (int second = 0; second < 10; ++second) {
        publishSecond(statistics, "steady", 20, second * 1000);
        history.sample(statistics, (second + 1) * 1000);
    }
    QList<ChannelRateHistory::Series> busiest = history.busiest(1);
    QCOMPARE(busiest.size(), 1);
    QCOMPARE(statistics.channel(busiest.first().channelIndex).name, QByteArray("steady"));
    busiest = history.busiest(-1);
    QCOMPARE(busiest.size(), 2);
    QCOMPARE(busiest[1].peak, 100.0); // the burst's second is the highest rate of all
    QCOMPARE(busiest[0].peak, 20.0);
    // A channel the server lists but nobody published to is not charted.
    statistics.setServerChannels({ "silent" });
    history.sample(statistics, 11000);
    QCOMPARE(history.busiest(-1).size(), 1); // the burst left the ten-sample window
}

void TestChannelRateHistory::ratesFollowTheTimeMeasured()
{
    ChannelStatistics statistics(0);
    ChannelRateHistory history;
    history.reset(statistics, 0);
    publishSecond(statistics, "a", 50, 0);
    history.sample(statistics, 500); // a late timer or a test's faster one: 50 in half a second
    publishSecond(statistics, "a", 50, 500);
    history.sample(statistics, 2500); // a slow tick: 50 in two seconds
    const QList<ChannelRateHistory::Series> busiest = history.busiest(5);
    QCOMPARE(busiest.size(), 1);
    QCOMPARE(busiest.first().rates, (QList<double> { 100.0, 25.0 }));
    QCOMPARE(busiest.first().messages, 100u);
    history.sample(statistics, 2500); // the same millisecond again: no division by zero
    QCOMPARE(history.busiest(5).first().rates.last(), 0.0);
}

void TestChannelRateHistory::resetAndClearedStatisticsStartOver()
{
    ChannelStatistics statistics(0);
    ChannelRateHistory history;
    history.reset(statistics, 0);
    publishSecond(statistics, "a", 10, 0);
    history.sample(statistics, 1000);
    QCOMPARE(history.busiest(5).size(), 1);
    // Reset: what was counted before is no sample's.
    publishSecond(statistics, "a", 10, 1000);
    history.reset(statistics, 2000);
    QCOMPARE(history.sampleCount(), 0);
    history.sample(statistics, 3000);
    QCOMPARE(history.busiest(5).size(), 0);
    // Statistics cleared: new counts only, though "b" has the index "a" had.
    statistics.clear(3000);
    publishSecond(statistics, "b", 5, 3000);
    history.sample(statistics, 4000);
    QCOMPARE(history.sampleCount(), 1);
    const QList<ChannelRateHistory::Series> busiest = history.busiest(5);
    QCOMPARE(busiest.size(), 1);
    QCOMPARE(statistics.channel(busiest.first().channelIndex).name, QByteArray("b"));
    QCOMPARE(busiest.first().rates, QList<double> { 5.0 });
}

void TestChannelRateHistory::niceCeiling_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<double>("ceiling");
    QTest::newRow("nothing") << 0.0 << 1.0;
    QTest::newRow("negative") << -3.0 << 1.0;
    QTest::newRow("0.07") << 0.07 << 0.1;
    QTest::newRow("0.3") << 0.3 << 0.5;
    QTest::newRow("1") << 1.0 << 1.0;
    QTest::newRow("1.2") << 1.2 << 2.0;
    QTest::newRow("heartbeat 2") << 2.0 << 2.0;
    QTest::newRow("3") << 3.0 << 5.0;
    QTest::newRow("plateau 1700") << 1700.0 << 2000.0;
    QTest::newRow("5001") << 5001.0 << 10000.0;
    QTest::newRow("20,000") << 20000.0 << 20000.0;
}

void TestChannelRateHistory::niceCeiling()
{
    QFETCH(double, value);
    QFETCH(double, ceiling);
    QCOMPARE(ChannelRateHistory::niceCeiling(value), ceiling);
}

QTEST_GUILESS_MAIN(TestChannelRateHistory)
#include "tst_channelratehistory.moc"
