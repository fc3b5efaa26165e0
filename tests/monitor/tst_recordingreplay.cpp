// Replaying a JSON Lines recording: RecordingLine (each line's kinds and problems),
// BoundedLineReader (lines longer than the limit are skipped, not read into memory), and
// RecordingReplay against a private redis-server: a subscriber receives the recorded channels and
// payloads in order (binary intact), gap lines and malformed lines are skipped and counted, a dry
// run publishes nothing, pacing is kept, PUBLISHes in flight stay bounded, stop and failure end it.
#include "monitor/BoundedLineReader.h"
#include "monitor/JsonLinesMessageFormatter.h"
#include "monitor/MonitoredMessage.h"
#include "monitor/RecordingLine.h"
#include "monitor/RecordingReplay.h"
#include "monitor/SubscriptionGap.h"

#include "redis/CommandConnection.h"
#include "redis/SubscriberConnection.h"

#include "ConnectionOptionsFor.h"
#include "RedisServerProcess.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Redwire;
using RedwireTest::RedisServerProcess;
using Kind = RecordingLine::Kind;

namespace {

struct Recorded
{
    QByteArray channel;
    QByteArray payload;
};

ConnectionOptions optionsFor(const RedisServerProcess &server)
{
    ConnectionOptions options = RedwireTest::connectionOptionsFor(server);
    options.commandTimeoutMs = 10000;
    return options;
}

// A recording as the monitor writes it: the messages `stepMs` apart, with `extraLines` after the
// message at the index given.
QByteArray recording(
    const QList<Recorded> &messages, qint64 stepMs = 1, const QHash<int, QByteArray> &extraLines = {})
{
    JsonLinesMessageFormatter formatter;
    QByteArray out;
    const qint64 start = 1714566896000;
    for (int i = 0; i < messages.size(); ++i) {
        const MonitoredMessage message { start + i * stepMs, messages.at(i).channel, {},
            messages.at(i).payload, quint64(i + 1), {} };
        formatter.append(message, out);
        out += extraLines.value(i);
    }
    return out;
}

QString writeFile(const QTemporaryDir &dir, const QByteArray &contents)
{
    static int counter = 0;
    const QString path = dir.filePath(QStringLiteral("recording%1.jsonl").arg(++counter));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
        return {};
    return path;
}

QList<Recorded> sampleMessages()
{
    QByteArray binary;
    for (int i = 0; i < 256; ++i)
        binary += char(i);
    return {
        { "replay.news", "hello" },
        { "replay.news", "{\"z\":1,\"a\":2}" },
        { QByteArray("replay.\xff\x00raw", 12), binary },
        { "replay.empty", QByteArray() },
        { "replay.big", QByteArray(200 * 1024, 'x') },
        { "replay.news", "line1\nline2 \xe2\x80\xa8 caf\xc3\xa9" },
    };
}

// Subscribes to replay.* and keeps what arrives, in order.
class Listener
{
public:
    explicit Listener(const RedisServerProcess &server)
        : m_subscriber(optionsFor(server))
    {
        QObject::connect(&m_subscriber, &SubscriberConnection::patternMessageReceived,
            [this](const QByteArray &, const QByteArray &channel, const QByteArray &payload) {
                received.append({ channel, payload });
            });
        m_subscriber.psubscribe("replay.*");
        m_subscriber.connectToServer();
    }
    bool waitUntilSubscribed()
    {
        return QTest::qWaitFor(
            [this] { return m_subscriber.isActive(SubscriberConnection::TopicKind::Pattern, "replay.*"); },
            20000);
    }
    QList<Recorded> received;

private:
    SubscriberConnection m_subscriber;
};

} // namespace

class TestRecordingReplay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void lines_data();
    void lines();
    void readerSkipsLinesOverTheLimit();
    void replayPublishesInOrder();
    void dryRunPublishesNothing();
    void pacingFollowsTheRecording();
    void inFlightIsBounded();
    void stopEndsAPacedReplay();
    void refusedPublishFails();
    void missingFileIsAnError();

private:
    RedisServerProcess m_server;
    QTemporaryDir m_dir;
    std::unique_ptr<CommandConnection> m_commands;
};

void TestRecordingReplay::initTestCase()
{
    RedisServerProcess::Options options;
    options.aclUsers << QStringLiteral("user quiet on >secret ~* &* +@all -publish");
    QVERIFY2(m_server.start(options), qPrintable(m_server.errorString()));
    QVERIFY(m_dir.isValid());
    m_commands = std::make_unique<CommandConnection>(optionsFor(m_server));
    m_commands->connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(m_commands->isConnected(), 20000);
}

