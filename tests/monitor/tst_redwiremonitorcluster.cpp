// redwire-monitor with a redis+cluster:// address (--url), as a process against a real six-node
// cluster: it watches classic Pub/Sub from one node (a PUBLISH on any node reaches it), moves to
// another node when its node is shut down, with one gap line, and every message published is
// either printed or inside the gap; shard channels on their slots' owners, following a moved
// slot with a gap line of their own; keyspace notifications from every primary (each node
// publishes its own keys' events), following a failover with a gap line. A usage error is exit 2;
// no node answering is exit 3.
#include "ClusterSetup.h"
#include "ConnectionOptionsFor.h"
#include "ProgramRun.h"
#include "monitor/ChannelMonitor.h"
#include "monitor/PubSubServerPoller.h"
#include "monitor/SubscriptionGap.h"
#include "redis/ClusterShardSubscribers.h"
#include "redis/RedisClient.h"
#include "redis/SubscriberConnection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>
#include <vector>

using RedwireTest::ClusterSetup;
using RedwireTest::ProgramRun;
using RedwireTest::RedisServerProcess;

namespace {
const QString monitor = QStringLiteral(REDWIRE_MONITOR_EXECUTABLE);
}

class TestRedwireMonitorCluster : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void unusableCombinationsAreUsageErrors_data();
    void unusableCombinationsAreUsageErrors();
    void noNodeAnsweringExitsThree();
    void keepsGoingWhenItsNodeGoes();
    void subscriberCountsAddUpOverEveryNode();
    void shardChannelsOnOneNodeAndAcrossTheCluster();
    void shardGapIsOpenUntilTheChannelIsBack();
    void replayIntoTheCluster();
    void keyspaceEventsFromEveryPrimary();
    void keyEventsFollowAPrimaryShutDown();
    void keyEventsAreNotShownTwice();
};

void TestRedwireMonitorCluster::unusableCombinationsAreUsageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("message");
    const QString url = QStringLiteral("redis+cluster://127.0.0.1:7000,127.0.0.1:7001");
    QTest::newRow("--host") << QStringList { "--url", url, "--host", "localhost" }
                            << QByteArray("--host cannot be combined with a redis+cluster:// address");
    QTest::newRow("password") << QStringList { "-u", "redis+cluster://u:secret@127.0.0.1:7000" }
                              << QByteArray("Put no password in the URL");
}

void TestRedwireMonitorCluster::unusableCombinationsAreUsageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, message);
    ProgramRun run(monitor, arguments);
    REDWIRE_CHECK_EXIT(run, 2);
    QVERIFY2(run.err().contains(message), run.err().constData());
    QVERIFY(!run.err().contains("secret"));
}

void TestRedwireMonitorCluster::noNodeAnsweringExitsThree()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close(); // nothing listens there now
    ProgramRun run(monitor, { "--url", QStringLiteral("redis+cluster://127.0.0.1:%1").arg(port) });
    REDWIRE_CHECK_EXIT(run, 3);
    QVERIFY2(run.err().contains("cannot reach the cluster: No node of the cluster answered (127.0.0.1:"
                 + QByteArray::number(port)),
        run.err().constData());
}

