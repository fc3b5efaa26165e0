// The chat models against real ChatSessions on a real redis-server, each watched by
// QAbstractItemModelTester: MessageListModel (batched inserts, same rows as the timeline),
// RoomListModel (rooms, current, unread), MemberListModel (presence as row inserts/removals).
#include "models/ChatController.h"
#include "models/FirstUnreadRow.h"
#include "models/MemberListModel.h"
#include "models/MessageListModel.h"
#include "models/RoomListModel.h"

#include "chat/ChatRoom.h"
#include "chat/ChatSession.h"
#include "chat/RoomAddress.h"
#include "chat/RoomTimeline.h"
#include "redis/CommandConnection.h"

#include "RedisServerProcess.h"
#include "SessionTestSupport.h"

#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

using namespace Redwire;
using ChatTest::fastConfig;
using ChatTest::sessionFor;
using RedwireTest::RedisServerProcess;

namespace {

// Publishes `count` plain payloads in one pipeline and waits for the replies.
bool floodPlain(const RedisServerProcess &server, const QByteArray &channel, int count)
{
    ConnectionOptions options;
    options.port = server.port();
    CommandConnection connection(options);
    QSignalSpy connected(&connection, &RedisConnection::connected);
    connection.connectToServer();
    if (!connected.wait(5000))
        return false;
    int replies = 0;
    for (int i = 0; i < count; ++i)
        connection.send({ "PUBLISH", channel, "flood " + QByteArray::number(i) },
            [&](const RedisReply &, const RedisError &) { ++replies; });
    return QTest::qWaitFor([&] { return replies == count; }, 10000);
}

} // namespace

class TestChatModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void messageModelBatchesAFlood();
    void roomListFollowsTheSession();
    void memberListFollowsPresence();
    void messageRequestsDoNotStorm();
    void firstUnreadRowByIdOrArrival();
};

void TestChatModels::messageModelBatchesAFlood()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    auto session = sessionFor(server, QStringLiteral("alice"));
    ChatRoom *room = session->joinRoom(QStringLiteral("flood"));
    QVERIFY(room);
    QTRY_VERIFY_WITH_TIMEOUT(room->isSynced(), 10000);
    MessageListModel model(room);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QTRY_COMPARE(model.rowCount(), room->timeline()->count());
    const int before = model.rowCount();
    const int batchesBefore = model.batchesApplied();

    constexpr int Count = 2000;
    QVERIFY(floodPlain(server, "flood", Count));
    // Every flood message in the model (a late notice, such as our own "joined" from the presence
    // heartbeat, may add a row of its own).
    const auto floodRows = [&model] {
        int rows = 0;
        for (int row = 0; row < model.rowCount(); ++row)
            rows += model.messageAt(row).text.startsWith(QLatin1String("flood ")) ? 1 : 0;
        return rows;
    };
    QTRY_COMPARE_WITH_TIMEOUT(floodRows(), Count, 10000);
    QVERIFY(model.rowCount() >= before + Count);
    // Two thousand messages arrived as a handful of inserts (one per frame), not one each.
    const int batches = model.batchesApplied() - batchesBefore;
    QVERIFY2(batches < Count / 10, qPrintable(QStringLiteral("%1 batches").arg(batches)));
    QCOMPARE(model.rowCount(), room->timeline()->count());
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.messageAt(row).text, room->timeline()->at(row).text);
    // The flood's last message (a late notice may follow it).
    int lastFlood = model.rowCount() - 1;
    while (lastFlood > 0 && !model.messageAt(lastFlood).text.startsWith(QLatin1String("flood ")))
        --lastFlood;
    const QModelIndex last = model.index(lastFlood);
    QCOMPARE(
        last.data(MessageListModel::PlainTextRole).toString(), QStringLiteral("flood %1").arg(Count - 1));
    QCOMPARE(last.data(MessageListModel::ExternalRole).toBool(), true);
    QCOMPARE(last.data(MessageListModel::DeliveryRole).toInt(), int(MessageListModel::Received));
    // A run by one (external) sender shows one header.
    QCOMPARE(last.data(MessageListModel::ShowHeaderRole).toBool(), false);

    // Our own message: pending at first, then sent.
    QVERIFY(room->sendMessage(QStringLiteral("mine <b>bold</b> https://example.org")));
    model.flush();
    const QModelIndex mine = model.index(model.rowCount() - 1);
    QCOMPARE(mine.data(MessageListModel::OwnRole).toBool(), true);
    QCOMPARE(mine.data(MessageListModel::HtmlRole).toString(),
        QStringLiteral(
            "mine &lt;b&gt;bold&lt;/b&gt; <a href=\"https://example.org\">https://example.org</a>"));
    // Found by its text: a late notice (our own "joined" from the presence heartbeat) may land
    // after it, as it did once in a sanitizer run.
    const auto mineDelivery = [&model] {
        for (int row = model.rowCount() - 1; row >= 0; --row) {
            const QModelIndex index = model.index(row);
            if (index.data(MessageListModel::OwnRole).toBool()
                && index.data(MessageListModel::PlainTextRole).toString().startsWith(QLatin1String("mine ")))
                return index.data(MessageListModel::DeliveryRole).toInt();
        }
        return -1;
    };
    QTRY_COMPARE_WITH_TIMEOUT(
        mineDelivery(), int(MessageListModel::Sent), 20000); // a stalled sanitizer run took more than 5 s
    // Shown once: the echo of our own message does not add a second row.
    int mineRows = 0;
    for (int row = 0; row < model.rowCount(); ++row)
        mineRows += model.messageAt(row).text.startsWith(QLatin1String("mine ")) ? 1 : 0;
    QCOMPARE(mineRows, 1);
    if (lastFlood != model.rowCount() - 2) {
        for (int row = lastFlood + 1; row < model.rowCount(); ++row)
            qInfo() << "row after the flood:" << model.messageAt(row).text;
    }
}

