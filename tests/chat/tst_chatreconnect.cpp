// End to end across outages: ChatSessions on one real redis-server while a client disconnects,
// or the server is stopped and restarted (with and without persistence). Messages typed meanwhile
// wait as pending and go out once; messages missed are read back; nothing is lost or duplicated.
#include "chat/Outbox.h"

#include "SessionTestSupport.h"
#include "TimelineMirror.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace Redwire;
using namespace ChatTest;
using RedwireTest::RedisServerProcess;
using Delivery = ChatMessage::Delivery;

class TestChatReconnect : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sendWhileDisconnectedGoesOutOnReconnect();
    void missedMessagesAreRecoveredAfterReconnect();
    void serverRestartWithPersistenceLosesNothing();
    void serverRestartWithoutPersistenceLosesNothingSent();
    void unsentMessagesSurviveAnAppKill();
    void joinsAreNotRepeatedAfterARestart();
};

void TestChatReconnect::sendWhileDisconnectedGoesOutOnReconnect()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const auto alice = sessionFor(server, QStringLiteral("alice"));
    const auto bob = sessionFor(server, QStringLiteral("bob"));
    ChatRoom *aliceRoom = alice->joinRoom(QStringLiteral("chat"));
    ChatRoom *bobRoom = bob->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(aliceRoom->isSynced() && bobRoom->isSynced());

    alice->disconnectFromServer();
    QVERIFY(!alice->isConnected());
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("one")));
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("two")));
    const RoomTimeline *timeline = aliceRoom->timeline();
    QCOMPARE(timeline->unplacedCount(), 2);
    QCOMPARE(timeline->at(timeline->count() - 1).delivery, Delivery::Pending);
    QCOMPARE(alice->outbox()->count(), 2);

    alice->connectToServer();
    QTRY_VERIFY(allSent(aliceRoom));
    QTRY_COMPARE(conversation(bobRoom), QStringList({ "alice: one", "alice: two" }));
    QCOMPARE(conversation(aliceRoom), conversation(bobRoom));
    QCOMPARE(alice->outbox()->count(), 0);
}

void TestChatReconnect::missedMessagesAreRecoveredAfterReconnect()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const auto alice = sessionFor(server, QStringLiteral("alice"));
    const auto bob = sessionFor(server, QStringLiteral("bob"));
    ChatRoom *aliceRoom = alice->joinRoom(QStringLiteral("chat"));
    ChatRoom *bobRoom = bob->joinRoom(QStringLiteral("chat"));
    TimelineMirror bobMirror(bobRoom->timeline());
    QTRY_VERIFY(aliceRoom->isSynced() && bobRoom->isSynced());
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("before")));
    QTRY_COMPARE(conversation(bobRoom).size(), 1);

    bob->disconnectFromServer();
    for (int i = 1; i <= 3; ++i)
        QVERIFY(aliceRoom->sendMessage(QStringLiteral("while away %1").arg(i)));
    QTRY_VERIFY(allSent(aliceRoom));
    QCOMPARE(conversation(bobRoom).size(), 1);
    bob->connectToServer();
    QTRY_COMPARE(conversation(bobRoom), conversation(aliceRoom));
    QTRY_VERIFY(bobRoom->isSynced());
    // Not in view: the live one and the three recovered (counted once their senders are judged,
    // at an idle pace).
    QTRY_COMPARE(bobRoom->unreadCount(), 4);
    QCOMPARE(checkStreamOrder(bobRoom), QString());
    QCOMPARE(bobMirror.problems(), QString());
}

