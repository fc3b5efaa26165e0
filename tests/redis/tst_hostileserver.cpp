// A broken or hostile server against CommandConnection and SubscriberConnection: every malformed
// frame hiredis 0.14 or 1.x could assert on, misread or allocate for (docs/HIREDIS.md 1, 2, 6, 8, 10)
// must fail the connection with a clear error, never abort, crash or hang, and the connection must
// recover once the server behaves. The fake server misbehaves on its first connection only.
#include "redis/CommandConnection.h"
#include "redis/SubscriberConnection.h"

#include "CommandTestSupport.h"
#include "FakeRedisServer.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <csignal>

using namespace Redwire;
using RedwireTest::describe;
using RedwireTest::FakeRedisServer;
using RedwireTest::Outcome;
using RedwireTest::roundTrip;
using Codes = QList<RedisError::Code>;
using TopicKind = SubscriberConnection::TopicKind;

namespace {

// When the fake server sends the hostile bytes to a command connection.
enum class When {
    OnConnect, // right after accepting, before any command: nobody waits for a reply
    AsReply, // as the reply to the first PING
};
// What the fake server does right after sending them.
enum class Then { Nothing, Close, Abort, Stall };
// Failure: errorOccurred must come, with a code from the accepted set. FailureOrReply: the bytes
// are valid for some hiredis versions (noted per row); then the PING gets that reply, no error
// comes, and the connection stays up.
enum class Expect { Failure, FailureOrReply };

// When the fake server sends the hostile bytes to a subscriber connection.
enum class SubscriberWhen {
    AfterConfirmation, // once "news" is confirmed: hiredis is in subscribed mode
    InsteadOfConfirmation, // as the answer to SUBSCRIBE news
};

constexpr int Timeout = 10000;

ConnectionOptions hostileOptions(quint16 port)
{
    ConnectionOptions options;
    options.host = QStringLiteral("127.0.0.1");
    options.port = port;
    options.connectTimeoutMs = 3000;
    options.commandTimeoutMs = 2000;
    options.heartbeatIntervalMs = 0;
    options.reconnect.initialDelayMs = 20;
    options.reconnect.maxDelayMs = 200;
    return options;
}

QString describe(const Codes &codes)
{
    QStringList names;
    for (RedisError::Code code : codes)
        names << RedisError::codeName(code);
    return names.join(QLatin1Char('|'));
}

// Connection::send() only queues in the QTcpSocket; abort() would drop what is still queued.
void flushAll(FakeRedisServer &fake)
{
    const QList<QTcpSocket *> sockets = fake.findChildren<QTcpSocket *>();
    for (QTcpSocket *socket : sockets)
        socket->flush();
}

QByteArray repeated(const QByteArray &piece, int times)
{
    QByteArray out;
    out.reserve(piece.size() * times);
    for (int i = 0; i < times; ++i)
        out += piece;
    return out;
}

QByteArray nested(int depth)
{
    return repeated("*1\r\n", depth) + ":1\r\n";
}

// A three-element Pub/Sub frame from raw elements.
QByteArray frame(const QByteArray &kind, const QByteArray &second, const QByteArray &third)
{
    return FakeRedisServer::array({ kind, second, third });
}

} // namespace

Q_DECLARE_METATYPE(When)
Q_DECLARE_METATYPE(Then)
Q_DECLARE_METATYPE(Expect)
Q_DECLARE_METATYPE(SubscriberWhen)

class TestHostileServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void commandConnection_data();
    void commandConnection();
    void subscriberConnection_data();
    void subscriberConnection();
    void resetMidPipelineFailsEachPendingCommandOnce();
    void unsolicitedRefusalIsJunkNotARefusal_data();
    void unsolicitedRefusalIsJunkNotARefusal();
    void pongFrames_data();
    void pongFrames();
    void shardFrames_data();
    void shardFrames();
    void sigPipeCannotKillTheProcess();
    // In a child process: with a hiredis whose reader has no depth limit (1.x) this can overflow
    // the stack or take minutes.
    void absurdNestingDoesNotCrash_data();
    void absurdNestingDoesNotCrash();

private:
    void absurdNestingScenario(int depth);
};

void TestHostileServer::initTestCase()
{
    qInfo("hiredis %s", REDWIRE_HIREDIS_VERSION);
#ifndef Q_OS_WIN
    // An ignored SIGPIPE is inherited across exec: start from the default action (terminate), so
    // that sigPipeCannotKillTheProcess proves the library's own protection. No connection exists yet.
    std::signal(SIGPIPE, SIG_DFL);
#endif
}