void TestRedwireMonitorCluster::keepsGoingWhenItsNodeGoes()
{
    ClusterSetup cluster;
    QVERIFY2(cluster.start(), qPrintable(cluster.errorString()));
    ProgramRun run(monitor, { "--url", cluster.url(), "-c", "news" });
    QVERIFY2(run.waitForStderr("(a node of the cluster)"), run.err().constData());
    QVERIFY2(run.waitForStderr("subscribed to 1 topic on 127.0.0.1:"), run.err().constData());
    const QRegularExpressionMatch on
        = QRegularExpression(QStringLiteral("subscribed to 1 topic on 127\\.0\\.0\\.1:(\\d+) "))
              .match(QString::fromUtf8(run.err()));
    QVERIFY2(on.hasMatch(), run.err().constData());
    const auto firstPort = quint16(on.captured(1).toUInt());
    RedisServerProcess *first = cluster.nodeOnPort(firstPort);
    QVERIFY(first);

    // Published one at a time on every other node: classic Pub/Sub reaches the whole cluster.
    int published = 0;
    auto publishSome = [&](int count) {
        for (int i = 0; i < count; ++i) {
            RedisServerProcess &node = cluster.node(published % ClusterSetup::NodeCount);
            if (!node.isRunning()) {
                ++published; // skipped, not sent: this number is never published
                --i;
                continue;
            }
            QCOMPARE(node.cli({ "PUBLISH", "news", QString::number(++published) }).isEmpty(), false);
        }
    };
    publishSome(6);
    QVERIFY2(run.waitForStdoutLines(6), run.out().constData());

    first->stop();
    QVERIFY2(run.waitForStderr("moving to cluster node 127.0.0.1:"), run.err().constData());
    QVERIFY2(run.waitForStderr("resubscribed to 1 topic"), run.err().constData());
    publishSome(6);
    QVERIFY2(run.waitForStdoutLines(6 + 1 + 6), run.out().constData());
    QVERIFY(run.sendSignal(SIGTERM));
    REDWIRE_CHECK_EXIT(run, 0);

    // Every message published was printed (nothing was published while moving); the move is
    // one gap line.
    int messages = 0;
    int gaps = 0;
    for (const QByteArray &line : run.lines()) {
        if (line.contains(" *** gap since "))
            ++gaps;
        else if (line.contains(" news "))
            ++messages;
    }
    QCOMPARE(gaps, 1);
    QCOMPARE(messages, 12);
    QVERIFY2(run.err().contains("gap: messages published from "), run.err().constData());
    // The note names the node that went.
    QVERIFY2(run.err().contains(": 127.0.0.1:" + QByteArray::number(firstPort) + " failed; 127.0.0.1:"),
        run.err().constData());
}