void TestChatModels::roomListFollowsTheSession()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    auto session = sessionFor(server, QStringLiteral("alice"));
    RoomListModel model(session.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ChatRoom *general = session->joinRoom(QStringLiteral("general"));
    ChatRoom *random = session->joinRoom(QStringLiteral("random"));
    QVERIFY(general && random);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0).data(RoomListModel::NameRole).toString(), QStringLiteral("general"));
    QCOMPARE(model.index(1).data(RoomListModel::NameRole).toString(), QStringLiteral("random"));

    session->setCurrentRoom(general);
    QCOMPARE(model.currentRow(), 0);
    QCOMPARE(model.index(0).data(RoomListModel::CurrentRole).toBool(), true);
    QCOMPARE(model.index(1).data(RoomListModel::CurrentRole).toBool(), false);

    QTRY_VERIFY_WITH_TIMEOUT(random->isSynced(), 10000);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QCOMPARE(server.cli({ "PUBLISH", "random", "psst" }), QByteArray("1"));
    QTRY_COMPARE_WITH_TIMEOUT(model.index(1).data(RoomListModel::UnreadRole).toInt(), 1, 5000);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(model.index(0).data(RoomListModel::UnreadRole).toInt(), 0);

    model.setMuted(RoomListModel::keyFor(random), true);
    QCOMPARE(model.index(1).data(RoomListModel::MutedRole).toBool(), true);

    session->leaveRoom(random);
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0).data(RoomListModel::NameRole).toString(), QStringLiteral("general"));
}

void TestChatModels::memberListFollowsPresence()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    auto alice = sessionFor(server, QStringLiteral("alice"));
    auto bob = sessionFor(server, QStringLiteral("bob"));
    ChatRoom *aliceRoom = alice->joinRoom(QStringLiteral("lobby"));
    QVERIFY(aliceRoom);
    MemberListModel model(QStringLiteral("alice"));
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRoom(aliceRoom);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 5000);
    QCOMPARE(model.index(0).data(MemberListModel::MeRole).toBool(), true);

    ChatRoom *bobRoom = bob->joinRoom(QStringLiteral("lobby"));
    QVERIFY(bobRoom);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 5000);
    QCOMPARE(model.index(0).data(MemberListModel::NicknameRole).toString(), QStringLiteral("alice"));
    QCOMPARE(model.index(1).data(MemberListModel::NicknameRole).toString(), QStringLiteral("bob"));
    QCOMPARE(model.onlineCount(), 2);

    // bob types: his row is in italics, and not for longer than the typing timeout. A view reads
    // the row when dataChanged is emitted, so the model must already hold the new state then (it
    // did not: the member list kept bob in italics after he stopped typing).
    QList<bool> typingSeenByTheView;
    connect(&model, &QAbstractItemModel::dataChanged, this,
        [&](const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) {
            if (roles.contains(MemberListModel::TypingRole) && topLeft.row() <= 1 && bottomRight.row() >= 1)
                typingSeenByTheView << model.index(1).data(MemberListModel::TypingRole).toBool();
        });
    QTRY_VERIFY_WITH_TIMEOUT(bobRoom->isSynced(), 5000);
    bobRoom->userTyping();
    QTRY_VERIFY_WITH_TIMEOUT(model.index(1).data(MemberListModel::TypingRole).toBool(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!model.index(1).data(MemberListModel::TypingRole).toBool(), 15000);
    QVERIFY(aliceRoom->typingUsers().isEmpty());
    QCOMPARE(typingSeenByTheView, (QList<bool> { true, false }));

    bob->leaveRoom(bobRoom);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 5000);
    QCOMPARE(model.index(0).data(MemberListModel::NicknameRole).toString(), QStringLiteral("alice"));
}

