// Direct conversations as ChatController shows them, against a real redis-server: the other
// person's presence (from the presence sets of the rooms we share, or their own presence key,
// which also says when they are away), the two people in the member
// list, the "Direct messages" section after the rooms in RoomListModel, and a direct message
// counting as a mention.
#include "models/ChatController.h"
#include "models/MemberListModel.h"
#include "models/RoomListModel.h"

#include "chat/ChatRoom.h"
#include "chat/ChatSession.h"
#include "chat/UserPresence.h"

#include "SessionTestSupport.h"

#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Redwire;
using namespace ChatTest;
using RedwireTest::RedisServerProcess;

class TestDirectMessages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void directConversationShowsThePeersPresence();
    void roomListPutsDirectMessagesInTheirOwnSection();
    void directConversationWithNoSharedRoomShowsPresenceAndAway();
    void nobodyShowsOnlineWhileTheServerIsGone();

private:
    QTemporaryDir m_home;
};

namespace {
QStringList column(const QAbstractItemModel *model, int role)
{
    QStringList values;
    for (int row = 0; row < model->rowCount(); ++row)
        values << model->data(model->index(row, 0), role).toString();
    return values;
}
} // namespace

void TestDirectMessages::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("config"))));
    QCoreApplication::setOrganizationName(QStringLiteral("RedwireTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_directmessages"));
    QVERIFY(QSettings().fileName().startsWith(m_home.path()));
}

void TestDirectMessages::init()
{
    QSettings().clear();
}

// Bob is in the lobby with alice: their conversation says he is online, and the member pane
// lists both, bob online; when he leaves the lobby (and so every room alice can see), offline.
void TestDirectMessages::directConversationShowsThePeersPresence()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChatController alice(fastConfig());
    alice.start(optionsFor(server), QStringLiteral("alice"), { QStringLiteral("lobby") });
    QTRY_COMPARE_WITH_TIMEOUT(alice.connectionState(), Redwire::RedisClient::ClientState::Connected, 10000);
    auto bob = sessionFor(server, QStringLiteral("bob"));
    ChatRoom *bobLobby = bob->joinRoom(QStringLiteral("lobby"));
    QVERIFY(bobLobby);

    QCOMPARE(alice.currentRoomDirect(), false);
    QCOMPARE(alice.currentPeerPresence(), QString());
    QSignalSpy presence(&alice, &ChatController::currentPeerPresenceChanged);
    alice.openDirect(QStringLiteral("bob"));
    QCOMPARE(alice.currentRoom(), QStringLiteral("bob"));
    QVERIFY(alice.currentRoomDirect());
    QTRY_COMPARE_WITH_TIMEOUT(alice.currentPeerPresence(), QStringLiteral("online"), 10000);

    MemberListModel *members = alice.members();
    QAbstractItemModelTester tester(members, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(column(members, MemberListModel::NicknameRole),
        QStringList({ QStringLiteral("alice"), QStringLiteral("bob") }));
    QCOMPARE(column(members, MemberListModel::OnlineRole),
        QStringList({ QStringLiteral("true"), QStringLiteral("true") }));
    QCOMPARE(members->data(members->index(0), MemberListModel::MeRole).toBool(), true);
    QCOMPARE(members->onlineCount(), 2);

    // Sharing no room any more, bob is still connected: his own presence key says so.
    bob->leaveRoom(bobLobby);
    QTRY_VERIFY_WITH_TIMEOUT(
        !alice.session()->room(QStringLiteral("lobby"))->members().contains(QStringLiteral("bob")), 10000);
    QCOMPARE(alice.currentPeerPresence(), QStringLiteral("online"));
    // Gone: offline once his key expires.
    bob->disconnectFromServer();
    QTRY_COMPARE_WITH_TIMEOUT(alice.currentPeerPresence(), QStringLiteral("offline"), 10000);
    QTRY_COMPARE(members->data(members->index(1), MemberListModel::OnlineRole).toBool(), false);
    QCOMPARE(members->onlineCount(), 1);
    QVERIFY(!presence.isEmpty());
    alice.stop();
}

// carol shares no room with alice: their conversation still shows her online, then away while
// she is idle (the header's word and the member pane's "away" role), then online again.
void TestDirectMessages::directConversationWithNoSharedRoomShowsPresenceAndAway()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChatController alice(fastConfig());
    alice.start(optionsFor(server), QStringLiteral("alice"), { QStringLiteral("lobby") });
    QTRY_COMPARE_WITH_TIMEOUT(alice.connectionState(), Redwire::RedisClient::ClientState::Connected, 10000);
    auto carol = sessionFor(server, QStringLiteral("carol"));
    QTRY_VERIFY_WITH_TIMEOUT(carol->isConnected(), 10000);

    alice.openDirect(QStringLiteral("carol"));
    QVERIFY(alice.currentRoomDirect());
    QTRY_COMPARE_WITH_TIMEOUT(alice.currentPeerPresence(), QStringLiteral("online"), 10000);
    MemberListModel *members = alice.members();
    QCOMPARE(column(members, MemberListModel::NicknameRole),
        QStringList({ QStringLiteral("alice"), QStringLiteral("carol") }));
    QCOMPARE(members->data(members->index(1), MemberListModel::OnlineRole).toBool(), true);
    QCOMPARE(members->data(members->index(1), MemberListModel::AwayRole).toBool(), false);

    carol->userPresence()->setAway(true);
    QTRY_COMPARE_WITH_TIMEOUT(alice.currentPeerPresence(), QStringLiteral("away"), 10000);
    QTRY_COMPARE(members->data(members->index(1), MemberListModel::AwayRole).toBool(), true);
    QCOMPARE(members->data(members->index(1), MemberListModel::OnlineRole).toBool(), true);
    carol->userPresence()->setAway(false);
    QTRY_COMPARE_WITH_TIMEOUT(alice.currentPeerPresence(), QStringLiteral("online"), 10000);
    QTRY_COMPARE(members->data(members->index(1), MemberListModel::AwayRole).toBool(), false);
    alice.stop();
}