void TestChatReconnect::serverRestartWithPersistenceLosesNothing()
{
    // With an append-only file, a restart keeps the history: nothing typed before, during or after
    // the outage is lost or duplicated, in the clients or in the stream.
    RedisServerProcess server;
    RedisServerProcess::Options options;
    options.extraConfig << QStringLiteral("appendonly yes") << QStringLiteral("appendfsync always");
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    const auto alice = sessionFor(server, QStringLiteral("alice"));
    const auto bob = sessionFor(server, QStringLiteral("bob"));
    ChatRoom *aliceRoom = alice->joinRoom(QStringLiteral("chat"));
    ChatRoom *bobRoom = bob->joinRoom(QStringLiteral("chat"));
    TimelineMirror aliceMirror(aliceRoom->timeline());
    TimelineMirror bobMirror(bobRoom->timeline());
    QTRY_VERIFY(aliceRoom->isSynced() && bobRoom->isSynced());
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("a1")));
    QVERIFY(bobRoom->sendMessage(QStringLiteral("b1")));
    QTRY_VERIFY(allSent(aliceRoom) && allSent(bobRoom));
    QTRY_COMPARE(conversation(bobRoom).size(), 2);

    server.stop();
    QTRY_VERIFY(!alice->isConnected() && !bob->isConnected());
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("a2 (offline)")));
    QVERIFY(bobRoom->sendMessage(QStringLiteral("b2 (offline)")));
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("a3 (offline)")));
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(alice->isConnected() && bob->isConnected(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(allSent(aliceRoom) && allSent(bobRoom), 10000);
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("a4")));
    QTRY_COMPARE_WITH_TIMEOUT(conversation(bobRoom).size(), 6, 10000);
    QTRY_COMPARE(conversation(aliceRoom).size(), 6);
    QTRY_VERIFY(aliceRoom->isSynced() && bobRoom->isSynced());
    QCOMPARE(conversation(aliceRoom), conversation(bobRoom));
    for (const char *text : { "a1", "b1", "a2 (offline)", "b2 (offline)", "a3 (offline)", "a4" })
        QCOMPARE(conversation(aliceRoom).filter(QStringLiteral(": ") + text).size(), 1);
    QCOMPARE(checkStreamOrder(aliceRoom), QString());
    QCOMPARE(checkStreamOrder(bobRoom), QString());
    QCOMPARE(aliceMirror.problems(), QString());
    QCOMPARE(bobMirror.problems(), QString());

    // A newcomer reads the whole conversation from the stream that survived the restart.
    const auto carol = sessionFor(server, QStringLiteral("carol"));
    ChatRoom *carolRoom = carol->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(carolRoom->isSynced());
    QCOMPARE(conversation(carolRoom), conversation(aliceRoom));
}

void TestChatReconnect::serverRestartWithoutPersistenceLosesNothingSent()
{
    // Without persistence the server forgets the history; the clients keep theirs. Messages typed
    // during the outage go out after it, once, and new stream IDs sort after the old ones (they
    // are time based), so catching up from the last ID held still works.
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const auto alice = sessionFor(server, QStringLiteral("alice"));
    const auto bob = sessionFor(server, QStringLiteral("bob"));
    ChatRoom *aliceRoom = alice->joinRoom(QStringLiteral("chat"));
    ChatRoom *bobRoom = bob->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(aliceRoom->isSynced() && bobRoom->isSynced());
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("a1")));
    QTRY_COMPARE(conversation(bobRoom).size(), 1);

    server.stop();
    QTRY_VERIFY(!alice->isConnected());
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("a2 (offline)")));
    QVERIFY(bobRoom->sendMessage(QStringLiteral("b2 (offline)")));
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(allSent(aliceRoom) && allSent(bobRoom), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(conversation(bobRoom).size(), 3, 10000);
    QTRY_COMPARE(conversation(aliceRoom).size(), 3);
    QCOMPARE(conversation(aliceRoom), conversation(bobRoom));
    QCOMPARE(checkStreamOrder(aliceRoom), QString());
    // The stream holds what was sent since the restart (and the joins announced again).
    const QByteArray stored = server.cli({ "XRANGE", "redwire:{room:chat}:history", "-", "+" });
    QVERIFY(!stored.contains("\"text\":\"a1\""));
    QVERIFY(stored.contains("\"text\":\"a2 (offline)\"") && stored.contains("\"text\":\"b2 (offline)\""));
}

