// Proves the fixtures do what the other tests rely on.

#include "FakeRedisServer.h"
#include "RedisServerProcess.h"
#include "TlsMaterial.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstdio>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace RedwireTest;

namespace {

const char orphanHelperVariable[] = "REDWIRE_TESTSUPPORT_ORPHAN_HELPER";

// True once the process no longer runs: gone, or a zombie waiting for someone else to reap it.
bool processGone(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray line = stat.readAll();
    const int paren = line.lastIndexOf(')');
    return paren < 0 || paren + 2 >= line.size() || line.at(paren + 2) == 'Z' || line.at(paren + 2) == 'X';
}

// A blocking BSD socket, to tell RST from FIN (QTcpSocket reports both as a remote close).
class RawClient
{
public:
    explicit RawClient(quint16 port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }
    ~RawClient()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool isValid() const { return m_fd >= 0; }
    // What one recv() after the peer's close returns: 0 for FIN, -ECONNRESET for RST.
    int recvAfterClose(QByteArray *data)
    {
        pollfd p { m_fd, POLLIN, 0 };
        if (::poll(&p, 1, 5000) != 1)
            return -ETIMEDOUT;
        char buffer[4096];
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n < 0)
            return -errno;
        data->append(buffer, int(n));
        return int(n);
    }

private:
    int m_fd = -1;
};

QByteArray readAllFrom(QTcpSocket &socket, QByteArray *into)
{
    *into += socket.readAll();
    return *into;
}

} // namespace

class TestSupportTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void startAndStop();
    void passwordAndAclUsers();
    void extraConfigLines();
    void restartKeepsPort();
    void pauseAndResume();
    void unixSocket();
    void tls();
    void tlsRequiresClientCertificate();
    void missingRedisServerFails();
    void badConfigFailsWithLog();
    void fixedPortInUseFails();
    void serverDiesWithTest();

    void fakeAnswersPing();
    void fakeParsesAcrossPartialReads();
    void fakeSubscribeAndMessages();
    void fakeScriptedMalformedReply();
    void fakeCloseIsGraceful();
    void fakeAbortResets();
    void fakeStallAndUnstall();
    void fakeCountsConnections();

private:
    TlsMaterial m_tls;
};

void TestSupportTest::initTestCase()
{
    QVERIFY2(m_tls.generate(), qPrintable(m_tls.errorString()));
    for (const QString &path :
        { m_tls.caCertPath(), m_tls.serverCertPath(), m_tls.serverKeyPath(), m_tls.clientCertPath(),
            m_tls.clientKeyPath(), m_tls.otherCaCertPath(), m_tls.otherClientCertPath() })
        QVERIFY2(QFileInfo(path).size() > 0, qPrintable(path));
}

