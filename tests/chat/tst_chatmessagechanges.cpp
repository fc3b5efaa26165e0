// End to end on a real redis-server, two sessions: replies, edits, deletes and reactions travel
// as envelopes of their own (docs/PROTOCOL.md), apply only when they may (a forged edit changes
// nothing and shows nowhere), replay from the stream after a restart (also when the change is
// read before its message), and leave plain PUBLISHes alone.
#include "chat/MessageChanges.h"

#include "SessionTestSupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>

using namespace Redwire;
using namespace ChatTest;
using RedwireTest::RedisServerProcess;

namespace {
const ChatMessage *find(const ChatRoom *room, const QString &text)
{
    const RoomTimeline *timeline = room->timeline();
    for (int row = 0; row < timeline->count(); ++row)
        if (timeline->at(row).isConversation() && timeline->at(row).text == text)
            return &timeline->at(row);
    return nullptr;
}

const ChatMessage *byId(const ChatRoom *room, const QString &id)
{
    const int row = room->timeline()->rowOfId(id);
    return row < 0 ? nullptr : &room->timeline()->at(row);
}

QString reactionsText(const ChatMessage *m)
{
    if (!m)
        return QStringLiteral("(no message)");
    QStringList parts;
    for (const ChatMessage::Reaction &r : m->reactions)
        parts << QStringLiteral("%1%2%3")
                     .arg(r.reaction)
                     .arg(r.count)
                     .arg(r.mine ? QStringLiteral("*") : QString());
    return parts.join(u' ');
}

// Stores and publishes `envelope` on room `chat` as any client could (the send script).
void storeAndPublish(CommandConnection &connection, const QByteArray &envelope, const QString &id)
{
    const RoomAddress room = RoomAddress::room(QStringLiteral("chat"));
    const RedisReply reply = roundTrip(connection,
        ChatScripts::eval(ChatScripts::send(), { room.historyKey(), room.sentKey(id.toUtf8()) },
            { room.channel(), envelope, "10000", "60000" }));
    QVERIFY2(!reply.isError(), reply.bytes().constData());
}

QByteArray changeJson(
    const QString &kind, const QString &from, const QString &ref, const QString &text, const QString &id)
{
    QJsonObject object { { "v", 1 }, { "id", id }, { "kind", kind }, { "from", from }, { "text", text } };
    if (!ref.isNull())
        object.insert("ref", ref);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}
} // namespace

class TestChatMessageChanges : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void replyCarriesItsOriginal();
    void editAppliesForTheAuthorOnly();
    void deleteHidesTheText();
    void reactionsCountAndToggle();
    void historyReplaysChangesAfterRestart();
    void changesReadBeforeTheirMessage();
    void brokenAndUnknownChangesShowNothing();
    void plainPublishIsUnaffected();

private:
    std::unique_ptr<RedisServerProcess> m_server;
    std::unique_ptr<CommandConnection> m_raw;
    TwoInARoom m_two;
};

void TestChatMessageChanges::initTestCase()
{
    qRegisterMetaType<ChatMessage>();
}

void TestChatMessageChanges::init()
{
    m_server = std::make_unique<RedisServerProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_raw = std::make_unique<CommandConnection>(optionsFor(*m_server));
    m_raw->connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(m_raw->isConnected(), 10000);
    m_two = twoInARoom(*m_server);
    QTRY_VERIFY_WITH_TIMEOUT(m_two.synced(), 10000);
}

void TestChatMessageChanges::cleanup()
{
    m_two = {};
    m_raw.reset();
    m_server.reset();
}

void TestChatMessageChanges::replyCarriesItsOriginal()
{
    QVERIFY(m_two.aliceRoom->sendMessage(QStringLiteral("lunch at noon?")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_two.bobRoom, "lunch at noon?"), 10000);
    const QString original = find(m_two.bobRoom, "lunch at noon?")->id;
    QVERIFY(m_two.bobRoom->sendMessage(QStringLiteral("yes!"), original));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_two.aliceRoom, "yes!"), 10000);
    QCOMPARE(find(m_two.aliceRoom, "yes!")->replyTo, original);
    QCOMPARE(find(m_two.bobRoom, "yes!")->replyTo, original);
    // In the stream as a message with a ref: old clients show "yes!".
    const QByteArray stored
        = m_server->cli({ "XREVRANGE", "redwire:{room:chat}:history", "+", "-", "COUNT", "1" });
    QVERIFY2(stored.contains("\"kind\":\"message\"")
            && stored.contains("\"ref\":\"" + original.toUtf8() + "\"")
            && stored.contains("\"text\":\"yes!\""),
        stored.constData());
}