// With the server gone, what alice knew of who is online is stale: nobody shows online (the
// member pane said "2 online" with the server down), until she is connected again.
void TestDirectMessages::nobodyShowsOnlineWhileTheServerIsGone()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChatController alice(fastConfig());
    alice.start(optionsFor(server), QStringLiteral("alice"), { QStringLiteral("lobby") });
    QTRY_COMPARE_WITH_TIMEOUT(alice.connectionState(), Redwire::RedisClient::ClientState::Connected, 10000);
    auto bob = sessionFor(server, QStringLiteral("bob"));
    QVERIFY(bob->joinRoom(QStringLiteral("lobby")));
    alice.openDirect(QStringLiteral("bob"));
    QTRY_COMPARE_WITH_TIMEOUT(alice.currentPeerPresence(), QStringLiteral("online"), 10000);
    MemberListModel *members = alice.members();
    QTRY_COMPARE_WITH_TIMEOUT(members->onlineCount(), 2, 10000);

    server.stop();
    QTRY_VERIFY_WITH_TIMEOUT(alice.connectionState() != Redwire::RedisClient::ClientState::Connected, 10000);
    QTRY_COMPARE(alice.currentPeerPresence(), QStringLiteral("offline"));
    QTRY_COMPARE(members->onlineCount(), 0);
    QCOMPARE(members->data(members->index(1), MemberListModel::OnlineRole).toBool(), false);

    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(alice.connectionState(), Redwire::RedisClient::ClientState::Connected, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(alice.currentPeerPresence(), QStringLiteral("online"), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(members->onlineCount(), 2, 15000);
    alice.stop();
}

// Rooms first, then direct conversations, whatever order they were opened in; rows (and the
// controller's row functions) follow that order; a direct message is a mention (red badge).
void TestDirectMessages::roomListPutsDirectMessagesInTheirOwnSection()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChatController alice(fastConfig());
    alice.start(optionsFor(server), QStringLiteral("alice"), { QStringLiteral("alpha") });
    QTRY_COMPARE_WITH_TIMEOUT(alice.connectionState(), Redwire::RedisClient::ClientState::Connected, 10000);
    RoomListModel *rooms = alice.rooms();
    QAbstractItemModelTester tester(rooms, QAbstractItemModelTester::FailureReportingMode::QtTest);
    alice.openDirect(QStringLiteral("bob"));
    alice.joinRoom(QStringLiteral("beta"));
    alice.openDirect(QStringLiteral("carol"));
    alice.joinRoom(QStringLiteral("gamma"));
    QCOMPARE(column(rooms, RoomListModel::NameRole),
        QStringList({ QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma"),
            QStringLiteral("bob"), QStringLiteral("carol") }));
    QCOMPARE(column(rooms, RoomListModel::SectionRole),
        QStringList({ QStringLiteral("rooms"), QStringLiteral("rooms"), QStringLiteral("rooms"),
            QStringLiteral("direct"), QStringLiteral("direct") }));
    QCOMPARE(rooms->currentRow(), 2); // gamma
    alice.rooms()->select(3);
    QCOMPARE(alice.currentRoom(), QStringLiteral("bob"));
    QCOMPARE(rooms->currentRow(), 3);
    alice.rooms()->leave(3); // bob: the row below (carol) is shown
    QCOMPARE(alice.currentRoom(), QStringLiteral("carol"));
    QCOMPARE(rooms->currentRow(), 3);

    // Bob writes to alice while she reads alpha: a new row in the direct section, whose unread
    // messages count as mentions.
    alice.rooms()->select(0);
    auto bob = sessionFor(server, QStringLiteral("bob"));
    // Two patterns each: alice and bob both hear their direct conversations.
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("4"), 10000);
    ChatRoom *toAlice = bob->openDirect(QStringLiteral("alice"));
    QVERIFY(toAlice);
    QTRY_VERIFY_WITH_TIMEOUT(toAlice->isSynced(), 10000);
    QVERIFY(toAlice->sendMessage(QStringLiteral("hello there")));
    QTRY_COMPARE_WITH_TIMEOUT(rooms->rowCount(), 5, 10000);
    const int bobRow = rooms->rowCount() - 1;
    QCOMPARE(rooms->data(rooms->index(bobRow), RoomListModel::NameRole).toString(), QStringLiteral("bob"));
    QCOMPARE(
        rooms->data(rooms->index(bobRow), RoomListModel::SectionRole).toString(), QStringLiteral("direct"));
    QTRY_COMPARE_WITH_TIMEOUT(rooms->data(rooms->index(bobRow), RoomListModel::UnreadRole).toInt(), 1, 10000);
    QCOMPARE(rooms->data(rooms->index(bobRow), RoomListModel::MentionsRole).toInt(), 1);
    QCOMPARE(rooms->data(rooms->index(0), RoomListModel::MentionsRole).toInt(), 0);
    alice.stop();
}

QTEST_GUILESS_MAIN(TestDirectMessages)
#include "tst_directmessages.moc"
