// KeyspaceNotification: keyspace and keyevent channel names (and their payloads) read as
// (db, key, event); keys are bytes; malformed names are not notifications.
#include "monitor/KeyspaceNotification.h"

#include <QTest>

using namespace Redwire;

class TestKeyspaceNotification : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void keyspacePattern();
    void parseKeyspacePattern_data();
    void parseKeyspacePattern();
};

void TestKeyspaceNotification::parse_data()
{
    QTest::addColumn<QByteArray>("channel");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("keyevent");
    QTest::addColumn<int>("db");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("event");

    using B = QByteArray;
    QTest::newRow("keyspace") << B("__keyspace@0__:user") << B("set") << true << false << 0 << B("user")
                              << B("set");
    QTest::newRow("keyevent") << B("__keyevent@0__:del") << B("user") << true << true << 0 << B("user")
                              << B("del");
    QTest::newRow("db 15") << B("__keyspace@15__:k") << B("expire") << true << false << 15 << B("k")
                           << B("expire");
    QTest::newRow("key with colons") << B("__keyspace@3__:user:42:name") << B("hset") << true << false << 3
                                     << B("user:42:name") << B("hset");
    QTest::newRow("key with __:") << B("__keyspace@0__:a__:b") << B("set") << true << false << 0 << B("a__:b")
                                  << B("set");
    QTest::newRow("keyevent key with colons") << B("__keyevent@1__:expired") << B("session:a:b") << true
                                              << true << 1 << B("session:a:b") << B("expired");
    QTest::newRow("non-UTF-8 key") << B("__keyspace@0__:k\xff\xfe\x00z", 20) << B("set") << true << false << 0
                                   << B("k\xff\xfe\x00z", 5) << B("set");
    QTest::newRow("non-UTF-8 key in payload")
        << B("__keyevent@0__:set") << B("\xc3\x28", 2) << true << true << 0 << B("\xc3\x28", 2) << B("set");
    QTest::newRow("empty key") << B("__keyspace@0__:") << B("set") << true << false << 0 << B() << B("set");
    QTest::newRow("empty key keyevent")
        << B("__keyevent@0__:set") << B() << true << true << 0 << B() << B("set");
    // Not notifications.
    QTest::newRow("plain channel") << B("news") << B("x") << false << false << 0 << B() << B();
    QTest::newRow("empty") << B() << B() << false << false << 0 << B() << B();
    QTest::newRow("prefix only") << B("__keyspace@") << B("set") << false << false << 0 << B() << B();
    QTest::newRow("no db") << B("__keyspace@__:k") << B("set") << false << false << 0 << B() << B();
    QTest::newRow("db not a number") << B("__keyspace@x__:k") << B("set") << false << false << 0 << B()
                                     << B();
    QTest::newRow("negative db") << B("__keyspace@-1__:k") << B("set") << false << false << 0 << B() << B();
    QTest::newRow("huge db") << B("__keyspace@99999999999__:k") << B("set") << false << false << 0 << B()
                             << B();
    QTest::newRow("one underscore") << B("__keyspace@0_:k") << B("set") << false << false << 0 << B() << B();
    QTest::newRow("no colon") << B("__keyspace@0__k") << B("set") << false << false << 0 << B() << B();
    QTest::newRow("no separator at all")
        << B("__keyspace@0") << B("set") << false << false << 0 << B() << B();
    QTest::newRow("empty event") << B("__keyspace@0__:k") << B() << false << false << 0 << B() << B();
    QTest::newRow("keyevent empty event")
        << B("__keyevent@0__:") << B("k") << false << false << 0 << B() << B();
    QTest::newRow("other prefix") << B("__keysp@0__:k") << B("set") << false << false << 0 << B() << B();
    QTest::newRow("upper case") << B("__KEYSPACE@0__:k") << B("set") << false << false << 0 << B() << B();
}

void TestKeyspaceNotification::parse()
{
    QFETCH(QByteArray, channel);
    QFETCH(QByteArray, payload);
    QFETCH(bool, valid);
    const std::optional<KeyspaceNotification> notification = KeyspaceNotification::parse(channel, payload);
    QCOMPARE(notification.has_value(), valid);
    if (!valid)
        return;
    QVERIFY(KeyspaceNotification::mayBe(channel));
    QFETCH(bool, keyevent);
    QFETCH(int, db);
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, event);
    QCOMPARE(notification->kind == KeyspaceNotification::Kind::Keyevent, keyevent);
    QCOMPARE(notification->db, db);
    QCOMPARE(notification->key, key);
    QCOMPARE(notification->event, event);
}

void TestKeyspaceNotification::keyspacePattern()
{
    QCOMPARE(KeyspaceNotification::keyspacePattern(0, "*"), QByteArray("__keyspace@0__:*"));
    QCOMPARE(KeyspaceNotification::keyspacePattern(7, "user:*"), QByteArray("__keyspace@7__:user:*"));
    QCOMPARE(KeyspaceNotification::keyspacePattern(2, QByteArray()), QByteArray("__keyspace@2__:*"));
}

void TestKeyspaceNotification::parseKeyspacePattern_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("db");
    QTest::addColumn<QByteArray>("keys");
    QTest::newRow("every key") << QByteArray("__keyspace@0__:*") << true << 0 << QByteArray("*");
    QTest::newRow("prefix") << QByteArray("__keyspace@7__:user:*") << true << 7 << QByteArray("user:*");
    QTest::newRow("separator in keys")
        << QByteArray("__keyspace@1__:a__:b") << true << 1 << QByteArray("a__:b");
    QTest::newRow("empty keys") << QByteArray("__keyspace@2__:") << true << 2 << QByteArray();
    QTest::newRow("keyevent") << QByteArray("__keyevent@0__:del") << false << 0 << QByteArray();
    QTest::newRow("glob db") << QByteArray("__keyspace@*__:*") << false << 0 << QByteArray();
    QTest::newRow("no db") << QByteArray("__keyspace@__:*") << false << 0 << QByteArray();
    QTest::newRow("too many digits") << QByteArray("__keyspace@1234567890__:*") << false << 0 << QByteArray();
    QTest::newRow("other") << QByteArray("news.*") << false << 0 << QByteArray();
}

void TestKeyspaceNotification::parseKeyspacePattern()
{
    QFETCH(QByteArray, pattern);
    QFETCH(bool, valid);
    QFETCH(int, db);
    QFETCH(QByteArray, keys);
    const auto watch = KeyspaceNotification::parseKeyspacePattern(pattern);
    QCOMPARE(watch.has_value(), valid);
    if (!valid)
        return;
    QCOMPARE(watch->db, db);
    QCOMPARE(watch->key, keys);
    if (!keys.isEmpty()) // keyspacePattern writes "*" for no keys
        QCOMPARE(KeyspaceNotification::keyspacePattern(db, keys), pattern);
}

QTEST_GUILESS_MAIN(TestKeyspaceNotification)
#include "tst_keyspacenotification.moc"
