// End to end against a real redis-server: the catch-up after a reconnect is not fooled by what
// other clients publish, and says so when the stream lost what it should have recovered.
// - two users alternate sends while every subscriber connection is killed (CLIENT KILL TYPE
//   pubsub): both end with the stream's messages, once each, in stream order;
// - a raw client publishes an envelope with a stream ID in the far future: the victim's catch-up
//   still recovers everything it missed, and the forged row is not pinned below new messages;
// - a forged ID inside the range the victim has read is not used for placement;
// - the stream was trimmed while the victim was away: a gap marker stands where entries are gone.
#include "SessionTestSupport.h"
#include "TimelineMirror.h"
#include "redis/RedisClient.h"

#include <QSignalSpy>

using namespace Redwire;
using namespace ChatTest;
using RedwireTest::RedisServerProcess;

namespace {
QByteArray forgedEnvelope(const QByteArray &sid, const QByteArray &from, const QByteArray &text)
{
    return "{\"sid\":\"" + sid + "\",\"v\":1,\"id\":\"forged-" + text + "\",\"kind\":\"message\",\"from\":\""
        + from + "\",\"text\":\"" + text + "\",\"ts\":1}";
}

int rowOfText(const ChatRoom *room, const QString &text)
{
    for (int row = 0; row < room->timeline()->count(); ++row)
        if (room->timeline()->at(row).text == text)
            return row;
    return -1;
}

int rowOfGapMarker(const ChatRoom *room)
{
    for (int row = 0; row < room->timeline()->count(); ++row)
        if (room->timeline()->at(row).historyGap)
            return row;
    return -1;
}

int gapMarkers(const ChatRoom *room)
{
    int markers = 0;
    for (int row = 0; row < room->timeline()->count(); ++row)
        markers += room->timeline()->at(row).historyGap ? 1 : 0;
    return markers;
}
} // namespace

class TestChatHistoryTrust : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void alternatingSendersSurviveSubscriberKills();
    void futureStreamIdDoesNotHideMissedMessages();
    void claimedIdInsideTheReadRangeIsNotPlacement();
    void trimmedHistoryLeavesAVisibleGap();
    void ourNicknameFromElsewhereIsNotOurs();
};

void TestChatHistoryTrust::alternatingSendersSurviveSubscriberKills()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TwoInARoom two = twoInARoom(server);
    const auto &[alice, bob, aliceRoom, bobRoom] = two;
    TimelineMirror aliceMirror(aliceRoom->timeline());
    TimelineMirror bobMirror(bobRoom->timeline());
    QTRY_VERIFY(two.synced());

    constexpr int Rounds = 30;
    for (int i = 0; i < Rounds; ++i) {
        QVERIFY(aliceRoom->sendMessage(QStringLiteral("a%1").arg(i)));
        QVERIFY(bobRoom->sendMessage(QStringLiteral("b%1").arg(i)));
        if (i % 7 == 3)
            server.cli({ QStringLiteral("CLIENT"), QStringLiteral("KILL"), QStringLiteral("TYPE"),
                QStringLiteral("pubsub") });
        if (i % 5 == 0)
            QTRY_VERIFY(allSent(aliceRoom) && allSent(bobRoom));
    }
    QTRY_VERIFY_WITH_TIMEOUT(allSent(aliceRoom) && allSent(bobRoom), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom->isSynced() && bobRoom->isSynced(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(conversation(aliceRoom).size(), 2 * Rounds, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(conversation(bobRoom).size(), 2 * Rounds, 10000);
    QCOMPARE(conversation(aliceRoom), conversation(bobRoom));
    QCOMPARE(checkStreamOrder(aliceRoom), QString());
    QCOMPARE(checkStreamOrder(bobRoom), QString());
    QCOMPARE(aliceMirror.problems(), QString());
    QCOMPARE(bobMirror.problems(), QString());
    // And that order is the stream's.
    ChatConfig wholePage = fastConfig();
    wholePage.pageSize = 1000;
    const auto carol = sessionFor(server, QStringLiteral("carol"), wholePage);
    ChatRoom *carolRoom = carol->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(carolRoom->isSynced());
    QCOMPARE(conversation(carolRoom), conversation(aliceRoom));
}

void TestChatHistoryTrust::futureStreamIdDoesNotHideMissedMessages()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TwoInARoom two = twoInARoom(server);
    const auto &[alice, bob, aliceRoom, bobRoom] = two;
    QTRY_VERIFY(two.synced());
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("before")));
    QTRY_COMPARE(conversation(bobRoom).size(), 1);

    server.cli({ QStringLiteral("PUBLISH"), aliceRoom->address().channel(),
        QString::fromLatin1(forgedEnvelope("99999999999999-0", "mallory", "pinned")) });
    QTRY_VERIFY(rowOfText(bobRoom, QStringLiteral("pinned")) >= 0);
    QVERIFY(bobRoom->timeline()->at(rowOfText(bobRoom, QStringLiteral("pinned"))).streamId.isNull());

    bob->disconnectFromServer();
    for (int i = 1; i <= 20; ++i)
        QVERIFY(aliceRoom->sendMessage(QStringLiteral("missed %1").arg(i)));
    QTRY_VERIFY(allSent(aliceRoom));
    bob->connectToServer();
    QTRY_VERIFY(bobRoom->isSynced());
    QTRY_COMPARE(conversation(bobRoom).filter(QStringLiteral("missed")).size(), 20);
    QCOMPARE(checkStreamOrder(bobRoom), QString());
    // New messages go below the forged one, not above it.
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("after")));
    QTRY_VERIFY(rowOfText(bobRoom, QStringLiteral("after")) >= 0);
    QVERIFY(rowOfText(bobRoom, QStringLiteral("after")) > rowOfText(bobRoom, QStringLiteral("pinned")));
    QCOMPARE(conversation(bobRoom).last(), QStringLiteral("alice: after"));
}

