// Read positions against a real redis-server: the marker a session writes
// (redwire:{user:<me>}:read) is read back by a second session of the same nickname, unread counts
// after a restart come from it (bounded), our own messages from another device are not unread,
// a marker never moves back, the "new messages" divider after a restart, loading history up
// to a message (for a jump or for the divider), the marker pending at quit written before the
// connections close, and a marker another device moves updating the counts while running.
#include "chat/ReadMarkers.h"

#include "HistorySeeding.h"
#include "QueuedEvents.h"
#include "SessionTestSupport.h"

#include "redis/RedisClient.h"

#include <QSignalSpy>

using namespace Redwire;
using namespace ChatTest;
using RedwireTest::RedisServerProcess;

namespace {
ChatConfig readingConfig()
{
    ChatConfig config = fastConfig();
    config.readMarkerWriteIntervalMs = 50;
    return config;
}
QString text(int n)
{
    return QStringLiteral("m%1").arg(n);
}
} // namespace

class TestReadMarkers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void markerIsWrittenAndReadBySecondDevice();
    void unreadCountAfterRestart();
    void unreadCountIsBounded();
    void ownMessagesFromAnotherDeviceAreRead();
    void markerNeverMovesBack();
    void dividerAfterRestartLoadsUpToIt();
    void revealLoadsHistoryUpToAMessage();
    void markerPendingAtCloseIsWritten();
    void markerMovedOnAnotherDeviceUpdatesUnreadCounts();
    void sendingMovesTheMarkerToOurMessage();

private:
    QList<StreamId> seed(int count, const QString &sender = QStringLiteral("bob"),
        const std::function<QString(int)> &textOf = text);
    QByteArray storedMarker(const QString &nickname = QStringLiteral("alice"));

    std::unique_ptr<RedisServerProcess> m_server;
    std::unique_ptr<CommandConnection> m_seeder;
    const RoomAddress m_room = RoomAddress::room(QStringLiteral("chat"));
};

void TestReadMarkers::init()
{
    m_server = std::make_unique<RedisServerProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_seeder = std::make_unique<CommandConnection>(optionsFor(*m_server));
    QSignalSpy connected(m_seeder.get(), &RedisConnection::connected);
    m_seeder->connectToServer();
    QVERIFY(connected.wait(5000));
}

void TestReadMarkers::cleanup()
{
    m_seeder.reset();
    m_server.reset();
}

QList<StreamId> TestReadMarkers::seed(
    int count, const QString &sender, const std::function<QString(int)> &textOf)
{
    return seedMessages(*m_seeder, m_room, sender, count, textOf);
}

QByteArray TestReadMarkers::storedMarker(const QString &nickname)
{
    return m_server->cli({ QStringLiteral("HGET"), QString::fromLatin1(RoomAddress::readMarkersKey(nickname)),
        QStringLiteral("chat") });
}

void TestReadMarkers::markerIsWrittenAndReadBySecondDevice()
{
    const QList<StreamId> ids = seed(30);
    QCOMPARE(ids.size(), 30);
    const auto laptop = sessionFor(*m_server, QStringLiteral("alice"), readingConfig());
    ChatRoom *room = laptop->joinRoom(QStringLiteral("chat"));
    laptop->setCurrentRoom(room);
    QTRY_VERIFY(room->isSynced());
    QTRY_VERIFY(laptop->readMarkers()->isLoaded());
    // Not read until the user sees the latest messages.
    QCOMPARE(storedMarker(), QByteArray());
    room->setFollowingLatest(true);
    const QByteArray newest = room->timeline()->newestStreamId().toByteArray();
    QTRY_COMPARE_WITH_TIMEOUT(storedMarker(), newest, 10000);

    // The same nickname on another device knows it at connect.
    const auto phone = sessionFor(*m_server, QStringLiteral("alice"), readingConfig());
    QTRY_VERIFY(phone->readMarkers()->isLoaded());
    QCOMPARE(phone->readMarkers()->marker(m_room).toByteArray(), newest);
    // Someone else's markers are theirs.
    const auto bob = sessionFor(*m_server, QStringLiteral("bob"), readingConfig());
    QTRY_VERIFY(bob->readMarkers()->isLoaded());
    QVERIFY(bob->readMarkers()->marker(m_room).isNull());
}