void TestSupportTest::startAndStop()
{
    RedisServerProcess redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    const qint64 pid = redis.pid();
    QVERIFY(pid > 0);
    QVERIFY(redis.port() > 0);
    QCOMPARE(redis.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(redis.tlsPort(), quint16(0));
    QVERIFY(redis.unixSocketPath().isEmpty());
    QCOMPARE(redis.cli({ QStringLiteral("PING") }), QByteArray("PONG"));
    QCOMPARE(redis.cli({ QStringLiteral("CONFIG"), QStringLiteral("GET"), QStringLiteral("appendonly") }),
        QByteArray("appendonly\nno"));
    QCOMPARE(redis.cli({ QStringLiteral("CONFIG"), QStringLiteral("GET"), QStringLiteral("save") }),
        QByteArray("save"));
    QVERIFY(redis.log().contains("Ready to accept connections"));
    QCOMPARE(::kill(pid_t(pid), 0), 0);

    redis.stop();
    QCOMPARE(redis.pid(), qint64(0));
    QVERIFY(!redis.isRunning());
    errno = 0;
    QCOMPARE(::kill(pid_t(pid), 0), -1); // reaped, not a zombie
    QCOMPARE(errno, ESRCH);
    QVERIFY(redis.log().contains("Redis is now ready to exit"));
    redis.stop(); // idempotent
}

void TestSupportTest::passwordAndAclUsers()
{
    RedisServerProcess redis;
    RedisServerProcess::Options options;
    options.requirePass = QStringLiteral("top secret \"quoted\"");
    options.aclUsers << QStringLiteral("user alice on >secret ~* &* +@all")
                     << QStringLiteral("user bob on >pw ~* &allowed:* +@all -@dangerous");
    QVERIFY2(redis.start(options), qPrintable(redis.errorString()));

    QCOMPARE(redis.cli({ QStringLiteral("PING") }), QByteArray("PONG"));
    QCOMPARE(redis.cli({ QStringLiteral("ACL"), QStringLiteral("WHOAMI") }), QByteArray("default"));
    const auto anonymous = RedisServerProcess::runCli({ QStringLiteral("-h"), redis.host(),
        QStringLiteral("-p"), QString::number(redis.port()), QStringLiteral("PING") });
    QVERIFY2(anonymous.out.startsWith("NOAUTH"), anonymous.out.constData());

    QCOMPARE(redis.cliAs(QStringLiteral("alice"), QStringLiteral("secret"),
                 { QStringLiteral("ACL"), QStringLiteral("WHOAMI") }),
        QByteArray("alice"));
    QCOMPARE(redis.cliAs(QStringLiteral("bob"), QStringLiteral("pw"),
                 { QStringLiteral("PUBLISH"), QStringLiteral("allowed:x"), QStringLiteral("hi") }),
        QByteArray("0"));
    QVERIFY(redis
                .cliAs(QStringLiteral("bob"), QStringLiteral("pw"),
                    { QStringLiteral("PUBLISH"), QStringLiteral("secret:x"), QStringLiteral("hi") })
                .startsWith("NOPERM"));
    QVERIFY(redis.cliAs(QStringLiteral("bob"), QStringLiteral("pw"), { QStringLiteral("FLUSHALL") })
                .startsWith("NOPERM"));
    QVERIFY(redis.cliAs(QStringLiteral("alice"), QStringLiteral("wrong"), { QStringLiteral("PING") })
                .startsWith("NOAUTH"));
}

void TestSupportTest::extraConfigLines()
{
    RedisServerProcess redis;
    RedisServerProcess::Options options;
    options.extraConfig << QStringLiteral("client-output-buffer-limit pubsub 0 0 0");
    QVERIFY2(redis.start(options), qPrintable(redis.errorString()));
    const QByteArray limits = redis.cli(
        { QStringLiteral("CONFIG"), QStringLiteral("GET"), QStringLiteral("client-output-buffer-limit") });
    QVERIFY2(limits.contains("pubsub 0 0 0"), limits.constData());

    // Counting PUBSUB subscribers from outside, as the client tests will.
    QCOMPARE(redis.cli({ QStringLiteral("PUBSUB"), QStringLiteral("NUMSUB"), QStringLiteral("room") }),
        QByteArray("room\n0"));
    // Plain literals work too (no QT_NO_CAST_FROM_ASCII in the tests); a nil reply reads as "".
    QCOMPARE(redis.cli({ "PUBSUB", "NUMPAT" }), QByteArray("0"));
    QCOMPARE(redis.cli({ "-n", "3", "SET", "k", "v" }), QByteArray("OK"));
    QCOMPARE(redis.cli({ "-n", "3", "GET", "k" }), QByteArray("v"));
    QCOMPARE(redis.cli({ "GET", "k" }), QByteArray(""));
}

void TestSupportTest::restartKeepsPort()
{
    RedisServerProcess redis;
    RedisServerProcess::Options options;
    options.requirePass = QStringLiteral("pw");
    options.unixSocket = true;
    QVERIFY2(redis.start(options), qPrintable(redis.errorString()));
    const quint16 port = redis.port();
    const qint64 pid = redis.pid();
    const QString socketPath = redis.unixSocketPath();

    // A client connected across the restart sees its connection drop.
    QTcpSocket client;
    QSignalSpy disconnected(&client, &QTcpSocket::disconnected);
    client.connectToHost(redis.host(), port);
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);

    QVERIFY2(redis.restart(), qPrintable(redis.errorString()));
    QCOMPARE(redis.port(), port);
    QCOMPARE(redis.unixSocketPath(), socketPath);
    QVERIFY(redis.pid() != pid);
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(redis.cli({ QStringLiteral("PING") }), QByteArray("PONG"));
    QCOMPARE(redis.cliUnix({ QStringLiteral("PING") }), QByteArray("PONG"));
    QVERIFY(redis.log().contains("restart()"));

    // stop() first and restart() later, as a reconnect test does.
    const qint64 secondPid = redis.pid();
    redis.stop();
    QVERIFY(processGone(secondPid));
    QCOMPARE(redis.port(), port); // still reported, for the client's options
    QVERIFY2(redis.restart(), qPrintable(redis.errorString()));
    QCOMPARE(redis.port(), port);
    QCOMPARE(redis.cli({ "PING" }), QByteArray("PONG"));
}