// A shard channel lives on the node that serves its slot: asked of another node, the server
// answers MOVED, hiredis closes the connection, and the monitor reports it once and exits
// instead of reconnecting for ever. The owner itself delivers SPUBLISHed messages. Given the
// cluster's address, the monitor finds each channel's node itself.
void TestRedwireMonitorCluster::shardChannelsOnOneNodeAndAcrossTheCluster()
{
    ClusterSetup cluster;
    QVERIFY2(cluster.start(), qPrintable(cluster.errorString()));
    const QByteArray channel = "orders:{eu}";
    const quint16 slot = cluster.slotOf(QString::fromLatin1(channel));
    const quint16 owner = cluster.primaryPortForSlot(slot);
    QVERIFY(owner != 0);
    quint16 other = 0;
    for (int i = 0; i < ClusterSetup::NodeCount && !other; ++i) {
        const quint16 port = cluster.node(i).port();
        if (port != owner && cluster.node(i).cli({ "ROLE" }).startsWith("master"))
            other = port;
    }
    QVERIFY(other != 0);

    ProgramRun refused(monitor,
        { "-u", QStringLiteral("redis://127.0.0.1:%1").arg(other), "--shard-channel",
            QString::fromLatin1(channel) });
    REDWIRE_CHECK_EXIT(refused, 3);
    QVERIFY2(refused.err().contains("cannot subscribe to orders:{eu}"), refused.err().constData());
    QVERIFY2(refused.err().contains("MOVED"), refused.err().constData());
    QVERIFY2(refused.err().contains("another node of the cluster serves this channel's slot"),
        refused.err().constData());

    ProgramRun run(monitor,
        { "-u", QStringLiteral("redis://127.0.0.1:%1").arg(owner), "--shard-channel",
            QString::fromLatin1(channel), "--format", "jsonl", "--count", "1" });
    QVERIFY2(run.waitForStderr("subscribed to 1 topic"), run.err().constData());
    RedisServerProcess *ownerNode = cluster.nodeOnPort(owner);
    QVERIFY(ownerNode);
    QCOMPARE(ownerNode->cli({ "SPUBLISH", QString::fromLatin1(channel), "hello" }), QByteArray("1"));
    REDWIRE_CHECK_EXIT(run, 0);
    QVERIFY2(run.out().contains("\"sharded\":true"), run.out().constData());

    // With the cluster's address: each shard channel on the primary serving it, and when one's
    // slot moves, a gap line naming that channel, then its messages from the new owner.
    QByteArray second;
    quint16 secondOwner = 0;
    for (int i = 0; secondOwner == 0 || secondOwner == owner; ++i) {
        second = "orders:{" + QByteArray::number(i) + "}";
        secondOwner = cluster.primaryPortForKey(QString::fromLatin1(second));
    }
    ProgramRun followed(monitor,
        { "--url", cluster.url(), "--shard-channel", QString::fromLatin1(channel), "--shard-channel",
            QString::fromLatin1(second), "--format", "jsonl", "--count", "4" });
    QVERIFY2(followed.waitForStderr("subscribed to 2 topic"), followed.err().constData());
    QCOMPARE(ownerNode->cli({ "SPUBLISH", QString::fromLatin1(channel), "before-move" }), QByteArray("1"));
    QCOMPARE(cluster.nodeOnPort(secondOwner)->cli({ "SPUBLISH", QString::fromLatin1(second), "elsewhere" }),
        QByteArray("1"));
    QVERIFY2(followed.waitForStdoutLines(2), followed.out().constData());

    const QString slotText = QString::number(slot);
    const QByteArray ownerId = ownerNode->cli({ "CLUSTER", "MYID" });
    const QByteArray otherId = cluster.nodeOnPort(other)->cli({ "CLUSTER", "MYID" });
    QCOMPARE(cluster.nodeOnPort(other)->cli({ "CLUSTER", "SETSLOT", slotText, "IMPORTING", ownerId }),
        QByteArray("OK"));
    QCOMPARE(ownerNode->cli({ "CLUSTER", "SETSLOT", slotText, "MIGRATING", otherId }), QByteArray("OK"));
    for (int i = 0; i < ClusterSetup::NodeCount; ++i)
        if (cluster.node(i).cli({ "ROLE" }).startsWith("master"))
            QCOMPARE(
                cluster.node(i).cli({ "CLUSTER", "SETSLOT", slotText, "NODE", otherId }), QByteArray("OK"));
    QVERIFY2(followed.waitForStderr("interrupted"), followed.err().constData());
    QVERIFY2(followed.waitForStdoutLines(3), followed.out().constData()); // the gap, once resubscribed
    QVERIFY2(followed.out().contains("\"event\":\"gap\"")
            && followed.out().contains("\"channels\":[\"orders:{eu}\"],\"resumed\":true"),
        followed.out().constData());
    // Published once it reaches a subscriber (QTRY_* evaluates its expression again at the end).
    QVERIFY(QTest::qWaitFor(
        [&] {
            return cluster.nodeOnPort(other)->cli({ "SPUBLISH", QString::fromLatin1(channel), "after-move" })
                == "1";
        },
        10000));
    QCOMPARE(cluster.nodeOnPort(secondOwner)->cli({ "SPUBLISH", QString::fromLatin1(second), "still-there" }),
        QByteArray("1"));
    REDWIRE_CHECK_EXIT(followed, 0);
    for (const char *payload : { "before-move", "elsewhere", "after-move", "still-there" })
        QVERIFY2(followed.out().contains(payload), followed.out().constData());
    QCOMPARE(followed.out().count("\"sharded\":true"), 4);
}

