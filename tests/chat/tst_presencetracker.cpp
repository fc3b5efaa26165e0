// PresenceTracker against a real redis-server: members see each other, join is announced once,
// a member that stops heartbeating drops out within the bound with a "timeout" leave, a
// graceful leave is immediate, and everything is visible to a plain subscriber.
#include "chat/ChatEnvelope.h"
#include "chat/PresenceTracker.h"

#include "ChatTestSupport.h"

#include "redis/SubscriberConnection.h"

#include <QElapsedTimer>
#include <QSignalSpy>

using namespace Redwire;
using ChatTest::roundTrip;
using RedwireTest::RedisServerProcess;

namespace {
// The envelopes stored in the room's history.
QList<ChatEnvelope> history(CommandConnection &connection, const RoomAddress &room)
{
    QList<ChatEnvelope> envelopes;
    const RedisReply reply = roundTrip(connection, { "XRANGE", room.historyKey(), "-", "+" });
    for (const RedisReply &entry : reply.elements())
        envelopes.append(ChatEnvelope::decode(entry.at(1).at(1).bytes(), 65536));
    return envelopes;
}

int countOf(const QList<ChatEnvelope> &envelopes, ChatEnvelope::Kind kind, const QString &sender,
    const QString &reason = {})
{
    int count = 0;
    for (const ChatEnvelope &envelope : envelopes)
        if (envelope.kind == kind && envelope.sender == sender
            && (reason.isEmpty() || envelope.reason == reason))
            ++count;
    return count;
}
} // namespace

class TestPresenceTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void membersSeeEachOtherAndJoinIsAnnouncedOnce();
    void silentMemberExpiresWithinTheBound();
    void gracefulLeaveIsImmediate();
    void liveEventsAreCheckedAgainstThePresenceSet();
    void plainSubscriberSeesPresenceEvents();

private:
    std::unique_ptr<CommandConnection> connect();

    std::unique_ptr<RedisServerProcess> m_server;
    const RoomAddress m_room = RoomAddress::room(QStringLiteral("lobby"));
};

