// SlowSubscriberWatch: parsing CONFIG GET and CLIENT LIST, the levels, and against a real
// redis-server a subscriber that stops reading while 1 MB messages pile up for it.
#include "monitor/SlowSubscriberWatch.h"

#include "redis/CommandConnection.h"

#include "ConnectionOptionsFor.h"
#include "RedisServerProcess.h"

#include <QSignalSpy>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Redwire;
using RedwireTest::connectionOptionsAs;
using RedwireTest::connectionOptionsFor;
using RedwireTest::RedisServerProcess;
using Level = SlowSubscriberWatch::Level;
using Limits = SlowSubscriberWatch::Limits;

namespace {

// A Pub/Sub client that names itself, subscribes, and then never reads: a blocking POSIX socket,
// so that no event loop drains it behind the test's back.
class StalledSubscriber
{
public:
    StalledSubscriber(quint16 port, const QByteArray &name, const QByteArray &channel)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
            return;
        const QByteArray commands = "*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$"
            + QByteArray::number(name.size()) + "\r\n" + name + "\r\n*2\r\n$9\r\nSUBSCRIBE\r\n$"
            + QByteArray::number(channel.size()) + "\r\n" + channel + "\r\n";
        m_ok = ::write(m_fd, commands.constData(), size_t(commands.size())) == commands.size();
    }
    ~StalledSubscriber()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool isOk() const { return m_ok; }

private:
    int m_fd = -1;
    bool m_ok = false;
};
} // namespace

class TestSlowSubscriberWatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseLimits_data();
    void parseLimits();
    void outputMemoryOf();
    void levels_data();
    void levels();
    void measuresAnIdleSubscriberAsOk();
    void warnsAboutAStalledSubscriber();
    void unknownWithoutPermission();
};

void TestSlowSubscriberWatch::parseLimits_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("hard");
    QTest::addColumn<qint64>("soft");
    QTest::addColumn<qint64>("seconds");
    QTest::newRow("redis 7 default") << QByteArray(
        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60")
                                     << true << qint64(33554432) << qint64(8388608) << qint64(60);
    QTest::newRow("units") << QByteArray("pubsub 32mb 8MB 60 normal 0 0 0") << true << qint64(32 << 20)
                           << qint64(8 << 20) << qint64(60);
    QTest::newRow("k and kb") << QByteArray("pubsub 1k 1kb 5") << true << qint64(1000) << qint64(1024)
                              << qint64(5);
    QTest::newRow("unlimited") << QByteArray("pubsub 0 0 0") << true << qint64(0) << qint64(0) << qint64(0);
    QTest::newRow("missing") << QByteArray("normal 0 0 0") << false << qint64(0) << qint64(0) << qint64(0);
    QTest::newRow("short") << QByteArray("pubsub 1 2") << false << qint64(0) << qint64(0) << qint64(0);
    QTest::newRow("garbage") << QByteArray("pubsub x y z") << false << qint64(0) << qint64(0) << qint64(0);
}

void TestSlowSubscriberWatch::parseLimits()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, ok);
    QFETCH(qint64, hard);
    QFETCH(qint64, soft);
    QFETCH(qint64, seconds);
    Limits limits;
    QCOMPARE(SlowSubscriberWatch::parseLimits(value, &limits), ok);
    QCOMPARE(limits.known, ok);
    if (ok) {
        QCOMPARE(limits.hardBytes, hard);
        QCOMPARE(limits.softBytes, soft);
        QCOMPARE(limits.softSeconds, seconds);
    }
}

void TestSlowSubscriberWatch::outputMemoryOf()
{
    const QByteArray list
        = "id=3 addr=127.0.0.1:1 laddr=127.0.0.1:6379 fd=8 name=me age=1 idle=0 flags=N db=0 sub=0 psub=0 "
          "ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=999 "
          "tot-mem=0 events=r cmd=client|list user=default redir=-1 resp=2\r\n"
          "id=4 addr=127.0.0.1:2 name=me flags=P sub=1 psub=0 omem=1234 cmd=subscribe\n"
          "id=5 addr=127.0.0.1:3 name=other flags=P sub=1 psub=0 omem=99999 cmd=subscribe\n"
          "id=6 addr=127.0.0.1:4 name=me flags=N sub=0 psub=2 omem=5000 cmd=psubscribe\n";
    // The command connection (flags=N, no subscriptions) shares the name: it is not counted.
    QCOMPARE(SlowSubscriberWatch::outputMemoryOf(list, "me"), 5000);
    QCOMPARE(SlowSubscriberWatch::outputMemoryOf(list, "other"), 99999);
    QCOMPARE(SlowSubscriberWatch::outputMemoryOf(list, "nobody"), -1);
    QCOMPARE(SlowSubscriberWatch::outputMemoryOf(list, "m"), -1);
    QCOMPARE(SlowSubscriberWatch::outputMemoryOf(QByteArray(), "me"), -1);
}

