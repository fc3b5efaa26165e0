// ConnectionOptions (URL parsing, validation), ReconnectBackoff and RedisReply: no server needed.
#include "redis/ConnectionOptions.h"
#include "redis/ReconnectBackoff.h"
#include "redis/RedisReply.h"

#include <QTest>

using namespace Redwire;

class TestConnectionOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fromUrl_data();
    void fromUrl();
    void fromUrlTextNamesABadPort_data();
    void fromUrlTextNamesABadPort();
    void validate_data();
    void validate();
    void backoffGrowsAndCaps();
    void backoffJitterStaysInRange();
    void replyEquality();
};

void TestConnectionOptions::fromUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<int>("db");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QString>("socket");
    QTest::newRow("host only") << "redis://example.org" << true << "example.org" << 6379 << "" << 0 << false
                               << "";
    QTest::newRow("all parts") << "redis://bob@10.0.0.5:7000/2" << true << "10.0.0.5" << 7000 << "bob" << 2
                               << false << "";
    QTest::newRow("ipv6") << "redis://[::1]:6380" << true << "::1" << 6380 << "" << 0 << false << "";
    QTest::newRow("tls") << "rediss://secure.example:6390" << true << "secure.example" << 6390 << "" << 0
                         << true << "";
    QTest::newRow("unix") << "unix:///run/redis.sock?db=4" << true << "127.0.0.1" << 6379 << "" << 4 << false
                          << "/run/redis.sock";
    QTest::newRow("password refused")
        << "redis://bob:secret@host" << false << "" << 0 << "" << 0 << false << "";
    QTest::newRow("bad scheme") << "http://host" << false << "" << 0 << "" << 0 << false << "";
    QTest::newRow("bad db") << "redis://host/abc" << false << "" << 0 << "" << 0 << false << "";
    QTest::newRow("negative db") << "redis://host/-1" << false << "" << 0 << "" << 0 << false << "";
}

void TestConnectionOptions::fromUrl()
{
    QFETCH(QString, url);
    QFETCH(bool, ok);
    QString error;
    const ConnectionOptions options = ConnectionOptions::fromUrl(QUrl(url), &error);
    QCOMPARE(error.isEmpty(), ok);
    if (!ok)
        return;
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(int, db);
    QFETCH(bool, tls);
    QFETCH(QString, socket);
    QCOMPARE(options.host, host);
    QCOMPARE(int(options.port), port);
    QCOMPARE(options.username, user);
    QCOMPARE(options.database, db);
    QCOMPARE(options.tls.enabled, tls);
    QCOMPARE(options.unixSocket, socket);
}

// What the user typed, with a port QUrl refuses: the port is named, QUrl's internals are not shown.
void TestConnectionOptions::fromUrlTextNamesABadPort_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("error"); // empty: parsed
    QTest::addColumn<int>("port");
    const QString range = QStringLiteral(" (a number from 1 to 65535)");
    QTest::newRow("too big") << "redis://h:99999"
                             << "Invalid port: 99999" + range << 0;
    QTest::newRow("65536") << "redis://h:65536/1"
                           << "Invalid port: 65536" + range << 0;
    QTest::newRow("text") << "rediss://bob@h:abc"
                          << "Invalid port: abc" + range << 0;
    QTest::newRow("sign") << "redis://h:+80"
                          << "Invalid port: +80" + range << 0;
    QTest::newRow("zero") << "redis://[::1]:0?db=1"
                          << "Invalid port: 0" + range << 0;
    QTest::newRow("huge") << "redis://h:123456789012"
                          << "Invalid port: 123456789012" + range << 0;
    QTest::newRow("max") << "redis://h:65535" << QString() << 65535;
    QTest::newRow("ipv6") << "redis://bob@[::1]:6380/2" << QString() << 6380;
    QTest::newRow("no port") << "redis://h/3" << QString() << 6379;
    QTest::newRow("empty port") << "redis://h:" << QString() << 6379;
    QTest::newRow("unix") << "unix:///run/redis.sock" << QString() << 6379;
    QTest::newRow("other QUrl error") << "redis://[::1:6379"
                                      << "Not a valid URL: Expected ']' to match '[' in hostname" << 0;
}

