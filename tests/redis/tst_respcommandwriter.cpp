// RespCommandWriter against hiredis's own formatter: the same bytes for any arguments, and the
// same framing for empty, binary and large arguments.
#include "redis/private/HiredisCompat.h"
#include "redis/private/LinkErrors.h"
#include "redis/private/RespCommandWriter.h"

#include <QRandomGenerator>
#include <QTest>

#include <vector>

using namespace Redwire;

namespace {

QByteArray hiredisFormat(const QList<QByteArray> &args)
{
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const QByteArray &arg : args) {
        argv.push_back(arg.constData());
        lengths.push_back(size_t(arg.size()));
    }
    char *out = nullptr;
    const long long length = redisFormatCommandArgv(&out, int(args.size()), argv.data(), lengths.data());
    const QByteArray bytes(out, qsizetype(length));
    redisFreeCommand(out);
    return bytes;
}

} // namespace

class TestRespCommandWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void knownCommands_data();
    void knownCommands();
    void matchesHiredisOnRandomArguments();
    void reusesTheBufferWithoutLeftovers();
    void closingErrorsAreClassified_data();
    void closingErrorsAreClassified();
};

void TestRespCommandWriter::knownCommands_data()
{
    QTest::addColumn<QList<QByteArray>>("args");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("PING") << QList<QByteArray> { "PING" } << QByteArray("*1\r\n$4\r\nPING\r\n");
    QTest::newRow("empty argument") << QList<QByteArray> { "SET", "k", "" }
                                    << QByteArray("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
    QTest::newRow("CRLF and NUL inside")
        << QList<QByteArray> { "PUBLISH", "c", QByteArray("a\r\n\0b", 5) }
        << QByteArray("*3\r\n$7\r\nPUBLISH\r\n$1\r\nc\r\n$5\r\na\r\n") + '\0' + "b\r\n";
    QList<QByteArray> ten;
    for (int i = 0; i < 10; ++i)
        ten << QByteArray::number(i);
    QByteArray tenExpected = "*10\r\n";
    for (int i = 0; i < 10; ++i)
        tenExpected += "$1\r\n" + QByteArray::number(i) + "\r\n";
    QTest::newRow("ten arguments (two-digit count)") << ten << tenExpected;
}

void TestRespCommandWriter::knownCommands()
{
    QFETCH(QList<QByteArray>, args);
    QFETCH(QByteArray, expected);
    QByteArray out;
    RespCommandWriter::write(args, out);
    QCOMPARE(out, expected);
    QCOMPARE(out, hiredisFormat(args));
}

void TestRespCommandWriter::matchesHiredisOnRandomArguments()
{
    QRandomGenerator random(20261201);
    QByteArray out;
    for (int round = 0; round < 2000; ++round) {
        QList<QByteArray> args;
        const int count = 1 + int(random.bounded(12));
        for (int i = 0; i < count; ++i) {
            // Lengths around the decimal boundaries (9/10, 99/100, ...) and some large ones.
            static const int lengths[] = { 0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 70000 };
            const int length = lengths[random.bounded(int(std::size(lengths)))];
            QByteArray arg(length, Qt::Uninitialized);
            for (char &c : arg)
                c = char(random.bounded(256));
            args << arg;
        }
        RespCommandWriter::write(args, out);
        QVERIFY2(out == hiredisFormat(args), qPrintable(QStringLiteral("round %1").arg(round)));
    }
}

void TestRespCommandWriter::reusesTheBufferWithoutLeftovers()
{
    QByteArray out;
    RespCommandWriter::write({ "PUBLISH", "channel", QByteArray(5000, 'x') }, out);
    RespCommandWriter::write({ "PING" }, out);
    QCOMPARE(out, QByteArray("*1\r\n$4\r\nPING\r\n"));
}

void TestRespCommandWriter::closingErrorsAreClassified_data()
{
    QTest::addColumn<int>("hiredisErr");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("connected");
    QTest::addColumn<RedisError::Code>("code");
    using Code = RedisError::Code;
    QTest::newRow("none") << 0 << QString() << true << Code::ConnectionLost;
    QTest::newRow("EOF") << int(REDIS_ERR_EOF) << QStringLiteral("Server closed the connection") << true
                         << Code::ConnectionLost;
    QTest::newRow("protocol") << int(REDIS_ERR_PROTOCOL) << QStringLiteral("bad") << true
                              << Code::ProtocolError;
    QTest::newRow("OOM") << int(REDIS_ERR_OOM) << QString() << true << Code::ProtocolError;
    QTest::newRow("NOPERM") << int(REDIS_ERR_OTHER) << QStringLiteral("NOPERM no") << true
                            << Code::PermissionDenied;
    QTest::newRow("WRONGPASS") << int(REDIS_ERR_OTHER) << QStringLiteral("WRONGPASS x") << true
                               << Code::AuthenticationFailed;
    QTest::newRow("NOAUTH") << int(REDIS_ERR_OTHER) << QStringLiteral("NOAUTH x") << true
                            << Code::AuthenticationFailed;
    QTest::newRow("other error reply")
        << int(REDIS_ERR_OTHER) << QStringLiteral("ERR max clients") << true << Code::ConnectionLost;
    QTest::newRow("refused") << int(REDIS_ERR_IO) << QStringLiteral("Connection refused") << false
                             << Code::ConnectionRefused;
    QTest::newRow("reset") << int(REDIS_ERR_IO) << QStringLiteral("Connection reset by peer") << true
                           << Code::ConnectionLost;
#ifdef REDIS_ERR_TIMEOUT
    QTest::newRow("timeout before connecting")
        << int(REDIS_ERR_TIMEOUT) << QStringLiteral("Timeout") << false << Code::ConnectTimeout;
    QTest::newRow("timeout after connecting")
        << int(REDIS_ERR_TIMEOUT) << QStringLiteral("Timeout") << true << Code::CommandTimeout;
#endif
}

void TestRespCommandWriter::closingErrorsAreClassified()
{
    QFETCH(int, hiredisErr);
    QFETCH(QString, text);
    QFETCH(bool, connected);
    QFETCH(RedisError::Code, code);
    const RedisError error = LinkErrors::closing(hiredisErr, text, connected);
    QCOMPARE(error.code(), code);
    QVERIFY(!error.message().isEmpty());
}

QTEST_GUILESS_MAIN(TestRespCommandWriter)
#include "tst_respcommandwriter.moc"