void TestReadMarkers::unreadCountAfterRestart()
{
    const QList<StreamId> ids = seed(20);
    QCOMPARE(ids.size(), 20);
    m_server->cli(
        { QStringLiteral("HSET"), QString::fromLatin1(RoomAddress::readMarkersKey(QStringLiteral("alice"))),
            QStringLiteral("chat"), QString::fromLatin1(ids.at(11).toByteArray()) });
    // 8 unread (m13..m20), one of which names alice.
    QCOMPARE(seed(1, QStringLiteral("carol"), [](int) { return QStringLiteral("ping @alice"); }).size(), 1);
    const auto restarted = sessionFor(*m_server, QStringLiteral("alice"), readingConfig());
    ChatRoom *room = restarted->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(room->isSynced());
    QTRY_COMPARE_WITH_TIMEOUT(room->unreadCount(), 9, 10000);
    QCOMPARE(room->unreadMentionCount(), 1);
    QCOMPARE(room->readMarker(), ids.at(11));
    // A live message adds to it; reading resets it and moves the marker.
    m_server->cli({ QStringLiteral("PUBLISH"), QStringLiteral("chat"), QStringLiteral("live one") });
    QTRY_COMPARE(room->unreadCount(), 10);
    restarted->setCurrentRoom(room);
    QCOMPARE(room->unreadCount(), 0);
    room->markRead();
    QTRY_COMPARE_WITH_TIMEOUT(storedMarker(), room->timeline()->newestStreamId().toByteArray(), 10000);
}

void TestReadMarkers::unreadCountIsBounded()
{
    const QList<StreamId> ids = seed(5);
    m_server->cli(
        { QStringLiteral("HSET"), QString::fromLatin1(RoomAddress::readMarkersKey(QStringLiteral("alice"))),
            QStringLiteral("chat"), QString::fromLatin1(ids.last().toByteArray()) });
    QCOMPARE(seed(150).size(), 150);
    ChatConfig config = readingConfig();
    config.unreadCountLimit = 100;
    const auto restarted = sessionFor(*m_server, QStringLiteral("alice"), config);
    ChatRoom *room = restarted->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(room->isSynced());
    // At least 100: the badge says "99+".
    QTRY_COMPARE_WITH_TIMEOUT(room->unreadCount(), 100, 10000);
}

void TestReadMarkers::ownMessagesFromAnotherDeviceAreRead()
{
    const QList<StreamId> ids = seed(3);
    m_server->cli(
        { QStringLiteral("HSET"), QString::fromLatin1(RoomAddress::readMarkersKey(QStringLiteral("alice"))),
            QStringLiteral("chat"), QString::fromLatin1(ids.last().toByteArray()) });
    QCOMPARE(seed(4, QStringLiteral("alice")).size(), 4);
    QCOMPARE(seed(2).size(), 2);
    const auto restarted = sessionFor(*m_server, QStringLiteral("alice"), readingConfig());
    ChatRoom *room = restarted->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(room->isSynced());
    QTRY_COMPARE_WITH_TIMEOUT(room->unreadCount(), 2, 10000);
}

