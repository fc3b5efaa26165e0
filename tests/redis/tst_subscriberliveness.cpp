// RedisClient's liveness checks (SubscriberLiveness): a frozen server (SIGSTOP, CLIENT PAUSE,
// DEBUG SLEEP) keeps its connections and loses no message; a subscriber that is silent while the
// server answers is replaced; a user refused the heartbeat channel is watched by PING. The checks
// read a ManualClock: silence grows only when the test moves it, and each assertion waits for what
// the client does (a state, a signal), never for time to pass.
#include "redis/CommandConnection.h"
#include "redis/RedisClient.h"
#include "redis/RedisSubscription.h"
#include "redis/SubscriberConnection.h"
#include "redis/SubscriberLiveness.h"

#include "CommandTestSupport.h"
#include "FakeRedisServer.h"
#include "ManualClock.h"
#include "RedisServerProcess.h"

#include <QHash>
#include <QSignalSpy>
#include <QTest>

using namespace Redwire;
using RedwireTest::FakeRedisServer;
using RedwireTest::ManualClock;
using RedwireTest::RedisServerProcess;

namespace {

constexpr int Interval = 300;
// One step of the manual clock: the checks run this often per interval.
constexpr int Step = Interval / 8;

ConnectionOptions optionsFor(quint16 port)
{
    ConnectionOptions options;
    options.host = QStringLiteral("127.0.0.1");
    options.port = port;
    options.heartbeatIntervalMs = Interval;
    options.commandTimeoutMs = 1000;
    options.connectTimeoutMs = 500;
    options.reconnect.initialDelayMs = 50;
    options.reconnect.maxDelayMs = 300;
    return options;
}

// Sends PUBLISH commands without waiting; counts the answers.
class Publisher
{
public:
    explicit Publisher(const ConnectionOptions &options)
        : m_connection(withoutTimeout(options))
    {
        QSignalSpy connected(&m_connection, &RedisConnection::connected);
        m_connection.connectToServer();
        connected.wait(5000);
    }
    bool isConnected() const { return m_connection.isConnected(); }
    void publish(const QByteArray &channel, const QByteArray &payload)
    {
        m_connection.send({ "PUBLISH", channel, payload },
            [this](const RedisReply &, const RedisError &error) { ++(error ? m_failed : m_answered); });
    }
    void send(const QList<QByteArray> &args) { m_connection.send(args); }
    int answered() const { return m_answered; }
    int failed() const { return m_failed; }

private:
    static ConnectionOptions withoutTimeout(ConnectionOptions options)
    {
        options.commandTimeoutMs = 0; // its commands wait out any freeze
        options.heartbeatIntervalMs = 0;
        return options;
    }
    CommandConnection m_connection;
    int m_answered = 0;
    int m_failed = 0;
};

QList<QByteArray> payloadsOf(const QSignalSpy &spy)
{
    QList<QByteArray> payloads;
    for (const QList<QVariant> &arguments : spy)
        payloads << arguments.at(1).toByteArray();
    return payloads;
}

QList<QByteArray> numbered(int first, int count)
{
    QList<QByteArray> payloads;
    for (int i = first; i < first + count; ++i)
        payloads << QByteArray::number(i);
    return payloads;
}

// The client's liveness checks read `clock`.
void useClock(RedisClient &client, ManualClock &clock)
{
    auto *liveness = client.findChild<SubscriberLiveness *>();
    QVERIFY(liveness);
    liveness->setClock(&clock);
}

// Moves the clock one step while the server answers: whatever witness that step sent has had its
// answer read when this returns (replies come in order, and a PING follows it).
bool stepAnswered(ManualClock &clock, RedisClient &client)
{
    clock.advance(Step);
    return !RedwireTest::roundTrip(*client.commands(), { "PING" }).isError();
}

} // namespace

class TestSubscriberLiveness : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stoppedServerKeepsConnectionsAndLosesNothing();
    void clientPauseIsNotADeadConnection();
    void debugSleepIsNotADeadConnection();
    void silentSubscriberOfAnsweringServerIsReplaced();
    void restrictedUserIsWatchedByPing();

private:
    // Subscribes a client to "chat" and waits until its liveness checks run.
    static void connectClient(RedisClient &client, RedisSubscription **chat, ManualClock &clock);
    // While the server answers nothing: the client says so, keeps its subscriber and replaces
    // nothing; once it answers again, every message arrives exactly once, in order.
    static void rideOutFreeze(
        RedisServerProcess &server, const std::function<void()> &freeze, const std::function<void()> &thaw);
};

