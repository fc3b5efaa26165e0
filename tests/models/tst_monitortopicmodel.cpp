// MonitorTopicModel, watched by QAbstractItemModelTester: rows in the order the page shows them
// (channels, then patterns, by name), key watches as Keyspace rows with their database and key
// pattern, and changes as row inserts and removals, never a reset. Then MonitorController against
// a real redis-server: subscribing and removeTopic(row) keep the model and the server in step.
#include "models/MonitorController.h"
#include "models/MonitorTopicModel.h"

#include "RedisServerProcess.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace Redwire;
using RedwireTest::RedisServerProcess;

namespace {

QStringList column(const QAbstractItemModel &model, int role)
{
    QStringList values;
    for (int row = 0; row < model.rowCount(); ++row)
        values << model.data(model.index(row, 0), role).toString();
    return values;
}

QStringList labels(const QAbstractItemModel &model)
{
    return column(model, MonitorTopicModel::LabelRole);
}

} // namespace

class TestMonitorTopicModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rowsAreChannelsThenPatternsByName();
    void keyWatchesHaveTheirDatabaseAndKeys();
    void keyWatchLookalikesStayPatterns_data();
    void keyWatchLookalikesStayPatterns();
    void changesInsertAndRemoveRowsWithoutReset();
    void namesThatAreNotTextStayDistinct();
    void controllerFollowsSubscriptionsAndRemovesByRow();
};

void TestMonitorTopicModel::rowsAreChannelsThenPatternsByName()
{
    MonitorTopicModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTopics({ "orders", "alerts" }, { "news.*", "audit.?" });
    QCOMPARE(labels(model),
        (QStringList { QStringLiteral("# alerts"), QStringLiteral("# orders"), QStringLiteral("⁕ audit.?"),
            QStringLiteral("⁕ news.*") }));
    QCOMPARE(column(model, MonitorTopicModel::NameRole),
        (QStringList { QStringLiteral("alerts"), QStringLiteral("orders"), QStringLiteral("audit.?"),
            QStringLiteral("news.*") }));
    QCOMPARE(
        model.data(model.index(0), MonitorTopicModel::KindRole).toInt(), int(MonitorTopicModel::Channel));
    QCOMPARE(
        model.data(model.index(3), MonitorTopicModel::KindRole).toInt(), int(MonitorTopicModel::Pattern));
    QCOMPARE(model.data(model.index(3), MonitorTopicModel::DbRole).toInt(), -1);
    QCOMPARE(model.data(model.index(3), MonitorTopicModel::KeyPatternRole).toString(), QString());
    QCOMPARE(model.property("count").toInt(), 4);
    // A channel and a pattern with the same name are two rows.
    model.setTopics({ "same" }, { "same" });
    QCOMPARE(labels(model), (QStringList { QStringLiteral("# same"), QStringLiteral("⁕ same") }));
    const QHash<int, QByteArray> roles = model.roleNames();
    for (const char *name : { "kind", "name", "db", "keyPattern", "label" })
        QVERIFY2(std::find(roles.cbegin(), roles.cend(), QByteArray(name)) != roles.cend(), name);
}

void TestMonitorTopicModel::keyWatchesHaveTheirDatabaseAndKeys()
{
    MonitorTopicModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTopics({}, { "__keyspace@4__:user:*", "__keyspace@0__:*", "__keyspace@12__:a%2b" });
    QCOMPARE(labels(model),
        (QStringList { QStringLiteral("keys in db 0: *"), QStringLiteral("keys in db 12: a%2b"),
            QStringLiteral("keys in db 4: user:*") }));
    const QModelIndex user = model.index(2);
    QCOMPARE(model.data(user, MonitorTopicModel::KindRole).toInt(), int(MonitorTopicModel::Keyspace));
    QCOMPARE(model.data(user, MonitorTopicModel::DbRole).toInt(), 4);
    QCOMPARE(model.data(user, MonitorTopicModel::KeyPatternRole).toString(), QStringLiteral("user:*"));
    QCOMPARE(
        model.data(user, MonitorTopicModel::NameRole).toString(), QStringLiteral("__keyspace@4__:user:*"));
    QCOMPARE(model.topicAt(2)->name, QByteArray("__keyspace@4__:user:*"));
    QCOMPARE(model.topicAt(3), nullptr);
    QCOMPARE(model.topicAt(-1), nullptr);
}

void TestMonitorTopicModel::keyWatchLookalikesStayPatterns_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::newRow("keyevent") << QByteArray("__keyevent@0__:del");
    QTest::newRow("no db") << QByteArray("__keyspace@__:x");
    QTest::newRow("db not a number") << QByteArray("__keyspace@x__:k");
    QTest::newRow("no separator") << QByteArray("__keyspace@3");
    QTest::newRow("glob db") << QByteArray("__keyspace@*__:*");
    QTest::newRow("huge db") << QByteArray("__keyspace@12345678901__:k");
}

