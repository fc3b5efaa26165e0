// CommandConnection against a real redis-server: connect, AUTH, SELECT, SETNAME, commands,
// pipelining, timeouts, refused ports and backoff, Unix sockets, name lookup.
#include "redis/CommandConnection.h"

#include "CommandTestSupport.h"
#include "ConnectionOptionsFor.h"
#include "FakeRedisServer.h"
#include "RedisServerProcess.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

using namespace Redwire;
using RedwireTest::connectionOptionsAs;
using RedwireTest::connectionOptionsFor;
using RedwireTest::describe;
using RedwireTest::FakeRedisServer;
using RedwireTest::Outcome;
using RedwireTest::RedisServerProcess;
using RedwireTest::roundTrip;

class TestCommandConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void connectsAndAnswers();
    void commandFailuresAreTyped();
    void backoffGrowsWhileConnectionsDieYoung();
    void binarySafeArguments_data();
    void binarySafeArguments();
    void replyTypes();
    void pipelineOfTenThousand();
    void authentication_data();
    void authentication();
    void selectsDatabaseAndSetsName();
    void refusesModeChangingCommands();
    void notConnectedFailsAsynchronously();
    void unixSocket();
    void resolvesHostNames();
    void refusedPortBacksOffWithGrowingCappedDelays();
    void commandTimeoutFailsOnceAndReconnects();
    void serverKilledFailsPendingAndReconnects();
    void disconnectAbortsPendingCommands();
    void tlsWithoutSupportIsRefusedClearly();
};

void TestCommandConnection::connectsAndAnswers()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    CommandConnection connection(connectionOptionsFor(server));
    QSignalSpy connected(&connection, &RedisConnection::connected);
    QSignalSpy states(&connection, &RedisConnection::stateChanged);
    connection.connectToServer();
    QCOMPARE(connection.state(), RedisConnection::State::Connecting);
    QVERIFY(connected.wait(5000));
    QCOMPARE(connection.state(), RedisConnection::State::Connected);
    QCOMPARE(states.count(), 2);
    QCOMPARE(roundTrip(connection, { "PING" }), RedisReply::status("PONG"));
    QCOMPARE(connection.error(), RedisError::Code::NoError);
}

void TestCommandConnection::binarySafeArguments_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("small") << QByteArray("hello");
    QTest::newRow("nul bytes") << QByteArray("a\0b\0\r\n%s%d", 10);
    QTest::newRow("invalid utf-8") << QByteArray("\xff\xfe\xc3\x28", 4);
    QByteArray big(1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i * 7);
    QTest::newRow("1 MiB") << big;
}

void TestCommandConnection::binarySafeArguments()
{
    QFETCH(QByteArray, value);
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    CommandConnection connection(connectionOptionsFor(server));
    QSignalSpy connected(&connection, &RedisConnection::connected);
    connection.connectToServer();
    QVERIFY(connected.wait(5000));
    const QByteArray key("key\0with nul", 12);
    QCOMPARE(roundTrip(connection, { "SET", key, value }), RedisReply::status("OK"));
    QCOMPARE(roundTrip(connection, { "GET", key }), RedisReply::string(value));
    QCOMPARE(roundTrip(connection, { "STRLEN", key }), RedisReply::integer(value.size()));
}

void TestCommandConnection::replyTypes()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    CommandConnection connection(connectionOptionsFor(server));
    QSignalSpy connected(&connection, &RedisConnection::connected);
    connection.connectToServer();
    QVERIFY(connected.wait(5000));
    QCOMPARE(roundTrip(connection, { "GET", "missing" }), RedisReply::nil());
    QCOMPARE(roundTrip(connection, { "INCRBY", "n", "41" }), RedisReply::integer(41));
    QCOMPARE(roundTrip(connection, { "RPUSH", "l", "a", "", "c" }), RedisReply::integer(3));
    QCOMPARE(roundTrip(connection, { "LRANGE", "l", "0", "-1" }),
        RedisReply::array({ RedisReply::string("a"), RedisReply::string(""), RedisReply::string("c") }));
    const RedisReply error = roundTrip(connection, { "INCR", "l" });
    QVERIFY(error.isError());
    QVERIFY2(error.bytes().startsWith("WRONGTYPE"), error.bytes().constData());
    // Nested arrays (XRANGE) come through whole.
    QVERIFY(roundTrip(connection, { "XADD", "s", "1-1", "f", "v" }).isString());
    QCOMPARE(roundTrip(connection, { "XRANGE", "s", "-", "+" }),
        RedisReply::array({ RedisReply::array({ RedisReply::string("1-1"),
            RedisReply::array({ RedisReply::string("f"), RedisReply::string("v") }) }) }));
    // A server error reply does not hurt the connection.
    QVERIFY(roundTrip(connection, { "NOSUCHCOMMAND" }).isError());
    QCOMPARE(roundTrip(connection, { "PING" }), RedisReply::status("PONG"));
    QCOMPARE(connection.state(), RedisConnection::State::Connected);
}

