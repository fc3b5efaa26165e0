// The monitor shows the truth: a filter is a view over what was captured (nothing is thrown
// away), one published message is one row however many of our subscriptions deliver it, and
// Redwire's own channels are not traffic. Against a real redis-server.
#include "monitor/ChannelMonitor.h"
#include "monitor/ChannelStatisticsModel.h"
#include "monitor/MessageFilter.h"
#include "monitor/MonitorMessageModel.h"
#include "monitor/PubSubServerPoller.h"

#include "redis/RedisClient.h"

#include "ConnectionOptionsFor.h"
#include "RedisServerProcess.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Redwire;
using RedwireTest::connectionOptionsFor;
using RedwireTest::RedisServerProcess;

namespace {

bool startAndSubscribe(ChannelMonitor &monitor, int topics)
{
    QSignalSpy subscribed(monitor.client()->subscriber(), &SubscriberConnection::subscribed);
    monitor.start();
    return QTest::qWaitFor([&] { return subscribed.count() >= topics && monitor.isConnected(); }, 5000);
}

// Publishes in one pipeline, in order.
void publishAll(RedisServerProcess &server, const QList<QPair<QByteArray, QByteArray>> &messages)
{
    QByteArray commands;
    for (const auto &[channel, payload] : messages)
        commands += RedisServerProcess::respCommand({ "PUBLISH", channel, payload });
    QVERIFY2(!server.pipe(commands).isEmpty(), qPrintable(server.errorString()));
}

quint64 messagesOn(const ChannelMonitor &monitor, const QByteArray &channel)
{
    const qsizetype index = monitor.statistics().indexOf(channel);
    return index < 0 ? 0 : monitor.statistics().channel(index).messages;
}

QStringList column(const MonitorMessageModel &model, int role)
{
    QStringList values;
    for (int row = 0; row < model.rowCount(); ++row)
        values << model.data(model.index(row), role).toString();
    return values;
}

} // namespace

class TestMonitorTruth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void filterIsAViewOverTheBuffer();
    void overlappingSubscriptionsGiveOneRowPerMessage();
    void internalChannelsAreHiddenUnlessShown();
    void serverChannelCountLeavesInternalChannelsApart();
};

void TestMonitorTruth::filterIsAViewOverTheBuffer()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelMonitor monitor(connectionOptionsFor(server));
    MonitorMessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    QVERIFY(monitor.subscribePattern("*"));
    QVERIFY(startAndSubscribe(monitor, 1));

    publishAll(server, { { "a", "a1" }, { "b", "b1" }, { "a", "a2" }, { "b", "b2" } });
    QTRY_COMPARE(model.count(), 4);

    MessageFilter onlyA;
    QVERIFY(onlyA.setChannelFilter(QStringLiteral("a"), MessageFilter::ChannelSyntax::Glob));
    model.setFilter(onlyA);
    QCOMPARE(model.count(), 2);
    QCOMPARE(model.totalCount(), 4);
    QVERIFY(model.isFiltered());
    // New messages arrive while the filter hides them: kept, not shown.
    publishAll(server, { { "b", "b3" }, { "a", "a3" }, { "b", "b4" } });
    QTRY_COMPARE(model.totalCount(), 7);
    QTRY_COMPARE(model.count(), 3);
    QCOMPARE(column(model, MonitorMessageModel::PreviewRole), (QStringList { "a1", "a2", "a3" }));

    // Clearing the filter shows everything again, in order.
    model.setFilter(MessageFilter());
    QVERIFY(!model.isFiltered());
    QCOMPARE(column(model, MonitorMessageModel::PreviewRole),
        (QStringList { "a1", "b1", "a2", "b2", "b3", "a3", "b4" }));
    QCOMPARE(monitor.bufferDroppedCount(), quint64(0));

    // A payload filter, and rows that leave the buffer while filtered leave the view too.
    MessageFilter threes;
    QVERIFY(threes.setPayloadFilter(QStringLiteral("3"), MessageFilter::PayloadSyntax::Substring));
    model.setFilter(threes);
    QCOMPARE(column(model, MonitorMessageModel::PreviewRole), (QStringList { "b3", "a3" }));
    monitor.setBufferCapacity(2); // keeps a3, b4
    QTRY_COMPARE(column(model, MonitorMessageModel::PreviewRole), QStringList { "a3" });
    QCOMPARE(model.totalCount(), 2);
    const qint64 position = model.positionAt(0);
    QCOMPARE(model.rowOfPosition(position), 0);
    QCOMPARE(model.rowOfPosition(position - 1), -1);
    monitor.stop();
}

