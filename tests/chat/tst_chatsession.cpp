// End to end: ChatSessions on one real redis-server. Two clients exchange messages; redis-cli's
// PUBLISH shows up as an external message; a plain SUBSCRIBE reads ours; history on joining,
// older pages and the memory bound; direct messages; unread counts and mentions; presence and
// typing through the session. Outages and restarts: tst_chatreconnect.
#include "chat/Outbox.h"

#include "SessionTestSupport.h"
#include "TimelineMirror.h"

#include "redis/RedisClient.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>

using namespace Redwire;
using namespace ChatTest;
using RedwireTest::RedisServerProcess;
using Delivery = ChatMessage::Delivery;

class TestChatSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void twoClientsExchangeMessages();
    void redisCliPublishAppearsAsExternal();
    void plainSubscriberReadsOurMessages();
    void historyOnJoinAndOlderPages();
    void directMessages();
    void memoryBoundRereadsOlderPages();
    void unreadCountsAndMentions();
    void presenceAndTyping();
    void refusesBadInput();
    void refusedRoomSaysWhyAndIsAskedAgain();
    void strangersOpenRequests();
};

void TestChatSession::initTestCase()
{
    qRegisterMetaType<ChatMessage>();
}

void TestChatSession::twoClientsExchangeMessages()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const auto alice = sessionFor(server, QStringLiteral("alice"));
    const auto bob = sessionFor(server, QStringLiteral("bob"));
    ChatRoom *aliceRoom = alice->joinRoom(QStringLiteral("chat"));
    ChatRoom *bobRoom = bob->joinRoom(QStringLiteral("chat"));
    QVERIFY(aliceRoom && bobRoom);
    QCOMPARE(alice->joinRoom(QStringLiteral("chat")), aliceRoom); // the same room again
    TimelineMirror aliceMirror(aliceRoom->timeline());
    TimelineMirror bobMirror(bobRoom->timeline());
    QTRY_VERIFY(aliceRoom->isSynced() && bobRoom->isSynced());

    QVERIFY(aliceRoom->sendMessage(QStringLiteral("hi bob")));
    QVERIFY(bobRoom->sendMessage(QStringLiteral("hi alice")));
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("how are you?")));
    QVERIFY(bobRoom->sendMessage(QStringLiteral("fine")));
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("good")));
    QTRY_COMPARE(conversation(aliceRoom).size(), 5);
    QTRY_COMPARE(conversation(bobRoom).size(), 5);
    QTRY_VERIFY(allSent(aliceRoom) && allSent(bobRoom));
    // Both see the same conversation, in the server's order, each message once.
    QCOMPARE(conversation(aliceRoom), conversation(bobRoom));
    QCOMPARE(checkStreamOrder(aliceRoom), QString());
    QCOMPARE(checkStreamOrder(bobRoom), QString());
    // Each sender's own messages stay in the order they were typed.
    QCOMPARE(conversation(aliceRoom).filter(QStringLiteral("alice: ")),
        QStringList({ "alice: hi bob", "alice: how are you?", "alice: good" }));
    int own = 0;
    for (int row = 0; row < aliceRoom->timeline()->count(); ++row)
        own += aliceRoom->timeline()->at(row).own ? 1 : 0;
    QVERIFY(own >= 3); // alice's three messages (and her join notice)
    QCOMPARE(aliceMirror.problems(), QString());
    QCOMPARE(bobMirror.problems(), QString());
    QCOMPARE(
        server.cli({ "XLEN", QStringLiteral("redwire:{room:chat}:history") }).toInt(), 5 + 2); // + 2 joins
}

