// Outbox against a real redis-server: queued while disconnected, sent in order on connect and
// after a server restart, exactly once (also when a send is repeated), refusals shown as failed
// and retried, sends to different conversations independent.
#include "chat/ChatEnvelope.h"
#include "chat/ChatScripts.h"
#include "chat/Outbox.h"

#include "ChatTestSupport.h"

#include "redis/SubscriberConnection.h"

#include <QSignalSpy>

using namespace Redwire;
using ChatTest::roundTrip;
using RedwireTest::RedisServerProcess;

namespace {
struct Message
{
    QString id;
    QByteArray envelope;
};

Message message(const QString &text)
{
    const ChatEnvelope envelope
        = ChatEnvelope::create(ChatEnvelope::Kind::Message, QStringLiteral("alice"), text);
    return { envelope.id, envelope.encode() };
}

// The texts stored in a conversation's stream, oldest first.
QStringList storedTexts(CommandConnection &connection, const RoomAddress &address)
{
    const RedisReply reply = roundTrip(connection, { "XRANGE", address.historyKey(), "-", "+" });
    QStringList texts;
    for (const RedisReply &entry : reply.elements())
        texts.append(ChatEnvelope::decode(entry.at(1).at(1).bytes(), 65536).text);
    return texts;
}

std::unique_ptr<CommandConnection> connectedTo(const RedisServerProcess &server)
{
    auto connection = std::make_unique<CommandConnection>(ChatTest::optionsFor(server));
    QSignalSpy connected(connection.get(), &RedisConnection::connected);
    connection->connectToServer();
    connected.wait(5000);
    return connection;
}
} // namespace

class TestOutbox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void queuedUntilConnectedThenSentInOrder();
    void serverRestartSendsEachExactlyOnce();
    void repeatedSendIsStoredOnce();
    void refusedSendFailsAndCanBeRetried();
    void conversationsDoNotWaitForEachOther();
    void refusesBadInput();
};

void TestOutbox::initTestCase()
{
    qRegisterMetaType<RoomAddress>();
    qRegisterMetaType<StreamId>();
}

void TestOutbox::queuedUntilConnectedThenSentInOrder()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    CommandConnection connection(ChatTest::optionsFor(server));
    Outbox outbox(&connection, ChatConfig());
    QSignalSpy sent(&outbox, &Outbox::sent);
    const RoomAddress room = RoomAddress::room(QStringLiteral("chat"));
    QStringList expected;
    for (int i = 1; i <= 5; ++i) {
        const Message m = message(QStringLiteral("m%1").arg(i));
        QVERIFY(outbox.enqueue(room, m.id, m.envelope));
        expected.append(QStringLiteral("m%1").arg(i));
    }
    QCOMPARE(outbox.count(), 5);
    QCOMPARE(outbox.items().first().state, Outbox::State::Queued);

    connection.connectToServer();
    QTRY_COMPARE(sent.count(), 5);
    QCOMPARE(outbox.count(), 0);
    StreamId previous;
    for (const QList<QVariant> &args : std::as_const(sent)) {
        const StreamId id = args.at(2).value<StreamId>();
        QVERIFY(previous < id);
        previous = id;
    }
    QCOMPARE(storedTexts(connection, room), expected);
}

void TestOutbox::serverRestartSendsEachExactlyOnce()
{
    RedisServerProcess server;
    RedisServerProcess::Options options;
    options.extraConfig << QStringLiteral("appendonly yes") << QStringLiteral("appendfsync always");
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    const std::unique_ptr<CommandConnection> connection = connectedTo(server);
    QVERIFY(connection->isConnected());
    Outbox outbox(connection.get(), ChatConfig());
    QSignalSpy sent(&outbox, &Outbox::sent);
    const RoomAddress room = RoomAddress::room(QStringLiteral("chat"));

    const Message first = message(QStringLiteral("before"));
    QVERIFY(outbox.enqueue(room, first.id, first.envelope));
    QTRY_COMPARE(sent.count(), 1);

    server.stop();
    QTRY_VERIFY(!connection->isConnected());
    QStringList expected { QStringLiteral("before") };
    for (int i = 1; i <= 4; ++i) {
        const Message m = message(QStringLiteral("offline %1").arg(i));
        QVERIFY(outbox.enqueue(room, m.id, m.envelope));
        expected.append(QStringLiteral("offline %1").arg(i));
    }
    QCOMPARE(outbox.count(), 4);
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), 5, 10000);
    QCOMPARE(outbox.count(), 0);
    QCOMPARE(storedTexts(*connection, room), expected);
}

void TestOutbox::repeatedSendIsStoredOnce()
{
    // A send whose reply was lost is sent again; the script answers with the first stream ID and
    // neither stores nor publishes it a second time.
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const std::unique_ptr<CommandConnection> connection = connectedTo(server);
    SubscriberConnection subscriber(ChatTest::optionsFor(server));
    QSignalSpy subscribed(&subscriber, &SubscriberConnection::subscribed);
    QSignalSpy received(&subscriber, &SubscriberConnection::messageReceived);
    subscriber.subscribe("chat");
    subscriber.connectToServer();
    QTRY_VERIFY(subscriber.isActive(SubscriberConnection::TopicKind::Channel, "chat"));

    const RoomAddress room = RoomAddress::room(QStringLiteral("chat"));
    const Message m = message(QStringLiteral("once"));
    const QList<QByteArray> command = ChatScripts::eval(ChatScripts::send(),
        { room.historyKey(), room.sentKey(m.id.toUtf8()) }, { room.channel(), m.envelope, "1000", "60000" });
    const RedisReply first = roundTrip(*connection, command);
    const RedisReply second = roundTrip(*connection, command);
    QVERIFY2(first.isString(), qPrintable(first.toDisplayString()));
    QCOMPARE(second, first);
    QCOMPARE(roundTrip(*connection, { "XLEN", room.historyKey() }), RedisReply::integer(1));
    QCOMPARE(roundTrip(*connection, { "PING" }), RedisReply::status("PONG"));
    QTRY_COMPARE(received.count(), 1);
    // What was published: the envelope with its stream ID in front.
    const QByteArray published = received.first().at(1).toByteArray();
    QVERIFY(published.startsWith("{\"sid\":\"" + first.bytes() + "\","));
    const ChatEnvelope envelope = ChatEnvelope::decode(published, 65536);
    QCOMPARE(envelope.id, m.id);
    QCOMPARE(envelope.streamId, StreamId::parse(first.bytes()));
    // The sent-ID key expires.
    const qint64 ttl = roundTrip(*connection, { "PTTL", room.sentKey(m.id.toUtf8()) }).toInteger();
    QVERIFY(ttl > 0 && ttl <= 60000);
}

