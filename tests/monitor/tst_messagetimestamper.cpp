// The times the monitor gives messages: the socket read's time, shared by the messages of one
// read, never earlier than the time before (a clock stepped back), the clock now without one.
#include "monitor/MessageTimeStamper.h"

#include <QDateTime>
#include <QTest>

using Redwire::MessageTimeStamper;

class TestMessageTimeStamper : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readTimesAreKept();
    void neverBackwards();
    void withoutReadTimeTheClockNow();
};

void TestMessageTimeStamper::readTimesAreKept()
{
    MessageTimeStamper stamper;
    QCOMPARE(stamper.stamp(1714566896789), 1714566896789);
    QCOMPARE(stamper.stamp(1714566896789), 1714566896789); // the same read
    QCOMPARE(stamper.stamp(1714566896790), 1714566896790);
    QCOMPARE(stamper.stamp(1714566897500), 1714566897500);
    QCOMPARE(stamper.last(), 1714566897500);
}

void TestMessageTimeStamper::neverBackwards()
{
    MessageTimeStamper stamper;
    QCOMPARE(stamper.stamp(1714566896789), 1714566896789);
    QCOMPARE(stamper.stamp(1714566890000), 1714566896789); // stepped back 6.8 s
    QCOMPARE(stamper.stamp(1714566896000), 1714566896789);
    QCOMPARE(stamper.stamp(1714566896800), 1714566896800); // past it again
}

void TestMessageTimeStamper::withoutReadTimeTheClockNow()
{
    MessageTimeStamper stamper;
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const qint64 stamped = stamper.stamp(0);
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(stamped >= before && stamped <= after);
    // Later than any clock: kept, and a message without a read time does not go back either.
    const qint64 future = after + 3600 * 1000;
    QCOMPARE(stamper.stamp(future), future);
    QCOMPARE(stamper.stamp(0), future);
}

QTEST_GUILESS_MAIN(TestMessageTimeStamper)
#include "tst_messagetimestamper.moc"
