// A person's presence across rooms against a real redis-server: a session writes its key
// (redwire:{user:<me>}:presence, "online" or "away", expiring), reads the keys of the partners of
// its direct conversations and of its rooms' members, sees away and back, sees a session that
// stopped go absent within the TTL, reads unknown values as online, and watches a bounded list.
#include "chat/UserPresence.h"

#include "SessionTestSupport.h"

#include "redis/RedisClient.h"

#include <QSignalSpy>

using namespace Redwire;
using namespace ChatTest;
using RedwireTest::RedisServerProcess;

class TestUserPresence : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void directPartnerIsSeenWithoutASharedRoom();
    void roomMembersAreSeenAway();
    void unknownValuesCountAsOnlineAndGarbageNeverCrashes();
    void watchListIsBounded();

private:
    QByteArray keyOf(const QString &nickname)
    {
        return m_server->cli(
            { QStringLiteral("GET"), QString::fromUtf8(RoomAddress::userPresenceKey(nickname)) });
    }
    std::unique_ptr<RedisServerProcess> m_server;
};

void TestUserPresence::init()
{
    m_server = std::make_unique<RedisServerProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TestUserPresence::cleanup()
{
    m_server.reset();
}

void TestUserPresence::directPartnerIsSeenWithoutASharedRoom()
{
    const auto alice = sessionFor(*m_server, QStringLiteral("alice"));
    const auto bob = sessionFor(*m_server, QStringLiteral("bob"));
    QTRY_COMPARE_WITH_TIMEOUT(keyOf(QStringLiteral("bob")), QByteArray("online"), 10000);
    // The key expires unless refreshed.
    const QByteArray ttl = m_server->cli(
        { QStringLiteral("PTTL"), QString::fromUtf8(RoomAddress::userPresenceKey(QStringLiteral("bob"))) });
    QVERIFY2(ttl.toInt() > 0 && ttl.toInt() <= fastConfig().presenceTtlMs, ttl.constData());

    UserPresence *seen = alice->userPresence();
    QCOMPARE(seen->stateOf(QStringLiteral("bob")), UserPresence::State::Absent);
    QVERIFY(alice->openDirect(QStringLiteral("bob")));
    QCOMPARE(seen->watched(), QStringList { QStringLiteral("bob") });
    QTRY_COMPARE_WITH_TIMEOUT(seen->stateOf(QStringLiteral("bob")), UserPresence::State::Online, 10000);

    QSignalSpy changed(seen, &UserPresence::statesChanged);
    bob->userPresence()->setAway(true);
    QTRY_COMPARE_WITH_TIMEOUT(seen->stateOf(QStringLiteral("bob")), UserPresence::State::Away, 10000);
    QCOMPARE(keyOf(QStringLiteral("bob")), QByteArray("away"));
    bob->userPresence()->setAway(false);
    QTRY_COMPARE_WITH_TIMEOUT(seen->stateOf(QStringLiteral("bob")), UserPresence::State::Online, 10000);
    QVERIFY(changed.size() >= 2);

    // bob stops (a crash looks the same): absent once his key expires.
    bob->disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(seen->stateOf(QStringLiteral("bob")), UserPresence::State::Absent, 10000);
}

void TestUserPresence::roomMembersAreSeenAway()
{
    auto two = twoInARoom(*m_server);
    QTRY_VERIFY_WITH_TIMEOUT(two.aliceRoom->members().contains(QStringLiteral("bob")), 10000);
    QTRY_VERIFY(two.alice->userPresence()->watched().contains(QStringLiteral("bob")));
    QTRY_COMPARE_WITH_TIMEOUT(
        two.alice->userPresence()->stateOf(QStringLiteral("bob")), UserPresence::State::Online, 10000);
    two.bob->userPresence()->setAway(true);
    QTRY_COMPARE_WITH_TIMEOUT(
        two.alice->userPresence()->stateOf(QStringLiteral("bob")), UserPresence::State::Away, 10000);
    // Leaving the room: bob is no longer watched, and forgotten.
    two.bob->leaveRoom(two.bobRoom);
    QTRY_VERIFY_WITH_TIMEOUT(!two.alice->userPresence()->watched().contains(QStringLiteral("bob")), 10000);
    QCOMPARE(two.alice->userPresence()->stateOf(QStringLiteral("bob")), UserPresence::State::Absent);
}

void TestUserPresence::unknownValuesCountAsOnlineAndGarbageNeverCrashes()
{
    const auto alice = sessionFor(*m_server, QStringLiteral("alice"));
    QTRY_VERIFY_WITH_TIMEOUT(alice->isConnected(), 10000);
    const QString dave = QString::fromUtf8(RoomAddress::userPresenceKey(QStringLiteral("dave")));
    const QString erin = QString::fromUtf8(RoomAddress::userPresenceKey(QStringLiteral("erin")));
    m_server->cli({ QStringLiteral("SET"), dave, QStringLiteral("in a meeting") }); // a later version's state
    m_server->cli({ QStringLiteral("HSET"), erin, QStringLiteral("x"), QStringLiteral("y") }); // wrong type
    alice->userPresence()->setWatched(
        { QStringLiteral("dave"), QStringLiteral("erin"), QStringLiteral("alice") });
    QCOMPARE(
        alice->userPresence()->watched(), QStringList({ QStringLiteral("dave"), QStringLiteral("erin") }));
    QTRY_COMPARE_WITH_TIMEOUT(
        alice->userPresence()->stateOf(QStringLiteral("dave")), UserPresence::State::Online, 10000);
    // The wrong type is an error reply: erin stays absent, and the session carries on.
    QCOMPARE(roundTrip(*alice->client()->commands(), { "PING" }).bytes(), QByteArray("PONG"));
    QCOMPARE(alice->userPresence()->stateOf(QStringLiteral("erin")), UserPresence::State::Absent);
    QVERIFY(alice->isConnected());
}

void TestUserPresence::watchListIsBounded()
{
    const auto alice = sessionFor(*m_server, QStringLiteral("alice"));
    QStringList many;
    for (int i = 0; i < UserPresence::MaxWatched + 50; ++i)
        many << QStringLiteral("p%1").arg(i, 4, 10, QLatin1Char('0'));
    alice->userPresence()->setWatched(many);
    QCOMPARE(alice->userPresence()->watched().size(), UserPresence::MaxWatched);
    // The first ones are kept (direct partners come first).
    QVERIFY(alice->userPresence()->watched().contains(QStringLiteral("p0000")));
    QVERIFY(!alice->userPresence()->watched().contains(QStringLiteral("p0249")));
}

QTEST_GUILESS_MAIN(TestUserPresence)
#include "tst_userpresence.moc"
