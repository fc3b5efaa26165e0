// RedisClient with a redis+sentinel:// address against a real Sentinel setup (a master, a replica,
// three sentinels): it finds the master, follows it through `SENTINEL FAILOVER` and through an
// automatic failover after SIGSTOP of the master, resubscribed within 2 s of +switch-master, and
// every message the server took is either received or falls in the reported break.
#include "SentinelSetup.h"

#include "ConnectionOptionsFor.h"
#include "CountingPublisher.h"
#include "redis/CommandConnection.h"
#include "redis/RedisClient.h"
#include "redis/RedisSubscription.h"
#include "redis/SentinelMasterResolver.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Redwire;
using namespace RedwireTest;

class TestSentinelFailover : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void findsTheMasterThroughTheSentinels();
    void skipsASentinelThatDoesNotAnswer();
    void followsTheMaster_data();
    void followsTheMaster();
};

void TestSentinelFailover::findsTheMasterThroughTheSentinels()
{
    SentinelSetup setup;
    QVERIFY2(setup.start(), qPrintable(setup.errorString()));
    RedisClient client(connectionOptionsForUrl(setup.url()));
    QSignalSpy masters(&client, &RedisClient::masterChanged);
    client.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 20000);
    QCOMPARE(client.commands()->options().port, setup.server(0).port());
    QCOMPARE(client.subscriber()->options().port, setup.server(0).port());
    QCOMPARE(masters.count(), 1);
    QCOMPARE(masters.at(0).at(0).toString(), QStringLiteral("127.0.0.1:%1").arg(setup.server(0).port()));
}

void TestSentinelFailover::skipsASentinelThatDoesNotAnswer()
{
    SentinelSetup setup;
    QVERIFY2(setup.start(), qPrintable(setup.errorString()));
    // A port nothing listens on, first in the list; the resolver moves the one that answered first.
    RedisServerProcess gone;
    QVERIFY2(gone.start(), qPrintable(gone.errorString()));
    const quint16 deadPort = gone.port();
    gone.stop();
    ConnectionOptions options = connectionOptionsForUrl(setup.url().replace(
        QStringLiteral("sentinel://"), QStringLiteral("sentinel://127.0.0.1:%1,").arg(deadPort)));
    SentinelMasterResolver resolver(options);
    QSignalSpy resolved(&resolver, &SentinelMasterResolver::resolved);
    QSignalSpy sentinelsChanged(&resolver, &SentinelMasterResolver::sentinelsChanged);
    resolver.resolve();
    QTRY_COMPARE_WITH_TIMEOUT(resolved.count(), 1, 20000);
    QCOMPARE(resolved.at(0).at(0).value<ServerAddress>().port, setup.server(0).port());
    QCOMPARE(resolver.sentinels().first().port, setup.sentinel(0).port());
    QCOMPARE(resolver.sentinels().value(1).port, deadPort); // the others keep their order
    QCOMPARE(resolver.sentinels().size(), 4);
}

void TestSentinelFailover::followsTheMaster_data()
{
    QTest::addColumn<bool>("pauseMaster");
    QTest::newRow("SENTINEL FAILOVER") << false;
    QTest::newRow("master stopped (SIGSTOP)") << true;
}

void TestSentinelFailover::followsTheMaster()
{
    QFETCH(bool, pauseMaster);
    SentinelSetup setup;
    QVERIFY2(setup.start(), qPrintable(setup.errorString()));
    const quint16 oldPort = setup.server(0).port();

    RedisClient subscriber(connectionOptionsForUrl(setup.url()));
    QList<qint64> received;
    qint64 lastBeforeBreak = 0;
    bool broken = false;
    subscriber.connectToServer();
    RedisSubscription *counted = subscriber.subscribe("counted");
    QVERIFY(counted);
    connect(counted, &RedisSubscription::messageReceived, this,
        [&](const QByteArray &, const QByteArray &payload) {
            received.append(payload.toLongLong());
            if (!broken)
                lastBeforeBreak = payload.toLongLong();
        });
    QElapsedTimer sinceSwitch;
    connect(&subscriber, &RedisClient::sentinelEvent, this, [&](const QString &, const QByteArray &event) {
        if (event == "+switch-master" && !sinceSwitch.isValid())
            sinceSwitch.start();
    });
    connect(subscriber.subscriber(), &RedisConnection::errorOccurred, this, [&] { broken = true; });
    qint64 resubscribedAfterMs = -1;
    connect(subscriber.subscriber(), &SubscriberConnection::resubscribed, this, [&] {
        if (resubscribedAfterMs < 0 && sinceSwitch.isValid())
            resubscribedAfterMs = sinceSwitch.elapsed();
    });
    QTRY_VERIFY_WITH_TIMEOUT(
        subscriber.isConnected() && counted->state() == RedisSubscription::State::Active, 20000);

    CountingPublisher publisher(connectionOptionsForUrl(setup.url()));
    QTRY_VERIFY_WITH_TIMEOUT(received.size() >= 20, 20000);

    if (pauseMaster)
        setup.server(0).pause();
    else
        QVERIFY2(setup.forceFailover(), qPrintable(setup.errorString()));
    const quint16 newPort = setup.waitForNewMaster(oldPort);
    QVERIFY2(newPort != 0, "the sentinels did not promote the replica");

    // Both clients follow: on the new master, the subscription confirmed there, within 2 s of the
    // first +switch-master the subscriber heard.
    QTRY_VERIFY_WITH_TIMEOUT(resubscribedAfterMs >= 0, 30000);
    QVERIFY2(resubscribedAfterMs <= 2000,
        qPrintable(QStringLiteral("resubscribed %1 ms after +switch-master").arg(resubscribedAfterMs)));
    QTRY_COMPARE_WITH_TIMEOUT(subscriber.subscriber()->options().port, newPort, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isConnected(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(publisher.client.commands()->options().port, newPort, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(publisher.client.isConnected(), 20000);
    QCOMPARE(counted->state(), RedisSubscription::State::Active);

    // Messages published from now on arrive.
    const qint64 firstAfter = publisher.next + 1;
    QTRY_VERIFY_WITH_TIMEOUT(!received.isEmpty() && received.last() >= firstAfter + 50, 20000);
    publisher.timer.stop();
    const qint64 lastTaken = publisher.taken.isEmpty() ? 0 : publisher.taken.last();
    QTRY_VERIFY_WITH_TIMEOUT(received.last() >= lastTaken, 20000);
    if (pauseMaster)
        setup.server(0).resume();

    // Counted: no duplicates; what the server took and did not arrive lies inside the break.
    qint64 missed = 0;
    const QString problem = publisher.checkReceived(received, lastBeforeBreak, firstAfter, &missed);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    qInfo("sent %lld, received %lld, in the break %lld (break between %lld and %lld)",
        qint64(publisher.taken.size()), qint64(received.size()), missed, lastBeforeBreak, firstAfter);
    QVERIFY(broken);
}

QTEST_GUILESS_MAIN(TestSentinelFailover)
#include "tst_sentinelfailover.moc"