// In the app: a moved shard channel opens a gap (the footer says messages are being missed) and
// closes it when the channel is subscribed on its new node. The footer kept saying "Not
// subscribed" after the gap row appeared: the gap was still counted as open while it was recorded.
void TestRedwireMonitorCluster::shardGapIsOpenUntilTheChannelIsBack()
{
    ClusterSetup cluster;
    QVERIFY2(cluster.start(), qPrintable(cluster.errorString()));
    const QByteArray channel = "orders:{eu}";
    const QString slot = QString::fromLatin1(cluster.node(0).cli({ "CLUSTER", "KEYSLOT", "orders:{eu}" }));
    const quint16 owner = cluster.primaryPortForSlot(quint16(slot.toUInt()));
    quint16 other = 0;
    for (int i = 0; i < ClusterSetup::NodeCount && !other; ++i)
        if (cluster.node(i).port() != owner && cluster.node(i).cli({ "ROLE" }).startsWith("master"))
            other = cluster.node(i).port();
    QVERIFY(owner && other);

    Redwire::ChannelMonitor monitor(RedwireTest::connectionOptionsForUrl(cluster.url()));
    QSignalSpy opened(&monitor, &Redwire::ChannelMonitor::gapOpened);
    QList<bool> openWhenRecorded;
    QList<Redwire::SubscriptionGap> gaps;
    connect(&monitor, &Redwire::ChannelMonitor::gapRecorded, this, [&](const Redwire::SubscriptionGap &gap) {
        openWhenRecorded.append(monitor.isGapOpen());
        gaps.append(gap);
    });
    QVERIFY(monitor.subscribeShardChannel(channel));
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(monitor.client()->isShardChannelActive(channel), 20000);
    QCOMPARE(monitor.client()->clusterShardSubscribers()->nodeOf(channel).port, owner);

    const QByteArray ownerId = cluster.nodeOnPort(owner)->cli({ "CLUSTER", "MYID" });
    const QByteArray otherId = cluster.nodeOnPort(other)->cli({ "CLUSTER", "MYID" });
    QCOMPARE(cluster.nodeOnPort(other)->cli({ "CLUSTER", "SETSLOT", slot, "IMPORTING", ownerId }),
        QByteArray("OK"));
    QCOMPARE(cluster.nodeOnPort(owner)->cli({ "CLUSTER", "SETSLOT", slot, "MIGRATING", otherId }),
        QByteArray("OK"));
    for (int i = 0; i < ClusterSetup::NodeCount; ++i)
        if (cluster.node(i).cli({ "ROLE" }).startsWith("master"))
            QCOMPARE(cluster.node(i).cli({ "CLUSTER", "SETSLOT", slot, "NODE", otherId }), QByteArray("OK"));

    QTRY_COMPARE_WITH_TIMEOUT(gaps.size(), 1, 20000);
    QCOMPARE(opened.size(), 1);
    QCOMPARE(openWhenRecorded, QList<bool> { false });
    QVERIFY(!monitor.isGapOpen());
    QCOMPARE(gaps.at(0).channels, QByteArrayList { channel });
    QVERIFY(gaps.at(0).resumed);
    QVERIFY(gaps.at(0).sinceMs <= gaps.at(0).timeMs);
    QVERIFY2(gaps.at(0).reason.contains(QStringLiteral("orders:{eu}")), qPrintable(gaps.at(0).reason));
    QCOMPARE(monitor.client()->clusterShardSubscribers()->nodeOf(channel).port, other);
    QVERIFY(monitor.client()->isShardChannelActive(channel));
    monitor.stop();
}

// --replay with a cluster's address: classic lines PUBLISHed on a node (they reach the whole
// cluster), sharded ones SPUBLISHed on the primary serving each channel's slot (it was a usage
// error; given one node, the sharded lines of other slots were refused with MOVED).
void TestRedwireMonitorCluster::replayIntoTheCluster()
{
    ClusterSetup cluster;
    QVERIFY2(cluster.start(), qPrintable(cluster.errorString()));
    QList<QByteArray> shardChannels;
    QSet<quint16> owners;
    for (int i = 0; shardChannels.size() < 3; ++i) {
        const QByteArray channel = "replayed:{" + QByteArray::number(i) + "}";
        const quint16 owner = cluster.primaryPortForKey(QString::fromLatin1(channel));
        if (!owners.contains(owner)) {
            owners.insert(owner);
            shardChannels.append(channel);
        }
    }
    Redwire::RedisClient listener(RedwireTest::connectionOptionsForUrl(cluster.url()));
    QList<QByteArray> received;
    connect(listener.clusterShardSubscribers(), &Redwire::ClusterShardSubscribers::shardMessageReceived, this,
        [&](const QByteArray &channel, const QByteArray &payload) {
            received.append(channel + "=" + payload);
        });
    connect(listener.subscriber(), &Redwire::SubscriberConnection::messageReceived, this,
        [&](const QByteArray &channel, const QByteArray &payload) {
            received.append(channel + "=" + payload);
        });
    QVERIFY(listener.subscriber()->subscribe("news"));
    for (const QByteArray &channel : std::as_const(shardChannels))
        QVERIFY(listener.ssubscribe(channel));
    listener.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(listener.isConnected()
            && listener.subscriber()->isActive(Redwire::SubscriberConnection::TopicKind::Channel, "news")
            && std::all_of(shardChannels.cbegin(), shardChannels.cend(),
                [&](const QByteArray &c) { return listener.isShardChannelActive(c); }),
        20000);

    QTemporaryDir dir;
    QFile recording(dir.filePath(QStringLiteral("cluster.jsonl")));
    QVERIFY(recording.open(QIODevice::WriteOnly));
    recording.write(
        R"({"time":"2026-12-02T10:00:00.000Z","channel":"news","pattern":null,"size":5,"payload":"hello"})"
        "\n");
    for (int i = 0; i < shardChannels.size(); ++i)
        recording.write(R"({"time":"2026-12-02T10:00:00.00)" + QByteArray::number(i + 1) + R"(Z","channel":")"
            + shardChannels.at(i) + R"(","pattern":null,"sharded":true,"size":2,"payload":"s)"
            + QByteArray::number(i) + "\"}\n");
    recording.close();

    ProgramRun run(
        monitor, { "--replay", recording.fileName(), "--to", cluster.url(), "--as-fast-as-possible" });
    REDWIRE_CHECK_EXIT(run, 0);
    QVERIFY2(
        run.err().contains("replay finished: published 4, skipped 0, malformed 0"), run.err().constData());
    QList<QByteArray> expected { "news=hello" };
    for (int i = 0; i < shardChannels.size(); ++i)
        expected.append(shardChannels.at(i) + "=s" + QByteArray::number(i));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), expected.size(), 10000);
    std::sort(received.begin(), received.end());
    std::sort(expected.begin(), expected.end());
    QCOMPARE(received, expected);
}