void TestSupportTest::pauseAndResume()
{
    RedisServerProcess redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));

    redis.pause();
    QVERIFY(redis.isPaused());
    const auto duringPause
        = RedisServerProcess::runCli(redis.cliConnectionArgs() << QStringLiteral("PING"), 200);
    QVERIFY(!duringPause.finished);
    QCOMPARE(redis.cli({ QStringLiteral("PING") }, 200), QByteArray());
    QVERIFY(redis.errorString().contains(QStringLiteral("did not finish")));

    // The kernel still accepts connections and buffers the request; the answer comes on resume.
    QTcpSocket client;
    client.connectToHost(redis.host(), redis.port());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    client.write("*1\r\n$4\r\nPING\r\n");
    QVERIFY(!client.waitForReadyRead(200));

    redis.resume();
    QVERIFY(!redis.isPaused());
    QByteArray received;
    QTRY_COMPARE(readAllFrom(client, &received), QByteArray("+PONG\r\n"));
    QCOMPARE(redis.cli({ QStringLiteral("PING") }), QByteArray("PONG"));

    // Stopping a paused server works too.
    const qint64 pid = redis.pid();
    redis.pause();
    redis.stop();
    QVERIFY(processGone(pid));
}

void TestSupportTest::unixSocket()
{
    RedisServerProcess redis;
    RedisServerProcess::Options options;
    options.unixSocket = true;
    QVERIFY2(redis.start(options), qPrintable(redis.errorString()));
    const QString path = redis.unixSocketPath();
    QVERIFY(path.endsWith(QStringLiteral("/redis.sock")));
    QVERIFY(QFileInfo(path).exists());
    QCOMPARE(QFileInfo(path).permissions() & (QFile::ReadOther | QFile::WriteOther), QFile::Permissions());
    QCOMPARE(redis.cliUnix({ QStringLiteral("PING") }), QByteArray("PONG"));
    const auto viaArgs = RedisServerProcess::runCli({ QStringLiteral("-s"), path, QStringLiteral("PING") });
    QCOMPARE(viaArgs.out.trimmed(), QByteArray("PONG"));
}

