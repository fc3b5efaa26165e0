// TLS against a real redis-server with throwaway certificates (builds with hiredis >= 1.0 and
// hiredis_ssl): command and Pub/Sub round trips, certificate verification, client certificates,
// resubscribing after a restart. Builds without TLS must refuse it clearly (TlsUnavailable).
#include "redis/CommandConnection.h"
#include "redis/SubscriberConnection.h"

#include "CommandTestSupport.h"
#include "RedisServerProcess.h"
#include "TlsMaterial.h"

#include <QDir>
#include <QSignalSpy>
#include <QTest>

using namespace Redwire;
using RedwireTest::describe;
using RedwireTest::Outcome;
using RedwireTest::RedisServerProcess;
using RedwireTest::roundTrip;
using RedwireTest::TlsMaterial;
using TopicKind = SubscriberConnection::TopicKind;

#ifdef REDWIRE_BUILD_HAS_TLS
#define REQUIRE_TLS_BUILD()
#else
#define REQUIRE_TLS_BUILD()                                                                                  \
    QSKIP("this build has no TLS (hiredis " REDWIRE_HIREDIS_VERSION                                          \
          ", TLS needs hiredis >= 1.0 with hiredis_ssl); tlsUnavailableIsRefusedClearly covers it")
#endif

namespace {

constexpr int Timeout = 10000;

} // namespace

class TestTls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tlsUnavailableIsRefusedClearly();
    void commandRoundTrip();
    void pubSubRoundTrip();
    void wrongCaFailsWithoutStorm();
    void serverNameMismatchFails();
    void clientCertificateRequired_data();
    void clientCertificateRequired();
    void correctedOptionsTakeEffectOnReconnect();
    void resubscribesAfterServerRestart();

private:
    ConnectionOptions tlsOptions(const RedisServerProcess &server) const;
    TlsMaterial m_tls;
};

void TestTls::initTestCase()
{
    qInfo("hiredis %s", REDWIRE_HIREDIS_VERSION);
#ifdef REDWIRE_BUILD_HAS_TLS
    QVERIFY2(m_tls.generate(), qPrintable(m_tls.errorString()));
#endif
}

ConnectionOptions TestTls::tlsOptions(const RedisServerProcess &server) const
{
    ConnectionOptions options;
    options.host = server.host(); // 127.0.0.1; the certificate is verified for serverName
    options.port = server.tlsPort();
    options.connectTimeoutMs = 3000;
    options.commandTimeoutMs = 3000;
    options.heartbeatIntervalMs = 0;
    options.reconnect.initialDelayMs = 50;
    options.reconnect.maxDelayMs = 400;
    options.tls.enabled = true;
    options.tls.caFile = m_tls.caCertPath();
    options.tls.serverName = QStringLiteral("localhost");
    return options;
}