void TestChatReconnect::unsentMessagesSurviveAnAppKill()
{
    // Five messages typed while the server is unreachable are on disk at once (0600, in a 0700
    // folder); a session that ends without a word (as after kill -9) leaves them there, and the
    // next session under the same nickname on the same server sends each exactly once, even when
    // the server had already stored them (the file then still lists them).
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QTemporaryDir data;
    QVERIFY(data.isValid());
    ChatConfig config = fastConfig();
    config.outboxDirectory = data.filePath(QStringLiteral("outbox"));
    const QStringList texts = { "one", "two", "three", "four", "five" };

    auto first = std::make_unique<ChatSession>(config);
    first->setConnectionOptions(optionsFor(server));
    first->setNickname(QStringLiteral("alice"));
    ChatRoom *room = first->joinRoom(QStringLiteral("chat"));
    first->connectToServer();
    QTRY_VERIFY(room->isSynced());
    first->disconnectFromServer();
    for (const QString &text : texts)
        QVERIFY(room->sendMessage(text));
    const QDir folder(config.outboxDirectory);
    const QStringList files = folder.entryList({ QStringLiteral("outbox-*.json") }, QDir::Files);
    QCOMPARE(files.size(), 1);
    const QString file = folder.filePath(files.first());
    QCOMPARE(QFile::permissions(file) & 0x7077, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QCOMPARE(QFile::permissions(config.outboxDirectory) & 0x7077,
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QVERIFY(QFile::copy(file, file + QStringLiteral(".copy")));
    first.reset(); // gone without sending

    auto second = sessionFor(server, QStringLiteral("alice"), config);
    ChatRoom *again = second->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(allSent(again));
    QTRY_VERIFY(again->isSynced());
    QTRY_COMPARE(conversation(again).size(), texts.size());
    QVERIFY(!QFile::exists(file)); // nothing left to keep

    // As if the app died after the server stored them but before the file was rewritten.
    second.reset();
    QVERIFY(QFile::rename(file + QStringLiteral(".copy"), file));
    auto third = sessionFor(server, QStringLiteral("alice"), config);
    ChatRoom *third_room = third->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(allSent(third_room));
    QTRY_VERIFY(third_room->isSynced());
    QTRY_VERIFY(!QFile::exists(file));
    QStringList expected;
    for (const QString &text : texts)
        expected << QStringLiteral("alice: ") + text;
    QCOMPARE(conversation(third_room), expected);
    const QByteArray stored = server.cli({ "XRANGE", "redwire:{room:chat}:history", "-", "+" });
    for (const QString &text : texts)
        QCOMPARE(stored.count(QByteArray("\"text\":\"") + text.toUtf8() + '"'), 1);
}

void TestChatReconnect::joinsAreNotRepeatedAfterARestart()
{
    // A restart without persistence empties the presence set: everyone announces a join again.
    // Nobody left, so nobody's join is shown twice.
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TwoInARoom two = twoInARoom(server);
    const auto &[alice, bob, aliceRoom, bobRoom] = two;
    QTRY_VERIFY(two.synced());
    QTRY_COMPARE(bobRoom->members(), QStringList({ "alice", "bob" }));
    auto joinsOf = [](const ChatRoom *room, const QString &who) {
        int joins = 0;
        for (int row = 0; row < room->timeline()->count(); ++row) {
            const ChatMessage &message = room->timeline()->at(row);
            joins += message.kind == ChatEnvelope::Kind::Join && message.sender == who ? 1 : 0;
        }
        return joins;
    };
    QTRY_COMPARE(joinsOf(bobRoom, QStringLiteral("alice")), 1);
    for (int restart = 0; restart < 2; ++restart) {
        server.stop();
        QTRY_VERIFY(!alice->isConnected() && !bob->isConnected());
        QVERIFY2(server.restart(), qPrintable(server.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(aliceRoom->isSynced() && bobRoom->isSynced(), 10000);
        // Both announced themselves again (the stream has the joins) ...
        QTRY_VERIFY_WITH_TIMEOUT(
            server.cli({ "XRANGE", "redwire:{room:chat}:history", "-", "+" }).count("\"join\"") >= 2, 10000);
        QVERIFY(aliceRoom->sendMessage(QStringLiteral("after restart %1").arg(restart)));
        QTRY_VERIFY_WITH_TIMEOUT(
            conversation(bobRoom).contains(QStringLiteral("alice: after restart %1").arg(restart)), 10000);
    }
    // ... and bob shows alice's join once.
    QCOMPARE(joinsOf(bobRoom, QStringLiteral("alice")), 1);
    QCOMPARE(joinsOf(aliceRoom, QStringLiteral("bob")), 1);
}

QTEST_GUILESS_MAIN(TestChatReconnect)
#include "tst_chatreconnect.moc"
