// Chat on Redis Cluster: two ChatSessions with a redis+cluster:// address against a real six-node
// cluster (three primaries, a replica each). Rooms whose keys live on different primaries, a
// direct conversation and signed messages work as on one server (every command goes to the node
// serving its key); across `CLUSTER FAILOVER` of a room's primary (MOVED followed) and the
// shutdown of the node alice is on (she moves to another node and catches up from the streams),
// what is sent lands once, in stream order, and nothing is lost.
#include "ClusterSetup.h"
#include "SessionTestSupport.h"

#include "redis/ClusterCommandRouter.h"
#include "redis/ClusterSlot.h"
#include "redis/RedisClient.h"
#include "redis/RedisSubscription.h"

#include <QRegularExpression>
#include <QSignalSpy>

using namespace Redwire;
using namespace ChatTest;
using RedwireTest::ClusterSetup;
using RedwireTest::RedisServerProcess;

namespace {
// Two room names whose keys live on different primaries.
QPair<QString, QString> roomsOnTwoPrimaries(ClusterSetup &cluster)
{
    const QString first = QStringLiteral("chat");
    const quint16 firstOwner
        = cluster.primaryPortForSlot(ClusterSlot::forKey(RoomAddress::room(first).historyKey()));
    for (int i = 0; i < 100; ++i) {
        const QString other = QStringLiteral("ops%1").arg(i);
        if (cluster.primaryPortForSlot(ClusterSlot::forKey(RoomAddress::room(other).historyKey()))
            != firstOwner)
            return { first, other };
    }
    return { first, first };
}

// The replica of the primary at `primaryPort`, or nullptr.
RedisServerProcess *replicaOf(ClusterSetup &cluster, quint16 primaryPort)
{
    for (int i = 0; i < ClusterSetup::NodeCount; ++i) {
        RedisServerProcess &node = cluster.node(i);
        if (!node.isRunning())
            continue;
        const QByteArray info = node.cli({ "INFO", "replication" });
        if (RedisServerProcess::infoField(info, "role") == "slave"
            && RedisServerProcess::infoField(info, "master_port").toUInt() == primaryPort)
            return &node;
    }
    return nullptr;
}
} // namespace

class TestChatCluster : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chatAcrossTheCluster();
    void roomsLiveOnTheirShardChannel();
    void chatAcrossASlotMigration();
};