void TestTls::tlsUnavailableIsRefusedClearly()
{
#ifdef REDWIRE_BUILD_HAS_TLS
    QSKIP("this build has TLS (hiredis " REDWIRE_HIREDIS_VERSION ")");
#else
    ConnectionOptions options;
    options.port = 1; // never reached
    options.tls.enabled = true;
    options.tls.caFile = QStringLiteral("/nonexistent/ca.crt");
    options.reconnect.initialDelayMs = 20;
    CommandConnection commands(options);
    SubscriberConnection subscriber(options);
    QSignalSpy commandErrors(&commands, &RedisConnection::errorOccurred);
    QSignalSpy subscriberErrors(&subscriber, &RedisConnection::errorOccurred);
    QSignalSpy connected(&commands, &RedisConnection::connected);
    commands.connectToServer();
    subscriber.connectToServer();
    QTRY_COMPARE(commandErrors.count(), 1);
    QTRY_COMPARE(subscriberErrors.count(), 1);
    for (const QSignalSpy *spy : { &commandErrors, &subscriberErrors }) {
        const auto error = spy->first().at(0).value<RedisError>();
        qInfo("%s", qPrintable(describe(error)));
        QCOMPARE(error.code(), RedisError::Code::TlsUnavailable);
        QVERIFY2(error.message().contains(QLatin1String("no TLS"), Qt::CaseInsensitive),
            qPrintable(error.message()));
        QVERIFY2(error.message().contains(QLatin1String("build"), Qt::CaseInsensitive),
            qPrintable(error.message()));
        QCOMPARE(spy->first().at(2).toInt(), -1); // permanent: no retry
    }
    QCOMPARE(commands.state(), RedisConnection::State::Disconnected);
    QCOMPARE(subscriber.state(), RedisConnection::State::Disconnected);
    // No attempt is scheduled: nothing more can happen on its own.
    QCOMPARE(commands.remainingRetryDelayMs(), -1);
    QCOMPARE(subscriber.remainingRetryDelayMs(), -1);
    QCOMPARE(commandErrors.count(), 1);
    QCOMPARE(subscriberErrors.count(), 1);
    QCOMPARE(connected.count(), 0);
#endif
}

void TestTls::commandRoundTrip()
{
    REQUIRE_TLS_BUILD();
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.tls = &m_tls; // client certificates optional
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));

    CommandConnection connection(tlsOptions(server));
    QSignalSpy errors(&connection, &RedisConnection::errorOccurred);
    connection.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(connection.isConnected(), Timeout);
    QVERIFY2(connection.endpoint().startsWith(QLatin1String("tls://")), qPrintable(connection.endpoint()));
    QCOMPARE(roundTrip(connection, { "PING" }), RedisReply::status("PONG"));
    // Large and binary values cross TLS records intact.
    QByteArray big(2 * 1024 * 1024 + 7, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i * 13);
    QCOMPARE(roundTrip(connection, { "SET", "big", big }), RedisReply::status("OK"));
    QCOMPARE(roundTrip(connection, { "GET", "big" }), RedisReply::string(big));
    // Pipelined over TLS, in order.
    QList<qint64> results;
    for (int i = 0; i < 500; ++i)
        connection.send({ "INCR", "n" }, [&](const RedisReply &reply, const RedisError &error) {
            results << (error.isError() ? -1 : reply.toInteger());
        });
    QTRY_COMPARE_WITH_TIMEOUT(results.size(), 500, Timeout);
    for (int i = 0; i < 500; ++i)
        QCOMPARE(results.at(i), qint64(i + 1));
    // It really is the TLS port: the server counts the connection as TLS-encrypted.
    QCOMPARE(server.cliTls({ QStringLiteral("GET"), QStringLiteral("n") }), QByteArray("500"));
    QCOMPARE(errors.count(), 0);
}

void TestTls::pubSubRoundTrip()
{
    REQUIRE_TLS_BUILD();
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.tls = &m_tls;
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));

    SubscriberConnection subscriber(tlsOptions(server));
    QSignalSpy messages(&subscriber, &SubscriberConnection::messageReceived);
    QSignalSpy patternMessages(&subscriber, &SubscriberConnection::patternMessageReceived);
    subscriber.subscribe("news");
    subscriber.psubscribe("room.*");
    subscriber.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isActive(TopicKind::Channel, "news"), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isActive(TopicKind::Pattern, "room.*"), Timeout);

    CommandConnection publisher(tlsOptions(server));
    publisher.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(publisher.isConnected(), Timeout);
    QCOMPARE(roundTrip(publisher, { "PUBLISH", "news", "over tls" }), RedisReply::integer(1));
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 1, Timeout);
    QCOMPARE(messages.first().at(0).toByteArray(), QByteArray("news"));
    QCOMPARE(messages.first().at(1).toByteArray(), QByteArray("over tls"));
    QByteArray big(1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i % 251);
    QCOMPARE(roundTrip(publisher, { "PUBLISH", "room.lobby", big }), RedisReply::integer(1));
    QTRY_COMPARE_WITH_TIMEOUT(patternMessages.count(), 1, Timeout);
    QCOMPARE(patternMessages.first().at(1).toByteArray(), QByteArray("room.lobby"));
    QCOMPARE(patternMessages.first().at(2).toByteArray(), big);
    // A burst: every message, in order.
    for (int i = 0; i < 200; ++i)
        publisher.send({ "PUBLISH", "news", QByteArray::number(i) });
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 201, Timeout);
    for (int i = 0; i < 200; ++i)
        QCOMPARE(messages.at(i + 1).at(1).toByteArray(), QByteArray::number(i));
}