void TestMonitorTruth::overlappingSubscriptionsGiveOneRowPerMessage()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelMonitor monitor(connectionOptionsFor(server));
    MonitorMessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    QVERIFY(monitor.subscribePattern("*"));
    QVERIFY(monitor.subscribePattern("orders.*"));
    QVERIFY(monitor.subscribeChannel("sensor.temp"));
    QVERIFY(startAndSubscribe(monitor, 3));

    // orders.new reaches us twice (two patterns), sensor.temp twice (channel and *), misc once;
    // the same payload published twice in a row is two messages, not one, not four.
    publishAll(server,
        { { "orders.new", "o1" }, { "orders.new", "same" }, { "orders.new", "same" }, { "sensor.temp", "21" },
            { "misc", "m1" }, { "sensor.temp", "22" } });
    QTRY_COMPARE(monitor.receivedCount(), quint64(6));
    QTRY_COMPARE(model.count(), 6);
    QCOMPARE(column(model, MonitorMessageModel::PreviewRole),
        (QStringList { "o1", "same", "same", "21", "m1", "22" }));
    QCOMPARE(column(model, MonitorMessageModel::SubscriptionsRole),
        (QStringList {
            "*, orders.*", "*, orders.*", "*, orders.*", "sensor.temp, *", "*", "sensor.temp, *" }));
    // Rates count each published message once.
    QCOMPARE(messagesOn(monitor, "orders.new"), quint64(3));
    QCOMPARE(messagesOn(monitor, "sensor.temp"), quint64(2));
    QCOMPARE(server.cli({ "PUBLISH", "misc", "m2" }), QByteArray("1"));
    QTRY_COMPARE(model.count(), 7);
    QCOMPARE(monitor.receivedCount(), quint64(7));
    monitor.stop();
}

void TestMonitorTruth::internalChannelsAreHiddenUnlessShown()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelMonitor monitor(connectionOptionsFor(server));
    monitor.setServerPollingEnabled(true);
    QVERIFY(monitor.subscribePattern("*"));
    QVERIFY(startAndSubscribe(monitor, 1));
    // Another client's heartbeat, a chat client's read-marker note to its other devices
    // (docs/PROTOCOL.md: names starting with redwire: are the chat's own), then real traffic.
    QCOMPARE(server.cli({ "PUBLISH", "__redwire:heartbeat:0123", "7" }), QByteArray("1"));
    QCOMPARE(server.cli({ "PUBLISH", "redwire:{user:alice}:read-moved", "chat" }), QByteArray("1"));
    QCOMPARE(server.cli({ "PUBLISH", "chat", "hello" }), QByteArray("1"));
    QTRY_COMPARE(monitor.buffer().size(), 1);
    QCOMPARE(monitor.buffer().at(0).channel, QByteArray("chat"));
    QVERIFY(monitor.statistics().channelNames().contains("chat"));
    QVERIFY(!monitor.statistics().channelNames().contains("__redwire:heartbeat:0123"));
    QVERIFY(!monitor.statistics().channelNames().contains("redwire:{user:alice}:read-moved"));

    monitor.setInternalChannelsShown(true);
    QCOMPARE(server.cli({ "PUBLISH", "__redwire:heartbeat:0123", "8" }), QByteArray("1"));
    QTRY_COMPARE(monitor.buffer().size(), 2);
    QCOMPARE(monitor.buffer().at(1).channel, QByteArray("__redwire:heartbeat:0123"));
    monitor.stop();
}

// The footer's "server: N channels" counted every client's heartbeat channel; while internal
// channels are hidden they are counted apart.
void TestMonitorTruth::serverChannelCountLeavesInternalChannelsApart()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelMonitor monitor(connectionOptionsFor(server));
    monitor.setServerPollingEnabled(true);
    monitor.serverPoller()->setIntervalMs(100);
    QVERIFY(monitor.subscribePattern("*"));
    QVERIFY(startAndSubscribe(monitor, 1));
    // A second client on "chat": its subscriber also listens on its own heartbeat channel.
    ChannelMonitor other(connectionOptionsFor(server));
    other.setServerPollingEnabled(false);
    QVERIFY(other.subscribeChannel("chat"));
    QVERIFY(startAndSubscribe(other, 1));

    ChannelStatisticsModel model;
    model.setMonitor(&monitor);
    // Both heartbeat channels and "chat".
    QTRY_COMPARE_WITH_TIMEOUT(monitor.serverPoller()->serverChannels().size(), 3, 10000);
    QCOMPARE(model.serverChannelCount(), 1);
    QCOMPARE(model.serverInternalChannelCount(), 2);
    monitor.setInternalChannelsShown(true);
    QCOMPARE(model.serverChannelCount(), 3);
    QCOMPARE(model.serverInternalChannelCount(), 0);
    other.stop();
    monitor.stop();
}

QTEST_GUILESS_MAIN(TestMonitorTruth)
#include "tst_monitortruth.moc"
