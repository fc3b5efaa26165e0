// When senders are checked (RoomSenderChecks) and what a check costs (SignatureVerdicts, the
// parsed-key cache): signed rows wait until shown, what can notify goes first and within a budget
// per event-loop turn, forgeries are never handed back nor shown verified, the same signature is
// verified once. No server: the pins are on disk, the keys are known.
#include "chat/ChatEnvelope.h"
#include "chat/ChatMessage.h"
#include "chat/Ed25519Key.h"
#include "chat/EnvelopeSignature.h"
#include "chat/KeyPinStore.h"
#include "chat/RoomSenderChecks.h"
#include "chat/RoomTimeline.h"
#include "chat/SenderVerifier.h"
#include "chat/SignatureVerdicts.h"
#include "redis/CommandConnection.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Redwire;

class TestRoomSenderChecks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void signedRowsWaitUntilShown();
    void shownRowsNewestFirstWithinTheIdleBudget();
    void notifyingMessagesFirstWithinABudgetPerTurn();
    void inAFloodNotifyingMessagesNewestFirstAtAFloodPace();
    void forgeriesAreNeverHandedBackNorVerified();
    void sameSignatureIsVerifiedOnce();
    void copiedSignatureOnAnotherBodyFails();
    void keysArrivedMarksPendingRowsForAnotherCheck();

private:
    // A message from alice (signed with `key`), as a room receives it: decoded, judged cheaply,
    // placed. Returns the message as placed.
    ChatMessage receive(const QString &text, const Ed25519Key &key, bool forgedSignature = false);

    QTemporaryDir m_dir;
    Ed25519Key m_alice;
    std::unique_ptr<CommandConnection> m_commands;
    std::unique_ptr<SenderVerifier> m_verifier;
    std::unique_ptr<RoomTimeline> m_timeline;
    std::unique_ptr<RoomSenderChecks> m_checks;
    int m_sequence = 0;
};

void TestRoomSenderChecks::initTestCase()
{
    qRegisterMetaType<ChatMessage>();
    qRegisterMetaType<QList<ChatMessage>>();
    QVERIFY(m_dir.isValid());
    m_alice = Ed25519Key::generate();
    QVERIFY(!m_alice.isNull());
}

void TestRoomSenderChecks::init()
{
    const QString pins = m_dir.filePath(QStringLiteral("pins-%1.json").arg(QTest::currentTestFunction()));
    QVERIFY(KeyPinStore(pins).setPin(QStringLiteral("alice"), m_alice.publicKey(), 0));
    m_commands = std::make_unique<CommandConnection>(); // never connected: every key is pinned
    m_verifier = std::make_unique<SenderVerifier>(m_commands.get());
    m_verifier->setPinStorePath(pins);
    m_timeline = std::make_unique<RoomTimeline>();
    m_checks = std::make_unique<RoomSenderChecks>(m_timeline.get(), "chat");
    m_checks->setVerifier(m_verifier.get());
}

void TestRoomSenderChecks::cleanup()
{
    m_checks.reset();
    m_timeline.reset();
    m_verifier.reset();
    m_commands.reset();
}

ChatMessage TestRoomSenderChecks::receive(const QString &text, const Ed25519Key &key, bool forgedSignature)
{
    ChatEnvelope envelope = ChatEnvelope::create(ChatEnvelope::Kind::Message, QStringLiteral("alice"), text);
    ++m_sequence;
    envelope.streamId = StreamId(1'700'000'000'000 + quint64(m_sequence), 0);
    QByteArray payload = envelope.encode("chat", key);
    if (forgedSignature) {
        // The key id alice's, the signature someone else's.
        QJsonObject json = QJsonDocument::fromJson(payload).object();
        const QJsonObject other
            = QJsonDocument::fromJson(envelope.encode("chat", Ed25519Key::generate())).object();
        json.insert(QStringLiteral("sig"), other.value(QStringLiteral("sig")));
        payload = QJsonDocument(json).toJson(QJsonDocument::Compact);
    }
    ChatMessage message
        = ChatMessage::fromEnvelope(ChatEnvelope::decode(payload, 64 * 1024), QStringLiteral("bob"), 0);
    m_checks->judgeCheaply(message);
    m_timeline->addLive(message, 1);
    return message;
}