void TestCommandConnection::pipelineOfTenThousand()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    CommandConnection connection(connectionOptionsFor(server));
    QSignalSpy connected(&connection, &RedisConnection::connected);
    connection.connectToServer();
    QVERIFY(connected.wait(5000));
    constexpr int Count = 10000;
    QList<qint64> results;
    int errors = 0;
    for (int i = 0; i < Count; ++i) {
        connection.send({ "INCR", "counter" }, [&](const RedisReply &reply, const RedisError &error) {
            if (error.isError() || !reply.isInteger())
                ++errors;
            else
                results.append(reply.toInteger());
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(results.size() + errors, Count, 20000);
    QCOMPARE(errors, 0);
    // In order: the n-th handler got the n-th reply.
    for (int i = 0; i < Count; ++i)
        QCOMPARE(results.at(i), qint64(i + 1));
}

void TestCommandConnection::authentication_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("succeeds");
    QTest::newRow("default user, right password") << QString() << QStringLiteral("sesame") << true;
    QTest::newRow("default user, wrong password") << QString() << QStringLiteral("wrong") << false;
    QTest::newRow("no password") << QString() << QString() << false;
    QTest::newRow("acl user") << QStringLiteral("alice") << QStringLiteral("wonder") << true;
    QTest::newRow("acl user, wrong password") << QStringLiteral("alice") << QStringLiteral("nope") << false;
    QTest::newRow("unknown user") << QStringLiteral("mallory") << QStringLiteral("wonder") << false;
}

void TestCommandConnection::authentication()
{
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(bool, succeeds);
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.requirePass = QStringLiteral("sesame");
    serverOptions.aclUsers << QStringLiteral("user alice on >wonder ~* &* +@all");
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));

    ConnectionOptions options = connectionOptionsFor(server);
    options.username = user;
    options.password = password;
    CommandConnection connection(options);
    QSignalSpy connected(&connection, &RedisConnection::connected);
    QSignalSpy errors(&connection, &RedisConnection::errorOccurred);
    connection.connectToServer();
    if (succeeds) {
        QVERIFY(connected.wait(5000));
        QCOMPARE(roundTrip(connection, { "ACL", "WHOAMI" }),
            RedisReply::string(user.isEmpty() ? QByteArray("default") : user.toUtf8()));
        return;
    }
    if (password.isEmpty()) {
        // Without AUTH the handshake is empty: we connect, and the first command is refused.
        QVERIFY(connected.wait(5000));
        const RedisReply reply = roundTrip(connection, { "GET", "x" });
        QVERIFY2(reply.bytes().startsWith("NOAUTH"), reply.bytes().constData());
        return;
    }
    QVERIFY(errors.wait(5000));
    const auto error = errors.first().at(0).value<RedisError>();
    QCOMPARE(error.code(), RedisError::Code::AuthenticationFailed);
    QVERIFY2(error.message().contains(QLatin1String("WRONGPASS")), qPrintable(error.message()));
    QCOMPARE(errors.first().at(2).toInt(), -1); // no retry
    QCOMPARE(connection.state(), RedisConnection::State::Disconnected);
    // No storm: no attempt is scheduled, so nothing more can happen on its own.
    QCOMPARE(connection.nextRetryDelayMs(), -1);
    QCOMPARE(connection.remainingRetryDelayMs(), -1);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(connected.count(), 0);
}

void TestCommandConnection::selectsDatabaseAndSetsName()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ConnectionOptions options = connectionOptionsFor(server);
    options.database = 3;
    options.clientName = QStringLiteral("redwire-test");
    CommandConnection connection(options);
    QSignalSpy connected(&connection, &RedisConnection::connected);
    connection.connectToServer();
    QVERIFY(connected.wait(5000));
    QCOMPARE(roundTrip(connection, { "SET", "in-db-3", "yes" }), RedisReply::status("OK"));
    QCOMPARE(server.cli({ "-n", "3", "GET", "in-db-3" }), QByteArray("yes"));
    QCOMPARE(server.cli({ "GET", "in-db-3" }), QByteArray(""));
    QCOMPARE(roundTrip(connection, { "CLIENT", "GETNAME" }), RedisReply::string("redwire-test"));

    // A database that does not exist is a permanent error.
    options.database = 99;
    CommandConnection wrongDb(options);
    QSignalSpy errors(&wrongDb, &RedisConnection::errorOccurred);
    wrongDb.connectToServer();
    QVERIFY(errors.wait(5000));
    QCOMPARE(errors.first().at(0).value<RedisError>().code(), RedisError::Code::InvalidArgument);
    QCOMPARE(wrongDb.state(), RedisConnection::State::Disconnected);
}