void TestChatSession::redisCliPublishAppearsAsExternal()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChatConfig config = ChatTest::fastConfig();
    config.payloadLimitBytes = 1024;
    const auto alice = sessionFor(server, QStringLiteral("alice"), config);
    ChatRoom *room = alice->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(room->isSynced());
    QCOMPARE(server.cli({ "PUBLISH", "chat", "hello" }), QByteArray("1"));
    QTRY_COMPARE(conversation(room), QStringList({ "?: hello" }));
    const ChatMessage &message = room->timeline()->at(room->timeline()->count() - 1);
    QVERIFY(message.external);
    QVERIFY(message.sender.isEmpty());
    QVERIFY(message.streamId.isNull());
    QCOMPARE(message.delivery, Delivery::Received);

    // Hostile: bidi overrides, JSON that is almost ours, something over the limit.
    server.cli({ "PUBLISH", "chat", QStringLiteral("evil \u202Egnp.exe") });
    server.cli({ "PUBLISH", "chat", QStringLiteral("{\"v\":1,\"kind\":\"message\",\"from\":\"mallory\"}") });
    server.cli({ "PUBLISH", "chat", QString(5000, u'z') });
    QTRY_COMPARE(conversation(room).size(), 4);
    const RoomTimeline *timeline = room->timeline();
    const int last = timeline->count() - 1;
    QCOMPARE(timeline->at(last - 2).text, QStringLiteral("evil gnp.exe"));
    QVERIFY(timeline->at(last - 2).raw.contains("\xe2\x80\xae"));
    QVERIFY(timeline->at(last - 1).external); // no "id": not an envelope
    QVERIFY(timeline->at(last).truncated);
    QCOMPARE(timeline->at(last).rawSize, qsizetype(5000));
    QVERIFY(timeline->at(last).text.endsWith(ChatEnvelope::truncationMarker(1024, 5000)));
}

void TestChatSession::plainSubscriberReadsOurMessages()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QProcess subscriber;
    subscriber.start(QStandardPaths::findExecutable(QStringLiteral("redis-cli")),
        server.cliConnectionArgs() + QStringList { QStringLiteral("SUBSCRIBE"), QStringLiteral("chat") });
    QVERIFY(subscriber.waitForStarted(5000));
    QTRY_COMPARE(server.cli({ "PUBSUB", "NUMSUB", "chat" }), QByteArray("chat\n1"));

    const auto alice = sessionFor(server, QStringLiteral("alice"));
    ChatRoom *room = alice->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(room->isSynced());
    QVERIFY(room->sendMessage(QStringLiteral("readable by anyone")));
    QByteArray output;
    QTRY_VERIFY((output += subscriber.readAllStandardOutput()).contains("readable by anyone"));
    QVERIFY(output.contains("\"sid\":\""));
    QVERIFY(output.contains("\"from\":\"alice\""));
    subscriber.kill();
    subscriber.waitForFinished(5000);
}

void TestChatSession::historyOnJoinAndOlderPages()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    CommandConnection seeder(ChatTest::optionsFor(server));
    QSignalSpy connected(&seeder, &RedisConnection::connected);
    seeder.connectToServer();
    QVERIFY(connected.wait(5000));
    const RoomAddress address = RoomAddress::room(QStringLiteral("chat"));
    seedHistory(seeder, address, QStringLiteral("bob"), 120);

    const auto carol = sessionFor(server, QStringLiteral("carol"));
    ChatRoom *room = carol->joinRoom(QStringLiteral("chat"));
    TimelineMirror mirror(room->timeline());
    QTRY_VERIFY(room->isSynced());
    // The latest 50 entries: h71..h120, or h72..h120 when carol's own join (stored by her first
    // heartbeat) was already among them.
    const QStringList latest = conversation(room);
    QVERIFY2(latest.size() == 50 || latest.size() == 49, qPrintable(latest.join(u',')));
    for (int i = 0; i < latest.size(); ++i)
        QCOMPARE(latest.at(i), QStringLiteral("bob: h%1").arg(121 - latest.size() + i));
    QVERIFY(room->hasOlderMessages());
    QCOMPARE(room->unreadCount(), 0); // history is not news

    QVERIFY(room->loadOlderMessages());
    QVERIFY(room->isLoadingOlderMessages());
    QVERIFY(!room->loadOlderMessages()); // one page at a time
    QTRY_VERIFY(!room->isLoadingOlderMessages());
    QCOMPARE(conversation(room).first(), QStringLiteral("bob: h%1").arg(121 - latest.size() - 50));
    QVERIFY(room->loadOlderMessages());
    QTRY_VERIFY(!room->isLoadingOlderMessages());
    QCOMPARE(conversation(room).first(), QStringLiteral("bob: h1"));
    QCOMPARE(conversation(room).filter(QStringLiteral("bob: h")).size(), 120);
    QVERIFY(!room->hasOlderMessages());
    QVERIFY(!room->loadOlderMessages());
    QCOMPARE(checkStreamOrder(room), QString());
    QCOMPARE(mirror.problems(), QString());
}