// Nothing is verified on arrival; a row the view shows is, and only it.
void TestRoomSenderChecks::signedRowsWaitUntilShown()
{
    for (int i = 0; i < 100; ++i)
        receive(QStringLiteral("message %1").arg(i), m_alice);
    QCOMPARE(m_timeline->count(), 100);
    for (int row = 0; row < 100; ++row) {
        QVERIFY(!m_timeline->at(row).trustAssessed);
        QCOMPARE(m_timeline->at(row).trust, SenderTrust::Pending);
    }
    QCOMPARE(m_verifier->verificationsDone(), 0);

    QSignalSpy changed(m_timeline.get(), &RoomTimeline::messageChanged);
    m_checks->shown(m_timeline->at(42).id);
    QTRY_VERIFY_WITH_TIMEOUT(m_timeline->at(42).trustAssessed, 10000);
    QCOMPARE(m_timeline->at(42).trust, SenderTrust::Verified);
    QCOMPARE(changed.size(), 1); // the model hears of it (dataChanged)
    QCOMPARE(changed.first().first().toInt(), 42);
    QCOMPARE(m_verifier->verificationsDone(), 1);
    QVERIFY(!m_timeline->at(41).trustAssessed);
    QVERIFY(!m_timeline->at(43).trustAssessed);
    // Asked again: nothing more to do.
    m_checks->shown(m_timeline->at(42).id);
    QTRY_COMPARE_WITH_TIMEOUT(m_checks->queuedCount(), 0, 10000);
    QCOMPARE(m_verifier->verificationsDone(), 1);
}

// A view scrolling through a flood asks for many rows: the newest requests are served first,
// at most IdleChecksPerTurn per idle turn, and old requests are let go.
void TestRoomSenderChecks::shownRowsNewestFirstWithinTheIdleBudget()
{
    for (int i = 0; i < 200; ++i)
        receive(QStringLiteral("message %1").arg(i), m_alice);
    QSignalSpy changed(m_timeline.get(), &RoomTimeline::messageChanged);
    for (int row = 0; row < 200; ++row)
        m_checks->shown(m_timeline->at(row).id);
    QCOMPARE(m_checks->queuedCount(), RoomSenderChecks::MaxShownRequests);
    QTRY_COMPARE_WITH_TIMEOUT(m_checks->queuedCount(), 0, 30000);
    QCOMPARE(m_verifier->verificationsDone(), RoomSenderChecks::MaxShownRequests);
    // Served newest first; the requests before the newest 64 were let go (scrolled away).
    QCOMPARE(changed.size(), RoomSenderChecks::MaxShownRequests);
    for (int i = 0; i < changed.size(); ++i)
        QCOMPARE(changed.at(i).first().toInt(), 199 - i);
    QVERIFY(!m_timeline->at(0).trustAssessed);
}

// Messages that can notify are checked before anything else, a few per event-loop turn: one
// pass of the event loop never does more than NotifyChecksPerTurn verifications.
void TestRoomSenderChecks::notifyingMessagesFirstWithinABudgetPerTurn()
{
    QSignalSpy verdicts(m_checks.get(), &RoomSenderChecks::verdictsReached);
    QStringList awaited;
    for (int i = 0; i < 40; ++i) {
        const ChatMessage message = receive(QStringLiteral("bob, look %1").arg(i), m_alice);
        awaited.append(message.id);
        m_checks->awaitVerdict(message, RoomSenderChecks::Priority::Notify);
    }
    QCOMPARE(m_verifier->verificationsDone(), 0);
    QCoreApplication::processEvents();
    QVERIFY2(m_verifier->verificationsDone() <= RoomSenderChecks::NotifyChecksPerTurn,
        qPrintable(QString::number(m_verifier->verificationsDone())));
    QTRY_COMPARE_WITH_TIMEOUT(m_checks->waitingCount(), 0, 10000);
    QStringList handedBack;
    for (const QList<QVariant> &arguments : verdicts)
        for (const ChatMessage &message : arguments.first().value<QList<ChatMessage>>()) {
            QCOMPARE(message.trust, SenderTrust::Verified);
            handedBack.append(message.id);
        }
    QCOMPARE(handedBack, awaited); // in order
    // Their rows carry the same verdicts, at one verification each.
    for (int row = 0; row < m_timeline->count(); ++row)
        QCOMPARE(m_timeline->at(row).trust, SenderTrust::Verified);
    QCOMPARE(m_verifier->verificationsDone(), 40);
}