void TestHostileServer::commandConnection_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<When>("when");
    QTest::addColumn<Then>("then");
    QTest::addColumn<Expect>("expect");
    QTest::addColumn<Codes>("accepted");
    QTest::addColumn<QString>("mention"); // the message must contain this (case-insensitive)
    QTest::addColumn<qint64>("maxReplyBytes"); // 0: the default
    QTest::addColumn<int>("pieceSize"); // 0: one write; else pieces, one per event-loop turn

    const Codes protocol { RedisError::Code::ProtocolError };
    const Codes lost { RedisError::Code::ConnectionLost };
    const auto row = [](const char *name) { return &QTest::newRow(name); };

    // Unsolicited replies: 0.14 asserts on them in async.c, 1.x too; ReplyGuard refuses them.
    *row("unsolicited +OK") << QByteArray("+OK\r\n") << When::OnConnect << Then::Nothing << Expect::Failure
                            << protocol << QString() << qint64(0) << 0;
    *row("unsolicited :1") << QByteArray(":1\r\n") << When::OnConnect << Then::Nothing << Expect::Failure
                           << protocol << QString() << qint64(0) << 0;
    *row("unsolicited array") << QByteArray("*2\r\n$1\r\na\r\n$1\r\nb\r\n") << When::OnConnect
                              << Then::Nothing << Expect::Failure << protocol << QString() << qint64(0) << 0;
    *row("unsolicited nil") << QByteArray("$-1\r\n") << When::OnConnect << Then::Nothing << Expect::Failure
                            << protocol << QString() << qint64(0) << 0;
    // 0.14's parser rejects the type byte; 1.x parses it and ReplyGuard refuses it.
    *row("unsolicited RESP3 null") << QByteArray("_\r\n") << When::OnConnect << Then::Nothing
                                   << Expect::Failure << protocol << QString() << qint64(0) << 0;
    *row("unsolicited RESP3 push") << QByteArray(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n")
                                   << When::OnConnect << Then::Nothing << Expect::Failure << protocol
                                   << QString() << qint64(0) << 0;
    // hiredis closes the connection with the error's text (what Redis sends at maxclients).
    *row("unsolicited error") << QByteArray("-ERR max number of clients reached\r\n") << When::OnConnect
                              << Then::Close << Expect::Failure << lost
                              << QStringLiteral("max number of clients") << qint64(0) << 0;
    // A second reply for one command: the first is delivered, the second is unsolicited.
    *row("two replies to one command") << QByteArray("+PONG\r\n+PONG\r\n") << When::AsReply << Then::Nothing
                                       << Expect::Failure << protocol << QString() << qint64(0) << 0;

    *row("garbage line") << QByteArray("hello\r\n") << When::AsReply << Then::Nothing << Expect::Failure
                         << protocol << QString() << qint64(0) << 0;
    *row("binary junk") << QByteArray("\x00\xff\xfe\x01\x80junk\r\n\x00", 13) << When::AsReply
                        << Then::Nothing << Expect::Failure << protocol << QString() << qint64(0) << 0;
    *row("bad integer") << QByteArray(":12x\r\n") << When::AsReply << Then::Nothing
                        << Expect::FailureOrReply // 0.14 reads it leniently as 12
                        << protocol << QString() << qint64(0) << 0;
    *row("bad bulk length") << QByteArray("$abc\r\n") << When::AsReply << Then::Nothing
                            << Expect::FailureOrReply // 0.14 reads it leniently as an empty string
                            << protocol << QString() << qint64(0) << 0;
    *row("bulk without its CRLF") << QByteArray("$3\r\nabcXY+OK\r\n") << When::AsReply << Then::Stall
                                  << Expect::FailureOrReply // hiredis skips the two bytes unchecked
                                  << Codes { RedisError::Code::ProtocolError,
                                         RedisError::Code::CommandTimeout }
                                  << QString() << qint64(0) << 0;
    // 0.14 reads a negative length as nil; 1.x refuses it.
    *row("negative bulk length") << QByteArray("$-5\r\n") << When::AsReply << Then::Nothing
                                 << Expect::FailureOrReply << protocol << QString() << qint64(0) << 0;
    *row("negative array length") << QByteArray("*-5\r\n") << When::AsReply << Then::Nothing
                                  << Expect::FailureOrReply << protocol << QString() << qint64(0) << 0;

    *row("truncated, then RST") << QByteArray("$10\r\nabc") << When::AsReply << Then::Abort << Expect::Failure
                                << lost << QString() << qint64(0) << 0;
    *row("truncated, then FIN") << QByteArray("$10\r\nabc") << When::AsReply << Then::Close << Expect::Failure
                                << lost << QString() << qint64(0) << 0;
    *row("truncated array, then FIN") << QByteArray("*3\r\n:1\r\n$5\r\nab") << When::AsReply << Then::Close
                                      << Expect::Failure << lost << QString() << qint64(0) << 0;
    *row("RST instead of a reply") << QByteArray() << When::AsReply << Then::Abort << Expect::Failure << lost
                                   << QString() << qint64(0) << 0;

    // Nothing of that size may be allocated up front; either the declared size is refused or the
    // command times out (the connection is then replaced).
    *row("huge declared bulk, then stall")
        << QByteArray("$999999999999\r\n") << When::AsReply << Then::Stall << Expect::Failure
        << Codes { RedisError::Code::ProtocolError, RedisError::Code::CommandTimeout } << QString()
        << qint64(0) << 0;
    *row("bulk beyond SIZE_MAX") << QByteArray("$99999999999999999999\r\n") << When::AsReply << Then::Stall
                                 << Expect::Failure
                                 << Codes { RedisError::Code::ProtocolError,
                                        RedisError::Code::CommandTimeout }
                                 << QString() << qint64(0) << 0;
    // An element array of 2^24 pointers (128 MiB) announced in 12 bytes, with a 64 KiB limit.
    *row("declared array above maxReplyBytes, then stall")
        << QByteArray("*16777216\r\n") << When::AsReply << Then::Stall << Expect::Failure
        << Codes { RedisError::Code::ProtocolError, RedisError::Code::CommandTimeout } << QString()
        << qint64(64 * 1024) << 0;
    *row("huge declared array INT_MAX") << QByteArray("*2147483647\r\n") << When::AsReply << Then::Nothing
                                        << Expect::Failure << protocol << QString() << qint64(0) << 0;
    *row("huge declared array beyond INT_MAX")
        << QByteArray("*99999999999\r\n") << When::AsReply << Then::Nothing << Expect::Failure << protocol
        << QString() << qint64(0) << 0;
    *row("huge array inside an array")
        << QByteArray("*2\r\n:1\r\n*2147483647\r\n") << When::AsReply << Then::Nothing << Expect::Failure
        << protocol << QString() << qint64(0) << 0;
    // 0.14's reader refuses depth > 7; 1.2's has no depth limit and delivers the reply.
    *row("nesting 10 deep") << nested(10) << When::AsReply << Then::Nothing << Expect::FailureOrReply
                            << protocol << QString() << qint64(0) << 0;

    // ConnectionOptions::maxReplyBytes: "A reply larger than this (declared or buffered) is a
    // protocol error, not an allocation."
    *row("1 MiB bulk over a 64 KiB limit, in pieces")
        << FakeRedisServer::bulk(QByteArray(1024 * 1024, 'x')) << When::AsReply << Then::Nothing
        << Expect::Failure << protocol << QString() << qint64(64 * 1024) << 16 * 1024;
    *row("1 MiB bulk over a 64 KiB limit, at once")
        << FakeRedisServer::bulk(QByteArray(1024 * 1024, 'x')) << When::AsReply << Then::Nothing
        << Expect::Failure << protocol << QString() << qint64(64 * 1024) << 0;
    // The same limit, reached with many small elements instead of one big one (~480 KiB).
    *row("120,000-element array over a 64 KiB limit")
        << (QByteArray("*120000\r\n") + repeated(":1\r\n", 120000)) << When::AsReply << Then::Nothing
        << Expect::Failure << protocol << QString() << qint64(64 * 1024) << 16 * 1024;

    // RESP3 on a RESP2 connection: 0.14's parser refuses the type byte, 1.x's ReplyGuard the type.
    *row("RESP3 map") << QByteArray("%1\r\n+a\r\n:1\r\n") << When::AsReply << Then::Nothing << Expect::Failure
                      << protocol << QString() << qint64(0) << 0;
    *row("RESP3 set") << QByteArray("~1\r\n:1\r\n") << When::AsReply << Then::Nothing << Expect::Failure
                      << protocol << QString() << qint64(0) << 0;
    *row("RESP3 push") << QByteArray(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\np\r\n") << When::AsReply
                       << Then::Nothing << Expect::Failure << protocol << QString() << qint64(0) << 0;
    *row("RESP3 double") << QByteArray(",1.5\r\n") << When::AsReply << Then::Nothing << Expect::Failure
                         << protocol << QString() << qint64(0) << 0;
    *row("RESP3 bool") << QByteArray("#t\r\n") << When::AsReply << Then::Nothing << Expect::Failure
                       << protocol << QString() << qint64(0) << 0;
    *row("RESP3 big number") << QByteArray("(12345678901234567890\r\n") << When::AsReply << Then::Nothing
                             << Expect::Failure << protocol << QString() << qint64(0) << 0;
    *row("RESP3 verbatim") << QByteArray("=7\r\ntxt:abc\r\n") << When::AsReply << Then::Nothing
                           << Expect::Failure << protocol << QString() << qint64(0) << 0;
    *row("RESP3 attribute") << QByteArray("|1\r\n+a\r\n+b\r\n:1\r\n") << When::AsReply << Then::Nothing
                            << Expect::Failure << protocol << QString() << qint64(0) << 0;
    *row("RESP3 double inside an array")
        << QByteArray("*2\r\n:1\r\n,1.5\r\n") << When::AsReply << Then::Nothing << Expect::Failure << protocol
        << QString() << qint64(0) << 0;
    // 1.x parses "_" as a nil that ReplyGuard lets through (harmless: the same as $-1).
    *row("RESP3 null") << QByteArray("_\r\n") << When::AsReply << Then::Nothing << Expect::FailureOrReply
                       << protocol << QString() << qint64(0) << 0;
}

void TestHostileServer::commandConnection()
{
    QFETCH(QByteArray, bytes);
    QFETCH(When, when);
    QFETCH(Then, then);
    QFETCH(Expect, expect);
    QFETCH(Codes, accepted);
    QFETCH(QString, mention);
    QFETCH(qint64, maxReplyBytes);
    QFETCH(int, pieceSize);

    FakeRedisServer fake;
    QVERIFY2(fake.listen(), qPrintable(fake.errorString()));
    QTimer pieces;
    qsizetype sent = 0;
    pieces.setInterval(0);
    pieces.callOnTimeout([&] {
        FakeRedisServer::Connection &first = fake.connection(0);
        if (!first.isOpen() || sent >= bytes.size()) {
            pieces.stop();
            return;
        }
        first.send(bytes.mid(sent, pieceSize));
        sent += pieceSize;
    });
    const auto misbehave = [&](FakeRedisServer::Connection &connection) {
        if (pieceSize > 0)
            pieces.start();
        else if (!bytes.isEmpty())
            connection.send(bytes);
        switch (then) {
        case Then::Nothing:
            break;
        case Then::Close:
            connection.close();
            break;
        case Then::Abort:
            flushAll(fake);
            connection.abort();
            break;
        case Then::Stall:
            connection.stall();
            break;
        }
    };
    bool misbehaved = false; // once: a row whose bytes are valid for one hiredis keeps its connection
    fake.setHandler([&](FakeRedisServer::Connection &connection, const QList<QByteArray> &args) {
        if (when == When::AsReply && !misbehaved && connection.index() == 0
            && args.value(0).toUpper() == "PING") {
            misbehaved = true;
            misbehave(connection);
            return;
        }
        FakeRedisServer::politeReply(connection, args);
    });
    connect(&fake, &FakeRedisServer::clientConnected, &fake, [&](int index) {
        if (when == When::OnConnect && index == 0)
            misbehave(fake.connection(0));
    });

    ConnectionOptions options = hostileOptions(fake.port());
    if (maxReplyBytes > 0)
        options.maxReplyBytes = maxReplyBytes;
    CommandConnection connection(options);
    QSignalSpy errors(&connection, &RedisConnection::errorOccurred);
    connection.connectToServer();
    Outcome first;
    if (when == When::AsReply) {
        QTRY_VERIFY_WITH_TIMEOUT(connection.isConnected(), Timeout);
        connection.send({ "PING" }, first.handler());
    }

    if (expect == Expect::FailureOrReply) {
        QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0 || first.calls > 0, Timeout);
        if (errors.isEmpty() && !first.error.isError()) {
            qInfo("accepted as a reply of type %d (hiredis %s)", int(first.reply.type()),
                REDWIRE_HIREDIS_VERSION);
            QCOMPARE(first.calls, 1);
            QVERIFY(connection.isConnected());
            QCOMPARE(roundTrip(connection, { "PING" }), RedisReply::status("PONG"));
            QCOMPARE(errors.count(), 0);
            QCOMPARE(fake.connectionCount(), 1);
            return;
        }
    }

    // qWaitFor, not QTRY: a row that fails here should not wait three times the timeout.
    QVERIFY(QTest::qWaitFor(
        [&] { return errors.count() > 0 || (first.calls > 0 && !first.error.isError()); }, Timeout));
    if (errors.isEmpty()) // delivered as a reply; a refusal of what follows may still come
        (void)QTest::qWaitFor([&] { return errors.count() > 0; }, 500);
    QVERIFY2(errors.count() > 0,
        qPrintable(QStringLiteral("no error: the PING got a reply of type %1 (hiredis %2)")
                       .arg(int(first.reply.type()))
                       .arg(QLatin1String(REDWIRE_HIREDIS_VERSION))));
    const auto error = errors.first().at(0).value<RedisError>();
    qInfo("hiredis %s: %s", REDWIRE_HIREDIS_VERSION, qPrintable(describe(error)));
    QVERIFY2(accepted.contains(error.code()),
        qPrintable(QStringLiteral("got %1, expected %2").arg(describe(error), describe(accepted))));
    QVERIFY(!error.message().trimmed().isEmpty());
    if (!mention.isEmpty())
        QVERIFY2(error.message().contains(mention, Qt::CaseInsensitive), qPrintable(describe(error)));
    QVERIFY2(errors.first().at(2).toInt() >= 0, "a malformed reply must not stop reconnecting");
    if (when == When::AsReply) {
        QTRY_COMPARE(first.calls, 1);
        if (first.error.isError())
            QCOMPARE(first.error.code(), error.code());
    }

    // It recovers by itself, on a new connection to the now polite server, and works.
    QTRY_VERIFY_WITH_TIMEOUT(fake.connectionCount() >= 2 && connection.isConnected(), Timeout);
    QCOMPARE(roundTrip(connection, { "PING" }), RedisReply::status("PONG"));
    QCOMPARE(roundTrip(connection, { "ECHO", "still here" }), RedisReply::string("still here"));
    QCOMPARE(errors.count(), 1);
    QCOMPARE(first.calls, when == When::AsReply ? 1 : 0);
}