void TestPresenceTracker::init()
{
    m_server = std::make_unique<RedisServerProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TestPresenceTracker::cleanup()
{
    m_server.reset();
}

std::unique_ptr<CommandConnection> TestPresenceTracker::connect()
{
    auto connection = std::make_unique<CommandConnection>(ChatTest::optionsFor(*m_server));
    QSignalSpy connected(connection.get(), &RedisConnection::connected);
    connection->connectToServer();
    connected.wait(5000);
    return connection;
}

void TestPresenceTracker::membersSeeEachOtherAndJoinIsAnnouncedOnce()
{
    const auto aliceConnection = connect();
    const auto bobConnection = connect();
    const ChatConfig config = ChatTest::fastConfig();
    PresenceTracker alice(aliceConnection.get(), m_room, QStringLiteral("alice"), config);
    PresenceTracker bob(bobConnection.get(), m_room, QStringLiteral("bob"), config);
    QSignalSpy aliceSawJoin(&alice, &PresenceTracker::memberJoined);
    alice.start();
    bob.start();
    QTRY_COMPARE(alice.members(), QStringList({ "alice", "bob" }));
    QTRY_COMPARE(bob.members(), QStringList({ "alice", "bob" }));
    QCOMPARE(aliceSawJoin.count(), 2);
    // Many heartbeats later, still one join each in the history.
    QSignalSpy refreshed(&alice, &PresenceTracker::refreshed);
    QTRY_VERIFY(refreshed.count() >= 5);
    const QList<ChatEnvelope> events = history(*aliceConnection, m_room);
    QCOMPARE(countOf(events, ChatEnvelope::Kind::Join, QStringLiteral("alice")), 1);
    QCOMPARE(countOf(events, ChatEnvelope::Kind::Join, QStringLiteral("bob")), 1);
    QCOMPARE(events.size(), 2);
    // The sorted set holds expiry deadlines in server time, and the key itself expires.
    const qint64 ttl = roundTrip(*aliceConnection, { "PTTL", m_room.presenceKey() }).toInteger();
    QVERIFY2(ttl > 0 && ttl <= 2 * config.presenceTtlMs, qPrintable(QString::number(ttl)));
}

void TestPresenceTracker::silentMemberExpiresWithinTheBound()
{
    const auto aliceConnection = connect();
    const auto bobConnection = connect();
    const ChatConfig config = ChatTest::fastConfig();
    PresenceTracker alice(aliceConnection.get(), m_room, QStringLiteral("alice"), config);
    PresenceTracker bob(bobConnection.get(), m_room, QStringLiteral("bob"), config);
    alice.start();
    bob.start();
    QTRY_COMPARE(alice.members(), QStringList({ "alice", "bob" }));

    // Bob's client "crashes": its connection goes, no leave is sent.
    QSignalSpy left(&alice, &PresenceTracker::memberLeft);
    QElapsedTimer clock;
    clock.start();
    bob.stop();
    bobConnection->disconnectFromServer();
    QVERIFY(left.wait(5000));
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(left.first().at(0).toString(), QStringLiteral("bob"));
    QCOMPARE(alice.members(), QStringList({ "alice" }));
    // The bound: the TTL plus one heartbeat interval (plus scheduling slack).
    QVERIFY2(elapsed <= config.presenceTtlMs + config.presenceIntervalMs + 1000,
        qPrintable(QString::number(elapsed)));
    const QList<ChatEnvelope> events = history(*aliceConnection, m_room);
    QCOMPARE(countOf(events, ChatEnvelope::Kind::Leave, QStringLiteral("bob"), QStringLiteral("timeout")), 1);
    QCOMPARE(countOf(events, ChatEnvelope::Kind::Leave, QStringLiteral("alice")), 0);
}

void TestPresenceTracker::gracefulLeaveIsImmediate()
{
    const auto aliceConnection = connect();
    const auto bobConnection = connect();
    ChatConfig config = ChatTest::fastConfig();
    config.presenceTtlMs = 60000; // an expiry would take a minute: only the leave can be this fast
    PresenceTracker alice(aliceConnection.get(), m_room, QStringLiteral("alice"), config);
    PresenceTracker bob(bobConnection.get(), m_room, QStringLiteral("bob"), config);
    alice.start();
    bob.start();
    QTRY_COMPARE(alice.members(), QStringList({ "alice", "bob" }));
    bob.leave();
    QTRY_COMPARE(alice.members(), QStringList({ "alice" }));
    const QList<ChatEnvelope> events = history(*aliceConnection, m_room);
    QCOMPARE(countOf(events, ChatEnvelope::Kind::Leave, QStringLiteral("bob"), QStringLiteral("left")), 1);
    QVERIFY(!bob.isActive());
    // Leaving twice announces nothing more.
    bob.leave();
    QCOMPARE(roundTrip(*bobConnection, { "PING" }), RedisReply::status("PONG"));
    QCOMPARE(history(*aliceConnection, m_room).size(), events.size());
}

void TestPresenceTracker::liveEventsAreCheckedAgainstThePresenceSet()
{
    // A join or leave envelope anyone can publish: it makes the list be read again soon, and
    // the presence set decides. A forged join adds nobody, a forged leave removes nobody; a
    // real join shows long before the next interval.
    const auto aliceConnection = connect();
    const auto bobConnection = connect();
    ChatConfig config = ChatTest::fastConfig();
    config.presenceIntervalMs = 60000; // only the rechecks refresh within the test
    config.presenceTtlMs = 180000;
    PresenceTracker alice(aliceConnection.get(), m_room, QStringLiteral("alice"), config);
    alice.start();
    QTRY_COMPARE(alice.members(), QStringList({ "alice" }));
    QSignalSpy refreshed(&alice, &PresenceTracker::refreshed);
    alice.noteJoined(QStringLiteral("mallory"));
    QTRY_COMPARE(refreshed.count(), 1);
    QCOMPARE(alice.members(), QStringList({ "alice" }));

    PresenceTracker bob(bobConnection.get(), m_room, QStringLiteral("bob"), config);
    bob.start();
    QTRY_VERIFY(bob.isMember(QStringLiteral("alice")));
    alice.noteJoined(QStringLiteral("bob"));
    QTRY_COMPARE(alice.members(), QStringList({ "alice", "bob" }));
    alice.noteLeft(QStringLiteral("bob")); // forged: bob is still here
    QTRY_COMPARE(refreshed.count(), 3);
    QCOMPARE(alice.members(), QStringList({ "alice", "bob" }));
}

void TestPresenceTracker::plainSubscriberSeesPresenceEvents()
{
    SubscriberConnection subscriber(ChatTest::optionsFor(*m_server));
    QSignalSpy received(&subscriber, &SubscriberConnection::messageReceived);
    subscriber.subscribe(m_room.channel());
    subscriber.connectToServer();
    QTRY_VERIFY(subscriber.isActive(SubscriberConnection::TopicKind::Channel, m_room.channel()));

    const auto connection = connect();
    PresenceTracker alice(connection.get(), m_room, QStringLiteral("alice"), ChatTest::fastConfig());
    alice.start();
    QTRY_COMPARE(received.count(), 1);
    alice.leave();
    QTRY_COMPARE(received.count(), 2);
    const ChatEnvelope join = ChatEnvelope::decode(received.at(0).at(1).toByteArray(), 65536);
    const ChatEnvelope leave = ChatEnvelope::decode(received.at(1).at(1).toByteArray(), 65536);
    QCOMPARE(join.kind, ChatEnvelope::Kind::Join);
    QCOMPARE(join.sender, QStringLiteral("alice"));
    QVERIFY(!join.streamId.isNull());
    QCOMPARE(leave.kind, ChatEnvelope::Kind::Leave);
    QCOMPARE(leave.reason, QStringLiteral("left"));
    QVERIFY(join.streamId < leave.streamId);
}

QTEST_GUILESS_MAIN(TestPresenceTracker)
#include "tst_presencetracker.moc"
