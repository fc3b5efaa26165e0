// Who said that: signed envelopes end to end against a real redis-server (docs/PROTOCOL.md,
// "Signed envelopes"). Two signing sessions, alice and bob, and a raw client that forges.
#include "chat/ChatSession.h"
#include "chat/Ed25519Key.h"
#include "chat/EnvelopeSignature.h"
#include "chat/SenderVerifier.h"
#include "redis/RedisClient.h"
#include "redis/RedisSubscription.h"

#include "SessionTestSupport.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QUuid>

using namespace Redwire;
using namespace ChatTest;
using RedwireTest::RedisServerProcess;

class TestChatSignatures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void signedMessagesAreVerified();
    void forgedSenderIsNeverTheirs_data();
    void forgedSenderIsNeverTheirs();
    void forgedDirectMessageRaisesNothing();
    void changedKeyIsLoudUntilAccepted();
    void unsignedPublishersAreUnsigned();
    void replayedEnvelopeIsShownOnce();
    void onlyTheSignerEditsTheirMessage();
    void forgedEditInTheHistoryChangesNothing();
    void pythonExampleOfTheProtocolVerifies();
    void ourMessagesFromAnotherRunAreOurs();

private:
    std::unique_ptr<ChatSession> signingSession(const QString &nickname, const Ed25519Key &key);
    QByteArray forge(const QByteArray &channel, const QJsonObject &envelope, const Ed25519Key &key) const;
    const ChatMessage *find(ChatRoom *room, const QString &text) const;

    std::unique_ptr<RedisServerProcess> m_server;
    std::unique_ptr<CommandConnection> m_raw;
    Ed25519Key m_aliceKey;
    Ed25519Key m_bobKey;
    std::unique_ptr<ChatSession> m_alice;
    std::unique_ptr<ChatSession> m_bob;
    ChatRoom *m_aliceRoom = nullptr;
    ChatRoom *m_bobRoom = nullptr;
};

void TestChatSignatures::initTestCase()
{
    qRegisterMetaType<ChatMessage>();
}

std::unique_ptr<ChatSession> TestChatSignatures::signingSession(
    const QString &nickname, const Ed25519Key &key)
{
    auto session = std::make_unique<ChatSession>(fastConfig());
    session->setConnectionOptions(optionsFor(*m_server));
    session->setNickname(nickname);
    session->setSigningKey(key);
    session->connectToServer();
    return session;
}

QByteArray TestChatSignatures::forge(
    const QByteArray &channel, const QJsonObject &envelope, const Ed25519Key &key) const
{
    return QJsonDocument(EnvelopeSignature::sign(envelope, channel, key)).toJson(QJsonDocument::Compact);
}

const ChatMessage *TestChatSignatures::find(ChatRoom *room, const QString &text) const
{
    for (int row = 0; row < room->timeline()->count(); ++row)
        if (room->timeline()->at(row).text == text)
            return &room->timeline()->at(row);
    return nullptr;
}

void TestChatSignatures::init()
{
    m_server = std::make_unique<RedisServerProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_raw = std::make_unique<CommandConnection>(optionsFor(*m_server));
    m_raw->connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(m_raw->isConnected(), 10000);
    m_aliceKey = Ed25519Key::generate();
    m_bobKey = Ed25519Key::generate();
    m_alice = signingSession(QStringLiteral("alice"), m_aliceKey);
    m_bob = signingSession(QStringLiteral("bob"), m_bobKey);
    m_aliceRoom = m_alice->joinRoom(QStringLiteral("chat"));
    m_bobRoom = m_bob->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY_WITH_TIMEOUT(m_aliceRoom->isSynced() && m_bobRoom->isSynced(), 10000);
    // Each published its key under its nickname.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->cli({ "HLEN", "redwire:{user:alice}:keys" }), QByteArray("1"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->cli({ "HLEN", "redwire:{user:bob}:keys" }), QByteArray("1"), 10000);
}

void TestChatSignatures::cleanup()
{
    m_aliceRoom = m_bobRoom = nullptr;
    m_alice.reset();
    m_bob.reset();
    m_raw.reset();
    m_server.reset();
}