void TestRecordingReplay::lines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("channel");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("problem");
    const QString none;
    QTest::newRow("message") << QByteArray(
        R"({"time":"2024-05-01T12:34:56.789Z","channel":"news","pattern":null,"size":5,"payload":"hello"})"
        "\n") << int(Kind::Message)
                             << QByteArray("news") << QByteArray("hello") << none;
    QTest::newRow("crlf, no size") << QByteArray(
        R"({"time":"2024-05-01T12:34:56.789Z","channel":"a","payload":"\u0000\n"})"
        "\r\n") << int(Kind::Message)
                                   << QByteArray("a") << QByteArray("\0\n", 2) << none;
    QTest::newRow("base64") << QByteArray(
        R"({"time":"2024-05-01T12:34:56Z","channel_base64":"/wA=","size":2,"payload_base64":"AP8="})")
                            << int(Kind::Message) << QByteArray("\xff\x00", 2) << QByteArray("\x00\xff", 2)
                            << none;
    QTest::newRow("gap") << QByteArray(
        R"({"event":"gap","time":"2024-05-01T12:34:56.789Z","since":"x","reason":"r","cause":"killed","resumed":true})")
                         << int(Kind::Event) << QByteArray() << QByteArray() << none;
    QTest::newRow("blank") << QByteArray(" \r\n") << int(Kind::Blank) << QByteArray() << QByteArray() << none;
    QTest::newRow("not json") << QByteArray("{\"time\":") << int(Kind::Malformed) << QByteArray()
                              << QByteArray() << QStringLiteral("not JSON");
    QTest::newRow("array") << QByteArray("[1]") << int(Kind::Malformed) << QByteArray() << QByteArray()
                           << QStringLiteral("not a JSON object");
    QTest::newRow("no time") << QByteArray(R"({"channel":"a","payload":"b"})") << int(Kind::Malformed)
                             << QByteArray() << QByteArray() << QStringLiteral("\"time\"");
    QTest::newRow("bad time") << QByteArray(R"({"time":"yesterday","channel":"a","payload":"b"})")
                              << int(Kind::Malformed) << QByteArray() << QByteArray()
                              << QStringLiteral("\"time\"");
    QTest::newRow("no channel") << QByteArray(R"({"time":"2024-05-01T12:34:56Z","payload":"b"})")
                                << int(Kind::Malformed) << QByteArray() << QByteArray()
                                << QStringLiteral("no \"channel\"");
    QTest::newRow("number payload") << QByteArray(
        R"({"time":"2024-05-01T12:34:56Z","channel":"a","payload":5})")
                                    << int(Kind::Malformed) << QByteArray() << QByteArray()
                                    << QStringLiteral("\"payload\" is not a string");
    QTest::newRow("both payloads") << QByteArray(
        R"({"time":"2024-05-01T12:34:56Z","channel":"a","payload":"x","payload_base64":"eA=="})")
                                   << int(Kind::Malformed) << QByteArray() << QByteArray()
                                   << QStringLiteral("both \"payload\" and \"payload_base64\"");
    QTest::newRow("bad base64") << QByteArray(
        R"({"time":"2024-05-01T12:34:56Z","channel":"a","payload_base64":"!!"})")
                                << int(Kind::Malformed) << QByteArray() << QByteArray()
                                << QStringLiteral("not valid base64");
    QTest::newRow("size mismatch") << QByteArray(
        R"({"time":"2024-05-01T12:34:56Z","channel":"a","size":4,"payload":"abc"})")
                                   << int(Kind::Malformed) << QByteArray() << QByteArray()
                                   << QStringLiteral("\"size\" is 4 but the payload has 3 byte(s)");
}

void TestRecordingReplay::lines()
{
    QFETCH(QByteArray, line);
    QFETCH(int, kind);
    QFETCH(QByteArray, channel);
    QFETCH(QByteArray, payload);
    QFETCH(QString, problem);
    const RecordingLine parsed = RecordingLine::parse(line);
    QCOMPARE(int(parsed.kind), kind);
    if (kind == int(Kind::Message)) {
        QCOMPARE(parsed.channel, channel);
        QCOMPARE(parsed.payload, payload);
        QVERIFY(parsed.timestampMs > 0);
    }
    QVERIFY2(parsed.problem.contains(problem), qPrintable(parsed.problem));
}