void TestCommandConnection::refusesModeChangingCommands()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    CommandConnection connection(connectionOptionsFor(server));
    QSignalSpy connected(&connection, &RedisConnection::connected);
    connection.connectToServer();
    QVERIFY(connected.wait(5000));
    for (const QByteArray &verb :
        { QByteArray("SUBSCRIBE"), QByteArray("monitor"), QByteArray("SSUBSCRIBE") }) {
        Outcome outcome;
        connection.send({ verb, "x" }, outcome.handler());
        QCOMPARE(outcome.calls, 0); // never from inside the call
        QTRY_COMPARE(outcome.calls, 1);
        QCOMPARE(outcome.error.code(), RedisError::Code::InvalidArgument);
    }
    QCOMPARE(roundTrip(connection, { "PING" }), RedisReply::status("PONG"));
}

void TestCommandConnection::notConnectedFailsAsynchronously()
{
    CommandConnection connection;
    Outcome outcome;
    connection.send({ "PING" }, outcome.handler());
    QCOMPARE(outcome.calls, 0);
    QTRY_COMPARE(outcome.calls, 1);
    QCOMPARE(outcome.error.code(), RedisError::Code::NotConnected);
    // Whatever else was queued has run: still exactly one call.
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCOMPARE(outcome.calls, 1);
}

void TestCommandConnection::unixSocket()
{
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.unixSocket = true;
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));
    ConnectionOptions options;
    options.unixSocket = server.unixSocketPath();
    CommandConnection connection(options);
    QSignalSpy connected(&connection, &RedisConnection::connected);
    connection.connectToServer();
    QVERIFY(connected.wait(5000));
    QCOMPARE(roundTrip(connection, { "PING" }), RedisReply::status("PONG"));
    QCOMPARE(connection.endpoint(), QStringLiteral("unix:") + server.unixSocketPath());
}

void TestCommandConnection::resolvesHostNames()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ConnectionOptions options = connectionOptionsFor(server);
    options.host = QStringLiteral("localhost");
    CommandConnection connection(options);
    QSignalSpy connected(&connection, &RedisConnection::connected);
    connection.connectToServer();
    QVERIFY(connected.wait(5000));
    QCOMPARE(roundTrip(connection, { "PING" }), RedisReply::status("PONG"));

    options.host = QStringLiteral("no-such-host.invalid");
    CommandConnection nowhere(options);
    QSignalSpy errors(&nowhere, &RedisConnection::errorOccurred);
    nowhere.connectToServer();
    QVERIFY(errors.wait(10000));
    QCOMPARE(errors.first().at(0).value<RedisError>().code(), RedisError::Code::HostNotFound);
    nowhere.disconnectFromServer();
}

void TestCommandConnection::refusedPortBacksOffWithGrowingCappedDelays()
{
    FakeRedisServer probe; // only to find a port nobody listens on
    QVERIFY(probe.listen());
    const quint16 port = probe.port();
    probe.stopListening();

    ConnectionOptions options;
    options.port = port;
    options.reconnect.initialDelayMs = 20;
    options.reconnect.maxDelayMs = 160;
    CommandConnection connection(options);
    QSignalSpy errors(&connection, &RedisConnection::errorOccurred);
    connection.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(errors.count() >= 7, 10000);
    connection.disconnectFromServer();
    QList<int> delays;
    for (const QList<QVariant> &error : errors) {
        QCOMPARE(error.at(0).value<RedisError>().code(), RedisError::Code::ConnectionRefused);
        delays << error.at(2).toInt();
    }
    // Attempt n waits about 20 * 2^(n-1) ms, minus up to 20 % jitter, and never more than 160 ms.
    for (int i = 0; i < delays.size(); ++i) {
        const int base = std::min(160, 20 << std::min(i, 10));
        QVERIFY2(delays[i] <= base && delays[i] >= base * 8 / 10 - 1,
            qPrintable(QStringLiteral("delay %1 = %2").arg(i).arg(delays[i])));
        QCOMPARE(errors.at(i).at(1).toInt(), i + 1);
    }
    QVERIFY(delays[1] > delays[0]);
    QVERIFY(delays[2] > delays[1]);
    QVERIFY(delays[6] <= 160);
    QCOMPARE(connection.state(), RedisConnection::State::Disconnected);
}