void TestHostileServer::subscriberConnection_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<SubscriberWhen>("when");
    QTest::addColumn<Codes>("accepted");
    QTest::addColumn<QString>("mention");

    using F = FakeRedisServer;
    const Codes protocol { RedisError::Code::ProtocolError };
    const QByteArray message = F::bulk("message");
    const QByteArray news = F::bulk("news");
    const QByteArray x = F::bulk("x");
    const auto withBytes = [](const char *name, const QByteArray &bytes, SubscriberWhen when) {
        return &(QTest::newRow(name) << bytes << when);
    };
    const SubscriberWhen A = SubscriberWhen::AfterConfirmation;
    const SubscriberWhen I = SubscriberWhen::InsteadOfConfirmation;
    // 0.14 asserts: fewer than two elements, a non-string first element; reads past the end of a
    // two-element unsubscribe. 1.x asserts on a non-string kind, a non-integer unsubscribe count
    // and a confirmation for a channel it has no callback for.
    *withBytes("one element", "*1\r\n" + message, A) << protocol << QString();
    *withBytes("empty array", "*0\r\n", A) << protocol << QString();
    *withBytes("nil array", "*-1\r\n", A) << protocol << QString();
    *withBytes("two elements", F::array({ message, news }), A) << protocol << QString();
    *withBytes("integer kind", frame(F::integer(1), F::bulk("a"), F::bulk("b")), A) << protocol << QString();
    *withBytes("status kind", frame(F::simple("message"), news, x), A) << protocol << QString();
    *withBytes("nil kind", frame(F::nullBulk(), news, x), A) << protocol << QString();
    *withBytes("array kind", frame(F::array({ message }), news, x), A) << protocol << QString();
    *withBytes("two-element unsubscribe", F::array({ F::bulk("unsubscribe"), F::bulk("a") }), A)
        << protocol << QString();
    *withBytes("unsubscribe with a string count", frame(F::bulk("unsubscribe"), news, F::bulk("1")), A)
        << protocol << QString();
    *withBytes("unsubscribe with a nil count", frame(F::bulk("unsubscribe"), news, F::nullBulk()), A)
        << protocol << QString();
    *withBytes("subscribe with a string count", frame(F::bulk("subscribe"), news, F::bulk("1")), A)
        << protocol << QString();
    *withBytes("nil channel", frame(message, F::nullBulk(), x), A) << protocol << QString();
    *withBytes("integer channel", frame(message, F::integer(7), x), A) << protocol << QString();
    *withBytes("nil payload", frame(message, news, F::nullBulk()), A) << protocol << QString();
    *withBytes("integer payload", frame(message, news, F::integer(7)), A) << protocol << QString();
    *withBytes("nested array payload", frame(message, news, F::array({ x })), A) << protocol << QString();
    *withBytes("nested array channel", frame(message, F::array({ news }), x), A) << protocol << QString();
    *withBytes("message with four elements", F::array({ message, news, x, x }), A) << protocol << QString();
    *withBytes("pmessage with three elements", frame(F::bulk("pmessage"), news, x), A)
        << protocol << QString();
    *withBytes("five elements", F::array({ message, news, x, x, x }), A) << protocol << QString();
    // Sharded Pub/Sub frames for a shard channel we never subscribed to (docs/HIREDIS.md 2: 0.14
    // aborts on smessage on a connection without a classic subscription; see shardFrames).
    *withBytes("smessage", frame(F::bulk("smessage"), F::bulk("shard"), x), A) << protocol << QString();
    *withBytes("ssubscribe confirmation", frame(F::bulk("ssubscribe"), F::bulk("shard"), F::integer(2)), A)
        << protocol << QString();
    *withBytes("pong", F::array({ F::bulk("pong"), F::bulk("") }), A) << protocol << QString();
    *withBytes("pong with three elements", frame(F::bulk("pong"), F::bulk(""), x), A)
        << protocol << QString();
    *withBytes("subscribe confirmation, never asked", F::subscribeReply("subscribe", "other", 3), A)
        << protocol << QString();
    *withBytes("psubscribe confirmation, never asked", F::subscribeReply("psubscribe", "p*", 3), A)
        << protocol << QString();
    *withBytes("unsubscribe confirmation, never subscribed", F::subscribeReply("unsubscribe", "other", 2), A)
        << protocol << QString();
    *withBytes("unknown kind", frame(F::bulk("massage"), news, x), A) << protocol << QString();
    *withBytes("upper-case kind", frame(F::bulk("MESSAGE"), news, x), A) << protocol << QString();
    *withBytes("empty kind", frame(F::bulk(""), news, x), A) << protocol << QString();
    *withBytes("integer", ":5\r\n", A) << protocol << QString();
    *withBytes("status", "+OK\r\n", A) << protocol << QString();
    *withBytes("bulk", F::bulk("message"), A) << protocol << QString();
    *withBytes("nil", "$-1\r\n", A) << protocol << QString();
    *withBytes("garbage", "hello\r\n", A) << protocol << QString();
    // RESP3: 0.14's parser refuses the type byte; 1.x's ReplyGuard refuses the type.
    *withBytes("RESP3 map", "%1\r\n+a\r\n:1\r\n", A) << protocol << QString();
    *withBytes("RESP3 push message", ">3\r\n" + message + news + x, A) << protocol << QString();
    *withBytes("RESP3 push, other", ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n", A)
        << protocol << QString();
    *withBytes("RESP3 double", ",1.5\r\n", A) << protocol << QString();
    *withBytes("RESP3 bool", "#t\r\n", A) << protocol << QString();
    *withBytes("RESP3 null", "_\r\n", A) << protocol << QString();
    *withBytes("RESP3 set", "~1\r\n:1\r\n", A) << protocol << QString();
    *withBytes("RESP3 double payload", frame(message, news, ",1.5\r\n"), A) << protocol << QString();
    *withBytes("RESP3 bool payload", frame(message, news, "#t\r\n"), A) << protocol << QString();
    *withBytes("RESP3 null payload", frame(message, news, "_\r\n"), A) << protocol << QString();
    *withBytes("RESP3 verbatim payload", frame(message, news, "=7\r\ntxt:abc\r\n"), A)
        << protocol << QString();
    // An error nobody waits for: hiredis closes the connection with its text (docs/HIREDIS.md 6).
    *withBytes("unsolicited error", "-ERR something broke\r\n", A)
        << Codes { RedisError::Code::ConnectionLost } << QStringLiteral("something broke");

    // The answer to SUBSCRIBE news is wrong.
    *withBytes("status instead of confirmation", "+OK\r\n", I) << protocol << QString();
    *withBytes("integer instead of confirmation", ":1\r\n", I) << protocol << QString();
    *withBytes("confirmation for another channel", F::subscribeReply("subscribe", "other", 2), I)
        << protocol << QString();
    *withBytes("message before confirmation, malformed", F::array({ message, news }), I)
        << protocol << QString();
    *withBytes("error instead of confirmation", "-ERR not today\r\n", I)
        << Codes { RedisError::Code::ConnectionLost } << QStringLiteral("not today");
}