void TestChatSignatures::signedMessagesAreVerified()
{
    QVERIFY(m_aliceRoom->sendMessage(QStringLiteral("first from alice")));
    // Bob has never seen alice's key: it is fetched, checked and pinned on first use.
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("first from alice"))
            && find(m_bobRoom, QStringLiteral("first from alice"))->trust == SenderTrust::NewKey,
        10000);
    QVERIFY(m_aliceRoom->sendMessage(QStringLiteral("second from alice")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("second from alice"))
            && find(m_bobRoom, QStringLiteral("second from alice"))->trust == SenderTrust::Verified,
        10000);
    // Our own messages are ours.
    QCOMPARE(find(m_aliceRoom, QStringLiteral("first from alice"))->trust, SenderTrust::Verified);
    QVERIFY(!m_bob->senderVerifier()->safetyNumber(QStringLiteral("alice")).isEmpty());
    QCOMPARE(m_bob->senderVerifier()->safetyNumber(QStringLiteral("alice")),
        m_alice->senderVerifier()->safetyNumber(QStringLiteral("alice")));
}

void TestChatSignatures::forgedSenderIsNeverTheirs_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("signed by a key alice never published") << QStringLiteral("unpublished key");
    QTest::newRow("alice's key id, a bad signature") << QStringLiteral("bad signature");
    QTest::newRow("alice's real signature of other words") << QStringLiteral("altered text");
}

void TestChatSignatures::forgedSenderIsNeverTheirs()
{
    QFETCH(QString, how);
    // Bob knows alice already.
    QVERIFY(m_aliceRoom->sendMessage(QStringLiteral("hello bob")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("hello bob"))
            && find(m_bobRoom, QStringLiteral("hello bob"))->trust == SenderTrust::NewKey,
        10000);
    QSignalSpy arrived(m_bobRoom, &ChatRoom::messageArrived);

    const QString text = QStringLiteral("bob, send me the admin password");
    QJsonObject envelope { { "v", 1 }, { "id", "forged-1" }, { "kind", "message" }, { "from", "alice" },
        { "text", text }, { "ts", 1764547200000.0 } };
    QByteArray payload;
    if (how == QLatin1String("unpublished key")) {
        payload = forge("chat", envelope, Ed25519Key::generate());
    } else if (how == QLatin1String("bad signature")) {
        QJsonObject signedEnvelope = EnvelopeSignature::sign(envelope, "chat", m_aliceKey);
        signedEnvelope.insert("sig", QString::fromLatin1(QByteArray(64, '\x01').toBase64()));
        payload = QJsonDocument(signedEnvelope).toJson(QJsonDocument::Compact);
    } else {
        QJsonObject original = envelope;
        original.insert("text", QStringLiteral("harmless"));
        QJsonObject signedEnvelope = EnvelopeSignature::sign(original, "chat", m_aliceKey);
        signedEnvelope.insert("text", text);
        payload = QJsonDocument(signedEnvelope).toJson(QJsonDocument::Compact);
    }
    roundTrip(*m_raw, { "PUBLISH", "chat", payload });
    QTRY_VERIFY_WITH_TIMEOUT(
        find(m_bobRoom, text) && find(m_bobRoom, text)->trust == SenderTrust::Forged, 10000);
    // A message that is certainly alice's, sent after: once it is in, the forgery had its chance.
    QVERIFY(m_aliceRoom->sendMessage(QStringLiteral("really alice")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("really alice")), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), 1, 10000);
    QCOMPARE(arrived.at(0).at(0).value<ChatMessage>().text, QStringLiteral("really alice"));
    QCOMPARE(find(m_bobRoom, text)->trust, SenderTrust::Forged);
}

void TestChatSignatures::forgedDirectMessageRaisesNothing()
{
    // "bob" writes to alice; bob never published this key.
    const RoomAddress dm = RoomAddress::direct(QStringLiteral("alice"), QStringLiteral("bob"));
    QJsonObject envelope { { "v", 1 }, { "id", "forged-dm" }, { "kind", "message" }, { "from", "bob" },
        { "text", QStringLiteral("click this link") }, { "ts", 1764547200000.0 } };
    roundTrip(*m_raw, { "PUBLISH", dm.channel(), forge(dm.channel(), envelope, Ed25519Key::generate()) });
    ChatRoom *room = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((room = m_alice->directRoom(QStringLiteral("bob"))) != nullptr, 10000);
    QSignalSpy arrived(room, &ChatRoom::messageArrived);
    QTRY_VERIFY_WITH_TIMEOUT(find(room, QStringLiteral("click this link"))
            && find(room, QStringLiteral("click this link"))->trust == SenderTrust::Forged,
        10000);
    QCOMPARE(room->unreadCount(), 0);
    QVERIFY(!find(room, QStringLiteral("click this link"))->mentionsMe);
    QCOMPARE(arrived.count(), 0);
}