void TestChatMessageChanges::editAppliesForTheAuthorOnly()
{
    QVERIFY(m_two.aliceRoom->sendMessage(QStringLiteral("helo")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_two.bobRoom, "helo"), 10000);
    const QString id = find(m_two.bobRoom, "helo")->id;
    const int rowsBefore = conversation(m_two.bobRoom).size();

    // bob cannot edit alice's message through the client ...
    QVERIFY(!m_two.bobRoom->editMessage(id, QStringLiteral("bob was here")));
    QVERIFY(!m_two.bobRoom->deleteMessage(id));
    // ... nor by writing an edit under his own name (or mallory's) by hand.
    storeAndPublish(
        *m_raw, changeJson("edit", "mallory", id, "send money to mallory", "forged-1"), "forged-1");
    storeAndPublish(*m_raw, changeJson("delete", "bob", id, "(deleted a message)", "forged-2"), "forged-2");

    QVERIFY(m_two.aliceRoom->editMessage(id, QStringLiteral("hello")));
    // The author sees it at once; bob when it arrives.
    QCOMPARE(byId(m_two.aliceRoom, id)->text, QStringLiteral("hello"));
    QTRY_COMPARE_WITH_TIMEOUT(byId(m_two.bobRoom, id)->text, QStringLiteral("hello"), 10000);
    QVERIFY(byId(m_two.bobRoom, id)->edited);
    QVERIFY(!byId(m_two.bobRoom, id)->deleted);
    QVERIFY(byId(m_two.aliceRoom, id)->edited);
    // The changes are no rows of their own, forged or not.
    QCOMPARE(conversation(m_two.bobRoom).size(), rowsBefore);
    QVERIFY(!conversation(m_two.bobRoom).join(u'\n').contains(QStringLiteral("mallory")));
    QTRY_VERIFY_WITH_TIMEOUT(allSent(m_two.aliceRoom), 10000);

    // What a client that does not know edits (redis-cli) reads: the new text.
    const QByteArray stored
        = m_server->cli({ "XREVRANGE", "redwire:{room:chat}:history", "+", "-", "COUNT", "1" });
    QVERIFY2(
        stored.contains("\"kind\":\"edit\"") && stored.contains("\"text\":\"hello\""), stored.constData());
}

void TestChatMessageChanges::deleteHidesTheText()
{
    QVERIFY(m_two.aliceRoom->sendMessage(QStringLiteral("wrong room, sorry")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_two.bobRoom, "wrong room, sorry"), 10000);
    const QString id = find(m_two.bobRoom, "wrong room, sorry")->id;
    QVERIFY(m_two.aliceRoom->deleteMessage(id));
    QTRY_VERIFY_WITH_TIMEOUT(byId(m_two.bobRoom, id)->deleted, 10000);
    QVERIFY(byId(m_two.bobRoom, id)->text.isEmpty());
    QVERIFY(byId(m_two.aliceRoom, id)->deleted);
    // Deleted is final.
    QVERIFY(!m_two.aliceRoom->editMessage(id, QStringLiteral("undelete")));
}

