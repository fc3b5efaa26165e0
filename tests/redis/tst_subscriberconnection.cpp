// SubscriberConnection and RedisClient against a real redis-server: subscribe, pattern subscribe,
// unsubscribe, binary payloads, resubscribing after a restart, refusals
// (liveness: tst_subscriberliveness).
#include "redis/RedisClient.h"
#include "redis/RedisSubscription.h"
#include "redis/SubscriberConnection.h"

#include "ConnectionOptionsFor.h"
#include "RedisServerProcess.h"

#include <QDateTime>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Redwire;
using RedwireTest::connectionOptionsAs;
using RedwireTest::connectionOptionsFor;
using RedwireTest::RedisServerProcess;
using TopicKind = SubscriberConnection::TopicKind;

namespace {

// Publishes through a command connection of our own.
class Publisher
{
public:
    explicit Publisher(const ConnectionOptions &options)
        : m_connection(options)
    {
        QSignalSpy connected(&m_connection, &RedisConnection::connected);
        m_connection.connectToServer();
        connected.wait(5000);
    }
    bool isConnected() const { return m_connection.isConnected(); }
    // Returns the number of receivers, or -1.
    qint64 publish(const QByteArray &channel, const QByteArray &payload, const QByteArray &verb = "PUBLISH")
    {
        qint64 result = -2;
        m_connection.send({ verb, channel, payload }, [&](const RedisReply &reply, const RedisError &error) {
            result = error.isError() ? -1 : reply.toInteger();
        });
        (void)QTest::qWaitFor([&] { return result != -2; }, 5000);
        return result;
    }

private:
    CommandConnection m_connection;
};

} // namespace

class TestSubscriberConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void subscribeAndReceive();
    void messagesCarryTheirReadTime();
    void payloadsArriveByteExact_data();
    void payloadsArriveByteExact();
    void patternSubscribe();
    void messageHandlerTakesEveryMessage();
    void messageSignalsReachEveryReceiver();
    void unsubscribeStopsDelivery();
    void resubscribeRightAfterUnsubscribe();
    void shardChannelsSubscribeReceiveAndLeave();
    void shardChannelsComeBackAndForbiddenOnesAreReported();
    void shardSubscriptionObjectsFollowTheirChannel();
    void resubscribesAfterServerRestart();
    void forbiddenChannelIsReportedWithoutStorm();
    void aclChangeRefusesOneTopicAndResubscribesTheRest();
    void clientSubscriptionObjects();
    void externalRedisCliPublishArrives();
};

void TestSubscriberConnection::subscribeAndReceive()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    SubscriberConnection subscriber(connectionOptionsFor(server));
    QSignalSpy subscribed(&subscriber, &SubscriberConnection::subscribed);
    QSignalSpy messages(&subscriber, &SubscriberConnection::messageReceived);
    QVERIFY(subscriber.subscribe("news")); // before connecting: sent once connected
    subscriber.connectToServer();
    QVERIFY(subscribed.wait(5000));
    QCOMPARE(subscribed.first().at(0).value<TopicKind>(), TopicKind::Channel);
    QCOMPARE(subscribed.first().at(1).toByteArray(), QByteArray("news"));
    QVERIFY(subscriber.isActive(TopicKind::Channel, "news"));

    Publisher publisher(connectionOptionsFor(server));
    QCOMPARE(publisher.publish("news", "hello"), 1);
    QTRY_COMPARE(messages.count(), 1);
    QCOMPARE(messages.first().at(0).toByteArray(), QByteArray("news"));
    QCOMPARE(messages.first().at(1).toByteArray(), QByteArray("hello"));
    // A second subscription while connected.
    QVERIFY(subscriber.subscribe("sport"));
    QTRY_VERIFY(subscriber.isActive(TopicKind::Channel, "sport"));
    QCOMPARE(publisher.publish("sport", "goal"), 1);
    QTRY_COMPARE(messages.count(), 2);
    QCOMPARE(messages.last().at(1).toByteArray(), QByteArray("goal"));
}