void TestSupportTest::tls()
{
    RedisServerProcess redis;
    RedisServerProcess::Options options;
    options.tls = &m_tls; // tls-auth-clients optional by default
    QVERIFY2(redis.start(options), qPrintable(redis.errorString()));
    QVERIFY(redis.tlsPort() > 0);
    QVERIFY(redis.tlsPort() != redis.port());

    QCOMPARE(redis.cliTls({ QStringLiteral("PING") }), QByteArray("PONG"));
    QCOMPARE(redis.cli({ QStringLiteral("PING") }), QByteArray("PONG")); // the plain port stays

    const QStringList tlsArgs { QStringLiteral("-h"), redis.host(), QStringLiteral("-p"),
        QString::number(redis.tlsPort()), QStringLiteral("--tls") };
    const auto noClientCert = RedisServerProcess::runCli(
        tlsArgs + QStringList { QStringLiteral("--cacert"), m_tls.caCertPath(), QStringLiteral("PING") });
    QCOMPARE(noClientCert.out.trimmed(), QByteArray("PONG"));

    const auto wrongCa = RedisServerProcess::runCli(tlsArgs
        + QStringList { QStringLiteral("--cacert"), m_tls.otherCaCertPath(), QStringLiteral("PING") });
    QVERIFY(wrongCa.finished);
    QVERIFY(wrongCa.exitCode != 0);
    QVERIFY2(wrongCa.err.contains("certificate verify failed"), wrongCa.err.constData());
}

void TestSupportTest::tlsRequiresClientCertificate()
{
    RedisServerProcess redis;
    RedisServerProcess::Options options;
    options.tls = &m_tls;
    options.tlsAuthClients = RedisServerProcess::TlsClientAuth::Yes;
    QVERIFY2(redis.start(options), qPrintable(redis.errorString()));

    QCOMPARE(redis.cliTls({ QStringLiteral("PING") }), QByteArray("PONG"));
    const QStringList tlsArgs { QStringLiteral("-h"), redis.host(), QStringLiteral("-p"),
        QString::number(redis.tlsPort()), QStringLiteral("--tls"), QStringLiteral("--cacert"),
        m_tls.caCertPath() };
    const auto noClientCert = RedisServerProcess::runCli(tlsArgs + QStringList { QStringLiteral("PING") });
    QVERIFY(noClientCert.out.trimmed() != "PONG");
    const auto foreignClientCert = RedisServerProcess::runCli(tlsArgs
        + QStringList { QStringLiteral("--cert"), m_tls.otherClientCertPath(), QStringLiteral("--key"),
            m_tls.otherClientKeyPath(), QStringLiteral("PING") });
    QVERIFY(foreignClientCert.out.trimmed() != "PONG");
}

void TestSupportTest::missingRedisServerFails()
{
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", "/nonexistent");
    RedisServerProcess redis;
    const bool started = redis.start();
    qputenv("PATH", path);
    QVERIFY(!started);
    QVERIFY2(redis.errorString().contains(QStringLiteral("redis-server was not found on PATH")),
        qPrintable(redis.errorString()));
}

void TestSupportTest::badConfigFailsWithLog()
{
    RedisServerProcess redis;
    RedisServerProcess::Options options;
    options.extraConfig << QStringLiteral("no-such-directive yes");
    QVERIFY(!redis.start(options));
    QVERIFY2(redis.errorString().contains(QStringLiteral("Bad directive")), qPrintable(redis.errorString()));
    QVERIFY(!redis.isRunning());
}

void TestSupportTest::fixedPortInUseFails()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    RedisServerProcess redis;
    RedisServerProcess::Options options;
    options.port = squatter.serverPort();
    QVERIFY(!redis.start(options));
    QVERIFY2(redis.errorString().contains(QStringLiteral("Address already in use")),
        qPrintable(redis.errorString()));
}