void TestChatSession::directMessages()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const auto alice = sessionFor(server, QStringLiteral("alice"));
    const auto bob = sessionFor(server, QStringLiteral("bob"));
    QSignalSpy bobOpened(bob.get(), &ChatSession::directConversationOpened);
    QTRY_VERIFY(alice->isConnected() && bob->isConnected());
    QTRY_COMPARE(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("4"));

    ChatRoom *aliceDm = alice->openDirect(QStringLiteral("bob"));
    QVERIFY(aliceDm && aliceDm->isDirect());
    QCOMPARE(aliceDm->address().channel(), QByteArray("dm:{alice|bob}"));
    QTRY_VERIFY(aliceDm->isSynced());
    QVERIFY(aliceDm->sendMessage(QStringLiteral("psst")));
    QTRY_COMPARE(bobOpened.count(), 1);
    ChatRoom *bobDm = bob->directRoom(QStringLiteral("alice"));
    QVERIFY(bobDm);
    QCOMPARE(bobOpened.first().at(0).value<ChatRoom *>(), bobDm);
    QTRY_COMPARE(conversation(bobDm), QStringList({ "alice: psst" }));
    // bob never talked with alice: a request; alice chose bob: not one.
    QVERIFY(bobDm->isRequest());
    QVERIFY(!aliceDm->isRequest());
    QCOMPARE(alice->acceptedPeers(), QStringList({ "bob" }));
    QSignalSpy accepted(bob.get(), &ChatSession::acceptedPeersChanged);
    QVERIFY(bobDm->sendMessage(QStringLiteral("what?"))); // answering accepts
    QVERIFY(!bobDm->isRequest());
    QCOMPARE(accepted.count(), 1);
    QCOMPARE(bob->acceptedPeers(), QStringList({ "alice" }));
    QTRY_COMPARE(conversation(aliceDm), QStringList({ "alice: psst", "bob: what?" }));
    QTRY_COMPARE(conversation(bobDm), QStringList({ "alice: psst", "bob: what?" }));

    // Both are listed as taking part; a new client of bob's reopens the conversation with history.
    QTRY_COMPARE(server.cli({ "ZRANGE", "redwire:{user:bob}:dms", "0", "-1" }), QByteArray("alice"));
    const auto bobElsewhere = sessionFor(server, QStringLiteral("bob"));
    QSignalSpy reopened(bobElsewhere.get(), &ChatSession::directConversationOpened);
    QVERIFY(reopened.wait(5000));
    ChatRoom *restored = bobElsewhere->directRoom(QStringLiteral("alice"));
    QVERIFY(restored);
    QVERIFY(restored->isRequest()); // this client does not know alice (the app keeps who it does)
    QTRY_COMPARE(conversation(restored), QStringList({ "alice: psst", "bob: what?" }));

    // A channel that only looks like ours is ignored; a message to ourselves is refused.
    server.cli({ "PUBLISH", "dm:{x|y|bob}", "sneaky" });
    QVERIFY(!alice->openDirect(QStringLiteral("alice")));
    QVERIFY(!alice->openDirect(QStringLiteral("b|c")));
    QCOMPARE(roundTrip(*bob->client()->commands(), { "PING" }), RedisReply::status("PONG"));
    QCOMPARE(bob->roomCount(), 1);
}