// Each message comes with the time its socket read returned: after it was published, no later
// than its delivery, never going backwards; plain and pattern messages alike.
void TestSubscriberConnection::messagesCarryTheirReadTime()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    SubscriberConnection subscriber(connectionOptionsFor(server));
    QCOMPARE(subscriber.messageReadTimeMs(), 0);
    QVERIFY(subscriber.subscribe("clock"));
    QVERIFY(subscriber.psubscribe("clo*"));
    QSignalSpy subscribed(&subscriber, &SubscriberConnection::subscribed);
    subscriber.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(subscribed.count(), 2, 10000);
    struct Seen
    {
        qint64 readTimeMs;
        qint64 deliveredMs;
    };
    QList<Seen> seen;
    const auto record = [&] {
        seen.append({ subscriber.messageReadTimeMs(), QDateTime::currentMSecsSinceEpoch() });
    };
    connect(&subscriber, &SubscriberConnection::messageReceived, this, record);
    connect(&subscriber, &SubscriberConnection::patternMessageReceived, this, record);
    Publisher publisher(connectionOptionsFor(server));
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    QByteArray commands;
    for (int i = 0; i < 2000; ++i)
        commands += RedisServerProcess::respCommand({ "PUBLISH", "clock", QByteArray::number(i) });
    QVERIFY2(server.pipe(commands).endsWith("replies: 2000"), qPrintable(server.errorString()));
    QCOMPARE(publisher.publish("clock", "last"), 2);
    QTRY_COMPARE_WITH_TIMEOUT(seen.size(), 2 * 2001, 20000);
    qint64 previous = before;
    for (const Seen &message : std::as_const(seen)) {
        QVERIFY2(message.readTimeMs >= previous, qPrintable(QString::number(message.readTimeMs - previous)));
        QVERIFY(message.readTimeMs <= message.deliveredMs);
        previous = message.readTimeMs;
    }
}

void TestSubscriberConnection::payloadsArriveByteExact_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("one byte") << QByteArray("x");
    QTest::newRow("nul bytes") << QByteArray("\0\0a\0", 4);
    QTest::newRow("invalid utf-8") << QByteArray("\xc3\x28\xa0\xa1\xff", 5);
    QTest::newRow("crlf and resp") << QByteArray("*3\r\n$7\r\nmessage\r\n");
    QByteArray big(1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i % 251);
    QTest::newRow("1 MiB") << big;
}

void TestSubscriberConnection::payloadsArriveByteExact()
{
    QFETCH(QByteArray, payload);
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    SubscriberConnection subscriber(connectionOptionsFor(server));
    QSignalSpy subscribed(&subscriber, &SubscriberConnection::subscribed);
    QSignalSpy messages(&subscriber, &SubscriberConnection::messageReceived);
    const QByteArray channel("bin\0chan", 8);
    subscriber.subscribe(channel);
    subscriber.connectToServer();
    QVERIFY(subscribed.wait(5000));
    Publisher publisher(connectionOptionsFor(server));
    QCOMPARE(publisher.publish(channel, payload), 1);
    QCOMPARE(publisher.publish(channel, payload + "!"), 1);
    QTRY_COMPARE(messages.count(), 2);
    QCOMPARE(messages.at(0).at(0).toByteArray(), channel);
    QCOMPARE(messages.at(0).at(1).toByteArray(), payload);
    QCOMPARE(messages.at(1).at(1).toByteArray(), payload + "!");
}

void TestSubscriberConnection::patternSubscribe()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    SubscriberConnection subscriber(connectionOptionsFor(server));
    QSignalSpy subscribed(&subscriber, &SubscriberConnection::subscribed);
    QSignalSpy patternMessages(&subscriber, &SubscriberConnection::patternMessageReceived);
    QSignalSpy messages(&subscriber, &SubscriberConnection::messageReceived);
    subscriber.psubscribe("room.*");
    subscriber.connectToServer();
    QVERIFY(subscribed.wait(5000));
    QCOMPARE(subscribed.first().at(0).value<TopicKind>(), TopicKind::Pattern);
    Publisher publisher(connectionOptionsFor(server));
    QCOMPARE(publisher.publish("room.lobby", "hi"), 1);
    QCOMPARE(publisher.publish("other", "no"), 0);
    QTRY_COMPARE(patternMessages.count(), 1);
    QCOMPARE(patternMessages.first().at(0).toByteArray(), QByteArray("room.*"));
    QCOMPARE(patternMessages.first().at(1).toByteArray(), QByteArray("room.lobby"));
    QCOMPARE(patternMessages.first().at(2).toByteArray(), QByteArray("hi"));
    QCOMPARE(messages.count(), 0);
    QCOMPARE(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"));
}

