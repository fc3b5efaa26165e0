// LaunchOptions (the app's command line) and LocalRedisServer (the private server it can start).
#include "desktop/LaunchOptions.h"
#include "desktop/LocalRedisServer.h"
#include "redis/CommandConnection.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Redwire;

class TestDesktop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void launchOptions_data();
    void launchOptions();
    void localServerStartsServesAndStops();
    void localServerKeepsDataAcrossRestarts();
};

void TestDesktop::launchOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("nick");
    QTest::addColumn<QStringList>("rooms");
    QTest::newRow("nothing") << QStringList { "redwire" } << true << QString() << 0 << QString()
                             << QStringList();
    QTest::newRow("url, nick, rooms")
        << QStringList { "redwire", "redis://alice@example.org:7000/1", "--nick", "Alice", "--room", "chat",
               "--room", "ops", "--room", "chat" }
        << true << "example.org" << 7000 << "Alice" << QStringList { "chat", "ops" };
    QTest::newRow("password in url") << QStringList { "redwire", "redis://a:secret@h" } << false << QString()
                                     << 0 << QString() << QStringList();
    QTest::newRow("two urls") << QStringList { "redwire", "redis://a", "redis://b" } << false << QString()
                              << 0 << QString() << QStringList();
    QTest::newRow("unknown option") << QStringList { "redwire", "--frobnicate" } << false << QString() << 0
                                    << QString() << QStringList();
    QTest::newRow("empty room") << QStringList { "redwire", "--room", " " } << false << QString() << 0
                                << QString() << QStringList();
}

void TestDesktop::launchOptions()
{
    QFETCH(QStringList, args);
    QFETCH(bool, ok);
    const LaunchOptions options = LaunchOptions::parse(args, QStringLiteral("from-env"));
    QCOMPARE(options.error.isEmpty(), ok);
    if (!ok)
        return;
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, nick);
    QFETCH(QStringList, rooms);
    QCOMPARE(options.hasServer, !host.isEmpty());
    if (options.hasServer) {
        QCOMPARE(options.connection.host, host);
        QCOMPARE(int(options.connection.port), port);
        QCOMPARE(options.connection.password, QStringLiteral("from-env"));
    }
    QCOMPARE(options.nickname, nick);
    QCOMPARE(options.rooms, rooms);
}

void TestDesktop::localServerStartsServesAndStops()
{
    QTemporaryDir dir;
    LocalRedisServer server;
    QVERIFY2(server.isAvailable(), "redis-server must be installed for this test");
    server.setDataDirectory(dir.path());
    QSignalSpy states(&server, &LocalRedisServer::stateChanged);
    server.start();
    QCOMPARE(server.state(), LocalRedisServer::State::Starting);
    QTRY_COMPARE_WITH_TIMEOUT(server.state(), LocalRedisServer::State::Running, 10000);
    QVERIFY(server.port() != 0);
    const qint64 pid = server.pid();
    QVERIFY(pid > 0);

    ConnectionOptions options;
    options.port = server.port();
    CommandConnection connection(options);
    QSignalSpy connected(&connection, &RedisConnection::connected);
    connection.connectToServer();
    QVERIFY(connected.wait(5000));

    server.stop();
    QCOMPARE(server.state(), LocalRedisServer::State::Stopped);
    QCOMPARE(::kill(pid_t(pid), 0), -1); // gone
}

void TestDesktop::localServerKeepsDataAcrossRestarts()
{
    QTemporaryDir dir;
    {
        LocalRedisServer server;
        server.setDataDirectory(dir.path());
        server.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.state(), LocalRedisServer::State::Running, 10000);
        ConnectionOptions options;
        options.port = server.port();
        CommandConnection connection(options);
        QSignalSpy connected(&connection, &RedisConnection::connected);
        connection.connectToServer();
        QVERIFY(connected.wait(5000));
        bool done = false;
        connection.send(
            { "SET", "kept", "yes" }, [&](const RedisReply &, const RedisError &) { done = true; });
        QTRY_VERIFY(done);
    }
    LocalRedisServer again;
    again.setDataDirectory(dir.path());
    again.start();
    QTRY_COMPARE_WITH_TIMEOUT(again.state(), LocalRedisServer::State::Running, 10000);
    ConnectionOptions options;
    options.port = again.port();
    CommandConnection connection(options);
    QSignalSpy connected(&connection, &RedisConnection::connected);
    connection.connectToServer();
    QVERIFY(connected.wait(5000));
    RedisReply value;
    bool done = false;
    connection.send({ "GET", "kept" }, [&](const RedisReply &reply, const RedisError &) {
        value = reply;
        done = true;
    });
    QTRY_VERIFY(done);
    QCOMPARE(value, RedisReply::string("yes"));
}

QTEST_GUILESS_MAIN(TestDesktop)
#include "tst_desktop.moc"