void TestChatCluster::chatAcrossTheCluster()
{
    // A join shown live before the first page (which holds it but shows one join per stay) was
    // taken for a forged stream ID: a timing that the cluster's extra connections made common.
    QTest::failOnWarning(QRegularExpression(QStringLiteral("claimed stream IDs")));
    ClusterSetup cluster;
    QVERIFY2(cluster.start(), qPrintable(cluster.errorString()));
    const auto [roomA, roomB] = roomsOnTwoPrimaries(cluster);
    QVERIFY(roomA != roomB);

    const auto alice = sessionForUrl(cluster.url(), QStringLiteral("alice"));
    const auto bob = sessionForUrl(cluster.url(), QStringLiteral("bob"));
    ChatRoom *aliceA = alice->joinRoom(roomA);
    ChatRoom *bobA = bob->joinRoom(roomA);
    ChatRoom *aliceB = alice->joinRoom(roomB);
    ChatRoom *bobB = bob->joinRoom(roomB);
    QTRY_VERIFY_WITH_TIMEOUT(
        aliceA->isSynced() && bobA->isSynced() && aliceB->isSynced() && bobB->isSynced(), 20000);

    QVERIFY(aliceA->sendMessage(QStringLiteral("hello %1").arg(roomA)));
    QVERIFY(bobB->sendMessage(QStringLiteral("hello %1").arg(roomB)));
    QTRY_COMPARE_WITH_TIMEOUT(
        conversation(bobA), QStringList { QStringLiteral("alice: hello %1").arg(roomA) }, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(
        conversation(aliceB), QStringList { QStringLiteral("bob: hello %1").arg(roomB) }, 20000);
    // Stored on the primaries that serve the rooms' keys, not on the node the sessions are on.
    for (const QString &room : { roomA, roomB }) {
        const QByteArray key = RoomAddress::room(room).historyKey();
        RedisServerProcess *owner = cluster.nodeOnPort(cluster.primaryPortForSlot(ClusterSlot::forKey(key)));
        QVERIFY(owner);
        const QByteArray length = owner->cli({ "XLEN", QString::fromUtf8(key) });
        QVERIFY2(length.toInt() >= 1, length.constData());
    }

    // A direct conversation: its keys have a tag of their own.
    ChatRoom *toBob = alice->openDirect(QStringLiteral("bob"));
    QVERIFY(toBob);
    QVERIFY(toBob->sendMessage(QStringLiteral("psst")));
    QTRY_VERIFY_WITH_TIMEOUT(bob->directRoom(QStringLiteral("alice")) != nullptr, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(conversation(bob->directRoom(QStringLiteral("alice"))),
        QStringList { QStringLiteral("alice: psst") }, 20000);

    // CLUSTER FAILOVER of room A's primary: its replica takes over, the old primary answers
    // MOVED for the room's keys, and the router follows.
    const QByteArray keyA = RoomAddress::room(roomA).historyKey();
    const quint16 oldPrimary = cluster.primaryPortForSlot(ClusterSlot::forKey(keyA));
    RedisServerProcess *replica = replicaOf(cluster, oldPrimary);
    QVERIFY(replica);
    QCOMPARE(replica->cli({ "CLUSTER", "FAILOVER" }), QByteArray("OK"));
    QTRY_COMPARE_WITH_TIMEOUT(cluster.primaryPortForSlot(ClusterSlot::forKey(keyA)), replica->port(), 20000);
    QVERIFY(cluster.waitUntilHealthy());
    const int redirectsBefore = alice->client()->clusterRouter()->redirectsFollowed();
    for (int i = 1; i <= 3; ++i)
        QVERIFY(aliceA->sendMessage(QStringLiteral("after failover %1").arg(i)));
    QTRY_VERIFY_WITH_TIMEOUT(allSent(aliceA), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(conversation(bobA).size(), 4, 20000);
    QCOMPARE(conversation(bobA), conversation(aliceA));
    // Alice's map names the new primary (learnt from MOVED, or from the map read again after the
    // old primary stopped answering during the failover).
    const ClusterCommandRouter *router = alice->client()->clusterRouter();
    QTRY_COMPARE_WITH_TIMEOUT(
        router->topology().ownerOf(ClusterSlot::forKey(keyA))->address.port, replica->port(), 20000);
    qInfo("redirections followed during the failover: %d", router->redirectsFollowed() - redirectsBefore);

    // The node alice is on goes: she moves to another node, and what bob sends meanwhile comes
    // to her from the streams.
    QSignalSpy aliceMoved(alice->client(), &RedisClient::clusterNodeChanged);
    const quint16 aliceNode = alice->client()->subscriber()->options().port;
    RedisServerProcess *gone = cluster.nodeOnPort(aliceNode);
    QVERIFY(gone);
    gone->stop();
    for (int i = 1; i <= 2; ++i)
        QVERIFY(bobB->sendMessage(QStringLiteral("while alice moves %1").arg(i)));
    QTRY_VERIFY_WITH_TIMEOUT(!aliceMoved.isEmpty(), 30000);
    QVERIFY(alice->client()->subscriber()->options().port != aliceNode);
    QTRY_VERIFY_WITH_TIMEOUT(allSent(bobB), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(conversation(aliceB), conversation(bobB), 30000);
    QCOMPARE(conversation(aliceB).size(), 3);
    QVERIFY(aliceA->sendMessage(QStringLiteral("back")));
    QTRY_COMPARE_WITH_TIMEOUT(conversation(bobA).size(), 5, 30000);
    QCOMPARE(conversation(bobA), conversation(aliceA));
    for (const ChatRoom *room : { aliceA, bobA, aliceB, bobB })
        QCOMPARE(checkStreamOrder(room), QString());
}

namespace {
// Connected to the cluster as a plain program would read a room: its shard channel.
std::unique_ptr<RedisClient> shardReader(const ClusterSetup &cluster)
{
    auto reader = std::make_unique<RedisClient>(ConnectionOptions::fromUrl(cluster.url()));
    reader->connectToServer();
    return reader;
}

int shardSubscribers(RedisServerProcess *node, const QByteArray &channel)
{
    const QList<QByteArray> answer
        = node->cli({ QStringLiteral("PUBSUB"), QStringLiteral("SHARDNUMSUB"), QString::fromUtf8(channel) })
              .split('\n');
    return answer.size() == 2 ? answer.at(1).toInt() : -1;
}
} // namespace

// On a cluster a room's messages are SPUBLISHed on its shard channel, on the primary that stores
// its history: every member is subscribed there (and nowhere else for it), a plain reader
// subscribed to the shard channel gets the published envelope, and what a plain client PUBLISHes
// on the room's classic channel still shows in the room.
void TestChatCluster::roomsLiveOnTheirShardChannel()
{
    ClusterSetup cluster;
    QVERIFY2(cluster.start(), qPrintable(cluster.errorString()));
    const RoomAddress address = RoomAddress::room(QStringLiteral("chat"));
    const QByteArray live = address.liveShardChannel();
    QCOMPARE(live, QByteArray("redwire:{room:chat}:live"));
    QCOMPARE(ClusterSlot::forKey(live), ClusterSlot::forKey(address.historyKey()));
    RedisServerProcess *owner = cluster.nodeOnPort(cluster.primaryPortForSlot(ClusterSlot::forKey(live)));
    QVERIFY(owner);

    const auto reader = shardReader(cluster);
    RedisSubscription *readerLive = reader->subscribeShardChannel(live);
    QVERIFY(readerLive);
    QSignalSpy envelopes(readerLive, &RedisSubscription::messageReceived);
    const auto alice = sessionForUrl(cluster.url(), QStringLiteral("alice"));
    const auto bob = sessionForUrl(cluster.url(), QStringLiteral("bob"));
    ChatRoom *aliceRoom = alice->joinRoom(address.name());
    ChatRoom *bobRoom = bob->joinRoom(address.name());
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom->isSynced() && bobRoom->isSynced(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(readerLive->state(), RedisSubscription::State::Active, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(shardSubscribers(owner, live), 3, 10000);
    for (int i = 0; i < ClusterSetup::NodeCount; ++i)
        if (&cluster.node(i) != owner)
            QCOMPARE(shardSubscribers(&cluster.node(i), live), 0);

    envelopes.clear();
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("over the shard")));
    QTRY_COMPARE_WITH_TIMEOUT(
        conversation(bobRoom), QStringList { QStringLiteral("alice: over the shard") }, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!envelopes.isEmpty(), 10000);
    bool seen = false;
    for (const QList<QVariant> &envelope : std::as_const(envelopes)) {
        const QByteArray payload = envelope.at(1).toByteArray();
        seen = seen
            || (payload.startsWith("{\"sid\":\"") && payload.contains("\"text\":\"over the shard\"")
                && payload.contains("\"from\":\"alice\""));
    }
    QVERIFY2(seen, envelopes.last().at(1).toByteArray().constData());

    // A plain client's PUBLISH on the room's channel, on a node that does not store the room.
    RedisServerProcess *elsewhere = nullptr;
    for (int i = 0; i < ClusterSetup::NodeCount && !elsewhere; ++i)
        if (&cluster.node(i) != owner)
            elsewhere = &cluster.node(i);
    // (Its answer counts that node's own subscribers only: not checked.)
    QVERIFY(
        !elsewhere->cli({ QStringLiteral("PUBLISH"), QStringLiteral("chat"), QStringLiteral("plain hello") })
             .isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(conversation(aliceRoom).size(), 2, 20000);
    QCOMPARE(conversation(aliceRoom).last(), QStringLiteral("?: plain hello"));
    QTRY_COMPARE_WITH_TIMEOUT(conversation(bobRoom), conversation(aliceRoom), 20000);

    // Leaving the room leaves its shard channel.
    alice->leaveRoom(aliceRoom);
    QTRY_COMPARE_WITH_TIMEOUT(shardSubscribers(owner, live), 2, 10000);
}

// Two users chat while the room's slot moves to another primary by hand (IMPORTING/MIGRATING,
// the keys MIGRATEd, SETSLOT NODE): sends wait while the slot migrates (TRYAGAIN on the old
// owner, ASK then TRYAGAIN on the new one), then go to the new owner. The old owner ends
// everyone's shard subscription when the slot goes; the clients follow it, and what was published on the new
// owner before they got there comes from the stream. Counted: every message typed is shown once,
// to both, in stream order.
void TestChatCluster::chatAcrossASlotMigration()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral("claimed stream IDs")));
    ClusterSetup cluster;
    QVERIFY2(cluster.start(), qPrintable(cluster.errorString()));
    const RoomAddress address = RoomAddress::room(QStringLiteral("chat"));
    const quint16 slot = ClusterSlot::forKey(address.historyKey());
    const quint16 from = cluster.primaryPortForSlot(slot);
    quint16 to = 0;
    for (const quint16 probe : { 0, 8000, 16000 })
        if (cluster.primaryPortForSlot(probe) != from)
            to = cluster.primaryPortForSlot(probe);
    QVERIFY(from && to && from != to);

    const auto alice = sessionForUrl(cluster.url(), QStringLiteral("alice"));
    const auto bob = sessionForUrl(cluster.url(), QStringLiteral("bob"));
    ChatRoom *aliceRoom = alice->joinRoom(address.name());
    ChatRoom *bobRoom = bob->joinRoom(address.name());
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom->isSynced() && bobRoom->isSynced(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(
        shardSubscribers(cluster.nodeOnPort(from), address.liveShardChannel()), 2, 10000);

    QStringList typed;
    const auto say = [&](ChatRoom *room, const QString &who, const QString &phase) {
        for (int i = 1; i <= 3; ++i) {
            const QString text = QStringLiteral("%1 %2").arg(phase).arg(i);
            QVERIFY(room->sendMessage(text));
            typed.append(who + QStringLiteral(": ") + text);
        }
    };
    say(bobRoom, QStringLiteral("bob"), QStringLiteral("before"));
    QTRY_VERIFY_WITH_TIMEOUT(allSent(bobRoom), 20000);

    // While the slot migrates, a send cannot run anywhere: its script creates a key (the "sent"
    // marker), and a node answers TRYAGAIN to a command on a migrating slot whose keys are not
    // all there (on the old owner while the stream is still there, on the new one, after ASK,
    // once it has moved). The messages stay queued, not failed, until the slot has its owner.
    const auto tryAgainsOn = [&](quint16 port) {
        const QByteArray stats
            = cluster.nodeOnPort(port)->cli({ QStringLiteral("INFO"), QStringLiteral("errorstats") });
        const QByteArray field = RedisServerProcess::infoField(stats, "errorstat_TRYAGAIN"); // count=N
        return field.mid(field.indexOf('=') + 1).toInt();
    };
    const auto noneFailed = [](const ChatRoom *room) {
        for (int row = 0; row < room->timeline()->count(); ++row)
            if (room->timeline()->at(row).delivery == ChatMessage::Delivery::Failed)
                return false;
        return true;
    };
    QVERIFY2(cluster.beginSlotMigration(slot, from, to), qPrintable(cluster.errorString()));
    say(aliceRoom, QStringLiteral("alice"), QStringLiteral("migrating"));
    QTRY_VERIFY_WITH_TIMEOUT(tryAgainsOn(from) >= 1, 10000);
    QVERIFY(!allSent(aliceRoom));

    QVERIFY2(cluster.migrateSlotKeys(slot, from, to), qPrintable(cluster.errorString()));
    const int redirectsBefore = bob->client()->clusterRouter()->redirectsFollowed();
    say(bobRoom, QStringLiteral("bob"), QStringLiteral("keys moved"));
    // Long enough for both sends in flight (alice's, bob's) to run out of retries (six answers
    // TRYAGAIN each, 3.1 s): they stay queued. (They were marked failed, "ASK …": each retry went
    // through the old owner again and spent one of the five redirections.)
    QTRY_VERIFY_WITH_TIMEOUT(tryAgainsOn(to) >= 12, 30000);
    QVERIFY(bob->client()->clusterRouter()->redirectsFollowed() > redirectsBefore); // ASK
    QVERIFY(!allSent(bobRoom));
    QVERIFY(noneFailed(aliceRoom) && noneFailed(bobRoom));

    QVERIFY2(cluster.finishSlotMigration(slot, to), qPrintable(cluster.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(allSent(aliceRoom) && allSent(bobRoom), 30000);
    say(aliceRoom, QStringLiteral("alice"), QStringLiteral("after"));
    say(bobRoom, QStringLiteral("bob"), QStringLiteral("after"));
    QTRY_VERIFY_WITH_TIMEOUT(allSent(aliceRoom) && allSent(bobRoom), 30000);
    QVERIFY(noneFailed(aliceRoom) && noneFailed(bobRoom));

    // Both subscribed where the room lives now, nobody on the old owner.
    QTRY_COMPARE_WITH_TIMEOUT(shardSubscribers(cluster.nodeOnPort(to), address.liveShardChannel()), 2, 20000);
    QCOMPARE(shardSubscribers(cluster.nodeOnPort(from), address.liveShardChannel()), 0);
    // Everything typed, once each, to both; the order of what waited for the migration, and of
    // the two "after" runs, is the server's.
    QTRY_COMPARE_WITH_TIMEOUT(conversation(aliceRoom).size(), typed.size(), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(conversation(bobRoom), conversation(aliceRoom), 30000);
    QStringList shown = conversation(aliceRoom);
    QCOMPARE(shown.mid(0, 3), typed.mid(0, 3));
    shown.sort();
    typed.sort();
    QCOMPARE(shown, typed);
    for (const ChatRoom *room : { aliceRoom, bobRoom })
        QCOMPARE(checkStreamOrder(room), QString());
    QCOMPARE(cluster.nodeOnPort(to)
                 ->cli({ QStringLiteral("XLEN"), QString::fromUtf8(address.historyKey()) })
                 .toInt()
            >= typed.size(),
        true);
}

QTEST_GUILESS_MAIN(TestChatCluster)
#include "tst_chatcluster.moc"