// A handler (the monitor's fast path) gets every message and pattern message, in order, each
// before its signal; the heartbeat is not a message; the signals still reach their receivers.
// The message signals are emitted only while they have receivers (the connection counts them):
// every way of connecting and disconnecting must leave the receivers that remain served.
void TestSubscriberConnection::messageSignalsReachEveryReceiver()
{
    SubscriberConnection subscriber;
    subscriber.deliverMessage({}, "news", "nobody listens"); // no receiver: nothing to do
    QList<QByteArray> seen;
    auto first = std::make_unique<QObject>();
    connect(&subscriber, &SubscriberConnection::messageReceived, first.get(),
        [&seen](const QByteArray &channel, const QByteArray &payload) {
            seen.append("first " + channel + " " + payload);
        });
    subscriber.deliverMessage({}, "news", "1");
    QCOMPARE(seen, QList<QByteArray>({ "first news 1" }));

    // A receiver that goes away, and a new one after it.
    first.reset();
    QObject second;
    connect(&subscriber, &SubscriberConnection::messageReceived, &second,
        [&seen](const QByteArray &channel, const QByteArray &payload) {
            seen.append("second " + channel + " " + payload);
        });
    subscriber.deliverMessage({}, "news", "2");
    QCOMPARE(seen.last(), QByteArray("second news 2"));

    // Everything to one receiver disconnected at once (an invalid method in disconnectNotify):
    // the others keep theirs.
    QSignalSpy spied(&subscriber, &SubscriberConnection::messageReceived);
    QVERIFY(QObject::disconnect(&subscriber, nullptr, &second, nullptr));
    subscriber.deliverMessage({}, "news", "3");
    QCOMPARE(spied.count(), 1);
    QCOMPARE(seen.last(), QByteArray("second news 2"));

    // One connection of two taken back by its handle.
    const QMetaObject::Connection third = connect(&subscriber, &SubscriberConnection::messageReceived, this,
        [&seen](const QByteArray &channel, const QByteArray &payload) {
            seen.append("third " + channel + " " + payload);
        });
    subscriber.deliverMessage({}, "news", "4");
    QCOMPARE(seen.last(), QByteArray("third news 4"));
    QVERIFY(QObject::disconnect(third));
    subscriber.deliverMessage({}, "news", "5");
    QCOMPARE(spied.count(), 3);
    QCOMPARE(seen.last(), QByteArray("third news 4"));

    // Pattern messages count their own receivers.
    QSignalSpy patternMessages(&subscriber, &SubscriberConnection::patternMessageReceived);
    subscriber.deliverMessage("room.*", "room.a", "6");
    QCOMPARE(patternMessages.count(), 1);
    QCOMPARE(patternMessages.first().at(1).toByteArray(), QByteArray("room.a"));
    QCOMPARE(spied.count(), 3);
}

void TestSubscriberConnection::messageHandlerTakesEveryMessage()
{
    struct Handler : SubscriberConnection::MessageHandler
    {
        QList<QByteArray> *seen = nullptr;
        void handleMessage(const QByteArray &channel, const QByteArray &payload) override
        {
            seen->append("handler " + channel + " " + payload);
        }
        void handlePatternMessage(
            const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload) override
        {
            seen->append("handler " + pattern + " " + channel + " " + payload);
        }
    };
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    SubscriberConnection subscriber(connectionOptionsFor(server));
    QList<QByteArray> seen;
    Handler handler;
    handler.seen = &seen;
    subscriber.setMessageHandler(&handler);
    connect(&subscriber, &SubscriberConnection::messageReceived, this,
        [&seen](const QByteArray &channel, const QByteArray &payload) {
            seen.append("signal " + channel + " " + payload);
        });
    connect(&subscriber, &SubscriberConnection::patternMessageReceived, this,
        [&seen](const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload) {
            seen.append("signal " + pattern + " " + channel + " " + payload);
        });
    QSignalSpy subscribed(&subscriber, &SubscriberConnection::subscribed);
    QSignalSpy heartbeats(&subscriber, &SubscriberConnection::heartbeatReceived);
    subscriber.subscribe("news");
    subscriber.psubscribe("room.*");
    subscriber.connectToServer();
    QTRY_COMPARE(subscribed.count(), 2);
    Publisher publisher(connectionOptionsFor(server));
    QCOMPARE(publisher.publish("news", "one"), 1);
    QCOMPARE(publisher.publish("room.a", "two"), 1);
    QCOMPARE(publisher.publish(subscriber.heartbeatChannel(), "beat"), 1);
    QTRY_COMPARE(heartbeats.count(), 1);
    QTRY_COMPARE(seen.size(), 4);
    QCOMPARE(seen,
        QList<QByteArray>({ "handler news one", "signal news one", "handler room.* room.a two",
            "signal room.* room.a two" }));

    subscriber.setMessageHandler(nullptr);
    QCOMPARE(publisher.publish("news", "three"), 1);
    QTRY_COMPARE(seen.size(), 5);
    QCOMPARE(seen.last(), QByteArray("signal news three"));
}