void TestHostileServer::subscriberConnection()
{
    QFETCH(QByteArray, bytes);
    QFETCH(SubscriberWhen, when);
    QFETCH(Codes, accepted);
    QFETCH(QString, mention);

    FakeRedisServer fake;
    QVERIFY2(fake.listen(), qPrintable(fake.errorString()));
    fake.setHandler([&](FakeRedisServer::Connection &connection, const QList<QByteArray> &args) {
        if (when == SubscriberWhen::InsteadOfConfirmation && connection.index() == 0
            && args.value(0).toUpper() == "SUBSCRIBE" && args.value(1) == "news") {
            connection.send(bytes);
            return;
        }
        FakeRedisServer::politeReply(connection, args);
    });

    SubscriberConnection subscriber(hostileOptions(fake.port()));
    QSignalSpy errors(&subscriber, &RedisConnection::errorOccurred);
    QSignalSpy messages(&subscriber, &SubscriberConnection::messageReceived);
    QSignalSpy patternMessages(&subscriber, &SubscriberConnection::patternMessageReceived);
    QSignalSpy unsubscribed(&subscriber, &SubscriberConnection::unsubscribed);
    QVERIFY(subscriber.subscribe("news"));
    subscriber.connectToServer();
    if (when == SubscriberWhen::AfterConfirmation) {
        QTRY_VERIFY_WITH_TIMEOUT(subscriber.isActive(TopicKind::Channel, "news"), Timeout);
        QVERIFY(subscriber.isHeartbeatActive());
        fake.connection(0).send(bytes);
    }

    QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0, Timeout);
    const auto error = errors.first().at(0).value<RedisError>();
    qInfo("hiredis %s: %s", REDWIRE_HIREDIS_VERSION, qPrintable(describe(error)));
    QVERIFY2(accepted.contains(error.code()),
        qPrintable(QStringLiteral("got %1, expected %2").arg(describe(error), describe(accepted))));
    QVERIFY(!error.message().trimmed().isEmpty());
    if (!mention.isEmpty())
        QVERIFY2(error.message().contains(mention, Qt::CaseInsensitive), qPrintable(describe(error)));
    QVERIFY2(errors.first().at(2).toInt() >= 0, "a malformed frame must not stop reconnecting");
    // Nothing of the refused frame reached the user.
    QCOMPARE(messages.count(), 0);
    QCOMPARE(patternMessages.count(), 0);
    QCOMPARE(unsubscribed.count(), 0);
    QCOMPARE(subscriber.channels(), QList<QByteArray> { "news" });

    // It recovers: a new connection, "news" subscribed again, and a message gets through.
    QTRY_VERIFY_WITH_TIMEOUT(fake.connectionCount() >= 2 && subscriber.isConnected()
            && subscriber.isActive(TopicKind::Channel, "news"),
        Timeout);
    FakeRedisServer::Connection &polite = fake.connection(fake.connectionCount() - 1);
    QVERIFY(polite.channels.contains("news"));
    polite.send(FakeRedisServer::message("news", "back"));
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 1, Timeout);
    QCOMPARE(messages.first().at(0).toByteArray(), QByteArray("news"));
    QCOMPARE(messages.first().at(1).toByteArray(), QByteArray("back"));
    QCOMPARE(errors.count(), 1);
}

