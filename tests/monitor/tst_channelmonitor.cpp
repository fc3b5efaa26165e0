// ChannelMonitor against a real redis-server: patterns and channels, what a message carries,
// publishing a test message, the server poller (PUBSUB CHANNELS / NUMSUB / NUMPAT), sinks, and
// resubscribing after a restart.
#include "monitor/ChannelGlob.h"
#include "monitor/ChannelMonitor.h"
#include "monitor/MessageSink.h"
#include "monitor/PubSubServerPoller.h"
#include "monitor/SlowSubscriberWatch.h"

#include "redis/RedisClient.h"

#include "ConnectionOptionsFor.h"
#include "RedisServerProcess.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace Redwire;
using RedwireTest::connectionOptionsFor;
using RedwireTest::RedisServerProcess;

namespace {

class CollectingSink : public MessageSink
{
public:
    void messageAccepted(const MessageView &message) override { messages.append(message.toMessage()); }
    QList<MonitoredMessage> messages;
};

// Starts the monitor and waits until every topic is confirmed.
bool startAndSubscribe(ChannelMonitor &monitor, int topics)
{
    QSignalSpy subscribed(monitor.client()->subscriber(), &SubscriberConnection::subscribed);
    monitor.start();
    return QTest::qWaitFor([&] { return subscribed.count() >= topics && monitor.isConnected(); }, 5000);
}
} // namespace

class TestChannelMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void receivesPatternAndChannelMessages();
    void publishesATestMessage();
    void pollsTheServer();
    void countsSubscribersOfChannelsSeenThroughAPattern();
    void pollsWithOneNumsubPerInterval();
    void sinksSeeEverythingEvenWhenPaused();
    void resubscribesAfterRestart();
    void unsubscribeStopsTraffic();
    void globMatchesLikeRedis_data();
    void globMatchesLikeRedis();
    void givesItselfAClientName();
    void cleanupTestCase() { m_sharedServer.reset(); }

private:
    std::unique_ptr<RedisServerProcess> m_sharedServer; // for the data-driven glob rows
};

void TestChannelMonitor::receivesPatternAndChannelMessages()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelMonitor monitor(connectionOptionsFor(server));
    QVERIFY(monitor.subscribePattern("news.*"));
    QVERIFY(monitor.subscribeChannel("alerts"));
    QVERIFY(!monitor.subscribeChannel(QByteArray()));
    QVERIFY(startAndSubscribe(monitor, 2));
    QCOMPARE(monitor.patterns(), QList<QByteArray> { "news.*" });
    QCOMPARE(monitor.channels(), QList<QByteArray> { "alerts" });

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(server.cli({ "PUBLISH", "news.sport", "goal" }), QByteArray("1"));
    QCOMPARE(server.cli({ "PUBLISH", "alerts", "fire" }), QByteArray("1"));
    QCOMPARE(server.cli({ "PUBLISH", "other", "nobody" }), QByteArray("0"));
    QTRY_COMPARE(monitor.buffer().size(), 2);
    const MonitoredMessage &first = monitor.buffer().at(0);
    QCOMPARE(first.channel, QByteArray("news.sport"));
    QCOMPARE(first.pattern, QByteArray("news.*"));
    QCOMPARE(first.payload, QByteArray("goal"));
    QCOMPARE(first.sequence, 1u);
    QVERIFY(first.timestampMs >= before && first.timestampMs <= QDateTime::currentMSecsSinceEpoch());
    const MonitoredMessage &second = monitor.buffer().at(1);
    QCOMPARE(second.channel, QByteArray("alerts"));
    QCOMPARE(second.pattern, QByteArray());
    QCOMPARE(second.sequence, 2u);
    QCOMPARE(monitor.statistics().totalMessages(), 2u);
}