void TestReadMarkers::markerNeverMovesBack()
{
    const QList<StreamId> ids = seed(10);
    const QString key = QString::fromLatin1(RoomAddress::readMarkersKey(QStringLiteral("alice")));
    m_server->cli({ QStringLiteral("HSET"), key, QStringLiteral("chat"),
        QString::fromLatin1(ids.last().toByteArray()) });
    const auto laptop = sessionFor(*m_server, QStringLiteral("alice"), readingConfig());
    QTRY_VERIFY(laptop->readMarkers()->isLoaded());
    QCOMPARE(laptop->readMarkers()->marker(m_room), ids.last());
    laptop->readMarkers()->advance(m_room, ids.at(4));
    QCOMPARE(laptop->readMarkers()->marker(m_room), ids.last());

    // Another device read further in "other" after the laptop connected: the laptop's earlier
    // marker does not overwrite it on the server.
    const RoomAddress other = RoomAddress::room(QStringLiteral("other"));
    m_server->cli(
        { QStringLiteral("HSET"), key, QStringLiteral("other"), QStringLiteral("9999999999999-0") });
    laptop->readMarkers()->advance(other, ids.at(4));
    laptop->readMarkers()->flush();
    // Same connection, so the write has been run when this is answered.
    QCOMPARE(roundTrip(*laptop->client()->commands(), { "PING" }).bytes(), QByteArray("PONG"));
    QCOMPARE(m_server->cli({ QStringLiteral("HGET"), key, QStringLiteral("other") }),
        QByteArray("9999999999999-0"));
    const StreamId later(9999999999999, 1);
    laptop->readMarkers()->advance(other, later);
    laptop->readMarkers()->flush();
    QCOMPARE(roundTrip(*laptop->client()->commands(), { "PING" }).bytes(), QByteArray("PONG"));
    QCOMPARE(m_server->cli({ QStringLiteral("HGET"), key, QStringLiteral("other") }), later.toByteArray());
    // Garbage in the hash (written by something else) is ignored, not a crash.
    m_server->cli({ QStringLiteral("HSET"), key, QStringLiteral("chat"), QStringLiteral("not an id") });
    const auto phone = sessionFor(*m_server, QStringLiteral("alice"), readingConfig());
    QTRY_VERIFY(phone->readMarkers()->isLoaded());
    QVERIFY(phone->readMarkers()->marker(m_room).isNull());
    QCOMPARE(phone->readMarkers()->marker(other), later);
}