void TestConnectionOptions::fromUrlTextNamesABadPort()
{
    QFETCH(QString, url);
    QFETCH(QString, error);
    QFETCH(int, port);
    QString problem;
    const ConnectionOptions options = ConnectionOptions::fromUrl(url, &problem, QUrl::StrictMode);
    QCOMPARE(problem, error);
    if (error.isEmpty())
        QCOMPARE(int(options.port), port);
}

void TestConnectionOptions::validate_data()
{
    QTest::addColumn<int>("change");
    QTest::addColumn<bool>("valid");
    QTest::newRow("defaults") << 0 << true;
    QTest::newRow("empty host") << 1 << false;
    QTest::newRow("port 0") << 2 << false;
    QTest::newRow("name with space") << 3 << false;
    QTest::newRow("user without password") << 4 << false;
    QTest::newRow("zero connect timeout") << 5 << false;
    QTest::newRow("max below initial delay") << 6 << false;
    QTest::newRow("tls over unix socket") << 7 << false;
}

void TestConnectionOptions::validate()
{
    QFETCH(int, change);
    QFETCH(bool, valid);
    ConnectionOptions options;
    switch (change) {
    case 1:
        options.host.clear();
        break;
    case 2:
        options.port = 0;
        break;
    case 3:
        options.clientName = QStringLiteral("a b");
        break;
    case 4:
        options.username = QStringLiteral("bob");
        break;
    case 5:
        options.connectTimeoutMs = 0;
        break;
    case 6:
        options.reconnect.maxDelayMs = 10;
        break;
    case 7:
        options.unixSocket = QStringLiteral("/tmp/s");
        options.tls.enabled = true;
        break;
    }
    QCOMPARE(options.validate().isEmpty(), valid);
}

void TestConnectionOptions::backoffGrowsAndCaps()
{
    ReconnectPolicy policy;
    policy.initialDelayMs = 100;
    policy.maxDelayMs = 1000;
    policy.jitter = 0.0;
    ReconnectBackoff backoff(policy);
    const QList<int> expected { 100, 200, 400, 800, 1000, 1000 };
    for (int delay : expected)
        QCOMPARE(backoff.nextDelayMs(), delay);
    QCOMPARE(backoff.attempt(), 6);
    for (int i = 0; i < 1000; ++i)
        QCOMPARE(backoff.nextDelayMs(), 1000); // no overflow after many attempts
    backoff.reset();
    QCOMPARE(backoff.nextDelayMs(), 100);
}

void TestConnectionOptions::backoffJitterStaysInRange()
{
    ReconnectPolicy policy;
    policy.initialDelayMs = 1000;
    policy.maxDelayMs = 1000;
    policy.jitter = 0.25;
    ReconnectBackoff backoff(policy);
    backoff.setRandomSource([] { return 0.0; });
    QCOMPARE(backoff.nextDelayMs(), 1000);
    backoff.setRandomSource([] { return 0.999999; });
    QCOMPARE(backoff.nextDelayMs(), 750);
    ReconnectBackoff random(policy);
    QSet<int> seen;
    for (int i = 0; i < 200; ++i) {
        const int delay = random.nextDelayMs();
        QVERIFY(delay >= 750 && delay <= 1000);
        seen.insert(delay);
    }
    QVERIFY(seen.size() > 10); // it is random
}

void TestConnectionOptions::replyEquality()
{
    const RedisReply a = RedisReply::array({ RedisReply::integer(1), RedisReply::string("x") });
    QCOMPARE(a, RedisReply::array({ RedisReply::integer(1), RedisReply::string("x") }));
    QVERIFY(a != RedisReply::array({ RedisReply::integer(1), RedisReply::status("x") }));
    QCOMPARE(a.toDisplayString(), QStringLiteral("[(integer) 1, \"x\"]"));
    QVERIFY(RedisReply().isNil());
}

QTEST_GUILESS_MAIN(TestConnectionOptions)
#include "tst_connectionoptions.moc"