void TestSubscriberLiveness::connectClient(RedisClient &client, RedisSubscription **chat, ManualClock &clock)
{
    useClock(client, clock);
    *chat = client.subscribe("chat");
    QVERIFY(*chat);
    client.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT((*chat)->state(), RedisSubscription::State::Active, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(client.subscriber()->isHeartbeatActive(), 5000);
    QVERIFY(client.isServerResponding());
}

void TestSubscriberLiveness::rideOutFreeze(
    RedisServerProcess &server, const std::function<void()> &freeze, const std::function<void()> &thaw)
{
    ManualClock clock;
    RedisClient client(optionsFor(server.port()));
    RedisSubscription *chat = nullptr;
    connectClient(client, &chat, clock);
    if (QTest::currentTestFailed())
        return;
    QSignalSpy messages(chat, &RedisSubscription::messageReceived);
    QSignalSpy missed(&client, &RedisClient::heartbeatMissed);
    QSignalSpy responding(&client, &RedisClient::serverRespondingChanged);
    QSignalSpy subscriberErrors(client.subscriber(), &RedisConnection::errorOccurred);

    // Published and acknowledged right before the freeze: part of it may still sit in the
    // server's output buffer for our subscriber when the server stops.
    Publisher publisher(optionsFor(server.port()));
    QVERIFY(publisher.isConnected());
    for (int i = 0; i < 300; ++i)
        publisher.publish("chat", QByteArray::number(i));
    QTRY_COMPARE_WITH_TIMEOUT(publisher.answered(), 300, 5000);
    freeze();
    // Sent during the freeze: delivered after it.
    publisher.publish("chat", "300");

    // Silence grows with the clock; the witness the checks send gets no answer.
    QTRY_VERIFY_WITH_TIMEOUT((clock.advance(Step), !client.isServerResponding()), 20000);
    QCOMPARE(responding.last().at(0).toBool(), false);
    QVERIFY(!client.isServerResponding());
    // The command connection's heartbeat times out (after 1 s) while the subscriber waits.
    QSignalSpy commandErrors(client.commands(), &RedisConnection::errorOccurred);
    QVERIFY(commandErrors.wait(5000));
    QCOMPARE(client.subscriber()->state(), RedisConnection::State::Connected);
    QCOMPARE(missed.count(), 0);
    QCOMPARE(subscriberErrors.count(), 0);

    thaw();
    // Responding again at the first frame after the freeze: the message sent during it or, when
    // that was through before the freeze began (CLIENT PAUSE takes effect on its own connection),
    // the heartbeat of the next round the clock brings.
    QTRY_VERIFY_WITH_TIMEOUT((clock.advance(Step), client.isServerResponding()), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 301, 10000);
    QCOMPARE(payloadsOf(messages), numbered(0, 301));
    QCOMPARE(missed.count(), 0);
    QCOMPARE(subscriberErrors.count(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(publisher.answered(), 301, 5000);
}

void TestSubscriberLiveness::stoppedServerKeepsConnectionsAndLosesNothing()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    rideOutFreeze(
        server, [&] { server.pause(); }, [&] { server.resume(); });
}

void TestSubscriberLiveness::clientPauseIsNotADeadConnection()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    std::unique_ptr<Publisher> pauser;
    rideOutFreeze(
        server,
        [&] {
            pauser = std::make_unique<Publisher>(optionsFor(server.port()));
            pauser->send({ "CLIENT", "PAUSE", "3000" });
        },
        [] { /* the pause ends by itself */ });
}

void TestSubscriberLiveness::debugSleepIsNotADeadConnection()
{
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.extraConfig << QStringLiteral("enable-debug-command yes");
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));
    std::unique_ptr<Publisher> sleeper;
    rideOutFreeze(
        server,
        [&] {
            sleeper = std::make_unique<Publisher>(optionsFor(server.port()));
            sleeper->send({ "DEBUG", "SLEEP", "3" });
        },
        [] { /* the server wakes up by itself */ });
}