void TestChatHistoryTrust::claimedIdInsideTheReadRangeIsNotPlacement()
{
    // A made-up ID between two real ones that bob has read: placed by arrival, anchoring nothing.
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const auto alice = sessionFor(server, QStringLiteral("alice"));
    ChatRoom *aliceRoom = alice->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(aliceRoom->isSynced());
    for (int i = 1; i <= 3; ++i)
        QVERIFY(aliceRoom->sendMessage(QStringLiteral("real %1").arg(i)));
    QTRY_VERIFY(allSent(aliceRoom));
    const auto bob = sessionFor(server, QStringLiteral("bob"));
    ChatRoom *bobRoom = bob->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(bobRoom->isSynced());
    QCOMPARE(conversation(bobRoom).size(), 3);
    const StreamId first = bobRoom->timeline()->at(rowOfText(bobRoom, QStringLiteral("real 1"))).streamId;
    const QByteArray between = StreamId(first.milliseconds(), first.sequence() + 7).toByteArray();
    server.cli({ QStringLiteral("PUBLISH"), aliceRoom->address().channel(),
        QString::fromLatin1(forgedEnvelope(between, "alice", "inserted")) });
    QTRY_VERIFY(rowOfText(bobRoom, QStringLiteral("inserted")) >= 0);
    QCOMPARE(conversation(bobRoom).last(), QStringLiteral("alice: inserted")); // where it arrived
    QVERIFY(bobRoom->timeline()->at(rowOfText(bobRoom, QStringLiteral("inserted"))).streamId.isNull());
    QCOMPARE(checkStreamOrder(bobRoom), QString());
}

void TestChatHistoryTrust::trimmedHistoryLeavesAVisibleGap()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TwoInARoom two = twoInARoom(server);
    const auto &[alice, bob, aliceRoom, bobRoom] = two;
    QTRY_VERIFY(two.synced());
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("seen")));
    QTRY_COMPARE(conversation(bobRoom).size(), 1);
    QCOMPARE(gapMarkers(bobRoom), 0);

    bob->disconnectFromServer();
    for (int i = 1; i <= 10; ++i)
        QVERIFY(aliceRoom->sendMessage(QStringLiteral("away %1").arg(i)));
    QTRY_VERIFY(allSent(aliceRoom));
    // The stream keeps only the newest 4 entries: "seen" and "away 1".."away 6" are gone.
    server.cli({ QStringLiteral("XTRIM"), QString::fromLatin1(aliceRoom->address().historyKey()),
        QStringLiteral("MAXLEN"), QStringLiteral("4") });
    bob->connectToServer();
    QTRY_VERIFY(bobRoom->isSynced());
    QTRY_COMPARE(conversation(bobRoom).size(), 5);
    QCOMPARE(gapMarkers(bobRoom), 1);
    const int marker = rowOfGapMarker(bobRoom);
    QVERIFY(marker > rowOfText(bobRoom, QStringLiteral("seen")));
    QVERIFY(marker < rowOfText(bobRoom, QStringLiteral("away 7")));
    QCOMPARE(rowOfText(bobRoom, QStringLiteral("away 6")), -1);

    // A reconnect with nothing trimmed adds no marker.
    bob->disconnectFromServer();
    bob->connectToServer();
    QTRY_VERIFY(bobRoom->isSynced());
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("later")));
    QTRY_COMPARE(conversation(bobRoom).size(), 6);
    QCOMPARE(gapMarkers(bobRoom), 1);
}

void TestChatHistoryTrust::ourNicknameFromElsewhereIsNotOurs()
{
    // "Own" means sent by this client: a raw publisher claiming alice's nickname (live, and in
    // the stream) is shown to alice as someone else's message, and counts as unread.
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const auto alice = sessionFor(server, QStringLiteral("alice"));
    ChatRoom *room = alice->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(room->isSynced());
    QVERIFY(room->sendMessage(QStringLiteral("really me")));
    QTRY_VERIFY(allSent(room));
    server.cli({ QStringLiteral("PUBLISH"), room->address().channel(),
        QStringLiteral("{\"v\":1,\"id\":\"not-mine\",\"kind\":\"message\",\"from\":\"alice\",\"text\":\"i am "
                       "alice\",\"ts\":1}") });
    QTRY_VERIFY(rowOfText(room, QStringLiteral("i am alice")) >= 0);
    const ChatMessage &forged = room->timeline()->at(rowOfText(room, QStringLiteral("i am alice")));
    QCOMPARE(forged.sender, QStringLiteral("alice"));
    QVERIFY(!forged.own);
    QCOMPARE(forged.delivery, ChatMessage::Delivery::Received);
    QCOMPARE(room->unreadCount(), 1);
    QVERIFY(room->timeline()->at(rowOfText(room, QStringLiteral("really me"))).own);

    // The same from the stream: a newcomer session under the same nickname did not send either.
    seedHistory(*alice->client()->commands(), room->address(), QStringLiteral("alice"), 1);
    const auto again = sessionFor(server, QStringLiteral("alice"));
    ChatRoom *reopened = again->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(reopened->isSynced());
    QTRY_VERIFY(rowOfText(reopened, QStringLiteral("h1")) >= 0);
    QVERIFY(!reopened->timeline()->at(rowOfText(reopened, QStringLiteral("h1"))).own);
}

QTEST_GUILESS_MAIN(TestChatHistoryTrust)
#include "tst_chathistorytrust.moc"