// A test that crashes must not leave its server behind: run a helper copy of this executable
// that starts a server, SIGKILL the helper, and watch the server die with it (PR_SET_PDEATHSIG).
void TestSupportTest::serverDiesWithTest()
{
    // As a subreaper, this process inherits the orphaned server and can reap it: no zombie is left
    // for PID 1 to collect, and "gone" below means gone.
    QCOMPARE(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    const auto noLongerSubreaper = qScopeGuard([] { ::prctl(PR_SET_CHILD_SUBREAPER, 0); });
    QProcess helper;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QString::fromLatin1(orphanHelperVariable), QStringLiteral("1"));
    helper.setProcessEnvironment(environment);
    helper.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(helper.waitForStarted());
    QByteArray output;
    while (output.count('\n') < 2 && helper.waitForReadyRead(10000))
        output += helper.readAllStandardOutput();
    const QList<QByteArray> lines = output.split('\n');
    QVERIFY2(lines.size() >= 2, output.constData());
    bool ok = false;
    const qint64 redisPid = lines.at(0).toLongLong(&ok);
    QVERIFY2(ok && redisPid > 0, output.constData());
    const QString helperDirectory = QString::fromLocal8Bit(lines.at(1));
    QVERIFY(!processGone(redisPid));

    helper.kill(); // SIGKILL: no destructor runs in the helper
    QVERIFY(helper.waitForFinished());
    QTRY_VERIFY_WITH_TIMEOUT(processGone(redisPid), 5000);
    int status = 0;
    QCOMPARE(::waitpid(pid_t(redisPid), &status, 0), pid_t(redisPid));
    QVERIFY(WIFSIGNALED(status));
    QCOMPARE(WTERMSIG(status), SIGKILL);
    // The helper could not clean up after itself; its temporary directory is ours to remove.
    QVERIFY(helperDirectory.contains(QStringLiteral("redwire-redis-")));
    QVERIFY(QDir(helperDirectory).removeRecursively());
}

void TestSupportTest::fakeAnswersPing()
{
    FakeRedisServer fake;
    QVERIFY2(fake.listen(), qPrintable(fake.errorString()));
    QVERIFY(fake.port() > 0);
    QSignalSpy connected(&fake, &FakeRedisServer::clientConnected);
    QSignalSpy commands(&fake, &FakeRedisServer::commandReceived);

    QTcpSocket client;
    client.connectToHost(fake.host(), fake.port());
    QTRY_COMPARE(connected.count(), 1);
    client.write("*1\r\n$4\r\nPING\r\n");
    QByteArray received;
    QTRY_COMPARE(readAllFrom(client, &received), QByteArray("+PONG\r\n"));

    QCOMPARE(commands.count(), 1);
    QCOMPARE(commands.at(0).at(0).toInt(), 0);
    QCOMPARE(commands.at(0).at(1).value<QList<QByteArray>>(), QList<QByteArray> { "PING" });
    QCOMPARE(fake.commands(0), QList<QList<QByteArray>> { { "PING" } });

    // The rest of the polite defaults, including an inline command.
    received.clear();
    client.write("*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*3\r\n$7\r\nPUBLISH\r\n$1\r\nc\r\n$1\r\nm\r\n"
                 "*1\r\n$4\r\nNOPE\r\nECHO hi\r\n");
    QTRY_COMPARE(readAllFrom(client, &received),
        QByteArray("+OK\r\n:1\r\n-ERR unknown command 'NOPE'\r\n$2\r\nhi\r\n"));
    QCOMPARE(fake.connection(0).commands().size(), 5);
    QCOMPARE(fake.connection(0).commands().last(), (QList<QByteArray> { "ECHO", "hi" }));
}

void TestSupportTest::fakeParsesAcrossPartialReads()
{
    FakeRedisServer fake;
    QVERIFY(fake.listen());
    QSignalSpy commands(&fake, &FakeRedisServer::commandReceived);
    QTcpSocket client;
    client.connectToHost(fake.host(), fake.port());
    QTRY_COMPARE(fake.connectionCount(), 1);

    const QByteArray command = FakeRedisServer::array({ FakeRedisServer::bulk("SUBSCRIBE"),
        FakeRedisServer::bulk("with\r\ncrlf"), FakeRedisServer::bulk(QByteArray(100000, 'x')) });
    const QList<qsizetype> cuts { 1, 3, 7, 20, 30, 1000 };
    qsizetype sent = 0;
    for (qsizetype cut : cuts) {
        client.write(command.mid(sent, cut - sent));
        sent = cut;
        QTRY_COMPARE(fake.connection(0).pendingInputBytes(), sent);
        QCOMPARE(commands.count(), 0);
    }
    client.write(command.mid(sent));
    QTRY_COMPARE(commands.count(), 1);
    QCOMPARE(fake.connection(0).pendingInputBytes(), 0);
    const auto args = commands.at(0).at(1).value<QList<QByteArray>>();
    QCOMPARE(args.size(), 3);
    QCOMPARE(args.at(1), QByteArray("with\r\ncrlf"));
    QCOMPARE(args.at(2), QByteArray(100000, 'x'));
}