void TestChatSignatures::changedKeyIsLoudUntilAccepted()
{
    QVERIFY(m_aliceRoom->sendMessage(QStringLiteral("before")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("before"))
            && find(m_bobRoom, QStringLiteral("before"))->trust == SenderTrust::NewKey,
        10000);
    // Alice on a new device, with a new key.
    m_aliceRoom = nullptr;
    m_alice.reset();
    m_alice = signingSession(QStringLiteral("alice"), Ed25519Key::generate());
    m_aliceRoom = m_alice->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY_WITH_TIMEOUT(m_aliceRoom->isSynced(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->cli({ "HLEN", "redwire:{user:alice}:keys" }), QByteArray("2"), 10000);
    QVERIFY(m_aliceRoom->sendMessage(QStringLiteral("new laptop")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("new laptop"))
            && find(m_bobRoom, QStringLiteral("new laptop"))->trust == SenderTrust::KeyChanged,
        10000);
    QVERIFY(m_bob->senderVerifier()->acceptChangedKey(QStringLiteral("alice")));
    QVERIFY(m_aliceRoom->sendMessage(QStringLiteral("after accepting")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("after accepting"))
            && find(m_bobRoom, QStringLiteral("after accepting"))->trust == SenderTrust::Verified,
        10000);
}

void TestChatSignatures::unsignedPublishersAreUnsigned()
{
    roundTrip(*m_raw, { "PUBLISH", "chat", "plain words from redis-cli" });
    roundTrip(*m_raw,
        { "PUBLISH", "chat", R"({"v":1,"id":"old-1","kind":"message","from":"carol","text":"old client"})" });
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("old client")), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("plain words from redis-cli")), 10000);
    QCOMPARE(find(m_bobRoom, QStringLiteral("old client"))->trust, SenderTrust::Unsigned);
    QCOMPARE(find(m_bobRoom, QStringLiteral("plain words from redis-cli"))->trust, SenderTrust::Unsigned);
}

void TestChatSignatures::replayedEnvelopeIsShownOnce()
{
    // Bob captures alice's signed envelope from the wire and publishes it again, twice.
    RedisSubscription *tap = nullptr;
    QByteArray captured;
    RedisClient listener(optionsFor(*m_server));
    tap = listener.subscribe("chat");
    connect(
        tap, &RedisSubscription::messageReceived, this, [&](const QByteArray &, const QByteArray &payload) {
            if (payload.contains("replay me"))
                captured = payload;
        });
    listener.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(
        m_server->cli({ "PUBSUB", "NUMSUB", "chat" }).split('\n').value(1), QByteArray("3"), 10000);
    QVERIFY(m_aliceRoom->sendMessage(QStringLiteral("replay me")));
    QTRY_VERIFY_WITH_TIMEOUT(!captured.isEmpty(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("replay me")), 10000);
    roundTrip(*m_raw, { "PUBLISH", "chat", captured });
    roundTrip(*m_raw, { "PUBLISH", "chat", captured });
    QVERIFY(m_aliceRoom->sendMessage(QStringLiteral("marker")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("marker")), 10000);
    int copies = 0;
    for (int row = 0; row < m_bobRoom->timeline()->count(); ++row)
        copies += m_bobRoom->timeline()->at(row).text == QLatin1String("replay me");
    QCOMPARE(copies, 1);
}