void TestTls::wrongCaFailsWithoutStorm()
{
    REQUIRE_TLS_BUILD();
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.tls = &m_tls;
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));

    ConnectionOptions options = tlsOptions(server);
    options.tls.caFile = m_tls.otherCaCertPath(); // signed nothing the server presents
    CommandConnection connection(options);
    QSignalSpy errors(&connection, &RedisConnection::errorOccurred);
    QSignalSpy connected(&connection, &RedisConnection::connected);
    connection.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0, Timeout);
    // No storm: attempts back off (50, 100, 200, 400, 400 ... ms), and an unverified server is
    // never reported as connected (which would also reset the backoff every time). Read from the
    // delays each failure announces, not from a clock.
    // A refused certificate is final (TlsFailed is permanent): nothing is scheduled, so nothing
    // can storm. Were it retried, the delays each failure announces must grow.
    QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), Timeout);
    if (errors.first().at(2).toInt() < 0) {
        QCOMPARE(connection.remainingRetryDelayMs(), -1);
    } else {
        QTRY_VERIFY_WITH_TIMEOUT(errors.count() >= 4, Timeout);
        QVERIFY2(errors.at(3).at(2).toInt() >= 2 * errors.at(0).at(2).toInt(),
            qPrintable(QStringLiteral("delays do not grow: %1 then %2")
                           .arg(errors.at(0).at(2).toInt())
                           .arg(errors.at(3).at(2).toInt())));
    }
    connection.disconnectFromServer();
    for (const QList<QVariant> &arguments : std::as_const(errors))
        qInfo("hiredis %s: attempt %d: %s, next in %d ms", REDWIRE_HIREDIS_VERSION, arguments.at(1).toInt(),
            qPrintable(describe(arguments.at(0).value<RedisError>())), arguments.at(2).toInt());
    QCOMPARE(connected.count(), 0);
    for (int i = 1; i < errors.count(); ++i)
        QCOMPARE(errors.at(i).at(1).toInt(), i + 1);
    // Every attempt says why: the certificate could not be verified.
    for (const QList<QVariant> &arguments : std::as_const(errors)) {
        const auto error = arguments.at(0).value<RedisError>();
        QVERIFY2(
            error.code() == RedisError::Code::TlsFailed || error.code() == RedisError::Code::ConnectionLost,
            qPrintable(describe(error)));
        QVERIFY2(error.message().contains(QLatin1String("certificate"), Qt::CaseInsensitive)
                || error.message().contains(QLatin1String("verif"), Qt::CaseInsensitive),
            qPrintable(describe(error)));
    }
}