void TestChannelMonitor::publishesATestMessage()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelMonitor monitor(connectionOptionsFor(server));
    monitor.subscribePattern("*");
    QVERIFY(startAndSubscribe(monitor, 1));
    QSignalSpy published(&monitor, &ChannelMonitor::published);
    const QByteArray payload("test \0 message\r\n", 16);
    monitor.publish("probe", payload);
    QVERIFY(published.wait(5000));
    QCOMPARE(published.first().at(0).toByteArray(), QByteArray("probe"));
    QCOMPARE(published.first().at(1).toLongLong(), 1); // our own pattern subscription
    QVERIFY(!published.first().at(2).value<RedisError>());
    QTRY_COMPARE(monitor.buffer().size(), 1);
    QCOMPARE(monitor.buffer().at(0).payload, payload);

    server.stop();
    QTRY_VERIFY(!monitor.isConnected());
    monitor.publish("probe", "lost");
    QTRY_COMPARE(published.count(), 2);
    QCOMPARE(published.last().at(1).toLongLong(), -1);
    const RedisError failure = published.last().at(2).value<RedisError>();
    QVERIFY(failure);
    QVERIFY(!failure.message().isEmpty());
}

void TestChannelMonitor::pollsTheServer()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelMonitor monitor(connectionOptionsFor(server));
    monitor.subscribeChannel("alerts");
    monitor.subscribePattern("news.*");
    monitor.serverPoller()->setIntervalMs(100);
    QSignalSpy updated(monitor.serverPoller(), &PubSubServerPoller::updated);
    QVERIFY(startAndSubscribe(monitor, 2));
    // Traffic on a channel nobody subscribes to by name, to be asked about with NUMSUB.
    QCOMPARE(server.cli({ "PUBLISH", "news.eu", "x" }), QByteArray("1"));
    QTRY_COMPARE(monitor.statistics().totalMessages(), 1u);
    const int seen = int(updated.count());
    QTRY_VERIFY(updated.count() > seen + 1); // a whole poll after the message
    PubSubServerPoller *poller = monitor.serverPoller();
    QVERIFY(poller->serverChannels().contains("alerts"));
    QCOMPARE(poller->patternCount(), 1);
    QCOMPARE(poller->subscriberCount("alerts"), 1);
    QCOMPARE(poller->subscriberCount("news.eu"), 0);
    QVERIFY(poller->errorString().isEmpty());
    // Into the statistics: server-listed channels appear, our heartbeat channel does not.
    const ChannelStatistics &statistics = monitor.statistics();
    const qsizetype alerts = statistics.indexOf("alerts");
    QVERIFY(alerts >= 0);
    QVERIFY(statistics.channel(alerts).listedByServer);
    QCOMPARE(statistics.channel(alerts).subscribers, 1);
    QCOMPARE(statistics.channel(alerts).messages, 0u);
    QCOMPARE(statistics.channel(statistics.indexOf("news.eu")).subscribers, 0);
    QCOMPARE(statistics.indexOf(monitor.client()->subscriber()->heartbeatChannel()), -1);
    // The slow-subscriber watch found our own connection.
    QTRY_COMPARE(monitor.slowSubscriberWatch()->level(), SlowSubscriberWatch::Level::Ok);
    QCOMPARE(monitor.slowSubscriberWatch()->outputBufferBytes(), 0);
}