void TestSubscriberConnection::unsubscribeStopsDelivery()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    SubscriberConnection subscriber(connectionOptionsFor(server));
    QSignalSpy subscribed(&subscriber, &SubscriberConnection::subscribed);
    QSignalSpy unsubscribed(&subscriber, &SubscriberConnection::unsubscribed);
    QSignalSpy messages(&subscriber, &SubscriberConnection::messageReceived);
    subscriber.subscribe("a");
    subscriber.subscribe("b");
    subscriber.psubscribe("p*");
    subscriber.connectToServer();
    QTRY_COMPARE(subscribed.count(), 3);
    subscriber.unsubscribe("a");
    subscriber.punsubscribe("p*");
    QTRY_COMPARE(unsubscribed.count(), 2);
    QCOMPARE(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("0"));
    Publisher publisher(connectionOptionsFor(server));
    QCOMPARE(publisher.publish("a", "gone"), 0);
    QCOMPARE(publisher.publish("b", "here"), 1);
    QTRY_COMPARE(messages.count(), 1);
    QCOMPARE(messages.first().at(0).toByteArray(), QByteArray("b"));
    // Unsubscribing the last user channel keeps the connection subscribed (heartbeat channel).
    subscriber.unsubscribe("b");
    QTRY_COMPARE(unsubscribed.count(), 3);
    QCOMPARE(subscriber.state(), RedisConnection::State::Connected);
    subscriber.subscribe("c");
    QTRY_VERIFY(subscriber.isActive(TopicKind::Channel, "c"));
    QCOMPARE(publisher.publish("c", "again"), 1);
    QTRY_COMPARE(messages.count(), 2);
}

void TestSubscriberConnection::resubscribeRightAfterUnsubscribe()
{
    // hiredis 0.14 drops the callback of a channel re-subscribed before its unsubscribe is
    // confirmed; the connection holds the new SUBSCRIBE back until then.
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    SubscriberConnection subscriber(connectionOptionsFor(server));
    QSignalSpy subscribed(&subscriber, &SubscriberConnection::subscribed);
    QSignalSpy messages(&subscriber, &SubscriberConnection::messageReceived);
    subscriber.subscribe("x");
    subscriber.connectToServer();
    QVERIFY(subscribed.wait(5000));
    subscriber.unsubscribe("x");
    subscriber.subscribe("x");
    QTRY_COMPARE(subscribed.count(), 2);
    Publisher publisher(connectionOptionsFor(server));
    QCOMPARE(publisher.publish("x", "still here"), 1);
    QTRY_COMPARE(messages.count(), 1);
    QCOMPARE(subscriber.state(), RedisConnection::State::Connected);
}