// Edits claiming alice's name: signed by another key, or unsigned (alice signs), change nothing;
// alice's own signed edit does.
void TestChatSignatures::onlyTheSignerEditsTheirMessage()
{
    QVERIFY(m_aliceRoom->sendMessage(QStringLiteral("the meeting is at 10")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("the meeting is at 10"))
            && find(m_bobRoom, QStringLiteral("the meeting is at 10"))->trust == SenderTrust::NewKey,
        10000);
    const QString id = find(m_bobRoom, QStringLiteral("the meeting is at 10"))->id;
    auto edit = [&](const QString &text) {
        return QJsonObject { { "v", 1 }, { "id", QUuid::createUuid().toString(QUuid::WithoutBraces) },
            { "kind", "edit" }, { "from", "alice" }, { "ref", id }, { "text", text },
            { "ts", 1764547200000.0 } };
    };
    // Signed by a key alice never published: held while her keys are fetched again, then dropped.
    QSignalSpy looked(m_bob->senderVerifier(), &SenderVerifier::keysArrived);
    roundTrip(*m_raw,
        { "PUBLISH", "chat", forge("chat", edit(QStringLiteral("forged: at 11")), Ed25519Key::generate()) });
    QTRY_VERIFY_WITH_TIMEOUT(!looked.isEmpty(), 10000);
    QVERIFY(find(m_bobRoom, QStringLiteral("the meeting is at 10")));
    QVERIFY(!find(m_bobRoom, QStringLiteral("forged: at 11")));
    // Unsigned, while alice signs: ignored at once.
    roundTrip(*m_raw,
        { "PUBLISH", "chat",
            QJsonDocument(edit(QStringLiteral("unsigned: at 12"))).toJson(QJsonDocument::Compact) });
    // Alice's own edit, after both: once it shows, the unsigned one had its chance.
    const QString aliceId = find(m_aliceRoom, QStringLiteral("the meeting is at 10"))->id;
    QVERIFY(m_aliceRoom->editMessage(aliceId, QStringLiteral("the meeting is at 9")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("the meeting is at 9")), 10000);
    QVERIFY(!find(m_bobRoom, QStringLiteral("unsigned: at 12")));
    QVERIFY(!find(m_bobRoom, QStringLiteral("forged: at 11")));
}

// Changes read from the stream are checked like live ones: an edit stored straight into the
// history (never published), claiming alice and signed by a key she never published, is newer
// than her real edit, and must not win for someone who joins later; nor an unsigned one.
void TestChatSignatures::forgedEditInTheHistoryChangesNothing()
{
    QVERIFY(m_aliceRoom->sendMessage(QStringLiteral("lunch at noon")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_aliceRoom, QStringLiteral("lunch at noon"))
            && find(m_aliceRoom, QStringLiteral("lunch at noon"))->delivery == ChatMessage::Delivery::Sent,
        10000);
    const QString id = find(m_aliceRoom, QStringLiteral("lunch at noon"))->id;
    QVERIFY(m_aliceRoom->editMessage(id, QStringLiteral("lunch at one")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("lunch at one")), 10000);
    const QJsonObject forgedEdit { { "v", 1 }, { "id", QUuid::createUuid().toString(QUuid::WithoutBraces) },
        { "kind", "edit" }, { "from", "alice" }, { "ref", id }, { "text", "forged: lunch cancelled" },
        { "ts", 1764547200000.0 } };
    const QByteArray historyKey = m_aliceRoom->address().historyKey();
    const RedisReply stored = roundTrip(
        *m_raw, { "XADD", historyKey, "*", "env", forge("chat", forgedEdit, Ed25519Key::generate()) });
    QVERIFY(!stored.isError());
    // And an unsigned one, newer still: alice signs, so an unsigned edit of her signed message
    // is not hers, even for a reader who has not pinned her key yet.
    QJsonObject unsignedEdit = forgedEdit;
    unsignedEdit.insert("id", QUuid::createUuid().toString(QUuid::WithoutBraces));
    unsignedEdit.insert("text", "unsigned: lunch at three");
    QVERIFY(!roundTrip(*m_raw,
        { "XADD", historyKey, "*", "env", QJsonDocument(unsignedEdit).toJson(QJsonDocument::Compact) })
                 .isError());

    auto carol = signingSession(QStringLiteral("carol"), Ed25519Key::generate());
    ChatRoom *carolRoom = carol->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY_WITH_TIMEOUT(carolRoom->isSynced(), 10000);
    // Alice's edit applies once her key is fetched; had the forged one been taken, it would have
    // won (it is newer) and "lunch at one" would never show.
    QTRY_VERIFY_WITH_TIMEOUT(find(carolRoom, QStringLiteral("lunch at one")), 10000);
    QVERIFY(!find(carolRoom, QStringLiteral("forged: lunch cancelled")));
    QVERIFY(!find(carolRoom, QStringLiteral("unsigned: lunch at three")));
    QVERIFY(!find(carolRoom, QStringLiteral("lunch at noon")));
}