// A channel heard only through `*` gets its subscriber count from NUMSUB like any other: 0 while
// nobody subscribes to it by name, 1 once another client does.
void TestChannelMonitor::countsSubscribersOfChannelsSeenThroughAPattern()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelMonitor monitor(connectionOptionsFor(server));
    monitor.subscribePattern("*");
    monitor.serverPoller()->setIntervalMs(100);
    QVERIFY(startAndSubscribe(monitor, 1));
    QCOMPARE(server.cli({ "PUBLISH", "sensor.temp", "21" }), QByteArray("1"));
    QTRY_VERIFY(monitor.statistics().indexOf("sensor.temp") >= 0);
    const qsizetype index = monitor.statistics().indexOf("sensor.temp");
    QTRY_COMPARE_WITH_TIMEOUT(monitor.statistics().channel(index).subscribers, 0, 10000);

    RedisClient other(connectionOptionsFor(server));
    other.subscriber()->subscribe("sensor.temp");
    other.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(
        server.cli({ "PUBSUB", "NUMSUB", "sensor.temp" }), QByteArray("sensor.temp\n1"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(monitor.statistics().channel(index).subscribers, 1, 10000);
    QCOMPARE(monitor.statistics().channel(index).messages, 1u);

    // More channels than one NUMSUB asks about: each poll asks about the next ones, so the last
    // channel seen gets its count too.
    const int channels = PubSubServerPoller::MaxChannelsPerPoll + 500;
    for (int i = 0; i < channels; ++i)
        other.commands()->send({ "PUBLISH", "bulk." + QByteArray::number(i), "x" });
    const QByteArray last = "bulk." + QByteArray::number(channels - 1);
    QTRY_VERIFY_WITH_TIMEOUT(monitor.statistics().indexOf(last) >= 0, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(
        monitor.statistics().channel(monitor.statistics().indexOf(last)).subscribers, 0, 20000);
    // Every channel gets its count in turn (the polls go round; the last seen is not always the
    // last asked about).
    const ChannelStatistics &statistics = monitor.statistics();
    QByteArray uncounted;
    QTRY_VERIFY2_WITH_TIMEOUT(
        [&] {
            for (qsizetype i = 0; i < statistics.channelCount(); ++i) {
                if (statistics.channel(i).subscribers < 0) {
                    uncounted = statistics.channel(i).name;
                    return false;
                }
            }
            return true;
        }(),
        uncounted.constData(), 20000);
}

namespace {
// How many times the server ran `PUBSUB <subcommand>`, from INFO commandstats.
int pubsubCalls(RedisServerProcess &server, const QByteArray &subcommand)
{
    const QByteArray stats = server.cli({ "INFO", "commandstats" });
    const QByteArray prefix = "cmdstat_pubsub|" + subcommand + ":calls=";
    const qsizetype at = stats.indexOf(prefix);
    if (at < 0)
        return 0;
    const qsizetype start = at + prefix.size();
    return stats.mid(start, stats.indexOf(',', start) - start).toInt();
}
} // namespace

// However many channels there are, a poll sends one NUMSUB (with one PUBSUB CHANNELS and one
// NUMPAT), and polls come no faster than the interval.
void TestChannelMonitor::pollsWithOneNumsubPerInterval()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelMonitor monitor(connectionOptionsFor(server));
    monitor.subscribePattern("*");
    const int intervalMs = 200;
    monitor.serverPoller()->setIntervalMs(intervalMs);
    QSignalSpy updated(monitor.serverPoller(), &PubSubServerPoller::updated);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(startAndSubscribe(monitor, 1));
    for (int i = 0; i < 50; ++i)
        monitor.client()->commands()->send({ "PUBLISH", "c" + QByteArray::number(i), "x" });
    QTRY_COMPARE_WITH_TIMEOUT(monitor.statistics().channelCount(), 50, 10000);
    const int from = int(updated.count());
    QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= from + 5, 20000);
    monitor.serverPoller()->stop();
    // The poll under way (if any) finishes; then every PUBSUB CHANNELS was followed by one NUMSUB.
    QTRY_COMPARE_WITH_TIMEOUT(pubsubCalls(server, "numsub"), pubsubCalls(server, "channels"), 10000);
    const int polls = pubsubCalls(server, "channels");
    QCOMPARE(pubsubCalls(server, "numpat"), polls);
    QVERIFY2(polls >= 5 && polls <= clock.elapsed() / intervalMs + 2,
        qPrintable(QStringLiteral("%1 polls in %2 ms").arg(polls).arg(clock.elapsed())));
}

void TestChannelMonitor::sinksSeeEverythingEvenWhenPaused()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelMonitor monitor(connectionOptionsFor(server));
    CollectingSink sink;
    monitor.addSink(&sink);
    monitor.addSink(&sink); // once only
    monitor.subscribeChannel("c");
    QVERIFY(startAndSubscribe(monitor, 1));
    monitor.setPaused(true);
    server.cli({ "PUBLISH", "c", "1" });
    server.cli({ "PUBLISH", "c", "2" });
    QTRY_COMPARE(sink.messages.size(), 2);
    QCOMPARE(monitor.buffer().size(), 0);
    QCOMPARE(monitor.heldCount(), 2);
    monitor.removeSink(&sink);
    monitor.setPaused(false);
    QCOMPARE(monitor.buffer().size(), 2);
    server.cli({ "PUBLISH", "c", "3" });
    QTRY_COMPARE(monitor.buffer().size(), 3);
    QCOMPARE(sink.messages.size(), 2);
}