void TestChatSession::memoryBoundRereadsOlderPages()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    CommandConnection seeder(ChatTest::optionsFor(server));
    QSignalSpy connected(&seeder, &RedisConnection::connected);
    seeder.connectToServer();
    QVERIFY(connected.wait(5000));
    seedHistory(seeder, RoomAddress::room(QStringLiteral("chat")), QStringLiteral("bob"), 100);

    ChatConfig config = ChatTest::fastConfig();
    config.maxMessagesInMemory = 60;
    const auto alice = sessionFor(server, QStringLiteral("alice"), config);
    ChatRoom *room = alice->joinRoom(QStringLiteral("chat"));
    const RoomTimeline *timeline = room->timeline();
    TimelineMirror mirror(room->timeline());
    QTRY_VERIFY(room->isSynced());
    QVERIFY(room->loadOlderMessages());
    QTRY_VERIFY(!room->isLoadingOlderMessages());
    QCOMPARE(timeline->count(), 60); // the older page filled what the bound allows
    QVERIFY(!room->loadOlderMessages());
    const StreamId oldest = timeline->oldestStreamId();

    // New messages push the oldest out; they can be read again later.
    for (int i = 1; i <= 20; ++i)
        QVERIFY(room->sendMessage(QStringLiteral("new %1").arg(i)));
    QTRY_VERIFY(allSent(room));
    // Over the bound, the oldest go a sixteenth below it at once (60 - 60/16 = 57), so the count
    // is between that and the bound.
    QVERIFY2(
        timeline->count() >= 57 && timeline->count() <= 60, qPrintable(QString::number(timeline->count())));
    QCOMPARE(timeline->at(timeline->count() - 1).text, QStringLiteral("new 20"));
    QVERIFY(oldest < timeline->oldestStreamId());
    QVERIFY(room->hasOlderMessages());
    QCOMPARE(checkStreamOrder(room), QString());
    QCOMPARE(mirror.problems(), QString());
}

void TestChatSession::unreadCountsAndMentions()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const auto alice = sessionFor(server, QStringLiteral("alice"));
    const auto bob = sessionFor(server, QStringLiteral("bob"));
    ChatRoom *aliceRoom = alice->joinRoom(QStringLiteral("chat"));
    ChatRoom *bobRoom = bob->joinRoom(QStringLiteral("chat"));
    ChatRoom *bobOther = bob->joinRoom(QStringLiteral("other"));
    bob->setCurrentRoom(bobOther);
    QSignalSpy mentioned(bobRoom, &ChatRoom::mentioned);
    QTRY_VERIFY(aliceRoom->isSynced() && bobRoom->isSynced());

    QVERIFY(aliceRoom->sendMessage(QStringLiteral("hello all")));
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("@bob look")));
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("bobby is not you")));
    server.cli({ "PUBLISH", "chat", "BOB from outside" });
    QTRY_COMPARE(bobRoom->unreadCount(), 4);
    QCOMPARE(bobRoom->unreadMentionCount(), 2);
    QCOMPARE(mentioned.count(), 2);
    QStringList mentions { mentioned.at(0).at(0).value<ChatMessage>().text,
        mentioned.at(1).at(0).value<ChatMessage>().text };
    mentions.sort();
    QCOMPARE(mentions, QStringList({ "@bob look", "BOB from outside" }));
    QCOMPARE(bobOther->unreadCount(), 0);
    QCOMPARE(aliceRoom->unreadCount(), 1); // her own messages do not count; the external one does

    QSignalSpy unreadChanged(bobRoom, &ChatRoom::unreadCountChanged);
    bob->setCurrentRoom(bobRoom);
    QCOMPARE(bobRoom->unreadCount(), 0);
    QCOMPARE(bobRoom->unreadMentionCount(), 0);
    QCOMPARE(unreadChanged.count(), 1);
    QVERIFY(aliceRoom->sendMessage(QStringLiteral("seen at once")));
    QTRY_COMPARE(conversation(bobRoom).size(), 5);
    QCOMPARE(bobRoom->unreadCount(), 0); // in view
}

