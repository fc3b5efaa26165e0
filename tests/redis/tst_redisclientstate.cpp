// RedisClient's combined state (ClientState), the one QML shows: both connections connected is
// Connected; a lost server is Reconnecting with the reason and the delay to the next attempt; a
// frozen server is NotResponding while the subscriber stays connected.
#include "redis/RedisClient.h"

#include "RedisServerProcess.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Redwire;
using RedwireTest::RedisServerProcess;

namespace {

ConnectionOptions optionsFor(quint16 port)
{
    ConnectionOptions options;
    options.host = QStringLiteral("127.0.0.1");
    options.port = port;
    options.heartbeatIntervalMs = 300;
    options.commandTimeoutMs = 1000;
    options.connectTimeoutMs = 1000;
    options.reconnect.initialDelayMs = 200;
    options.reconnect.maxDelayMs = 2000;
    return options;
}

} // namespace

class TestRedisClientState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void disconnectedUntilAsked();
    void connectsThroughConnecting();
    void lostServerIsReconnectingWithReason();
    void frozenServerIsNotResponding();
    void disconnectFromServerIsDisconnected();

private:
    // A server of its own and a client connected to it (the test fails when it does not connect).
    bool connectClient(RedisServerProcess &server, std::unique_ptr<RedisClient> &client);
};

bool TestRedisClientState::connectClient(RedisServerProcess &server, std::unique_ptr<RedisClient> &client)
{
    if (!server.start()) {
        qWarning() << server.errorString();
        return false;
    }
    client = std::make_unique<RedisClient>(optionsFor(server.port()));
    client->connectToServer();
    return QTest::qWaitFor([&] { return client->state() == RedisClient::ClientState::Connected; }, 10000);
}

void TestRedisClientState::disconnectedUntilAsked()
{
    RedisClient client(optionsFor(1));
    QCOMPARE(client.state(), RedisClient::ClientState::Disconnected);
    QVERIFY(client.errorString().isEmpty());
    QCOMPARE(client.remainingRetryDelayMs(), -1);
}

void TestRedisClientState::connectsThroughConnecting()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    RedisClient client(optionsFor(server.port()));
    QSignalSpy states(&client, &RedisClient::stateChanged);
    client.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), RedisClient::ClientState::Connected, 10000);
    QVERIFY(states.count() >= 2);
    QCOMPARE(states.first().at(0).value<RedisClient::ClientState>(), RedisClient::ClientState::Connecting);
    QCOMPARE(states.last().at(0).value<RedisClient::ClientState>(), RedisClient::ClientState::Connected);
    // Emitted only on a change.
    for (qsizetype i = 1; i < states.count(); ++i)
        QVERIFY(states.at(i).at(0) != states.at(i - 1).at(0));
    QVERIFY(client.errorString().isEmpty());
}

void TestRedisClientState::lostServerIsReconnectingWithReason()
{
    RedisServerProcess server;
    std::unique_ptr<RedisClient> client;
    QVERIFY(connectClient(server, client));
    QSignalSpy errors(client.get(), &RedisClient::errorChanged);
    server.stop();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), RedisClient::ClientState::Reconnecting, 10000);
    QVERIFY(!errors.isEmpty());
    QVERIFY(!client->errorString().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(client->remainingRetryDelayMs() >= 0, 10000);
    QVERIFY(server.restart());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), RedisClient::ClientState::Connected, 20000);
}

void TestRedisClientState::frozenServerIsNotResponding()
{
    RedisServerProcess server;
    std::unique_ptr<RedisClient> client;
    QVERIFY(connectClient(server, client));
    QTRY_VERIFY_WITH_TIMEOUT(client->subscriber()->isHeartbeatActive(), 10000);
    server.pause();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), RedisClient::ClientState::NotResponding, 15000);
    server.resume();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), RedisClient::ClientState::Connected, 20000);
}

void TestRedisClientState::disconnectFromServerIsDisconnected()
{
    RedisServerProcess server;
    std::unique_ptr<RedisClient> client;
    QVERIFY(connectClient(server, client));
    client->disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), RedisClient::ClientState::Disconnected, 10000);
}

QTEST_GUILESS_MAIN(TestRedisClientState)
#include "tst_redisclientstate.moc"