// Sharded Pub/Sub on one server: SSUBSCRIBE, SPUBLISH from another client, SUNSUBSCRIBE. The
// frames never reach a hiredis callback (it has none for them): the reply guard reads them.
void TestSubscriberConnection::shardChannelsSubscribeReceiveAndLeave()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    SubscriberConnection subscriber(connectionOptionsFor(server));
    QSignalSpy subscribed(&subscriber, &SubscriberConnection::subscribed);
    QSignalSpy unsubscribed(&subscriber, &SubscriberConnection::unsubscribed);
    QSignalSpy shardMessages(&subscriber, &SubscriberConnection::shardMessageReceived);
    QSignalSpy messages(&subscriber, &SubscriberConnection::messageReceived);
    QSignalSpy failures(&subscriber, &SubscriberConnection::subscriptionFailed);
    QVERIFY(subscriber.ssubscribe("orders:{eu}")); // before connecting: sent once connected
    QVERIFY(subscriber.subscribe("orders:{eu}")); // the same name as a classic channel too
    subscriber.connectToServer();
    QTRY_COMPARE(subscribed.count(), 2);
    QVERIFY(subscriber.isActive(TopicKind::ShardChannel, "orders:{eu}"));
    QVERIFY(subscriber.isActive(TopicKind::Channel, "orders:{eu}"));
    QCOMPARE(server.cli({ "PUBSUB", "SHARDNUMSUB", "orders:{eu}" }), QByteArray("orders:{eu}\n1"));

    // A sharded and a classic message on the same name reach their own signal, once each.
    QCOMPARE(server.cli({ "SPUBLISH", "orders:{eu}", "sharded one" }), QByteArray("1"));
    QCOMPARE(server.cli({ "PUBLISH", "orders:{eu}", "classic one" }), QByteArray("1"));
    const QByteArray binary("\x00\xff\r\n*3\r\n", 9);
    Publisher publisher(connectionOptionsFor(server));
    QCOMPARE(publisher.publish("orders:{eu}", binary, "SPUBLISH"), 1);
    QTRY_COMPARE(shardMessages.count(), 2);
    QTRY_COMPARE(messages.count(), 1);
    QCOMPARE(shardMessages.at(0).at(0).toByteArray(), QByteArray("orders:{eu}"));
    QCOMPARE(shardMessages.at(0).at(1).toByteArray(), QByteArray("sharded one"));
    QCOMPARE(shardMessages.at(1).at(1).toByteArray(), binary);
    QCOMPARE(messages.at(0).at(1).toByteArray(), QByteArray("classic one"));

    // A second shard channel while connected, then the first one leaves.
    QVERIFY(subscriber.ssubscribe("orders:{us}"));
    QTRY_VERIFY(subscriber.isActive(TopicKind::ShardChannel, "orders:{us}"));
    subscriber.sunsubscribe("orders:{eu}");
    QTRY_COMPARE(unsubscribed.count(), 1);
    QCOMPARE(unsubscribed.first().at(0).value<TopicKind>(), TopicKind::ShardChannel);
    QCOMPARE(server.cli({ "SPUBLISH", "orders:{eu}", "after leaving" }), QByteArray("0"));
    QCOMPARE(server.cli({ "SPUBLISH", "orders:{us}", "still here" }), QByteArray("1"));
    QTRY_COMPARE(shardMessages.count(), 3);
    QCOMPARE(shardMessages.last().at(1).toByteArray(), QByteArray("still here"));
    QCOMPARE(failures.count(), 0);
    QCOMPARE(subscriber.state(), RedisConnection::State::Connected);
}

// After the server restarts, shard channels are subscribed again with the others, and a shard
// channel the ACL forbids is reported once and dropped, without a reconnect storm.
void TestSubscriberConnection::shardChannelsComeBackAndForbiddenOnesAreReported()
{
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.aclUsers << QStringLiteral("user limited on >pw ~* resetchannels &ok:* &__redwire:* +@all");
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));
    ConnectionOptions options = connectionOptionsAs(server, QStringLiteral("limited"), QStringLiteral("pw"));
    SubscriberConnection subscriber(options);
    QSignalSpy connected(&subscriber, &RedisConnection::connected);
    QSignalSpy resubscribed(&subscriber, &SubscriberConnection::resubscribed);
    QSignalSpy failures(&subscriber, &SubscriberConnection::subscriptionFailed);
    QSignalSpy shardMessages(&subscriber, &SubscriberConnection::shardMessageReceived);
    subscriber.ssubscribe("ok:shard");
    subscriber.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isActive(TopicKind::ShardChannel, "ok:shard"), 5000);

    subscriber.ssubscribe("secret:shard");
    QVERIFY(failures.wait(5000));
    QCOMPARE(failures.first().at(0).value<TopicKind>(), TopicKind::ShardChannel);
    QCOMPARE(failures.first().at(1).toByteArray(), QByteArray("secret:shard"));
    QCOMPARE(failures.first().at(2).value<RedisError>().code(), RedisError::Code::PermissionDenied);
    QVERIFY(!subscriber.shardChannels().contains("secret:shard"));
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isActive(TopicKind::ShardChannel, "ok:shard"), 5000);
    const int connectsSoFar = connected.count();
    QCOMPARE(server.cli({ "SPUBLISH", "ok:shard", "one" }), QByteArray("1"));
    QTRY_COMPARE(shardMessages.count(), 1);
    QCOMPARE(connected.count(), connectsSoFar);
    QCOMPARE(subscriber.remainingRetryDelayMs(), -1);

    // The server goes away and comes back on the same port.
    resubscribed.clear();
    QVERIFY(server.restart());
    QVERIFY(resubscribed.wait(15000));
    QCOMPARE(resubscribed.first().at(0).toInt(), 1);
    QVERIFY(subscriber.isActive(TopicKind::ShardChannel, "ok:shard"));
    QCOMPARE(server.cli({ "SPUBLISH", "ok:shard", "two" }), QByteArray("1"));
    QTRY_COMPARE(shardMessages.count(), 2);
    QCOMPARE(shardMessages.last().at(1).toByteArray(), QByteArray("two"));
    QCOMPARE(failures.count(), 1);
}