void TestChatSession::presenceAndTyping()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const auto alice = sessionFor(server, QStringLiteral("alice"));
    const auto bob = sessionFor(server, QStringLiteral("bob"));
    ChatRoom *aliceRoom = alice->joinRoom(QStringLiteral("chat"));
    ChatRoom *bobRoom = bob->joinRoom(QStringLiteral("chat"));
    QTRY_COMPARE(aliceRoom->members(), QStringList({ "alice", "bob" }));
    QTRY_VERIFY(aliceRoom->isSynced() && bobRoom->isSynced());

    bobRoom->userTyping();
    QTRY_COMPARE(aliceRoom->typingUsers(), QStringList({ "bob" }));
    QCOMPARE(bobRoom->typingUsers(), QStringList()); // our own notice is not shown to us
    QVERIFY(bobRoom->sendMessage(QStringLiteral("done typing")));
    QTRY_COMPARE(aliceRoom->typingUsers(), QStringList());
    bobRoom->userTyping();
    QTRY_COMPARE(aliceRoom->typingUsers(), QStringList({ "bob" }));
    QTRY_COMPARE_WITH_TIMEOUT(aliceRoom->typingUsers(), QStringList(), 5000); // times out

    QSignalSpy left(aliceRoom, &ChatRoom::memberLeft);
    QSignalSpy removed(bob.get(), &ChatSession::roomRemoved);
    bob->leaveRoom(bobRoom);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(bob->roomCount(), 0);
    QTRY_COMPARE(left.count(), 1);
    QCOMPARE(aliceRoom->members(), QStringList({ "alice" }));
    // The leave shows in the timeline as a notice.
    const RoomTimeline *timeline = aliceRoom->timeline();
    QTRY_COMPARE(timeline->at(timeline->count() - 1).kind, ChatEnvelope::Kind::Leave);
    QCOMPARE(timeline->at(timeline->count() - 1).sender, QStringLiteral("bob"));
}

void TestChatSession::refusesBadInput()
{
    ChatSession session;
    QVERIFY(!session.joinRoom(QStringLiteral("chat"))); // no nickname yet
    QCOMPARE(session.lastError().kind(), ChatError::Kind::NoNickname);
    QVERIFY(!session.setNickname(QStringLiteral("a b")));
    QCOMPARE(session.lastError().kind(), ChatError::Kind::InvalidName);
    QVERIFY(!session.lastError().message().isEmpty());
    QVERIFY(session.setNickname(QStringLiteral("alice")));
    QVERIFY(!session.joinRoom(QString()));
    QVERIFY(!session.joinRoom(QStringLiteral("dm:{a|b}")));
    QVERIFY(!session.joinRoom(QStringLiteral("two\nlines")));
    ChatRoom *room = session.joinRoom(QStringLiteral("chat"));
    QVERIFY(room);
    QVERIFY(!session.setNickname(QStringLiteral("bob"))); // not while rooms are open
    QVERIFY(!room->sendMessage(QStringLiteral("   ")));
    QVERIFY(!room->sendProblem(QStringLiteral("\n\t")).isEmpty());
    QVERIFY(!room->sendMessage(QString(70000, u'x')));
    QVERIFY(room->sendProblem(QString(70000, u'x')).contains(QLatin1String("too long")));
    // What is published (with the stream ID) must fit under the limit every receiver applies.
    const int base = int(ChatEnvelope::create(ChatEnvelope::Kind::Message, QStringLiteral("alice"), QString())
                             .encode()
                             .size());
    const int limit = session.config().payloadLimitBytes;
    QVERIFY(!room->sendProblem(QString(limit - base, u'x')).isEmpty());
    QVERIFY(room->sendProblem(QString(limit - base - ChatEnvelope::StreamIdOverhead, u'x')).isEmpty());
    QVERIFY(room->sendMessage(QStringLiteral("queued while never connected")));
    QCOMPARE(session.outbox()->count(), 1);
}

