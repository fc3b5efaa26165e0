// Chat through Sentinel: two ChatSessions with a redis+sentinel:// address against a real Sentinel
// setup (master, replica, three sentinels). Across `SENTINEL FAILOVER` both follow the master;
// what is sent after the failover lands; what bob missed while away is caught up from the stream
// of the new master; nothing is lost or shown twice.
#include "SentinelSetup.h"
#include "SessionTestSupport.h"

#include "redis/RedisClient.h"

#include <QSignalSpy>

using namespace Redwire;
using namespace ChatTest;
using RedwireTest::SentinelSetup;

class TestChatSentinel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chatFollowsAFailover();
};

void TestChatSentinel::chatFollowsAFailover()
{
    SentinelSetup setup;
    QVERIFY2(setup.start(), qPrintable(setup.errorString()));
    const quint16 oldPort = setup.server(0).port();
    const auto alice = sessionForUrl(setup.url(), QStringLiteral("alice"));
    const auto bob = sessionForUrl(setup.url(), QStringLiteral("bob"));
    ChatRoom *aliceRoom = alice->joinRoom(QStringLiteral("chat"));
    ChatRoom *bobRoom = bob->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom->isSynced() && bobRoom->isSynced(), 20000);
    QCOMPARE(alice->client()->commands()->options().port, oldPort);
    for (int i = 1; i <= 2; ++i)
        QVERIFY(aliceRoom->sendMessage(QStringLiteral("before %1").arg(i)));
    QTRY_COMPARE_WITH_TIMEOUT(conversation(bobRoom).size(), 2, 20000);

    QSignalSpy aliceMoved(alice->client(), &RedisClient::masterChanged);
    QSignalSpy bobMoved(bob->client(), &RedisClient::masterChanged);
    QVERIFY2(setup.forceFailover(), qPrintable(setup.errorString()));
    const quint16 newPort = setup.waitForNewMaster(oldPort);
    QVERIFY(newPort != 0);
    // Sent at once: a message may meet the demoted master (READONLY) and is sent again there.
    for (int i = 1; i <= 3; ++i)
        QVERIFY(aliceRoom->sendMessage(QStringLiteral("after %1").arg(i)));
    QTRY_VERIFY_WITH_TIMEOUT(!aliceMoved.isEmpty() && !bobMoved.isEmpty(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(bob->client()->subscriber()->options().port, newPort, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(allSent(aliceRoom), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(conversation(bobRoom).size(), 5, 20000);
    QCOMPARE(conversation(bobRoom), conversation(aliceRoom));

    // Away and back: what was sent meanwhile comes from the new master's stream.
    bob->disconnectFromServer();
    for (int i = 1; i <= 2; ++i)
        QVERIFY(aliceRoom->sendMessage(QStringLiteral("while away %1").arg(i)));
    QTRY_VERIFY_WITH_TIMEOUT(allSent(aliceRoom), 20000);
    bob->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(conversation(bobRoom), conversation(aliceRoom), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(bobRoom->isSynced(), 20000);
    QCOMPARE(conversation(bobRoom).size(), 7);
    QCOMPARE(checkStreamOrder(bobRoom), QString());
    QCOMPARE(checkStreamOrder(aliceRoom), QString());
    QCOMPARE(setup.serverOnPort(newPort)->cli({ "ROLE" }).left(6), QByteArray("master"));
}

QTEST_GUILESS_MAIN(TestChatSentinel)
#include "tst_chatsentinel.moc"