void TestOutbox::refusedSendFailsAndCanBeRetried()
{
    RedisServerProcess server;
    RedisServerProcess::Options options;
    options.aclUsers << QStringLiteral("user writer on >secret ~* &* +@all -eval");
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    ConnectionOptions connectionOptions = ChatTest::optionsFor(server);
    connectionOptions.username = QStringLiteral("writer");
    connectionOptions.password = QStringLiteral("secret");
    CommandConnection connection(connectionOptions);
    QSignalSpy connected(&connection, &RedisConnection::connected);
    connection.connectToServer();
    QVERIFY(connected.wait(5000));

    Outbox outbox(&connection, ChatConfig());
    QSignalSpy sent(&outbox, &Outbox::sent);
    QSignalSpy failed(&outbox, &Outbox::failed);
    const RoomAddress room = RoomAddress::room(QStringLiteral("chat"));
    const Message refused = message(QStringLiteral("refused"));
    QVERIFY(outbox.enqueue(room, refused.id, refused.envelope));
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.first().at(1).toString(), refused.id);
    QVERIFY2(failed.first().at(2).toString().contains(QLatin1String("NOPERM")),
        qPrintable(failed.first().at(2).toString()));
    QCOMPARE(outbox.item(refused.id)->state, Outbox::State::Failed);
    QCOMPARE(outbox.count(), 1); // kept, not lost
    QVERIFY(!outbox.retry(QStringLiteral("no such id")));

    server.cli({ "ACL", "SETUSER", "writer", "+eval" });
    QVERIFY(outbox.retry(refused.id));
    QVERIFY(sent.wait(5000));
    QCOMPARE(sent.first().at(1).toString(), refused.id);
    QCOMPARE(outbox.count(), 0);
    QCOMPARE(server.cli({ "XLEN", QString::fromUtf8(room.historyKey()) }), QByteArray("1"));

    // Discarding works on failed messages only.
    server.cli({ "ACL", "SETUSER", "writer", "-eval" });
    const Message dropped = message(QStringLiteral("dropped"));
    QVERIFY(outbox.enqueue(room, dropped.id, dropped.envelope));
    QVERIFY(failed.wait(5000));
    QVERIFY(outbox.discard(dropped.id));
    QCOMPARE(outbox.count(), 0);
}

void TestOutbox::conversationsDoNotWaitForEachOther()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const std::unique_ptr<CommandConnection> connection = connectedTo(server);
    Outbox outbox(connection.get(), ChatConfig());
    QSignalSpy sent(&outbox, &Outbox::sent);
    QSignalSpy failed(&outbox, &Outbox::failed);
    // The "broken" room's stream is not a stream: its sends fail; the other room's go out.
    const RoomAddress broken = RoomAddress::room(QStringLiteral("broken"));
    const RoomAddress fine = RoomAddress::room(QStringLiteral("fine"));
    roundTrip(*connection, { "SET", broken.historyKey(), "x" });
    const Message a = message(QStringLiteral("a"));
    const Message b = message(QStringLiteral("b"));
    const Message c = message(QStringLiteral("c"));
    QVERIFY(outbox.enqueue(broken, a.id, a.envelope));
    QVERIFY(outbox.enqueue(fine, b.id, b.envelope));
    QVERIFY(outbox.enqueue(broken, c.id, c.envelope));
    QTRY_COMPARE(failed.count() + sent.count(), 3);
    QCOMPARE(sent.count(), 1);
    QCOMPARE(sent.first().at(1).toString(), b.id);
    QCOMPARE(failed.count(), 2);
    QCOMPARE(failed.at(0).at(1).toString(), a.id); // in order within the conversation
    QCOMPARE(failed.at(1).at(1).toString(), c.id);
    QVERIFY(failed.first().at(2).toString().contains(QLatin1String("WRONGTYPE")));
}

void TestOutbox::refusesBadInput()
{
    CommandConnection connection;
    Outbox outbox(&connection, ChatConfig());
    const RoomAddress room = RoomAddress::room(QStringLiteral("chat"));
    QVERIFY(!outbox.enqueue(RoomAddress(), QStringLiteral("x"), "{\"a\":1}"));
    QVERIFY(!outbox.enqueue(room, QString(), "{\"a\":1}"));
    QVERIFY(!outbox.enqueue(room, QStringLiteral("x"), "[1]"));
    QVERIFY(outbox.enqueue(room, QStringLiteral("x"), "{\"a\":1}"));
    QVERIFY(!outbox.enqueue(room, QStringLiteral("x"), "{\"a\":1}")); // same ID twice
    QCOMPARE(outbox.count(), 1);
}

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"