// RedisClient's subscription object for a shard channel (the chat's rooms on a cluster use
// them): Active once confirmed, its messages only (not the classic channel's of the same name),
// Pending while the connection is lost and Active again, refused by the ACL: failed; unsubscribed:
// the server forgets it.
void TestSubscriberConnection::shardSubscriptionObjectsFollowTheirChannel()
{
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.aclUsers << QStringLiteral("user limited on >pw ~* resetchannels &ok:* &__redwire:* +@all");
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));
    RedisClient client(connectionOptionsAs(server, QStringLiteral("limited"), QStringLiteral("pw")));
    RedisSubscription *shard = client.subscribeShardChannel("ok:{room}:live");
    QVERIFY(shard);
    QCOMPARE(client.subscribeShardChannel("ok:{room}:live"), shard);
    QCOMPARE(shard->kind(), TopicKind::ShardChannel);
    RedisSubscription *classic = client.subscribe("ok:{room}:live");
    QVERIFY(classic && classic != shard);
    QSignalSpy states(shard, &RedisSubscription::stateChanged);
    QSignalSpy shardMessages(shard, &RedisSubscription::messageReceived);
    QSignalSpy classicMessages(classic, &RedisSubscription::messageReceived);
    client.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(shard->state(), RedisSubscription::State::Active, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(classic->state(), RedisSubscription::State::Active, 5000);
    QCOMPARE(server.cli({ "SPUBLISH", "ok:{room}:live", "sharded" }), QByteArray("1"));
    QCOMPARE(server.cli({ "PUBLISH", "ok:{room}:live", "classic" }), QByteArray("1"));
    QTRY_COMPARE(shardMessages.count(), 1);
    QTRY_COMPARE(classicMessages.count(), 1);
    QCOMPARE(shardMessages.first().at(0).toByteArray(), QByteArray("ok:{room}:live"));
    QCOMPARE(shardMessages.first().at(1).toByteArray(), QByteArray("sharded"));
    QCOMPARE(classicMessages.first().at(1).toByteArray(), QByteArray("classic"));

    // The subscriber connection is killed: Pending, then Active again, and messages flow.
    states.clear();
    server.cli({ "CLIENT", "KILL", "TYPE", "pubsub" });
    QTRY_VERIFY_WITH_TIMEOUT(
        states.count() >= 2 && shard->state() == RedisSubscription::State::Active, 10000);
    QCOMPARE(states.first().at(0).value<RedisSubscription::State>(), RedisSubscription::State::Pending);
    QCOMPARE(server.cli({ "SPUBLISH", "ok:{room}:live", "after" }), QByteArray("1"));
    QTRY_COMPARE(shardMessages.count(), 2);
    QCOMPARE(shardMessages.last().at(1).toByteArray(), QByteArray("after"));

    // Refused by the ACL: the object fails (and is forgotten, so asking again makes a new one).
    QPointer<RedisSubscription> secret = client.subscribeShardChannel("secret:{room}:live");
    QVERIFY(secret);
    QSignalSpy failed(secret, &RedisSubscription::failed);
    QVERIFY(failed.wait(5000));
    QCOMPARE(secret->state(), RedisSubscription::State::Failed);
    QCOMPARE(failed.first().at(0).value<RedisError>().code(), RedisError::Code::PermissionDenied);
    QVERIFY(!client.subscription(TopicKind::ShardChannel, "secret:{room}:live"));
    QTRY_VERIFY(secret.isNull());

    // Left: the server has no subscriber for it any more; the classic one stays.
    shard->unsubscribe();
    QTRY_COMPARE(server.cli({ "PUBSUB", "SHARDNUMSUB", "ok:{room}:live" }), QByteArray("ok:{room}:live\n0"));
    QVERIFY(!client.subscription(TopicKind::ShardChannel, "ok:{room}:live"));
    QCOMPARE(client.subscription(TopicKind::Channel, "ok:{room}:live"), classic);
    // (On hiredis 0.14 the refusal above closed the connection: wait for the resubscribe.)
    QTRY_COMPARE_WITH_TIMEOUT(classic->state(), RedisSubscription::State::Active, 10000);
    QCOMPARE(server.cli({ "PUBLISH", "ok:{room}:live", "classic again" }), QByteArray("1"));
    QTRY_COMPARE(classicMessages.count(), 2);
}

