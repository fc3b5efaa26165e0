// redis+sentinel:// and redis+cluster:// URLs through ConnectionOptions::fromUrl: what they
// yield, and clear messages (no QUrl internals) for what cannot be used. No server needed.
#include "redis/ConnectionOptions.h"

#include <QTest>

using namespace Redwire;

class TestServerListUrl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parses_data();
    void parses();
    void refuses_data();
    void refuses();
    void clusterIsParsedAndValidated();
    void displayNameShowsNoPassword();
    void qurlOverloadTakesSingleHostSentinel();
};

void TestServerListUrl::parses_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("topology");
    QTest::addColumn<QStringList>("seeds");
    QTest::addColumn<QString>("master");
    QTest::addColumn<QString>("user");
    QTest::addColumn<int>("db");
    const int sentinel = int(Topology::Sentinel);
    const int cluster = int(Topology::Cluster);
    QTest::newRow("one sentinel") << "redis+sentinel://127.0.0.1:26379/mymaster" << sentinel
                                  << QStringList { "127.0.0.1:26379" } << "mymaster"
                                  << "" << 0;
    QTest::newRow("default port") << "redis+sentinel://s1/mymaster" << sentinel << QStringList { "s1:26379" }
                                  << "mymaster"
                                  << "" << 0;
    QTest::newRow("three with db and user") << "redis+sentinel://bob@s1:1,s2:2,[::1]:3/mymaster/4" << sentinel
                                            << QStringList { "s1:1", "s2:2", "[::1]:3" } << "mymaster"
                                            << "bob" << 4;
    QTest::newRow("trailing slash") << "redis+sentinel://s1:5/m/" << sentinel << QStringList { "s1:5" } << "m"
                                    << "" << 0;
    QTest::newRow("percent-encoded name")
        << "redis+sentinel://s1:5/my%20master" << sentinel << QStringList { "s1:5" } << "my master"
        << "" << 0;
    QTest::newRow("duplicates dropped")
        << "redis+sentinel://s1:5,s1:5/m" << sentinel << QStringList { "s1:5" } << "m"
        << "" << 0;
    QTest::newRow("upper-case scheme")
        << "REDIS+SENTINEL://s1:5/m" << sentinel << QStringList { "s1:5" } << "m"
        << "" << 0;
    QTest::newRow("cluster") << "redis+cluster://alice@n1:7000,n2:7001" << cluster
                             << QStringList { "n1:7000", "n2:7001" } << ""
                             << "alice" << 0;
    QTest::newRow("cluster default port")
        << "redis+cluster://n1" << cluster << QStringList { "n1:6379" } << ""
        << "" << 0;
}

void TestServerListUrl::parses()
{
    QFETCH(QString, url);
    QFETCH(int, topology);
    QFETCH(QStringList, seeds);
    QFETCH(QString, master);
    QFETCH(QString, user);
    QFETCH(int, db);
    QString error = QStringLiteral("not cleared");
    const ConnectionOptions options = ConnectionOptions::fromUrl(url, &error, QUrl::StrictMode);
    QCOMPARE(error, QString());
    QCOMPARE(int(options.topology), topology);
    QStringList names;
    for (const ServerAddress &seed : options.seeds)
        names << seed.displayName();
    QCOMPARE(names, seeds);
    QCOMPARE(options.sentinelMaster, master);
    QCOMPARE(options.username, user);
    QCOMPARE(options.database, db);
    if (options.topology == Topology::Sentinel && user.isEmpty()) // a user needs a password
        QCOMPARE(options.validate(), QString());
}