void TestCommandConnection::commandTimeoutFailsOnceAndReconnects()
{
    FakeRedisServer fake;
    QVERIFY(fake.listen());
    int connections = 0;
    fake.setHandler([&](FakeRedisServer::Connection &connection, const QList<QByteArray> &args) {
        if (args.value(0).toUpper() == "BLACKHOLE") {
            connection.stall(); // like a server that hangs: nothing after it is answered either
            return;
        }
        FakeRedisServer::politeReply(connection, args);
    });
    connect(&fake, &FakeRedisServer::clientConnected, this, [&] { ++connections; });

    ConnectionOptions options;
    options.port = fake.port();
    options.commandTimeoutMs = 300;
    options.reconnect.initialDelayMs = 20;
    CommandConnection connection(options);
    QSignalSpy connected(&connection, &RedisConnection::connected);
    QSignalSpy errors(&connection, &RedisConnection::errorOccurred);
    connection.connectToServer();
    QVERIFY(connected.wait(5000));

    Outcome lost;
    Outcome queuedBehind;
    connection.send({ "BLACKHOLE" }, lost.handler());
    connection.send({ "PING" }, queuedBehind.handler());
    QTRY_COMPARE_WITH_TIMEOUT(lost.calls, 1, 5000);
    QCOMPARE(lost.error.code(), RedisError::Code::CommandTimeout);
    QCOMPARE(queuedBehind.calls, 1);
    QVERIFY(queuedBehind.error.isError());
    QCOMPARE(errors.first().at(0).value<RedisError>().code(), RedisError::Code::CommandTimeout);
    // It reconnects by itself and works again.
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 2, 5000);
    QCOMPARE(roundTrip(connection, { "PING" }), RedisReply::status("PONG"));
    QCOMPARE(connections, 2);
    // A round trip later (above), the lost command has still been answered exactly once.
    QCOMPARE(lost.calls, 1);
}

void TestCommandConnection::serverKilledFailsPendingAndReconnects()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    CommandConnection connection(connectionOptionsFor(server));
    QSignalSpy connected(&connection, &RedisConnection::connected);
    QSignalSpy disconnected(&connection, &RedisConnection::disconnected);
    connection.connectToServer();
    QVERIFY(connected.wait(5000));
    // A command the server blocks on, so that it is pending when the server dies.
    Outcome blocked;
    connection.send({ "BLPOP", "never", "0" }, blocked.handler());
    server.stop();
    QTRY_COMPARE_WITH_TIMEOUT(blocked.calls, 1, 5000);
    QVERIFY(blocked.error.isError());
    QVERIFY(disconnected.count() >= 1);
    QVERIFY(connection.state() == RedisConnection::State::Reconnecting
        || connection.state() == RedisConnection::State::Connecting);
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QVERIFY(connected.wait(10000));
    QCOMPARE(roundTrip(connection, { "PING" }), RedisReply::status("PONG"));
}

void TestCommandConnection::disconnectAbortsPendingCommands()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    CommandConnection connection(connectionOptionsFor(server));
    QSignalSpy connected(&connection, &RedisConnection::connected);
    connection.connectToServer();
    QVERIFY(connected.wait(5000));
    Outcome blocked;
    connection.send({ "BLPOP", "never", "0" }, blocked.handler());
    connection.disconnectFromServer();
    QCOMPARE(blocked.calls, 1);
    QCOMPARE(blocked.error.code(), RedisError::Code::Aborted);
    QCOMPARE(connection.state(), RedisConnection::State::Disconnected);
    QCOMPARE(connection.remainingRetryDelayMs(), -1); // and no attempt is scheduled
    // And it can connect again.
    connection.connectToServer();
    QVERIFY(connected.wait(5000));
}

void TestCommandConnection::tlsWithoutSupportIsRefusedClearly()
{
#ifdef REDWIRE_BUILD_HAS_TLS
    QSKIP("this build has TLS; tst_tls covers it");
#else
    ConnectionOptions options;
    options.tls.enabled = true;
    CommandConnection connection(options);
    QSignalSpy errors(&connection, &RedisConnection::errorOccurred);
    connection.connectToServer();
    QTRY_COMPARE(errors.count(), 1);
    const auto error = errors.first().at(0).value<RedisError>();
    QCOMPARE(error.code(), RedisError::Code::TlsUnavailable);
    QVERIFY(error.message().contains(QLatin1String("TLS")));
    QCOMPARE(connection.state(), RedisConnection::State::Disconnected);
#endif
}