void TestSubscriberConnection::resubscribesAfterServerRestart()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    RedisClient client(connectionOptionsFor(server));
    SubscriberConnection *subscriber = client.subscriber();
    QSignalSpy messages(subscriber, &SubscriberConnection::messageReceived);
    QSignalSpy patternMessages(subscriber, &SubscriberConnection::patternMessageReceived);
    QSignalSpy resubscribed(subscriber, &SubscriberConnection::resubscribed);
    QSignalSpy errors(subscriber, &RedisConnection::errorOccurred);
    RedisSubscription *room = client.subscribe("room");
    RedisSubscription *all = client.psubscribe("room*");
    QVERIFY(room && all);
    client.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(room->state(), RedisSubscription::State::Active, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(all->state(), RedisSubscription::State::Active, 5000);
    {
        Publisher publisher(connectionOptionsFor(server));
        QCOMPARE(publisher.publish("room", "before"), 2);
    }
    QTRY_COMPARE(messages.count(), 1);

    server.stop();
    QVERIFY(errors.wait(5000));
    QCOMPARE(errors.first().at(0).value<RedisError>().code(), RedisError::Code::ConnectionLost);
    QTRY_COMPARE(room->state(), RedisSubscription::State::Pending);
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QVERIFY(resubscribed.wait(10000));
    QCOMPARE(resubscribed.first().at(0).toInt(), 2);
    QCOMPARE(room->state(), RedisSubscription::State::Active);
    QCOMPARE(all->state(), RedisSubscription::State::Active);
    QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 5000);
    Publisher publisher(connectionOptionsFor(server));
    QCOMPARE(publisher.publish("room", "after"), 2);
    QTRY_COMPARE(messages.count(), 2);
    QTRY_COMPARE(patternMessages.count(), 2);
    QCOMPARE(messages.last().at(1).toByteArray(), QByteArray("after"));
}

void TestSubscriberConnection::forbiddenChannelIsReportedWithoutStorm()
{
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.aclUsers << QStringLiteral("user limited on >pw ~* &allowed:* &__redwire:* +@all");
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));
    ConnectionOptions options = connectionOptionsAs(server, QStringLiteral("limited"), QStringLiteral("pw"));
    SubscriberConnection subscriber(options);
    QSignalSpy connected(&subscriber, &RedisConnection::connected);
    QSignalSpy subscribed(&subscriber, &SubscriberConnection::subscribed);
    QSignalSpy failures(&subscriber, &SubscriberConnection::subscriptionFailed);
    QSignalSpy messages(&subscriber, &SubscriberConnection::messageReceived);
    subscriber.subscribe("allowed:1");
    subscriber.connectToServer();
    QVERIFY(subscribed.wait(5000));
    subscriber.subscribe("secret");
    QVERIFY(failures.wait(5000));
    QCOMPARE(failures.first().at(1).toByteArray(), QByteArray("secret"));
    QCOMPARE(failures.first().at(2).value<RedisError>().code(), RedisError::Code::PermissionDenied);
    QVERIFY(!subscriber.channels().contains("secret"));
    // The allowed channel works (again, if the connection had to be replaced), with no storm.
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isActive(TopicKind::Channel, "allowed:1"), 5000);
    const int connectsSoFar = connected.count();
    QCOMPARE(server.cli({ "PUBLISH", "allowed:1", "ok" }), QByteArray("1"));
    QTRY_COMPARE(messages.count(), 1);
    // No storm: the connection that carried the message is the last one, and none is scheduled.
    QCOMPARE(connected.count(), connectsSoFar);
    QCOMPARE(subscriber.state(), RedisConnection::State::Connected);
    QCOMPARE(subscriber.remainingRetryDelayMs(), -1);
    QCOMPARE(failures.count(), 1);
}