void TestMonitorTopicModel::keyWatchLookalikesStayPatterns()
{
    QFETCH(QByteArray, pattern);
    MonitorTopicModel model;
    model.setTopics({}, { pattern });
    QCOMPARE(
        model.data(model.index(0), MonitorTopicModel::KindRole).toInt(), int(MonitorTopicModel::Pattern));
    QCOMPARE(labels(model), QStringList { QStringLiteral("⁕ ") + QString::fromUtf8(pattern) });
    // As a channel, never a key watch.
    model.setTopics({ "__keyspace@0__:k" }, {});
    QCOMPARE(
        model.data(model.index(0), MonitorTopicModel::KindRole).toInt(), int(MonitorTopicModel::Channel));
}

void TestMonitorTopicModel::changesInsertAndRemoveRowsWithoutReset()
{
    MonitorTopicModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy counts(&model, &MonitorTopicModel::countChanged);

    model.setTopics({ "b", "d" }, { "p*" });
    QCOMPARE(inserted.count(), 3);
    QCOMPARE(counts.count(), 1);
    inserted.clear();

    // "a" goes in front, "c" between b and d, "p*" leaves: three single-row changes, the rest stays.
    QPersistentModelIndex kept(model.index(0)); // "b"
    model.setTopics({ "d", "c", "b", "a" }, {});
    QCOMPARE(labels(model),
        (QStringList {
            QStringLiteral("# a"), QStringLiteral("# b"), QStringLiteral("# c"), QStringLiteral("# d") }));
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0); // "a"
    QCOMPARE(inserted.at(1).at(1).toInt(), 2); // "c"
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 4); // "p*", last once "a" and "c" are in
    QVERIFY(kept.isValid());
    QCOMPARE(kept.row(), 1);
    QCOMPARE(kept.data(MonitorTopicModel::NameRole).toString(), QStringLiteral("b"));

    // The same topics again (duplicates folded): nothing happens.
    inserted.clear();
    removed.clear();
    counts.clear();
    model.setTopics({ "a", "b", "c", "d", "d" }, {});
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(counts.count(), 0);
    QCOMPARE(model.rowCount(), 4);

    model.setTopics({}, {});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(removed.count(), 4);
    QCOMPARE(resets.count(), 0);
}

void TestMonitorTopicModel::namesThatAreNotTextStayDistinct()
{
    // Two channels whose names are not UTF-8 decode alike; each is still its own row and keeps
    // its bytes (what removeTopic unsubscribes).
    MonitorTopicModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTopics({ QByteArray("x\xff"), QByteArray("x\xfe") }, {});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.topicAt(0)->name, QByteArray("x\xfe"));
    QCOMPARE(model.topicAt(1)->name, QByteArray("x\xff"));
    model.setTopics({ QByteArray("x\xff") }, {});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.topicAt(0)->name, QByteArray("x\xff"));
}

void TestMonitorTopicModel::controllerFollowsSubscriptionsAndRemovesByRow()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ConnectionOptions options;
    options.port = server.port();
    options.database = 3;
    MonitorController monitor;
    MonitorTopicModel *topics = monitor.topics();
    QAbstractItemModelTester tester(topics, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(topics, &QAbstractItemModel::modelReset);
    QCOMPARE(monitor.keyspaceNotifications(), KeyspaceNotificationConfig::State::Unknown);
    QCOMPARE(monitor.slowSubscriberLevel(), SlowSubscriberWatch::Level::Unknown);
    monitor.start(options);
    QTRY_VERIFY_WITH_TIMEOUT(monitor.isConnected(), 10000);

    QVERIFY(monitor.addTopic(QStringLiteral("orders")));
    QVERIFY(monitor.addTopic(QStringLiteral("news.*")));
    QVERIFY(monitor.addTopic(QStringLiteral("odd[1]"), true)); // a channel, glob characters and all
    QVERIFY(monitor.addKeyWatch(QStringLiteral("user:*")));
    QCOMPARE(labels(*topics),
        (QStringList { QStringLiteral("# odd[1]"), QStringLiteral("# orders"),
            QStringLiteral("keys in db 3: user:*"), QStringLiteral("⁕ news.*") }));
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("2"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(monitor.keyspaceNotifications(), KeyspaceNotificationConfig::State::Off, 10000);
    QVERIFY(monitor.isKeyspaceWatched());

    // Removing a row unsubscribes that topic, of its kind.
    monitor.removeTopic(2); // the key watch
    QCOMPARE(labels(*topics),
        (QStringList { QStringLiteral("# odd[1]"), QStringLiteral("# orders"), QStringLiteral("⁕ news.*") }));
    QVERIFY(!monitor.isKeyspaceWatched());
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"), 10000);
    monitor.removeTopic(0);
    QTRY_VERIFY_WITH_TIMEOUT(!server.cli({ "PUBSUB", "CHANNELS", "odd*" }).contains("odd[1]"), 10000);
    QVERIFY(server.cli({ "PUBSUB", "CHANNELS", "orders" }).contains("orders"));
    // Rows that are not there are ignored.
    monitor.removeTopic(-1);
    monitor.removeTopic(topics->rowCount());
    QCOMPARE(topics->rowCount(), 2);

    monitor.stop();
    QCOMPARE(topics->rowCount(), 0);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(monitor.keyspaceNotifications(), KeyspaceNotificationConfig::State::Unknown);
}

QTEST_GUILESS_MAIN(TestMonitorTopicModel)
#include "tst_monitortopicmodel.moc"