void TestSlowSubscriberWatch::levels_data()
{
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<qint64>("hard");
    QTest::addColumn<qint64>("soft");
    QTest::addColumn<int>("level");
    QTest::newRow("idle") << qint64(0) << qint64(100) << qint64(50) << int(Level::Ok);
    QTest::newRow("under half soft") << qint64(24) << qint64(100) << qint64(50) << int(Level::Ok);
    QTest::newRow("half soft") << qint64(25) << qint64(100) << qint64(50) << int(Level::Warning);
    QTest::newRow("soft reached") << qint64(50) << qint64(100) << qint64(50) << int(Level::Critical);
    QTest::newRow("half hard, no soft") << qint64(50) << qint64(100) << qint64(0) << int(Level::Warning);
    QTest::newRow("80% hard") << qint64(80) << qint64(100) << qint64(0) << int(Level::Critical);
    QTest::newRow("no limits") << qint64(1) << qint64(0) << qint64(0) << int(Level::Ok);
    QTest::newRow("no measurement") << qint64(-1) << qint64(100) << qint64(50) << int(Level::Unknown);
}

void TestSlowSubscriberWatch::levels()
{
    QFETCH(qint64, bytes);
    QFETCH(qint64, hard);
    QFETCH(qint64, soft);
    QFETCH(int, level);
    Limits limits;
    limits.hardBytes = hard;
    limits.softBytes = soft;
    limits.softSeconds = 60;
    limits.known = true;
    QCOMPARE(int(SlowSubscriberWatch::levelFor(bytes, limits)), level);
    QCOMPARE(SlowSubscriberWatch::levelFor(bytes, Limits()), Level::Unknown);
}

void TestSlowSubscriberWatch::measuresAnIdleSubscriberAsOk()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    StalledSubscriber subscriber(server.port(), "idle-one", "quiet");
    QVERIFY(subscriber.isOk());
    CommandConnection commands(connectionOptionsFor(server));
    SlowSubscriberWatch watch(&commands);
    watch.setClientName("idle-one");
    watch.setIntervalMs(100);
    QSignalSpy levelChanged(&watch, &SlowSubscriberWatch::levelChanged);
    commands.connectToServer();
    watch.start();
    QTRY_COMPARE(watch.level(), Level::Ok);
    QCOMPARE(watch.outputBufferBytes(), 0);
    QCOMPARE(watch.limits().hardBytes, 32 * 1024 * 1024);
    QVERIFY(watch.message().isEmpty());
    QCOMPARE(levelChanged.count(), 1);
}

void TestSlowSubscriberWatch::warnsAboutAStalledSubscriber()
{
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    // Room for what the kernel's socket buffers hold (a few MB) plus what we want to see queued.
    serverOptions.extraConfig << QStringLiteral("client-output-buffer-limit pubsub 64mb 16mb 600");
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));
    StalledSubscriber subscriber(server.port(), "slow-one", "flood");
    QVERIFY(subscriber.isOk());
    CommandConnection commands(connectionOptionsFor(server));
    QSignalSpy connected(&commands, &RedisConnection::connected);
    commands.connectToServer();
    QVERIFY(connected.wait(5000));
    QTRY_COMPARE(server.cli({ "PUBSUB", "NUMSUB", "flood" }), QByteArray("flood\n1"));

    // 24 MB for a client that reads nothing: at least 14 MB stay queued in the server.
    const QByteArray payload(1024 * 1024, 'x');
    int replies = 0;
    for (int i = 0; i < 24; ++i)
        commands.send(
            { "PUBLISH", "flood", payload }, [&](const RedisReply &, const RedisError &) { ++replies; });
    QTRY_COMPARE_WITH_TIMEOUT(replies, 24, 20000);

    SlowSubscriberWatch watch(&commands);
    watch.setClientName("slow-one");
    QSignalSpy levelChanged(&watch, &SlowSubscriberWatch::levelChanged);
    watch.setIntervalMs(100);
    watch.start();
    QTRY_VERIFY(watch.level() == Level::Warning || watch.level() == Level::Critical);
    QVERIFY2(
        watch.outputBufferBytes() >= 8 * 1024 * 1024, qPrintable(QString::number(watch.outputBufferBytes())));
    QCOMPARE(watch.limits().softBytes, 16 * 1024 * 1024);
    QVERIFY(!watch.message().isEmpty());
    QVERIFY(levelChanged.count() >= 1);
}

void TestSlowSubscriberWatch::unknownWithoutPermission()
{
    RedisServerProcess server;
    RedisServerProcess::Options serverOptions;
    serverOptions.aclUsers << QStringLiteral("user limited on >pw ~* &* +@all -config -client");
    QVERIFY2(server.start(serverOptions), qPrintable(server.errorString()));
    ConnectionOptions options = connectionOptionsAs(server, QStringLiteral("limited"), QStringLiteral("pw"));
    CommandConnection commands(options);
    SlowSubscriberWatch watch(&commands);
    watch.setClientName("whoever");
    watch.setIntervalMs(100);
    QSignalSpy changed(&watch, &SlowSubscriberWatch::changed);
    commands.connectToServer();
    watch.start();
    QTRY_VERIFY(!watch.message().isEmpty());
    QCOMPARE(watch.level(), Level::Unknown);
    QVERIFY(watch.message().contains(QStringLiteral("NOPERM")));
}

QTEST_MAIN(TestSlowSubscriberWatch)
#include "tst_slowsubscriberwatch.moc"