// RedisError::forCommand: one typed error for what a handler gets, from a real server's replies.
void TestCommandConnection::commandFailuresAreTyped()
{
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.aclUsers << QStringLiteral("user reader on >pw ~* &* +@all -set");
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));
    ConnectionOptions options = connectionOptionsAs(server, QStringLiteral("reader"), QStringLiteral("pw"));
    CommandConnection connection(options);
    QSignalSpy connected(&connection, &RedisConnection::connected);
    connection.connectToServer();
    QVERIFY(connected.wait(5000));
    const auto failureOf = [&](const QList<QByteArray> &args) {
        Outcome outcome;
        connection.send(args, outcome.handler());
        [&] { QTRY_COMPARE(outcome.calls, 1); }();
        return RedisError::forCommand(outcome.reply, outcome.error);
    };
    QCOMPARE(failureOf({ "GET", "k" }).code(), RedisError::Code::NoError);
    const RedisError noPermission = failureOf({ "SET", "k", "v" });
    QCOMPARE(noPermission.code(), RedisError::Code::PermissionDenied);
    QVERIFY2(noPermission.message().startsWith(QLatin1String("NOPERM")), qPrintable(noPermission.message()));
    QCOMPARE(failureOf({ "NOSUCHCOMMAND" }).code(), RedisError::Code::ServerError);
    // A reply of the wrong shape for what the caller wanted: one error with the reply's text.
    Outcome ping;
    connection.send({ "PING" }, ping.handler());
    QTRY_COMPARE(ping.calls, 1);
    const RedisError unexpected = RedisError::forUnexpectedReply(ping.reply, ping.error);
    QCOMPARE(unexpected.code(), RedisError::Code::UnexpectedReply);
    QVERIFY2(unexpected.message().contains(QLatin1String("PONG")), qPrintable(unexpected.message()));
    Outcome refused;
    connection.send({ "SET", "k", "v" }, refused.handler());
    QTRY_COMPARE(refused.calls, 1);
    QCOMPARE(RedisError::forUnexpectedReply(refused.reply, refused.error).code(),
        RedisError::Code::PermissionDenied);
    connection.disconnectFromServer();
    QCOMPARE(failureOf({ "GET", "k" }).code(), RedisError::Code::NotConnected);
}

void TestCommandConnection::backoffGrowsWhileConnectionsDieYoung()
{
    // A server that accepts and then drops us at once (here: CLIENT KILL as soon as we are
    // connected) must not get a reconnect every few ms: the delays keep growing until a
    // connection has stayed up for healthyAfterMs, then start again from the first.
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ConnectionOptions options = connectionOptionsFor(server);
    options.clientName = QStringLiteral("victim");
    options.reconnect.initialDelayMs = 50;
    options.reconnect.maxDelayMs = 5000;
    options.reconnect.jitter = 0;
    options.reconnect.healthyAfterMs = 800;
    CommandConnection connection(options);
    QList<int> delays;
    connect(&connection, &RedisConnection::errorOccurred, this,
        [&delays](const RedisError &, int, int next) { delays.append(next); });
    int connections = 0;
    bool killing = true;
    connect(&connection, &RedisConnection::connected, this, [&] {
        ++connections;
        if (killing)
            server.cli({ "CLIENT", "KILL", "USER", "default", "SKIPME", "yes" });
    });
    connection.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(delays.size() >= 5, 10000);
    killing = false;
    // 50, 100, 200, 400, 800: doubling, not reset by each short-lived connection.
    QCOMPARE(delays.mid(0, 5), QList<int>({ 50, 100, 200, 400, 800 }));
    QTRY_VERIFY_WITH_TIMEOUT(connection.isConnected(), 10000);
    // Healthy for a while: the next drop waits the first delay again.
    QSignalSpy healthy(&connection, &RedisConnection::healthy);
    QVERIFY(healthy.wait(options.reconnect.healthyAfterMs + 5000));
    delays.clear();
    server.cli({ "CLIENT", "KILL", "USER", "default", "SKIPME", "yes" });
    QTRY_VERIFY_WITH_TIMEOUT(!delays.isEmpty(), 5000);
    QCOMPARE(delays.first(), 50);
}

QTEST_GUILESS_MAIN(TestCommandConnection)
#include "tst_commandconnection.moc"