// The Python example in docs/PROTOCOL.md, run as written (against this server): a bot's signed
// message is pinned as a new key, then verified.
void TestChatSignatures::pythonExampleOfTheProtocolVerifies()
{
    QFile document(QStringLiteral(REDWIRE_SOURCE_DIR "/docs/PROTOCOL.md"));
    QVERIFY(document.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(document.readAll());
    const qsizetype section = text.indexOf(QLatin1String("Signing from Python"));
    QVERIFY(section >= 0);
    const qsizetype start = text.indexOf(QLatin1String("```python\n"), section);
    const qsizetype end = text.indexOf(QLatin1String("```"), start + 10);
    QVERIFY(start >= 0 && end > start);
    QString script = text.mid(start + 10, end - start - 10);
    script.replace(
        QLatin1String("redis.Redis()"), QStringLiteral("redis.Redis(port=%1)").arg(m_server->port()));
    // Sent twice with the same key: the second is verified against the pin.
    script += QStringLiteral(
        "envelope[\"id\"] = str(uuid.uuid4()); envelope[\"text\"] = \"second\"\n"
        "r.publish(\"chat\", json.dumps(sign(envelope, \"chat\", key), separators=(\",\", \":\")))\n");
    QProcess python;
    // Debian's python3 (with python3-cryptography and python3-redis), before any other on PATH.
    QString interpreter
        = QStandardPaths::findExecutable(QStringLiteral("python3"), { QStringLiteral("/usr/bin") });
    if (interpreter.isEmpty())
        interpreter = QStandardPaths::findExecutable(QStringLiteral("python3"));
    QVERIFY2(!interpreter.isEmpty(), "python3 is not installed (.ci/install-deps installs it)");
    python.start(interpreter, { QStringLiteral("-c"), script });
    QVERIFY2(python.waitForFinished(30000), "python3 did not finish");
    QVERIFY2(python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0,
        python.readAllStandardError().constData());
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("deploy finished"))
            && find(m_bobRoom, QStringLiteral("deploy finished"))->trust == SenderTrust::NewKey,
        10000);
    QTRY_VERIFY_WITH_TIMEOUT(find(m_bobRoom, QStringLiteral("second"))
            && find(m_bobRoom, QStringLiteral("second"))->trust == SenderTrust::Verified,
        10000);
}

QTEST_GUILESS_MAIN(TestChatSignatures)
#include "tst_chatsignatures.moc"

// A message signed with our own key that this run did not send (an earlier run, another window
// with the same identity) is ours: it does not mention us (it was shown highlighted as a mention
// after a restart), is not unread and raises no notification.
void TestChatSignatures::ourMessagesFromAnotherRunAreOurs()
{
    QVERIFY(m_aliceRoom->sendMessage(QStringLiteral("@alice remember the milk")));
    QTRY_VERIFY_WITH_TIMEOUT(find(m_aliceRoom, QStringLiteral("@alice remember the milk"))
            && !find(m_aliceRoom, QStringLiteral("@alice remember the milk"))->streamId.isNull(),
        10000);

    // Restarted: the history holds it.
    const auto restarted = signingSession(QStringLiteral("alice"), m_aliceKey);
    ChatRoom *room = restarted->joinRoom(QStringLiteral("chat"));
    QSignalSpy mentioned(room, &ChatRoom::mentioned);
    QTRY_VERIFY_WITH_TIMEOUT(room->isSynced(), 10000);
    const ChatMessage *fromHistory = find(room, QStringLiteral("@alice remember the milk"));
    QVERIFY(fromHistory);
    room->senderShown(fromHistory->id); // the view shows it: checked soon
    QTRY_VERIFY_WITH_TIMEOUT(find(room, QStringLiteral("@alice remember the milk"))->trustAssessed, 10000);
    fromHistory = find(room, QStringLiteral("@alice remember the milk"));
    QCOMPARE(fromHistory->trust, SenderTrust::Verified);
    QVERIFY(!fromHistory->mentionsMe);

    // Live, from the other run, then one from bob: only bob's is unread or mentions us.
    QVERIFY(m_aliceRoom->sendMessage(QStringLiteral("@alice and the bread")));
    QVERIFY(m_bobRoom->sendMessage(QStringLiteral("@alice hello")));
    QTRY_VERIFY_WITH_TIMEOUT(room->unreadCount() >= 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(find(room, QStringLiteral("@alice and the bread"))
            && find(room, QStringLiteral("@alice and the bread"))->trustAssessed,
        10000);
    QCOMPARE(find(room, QStringLiteral("@alice and the bread"))->trust, SenderTrust::Verified);
    QVERIFY(!find(room, QStringLiteral("@alice and the bread"))->mentionsMe);
    QCOMPARE(room->unreadCount(), 1);
    QCOMPARE(room->unreadMentionCount(), 1);
    QCOMPARE(mentioned.size(), 1);
    QCOMPARE(mentioned.first().first().value<ChatMessage>().sender, QStringLiteral("bob"));
}
