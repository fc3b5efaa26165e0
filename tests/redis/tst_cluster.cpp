// Redis Cluster groundwork against a real six-node cluster (three primaries, a replica each):
// hash slots computed as the server computes them (CLUSTER KEYSLOT, binary keys and hash tags),
// the slot map read from CLUSTER SHARDS and CLUSTER SLOTS, hostile topology answers refused with
// a reason, and RedisClient on a redis+cluster:// address: on a node that answers, moving to
// another one when its node is shut down, with every message the cluster took either received or
// inside the reported break.
#include "ClusterSetup.h"
#include "CommandTestSupport.h"
#include "ConnectionOptionsFor.h"

#include "CountingPublisher.h"
#include "redis/ClusterCommandRouter.h"
#include "redis/ClusterShardSubscribers.h"
#include "redis/ClusterSlot.h"
#include "redis/ClusterTopology.h"
#include "redis/CommandConnection.h"
#include "redis/CommandKeys.h"
#include "redis/RedisClient.h"
#include "redis/RedisSubscription.h"

#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

Q_DECLARE_METATYPE(Redwire::RedisReply)

using namespace Redwire;
using namespace RedwireTest;

namespace {
// One command on a fresh connection to the node.
RedisReply ask(const RedisServerProcess &node, const QList<QByteArray> &command)
{
    CommandConnection connection(connectionOptionsFor(node));
    connection.connectToServer();
    if (!QTest::qWaitFor([&] { return connection.isConnected(); }, 10000))
        return RedisReply::error("test: not connected");
    return roundTrip(connection, command);
}
} // namespace

class TestCluster : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void crcAndHashTags();
    void slotsMatchTheServer();
    void topologyFromTheServer();
    void hostileTopologyAnswers_data();
    void hostileTopologyAnswers();
    void notAClusterNodeIsSaidClearly();
    void invalidClusterOptions();
    void commandKeys();
    void keyedCommandsGoToTheirOwner();
    void movedAfterASlotMoves();
    void askWhileASlotMigrates();
    void shardChannelsFollowTheirSlots();
    void shardChannelFollowsAFailover();
    void shardChannelLeavesAStoppedPrimary();
    void clientMovesWhenItsNodeGoes();
    void mapFromSlotsWhereShardsIsRefused();

private:
    // A connected cluster client (its map known).
    std::unique_ptr<RedisClient> connectedClient();
    QByteArray nodeId(quint16 port);
    // A key whose slot the primary at `port` serves.
    QByteArray keyServedBy(quint16 port, const QByteArray &prefix);
    // As keyServedBy, in a slot that holds no key (a slot with keys cannot simply change owner).
    QByteArray emptySlotKeyServedBy(quint16 port, const QByteArray &prefix);
    // Gives the slot to the primary at `to`, as a resharding does: importing first, then every
    // primary is told. The slot holds no key.
    bool moveEmptySlot(quint16 slot, quint16 from, quint16 to);

    ClusterSetup m_cluster;
};

void TestCluster::initTestCase()
{
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.errorString()));
}

void TestCluster::crcAndHashTags()
{
    // The check value of CRC16/XMODEM, and the examples of the Redis Cluster specification.
    QCOMPARE(ClusterSlot::crc16("123456789"), quint16(0x31C3));
    QCOMPARE(ClusterSlot::hashedPart("{user1000}.following"), QByteArrayView("user1000"));
    QCOMPARE(ClusterSlot::hashedPart("foo{}{bar}"), QByteArrayView("foo{}{bar}"));
    QCOMPARE(ClusterSlot::hashedPart("foo{{bar}}zap"), QByteArrayView("{bar"));
    QCOMPARE(ClusterSlot::hashedPart("foo{bar}{zap}"), QByteArrayView("bar"));
    QCOMPARE(ClusterSlot::hashedPart("no tag"), QByteArrayView("no tag"));
    QCOMPARE(ClusterSlot::hashedPart("open{only"), QByteArrayView("open{only"));
    QCOMPARE(ClusterSlot::forKey("{user1000}.following"), ClusterSlot::forKey("{user1000}.followers"));
}

void TestCluster::slotsMatchTheServer()
{
    const QList<QByteArray> keys { "foo", "bar", "", "123456789", "{user1000}.following", "foo{}{bar}",
        "foo{{bar}}zap", "foo{bar}{zap}", "redwire:{room:général}:live", "redwire:{user:alice}:keys",
        QByteArray("\x00\xff\x80{\x01}", 6), QByteArray(300, 'x') };
    for (const QByteArray &key : keys) {
        const RedisReply reply = ask(m_cluster.node(0), { "CLUSTER", "KEYSLOT", key });
        QVERIFY2(reply.isInteger(), qPrintable(reply.toDisplayString()));
        QCOMPARE(qint64(ClusterSlot::forKey(key)), reply.toInteger());
    }
}

