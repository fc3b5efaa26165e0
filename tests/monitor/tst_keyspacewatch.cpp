// Keyspace notifications against a real redis-server: telling that notify-keyspace-events is off,
// turning it on, the refusal an ACL user without CONFIG gets, and key events arriving through the
// monitor as (db, key, event) when keys are set, expire and are deleted.
#include "monitor/ChannelMonitor.h"
#include "monitor/KeyspaceNotification.h"
#include "monitor/KeyspaceNotificationConfig.h"

#include "redis/RedisClient.h"

#include "RedisServerProcess.h"

#include <QSignalSpy>
#include <QTest>

using namespace Redwire;
using RedwireTest::RedisServerProcess;

namespace {
ConnectionOptions optionsFor(
    const RedisServerProcess &server, const QString &user = {}, const QString &password = {})
{
    ConnectionOptions options;
    options.host = server.host();
    options.port = server.port();
    options.username = user;
    options.password = password;
    options.connectTimeoutMs = 5000;
    options.commandTimeoutMs = 5000;
    return options;
}

struct Seen
{
    int db;
    QByteArray key;
    QByteArray event;
    bool operator==(const Seen &other) const
    {
        return db == other.db && key == other.key && event == other.event;
    }
};

QList<Seen> notificationsIn(const ChannelMonitor &monitor)
{
    QList<Seen> seen;
    for (qsizetype i = 0; i < monitor.buffer().size(); ++i) {
        const MonitoredMessage &message = monitor.buffer().at(i);
        if (const auto notification = KeyspaceNotification::parse(message.channel, message.payload))
            seen.append({ notification->db, notification->key, notification->event });
    }
    return seen;
}
} // namespace

class TestKeyspaceWatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void offIsDetectedAndEnabled();
    void keyEventsArrive();
    void userWithoutConfigSetIsToldWhatToRun();
    void userWithoutConfigIsToldItCannotTell();
};

void TestKeyspaceWatch::offIsDetectedAndEnabled()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QCOMPARE(server.cli({ "CONFIG", "GET", "notify-keyspace-events" }), QByteArray("notify-keyspace-events"));
    RedisClient client(optionsFor(server));
    KeyspaceNotificationConfig config(client.commands());
    config.check(); // before connecting: asked once connected
    client.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(config.state(), KeyspaceNotificationConfig::State::Off, 10000);
    QVERIFY2(config.message().contains("notify-keyspace-events"), qPrintable(config.message()));
    QVERIFY(config.flags().isEmpty());

    QSignalSpy failed(&config, &KeyspaceNotificationConfig::enableFailed);
    config.enable();
    QTRY_COMPARE_WITH_TIMEOUT(config.state(), KeyspaceNotificationConfig::State::On, 10000);
    QVERIFY(config.message().isEmpty());
    QCOMPARE(failed.count(), 0);
    const QByteArray flags = server.cli({ "CONFIG", "GET", "notify-keyspace-events" }).split('\n').value(1);
    QVERIFY2(flags.contains('K') && flags.contains('E') && flags.contains('A'), flags.constData());
    QCOMPARE(config.flags(), flags);

    // Only K or E without an event class publishes nothing on key channels.
    server.cli({ "CONFIG", "SET", "notify-keyspace-events", "Ex" });
    config.check();
    QTRY_COMPARE_WITH_TIMEOUT(config.state(), KeyspaceNotificationConfig::State::Off, 10000);
    QVERIFY2(
        config.message().contains("xE") || config.message().contains("Ex"), qPrintable(config.message()));
}