void TestSupportTest::fakeSubscribeAndMessages()
{
    FakeRedisServer fake;
    QVERIFY(fake.listen());
    QTcpSocket client;
    client.connectToHost(fake.host(), fake.port());
    QTRY_COMPARE(fake.connectionCount(), 1);

    client.write("*3\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n$2\r\nbb\r\n*2\r\n$10\r\nPSUBSCRIBE\r\n$2\r\nc*\r\n");
    QByteArray received;
    QTRY_COMPARE(readAllFrom(client, &received),
        QByteArray("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n"
                   "*3\r\n$9\r\nsubscribe\r\n$2\r\nbb\r\n:2\r\n"
                   "*3\r\n$10\r\npsubscribe\r\n$2\r\nc*\r\n:3\r\n"));
    QCOMPARE(fake.connection(0).subscriptionCount(), 3);

    received.clear();
    fake.sendToAll(FakeRedisServer::message("a", "hello"));
    fake.sendToAll(FakeRedisServer::pmessage("c*", "cat", ""));
    client.write("*1\r\n$4\r\nPING\r\n");
    QTRY_COMPARE(readAllFrom(client, &received),
        QByteArray("*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$5\r\nhello\r\n"
                   "*4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$3\r\ncat\r\n$0\r\n\r\n"
                   "*2\r\n$4\r\npong\r\n$0\r\n\r\n"));

    received.clear();
    client.write("*1\r\n$11\r\nUNSUBSCRIBE\r\n");
    QTRY_COMPARE(readAllFrom(client, &received),
        QByteArray("*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:2\r\n"
                   "*3\r\n$11\r\nunsubscribe\r\n$2\r\nbb\r\n:1\r\n"));
}

void TestSupportTest::fakeScriptedMalformedReply()
{
    FakeRedisServer fake;
    QVERIFY(fake.listen());
    const QByteArray malformed("$5\r\nab\r\n:x\r\n*-7\r\n");
    fake.setHandler([&](FakeRedisServer::Connection &connection, const QList<QByteArray> &args) {
        if (args.at(0) == "SUBSCRIBE")
            connection.send(malformed);
        else
            FakeRedisServer::politeReply(connection, args);
    });
    QTcpSocket client;
    client.connectToHost(fake.host(), fake.port());
    client.write("*1\r\n$4\r\nPING\r\n*2\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n");
    QByteArray received;
    QTRY_COMPARE(readAllFrom(client, &received), QByteArray("+PONG\r\n") + malformed);
}

void TestSupportTest::fakeCloseIsGraceful()
{
    FakeRedisServer fake;
    QVERIFY(fake.listen());
    QSignalSpy disconnected(&fake, &FakeRedisServer::clientDisconnected);
    const QByteArray big(4 * 1024 * 1024, 'z'); // more than the socket buffers hold at once
    fake.setHandler([&](FakeRedisServer::Connection &connection, const QList<QByteArray> &) {
        connection.send(FakeRedisServer::bulk(big));
        connection.close();
    });
    QTcpSocket client;
    QByteArray received;
    connect(&client, &QTcpSocket::readyRead, this, [&] { received += client.readAll(); });
    client.connectToHost(fake.host(), fake.port());
    client.write("*1\r\n$4\r\nPING\r\n");
    QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
    received += client.readAll();
    QCOMPARE(received.size(), FakeRedisServer::bulk(big).size());
    QVERIFY(received == FakeRedisServer::bulk(big));
    QTRY_COMPARE(disconnected.count(), 1);
}