// Redis 7 drops a subscriber whose ACL no longer allows one of its channels. The connection comes
// back with the allowed topics, the forbidden one is reported once, and `resubscribed` completes.
void TestSubscriberConnection::aclChangeRefusesOneTopicAndResubscribesTheRest()
{
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.aclUsers << QStringLiteral(
        "user limited on >pw ~* resetchannels &a* &b* &__redwire:* +@all");
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));
    ConnectionOptions options = connectionOptionsAs(server, QStringLiteral("limited"), QStringLiteral("pw"));
    SubscriberConnection subscriber(options);
    QSignalSpy subscribed(&subscriber, &SubscriberConnection::subscribed);
    QSignalSpy failures(&subscriber, &SubscriberConnection::subscriptionFailed);
    QSignalSpy resubscribed(&subscriber, &SubscriberConnection::resubscribed);
    QSignalSpy messages(&subscriber, &SubscriberConnection::messageReceived);
    subscriber.subscribe("a1");
    subscriber.subscribe("b1");
    subscriber.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(subscribed.count(), 2, 5000);

    QCOMPARE(server.cli({ "ACL", "SETUSER", "limited", "resetchannels", "&a*", "&__redwire:*" }),
        QByteArray("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(failures.count(), 1, 10000);
    QCOMPARE(failures.first().at(1).toByteArray(), QByteArray("b1"));
    QCOMPARE(failures.first().at(2).value<RedisError>().code(), RedisError::Code::PermissionDenied);
    QTRY_VERIFY_WITH_TIMEOUT(!resubscribed.isEmpty(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isActive(TopicKind::Channel, "a1"), 5000);
    QCOMPARE(subscriber.channels(), QList<QByteArray> { "a1" });
    QCOMPARE(server.cli({ "PUBLISH", "a1", "still here" }), QByteArray("1"));
    QTRY_COMPARE(messages.count(), 1);
    QCOMPARE(failures.count(), 1);
}

void TestSubscriberConnection::clientSubscriptionObjects()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    RedisClient client(connectionOptionsFor(server));
    RedisSubscription *a = client.subscribe("a");
    QCOMPARE(client.subscribe("a"), a); // the same object for the same topic
    QVERIFY(client.psubscribe("a") != a);
    QCOMPARE(a->state(), RedisSubscription::State::Pending);
    QSignalSpy connectedChanged(&client, &RedisClient::connectedChanged);
    client.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(a->state(), RedisSubscription::State::Active, 5000);
    QTRY_VERIFY(client.isConnected());
    QSignalSpy messages(a, &RedisSubscription::messageReceived);
    QCOMPARE(server.cli({ "PUBLISH", "a", "x" }), QByteArray("2"));
    QTRY_COMPARE(messages.count(), 1);
    QPointer<RedisSubscription> guard(a);
    a->unsubscribe();
    QCOMPARE(a->state(), RedisSubscription::State::Unsubscribed);
    QTRY_VERIFY(guard.isNull()); // deleted later by the client
    QTRY_COMPARE(server.cli({ "PUBLISH", "a", "y" }), QByteArray("1"));
}

void TestSubscriberConnection::externalRedisCliPublishArrives()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    SubscriberConnection subscriber(connectionOptionsFor(server));
    QSignalSpy subscribed(&subscriber, &SubscriberConnection::subscribed);
    QSignalSpy messages(&subscriber, &SubscriberConnection::messageReceived);
    subscriber.subscribe("chat");
    subscriber.connectToServer();
    QVERIFY(subscribed.wait(5000));
    QCOMPARE(server.cli({ "PUBLISH", "chat", "hello" }), QByteArray("1"));
    QTRY_COMPARE(messages.count(), 1);
    QCOMPARE(messages.first().at(1).toByteArray(), QByteArray("hello"));
}

QTEST_GUILESS_MAIN(TestSubscriberConnection)
#include "tst_subscriberconnection.moc"