void TestKeyspaceWatch::keyEventsArrive()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QCOMPARE(server.cli({ "CONFIG", "SET", "notify-keyspace-events", "KEA" }), QByteArray("OK"));
    ChannelMonitor monitor(optionsFor(server));
    monitor.setServerPollingEnabled(false);
    QVERIFY(monitor.subscribePattern(KeyspaceNotification::keyspacePattern(0, "user:*")));
    QSignalSpy subscribed(monitor.client()->subscriber(), &SubscriberConnection::subscribed);
    monitor.start();
    QVERIFY(subscribed.wait(10000));

    server.cli({ "SET", "user:1:name", "ada" });
    server.cli({ "SET", "other", "not watched" });
    server.cli({ "EXPIRE", "user:1:name", "100" });
    server.cli({ "DEL", "user:1:name" });
    server.cli({ "SET", "user:2", "x", "PX", "20" }); // expires by itself
    const QList<Seen> expected { { 0, "user:1:name", "set" }, { 0, "user:1:name", "expire" },
        { 0, "user:1:name", "del" }, { 0, "user:2", "set" }, { 0, "user:2", "expire" },
        { 0, "user:2", "expired" } };
    QTRY_COMPARE_WITH_TIMEOUT(monitor.buffer().size(), 6, 15000);
    QCOMPARE(notificationsIn(monitor), expected);
    QCOMPARE(monitor.buffer().at(0).channel, QByteArray("__keyspace@0__:user:1:name"));
    QCOMPARE(monitor.buffer().at(0).pattern, QByteArray("__keyspace@0__:user:*"));

    // Keys that are not UTF-8 come through as bytes; so do keyevent channels (both kinds of a
    // change arrive: the key's channel and the event's).
    QVERIFY(monitor.subscribePattern("__keyevent@0__:hset"));
    QTRY_VERIFY_WITH_TIMEOUT(subscribed.count() >= 2, 10000);
    const QByteArray binaryKey("user:\xff\xfe\x00!", 9);
    monitor.client()->commands()->send({ "HSET", binaryKey, "f", "v" });
    QTRY_COMPARE_WITH_TIMEOUT(monitor.buffer().size(), 8, 15000);
    const QList<Seen> seen = notificationsIn(monitor);
    QCOMPARE(seen.size(), 8);
    QCOMPARE(seen.at(6), (Seen { 0, binaryKey, "hset" }));
    QCOMPARE(seen.at(7), (Seen { 0, binaryKey, "hset" }));
}

void TestKeyspaceWatch::userWithoutConfigSetIsToldWhatToRun()
{
    RedisServerProcess server;
    RedisServerProcess::Options options;
    options.aclUsers << QStringLiteral("user watcher on >pw ~* &* +@all -config|set");
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    RedisClient client(optionsFor(server, "watcher", "pw"));
    KeyspaceNotificationConfig config(client.commands());
    client.connectToServer();
    config.check();
    QTRY_COMPARE_WITH_TIMEOUT(config.state(), KeyspaceNotificationConfig::State::Off, 10000);

    QSignalSpy failed(&config, &KeyspaceNotificationConfig::enableFailed);
    config.enable();
    QVERIFY(failed.wait(10000));
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains("may not change the server's configuration"), qPrintable(message));
    QVERIFY2(message.contains("CONFIG SET notify-keyspace-events KEA"), qPrintable(message));
    QVERIFY2(message.contains("NOPERM", Qt::CaseInsensitive) || message.contains("permission"),
        qPrintable(message));
    QCOMPARE(config.state(), KeyspaceNotificationConfig::State::Off);
    QCOMPARE(config.message(), message);
    QVERIFY(!config.isEnabling());
    QCOMPARE(server.cli({ "CONFIG", "GET", "notify-keyspace-events" }), QByteArray("notify-keyspace-events"));
}

void TestKeyspaceWatch::userWithoutConfigIsToldItCannotTell()
{
    RedisServerProcess server;
    RedisServerProcess::Options options;
    options.aclUsers << QStringLiteral("user blind on >pw ~* &* +@all -config");
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    RedisClient client(optionsFor(server, "blind", "pw"));
    KeyspaceNotificationConfig config(client.commands());
    client.connectToServer();
    config.check();
    QTRY_VERIFY_WITH_TIMEOUT(!config.message().isEmpty(), 10000);
    QCOMPARE(config.state(), KeyspaceNotificationConfig::State::Unknown);
    QVERIFY2(config.message().contains("Cannot tell"), qPrintable(config.message()));
    QVERIFY2(
        config.message().contains("CONFIG SET notify-keyspace-events KEA"), qPrintable(config.message()));
}

QTEST_GUILESS_MAIN(TestKeyspaceWatch)
#include "tst_keyspacewatch.moc"