void TestHostileServer::unsolicitedRefusalIsJunkNotARefusal_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<bool>("subscriber");
    for (const bool subscriber : { false, true }) {
        const char *kind = subscriber ? "subscriber" : "command";
        QTest::newRow(qPrintable(QStringLiteral("%1: NOPERM").arg(QLatin1String(kind))))
            << QByteArray("-NOPERM this user has no permissions\r\n") << subscriber;
        QTest::newRow(qPrintable(QStringLiteral("%1: WRONGPASS").arg(QLatin1String(kind))))
            << QByteArray("-WRONGPASS invalid username-password pair\r\n") << subscriber;
        QTest::newRow(qPrintable(QStringLiteral("%1: NOAUTH").arg(QLatin1String(kind))))
            << QByteArray("-NOAUTH Authentication required.\r\n") << subscriber;
    }
}

void TestHostileServer::unsolicitedRefusalIsJunkNotARefusal()
{
    // An error frame out of the blue, on a connection that is up and waits for nothing: the server
    // misbehaves. It must not read as "wrong password" or "no permission" (which stop reconnecting
    // and made redwire-monitor exit 3): a protocol error, and a new connection.
    QFETCH(QByteArray, frame);
    QFETCH(bool, subscriber);
    FakeRedisServer fake;
    QVERIFY2(fake.listen(), qPrintable(fake.errorString()));
    fake.setHandler(&FakeRedisServer::politeReply);
    const ConnectionOptions options = hostileOptions(fake.port());
    std::unique_ptr<RedisConnection> connection;
    if (subscriber)
        connection = std::make_unique<SubscriberConnection>(options);
    else
        connection = std::make_unique<CommandConnection>(options);
    QSignalSpy errors(connection.get(), &RedisConnection::errorOccurred);
    connection->connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(connection->isConnected(), Timeout);
    if (subscriber)
        QTRY_VERIFY_WITH_TIMEOUT(fake.connection(0).isOpen(), Timeout);
    fake.connection(0).send(frame);
    QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0, Timeout);
    const auto error = errors.first().at(0).value<RedisError>();
    qInfo("hiredis %s: %s", REDWIRE_HIREDIS_VERSION, qPrintable(describe(error)));
    QVERIFY2(!error.isPermanent(), qPrintable(describe(error)));
    QVERIFY(errors.first().at(2).toInt() >= 0);
    QTRY_VERIFY_WITH_TIMEOUT(fake.connectionCount() >= 2 && connection->isConnected(), Timeout);
}