// Twenty strangers DM alice: one "message request" notification, not twenty.
void TestChatModels::messageRequestsDoNotStorm()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QCoreApplication::setOrganizationName(QStringLiteral("RedwireTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_chatmodels"));
    QSettings().clear();
    ConnectionOptions options;
    options.port = server.port();
    ChatController chat(fastConfig());
    QSignalSpy notified(&chat, &ChatController::notified);
    chat.start(options, QStringLiteral("alice"), { QStringLiteral("lobby") });
    QTRY_COMPARE_WITH_TIMEOUT(chat.connectionState(), Redwire::RedisClient::ClientState::Connected, 10000);
    QTRY_COMPARE(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("2"));
    for (int i = 0; i < 20; ++i) {
        const QString stranger = QStringLiteral("stranger%1").arg(i);
        server.cli({ QStringLiteral("PUBLISH"),
            QString::fromUtf8(RoomAddress::direct(QStringLiteral("alice"), stranger).channel()),
            QStringLiteral("{\"v\":1,\"id\":\"s%1\",\"kind\":\"message\",\"from\":\"%2\",\"text\":\"alice, "
                           "buy now\",\"ts\":1}")
                .arg(i)
                .arg(stranger) });
    }
    QTRY_COMPARE(chat.rooms()->rowCount(), 21);
    QCOMPARE(notified.count(), 1);
    QCOMPARE(notified.first().at(0).toString(), QStringLiteral("Message request"));
    chat.stop();
    QSettings().clear();
}

// Where the "new messages" divider goes, without a server: after the last message read by stream
// ID, or from an arrival on for messages that have none (plain PUBLISHes); never above our own
// messages or notices; not while older pages may still hold the first unread one.
void TestChatModels::firstUnreadRowByIdOrArrival()
{
    const auto message = [](quint64 ms, quint64 arrival, bool own = false,
                             ChatEnvelope::Kind kind = ChatEnvelope::Kind::Message) {
        ChatMessage m;
        m.streamId = ms ? StreamId(ms, 0) : StreamId();
        m.arrival = arrival;
        m.own = own;
        m.kind = kind;
        return m;
    };
    const QList<ChatMessage> rows { message(10, 1), message(20, 2), message(30, 3, true),
        message(40, 4, false, ChatEnvelope::Kind::Join), message(50, 5), message(0, 6), message(0, 7) };
    const auto at = [&rows](int row) -> const ChatMessage & { return rows.at(row); };
    const int count = int(rows.size());

    FirstUnreadRow none;
    QCOMPARE(none.find(count, at), -1);

    FirstUnreadRow byId;
    byId.after = StreamId(20, 0); // read up to row 1; rows 2 (ours) and 3 (a notice) are skipped
    QCOMPARE(byId.find(count, at), 4);
    byId.olderPagesToCome = true; // row 1 is loaded, so the answer stands
    QCOMPARE(byId.find(count, at), 4);
    byId.after = StreamId(5, 0); // read before anything loaded, and more to come: not known yet
    QCOMPARE(byId.find(count, at), -1);
    byId.olderPagesToCome = false; // the whole history is here: the first message
    QCOMPARE(byId.find(count, at), 0);

    FirstUnreadRow byArrival;
    byArrival.atArrival = 6; // a plain PUBLISH received after we left
    QCOMPARE(byArrival.find(count, at), 5);
    byArrival.after = StreamId(50, 0); // everything stored is read: the arrival decides
    QCOMPARE(byArrival.find(count, at), 5);
    byArrival.after = StreamId(40, 0); // row 4 is unread and higher up than the arrival
    QCOMPARE(byArrival.find(count, at), 4);
}

QTEST_GUILESS_MAIN(TestChatModels)
#include "tst_chatmodels.moc"