void TestRecordingReplay::readerSkipsLinesOverTheLimit()
{
    const QByteArray longLine(3 * BoundedLineReader::ChunkBytes + 17, 'y');
    const QString path = writeFile(m_dir, "one\n" + longLine + "\ntwo\r\n\n" + longLine + "\nlast");
    BoundedLineReader reader(1000);
    QVERIFY(reader.open(path));
    QByteArray line;
    QCOMPARE(reader.next(&line), BoundedLineReader::Result::Line);
    QCOMPARE(line, QByteArray("one\n"));
    QCOMPARE(reader.next(&line), BoundedLineReader::Result::TooLong);
    QCOMPARE(reader.lineNumber(), 2);
    QCOMPARE(reader.next(&line), BoundedLineReader::Result::Line);
    QCOMPARE(line, QByteArray("two\r\n"));
    QCOMPARE(reader.next(&line), BoundedLineReader::Result::Line);
    QCOMPARE(line, QByteArray("\n"));
    QCOMPARE(reader.next(&line), BoundedLineReader::Result::TooLong);
    QCOMPARE(reader.lineNumber(), 5);
    QCOMPARE(reader.next(&line), BoundedLineReader::Result::Line);
    QCOMPARE(line, QByteArray("last"));
    QCOMPARE(reader.lineNumber(), 6);
    QCOMPARE(reader.next(&line), BoundedLineReader::Result::End);
    QCOMPARE(reader.bytesRead(), reader.size());

    // A long last line without a newline.
    BoundedLineReader tail(1000);
    QVERIFY(tail.open(writeFile(m_dir, "a\n" + longLine)));
    QCOMPARE(tail.next(&line), BoundedLineReader::Result::Line);
    QCOMPARE(tail.next(&line), BoundedLineReader::Result::TooLong);
    QCOMPARE(tail.next(&line), BoundedLineReader::Result::End);
}