void TestHostileServer::pongFrames_data()
{
    QTest::addColumn<bool>("pingSent");
    QTest::addColumn<QByteArray>("token"); // empty: the real one
    QTest::addColumn<bool>("accepted");
    QTest::newRow("answer to our PING") << true << QByteArray() << true;
    QTest::newRow("pong with another token") << true << QByteArray("forged") << false;
    QTest::newRow("pong nobody asked for") << false << QByteArray() << false;
}

// The liveness PING's ["pong", token] frame on a subscribed connection: counted when it answers
// our PING (hiredis 0.14 would hand it to no callback), refused as junk otherwise.
void TestHostileServer::pongFrames()
{
    QFETCH(bool, pingSent);
    QFETCH(QByteArray, token);
    QFETCH(bool, accepted);
    FakeRedisServer fake;
    QVERIFY2(fake.listen(), qPrintable(fake.errorString()));
    QByteArray realToken;
    fake.setHandler([&](FakeRedisServer::Connection &connection, const QList<QByteArray> &args) {
        if (args.value(0).toUpper() == "PING") {
            realToken = args.value(1);
            return; // answered by the test
        }
        FakeRedisServer::politeReply(connection, args);
    });
    SubscriberConnection subscriber(hostileOptions(fake.port()));
    QSignalSpy errors(&subscriber, &RedisConnection::errorOccurred);
    QSignalSpy subscribed(&subscriber, &SubscriberConnection::subscribed);
    subscriber.subscribe("chat");
    subscriber.connectToServer();
    QVERIFY(subscribed.wait(Timeout));
    const int index = fake.connectionCount() - 1;
    if (pingSent) {
        QVERIFY(subscriber.sendLivenessPing());
        QTRY_VERIFY_WITH_TIMEOUT(!realToken.isEmpty(), Timeout);
    }
    const quint64 frames = subscriber.framesReceived();
    const QByteArray answer = token.isEmpty() ? (realToken.isEmpty() ? QByteArray("x") : realToken) : token;
    fake.connection(index).send(
        FakeRedisServer::array({ FakeRedisServer::bulk("pong"), FakeRedisServer::bulk(answer) }));
    // A message behind it shows the pong was read (or what its refusal did).
    fake.connection(index).send(FakeRedisServer::message("chat", "after"));
    if (accepted) {
        QTRY_COMPARE_WITH_TIMEOUT(subscriber.framesReceived(), frames + 2, Timeout);
        QCOMPARE(errors.count(), 0);
    } else {
        QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0, Timeout);
        QCOMPARE(errors.first().at(0).value<RedisError>().code(), RedisError::Code::ProtocolError);
    }
}

// Sharded Pub/Sub frames never reach a hiredis callback: the reply guard reads them (docs/HIREDIS.md,
// 2). With a shard channel subscribed, a well-formed smessage is delivered, an unasked
// sunsubscribe subscribes again, and every malformed or foreign frame is refused like a classic one.
void TestHostileServer::shardFrames_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("outcome");
    using F = FakeRedisServer;
    const QByteArray smessage = F::bulk("smessage");
    const QByteArray shard = F::bulk("shard");
    QTest::newRow("smessage") << frame(smessage, shard, F::bulk("hi")) << QStringLiteral("delivered");
    QTest::newRow("unasked sunsubscribe") << F::subscribeReply("sunsubscribe", "shard", 1)
                                          << QStringLiteral("resubscribed");
    QTest::newRow("smessage for another shard channel") << frame(smessage, F::bulk("other"), F::bulk("hi"))
                                                        << QStringLiteral("refused");
    QTest::newRow("smessage with an integer payload") << frame(smessage, shard, F::integer(3))
                                                      << QStringLiteral("refused");
    QTest::newRow("smessage with a nil payload") << frame(smessage, shard, F::nullBulk())
                                                 << QStringLiteral("refused");
    QTest::newRow("smessage with four elements")
        << F::array({ smessage, shard, F::bulk("a"), F::bulk("b") }) << QStringLiteral("refused");
    QTest::newRow("smessage with an integer channel") << frame(smessage, F::integer(1), F::bulk("hi"))
                                                      << QStringLiteral("refused");
    QTest::newRow("sunsubscribe with a string count")
        << frame(F::bulk("sunsubscribe"), shard, F::bulk("1")) << QStringLiteral("refused");
    QTest::newRow("ssubscribe for another shard channel") << F::subscribeReply("ssubscribe", "other", 2)
                                                          << QStringLiteral("refused");
}