void TestReadMarkers::dividerAfterRestartLoadsUpToIt()
{
    // 300 messages; alice read up to m100. Opening the room shows the divider above m101, which
    // is older than the first page: the history is loaded up to it.
    const QList<StreamId> ids = seed(300);
    QCOMPARE(ids.size(), 300);
    m_server->cli(
        { QStringLiteral("HSET"), QString::fromLatin1(RoomAddress::readMarkersKey(QStringLiteral("alice"))),
            QStringLiteral("chat"), QString::fromLatin1(ids.at(99).toByteArray()) });
    const auto restarted = sessionFor(*m_server, QStringLiteral("alice"), readingConfig());
    ChatRoom *room = restarted->joinRoom(QStringLiteral("chat"));
    restarted->setCurrentRoom(room);
    room->setFollowingLatest(true); // what the view reports at first, before it scrolls
    QTRY_COMPARE_WITH_TIMEOUT(room->unreadDividerAfter(), ids.at(99), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(room->timeline()->rowOfStreamId(ids.at(100)) >= 0, 10000);
    QCOMPARE(checkStreamOrder(room), QString());
    // The divider does not move the marker: the user has not read those yet.
    QCOMPARE(storedMarker(), ids.at(99).toByteArray());
    // Leaving the room in view clears the divider.
    restarted->setCurrentRoom(nullptr);
    QVERIFY(room->unreadDividerAfter().isNull());
}

void TestReadMarkers::revealLoadsHistoryUpToAMessage()
{
    const QList<StreamId> ids = seed(300);
    QCOMPARE(ids.size(), 300);
    ChatConfig config = readingConfig();
    config.revealPageSize = 60; // several pages
    const auto session = sessionFor(*m_server, QStringLiteral("alice"), config);
    ChatRoom *room = session->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(room->isSynced());
    QVERIFY(room->timeline()->rowOfStreamId(ids.at(2)) < 0);
    QSignalSpy revealed(room, &ChatRoom::messageRevealed);
    room->revealMessage(ids.at(2));
    QTRY_COMPARE_WITH_TIMEOUT(revealed.size(), 1, 10000);
    QCOMPARE(revealed.first().at(0).value<StreamId>(), ids.at(2));
    QVERIFY(revealed.first().at(1).toBool());
    QVERIFY(room->timeline()->rowOfStreamId(ids.at(2)) >= 0);
    const QStringList lines = conversation(room).filter(QRegularExpression(QStringLiteral("^bob: m\\d+$")));
    QCOMPARE(lines.size(), 300 - 2 + (lines.first() == QStringLiteral("bob: m1") ? 2 : 0));
    QCOMPARE(checkStreamOrder(room), QString());
    // One already held answers at once; one that does not exist is not found.
    room->revealMessage(ids.at(200));
    QCOMPARE(revealed.size(), 2);
    QVERIFY(revealed.last().at(1).toBool());
    room->revealMessage(StreamId(ids.at(200).milliseconds(), ids.at(200).sequence() + 1000));
    QTRY_COMPARE(revealed.size(), 3);
    QVERIFY(!revealed.last().at(1).toBool());
}

void TestReadMarkers::markerPendingAtCloseIsWritten()
{
    QCOMPARE(seed(5).size(), 5);
    ChatConfig config = readingConfig();
    config.readMarkerWriteIntervalMs = 600000; // never by the timer in this test
    const auto laptop = sessionFor(*m_server, QStringLiteral("alice"), config);
    ChatRoom *room = laptop->joinRoom(QStringLiteral("chat"));
    laptop->setCurrentRoom(room);
    QTRY_VERIFY(room->isSynced());
    QTRY_VERIFY(laptop->readMarkers()->isLoaded());
    room->setFollowingLatest(true);
    const QByteArray newest = room->timeline()->newestStreamId().toByteArray();
    QVERIFY(!newest.isEmpty());
    QCOMPARE(storedMarker(), QByteArray());
    // Quitting right now: the pending marker is written before the connections close.
    QSignalSpy closed(laptop.get(), &ChatSession::closed);
    laptop->closeGracefully();
    QVERIFY(closed.isEmpty()); // always asynchronous
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 10000);
    QVERIFY(!laptop->isConnected());
    QCOMPARE(storedMarker(), newest);

    // With nothing pending it closes at once; without a server within the bound.
    const auto idle = sessionFor(*m_server, QStringLiteral("alice"), config);
    QTRY_VERIFY(idle->readMarkers()->isLoaded());
    QSignalSpy idleClosed(idle.get(), &ChatSession::closed);
    idle->closeGracefully();
    QTRY_COMPARE(idleClosed.size(), 1);
    QVERIFY(!idle->isConnected());
}