void TestServerListUrl::refuses_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("error");
    const QString range = QStringLiteral(" (a number from 1 to 65535)");
    QTest::newRow("no master") << "redis+sentinel://s1:26379"
                               << "The sentinel URL names no master: add /<master-name> after the sentinels.";
    QTest::newRow("empty master")
        << "redis+sentinel://s1:26379/"
        << "The sentinel URL names no master: add /<master-name> after the sentinels.";
    QTest::newRow("no sentinel") << "redis+sentinel:///m"
                                 << "The sentinel URL names no sentinel: give host:port[,host:port...].";
    QTest::newRow("password") << "redis+sentinel://bob:secret@s1:1/m"
                              << "Put no password in the URL; use REDWIRE_PASSWORD or the keychain instead.";
    QTest::newRow("bad port") << "redis+sentinel://s1:1,s2:99999/m"
                              << "Invalid port: 99999" + range;
    QTest::newRow("text port") << "redis+sentinel://s1:abc/m"
                               << "Invalid port: abc" + range;
    QTest::newRow("zero port") << "redis+cluster://n1:0"
                               << "Invalid port: 0" + range;
    QTest::newRow("empty item") << "redis+sentinel://s1:1,,s2:2/m"
                                << "An empty address in the list (two commas in a row?).";
    QTest::newRow("no host") << "redis+sentinel://:26379/m"
                             << "An address in the list has no host: \":26379\"";
    QTest::newRow("open bracket") << "redis+sentinel://[::1:5/m"
                                  << "Expected ']' to match '[' in [::1:5";
    QTest::newRow("bad db") << "redis+sentinel://s1:1/m/x"
                            << "After the master name only a database number may follow: /m/x";
    QTest::newRow("too deep") << "redis+sentinel://s1:1/m/1/2"
                              << "After the master name only a database number may follow: /m/1/2";
    QTest::newRow("query") << "redis+sentinel://s1:1/m?db=2"
                           << "This URL takes no ?query or #fragment: give the database as /db.";
    QTest::newRow("cluster db") << "redis+cluster://n1:1/3"
                                << "A cluster has only database 0: remove /3 from the URL.";
    QTest::newRow("space in host") << "redis+cluster://n 1:1"
                                   << "Not a host name: \"n 1\"";
    QTest::newRow("unknown scheme")
        << "redis+shard://n1"
        << "Unsupported URL scheme \"redis+shard\" (use redis://, rediss://, unix://, "
           "redis+sentinel:// or redis+cluster://).";
}

void TestServerListUrl::refuses()
{
    QFETCH(QString, url);
    QFETCH(QString, error);
    QString problem;
    const ConnectionOptions options = ConnectionOptions::fromUrl(url, &problem, QUrl::StrictMode);
    QCOMPARE(problem, error);
    QCOMPARE(options.topology, Topology::Standalone); // nothing half-parsed comes back
}

void TestServerListUrl::clusterIsParsedAndValidated()
{
    QString error;
    ConnectionOptions options = ConnectionOptions::fromUrl(QStringLiteral("redis+cluster://n1:7000"), &error);
    QCOMPARE(error, QString());
    QCOMPARE(options.validate(), QString());
    options.database = 1;
    QCOMPARE(options.validate(), QStringLiteral("Redis Cluster has database 0 only."));
}

void TestServerListUrl::displayNameShowsNoPassword()
{
    QString error;
    ConnectionOptions options
        = ConnectionOptions::fromUrl(QStringLiteral("redis+sentinel://bob@s1:1,s2:2/mymaster/2"), &error);
    options.password = QStringLiteral("hunter2");
    QCOMPARE(options.serverDisplayName(), QStringLiteral("redis+sentinel://bob@s1:1,s2:2/mymaster/2"));
    QVERIFY(!options.serverDisplayName().contains(QStringLiteral("hunter2")));
}

void TestServerListUrl::qurlOverloadTakesSingleHostSentinel()
{
    QString error;
    const ConnectionOptions options
        = ConnectionOptions::fromUrl(QUrl(QStringLiteral("redis+sentinel://s1:26380/m")), &error);
    QCOMPARE(error, QString());
    QCOMPARE(options.topology, Topology::Sentinel);
    QCOMPARE(options.seeds.value(0).port, quint16(26380));
}

QTEST_GUILESS_MAIN(TestServerListUrl)
#include "tst_serverlisturl.moc"