void TestHostileServer::shardFrames()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, outcome);

    FakeRedisServer fake;
    QVERIFY2(fake.listen(), qPrintable(fake.errorString()));
    int shardSubscribes = 0;
    fake.setHandler([&](FakeRedisServer::Connection &connection, const QList<QByteArray> &args) {
        if (args.value(0).toUpper() == "SSUBSCRIBE") {
            ++shardSubscribes;
            connection.send(FakeRedisServer::subscribeReply("ssubscribe", args.value(1), 1));
            return;
        }
        FakeRedisServer::politeReply(connection, args);
    });
    SubscriberConnection subscriber(hostileOptions(fake.port()));
    QSignalSpy errors(&subscriber, &RedisConnection::errorOccurred);
    QSignalSpy shardMessages(&subscriber, &SubscriberConnection::shardMessageReceived);
    QSignalSpy messages(&subscriber, &SubscriberConnection::messageReceived);
    QVERIFY(subscriber.ssubscribe("shard"));
    subscriber.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isActive(TopicKind::ShardChannel, "shard"), Timeout);
    QCOMPARE(shardSubscribes, 1);
    fake.connection(0).send(bytes);

    if (outcome == QLatin1String("delivered")) {
        QTRY_COMPARE_WITH_TIMEOUT(shardMessages.count(), 1, Timeout);
        QCOMPARE(shardMessages.first().at(0).toByteArray(), QByteArray("shard"));
        QCOMPARE(shardMessages.first().at(1).toByteArray(), QByteArray("hi"));
    } else if (outcome == QLatin1String("resubscribed")) {
        QTRY_COMPARE_WITH_TIMEOUT(shardSubscribes, 2, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(subscriber.isActive(TopicKind::ShardChannel, "shard"), Timeout);
        QCOMPARE(fake.connectionCount(), 1);
    } else {
        QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0, Timeout);
        const auto error = errors.first().at(0).value<RedisError>();
        qInfo("hiredis %s: %s", REDWIRE_HIREDIS_VERSION, qPrintable(describe(error)));
        QCOMPARE(error.code(), RedisError::Code::ProtocolError);
        QCOMPARE(shardMessages.count(), 0);
        // It recovers: a new connection with the shard channel subscribed again.
        QTRY_VERIFY_WITH_TIMEOUT(fake.connectionCount() >= 2 && subscriber.isActive(TopicKind::ShardChannel, "shard"),
            Timeout);
        fake.connection(fake.connectionCount() - 1).send(frame(FakeRedisServer::bulk("smessage"),
            FakeRedisServer::bulk("shard"), FakeRedisServer::bulk("back")));
        QTRY_COMPARE_WITH_TIMEOUT(shardMessages.count(), 1, Timeout);
        QCOMPARE(shardMessages.first().at(1).toByteArray(), QByteArray("back"));
    }
    QCOMPARE(messages.count(), 0);
    if (outcome != QLatin1String("refused"))
        QCOMPARE(errors.count(), 0);
}

void TestHostileServer::resetMidPipelineFailsEachPendingCommandOnce()
{
    FakeRedisServer fake;
    QVERIFY2(fake.listen(), qPrintable(fake.errorString()));
    constexpr int Answered = 10;
    constexpr int Total = 200;
    int seen = 0;
    fake.setHandler([&](FakeRedisServer::Connection &connection, const QList<QByteArray> &args) {
        // The first connection answers the first few commands, then keeps the rest waiting.
        if (connection.index() == 0 && ++seen > Answered)
            return;
        FakeRedisServer::politeReply(connection, args);
    });
    CommandConnection connection(hostileOptions(fake.port()));
    QSignalSpy errors(&connection, &RedisConnection::errorOccurred);
    connection.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(connection.isConnected(), Timeout);

    std::vector<Outcome> outcomes(Total);
    for (Outcome &outcome : outcomes)
        connection.send({ "ECHO", "pipelined" }, outcome.handler());
    QTRY_VERIFY_WITH_TIMEOUT(outcomes[Answered - 1].calls == 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(seen, Total, Timeout);
    QCOMPARE(outcomes[Answered].calls, 0);
    fake.connection(0).abort(); // RST while 190 commands wait for their replies

    QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0, Timeout);
    const auto error = errors.first().at(0).value<RedisError>();
    qInfo("hiredis %s: %s", REDWIRE_HIREDIS_VERSION, qPrintable(describe(error)));
    QCOMPARE(error.code(), RedisError::Code::ConnectionLost);
    QVERIFY(!error.message().isEmpty());
    for (int i = 0; i < Total; ++i) {
        QCOMPARE(outcomes[i].calls, 1);
        if (i < Answered) {
            QCOMPARE(outcomes[i].error.code(), RedisError::Code::NoError);
            QCOMPARE(outcomes[i].reply, RedisReply::string("pipelined"));
        } else {
            QCOMPARE(outcomes[i].error.code(), RedisError::Code::ConnectionLost);
        }
    }
    QTRY_VERIFY_WITH_TIMEOUT(fake.connectionCount() >= 2 && connection.isConnected(), Timeout);
    QCOMPARE(roundTrip(connection, { "PING" }), RedisReply::status("PONG"));
    // Still exactly one callback each, and one error.
    for (const Outcome &outcome : outcomes)
        QCOMPARE(outcome.calls, 1);
    QCOMPARE(errors.count(), 1);
}