void TestChatSession::refusedRoomSaysWhyAndIsAskedAgain()
{
    // An ACL user who may not use the channel "secret": the room says the server's reason (not
    // "No messages yet"), the other room works, and once the ACL allows it "try again" works.
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    server.cli({ "ACL", "SETUSER", "eve", "on", ">pw", "~*", "+@all", "resetchannels", "&__redwire:*",
        "&redwire:*", "&chat" });
    ConnectionOptions options = optionsFor(server);
    options.username = QStringLiteral("eve");
    options.password = QStringLiteral("pw");
    ChatSession eve(fastConfig());
    eve.setConnectionOptions(options);
    eve.setNickname(QStringLiteral("eve"));
    eve.connectToServer();
    QSignalSpy errors(&eve, &ChatSession::errorOccurred);
    ChatRoom *secret = eve.joinRoom(QStringLiteral("secret"));
    ChatRoom *chat = eve.joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(chat->isSynced());
    QTRY_VERIFY(!secret->problem().isEmpty());
    QVERIFY2(secret->problem().contains(QLatin1String("NOPERM")), qPrintable(secret->problem()));
    // The error says what kind it is and carries the server's refusal, not only a sentence.
    QTRY_VERIFY(!errors.isEmpty());
    const ChatError refused = errors.first().at(0).value<ChatError>();
    QCOMPARE(refused.kind(), ChatError::Kind::SubscribeRefused);
    QCOMPARE(refused.cause().code(), RedisError::Code::PermissionDenied);
    QVERIFY2(refused.message().contains(QLatin1String("secret")), qPrintable(refused.message()));
    QVERIFY(chat->problem().isEmpty());
    QVERIFY(chat->sendMessage(QStringLiteral("still here")));
    QTRY_VERIFY(allSent(chat));

    server.cli({ "ACL", "SETUSER", "eve", "&secret" });
    secret->retryAccess();
    QTRY_VERIFY(secret->isSynced());
    QVERIFY(secret->problem().isEmpty());
    QCOMPARE(server.cli({ "PUBLISH", "secret", "psst" }), QByteArray("1"));
    QTRY_COMPARE(conversation(secret), QStringList({ "?: psst" }));
}

void TestChatSession::strangersOpenRequests()
{
    // Twenty strangers write to alice: twenty requests, none a mention or an accepted peer; a
    // peer alice already talks with opens a normal conversation.
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const auto alice = sessionFor(server, QStringLiteral("alice"));
    alice->setAcceptedPeers({ QStringLiteral("friend") });
    QTRY_VERIFY(alice->isConnected());
    QTRY_COMPARE(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("2"));
    for (int i = 0; i < 20; ++i) {
        const QString stranger = QStringLiteral("stranger%1").arg(i, 2, 10, QLatin1Char('0'));
        const RoomAddress address = RoomAddress::direct(QStringLiteral("alice"), stranger);
        server.cli({ QStringLiteral("PUBLISH"), QString::fromUtf8(address.channel()),
            QStringLiteral("{\"v\":1,\"id\":\"s%1\",\"kind\":\"message\",\"from\":\"%2\",\"text\":\"alice, "
                           "buy now\",\"ts\":1}")
                .arg(i)
                .arg(stranger) });
    }
    server.cli({ QStringLiteral("PUBLISH"), QStringLiteral("dm:{alice|friend}"),
        QStringLiteral(
            "{\"v\":1,\"id\":\"f1\",\"kind\":\"message\",\"from\":\"friend\",\"text\":\"hi\",\"ts\":1}") });
    QTRY_COMPARE(alice->roomCount(), 21);
    int requests = 0;
    for (int i = 0; i < alice->roomCount(); ++i)
        requests += alice->roomAt(i)->isRequest() ? 1 : 0;
    QCOMPARE(requests, 20);
    QVERIFY(!alice->directRoom(QStringLiteral("friend"))->isRequest());
    QCOMPARE(alice->acceptedPeers(), QStringList({ "friend" }));
    alice->directRoom(QStringLiteral("stranger03"))->acceptRequest();
    QCOMPARE(alice->acceptedPeers(), QStringList({ "friend", "stranger03" }));
}

QTEST_GUILESS_MAIN(TestChatSession)
#include "tst_chatsession.moc"