void TestTls::serverNameMismatchFails()
{
    REQUIRE_TLS_BUILD();
    // TlsOptions::serverName is "SNI and the name verified": a certificate from the trusted CA
    // for another name must not do.
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.tls = &m_tls;
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));

    ConnectionOptions options = tlsOptions(server);
    options.tls.serverName = QStringLiteral("not-the-server.example");
    CommandConnection connection(options);
    QSignalSpy errors(&connection, &RedisConnection::errorOccurred);
    connection.connectToServer();
    QVERIFY(QTest::qWaitFor([&] { return errors.count() > 0 || connection.isConnected(); }, Timeout));
    if (connection.isConnected()) {
        // Connected is not enough to be sure: the handshake may still fail on the first command.
        const RedisReply reply = roundTrip(connection, { "PING" });
        QVERIFY2(reply != RedisReply::status("PONG"),
            "connected and answered although the certificate is for localhost/127.0.0.1, "
            "not not-the-server.example");
    }
    QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0, Timeout);
    const auto error = errors.first().at(0).value<RedisError>();
    qInfo("hiredis %s: %s", REDWIRE_HIREDIS_VERSION, qPrintable(describe(error)));
    QVERIFY2(error.code() == RedisError::Code::TlsFailed || error.code() == RedisError::Code::ConnectionLost,
        qPrintable(describe(error)));
    connection.disconnectFromServer();
}

void TestTls::clientCertificateRequired_data()
{
    QTest::addColumn<QString>("certificate"); // relative to the TLS material's directory
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("no client certificate") << QString() << QString() << false;
    QTest::newRow("a client certificate from another CA")
        << QStringLiteral("other-client.crt") << QStringLiteral("other-client.key") << false;
    QTest::newRow("the client certificate")
        << QStringLiteral("client.crt") << QStringLiteral("client.key") << true;
}

void TestTls::clientCertificateRequired()
{
    REQUIRE_TLS_BUILD();
    QFETCH(QString, certificate);
    QFETCH(QString, key);
    QFETCH(bool, accepted);
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.tls = &m_tls;
    serverOptions.tlsAuthClients = RedisServerProcess::TlsClientAuth::Yes;
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));

    ConnectionOptions options = tlsOptions(server);
    const QDir material(m_tls.directory());
    options.tls.certFile = certificate.isEmpty() ? QString() : material.filePath(certificate);
    options.tls.keyFile = key.isEmpty() ? QString() : material.filePath(key);
    CommandConnection connection(options);
    QSignalSpy errors(&connection, &RedisConnection::errorOccurred);
    connection.connectToServer();
    if (accepted) {
        QTRY_VERIFY_WITH_TIMEOUT(connection.isConnected(), Timeout);
        QCOMPARE(roundTrip(connection, { "PING" }), RedisReply::status("PONG"));
        QCOMPARE(roundTrip(connection, { "ECHO", "with a certificate" }),
            RedisReply::string("with a certificate"));
        QCOMPARE(errors.count(), 0);
        return;
    }
    // The server may let the handshake finish and drop us at the first read: ask something.
    QVERIFY(QTest::qWaitFor([&] { return errors.count() > 0 || connection.isConnected(); }, Timeout));
    if (errors.isEmpty()) {
        const RedisReply reply = roundTrip(connection, { "PING" });
        QVERIFY2(reply != RedisReply::status("PONG"), "the server accepted us");
    }
    QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0, Timeout);
    const auto error = errors.first().at(0).value<RedisError>();
    qInfo("hiredis %s: %s", REDWIRE_HIREDIS_VERSION, qPrintable(describe(error)));
    QVERIFY2(error.code() == RedisError::Code::TlsFailed || error.code() == RedisError::Code::ConnectionLost,
        qPrintable(describe(error)));
    QVERIFY(!error.message().isEmpty());
    // Refused again at every attempt, but with backoff (50, 100, 200, 400 ms): no storm. Read
    // from the delays each failure announces, not from a clock.
    // Final (no attempt scheduled), or retried with growing delays until one is final: no storm
    // either way.
    QTRY_VERIFY_WITH_TIMEOUT(errors.count() >= 4 || errors.last().at(2).toInt() < 0, Timeout);
    if (errors.last().at(2).toInt() < 0)
        QCOMPARE(connection.remainingRetryDelayMs(), -1);
    for (qsizetype i = 1; i < errors.count() && errors.at(i).at(2).toInt() >= 0; ++i)
        QVERIFY2(
            errors.at(i).at(2).toInt() > errors.at(i - 1).at(2).toInt() || errors.at(i).at(2).toInt() >= 300,
            qPrintable(QStringLiteral("attempt %1 waits %2 ms after %3 ms")
                           .arg(i + 1)
                           .arg(errors.at(i).at(2).toInt())
                           .arg(errors.at(i - 1).at(2).toInt())));
    connection.disconnectFromServer();
}

