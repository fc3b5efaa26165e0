// ConnectionController with "Use a local server": the options it hands to the chat and the
// monitor authenticate with the local server's password, and nothing it shows contains it.
#include "models/ConnectionController.h"

#include "CommandTestSupport.h"
#include "redis/CommandConnection.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Redwire;

class TestConnectionController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void localServerOptionsCarryItsPassword();
    void hostFieldTakesASentinelUrl();

private:
    QTemporaryDir m_home; // settings and the local server's data directory, not the user's
};

void TestConnectionController::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("config"))));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("data"))));
    QCoreApplication::setOrganizationName(QStringLiteral("RedwireTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_connectioncontroller"));
    QVERIFY(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation).startsWith(m_home.path()));
}

void TestConnectionController::localServerOptionsCarryItsPassword()
{
    ConnectionController controller;
    QVERIFY2(controller.localServerAvailable(), "redis-server must be installed for this test");
    controller.setNickname(QStringLiteral("alice"));
    controller.setUseLocalServer(true);
    QSignalSpy ready(&controller, &ConnectionController::ready);
    QSignalSpy failed(&controller, &ConnectionController::failed);
    controller.prepare();
    QTRY_VERIFY_WITH_TIMEOUT(ready.count() + failed.count() > 0, 10000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    const auto options = ready.first().first().value<ConnectionOptions>();
    QVERIFY(!options.password.isEmpty());

    // The server wants it ...
    ConnectionOptions anonymousOptions = options;
    anonymousOptions.password.clear();
    anonymousOptions.clientName.clear(); // CLIENT SETNAME would be refused in the handshake
    CommandConnection anonymous(anonymousOptions);
    QSignalSpy anonymousConnected(&anonymous, &RedisConnection::connected);
    anonymous.connectToServer();
    QVERIFY(anonymousConnected.wait(5000));
    QVERIFY(RedwireTest::roundTrip(anonymous, { "PING" }).bytes().startsWith("NOAUTH"));

    // ... and the options the chat gets pass.
    CommandConnection connection(options);
    QSignalSpy connected(&connection, &RedisConnection::connected);
    connection.connectToServer();
    QVERIFY(connected.wait(5000));
    QCOMPARE(RedwireTest::roundTrip(connection, { "PING" }), RedisReply::status("PONG"));

    // What the connect page shows names the file, never the password; the form stays empty.
    const QString status = controller.localServerStatus();
    QVERIFY2(status.contains(QString::number(options.port)), qPrintable(status));
    QVERIFY(!status.contains(options.password));
    QVERIFY(controller.password().isEmpty());
}

// The connect page's host field takes a whole redis+sentinel:// address: the options follow it,
// it is shown back without a password and kept for the next start; a bad one is a clear error.
void TestConnectionController::hostFieldTakesASentinelUrl()
{
    const QString url = QStringLiteral("redis+sentinel://127.0.0.1:26379,127.0.0.1:26380/mymaster/2");
    {
        ConnectionController controller;
        controller.setUseLocalServer(false);
        controller.setNickname(QStringLiteral("alice"));
        controller.setPassword(QStringLiteral("hunter2"));
        controller.setHost(url);
        QCOMPARE(controller.validate(), QString());
        const ConnectionOptions options = controller.options();
        QCOMPARE(options.topology, Topology::Sentinel);
        QCOMPARE(options.seeds.size(), 2);
        QCOMPARE(options.sentinelMaster, QStringLiteral("mymaster"));
        QCOMPARE(options.database, 2);
        QCOMPARE(options.password, QStringLiteral("hunter2"));
        QCOMPARE(controller.host(), url);
        QCOMPARE(controller.endpoint(), url);
        QSignalSpy ready(&controller, &ConnectionController::ready);
        controller.prepare(); // saves the settings
        QTRY_COMPARE(ready.count(), 1);
    }
    {
        ConnectionController again;
        QCOMPARE(again.host(), url);
        QCOMPARE(again.options().topology, Topology::Sentinel);
        again.setNickname(QStringLiteral("alice"));
        again.setHost(QStringLiteral("redis+sentinel://127.0.0.1:26379"));
        QCOMPARE(again.validate(),
            QStringLiteral("The sentinel URL names no master: add /<master-name> after the sentinels."));
        again.setHost(QStringLiteral("redis+cluster://127.0.0.1:7000"));
        QCOMPARE(again.validate(), QString());
        QCOMPARE(again.options().topology, Topology::Cluster);
        again.setHost(QStringLiteral("example.org"));
        QCOMPARE(again.validate(), QString());
        QCOMPARE(again.options().topology, Topology::Standalone);
        QCOMPARE(again.options().host, QStringLiteral("example.org"));
    }
}

QTEST_GUILESS_MAIN(TestConnectionController)
#include "tst_connectioncontroller.moc"