void TestChannelMonitor::resubscribesAfterRestart()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelMonitor monitor(connectionOptionsFor(server));
    monitor.subscribePattern("p.*");
    monitor.subscribeChannel("c");
    QSignalSpy resubscribed(&monitor, &ChannelMonitor::resubscribed);
    QVERIFY(startAndSubscribe(monitor, 2));
    QVERIFY(server.restart());
    QVERIFY(resubscribed.wait(10000));
    QCOMPARE(resubscribed.first().at(0).toInt(), 2);
    QTRY_VERIFY(monitor.isConnected());
    QCOMPARE(server.cli({ "PUBLISH", "p.x", "after" }), QByteArray("1"));
    QTRY_COMPARE(monitor.buffer().size(), 2);
    QVERIFY(monitor.buffer().at(0).isGap()); // the restart broke the subscription
    QCOMPARE(monitor.buffer().at(1).payload, QByteArray("after"));
}

void TestChannelMonitor::unsubscribeStopsTraffic()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelMonitor monitor(connectionOptionsFor(server));
    monitor.subscribePattern("p.*");
    monitor.subscribeChannel("c");
    QVERIFY(startAndSubscribe(monitor, 2));
    QSignalSpy unsubscribed(monitor.client()->subscriber(), &SubscriberConnection::unsubscribed);
    monitor.unsubscribePattern("p.*");
    monitor.unsubscribeChannel("c");
    QTRY_COMPARE(unsubscribed.count(), 2);
    QCOMPARE(server.cli({ "PUBLISH", "p.x", "x" }), QByteArray("0"));
    QCOMPARE(server.cli({ "PUBLISH", "c", "x" }), QByteArray("0"));
    QVERIFY(monitor.patterns().isEmpty());
    monitor.stop();
    QVERIFY(!monitor.isConnected());
}

void TestChannelMonitor::globMatchesLikeRedis_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::newRow("star") << QByteArray("*");
    QTest::newRow("prefix") << QByteArray("a.*");
    QTest::newRow("question") << QByteArray("a.?");
    QTest::newRow("class") << QByteArray("[ab].*");
    QTest::newRow("negated") << QByteArray("[^a]*");
    QTest::newRow("range") << QByteArray("*[0-4]");
    QTest::newRow("escape") << QByteArray("a\\*");
}

// ChannelGlob is used to filter like PSUBSCRIBE matches: check it against the server itself.
void TestChannelMonitor::globMatchesLikeRedis()
{
    QFETCH(QByteArray, pattern);
    if (!m_sharedServer) {
        m_sharedServer = std::make_unique<RedisServerProcess>();
        QVERIFY2(m_sharedServer->start(), qPrintable(m_sharedServer->errorString()));
    }
    RedisServerProcess *server = m_sharedServer.get();
    ChannelMonitor monitor(connectionOptionsFor(*server));
    monitor.subscribePattern(pattern);
    monitor.setServerPollingEnabled(false);
    QVERIFY(startAndSubscribe(monitor, 1));
    const QList<QByteArray> channels { "a.1", "a.b", "a.bc", "b.9", "c", "a*", "ab", "x5", "a." };
    int expected = 0;
    for (const QByteArray &channel : channels) {
        const QByteArray receivers = server->cli({ "PUBLISH", QString::fromLatin1(channel), "x" });
        const bool delivered = receivers == "1";
        QCOMPARE(ChannelGlob::matches(pattern, channel), delivered);
        expected += delivered ? 1 : 0;
    }
    QTRY_COMPARE(monitor.buffer().size(), expected);
}

void TestChannelMonitor::givesItselfAClientName()
{
    ChannelMonitor unnamed;
    QVERIFY(unnamed.client()->options().clientName.startsWith(QStringLiteral("redwire-monitor-")));
    ChannelMonitor other;
    QVERIFY(other.client()->options().clientName != unnamed.client()->options().clientName);
    ConnectionOptions options;
    options.clientName = QStringLiteral("mine");
    ChannelMonitor named(options);
    QCOMPARE(named.client()->options().clientName, QStringLiteral("mine"));
}

QTEST_MAIN(TestChannelMonitor)
#include "tst_channelmonitor.moc"