// --keyspace on a cluster: each node publishes the events of its own keys only, so the pattern is
// subscribed on every primary, and --enable-keyspace-events turns them on on every node. A key on
// each primary is written: three events. Then a primary fails over (CLUSTER FAILOVER on its
// replica, the old primary stays up as a replica): the monitor subscribes on the new primary, says
// so on stderr and prints a gap line; a key written there afterwards is printed.
void TestRedwireMonitorCluster::keyspaceEventsFromEveryPrimary()
{
    ClusterSetup cluster;
    QVERIFY2(cluster.start(), qPrintable(cluster.errorString()));
    QMap<quint16, QString> keyOn; // primary port -> a key it serves
    for (int i = 0; keyOn.size() < 3 && i < 100; ++i) {
        const QString key = QStringLiteral("user:{%1}:name").arg(i);
        const quint16 owner = cluster.primaryPortForKey(key);
        if (owner && !keyOn.contains(owner))
            keyOn.insert(owner, key);
    }
    QCOMPARE(keyOn.size(), 3);

    ProgramRun run(monitor,
        { "--url", cluster.url(), "--keyspace", "user:*", "--enable-keyspace-events", "--format", "jsonl" });
    QVERIFY2(run.waitForStderr("keyspace notifications are on"), run.err().constData());
    QVERIFY2(run.waitForStderr("subscribed to 1 topic"), run.err().constData());
    for (int i = 0; i < ClusterSetup::NodeCount; ++i)
        QVERIFY2(cluster.node(i).cli({ "CONFIG", "GET", "notify-keyspace-events" }).contains('K'),
            qPrintable(QString::number(cluster.node(i).port())));
    for (auto it = keyOn.cbegin(); it != keyOn.cend(); ++it) {
        QCOMPARE(cluster.nodeOnPort(it.key())->cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"));
        QCOMPARE(cluster.nodeOnPort(it.key())->cli({ "SET", it.value(), "ada" }), QByteArray("OK"));
    }
    QVERIFY2(run.waitForStdoutLines(3), run.out().constData());
    QSet<QString> keysSeen;
    for (const QByteArray &line : run.lines()) {
        const QJsonObject keyspace = QJsonDocument::fromJson(line).object().value("keyspace").toObject();
        QCOMPARE(keyspace.value("event").toString(), QStringLiteral("set"));
        keysSeen.insert(keyspace.value("key").toString());
    }
    QCOMPARE(keysSeen, QSet<QString>(keyOn.cbegin(), keyOn.cend()));

    // A primary fails over; the old one stays up.
    const quint16 oldPrimary = keyOn.firstKey();
    const QString movedKey = keyOn.first();
    const quint16 slot = cluster.slotOf(movedKey);
    RedisServerProcess *replica = nullptr;
    for (int i = 0; i < ClusterSetup::NodeCount && !replica; ++i) {
        const QByteArray info = cluster.node(i).cli({ "INFO", "replication" });
        if (RedisServerProcess::infoField(info, "master_port").toUInt() == oldPrimary)
            replica = &cluster.node(i);
    }
    QVERIFY(replica);
    QCOMPARE(replica->cli({ "CLUSTER", "FAILOVER" }), QByteArray("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(cluster.primaryPortForSlot(slot), replica->port(), 20000);
    QVERIFY2(run.waitForStderr("key events of 127.0.0.1:" + QByteArray::number(replica->port())),
        run.err().constData());
    QVERIFY2(run.waitForStderr("gap: messages published from "), run.err().constData());
    QTRY_COMPARE_WITH_TIMEOUT(replica->cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"), 20000);
    QCOMPARE(replica->cli({ "SET", movedKey, "after the failover" }), QByteArray("OK"));
    QVERIFY2(run.waitForStdoutLines(3 + 1 + 1), run.out().constData());
    QVERIFY(run.sendSignal(SIGTERM));
    REDWIRE_CHECK_EXIT(run, 0);
    const QList<QByteArray> lines = run.lines();
    QCOMPARE(lines.size(), 5);
    const QJsonObject gap = QJsonDocument::fromJson(lines.at(3)).object();
    QCOMPARE(gap.value("event").toString(), QStringLiteral("gap"));
    QCOMPARE(gap.value("channels").toArray().first().toString(), QStringLiteral("__keyspace@0__:user:*"));
    QVERIFY2(
        gap.value("reason").toString().contains(QStringLiteral("on every primary")), lines.at(3).constData());
    const QJsonObject last = QJsonDocument::fromJson(lines.at(4)).object().value("keyspace").toObject();
    QCOMPARE(last.value("key").toString(), movedKey);
}

// The monitor's key events when a primary is shut down (SHUTDOWN NOSAVE): the pattern breaks on
// that node (one gap, from the last time mark heard there), the cluster fails over, the pattern is
// subscribed on the promoted replica, and its keys' events arrive again. Counted: every SET made
// while subscribed everywhere is in the buffer.
void TestRedwireMonitorCluster::keyEventsFollowAPrimaryShutDown()
{
    ClusterSetup cluster;
    QVERIFY2(cluster.start(), qPrintable(cluster.errorString()));
    for (int i = 0; i < ClusterSetup::NodeCount; ++i)
        QCOMPARE(cluster.node(i).cli({ "CONFIG", "SET", "notify-keyspace-events", "KA" }), QByteArray("OK"));
    Redwire::ChannelMonitor monitor(RedwireTest::connectionOptionsForUrl(cluster.url()));
    QList<Redwire::SubscriptionGap> gaps;
    connect(&monitor, &Redwire::ChannelMonitor::gapRecorded, this,
        [&](const Redwire::SubscriptionGap &gap) { gaps.append(gap); });
    const QByteArray pattern = "__keyspace@0__:k:*";
    QVERIFY(monitor.subscribePattern(pattern));
    QVERIFY(monitor.patterns().contains(pattern));
    monitor.start();
    Redwire::ClusterShardSubscribers *primaries = monitor.client()->clusterShardSubscribers();
    QTRY_VERIFY_WITH_TIMEOUT(primaries->isPatternActive(pattern), 20000);
    QCOMPARE(primaries->connections().size(), 3);

    // A primary that is not the one the monitor's classic connections are on.
    const quint16 entry = monitor.client()->subscriber()->options().port;
    quint16 victim = 0;
    QString key;
    for (int i = 0; i < 100 && !victim; ++i) {
        const QString candidate = QStringLiteral("k:{%1}").arg(i);
        const quint16 owner = cluster.primaryPortForKey(candidate);
        if (owner && owner != entry && owner != cluster.node(0).port()) {
            victim = owner;
            key = candidate;
        }
    }
    QVERIFY(victim);
    const quint16 slot = cluster.slotOf(key);
    const auto keysSeen = [&monitor] {
        QStringList seen;
        for (qsizetype i = 0; i < monitor.buffer().size(); ++i)
            seen.append(monitor.buffer().at(i).isGap() ? QStringLiteral("(gap)")
                                                       : QString::fromUtf8(monitor.buffer().at(i).channel));
        return seen;
    };
    QCOMPARE(cluster.nodeOnPort(victim)->cli({ "SET", key, "1" }), QByteArray("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(keysSeen(), QStringList { "__keyspace@0__:" + key }, 10000);

    cluster.nodeOnPort(victim)->cli({ "SHUTDOWN", "NOSAVE" });
    QTRY_VERIFY_WITH_TIMEOUT(!primaries->isPatternActive(pattern), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(
        cluster.primaryPortForSlot(slot) != victim && cluster.primaryPortForSlot(slot) != 0, 30000);
    const quint16 promoted = cluster.primaryPortForSlot(slot);
    QTRY_VERIFY_WITH_TIMEOUT(primaries->isPatternActive(pattern), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(gaps.size(), 1, 10000);
    QVERIFY(gaps.at(0).resumed);
    QCOMPARE(gaps.at(0).channels, QByteArrayList { pattern });
    QVERIFY2(gaps.at(0).reason.contains(QString::number(victim)), qPrintable(gaps.at(0).reason));
    QVERIFY(gaps.at(0).sinceMs <= gaps.at(0).timeMs);
    QCOMPARE(cluster.nodeOnPort(promoted)->cli({ "SET", key, "2" }), QByteArray("OK"));
    const QString channel = "__keyspace@0__:" + key;
    QTRY_COMPARE_WITH_TIMEOUT(keysSeen(), (QStringList { channel, QStringLiteral("(gap)"), channel }), 10000);
    monitor.stop();
}

// With a `*` pattern beside a key watch, the classic subscriber also hears its own node's key
// events (a replica publishes them again as it applies them): they were shown twice, once from
// the primaries and once from that node. Counted: one row per event.
void TestRedwireMonitorCluster::keyEventsAreNotShownTwice()
{
    ClusterSetup cluster;
    QVERIFY2(cluster.start(), qPrintable(cluster.errorString()));
    for (int i = 0; i < ClusterSetup::NodeCount; ++i)
        QCOMPARE(cluster.node(i).cli({ "CONFIG", "SET", "notify-keyspace-events", "KA" }), QByteArray("OK"));
    Redwire::ChannelMonitor monitor(RedwireTest::connectionOptionsForUrl(cluster.url()));
    const QByteArray keys = "__keyspace@0__:*";
    QVERIFY(monitor.subscribePattern("*"));
    QVERIFY(monitor.subscribePattern(keys));
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(monitor.client()->clusterShardSubscribers()->isPatternActive(keys), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        monitor.client()->subscriber()->isActive(Redwire::SubscriberConnection::TopicKind::Pattern, "*"),
        20000);

    // The primary of the monitor's own node (itself, or its master).
    const quint16 entry = monitor.client()->subscriber()->options().port;
    const QByteArray info = cluster.nodeOnPort(entry)->cli({ "INFO", "replication" });
    const quint16 local = RedisServerProcess::infoField(info, "role") == "master"
        ? entry
        : quint16(RedisServerProcess::infoField(info, "master_port").toUInt());
    QString localKey;
    QString otherKey;
    for (int i = 0; i < 100 && (localKey.isEmpty() || otherKey.isEmpty()); ++i) {
        const QString key = QStringLiteral("twice:{%1}").arg(i);
        const quint16 owner = cluster.primaryPortForKey(key);
        (owner == local ? localKey : otherKey) = key;
    }
    QVERIFY(!localKey.isEmpty() && !otherKey.isEmpty());
    const quint16 other = cluster.primaryPortForKey(otherKey);
    QCOMPARE(cluster.nodeOnPort(local)->cli({ "SET", localKey, "1" }), QByteArray("OK"));
    QCOMPARE(cluster.nodeOnPort(other)->cli({ "SET", otherKey, "1" }), QByteArray("OK"));
    cluster.nodeOnPort(local)->cli({ "WAIT", "1", "2000" }); // the replica has applied it too
    // A marker after them on the monitor's node: its copies of the events came before it.
    cluster.nodeOnPort(entry)->cli({ "PUBLISH", "marker", "end" });
    const auto rows = [&monitor](const QByteArray &channel) {
        int count = 0;
        for (qsizetype i = 0; i < monitor.buffer().size(); ++i)
            count += !monitor.buffer().at(i).isGap() && monitor.buffer().at(i).channel == channel ? 1 : 0;
        return count;
    };
    QTRY_VERIFY_WITH_TIMEOUT(rows("marker") == 1 && rows("__keyspace@0__:" + localKey.toUtf8()) >= 1
            && rows("__keyspace@0__:" + otherKey.toUtf8()) >= 1,
        10000);
    QCOMPARE(rows("__keyspace@0__:" + localKey.toUtf8()), 1);
    QCOMPARE(rows("__keyspace@0__:" + otherKey.toUtf8()), 1);
    monitor.stop();
}

QTEST_GUILESS_MAIN(TestRedwireMonitorCluster)

// On a cluster, PUBSUB NUMSUB, CHANNELS and NUMPAT answer for the node's own clients only: the
// monitor showed 1 subscriber (or 0) for a channel that three clients on three nodes listened to.
// The poller asks every node and adds up; so for shard channels (PUBSUB SHARDNUMSUB).
void TestRedwireMonitorCluster::subscriberCountsAddUpOverEveryNode()
{
    ClusterSetup cluster;
    QVERIFY2(cluster.start(), qPrintable(cluster.errorString()));
    // "news" on two primaries and a replica, a pattern on the third primary.
    std::vector<std::unique_ptr<Redwire::SubscriberConnection>> subscribers;
    for (int index : { 0, 1, 4 }) {
        subscribers.push_back(std::make_unique<Redwire::SubscriberConnection>(
            RedwireTest::connectionOptionsFor(cluster.node(index))));
        QVERIFY(subscribers.back()->subscribe("news"));
        subscribers.back()->connectToServer();
    }
    subscribers.push_back(
        std::make_unique<Redwire::SubscriberConnection>(RedwireTest::connectionOptionsFor(cluster.node(2))));
    QVERIFY(subscribers.back()->psubscribe("ne*"));
    subscribers.back()->connectToServer();
    for (int index : { 0, 1, 4 })
        QTRY_COMPARE_WITH_TIMEOUT(
            cluster.node(index).cli({ "PUBSUB", "NUMSUB", "news" }), QByteArray("news\n1"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(cluster.node(2).cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"), 10000);
    // A shard channel with two subscribers on the primary serving its slot.
    const quint16 shardOwner = cluster.primaryPortForKey(QStringLiteral("orders:{eu}"));
    for (int i = 0; i < 2; ++i) {
        subscribers.push_back(std::make_unique<Redwire::SubscriberConnection>(
            RedwireTest::connectionOptionsFor(*cluster.nodeOnPort(shardOwner))));
        QVERIFY(subscribers.back()->ssubscribe("orders:{eu}"));
        subscribers.back()->connectToServer();
    }
    QTRY_COMPARE_WITH_TIMEOUT(cluster.nodeOnPort(shardOwner)->cli({ "PUBSUB", "SHARDNUMSUB", "orders:{eu}" }),
        QByteArray("orders:{eu}\n2"), 10000);

    Redwire::RedisClient client(RedwireTest::connectionOptionsForUrl(cluster.url()));
    client.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 20000);
    Redwire::PubSubServerPoller poller(client.commands());
    poller.setChannelSource([] { return QList<QByteArray> { "news", "quiet" }; });
    QTRY_COMPARE_WITH_TIMEOUT((poller.pollNow(), poller.subscriberCount("news")), qint64(3), 20000);
    QCOMPARE(poller.subscriberCount("quiet"), 0);
    QCOMPARE(poller.patternCount(), 1);
    QCOMPARE(poller.serverChannels().count("news"), 1); // listed by three nodes, once here
    QVERIFY(poller.errorString().isEmpty());
    QVERIFY(poller.shardSubscriberCounts().isEmpty()); // none asked for

    // Shard subscribers, asked of every node and added up (the side panel said "?" for them).
    poller.setShardChannelSource([] { return QList<QByteArray> { "orders:{eu}", "orders:{none}" }; });
    QTRY_COMPARE_WITH_TIMEOUT(
        (poller.pollNow(), poller.shardSubscriberCounts().value("orders:{eu}", -1)), qint64(2), 20000);
    QCOMPARE(poller.shardSubscriberCounts().value("orders:{none}", -1), 0);
    QCOMPARE(poller.subscriberCount("news"), 3); // the classic counts stand beside them
}

#include "tst_redwiremonitorcluster.moc"