void TestCluster::topologyFromTheServer()
{
    RedisServerProcess &node = m_cluster.node(2);
    const ServerAddress asked { node.host(), node.port() };
    for (const QByteArray subcommand : { QByteArray("SHARDS"), QByteArray("SLOTS") }) {
        const RedisReply reply = ask(node, { "CLUSTER", subcommand });
        QString error;
        const ClusterTopology topology = subcommand == "SHARDS"
            ? ClusterTopology::fromShards(reply, asked, false, &error)
            : ClusterTopology::fromSlots(reply, asked, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        // CLUSTER SLOTS leaves out a replica that holds no data yet (replication offset 0).
        const qsizetype expectedNodes = subcommand == "SHARDS" ? ClusterSetup::NodeCount : 3;
        QVERIFY2(topology.nodes().size() >= expectedNodes,
            qPrintable(QStringLiteral("CLUSTER %1: %2 nodes in %3")
                           .arg(QString::fromLatin1(subcommand))
                           .arg(topology.nodes().size())
                           .arg(reply.toDisplayString())));
        QCOMPARE(topology.coveredSlots(), ClusterSlot::Count);
        const auto primaries = std::count_if(topology.nodes().cbegin(), topology.nodes().cend(),
            [](const ClusterNode &n) { return n.primary; });
        QCOMPARE(primaries, 3);
        for (const QByteArray key : { QByteArray("foo"), QByteArray("bar"), QByteArray("{room:x}") }) {
            const quint16 slot = ClusterSlot::forKey(key);
            const ClusterNode *owner = topology.ownerOf(slot);
            QVERIFY(owner);
            QCOMPARE(owner->address.port, m_cluster.primaryPortForSlot(slot));
            QCOMPARE(owner->id.size(), 40);
        }
        QCOMPARE(topology.slotOwners().size(), 3);
        // Every node once, the primaries first.
        const QList<ServerAddress> addresses = topology.addresses();
        QCOMPARE(addresses.size(), topology.nodes().size());
        for (int i = 0; i < addresses.size(); ++i) {
            QCOMPARE(addresses.indexOf(addresses.at(i)), i);
            const bool primary = std::any_of(topology.nodes().cbegin(), topology.nodes().cend(),
                [&](const ClusterNode &n) { return n.primary && n.address == addresses.at(i); });
            QCOMPARE(primary, i < 3);
        }
    }
}

void TestCluster::hostileTopologyAnswers_data()
{
    QTest::addColumn<bool>("shards");
    QTest::addColumn<RedisReply>("reply");
    QTest::addColumn<QString>("error");
    auto node = [](RedisReply port) {
        return RedisReply::array({ RedisReply::string("id"), RedisReply::string("abc"),
            RedisReply::string("port"), port, RedisReply::string("role"), RedisReply::string("master") });
    };
    auto shard = [](RedisReply ranges, RedisReply nodes) {
        return RedisReply::array({ RedisReply::string("slots"), ranges, RedisReply::string("nodes"), nodes });
    };
    QTest::newRow("shards: not a list")
        << true << RedisReply::string("hello")
        << "CLUSTER SHARDS from 10.0.0.1:7000: not a list of shards: \"hello\"";
    QTest::newRow("shards: empty") << true << RedisReply::array({})
                                   << "CLUSTER SHARDS from 10.0.0.1:7000: no nodes";
    QTest::newRow("shards: no nodes")
        << true << RedisReply::array({ shard(RedisReply::array({}), RedisReply::nil()) })
        << "CLUSTER SHARDS from 10.0.0.1:7000: a shard without nodes";
    QTest::newRow("shards: port 0") << true
                                    << RedisReply::array({ shard(RedisReply::array({}),
                                           RedisReply::array({ node(RedisReply::integer(0)) })) })
                                    << "CLUSTER SHARDS from 10.0.0.1:7000: a node without a port";
    QTest::newRow("shards: port 70000")
        << true
        << RedisReply::array(
               { shard(RedisReply::array({}), RedisReply::array({ node(RedisReply::integer(70000)) })) })
        << "CLUSTER SHARDS from 10.0.0.1:7000: a node without a port";
    QTest::newRow("shards: reversed range")
        << true
        << RedisReply::array({ shard(RedisReply::array({ RedisReply::integer(9), RedisReply::integer(3) }),
               RedisReply::array({ node(RedisReply::integer(7001)) })) })
        << "CLUSTER SHARDS from 10.0.0.1:7000: a slot range that is not one";
    QTest::newRow("slots: not a list")
        << false << RedisReply::integer(3)
        << "CLUSTER SLOTS from 10.0.0.1:7000: not a list of slot ranges: (integer) 3";
    QTest::newRow("slots: short range")
        << false << RedisReply::array({ RedisReply::array({ RedisReply::integer(0) }) })
        << "CLUSTER SLOTS from 10.0.0.1:7000: a range that is not one";
    QTest::newRow("slots: port text")
        << false
        << RedisReply::array({ RedisReply::array({ RedisReply::integer(0), RedisReply::integer(5),
               RedisReply::array({ RedisReply::string("10.0.0.2"), RedisReply::string("abc") }) }) })
        << "CLUSTER SLOTS from 10.0.0.1:7000: a node without a port";
    QTest::newRow("slots: empty") << false << RedisReply::array({})
                                  << "CLUSTER SLOTS from 10.0.0.1:7000: no slot is served";
}

void TestCluster::hostileTopologyAnswers()
{
    QFETCH(bool, shards);
    QFETCH(RedisReply, reply);
    QFETCH(QString, error);
    const ServerAddress asked { QStringLiteral("10.0.0.1"), 7000 };
    QString problem;
    const ClusterTopology topology = shards ? ClusterTopology::fromShards(reply, asked, false, &problem)
                                            : ClusterTopology::fromSlots(reply, asked, &problem);
    QVERIFY(topology.isEmpty());
    QVERIFY2(problem.startsWith(error), qPrintable(problem));
    QVERIFY(!topology.ownerOf(0));
}

void TestCluster::notAClusterNodeIsSaidClearly()
{
    RedisServerProcess plain;
    QVERIFY2(plain.start(), qPrintable(plain.errorString()));
    RedisClient client(
        connectionOptionsForUrl(QStringLiteral("redis+cluster://127.0.0.1:%1").arg(plain.port())));
    QSignalSpy unavailable(&client, &RedisClient::clusterUnavailable);
    client.connectToServer();
    QVERIFY(unavailable.wait(10000));
    QCOMPARE(unavailable.at(0).at(0).value<RedisError>().message(),
        QStringLiteral("No node of the cluster answered (127.0.0.1:%1: it is not a cluster node (cluster "
                       "support is disabled there)).")
            .arg(plain.port()));
    QVERIFY(unavailable.at(0).at(1).toInt() > 0); // asking again later
    QVERIFY(!client.isConnected());
}

void TestCluster::invalidClusterOptions()
{
    ConnectionOptions options = connectionOptionsForUrl(m_cluster.url());
    QCOMPARE(options.validate(), QString());
    options.database = 2;
    QCOMPARE(options.validate(), QStringLiteral("Redis Cluster has database 0 only."));
    // One identity per cluster, whichever order the seeds are given in.
    QString error;
    const ConnectionOptions reordered
        = ConnectionOptions::fromUrl(QStringLiteral("redis+cluster://127.0.0.1:%1,127.0.0.1:%2")
                                         .arg(m_cluster.node(1).port())
                                         .arg(m_cluster.node(0).port()),
            &error);
    options.database = 0;
    QCOMPARE(reordered.accountScope(), options.accountScope());
    QVERIFY(options.accountScope().startsWith(QStringLiteral("@cluster:127.0.0.1:")));
    options.seeds.clear();
    QCOMPARE(options.validate(), QStringLiteral("No cluster node given."));
}

std::unique_ptr<RedisClient> TestCluster::connectedClient()
{
    auto client = std::make_unique<RedisClient>(connectionOptionsForUrl(m_cluster.url()));
    client->connectToServer();
    if (!QTest::qWaitFor([&] { return client->isConnected(); }, 20000))
        qWarning("the cluster client did not connect");
    return client;
}

QByteArray TestCluster::nodeId(quint16 port)
{
    return m_cluster.nodeOnPort(port)->cli({ "CLUSTER", "MYID" });
}

QByteArray TestCluster::keyServedBy(quint16 port, const QByteArray &prefix)
{
    for (int i = 0; i < 10000; ++i) {
        const QByteArray key = prefix + QByteArray::number(i);
        if (m_cluster.primaryPortForSlot(ClusterSlot::forKey(key)) == port)
            return key;
    }
    return {};
}

QByteArray TestCluster::emptySlotKeyServedBy(quint16 port, const QByteArray &prefix)
{
    RedisServerProcess *owner = m_cluster.nodeOnPort(port);
    for (int i = 0; owner && i < 10000; ++i) {
        const QByteArray key = keyServedBy(port, prefix + QByteArray::number(i) + ":");
        const QString slot = QString::number(ClusterSlot::forKey(key));
        if (!key.isEmpty() && owner->cli({ "CLUSTER", "COUNTKEYSINSLOT", slot }) == "0")
            return key;
    }
    return {};
}

bool TestCluster::moveEmptySlot(quint16 slot, quint16 from, quint16 to)
{
    const QString number = QString::number(slot);
    const QByteArray fromId = nodeId(from);
    const QByteArray toId = nodeId(to);
    if (m_cluster.nodeOnPort(to)->cli({ "CLUSTER", "SETSLOT", number, "IMPORTING", fromId }) != "OK"
        || m_cluster.nodeOnPort(from)->cli({ "CLUSTER", "SETSLOT", number, "MIGRATING", toId }) != "OK")
        return false;
    QList<quint16> primaries { to, from };
    for (const quint16 probe : { 0, 8000, 16000 })
        if (!primaries.contains(m_cluster.primaryPortForSlot(probe)))
            primaries.append(m_cluster.primaryPortForSlot(probe));
    for (const quint16 port : std::as_const(primaries))
        if (m_cluster.nodeOnPort(port)->cli({ "CLUSTER", "SETSLOT", number, "NODE", toId }) != "OK")
            return false;
    return QTest::qWaitFor([&] { return m_cluster.primaryPortForSlot(slot) == to; }, 10000);
}

// Three shard channels on the three primaries, each subscribed on its own slot's owner; one
// slot moves to another primary: the server ends that subscription, the client follows the
// slot, and what was published there in between is inside the reported interruption. The other
// two lose nothing. Counted: every message the cluster took is received or inside the break.
void TestCluster::shardChannelsFollowTheirSlots()
{
    const QList<quint16> primaries { m_cluster.primaryPortForSlot(0), m_cluster.primaryPortForSlot(8000),
        m_cluster.primaryPortForSlot(16000) };
    QCOMPARE(QSet<quint16>(primaries.cbegin(), primaries.cend()).size(), 3);
    QList<QByteArray> channels;
    for (const quint16 port : primaries) {
        channels.append(emptySlotKeyServedBy(port, "shard:"));
        QVERIFY(!channels.last().isEmpty());
    }
    const auto client = connectedClient();
    QVERIFY(client->isConnected());
    ClusterShardSubscribers *shards = client->clusterShardSubscribers();
    QVERIFY(shards);
    QHash<QByteArray, QList<qint64>> received;
    connect(shards, &ClusterShardSubscribers::shardMessageReceived, this,
        [&](const QByteArray &channel, const QByteArray &payload) {
            received[channel].append(payload.toLongLong());
        });
    QSignalSpy interrupted(shards, &ClusterShardSubscribers::channelsInterrupted);
    for (const QByteArray &channel : std::as_const(channels))
        QVERIFY(client->ssubscribe(channel));
    QCOMPARE(client->shardChannels().size(), 3);
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(channels.cbegin(), channels.cend(),
                                 [&](const QByteArray &c) { return client->isShardChannelActive(c); }),
        20000);
    // Each on its slot's owner: one connection per primary.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(shards->nodeOf(channels.at(i)).port, primaries.at(i));
    QCOMPARE(shards->connections().size(), 3);

    std::vector<std::unique_ptr<CountingPublisher>> publishers;
    for (const QByteArray &channel : std::as_const(channels))
        publishers.push_back(std::make_unique<CountingPublisher>(
            connectionOptionsForUrl(m_cluster.url()), channel, "SPUBLISH"));
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(channels.cbegin(), channels.cend(),
                                 [&](const QByteArray &c) { return received.value(c).size() >= 20; }),
        20000);

    // The first channel's slot moves from its primary to the second one's.
    const QByteArray moving = channels.at(0);
    qint64 lastBeforeBreak = 0;
    qint64 firstAfter = 0;
    connect(shards, &ClusterShardSubscribers::channelsInterrupted, this,
        [&](const ServerAddress &, const QList<QByteArray> &which) {
            if (which.contains(moving) && lastBeforeBreak == 0)
                lastBeforeBreak = received.value(moving).isEmpty() ? 0 : received.value(moving).last();
        });
    connect(shards, &ClusterShardSubscribers::subscribed, this,
        [&](SubscriberConnection::TopicKind, const QByteArray &name) {
            if (name == moving && lastBeforeBreak != 0 && firstAfter == 0)
                firstAfter = publishers.at(0)->next + 1;
        });
    QVERIFY(moveEmptySlot(ClusterSlot::forKey(moving), primaries.at(0), primaries.at(1)));

    QTRY_VERIFY_WITH_TIMEOUT(firstAfter != 0, 20000);
    QCOMPARE(shards->nodeOf(moving).port, primaries.at(1));
    QVERIFY(!interrupted.isEmpty());
    QCOMPARE(interrupted.at(0).at(1).value<QList<QByteArray>>(), QList<QByteArray> { moving });
    QCOMPARE(interrupted.at(0).at(0).value<ServerAddress>().port, primaries.at(0));
    // The first primary serves no wanted channel now: its connection is closed.
    QTRY_COMPARE_WITH_TIMEOUT(shards->connections().size(), 2, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(received.value(moving).last() >= firstAfter + 50, 20000);

    for (const auto &publisher : publishers)
        publisher->timer.stop();
    for (int i = 0; i < 3; ++i) {
        const CountingPublisher &publisher = *publishers.at(size_t(i));
        QVERIFY(!publisher.taken.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(received.value(channels.at(i)).last() >= publisher.taken.last(), 20000);
        qint64 missed = 0;
        // The other two were never interrupted: nothing may be missing.
        const QString problem = i == 0
            ? publisher.checkReceived(received.value(channels.at(i)), lastBeforeBreak, firstAfter, &missed)
            : publisher.checkReceived(received.value(channels.at(i)), publisher.taken.last(), 0, &missed);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        if (i != 0)
            QCOMPARE(missed, 0);
        qInfo("%s: sent %lld, received %lld, in the break %lld", channels.at(i).constData(),
            qint64(publisher.taken.size()), qint64(received.value(channels.at(i)).size()), missed);
    }
    QCOMPARE(interrupted.size(), 1);
}

// CLUSTER FAILOVER: the primary serving a shard channel becomes a replica of its own replica.
// The subscription ends up on the new primary; counted as above.
void TestCluster::shardChannelFollowsAFailover()
{
    const quint16 primary = m_cluster.primaryPortForSlot(8000);
    const QByteArray channel = emptySlotKeyServedBy(primary, "failover:");
    QVERIFY(!channel.isEmpty());
    const QByteArray replicas
        = m_cluster.nodeOnPort(primary)->cli({ "CLUSTER", "REPLICAS", QString::fromLatin1(nodeId(primary)) });
    const QRegularExpressionMatch match
        = QRegularExpression(QStringLiteral("127\\.0\\.0\\.1:(\\d+)@")).match(QString::fromLatin1(replicas));
    QVERIFY2(match.hasMatch(), replicas.constData());
    const quint16 replica = quint16(match.captured(1).toUInt());

    const auto client = connectedClient();
    QVERIFY(client->isConnected());
    ClusterShardSubscribers *shards = client->clusterShardSubscribers();
    QList<qint64> received;
    connect(shards, &ClusterShardSubscribers::shardMessageReceived, this,
        [&](const QByteArray &, const QByteArray &payload) { received.append(payload.toLongLong()); });
    QVERIFY(client->ssubscribe(channel));
    QTRY_VERIFY_WITH_TIMEOUT(client->isShardChannelActive(channel), 20000);
    QCOMPARE(shards->nodeOf(channel).port, primary);
    CountingPublisher publisher(connectionOptionsForUrl(m_cluster.url()), channel, "SPUBLISH");
    QTRY_VERIFY_WITH_TIMEOUT(received.size() >= 20, 20000);

    qint64 lastBeforeBreak = 0;
    qint64 firstAfter = 0;
    QSignalSpy interrupted(shards, &ClusterShardSubscribers::channelsInterrupted);
    connect(shards, &ClusterShardSubscribers::channelsInterrupted, this, [&] {
        if (lastBeforeBreak == 0)
            lastBeforeBreak = received.isEmpty() ? 0 : received.last();
    });
    connect(shards, &ClusterShardSubscribers::subscribed, this, [&] {
        if (lastBeforeBreak != 0)
            firstAfter = publisher.next + 1;
    });
    QCOMPARE(m_cluster.nodeOnPort(replica)->cli({ "CLUSTER", "FAILOVER" }), QByteArray("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(m_cluster.primaryPortForSlot(8000), replica, 20000);
    // Followed within a map refresh or two.
    QTRY_VERIFY_WITH_TIMEOUT(
        shards->nodeOf(channel).port == replica && client->isShardChannelActive(channel), 20000);
    const qint64 wanted = publisher.next + 50;
    QTRY_VERIFY_WITH_TIMEOUT(!received.isEmpty() && received.last() >= wanted, 20000);
    publisher.timer.stop();
    QTRY_VERIFY_WITH_TIMEOUT(received.last() >= publisher.taken.last(), 20000);
    qint64 missed = 0;
    const QString problem = firstAfter != 0
        ? publisher.checkReceived(received, lastBeforeBreak, firstAfter, &missed)
        : publisher.checkReceived(received, publisher.taken.last(), 0, &missed);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    qInfo("sent %lld, received %lld, in the break %lld; %lld interruption(s)", qint64(publisher.taken.size()),
        qint64(received.size()), missed, qint64(interrupted.size()));
    QVERIFY(m_cluster.waitUntilHealthy());
}

// SIGSTOP of the primary serving a shard channel: its connection stays open and silent, nothing
// ends the subscription. The cluster fails the primary over; the client's periodic read of the
// map finds the new owner and moves the channel there, reporting the break.
void TestCluster::shardChannelLeavesAStoppedPrimary()
{
    QVERIFY(m_cluster.waitUntilHealthy());
    const auto client = connectedClient();
    QVERIFY(client->isConnected());
    const quint16 entry = client->commands()->options().port;
    // A primary that is neither the client's node nor the fixture's first (which answers the
    // test's own questions).
    quint16 stopped = 0;
    for (const quint16 slot : { 0, 8000, 16000 }) {
        const quint16 port = m_cluster.primaryPortForSlot(slot);
        if (port != entry && port != m_cluster.node(0).port()) {
            stopped = port;
            break;
        }
    }
    QVERIFY(stopped != 0);
    const QByteArray channel = emptySlotKeyServedBy(stopped, "stopped:");
    QVERIFY(!channel.isEmpty());
    ClusterShardSubscribers *shards = client->clusterShardSubscribers();
    QList<QByteArray> received;
    connect(shards, &ClusterShardSubscribers::shardMessageReceived, this,
        [&](const QByteArray &, const QByteArray &payload) { received.append(payload); });
    QSignalSpy interrupted(shards, &ClusterShardSubscribers::channelsInterrupted);
    QVERIFY(client->ssubscribe(channel));
    QTRY_VERIFY_WITH_TIMEOUT(client->isShardChannelActive(channel), 20000);
    QCOMPARE(shards->nodeOf(channel).port, stopped);
    RedisServerProcess *node = m_cluster.nodeOnPort(stopped);
    QCOMPARE(node->cli({ "SPUBLISH", QString::fromLatin1(channel), "before" }), QByteArray("1"));
    QTRY_COMPARE_WITH_TIMEOUT(received, QList<QByteArray> { "before" }, 10000);

    node->pause();
    const auto resume = qScopeGuard([node] { node->resume(); });
    const quint16 slot = ClusterSlot::forKey(channel);
    QTRY_VERIFY_WITH_TIMEOUT(m_cluster.primaryPortForSlot(slot) != stopped, 30000); // failed over
    const quint16 promoted = m_cluster.primaryPortForSlot(slot);
    QVERIFY(promoted != 0);
    // Within a map read or two (every 5 s).
    QTRY_VERIFY_WITH_TIMEOUT(
        shards->nodeOf(channel).port == promoted && client->isShardChannelActive(channel), 20000);
    QCOMPARE(interrupted.size(), 1);
    QCOMPARE(interrupted.at(0).at(0).value<ServerAddress>().port, stopped);
    QCOMPARE(m_cluster.nodeOnPort(promoted)->cli({ "SPUBLISH", QString::fromLatin1(channel), "after" }),
        QByteArray("1"));
    QTRY_COMPARE_WITH_TIMEOUT(received, (QList<QByteArray> { "before", "after" }), 10000);
    node->resume();
    QVERIFY(m_cluster.waitUntilHealthy());
}

void TestCluster::commandKeys()
{
    auto key = [](const QList<QByteArray> &args) { return CommandKeys::firstKey(args).value_or("<none>"); };
    QCOMPARE(key({ "GET", "k" }), QByteArray("k"));
    QCOMPARE(key({ "EVAL", "return 1", "2", "{t}a", "{t}b", "arg" }), QByteArray("{t}a"));
    QCOMPARE(key({ "EVAL", "return 1", "0", "arg" }), QByteArray("<none>"));
    QCOMPARE(key({ "XINFO", "STREAM", "s" }), QByteArray("s"));
    QCOMPARE(key({ "XREAD", "COUNT", "5", "STREAMS", "s", "0" }), QByteArray("s"));
    QCOMPARE(key({ "publish", "room", "hi" }), QByteArray("<none>"));
    QCOMPARE(key({ "SPUBLISH", "room", "hi" }), QByteArray("room"));
    QCOMPARE(key({ "PING" }), QByteArray("<none>"));
    QCOMPARE(key({ "CONFIG", "GET", "x" }), QByteArray("<none>"));
}

void TestCluster::keyedCommandsGoToTheirOwner()
{
    const auto client = connectedClient();
    QVERIFY(client->isConnected());
    ClusterCommandRouter *router = client->clusterRouter();
    QVERIFY(router);
    QCOMPARE(router->topology().coveredSlots(), ClusterSlot::Count);
    // One key on each primary, written through the client, read on the owner itself.
    QSet<quint16> owners;
    for (int i = 0; i < 30; ++i) {
        const QByteArray key = "owned:" + QByteArray::number(i);
        const quint16 owner = m_cluster.primaryPortForSlot(ClusterSlot::forKey(key));
        owners.insert(owner);
        QCOMPARE(roundTrip(*client->commands(), { "SET", key, "v" + QByteArray::number(i) }),
            RedisReply::status("OK"));
        QCOMPARE(
            m_cluster.nodeOnPort(owner)->cli({ "GET", QString::fromUtf8(key) }), "v" + QByteArray::number(i));
        QCOMPARE(
            roundTrip(*client->commands(), { "GET", key }), RedisReply::string("v" + QByteArray::number(i)));
    }
    QCOMPARE(owners.size(), 3);
    QCOMPARE(router->redirectsFollowed(), 0); // the map was right: no MOVED
    // Without a key: the node the client is on.
    QCOMPARE(roundTrip(*client->commands(), { "PING" }), RedisReply::status("PONG"));
    // A script's keys route by the first one.
    QCOMPARE(roundTrip(*client->commands(), { "EVAL", "return redis.call('GET', KEYS[1])", "1", "owned:7" }),
        RedisReply::string("v7"));
}

void TestCluster::movedAfterASlotMoves()
{
    const auto client = connectedClient();
    QVERIFY(client->isConnected());
    const QList<quint16> primaries { m_cluster.primaryPortForSlot(0), m_cluster.primaryPortForSlot(8000),
        m_cluster.primaryPortForSlot(16000) };
    const quint16 from = primaries.at(0);
    const quint16 to = primaries.at(1);
    const QByteArray key = keyServedBy(from, "moving:");
    QVERIFY(!key.isEmpty());
    QCOMPARE(roundTrip(*client->commands(), { "SET", key, "before" }), RedisReply::status("OK"));

    // The slot moves (key and all) from one primary to another, behind the client's back.
    const QString slot = QString::number(ClusterSlot::forKey(key));
    const QByteArray fromId = nodeId(from);
    const QByteArray toId = nodeId(to);
    QCOMPARE(
        m_cluster.nodeOnPort(to)->cli({ "CLUSTER", "SETSLOT", slot, "IMPORTING", fromId }), QByteArray("OK"));
    QCOMPARE(
        m_cluster.nodeOnPort(from)->cli({ "CLUSTER", "SETSLOT", slot, "MIGRATING", toId }), QByteArray("OK"));
    QCOMPARE(m_cluster.nodeOnPort(from)->cli({ "MIGRATE", "127.0.0.1", QString::number(to), "", "0", "5000",
                 "KEYS", QString::fromUtf8(key) }),
        QByteArray("OK"));
    for (const quint16 port : primaries)
        QCOMPARE(
            m_cluster.nodeOnPort(port)->cli({ "CLUSTER", "SETSLOT", slot, "NODE", toId }), QByteArray("OK"));

    const int before = client->clusterRouter()->redirectsFollowed();
    QCOMPARE(roundTrip(*client->commands(), { "GET", key }), RedisReply::string("before"));
    QCOMPARE(client->clusterRouter()->redirectsFollowed(), before + 1);
    QCOMPARE(client->clusterRouter()->topology().ownerOf(ClusterSlot::forKey(key))->address.port, to);
    // Noted: the next command goes straight there.
    QCOMPARE(roundTrip(*client->commands(), { "SET", key, "after" }), RedisReply::status("OK"));
    QCOMPARE(client->clusterRouter()->redirectsFollowed(), before + 1);
    QCOMPARE(m_cluster.nodeOnPort(to)->cli({ "GET", QString::fromUtf8(key) }), QByteArray("after"));
}

void TestCluster::askWhileASlotMigrates()
{
    const auto client = connectedClient();
    QVERIFY(client->isConnected());
    const quint16 from = m_cluster.primaryPortForSlot(16000);
    const quint16 to = m_cluster.primaryPortForSlot(8000);
    QVERIFY(from != to);
    // Two keys of one slot (a hash tag): one moved already, one not yet.
    const QByteArray tag = keyServedBy(from, "tag");
    const QByteArray moved = "{" + tag + "}:moved";
    const QByteArray staying = "{" + tag + "}:staying";
    QCOMPARE(roundTrip(*client->commands(), { "SET", moved, "m" }), RedisReply::status("OK"));
    QCOMPARE(roundTrip(*client->commands(), { "SET", staying, "s" }), RedisReply::status("OK"));
    const QString slot = QString::number(ClusterSlot::forKey(moved));
    QCOMPARE(m_cluster.nodeOnPort(to)->cli({ "CLUSTER", "SETSLOT", slot, "IMPORTING", nodeId(from) }),
        QByteArray("OK"));
    QCOMPARE(m_cluster.nodeOnPort(from)->cli({ "CLUSTER", "SETSLOT", slot, "MIGRATING", nodeId(to) }),
        QByteArray("OK"));
    QCOMPARE(m_cluster.nodeOnPort(from)->cli({ "MIGRATE", "127.0.0.1", QString::number(to), "", "0", "5000",
                 "KEYS", QString::fromUtf8(moved) }),
        QByteArray("OK"));

    const int before = client->clusterRouter()->redirectsFollowed();
    QCOMPARE(roundTrip(*client->commands(), { "GET", staying }), RedisReply::string("s")); // still at home
    QCOMPARE(client->clusterRouter()->redirectsFollowed(), before);
    QCOMPARE(
        roundTrip(*client->commands(), { "GET", moved }), RedisReply::string("m")); // ASK, then ASKING there
    QCOMPARE(client->clusterRouter()->redirectsFollowed(), before + 1);
    // ASK does not move the slot in the map: the next command asks the old owner first again.
    QCOMPARE(client->clusterRouter()->topology().ownerOf(ClusterSlot::forKey(moved))->address.port, from);
    QCOMPARE(roundTrip(*client->commands(), { "GET", moved }), RedisReply::string("m"));
    QCOMPARE(client->clusterRouter()->redirectsFollowed(), before + 2);

    // Finished: the last key moves, then the slot belongs to the importing node everywhere.
    QCOMPARE(m_cluster.nodeOnPort(from)->cli({ "MIGRATE", "127.0.0.1", QString::number(to), "", "0", "5000",
                 "KEYS", QString::fromUtf8(staying) }),
        QByteArray("OK"));
    for (const quint16 port : { from, to, m_cluster.primaryPortForSlot(0) })
        QCOMPARE(m_cluster.nodeOnPort(port)->cli({ "CLUSTER", "SETSLOT", slot, "NODE", nodeId(to) }),
            QByteArray("OK"));
}

void TestCluster::clientMovesWhenItsNodeGoes()
{
    RedisClient subscriber(connectionOptionsForUrl(m_cluster.url()));
    QSignalSpy nodeChanged(&subscriber, &RedisClient::clusterNodeChanged);
    QList<qint64> received;
    qint64 lastBeforeBreak = 0;
    bool broken = false;
    subscriber.connectToServer();
    RedisSubscription *counted = subscriber.subscribe("counted");
    QVERIFY(counted);
    connect(counted, &RedisSubscription::messageReceived, this,
        [&](const QByteArray &, const QByteArray &payload) {
            received.append(payload.toLongLong());
            if (!broken)
                lastBeforeBreak = payload.toLongLong();
        });
    connect(subscriber.subscriber(), &RedisConnection::errorOccurred, this, [&] { broken = true; });
    QTRY_VERIFY_WITH_TIMEOUT(
        subscriber.isConnected() && counted->state() == RedisSubscription::State::Active, 20000);
    QCOMPARE(nodeChanged.size(), 1);
    const quint16 firstPort = subscriber.subscriber()->options().port;
    QCOMPARE(subscriber.commands()->options().port, firstPort);
    QCOMPARE(nodeChanged.at(0).at(0).toString(), QStringLiteral("127.0.0.1:%1").arg(firstPort));

    // Published through another client of the cluster, wherever it is: classic Pub/Sub reaches
    // every node.
    CountingPublisher publisher(connectionOptionsForUrl(m_cluster.url()));
    QTRY_VERIFY_WITH_TIMEOUT(received.size() >= 20, 20000);

    RedisServerProcess *node = m_cluster.nodeOnPort(firstPort);
    QVERIFY(node);
    node->stop();

    QTRY_VERIFY_WITH_TIMEOUT(nodeChanged.size() == 2, 20000);
    const quint16 secondPort = subscriber.subscriber()->options().port;
    QVERIFY(secondPort != firstPort);
    QVERIFY(m_cluster.nodeOnPort(secondPort));
    QVERIFY2(
        nodeChanged.at(1).at(1).toString().startsWith(QStringLiteral("127.0.0.1:%1 failed").arg(firstPort)),
        qPrintable(nodeChanged.at(1).at(1).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(
        subscriber.isConnected() && counted->state() == RedisSubscription::State::Active, 20000);
    QCOMPARE(subscriber.commands()->options().port, secondPort);

    const qint64 firstAfter = publisher.next + 1;
    QTRY_VERIFY_WITH_TIMEOUT(!received.isEmpty() && received.last() >= firstAfter + 50, 20000);
    publisher.timer.stop();
    const qint64 lastTaken = publisher.taken.isEmpty() ? 0 : publisher.taken.last();
    QTRY_VERIFY_WITH_TIMEOUT(received.last() >= lastTaken, 20000);

    // Counted: no duplicates; what the server took and did not arrive lies inside the break.
    qint64 missed = 0;
    const QString problem = publisher.checkReceived(received, lastBeforeBreak, firstAfter, &missed);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    qInfo("sent %lld, received %lld, in the break %lld (break between %lld and %lld)",
        qint64(publisher.taken.size()), qint64(received.size()), missed, lastBeforeBreak, firstAfter);
    QVERIFY(broken);
}

QTEST_GUILESS_MAIN(TestCluster)
#include "tst_cluster.moc"

// An ACL user allowed CLUSTER SLOTS and not CLUSTER SHARDS (as a server before 7.0 knows only
// SLOTS): the client connects from the SLOTS answer, and after a MOVED the whole map is read
// again from SLOTS (it could not connect at all; after MOVED every moved slot cost a redirect).
void TestCluster::mapFromSlotsWhereShardsIsRefused()
{
    // clientMovesWhenItsNodeGoes stopped a node: when it was a primary, its replica takes over
    // after the cluster's node timeout (until then its slots answer nothing, then CLUSTERDOWN).
    const auto servedByRunningPrimaries = [this] {
        for (const quint16 slot : { 0, 8000, 16000 }) {
            RedisServerProcess *owner = m_cluster.nodeOnPort(m_cluster.primaryPortForSlot(slot));
            if (!owner || !owner->isRunning())
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(servedByRunningPrimaries(), 30000);
    QVERIFY(m_cluster.waitUntilHealthy());
    // On every node still running (clientMovesWhenItsNodeGoes stopped one): ACL users are per node.
    for (int i = 0; i < ClusterSetup::NodeCount; ++i)
        if (m_cluster.node(i).isRunning())
            QCOMPARE(m_cluster.node(i).cli({ "ACL", "SETUSER", "slotsonly", "reset", "on", ">slots-secret",
                         "~*", "&*", "+@all", "-cluster|shards" }),
                QByteArray("OK"));
    const auto dropUser = qScopeGuard([this] {
        for (int i = 0; i < ClusterSetup::NodeCount; ++i)
            if (m_cluster.node(i).isRunning())
                m_cluster.node(i).cli({ "ACL", "DELUSER", "slotsonly" });
    });
    ConnectionOptions options = connectionOptionsForUrl(m_cluster.url());
    options.username = QStringLiteral("slotsonly");
    options.password = QStringLiteral("slots-secret");
    RedisClient client(options);
    client.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(client.isConnected(), 20000);
    QVERIFY(client.clusterRouter());
    QCOMPARE(client.clusterRouter()->topology().coveredSlots(), 16384);

    // Two empty slots of one primary move to another.
    const quint16 from = m_cluster.primaryPortForSlot(0);
    const quint16 to = m_cluster.primaryPortForSlot(16000);
    QVERIFY(from != to);
    const QByteArray first = keyServedBy(from, "first:");
    QByteArray second;
    for (int n = 0; second.isEmpty() || ClusterSlot::forKey(second) == ClusterSlot::forKey(first); ++n)
        second = keyServedBy(from, "second" + QByteArray::number(n) + ":");
    const QByteArray fromId = nodeId(from);
    const QByteArray toId = nodeId(to);
    // As a resharding does it (importing first, so that the new owner's claim wins everywhere),
    // then every primary is told.
    const QList<quint16> primaries { to, from, m_cluster.primaryPortForSlot(8000) };
    for (const QByteArray &key : { first, second }) {
        const QString slot = QString::number(ClusterSlot::forKey(key));
        QCOMPARE(m_cluster.nodeOnPort(to)->cli({ "CLUSTER", "SETSLOT", slot, "IMPORTING", fromId }),
            QByteArray("OK"));
        QCOMPARE(m_cluster.nodeOnPort(from)->cli({ "CLUSTER", "SETSLOT", slot, "MIGRATING", toId }),
            QByteArray("OK"));
        for (const quint16 port : primaries)
            QCOMPARE(m_cluster.nodeOnPort(port)->cli({ "CLUSTER", "SETSLOT", slot, "NODE", toId }),
                QByteArray("OK"));
        QTRY_COMPARE_WITH_TIMEOUT(m_cluster.primaryPortForSlot(ClusterSlot::forKey(key)), to, 10000);
    }

    QSignalSpy mapRead(client.clusterRouter(), &ClusterCommandRouter::topologyChanged);
    const int before = client.clusterRouter()->redirectsFollowed();
    const RedisReply firstSet = roundTrip(*client.commands(), { "SET", first, "1" });
    QVERIFY2(firstSet == RedisReply::status("OK"), qPrintable(firstSet.toDisplayString()));
    QCOMPARE(client.clusterRouter()->redirectsFollowed(), before + 1);
    // The MOVED asked for the whole map, from SLOTS: the second slot's new owner is known too.
    QTRY_VERIFY_WITH_TIMEOUT(client.clusterRouter()->topology().ownerOf(ClusterSlot::forKey(second))
            && client.clusterRouter()->topology().ownerOf(ClusterSlot::forKey(second))->address.port == to,
        10000);
    QVERIFY(!mapRead.isEmpty());
    QCOMPARE(roundTrip(*client.commands(), { "SET", second, "2" }), RedisReply::status("OK"));
    QCOMPARE(client.clusterRouter()->redirectsFollowed(), before + 1);
}