void TestSupportTest::fakeAbortResets()
{
    FakeRedisServer fake;
    QVERIFY(fake.listen());
    QSignalSpy disconnected(&fake, &FakeRedisServer::clientDisconnected);
    RawClient client(fake.port());
    QVERIFY(client.isValid());
    QTRY_COMPARE(fake.connectionCount(), 1);
    QVERIFY(fake.connection(0).isOpen());

    fake.abortAll();
    QCOMPARE(disconnected.count(), 1);
    QCOMPARE(disconnected.at(0).at(0).toInt(), 0);
    QVERIFY(!fake.connection(0).isOpen());
    QByteArray data;
    QCOMPARE(client.recvAfterClose(&data), -ECONNRESET);
    fake.abortAll(); // nothing left to abort
    QCOMPARE(disconnected.count(), 1);
}

void TestSupportTest::fakeStallAndUnstall()
{
    FakeRedisServer fake;
    QVERIFY(fake.listen());
    fake.setHandler([](FakeRedisServer::Connection &connection, const QList<QByteArray> &args) {
        if (args.at(0) == "STALL")
            connection.stall();
        else
            FakeRedisServer::politeReply(connection, args);
    });
    QTcpSocket client;
    client.connectToHost(fake.host(), fake.port());
    client.write("*1\r\n$5\r\nSTALL\r\n");
    QTRY_COMPARE(fake.commands(0).size(), 1); // commands() of a connection not yet accepted is empty
    QVERIFY(fake.connection(0).isStalled());

    client.write("*1\r\n$4\r\nPING\r\n");
    QVERIFY(!client.waitForReadyRead(200));
    QCOMPARE(fake.commands(0).size(), 1);
    fake.sendToAll(FakeRedisServer::message("a", "b")); // skips stalled connections
    QVERIFY(!client.waitForReadyRead(50));

    fake.connection(0).unstall();
    QByteArray received;
    QTRY_COMPARE(readAllFrom(client, &received), QByteArray("+PONG\r\n"));
    QCOMPARE(fake.commands(0).size(), 2);
}

void TestSupportTest::fakeCountsConnections()
{
    FakeRedisServer fake;
    QVERIFY(fake.listen());
    QSignalSpy connected(&fake, &FakeRedisServer::clientConnected);
    QSignalSpy disconnected(&fake, &FakeRedisServer::clientDisconnected);
    {
        QTcpSocket first;
        first.connectToHost(fake.host(), fake.port());
        QTRY_COMPARE(connected.count(), 1);
        first.disconnectFromHost();
        QTRY_COMPARE(disconnected.count(), 1);
    }
    QTcpSocket second;
    second.connectToHost(fake.host(), fake.port());
    QTRY_COMPARE(connected.count(), 2);
    QCOMPARE(connected.at(1).at(0).toInt(), 1);
    QCOMPARE(fake.connectionCount(), 2);
    QCOMPARE(fake.openConnectionCount(), 1);

    fake.stopListening();
    QVERIFY(!fake.isListening());
    fake.closeAll();
    QTRY_COMPARE(second.state(), QAbstractSocket::UnconnectedState);
    QTRY_COMPARE(disconnected.count(), 2);
    QCOMPARE(fake.openConnectionCount(), 0);
}

// Helper mode for serverDiesWithTest(): start a server, print its PID, wait to be killed.
static int runOrphanHelper(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    RedisServerProcess redis;
    if (!redis.start()) {
        std::fprintf(stderr, "%s\n", qPrintable(redis.errorString()));
        return 1;
    }
    std::printf("%lld\n%s\n", static_cast<long long>(redis.pid()), qPrintable(redis.directory()));
    std::fflush(stdout);
    return app.exec();
}

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet(orphanHelperVariable))
        return runOrphanHelper(argc, argv);
    QCoreApplication app(argc, argv);
    TestSupportTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_testsupport.moc"