// A scripted server that answers every command but stops writing to the subscriber connection:
// the case a real server cannot show (a connection broken on the way, the server alive).
void TestSubscriberLiveness::silentSubscriberOfAnsweringServerIsReplaced()
{
    FakeRedisServer fake;
    QVERIFY(fake.listen());
    ManualClock clock;
    QHash<QByteArray, int> subscriberOf; // channel -> connection index
    fake.setHandler([&](FakeRedisServer::Connection &connection, const QList<QByteArray> &args) {
        const QByteArray verb = args.value(0).toUpper();
        if (verb == "SUBSCRIBE") {
            subscriberOf.insert(args.value(1), connection.index());
            connection.send(FakeRedisServer::subscribeReply("subscribe", args.value(1), subscriberOf.size()));
        } else if (verb == "PUBLISH") {
            const int index = subscriberOf.value(args.value(1), -1);
            int receivers = 0;
            if (index >= 0 && fake.connection(index).isOpen()) {
                receivers = 1;
                if (!fake.connection(index).isStalled())
                    fake.connection(index).send(FakeRedisServer::message(args.value(1), args.value(2)));
            }
            connection.send(FakeRedisServer::integer(receivers));
        } else {
            FakeRedisServer::politeReply(connection, args);
        }
    });
    RedisClient client(optionsFor(fake.port()));
    RedisSubscription *chat = nullptr;
    connectClient(client, &chat, clock);
    if (QTest::currentTestFailed())
        return;
    QSignalSpy missed(&client, &RedisClient::heartbeatMissed);
    QSignalSpy responding(&client, &RedisClient::serverRespondingChanged);
    const int subscriberIndex = subscriberOf.value("chat");

    fake.connection(subscriberIndex).stall();
    // Replaced within two intervals of silence (1.6 intervals, then half an interval after the
    // server answered a witness), and not one step before it is silent for 1.6.
    int steps = 0;
    while (missed.isEmpty() && steps < 3 * Interval / Step) {
        QVERIFY(stepAnswered(clock, client));
        ++steps;
    }
    QCOMPARE(missed.count(), 1);
    QVERIFY2(steps * Step > SubscriberLiveness::SilentAfterIntervals * Interval
            && steps * Step <= 2 * Interval + Step,
        qPrintable(QStringLiteral("replaced after %1 ms of silence").arg(steps * Step)));
    QVERIFY2(missed.first().at(0).toInt() > SubscriberLiveness::SilentAfterIntervals * Interval,
        qPrintable(QString::number(missed.first().at(0).toInt())));
    QCOMPARE(responding.count(), 0); // the server answered all along
    QVERIFY(client.subscriber()->lastError().code() == RedisError::Code::HeartbeatTimeout
        || client.subscriber()->state() == RedisConnection::State::Connected);
    // A new subscriber connection takes over the subscription.
    QTRY_VERIFY_WITH_TIMEOUT(subscriberOf.value("chat") != subscriberIndex, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(chat->state(), RedisSubscription::State::Active, 5000);
    QSignalSpy messages(chat, &RedisSubscription::messageReceived);
    fake.connection(subscriberOf.value("chat")).send(FakeRedisServer::message("chat", "after"));
    QVERIFY(messages.wait(3000));
    QCOMPARE(missed.count(), 1);
}

// An ACL user whose channels are restricted may not subscribe to the heartbeat channel: its
// subscription is never interrupted by that refusal, the client says once that it uses PING,
// and a freeze is noticed (it never was before) without dropping the connection.
void TestSubscriberLiveness::restrictedUserIsWatchedByPing()
{
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.aclUsers << QStringLiteral("user fuser on >pw ~* resetchannels &f* +@all");
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));
    ConnectionOptions options = optionsFor(server.port());
    options.username = QStringLiteral("fuser");
    options.password = QStringLiteral("pw");
    ManualClock clock;
    RedisClient client(options);
    useClock(client, clock);
    QSignalSpy usesPing(&client, &RedisClient::livenessUsesPing);
    QSignalSpy subscriberErrors(client.subscriber(), &RedisConnection::errorOccurred);
    QSignalSpy confirmations(client.subscriber(), &SubscriberConnection::subscribed);
    RedisSubscription *food = client.subscribe("food");
    QVERIFY(food);
    QSignalSpy messages(food, &RedisSubscription::messageReceived);
    client.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(food->state(), RedisSubscription::State::Active, 5000);
    QVERIFY(client.subscriber()->isHeartbeatRefused());
    QTRY_COMPARE_WITH_TIMEOUT(usesPing.count(), 1, 10000);
    // The refusal cost the first connection only, before "food" was ever sent.
    QCOMPARE(confirmations.count(), 1);
    for (const QList<QVariant> &error : std::as_const(subscriberErrors))
        QVERIFY2(error.at(0).value<RedisError>().message().contains(QLatin1String("heartbeat")),
            qPrintable(error.at(0).value<RedisError>().message()));

    // Idle: once an interval passes in silence a PING, whose pong keeps it alive.
    for (int round = 0; round < 2; ++round) {
        const quint64 frames = client.subscriber()->framesReceived();
        QTRY_VERIFY_WITH_TIMEOUT(
            (clock.advance(Step), client.subscriber()->framesReceived() > frames), 10000);
        QVERIFY(client.isServerResponding());
    }
    const qsizetype errorsBefore = subscriberErrors.count();

    QSignalSpy responding(&client, &RedisClient::serverRespondingChanged);
    QSignalSpy missed(&client, &RedisClient::heartbeatMissed);
    Publisher publisher(options);
    publisher.publish("food", "before");
    QTRY_COMPARE_WITH_TIMEOUT(publisher.answered(), 1, 5000);
    server.pause();
    publisher.publish("food", "during");
    QTRY_VERIFY_WITH_TIMEOUT((clock.advance(Step), !client.isServerResponding()), 20000);
    QCOMPARE(responding.last().at(0).toBool(), false);
    QCOMPARE(client.subscriber()->state(), RedisConnection::State::Connected);
    server.resume();
    QTRY_VERIFY_WITH_TIMEOUT((clock.advance(Step), client.isServerResponding()), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 2, 5000);
    QCOMPARE(payloadsOf(messages), (QList<QByteArray> { "before", "during" }));
    QCOMPARE(missed.count(), 0);
    QCOMPARE(subscriberErrors.count(), errorsBefore);
    QCOMPARE(usesPing.count(), 1);
}

QTEST_GUILESS_MAIN(TestSubscriberLiveness)
#include "tst_subscriberliveness.moc"