void TestTls::correctedOptionsTakeEffectOnReconnect()
{
    REQUIRE_TLS_BUILD();
    // setOptions(): "Takes effect at the next connect", the certificate settings included.
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.tls = &m_tls;
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));

    ConnectionOptions options = tlsOptions(server);
    options.tls.caFile = m_tls.otherCaCertPath();
    CommandConnection connection(options);
    QSignalSpy errors(&connection, &RedisConnection::errorOccurred);
    connection.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0, Timeout);
    connection.disconnectFromServer();

    const qsizetype before = errors.count();
    connection.setOptions(tlsOptions(server)); // the right CA now
    connection.connectToServer();
    QVERIFY(QTest::qWaitFor([&] { return connection.isConnected() || errors.count() > before; }, Timeout));
    const RedisReply reply = connection.isConnected() ? roundTrip(connection, { "PING" }) : RedisReply();
    if (reply != RedisReply::status("PONG"))
        QFAIL(qPrintable(QStringLiteral("the corrected CA file was not used: %1")
                             .arg(errors.count() > before ? describe(errors.last().at(0).value<RedisError>())
                                                          : reply.toDisplayString())));
}

void TestTls::resubscribesAfterServerRestart()
{
    REQUIRE_TLS_BUILD();
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.tls = &m_tls;
    serverOptions.tlsAuthClients = RedisServerProcess::TlsClientAuth::Yes;
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));

    ConnectionOptions options = tlsOptions(server);
    options.tls.certFile = m_tls.clientCertPath();
    options.tls.keyFile = m_tls.clientKeyPath();
    SubscriberConnection subscriber(options);
    QSignalSpy messages(&subscriber, &SubscriberConnection::messageReceived);
    QSignalSpy resubscribed(&subscriber, &SubscriberConnection::resubscribed);
    QSignalSpy errors(&subscriber, &RedisConnection::errorOccurred);
    subscriber.subscribe("news");
    subscriber.psubscribe("room.*");
    subscriber.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isActive(TopicKind::Channel, "news"), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(subscriber.isActive(TopicKind::Pattern, "room.*"), Timeout);
    QCOMPARE(server.cliTls({ QStringLiteral("PUBLISH"), QStringLiteral("news"), QStringLiteral("before") }),
        QByteArray("1"));
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 1, Timeout);

    server.stop();
    QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0, Timeout);
    const auto error = errors.first().at(0).value<RedisError>();
    qInfo("hiredis %s: %s", REDWIRE_HIREDIS_VERSION, qPrintable(describe(error)));
    QVERIFY(!subscriber.isActive(TopicKind::Channel, "news"));
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(resubscribed.count(), 1, Timeout);
    QCOMPARE(resubscribed.first().at(0).toInt(), 2);
    QVERIFY(subscriber.isActive(TopicKind::Channel, "news"));
    QVERIFY(subscriber.isActive(TopicKind::Pattern, "room.*"));

    CommandConnection publisher(options);
    publisher.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(publisher.isConnected(), Timeout);
    QCOMPARE(roundTrip(publisher, { "PUBLISH", "news", "after" }), RedisReply::integer(1));
    QTRY_COMPARE_WITH_TIMEOUT(messages.count(), 2, Timeout);
    QCOMPARE(messages.last().at(1).toByteArray(), QByteArray("after"));
    // Backed off while the server was away, but did not storm.
    QVERIFY2(errors.count() <= 10, qPrintable(QString::number(errors.count())));
}

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