void TestHostileServer::sigPipeCannotKillTheProcess()
{
#ifdef Q_OS_WIN
    QSKIP("no SIGPIPE on Windows");
#else
    FakeRedisServer fake;
    QVERIFY2(fake.listen(), qPrintable(fake.errorString()));
    fake.setHandler([&](FakeRedisServer::Connection &connection, const QList<QByteArray> &args) {
        if (connection.index() == 0) {
            connection.abort(); // right after the first command; the rest is still being written
            return;
        }
        FakeRedisServer::politeReply(connection, args);
    });
    // 64 MB of commands to write, and the fake server runs in this thread: under a sanitizer on
    // a busy machine the abort can take longer than the 2 s command timeout of the other rows,
    // which would then end the connection first (a timeout, not the write to a reset socket).
    ConnectionOptions options = hostileOptions(fake.port());
    options.commandTimeoutMs = 60000;
    CommandConnection connection(options);
    QSignalSpy errors(&connection, &RedisConnection::errorOccurred);
    connection.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(connection.isConnected(), Timeout);

    constexpr int Count = 1000;
    const QByteArray value(64 * 1024, 'v');
    std::vector<Outcome> outcomes(Count);
    for (Outcome &outcome : outcomes)
        connection.send({ "SET", "k", value }, outcome.handler());
    QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0, Timeout);
    const auto error = errors.first().at(0).value<RedisError>();
    qInfo("hiredis %s: %s", REDWIRE_HIREDIS_VERSION, qPrintable(describe(error)));
    QCOMPARE(error.code(), RedisError::Code::ConnectionLost);
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(outcomes.begin(), outcomes.end(), [](const Outcome &o) { return o.calls > 0; }), Timeout);
    for (const Outcome &outcome : outcomes) {
        QCOMPARE(outcome.calls, 1);
        QVERIFY(outcome.error.isError());
    }
    QTRY_VERIFY_WITH_TIMEOUT(fake.connectionCount() >= 2 && connection.isConnected(), Timeout);
    QCOMPARE(roundTrip(connection, { "PING" }), RedisReply::status("PONG"));
    QCOMPARE(errors.count(), 1);

    // Whether or not the kernel raised it above, a SIGPIPE must not terminate us.
    struct sigaction current = {};
    ::sigaction(SIGPIPE, nullptr, &current);
    QVERIFY2(current.sa_handler != SIG_DFL, "SIGPIPE still has its default action (terminate)");
    ::raise(SIGPIPE);
    QVERIFY(connection.isConnected());
#endif
}

void TestHostileServer::absurdNestingDoesNotCrash_data()
{
    QTest::addColumn<int>("depth");
    QTest::newRow("100,000 deep (400 KB)") << 100000;
    QTest::newRow("1,000,000 deep (4 MB)") << 1000000;
}

void TestHostileServer::absurdNestingDoesNotCrash()
{
    QFETCH(int, depth);
    static const char childVariable[] = "REDWIRE_TEST_NESTING_DEPTH";
    if (qEnvironmentVariableIsSet(childVariable)) {
        if (qEnvironmentVariableIntValue(childVariable) != depth)
            QSKIP("another row runs in this child");
        absurdNestingScenario(depth);
        return;
    }
    // A crash or a hang in the child fails this row; the parent lives on to report it.
    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QLatin1String(childVariable), QString::number(depth));
    environment.insert(QStringLiteral("QTEST_DISABLE_STACK_DUMP"), QStringLiteral("1"));
    child.setProcessEnvironment(environment);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(QCoreApplication::applicationFilePath(),
        { QStringLiteral("absurdNestingDoesNotCrash:") + QString::fromUtf8(QTest::currentDataTag()) });
    QVERIFY2(child.waitForStarted(5000), qPrintable(child.errorString()));
    constexpr int ChildTimeoutMs = 20000;
    const bool finished
        = QTest::qWaitFor([&] { return child.state() == QProcess::NotRunning; }, ChildTimeoutMs);
    if (!finished) {
        child.kill();
        child.waitForFinished(5000);
    }
    const QByteArrayList lines = child.readAll().split('\n');
    // What says why, and the top of a sanitizer's stack.
    const auto explains = [](const QByteArray &line) {
        return line.startsWith("FAIL") || line.startsWith("   Loc") || line.startsWith("QINFO")
            || line.contains("signal") || line.contains("ERROR:") || line.contains("SUMMARY:");
    };
    QByteArrayList shown;
    int frames = 0;
    for (const QByteArray &line : lines) {
        const bool frame = line.startsWith("    #");
        if ((frame && ++frames <= 6) || (!frame && explains(line)))
            shown << line;
    }
    const QByteArray output = shown.join('\n');
    QVERIFY2(finished,
        qPrintable(QStringLiteral("the child hung for %1 ms on a reply nested %2 deep (hiredis %3):\n%4")
                       .arg(ChildTimeoutMs)
                       .arg(depth)
                       .arg(QLatin1String(REDWIRE_HIREDIS_VERSION), QString::fromUtf8(output))));
    QVERIFY2(child.exitStatus() == QProcess::NormalExit,
        qPrintable(QStringLiteral("the child crashed on a reply nested %1 deep (hiredis %2):\n%3")
                       .arg(depth)
                       .arg(QLatin1String(REDWIRE_HIREDIS_VERSION), QString::fromUtf8(output))));
    QVERIFY2(child.exitCode() == 0, output.constData());
}

void TestHostileServer::absurdNestingScenario(int depth)
{
    // 0.14's reader stops at depth 8. 1.2's has no depth limit: whatever turns the reply into
    // objects or frees it recursively must not be handed this, so a protocol error is expected.
    FakeRedisServer fake;
    QVERIFY2(fake.listen(), qPrintable(fake.errorString()));
    const QByteArray bytes = nested(depth);
    fake.setHandler([&](FakeRedisServer::Connection &connection, const QList<QByteArray> &args) {
        if (connection.index() == 0 && args.value(0).toUpper() == "PING") {
            connection.send(bytes);
            return;
        }
        FakeRedisServer::politeReply(connection, args);
    });
    CommandConnection connection(hostileOptions(fake.port()));
    QSignalSpy errors(&connection, &RedisConnection::errorOccurred);
    connection.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(connection.isConnected(), Timeout);
    Outcome first;
    connection.send({ "PING" }, first.handler());
    QVERIFY(QTest::qWaitFor([&] { return errors.count() > 0 || first.calls > 0; }, 3 * Timeout));
    QVERIFY2(errors.count() > 0, "a reply nested this deep was accepted");
    const auto error = errors.first().at(0).value<RedisError>();
    qInfo("hiredis %s: %s", REDWIRE_HIREDIS_VERSION, qPrintable(describe(error)));
    QCOMPARE(error.code(), RedisError::Code::ProtocolError);
    QTRY_COMPARE(first.calls, 1);
    QTRY_VERIFY_WITH_TIMEOUT(fake.connectionCount() >= 2 && connection.isConnected(), Timeout);
    QCOMPARE(roundTrip(connection, { "PING" }), RedisReply::status("PONG"));
}

QTEST_GUILESS_MAIN(TestHostileServer)
#include "tst_hostileserver.moc"