// Two devices of alice: what one reads is no longer unread on the other, while both run.
void TestReadMarkers::markerMovedOnAnotherDeviceUpdatesUnreadCounts()
{
    QCOMPARE(seed(3).size(), 3);
    const auto laptop = sessionFor(*m_server, QStringLiteral("alice"), readingConfig());
    const auto phone = sessionFor(*m_server, QStringLiteral("alice"), readingConfig());
    ChatRoom *onLaptop = laptop->joinRoom(QStringLiteral("chat"));
    ChatRoom *onPhone = phone->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(onLaptop->isSynced() && onPhone->isSynced());
    QTRY_VERIFY(laptop->readMarkers()->isLoaded() && phone->readMarkers()->isLoaded());

    // bob writes; neither device has the room open.
    QCOMPARE(
        seed(4, QStringLiteral("bob"), [](int n) { return n == 4 ? QStringLiteral("hi @alice") : text(n); })
            .size(),
        4);
    QTRY_COMPARE_WITH_TIMEOUT(onLaptop->unreadCount(), 4, 10000);
    QCOMPARE(onLaptop->unreadMentionCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(onPhone->unreadCount(), 4, 10000);

    // alice reads them on her phone: the laptop's badge goes, without reconnecting.
    phone->setCurrentRoom(onPhone);
    onPhone->setFollowingLatest(true);
    QTRY_COMPARE_WITH_TIMEOUT(storedMarker(), onPhone->timeline()->newestStreamId().toByteArray(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(onLaptop->unreadCount(), 0, 10000);
    QCOMPARE(onLaptop->unreadMentionCount(), 0);
    QCOMPARE(onLaptop->readMarker(), onPhone->readMarker());

    // What arrives after the phone's marker is unread again on the laptop, and only that.
    phone->setCurrentRoom(nullptr);
    QCOMPARE(seed(2).size(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(onLaptop->unreadCount(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(onPhone->unreadCount(), 2, 10000);
    // A marker another device moved only part of the way leaves what is after it.
    const StreamId firstOfTwo = onLaptop->timeline()->at(onLaptop->timeline()->count() - 2).streamId;
    QVERIFY(!firstOfTwo.isNull());
    phone->readMarkers()->advance(m_room, firstOfTwo);
    phone->readMarkers()->flush();
    QTRY_COMPARE_WITH_TIMEOUT(onLaptop->unreadCount(), 1, 10000);
}

QTEST_GUILESS_MAIN(TestReadMarkers)
#include "tst_readmarkers.moc"

// Writing in a room reads it up to what one wrote: the stored copy of our message did not move
// the marker (it places a row, it inserts none), and after a restart the "new messages" divider
// sat above our own message. Not past a message from someone else that we have not seen.
void TestReadMarkers::sendingMovesTheMarkerToOurMessage()
{
    QCOMPARE(seed(5).size(), 5);
    const auto laptop = sessionFor(*m_server, QStringLiteral("alice"), readingConfig());
    ChatRoom *room = laptop->joinRoom(QStringLiteral("chat"));
    laptop->setCurrentRoom(room);
    room->setFollowingLatest(true);
    QTRY_VERIFY(room->isSynced());
    QTRY_VERIFY(laptop->readMarkers()->isLoaded());
    QTRY_COMPARE_WITH_TIMEOUT(storedMarker(), room->timeline()->newestStreamId().toByteArray(), 10000);
    const auto ourStored = [room](const QString &text) {
        for (int row = room->timeline()->count() - 1; row >= 0; --row)
            if (room->timeline()->at(row).own && room->timeline()->at(row).text == text)
                return room->timeline()->at(row).streamId;
        return StreamId();
    };
    QVERIFY(room->sendMessage(QStringLiteral("my answer")));
    QTRY_VERIFY_WITH_TIMEOUT(!ourStored(QStringLiteral("my answer")).isNull(), 10000);
    const StreamId mine = ourStored(QStringLiteral("my answer"));
    QTRY_COMPARE_WITH_TIMEOUT(storedMarker(), mine.toByteArray(), 10000);
    QCOMPARE(room->readMarker(), mine);

    // Scrolled up, bob's message arrives below, unseen; our next message does not read it.
    room->setFollowingLatest(false);
    const QList<StreamId> unseen = seed(1);
    QCOMPARE(unseen.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(room->timeline()->rowOfStreamId(unseen.first()) >= 0, 10000);
    QVERIFY(room->sendMessage(QStringLiteral("second answer")));
    QTRY_VERIFY_WITH_TIMEOUT(!ourStored(QStringLiteral("second answer")).isNull(), 10000);
    QVERIFY(RedwireTest::runQueuedEvents());
    QCOMPARE(room->readMarker(), mine);

    // Restarted: bob's message is the one unread.
    laptop->setCurrentRoom(nullptr);
    const auto restarted = sessionFor(*m_server, QStringLiteral("alice"), readingConfig());
    ChatRoom *again = restarted->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(again->isSynced());
    QTRY_COMPARE_WITH_TIMEOUT(again->unreadCount(), 1, 10000);
    QCOMPARE(storedMarker(), mine.toByteArray());
}