// Over FloodPerSecond signed messages a second, a room whose every message may notify no longer
// checks each of them first: NotifyChecksPerTurnInAFlood per turn, the newest first (it is the one
// a notification shows), so a flood of 10,000 a second costs at most 120 checks a second.
void TestRoomSenderChecks::inAFloodNotifyingMessagesNewestFirstAtAFloodPace()
{
    // Unsigned arrivals count towards the rate as well; they cost no check.
    for (int i = 0; i < RoomSenderChecks::FloodPerSecond; ++i)
        receive(QStringLiteral("flood %1").arg(i), Ed25519Key());
    QSignalSpy verdicts(m_checks.get(), &RoomSenderChecks::verdictsReached);
    QStringList awaited;
    for (int i = 0; i < 20; ++i) {
        const ChatMessage message = receive(QStringLiteral("look %1").arg(i), m_alice);
        awaited.append(message.id);
        m_checks->awaitVerdict(message, RoomSenderChecks::Priority::Notify);
    }
    QCOMPARE(m_verifier->verificationsDone(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!verdicts.isEmpty(), 10000);
    QVERIFY(m_checks->flooded());
    QVERIFY2(m_verifier->verificationsDone() <= RoomSenderChecks::NotifyChecksPerTurnInAFlood,
        qPrintable(QString::number(m_verifier->verificationsDone())));
    QCOMPARE(verdicts.first().first().value<QList<ChatMessage>>().first().id, awaited.last());
    // Everything is judged in the end, each once.
    QTRY_COMPARE_WITH_TIMEOUT(m_checks->waitingCount(), 0, 10000);
    QCOMPARE(verdicts.size(), 20);
    QCOMPARE(m_verifier->verificationsDone(), 20);
}

void TestRoomSenderChecks::forgeriesAreNeverHandedBackNorVerified()
{
    QSignalSpy verdicts(m_checks.get(), &RoomSenderChecks::verdictsReached);
    int handedBack = 0;
    connect(
        m_checks.get(), &RoomSenderChecks::verdictsReached, this, [&](const QList<ChatMessage> &messages) {
            for (const ChatMessage &message : messages) {
                QVERIFY2(message.text.startsWith(QLatin1String("real")), qPrintable(message.text));
                ++handedBack;
            }
        });
    for (int i = 0; i < 20; ++i) {
        const bool forged = i % 3 == 0;
        const ChatMessage message
            = receive(QStringLiteral("%1 bob %2").arg(forged ? "forged" : "real").arg(i), m_alice, forged);
        m_checks->awaitVerdict(
            message, i % 2 ? RoomSenderChecks::Priority::Notify : RoomSenderChecks::Priority::Count);
    }
    QTRY_COMPARE_WITH_TIMEOUT(handedBack, 13, 20000);
    // Alice's key id with a signature her pinned key does not make: her published keys are
    // fetched to see whether she has another (no server here, so they never come); meanwhile
    // the forgeries wait, unjudged, and are never handed back nor shown verified.
    QTRY_COMPARE_WITH_TIMEOUT(m_checks->queuedCount(), 0, 20000);
    QCOMPARE(m_checks->waitingCount(), 7);
    for (int row = 0; row < m_timeline->count(); ++row) {
        const ChatMessage &message = m_timeline->at(row);
        QVERIFY(message.trustAssessed);
        QCOMPARE(message.trust,
            message.text.startsWith(QLatin1String("forged")) ? SenderTrust::Pending : SenderTrust::Verified);
    }
    // An unreadable signature is forged at once, without a check.
    ChatEnvelope broken
        = ChatEnvelope::create(ChatEnvelope::Kind::Message, QStringLiteral("alice"), QStringLiteral("bob!"));
    QJsonObject json = QJsonDocument::fromJson(broken.encode("chat", m_alice)).object();
    json.insert(QStringLiteral("sig"), QStringLiteral("not base64 of 64 bytes"));
    ChatMessage message = ChatMessage::fromEnvelope(
        ChatEnvelope::decode(QJsonDocument(json).toJson(QJsonDocument::Compact), 4096), QStringLiteral("bob"),
        0);
    QVERIFY(message.mentionsMe);
    m_checks->judgeCheaply(message);
    QVERIFY(message.trustAssessed);
    QCOMPARE(message.trust, SenderTrust::Forged);
    QVERIFY(!message.mentionsMe);
}

void TestRoomSenderChecks::sameSignatureIsVerifiedOnce()
{
    const ChatEnvelope envelope
        = ChatEnvelope::create(ChatEnvelope::Kind::Message, QStringLiteral("alice"), QStringLiteral("hi"));
    const EnvelopeSignature::Claim claim
        = ChatEnvelope::decode(envelope.encode("chat", m_alice), 4096).signature;
    SignatureVerdicts verdicts;
    QVERIFY(verdicts.verify(claim, "chat", m_alice.publicKey()));
    QVERIFY(verdicts.verify(claim, "chat", m_alice.publicKey()));
    QCOMPARE(verdicts.verificationsDone(), 1);
    // Another channel, another key: checked afresh, and false.
    QVERIFY(!verdicts.verify(claim, "other", m_alice.publicKey()));
    QVERIFY(!verdicts.verify(claim, "chat", Ed25519Key::generate().publicKey()));
    QCOMPARE(verdicts.verificationsDone(), 3);
}

// A good signature copied onto a different body: the remembered verdict must not carry over.
void TestRoomSenderChecks::copiedSignatureOnAnotherBodyFails()
{
    const ChatEnvelope envelope = ChatEnvelope::create(
        ChatEnvelope::Kind::Message, QStringLiteral("alice"), QStringLiteral("pay 10"));
    QJsonObject json = QJsonDocument::fromJson(envelope.encode("chat", m_alice)).object();
    SignatureVerdicts verdicts;
    QVERIFY(verdicts.verify(
        ChatEnvelope::decode(QJsonDocument(json).toJson(), 4096).signature, "chat", m_alice.publicKey()));
    json.insert(QStringLiteral("text"), QStringLiteral("pay 1000"));
    QVERIFY(!verdicts.verify(
        ChatEnvelope::decode(QJsonDocument(json).toJson(), 4096).signature, "chat", m_alice.publicKey()));
}

// A row waiting for its sender's keys is marked for another check when they arrive (the end to
// end case, with a server, is in tst_chatsignatures and tst_trustview).
void TestRoomSenderChecks::keysArrivedMarksPendingRowsForAnotherCheck()
{
    const Ed25519Key newKey = Ed25519Key::generate();
    const ChatMessage message = receive(QStringLiteral("from the new laptop"), newKey);
    m_checks->shown(message.id);
    // Not pinned and not fetched (no server): pending on the key.
    QTRY_VERIFY_WITH_TIMEOUT(m_timeline->at(0).trustAssessed, 10000);
    QCOMPARE(m_timeline->at(0).trust, SenderTrust::Pending);
    QSignalSpy changed(m_timeline.get(), &RoomTimeline::messageChanged);
    m_checks->senderKeysChanged(QStringLiteral("alice"), false);
    QCOMPARE(changed.size(), 1);
    QVERIFY(!m_timeline->at(0).trustAssessed); // to be checked again when shown
}

QTEST_GUILESS_MAIN(TestRoomSenderChecks)
#include "tst_roomsenderchecks.moc"