void TestRecordingReplay::replayPublishesInOrder()
{
    Listener listener(m_server);
    QVERIFY(listener.waitUntilSubscribed());
    const QList<Recorded> messages = sampleMessages();
    // After message 1: a gap line and a blank line; after message 3: a malformed line (line 6).
    const QByteArray gap
        = R"({"event":"gap","time":"2024-05-01T12:34:57.000Z","since":"2024-05-01T12:34:56.000Z","reason":"r","cause":"killed","resumed":true})"
          "\n\n";
    const QString path = writeFile(m_dir, recording(messages, 1, { { 1, gap }, { 3, "{\"time\": oops\n" } }));

    RecordingReplay replay;
    replay.setConnection(m_commands.get());
    replay.setSpeed(0);
    QSignalSpy malformed(&replay, &RecordingReplay::malformedLine);
    QSignalSpy finished(&replay, &RecordingReplay::finished);
    QVERIFY(replay.start(path));
    QVERIFY(replay.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QCOMPARE(replay.published(), qint64(messages.size()));
    QCOMPARE(replay.skipped(), 1);
    QCOMPARE(replay.malformed(), 1);
    QCOMPARE(malformed.count(), 1);
    QCOMPARE(malformed.at(0).at(0).toLongLong(), 7); // messages 0-1, gap, blank, messages 2-3, then it
    QCOMPARE(replay.percent(), 100);

    QTRY_COMPARE_WITH_TIMEOUT(listener.received.size(), messages.size(), 20000);
    for (int i = 0; i < messages.size(); ++i) {
        QCOMPARE(listener.received.at(i).channel, messages.at(i).channel);
        QCOMPARE(listener.received.at(i).payload, messages.at(i).payload);
    }
}

void TestRecordingReplay::dryRunPublishesNothing()
{
    Listener listener(m_server);
    QVERIFY(listener.waitUntilSubscribed());
    const QList<Recorded> messages = sampleMessages();
    RecordingReplay replay;
    replay.setDryRun(true); // no connection at all
    replay.setSpeed(2);
    QSignalSpy due(&replay, &RecordingReplay::messageDue);
    QSignalSpy finished(&replay, &RecordingReplay::finished);
    QVERIFY(replay.start(writeFile(m_dir, recording(messages, 1000))));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QCOMPARE(due.count(), messages.size());
    QCOMPARE(due.at(2).at(0).toLongLong(), 1000); // 2 s into the recording, at twice the speed
    QCOMPARE(due.at(2).at(1).toByteArray(), messages.at(2).channel);
    QCOMPARE(due.at(2).at(2).toByteArray(), messages.at(2).payload);

    // Nothing was sent: the first message the listener gets is one published after the dry run.
    RedisReply reply;
    m_commands->send({ "PUBLISH", "replay.sentinel", "after" },
        [&](const RedisReply &r, const RedisError &) { reply = r; });
    QTRY_COMPARE_WITH_TIMEOUT(listener.received.size(), 1, 20000);
    QCOMPARE(listener.received.at(0).channel, QByteArray("replay.sentinel"));
}

void TestRecordingReplay::pacingFollowsTheRecording()
{
    Listener listener(m_server);
    QVERIFY(listener.waitUntilSubscribed());
    QList<Recorded> messages;
    for (int i = 0; i < 5; ++i)
        messages.append({ "replay.paced", QByteArray::number(i) });
    // 200 ms apart at four times the speed: the last one 200 ms after the first, never sooner.
    RecordingReplay replay;
    replay.setConnection(m_commands.get());
    replay.setSpeed(4);
    QSignalSpy finished(&replay, &RecordingReplay::finished);
    QList<qint64> arrivals;
    QElapsedTimer clock;
    clock.start();
    QVERIFY(replay.start(writeFile(m_dir, recording(messages, 200))));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    const qint64 elapsed = clock.elapsed();
    QTRY_COMPARE_WITH_TIMEOUT(listener.received.size(), messages.size(), 20000);
    for (int i = 0; i < messages.size(); ++i)
        QCOMPARE(listener.received.at(i).payload, messages.at(i).payload);
    // Only a lower bound: a loaded machine may be late, a paced replay is never early.
    QVERIFY2(elapsed >= 180, qPrintable(QString::number(elapsed)));
}

void TestRecordingReplay::inFlightIsBounded()
{
    QList<Recorded> messages;
    for (int i = 0; i < 5000; ++i)
        messages.append({ "replay.flood", QByteArray::number(i) });
    RecordingReplay replay;
    replay.setConnection(m_commands.get());
    replay.setSpeed(0);
    replay.setMaxInFlight(8);
    int mostInFlight = 0;
    connect(&replay, &RecordingReplay::progressed, this,
        [&] { mostInFlight = qMax(mostInFlight, replay.inFlight()); });
    QSignalSpy finished(&replay, &RecordingReplay::finished);
    QVERIFY(replay.start(writeFile(m_dir, recording(messages))));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    QCOMPARE(replay.published(), qint64(messages.size()));
    QVERIFY(mostInFlight > 0);
    QVERIFY2(mostInFlight <= 8, qPrintable(QString::number(mostInFlight)));
}

void TestRecordingReplay::stopEndsAPacedReplay()
{
    QList<Recorded> messages;
    for (int i = 0; i < 3; ++i)
        messages.append({ "replay.slow", QByteArray::number(i) });
    RecordingReplay replay;
    replay.setConnection(m_commands.get());
    QSignalSpy finished(&replay, &RecordingReplay::finished);
    QVERIFY(replay.start(writeFile(m_dir, recording(messages, 3600 * 1000)))); // an hour apart
    QTRY_COMPARE_WITH_TIMEOUT(replay.published(), 1, 20000);
    replay.stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY(replay.wasStopped());
    QCOMPARE(replay.published(), 1);
    QVERIFY(!replay.isRunning());
}

void TestRecordingReplay::refusedPublishFails()
{
    ConnectionOptions options = optionsFor(m_server);
    options.username = QStringLiteral("quiet");
    options.password = QStringLiteral("secret");
    CommandConnection refused(options);
    refused.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(refused.isConnected(), 20000);
    RecordingReplay replay;
    replay.setConnection(&refused);
    replay.setSpeed(0);
    QSignalSpy finished(&replay, &RecordingReplay::finished);
    QVERIFY(replay.start(writeFile(m_dir, recording(sampleMessages()))));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QCOMPARE(replay.published(), 0);
    QVERIFY2(replay.errorString().contains(QStringLiteral("NOPERM")), qPrintable(replay.errorString()));
}

void TestRecordingReplay::missingFileIsAnError()
{
    RecordingReplay replay;
    QSignalSpy finished(&replay, &RecordingReplay::finished);
    QVERIFY(!replay.start(m_dir.filePath(QStringLiteral("nothing-here.jsonl"))));
    QVERIFY2(replay.errorString().contains(QStringLiteral("nothing-here.jsonl")),
        qPrintable(replay.errorString()));
    QVERIFY(!replay.isRunning());
    QCOMPARE(finished.count(), 0);
}

QTEST_GUILESS_MAIN(TestRecordingReplay)
#include "tst_recordingreplay.moc"