void TestChatMessageChanges::reactionsCountAndToggle()
{
    QVERIFY(m_two.aliceRoom->sendMessage(QStringLiteral("we shipped")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_two.bobRoom, "we shipped"), 10000);
    const QString id = find(m_two.bobRoom, "we shipped")->id;

    QVERIFY(m_two.bobRoom->toggleReaction(id, QStringLiteral("🎉")));
    QTRY_COMPARE_WITH_TIMEOUT(reactionsText(byId(m_two.aliceRoom, id)), QStringLiteral("🎉1"), 10000);
    QVERIFY(m_two.aliceRoom->toggleReaction(id, QStringLiteral("🎉")));
    QCOMPARE(reactionsText(byId(m_two.aliceRoom, id)), QStringLiteral("🎉2*"));
    QTRY_COMPARE_WITH_TIMEOUT(reactionsText(byId(m_two.bobRoom, id)), QStringLiteral("🎉2*"), 10000);
    QVERIFY(m_two.aliceRoom->toggleReaction(id, QStringLiteral("👍")));
    QVERIFY(m_two.bobRoom->toggleReaction(id, QStringLiteral("🎉"))); // bob takes his back
    QTRY_COMPARE_WITH_TIMEOUT(reactionsText(byId(m_two.aliceRoom, id)), QStringLiteral("🎉1* 👍1*"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(reactionsText(byId(m_two.bobRoom, id)), QStringLiteral("🎉1 👍1"), 10000);
    // Not a reaction: refused before anything is sent.
    QVERIFY(!m_two.bobRoom->toggleReaction(id, QStringLiteral("lol")));
}

void TestChatMessageChanges::historyReplaysChangesAfterRestart()
{
    QVERIFY(m_two.aliceRoom->sendMessage(QStringLiteral("first")));
    QVERIFY(m_two.aliceRoom->sendMessage(QStringLiteral("second")));
    QVERIFY(m_two.aliceRoom->sendMessage(QStringLiteral("third")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_two.bobRoom, "third"), 10000);
    const QString first = find(m_two.bobRoom, "first")->id;
    const QString second = find(m_two.bobRoom, "second")->id;
    const QString third = find(m_two.bobRoom, "third")->id;
    QVERIFY(m_two.bobRoom->sendMessage(QStringLiteral("about the first"), first));
    QVERIFY(m_two.aliceRoom->editMessage(first, QStringLiteral("first (fixed)")));
    QVERIFY(m_two.aliceRoom->deleteMessage(second));
    QVERIFY(m_two.bobRoom->toggleReaction(third, QStringLiteral("👍")));
    QVERIFY(m_two.aliceRoom->toggleReaction(third, QStringLiteral("👍")));
    QVERIFY(m_two.aliceRoom->toggleReaction(third, QStringLiteral("😮")));
    QVERIFY(m_two.aliceRoom->toggleReaction(third, QStringLiteral("😮"))); // and back
    storeAndPublish(*m_raw, changeJson("edit", "mallory", third, "forged", "forged-3"), "forged-3");
    QTRY_VERIFY_WITH_TIMEOUT(allSent(m_two.aliceRoom) && allSent(m_two.bobRoom), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_two.alice->outbox()->count(), 0, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_two.bob->outbox()->count(), 0, 10000);

    // bob starts again: everything comes from the stream.
    m_two.bob.reset();
    const auto bob = sessionFor(*m_server, QStringLiteral("bob"));
    ChatRoom *room = bob->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY_WITH_TIMEOUT(room->isSynced(), 10000);
    QVERIFY(byId(room, first) && byId(room, second) && byId(room, third));
    QCOMPARE(byId(room, first)->text, QStringLiteral("first (fixed)"));
    QVERIFY(byId(room, first)->edited);
    QVERIFY(byId(room, second)->deleted);
    QCOMPARE(byId(room, third)->text, QStringLiteral("third"));
    QVERIFY(!byId(room, third)->edited);
    QCOMPARE(reactionsText(byId(room, third)), QStringLiteral("👍2*"));
    QCOMPARE(find(room, "about the first")->replyTo, first);
    // Only the messages are rows: none of the changes shows as one.
    QCOMPARE(conversation(room),
        QStringList({ "alice: first (fixed)", "alice: ", "alice: third", "bob: about the first" }));
}

void TestChatMessageChanges::changesReadBeforeTheirMessage()
{
    // The message is in an older page than its changes: they wait for it.
    ChatConfig config = fastConfig();
    config.pageSize = 5;
    QVERIFY(m_two.aliceRoom->sendMessage(QStringLiteral("old news")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_two.bobRoom, "old news"), 10000);
    const QString id = find(m_two.bobRoom, "old news")->id;
    for (int n = 0; n < 8; ++n)
        QVERIFY(m_two.bobRoom->sendMessage(QStringLiteral("filler %1").arg(n)));
    QVERIFY(m_two.aliceRoom->editMessage(id, QStringLiteral("old news, corrected")));
    QVERIFY(m_two.bobRoom->toggleReaction(id, QStringLiteral("😂")));
    QTRY_VERIFY_WITH_TIMEOUT(allSent(m_two.aliceRoom) && allSent(m_two.bobRoom), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_two.alice->outbox()->count() + m_two.bob->outbox()->count(), 0, 10000);

    const auto carol = sessionFor(*m_server, QStringLiteral("carol"), config);
    ChatRoom *room = carol->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY_WITH_TIMEOUT(room->isSynced(), 10000);
    QVERIFY(!byId(room, id)); // not read yet
    while (!byId(room, id)) {
        QVERIFY(room->hasOlderMessages());
        QVERIFY(room->loadOlderMessages());
        QTRY_VERIFY_WITH_TIMEOUT(!room->isLoadingOlderMessages(), 10000);
    }
    QCOMPARE(byId(room, id)->text, QStringLiteral("old news, corrected"));
    QVERIFY(byId(room, id)->edited);
    QCOMPARE(reactionsText(byId(room, id)), QStringLiteral("😂1"));
}

void TestChatMessageChanges::brokenAndUnknownChangesShowNothing()
{
    QVERIFY(m_two.aliceRoom->sendMessage(QStringLiteral("anchor")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_two.bobRoom, "anchor"), 10000);
    const QString id = find(m_two.bobRoom, "anchor")->id;
    const QStringList before = conversation(m_two.bobRoom);

    // No ref, a ref of the wrong type, an unknown ref, a reaction that is a sentence, an edit
    // without text, a huge reaction, a change of a join notice: nothing shows, nothing breaks.
    m_server->cli(
        { "PUBLISH", "chat", QString::fromUtf8(changeJson("edit", "alice", QString(), "no ref", "b1")) });
    m_server->cli({ "PUBLISH", "chat",
        R"({"v":1,"id":"b2","kind":"delete","from":"alice","ref":["x"],"text":"array ref"})" });
    m_server->cli(
        { "PUBLISH", "chat", QString::fromUtf8(changeJson("edit", "alice", "no-such-id", "ghost", "b3")) });
    m_server->cli({ "PUBLISH", "chat",
        QStringLiteral(R"({"v":1,"id":"b4","kind":"react","from":"bob","ref":"%1","reaction":"BUY NOW"})")
            .arg(id) });
    m_server->cli({ "PUBLISH", "chat",
        QStringLiteral(R"({"v":1,"id":"b5","kind":"edit","from":"alice","ref":"%1"})").arg(id) });
    m_server->cli({ "PUBLISH", "chat",
        QStringLiteral(R"({"v":1,"id":"b6","kind":"react","from":"bob","ref":"%1","reaction":"%2"})")
            .arg(id, QString(10000, u'x')) });
    m_server->cli({ "PUBLISH", "chat",
        QStringLiteral(R"({"v":1,"id":"b7","kind":"edit","from":"alice","ref":"%1","text":5})").arg(id) });
    // A marker that everything before it was handled.
    m_server->cli({ "PUBLISH", "chat", "done" });
    QTRY_VERIFY_WITH_TIMEOUT(find(m_two.bobRoom, "done"), 10000);

    QStringList expected = before;
    // The edit whose text is a number is not an envelope: shown as it came, like any such payload.
    expected << QStringLiteral("?: ")
            + QStringLiteral(R"({"v":1,"id":"b7","kind":"edit","from":"alice","ref":"%1","text":5})").arg(id)
             << QStringLiteral("?: done");
    QCOMPARE(conversation(m_two.bobRoom), expected);
    QCOMPARE(byId(m_two.bobRoom, id)->text, QStringLiteral("anchor"));
    QVERIFY(!byId(m_two.bobRoom, id)->edited);
    QVERIFY(byId(m_two.bobRoom, id)->reactions.isEmpty());
}

void TestChatMessageChanges::plainPublishIsUnaffected()
{
    m_server->cli({ "PUBLISH", "chat", "hello from redis-cli" });
    m_server->cli({ "PUBLISH", "chat", R"({"kind":"edit","text":"not an envelope"})" });
    QTRY_VERIFY_WITH_TIMEOUT(conversation(m_two.bobRoom).size() >= 2, 10000);
    QCOMPARE(conversation(m_two.bobRoom).mid(conversation(m_two.bobRoom).size() - 2),
        QStringList({ "?: hello from redis-cli", R"(?: {"kind":"edit","text":"not an envelope"})" }));
    const ChatMessage *external = find(m_two.bobRoom, "hello from redis-cli");
    QVERIFY(external->external && external->replyTo.isEmpty() && !external->edited);
    // Externals take no changes (they have no ID to refer to).
    QVERIFY(!m_two.bobRoom->toggleReaction(external->id, QStringLiteral("👍")));
}

QTEST_GUILESS_MAIN(TestChatMessageChanges)
#include "tst_chatmessagechanges.moc"
