// MonitorMessageModel over a ChannelMonitor's ring buffer, fed through the subscriber
// connection's signals (no server): batched inserts, removals from the front, pause and resume
// with bounded holding, clear, roles. QAbstractItemModelTester checks every step.
#include "monitor/ChannelMonitor.h"
#include "monitor/ChannelPalette.h"
#include "monitor/MonitorMessageModel.h"
#include "monitor/SubscriptionGapTracker.h"

#include "redis/RedisClient.h"

#include "QueuedEvents.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace Redwire;
using Roles = MonitorMessageModel::Roles;

namespace {
// What the subscriber connection does with a message from the server.
void deliver(ChannelMonitor &monitor, const QByteArray &channel, const QByteArray &payload,
    const QByteArray &pattern = QByteArray())
{
    monitor.client()->subscriber()->deliverMessage(pattern, channel, payload);
}

QList<quint64> sequences(const MonitorMessageModel &model)
{
    QList<quint64> out;
    for (int row = 0; row < model.rowCount(); ++row)
        out.append(model.data(model.index(row), Roles::SequenceRole).toULongLong());
    return out;
}
} // namespace

class TestMonitorMessageModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void newMessagesArriveInOneBatch();
    void fullBufferRemovesFromTheFront();
    void floodWithinOneFrameSkipsWhatCameAndWent();
    void pauseHoldsAndResumeDelivers();
    void pauseDropsBeyondItsBoundAndCounts();
    void clearEmptiesTheTable();
    void roles();
    void filterDecidesWhatIsShown();
    void heartbeatIsNotTraffic();
    void modelAttachedToABusyMonitor();
    void monitorDestroyed();
    void gapRowsPassFiltersAndPause();
};

void TestMonitorMessageModel::newMessagesArriveInOneBatch()
{
    ChannelMonitor monitor;
    MonitorMessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    for (int i = 0; i < 5; ++i)
        deliver(monitor, "news", "m" + QByteArray::number(i));
    QCOMPARE(model.rowCount(), 0); // not yet: at most once per frame
    QTRY_COMPARE(model.rowCount(), 5);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 4);
    QCOMPARE(sequences(model), (QList<quint64> { 1, 2, 3, 4, 5 }));
    deliver(monitor, "news", "m5");
    QTRY_COMPARE(model.rowCount(), 6);
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.last().at(1).toInt(), 5);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.count(), 6);
}

void TestMonitorMessageModel::fullBufferRemovesFromTheFront()
{
    ChannelMonitor monitor;
    monitor.setBufferCapacity(3);
    MonitorMessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    for (int i = 0; i < 3; ++i)
        deliver(monitor, "a", "x");
    QTRY_COMPARE(model.rowCount(), 3);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy countChanged(&model, &MonitorMessageModel::countChanged);
    deliver(monitor, "a", "y");
    deliver(monitor, "a", "z");
    QTRY_COMPARE(removed.count(), 1);
    QCOMPARE(removed.first().at(1).toInt(), 0);
    QCOMPARE(removed.first().at(2).toInt(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(sequences(model), (QList<quint64> { 3, 4, 5 }));
    QCOMPARE(monitor.bufferDroppedCount(), 2u);
    // As many rows left as came: the count and the total are what they were, and no view is told
    // they changed (a view that follows the tail listens to rowsInserted).
    QCOMPARE(countChanged.count(), 0);
}

void TestMonitorMessageModel::floodWithinOneFrameSkipsWhatCameAndWent()
{
    ChannelMonitor monitor;
    monitor.setBufferCapacity(100);
    MonitorMessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    deliver(monitor, "a", "first");
    model.sync();
    QCOMPARE(model.rowCount(), 1);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    for (int i = 0; i < 10000; ++i)
        deliver(monitor, "a", QByteArray::number(i));
    model.sync();
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(inserted.count(), 1); // only the 100 still held, not 10,000
    QCOMPARE(inserted.first().at(2).toInt() - inserted.first().at(1).toInt() + 1, 100);
    QCOMPARE(model.data(model.index(99), Roles::PreviewRole).toString(), QStringLiteral("9999"));
    QCOMPARE(monitor.bufferDroppedCount(), 9901u);
}

void TestMonitorMessageModel::pauseHoldsAndResumeDelivers()
{
    ChannelMonitor monitor;
    MonitorMessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    QSignalSpy pausedChanged(&monitor, &ChannelMonitor::pausedChanged);
    deliver(monitor, "a", "before");
    QTRY_COMPARE(model.rowCount(), 1);
    monitor.setPaused(true);
    QVERIFY(monitor.isPaused());
    QCOMPARE(pausedChanged.count(), 1);
    QSignalSpy announced(&monitor, &ChannelMonitor::bufferChanged);
    deliver(monitor, "a", "during 1");
    deliver(monitor, "a", "during 2");
    // The monitor announces the held messages (the model looks at the buffer then), and nothing
    // appears while paused.
    QTRY_VERIFY(monitor.heldCount() == 2 && !announced.isEmpty());
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(monitor.acceptedCount(), 3u);
    monitor.setPaused(false);
    QCOMPARE(model.rowCount(), 3); // resuming announces at once
    QCOMPARE(monitor.heldCount(), 0);
    QCOMPARE(model.data(model.index(2), Roles::PreviewRole).toString(), QStringLiteral("during 2"));
    QCOMPARE(monitor.pauseDroppedCount(), 0u);
}

void TestMonitorMessageModel::pauseDropsBeyondItsBoundAndCounts()
{
    ChannelMonitor monitor;
    monitor.setHoldCapacity(2);
    MonitorMessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    monitor.setPaused(true);
    for (int i = 1; i <= 5; ++i)
        deliver(monitor, "a", QByteArray::number(i));
    QCOMPARE(monitor.heldCount(), 2);
    QCOMPARE(monitor.pauseDroppedCount(), 3u);
    monitor.setPaused(false);
    QCOMPARE(sequences(model), (QList<quint64> { 4, 5 }));
    QCOMPARE(monitor.pauseDroppedCount(), 3u); // still shown after resuming, until clear()
    monitor.clear();
    QCOMPARE(monitor.pauseDroppedCount(), 0u);
}

void TestMonitorMessageModel::clearEmptiesTheTable()
{
    ChannelMonitor monitor;
    monitor.setBufferCapacity(2);
    MonitorMessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    QSignalSpy countChanged(&model, &MonitorMessageModel::countChanged);
    for (int i = 0; i < 3; ++i)
        deliver(monitor, "a", "x");
    QTRY_COMPARE(model.rowCount(), 2);
    monitor.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(monitor.bufferDroppedCount(), 0u);
    deliver(monitor, "a", "after");
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(model.data(model.index(0), Roles::SequenceRole).toULongLong(), 4u);
    QVERIFY(countChanged.count() >= 3);
}

void TestMonitorMessageModel::roles()
{
    ChannelMonitor monitor;
    MonitorMessageModel model;
    ChannelPalette palette;
    model.setPalette(&palette);
    model.setMonitor(&monitor);
    deliver(monitor, "news\x1b[2J", R"({"a":1})", "news*");
    deliver(monitor, "bin", QByteArray("\x00\xff", 2));
    model.sync();
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex first = model.index(0);
    QCOMPARE(model.data(first, Roles::ChannelRole).toString(), QStringLiteral("news\\e[2J"));
    QCOMPARE(model.data(first, Qt::DisplayRole).toString(), QStringLiteral("news\\e[2J"));
    QCOMPARE(model.data(first, Roles::PatternRole).toString(), QStringLiteral("news*"));
    QCOMPARE(model.data(first, Roles::SizeRole).toInt(), 7);
    QCOMPARE(model.data(first, Roles::BinaryRole).toBool(), false);
    const qint64 timestamp = model.data(first, Roles::TimestampRole).toLongLong();
    QVERIFY(qAbs(timestamp - QDateTime::currentMSecsSinceEpoch()) < 60000);
    QCOMPARE(model.data(first, Roles::TimeRole).toString(),
        QDateTime::fromMSecsSinceEpoch(timestamp).toString(QStringLiteral("HH:mm:ss.zzz")));
    QCOMPARE(model.data(first, Roles::ColorRole).toString(), ChannelPalette::defaultColor("news\x1b[2J"));
    QCOMPARE(model.payloadKind(0), QStringLiteral("json"));
    QVERIFY(model.payloadDetail(0).contains(QStringLiteral("\"a\": 1")));

    const QModelIndex second = model.index(1);
    QCOMPARE(model.data(second, Roles::PatternRole).toString(), QString());
    QCOMPARE(model.data(second, Roles::BinaryRole).toBool(), true);
    QCOMPARE(model.data(second, Roles::PreviewRole).toString(), QStringLiteral("00 ff"));
    QCOMPARE(model.payloadKind(1), QStringLiteral("binary"));
    QVERIFY(model.payloadDetail(1).startsWith(QStringLiteral("00000000  00 ff")));
    QCOMPARE(model.payloadKind(2), QString());
    QCOMPARE(model.payloadDetail(-1), QString());

    QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
    palette.setColor("bin", QStringLiteral("#ff0000"));
    QCOMPARE(dataChanged.count(), 1);
    QCOMPARE(model.data(second, Roles::ColorRole).toString(), QStringLiteral("#ff0000"));

    const QHash<int, QByteArray> names = model.roleNames();
    QCOMPARE(names.value(Roles::SequenceRole), QByteArray("sequence"));
    QCOMPARE(names.value(Roles::PreviewRole), QByteArray("preview"));
    QCOMPARE(names.value(Roles::ColorRole), QByteArray("channelColor"));
    QCOMPARE(int(Roles::SequenceRole), Qt::UserRole + 1);
}

void TestMonitorMessageModel::filterDecidesWhatIsShown()
{
    ChannelMonitor monitor;
    MessageFilter filter;
    QVERIFY(filter.setChannelFilter(QStringLiteral("orders.*"), MessageFilter::ChannelSyntax::Glob));
    QVERIFY(filter.setPayloadFilter(QStringLiteral("error"), MessageFilter::PayloadSyntax::Substring));
    monitor.setFilter(filter);
    MonitorMessageModel model;
    model.setMonitor(&monitor);
    deliver(monitor, "orders.eu", "an error");
    deliver(monitor, "orders.eu", "fine");
    deliver(monitor, "news", "an error");
    model.sync();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(monitor.receivedCount(), 3u);
    QCOMPARE(monitor.acceptedCount(), 1u);
    // The view's filter is about what to show: the statistics count all traffic...
    QCOMPARE(monitor.statistics().totalMessages(), 3u);
    // ... unless told otherwise (the command line's choice).
    monitor.setFilterAppliesToStatistics(true);
    deliver(monitor, "news", "x");
    QCOMPARE(monitor.statistics().totalMessages(), 3u);
}

void TestMonitorMessageModel::heartbeatIsNotTraffic()
{
    ChannelMonitor monitor;
    const QByteArray heartbeat = monitor.client()->subscriber()->heartbeatChannel();
    deliver(monitor, heartbeat, "1", "*");
    QCOMPARE(monitor.receivedCount(), 0u);
    deliver(monitor, "other", "1", "*");
    QCOMPARE(monitor.receivedCount(), 1u);
}

void TestMonitorMessageModel::modelAttachedToABusyMonitor()
{
    ChannelMonitor monitor;
    monitor.setBufferCapacity(4);
    for (int i = 0; i < 10; ++i)
        deliver(monitor, "a", QByteArray::number(i));
    MonitorMessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    QCOMPARE(sequences(model), (QList<quint64> { 7, 8, 9, 10 }));
    ChannelMonitor other;
    model.setMonitor(&other);
    QCOMPARE(model.rowCount(), 0);
    model.setMonitor(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestMonitorMessageModel::monitorDestroyed()
{
    MonitorMessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    {
        ChannelMonitor monitor;
        model.setMonitor(&monitor);
        deliver(monitor, "a", "x");
        model.sync();
        QCOMPARE(model.rowCount(), 1);
    }
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.messageAt(0), nullptr);
}

// A break in the subscription hides messages of every channel: its row is shown whatever the
// filter, waits with the messages while paused, and is not a message (no sequence, no size).
void TestMonitorMessageModel::gapRowsPassFiltersAndPause()
{
    ChannelMonitor monitor;
    MessageFilter filter;
    QVERIFY(filter.setChannelFilter(QStringLiteral("orders.*"), MessageFilter::ChannelSyntax::Glob));
    monitor.setFilter(filter);
    MonitorMessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy recorded(&monitor, &ChannelMonitor::gapRecorded);
    SubscriptionGap gap;
    gap.sinceMs = 1714566894289;
    gap.timeMs = 1714566896789;
    gap.cause = SubscriptionGap::Cause::Killed;
    gap.reason = QStringLiteral("the server closed the subscriber connection");

    deliver(monitor, "orders.eu", "1");
    deliver(monitor, "news", "filtered out");
    Q_EMIT monitor.gapTracker()->gapRecorded(gap);
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(recorded.count(), 1);
    QCOMPARE(monitor.gapCount(), 1u);
    const QModelIndex row = model.index(1);
    QCOMPARE(model.data(row, Roles::GapRole).toBool(), true);
    QCOMPARE(model.data(row, Roles::SequenceRole).toULongLong(), 0u);
    QCOMPARE(model.data(row, Roles::ChannelRole).toString(), QString());
    QCOMPARE(model.data(row, Roles::SizeRole).toInt(), 0);
    QCOMPARE(model.data(row, Roles::PreviewRole).toString(), gap.reason);
    QCOMPARE(model.data(row, Roles::TimestampRole).toLongLong(), gap.timeMs);
    QCOMPARE(model.data(row, Roles::GapSinceRole).toString(),
        QDateTime::fromMSecsSinceEpoch(gap.sinceMs).toString(QStringLiteral("HH:mm:ss.zzz")));
    QCOMPARE(model.data(model.index(0), Roles::GapRole).toBool(), false);
    QCOMPARE(model.payloadKind(1), QStringLiteral("gap"));
    QVERIFY(model.payloadDetail(1).contains(QLatin1String("2024-05-01T12:34:54.289Z")));
    QVERIFY(model.payloadDetail(1).contains(gap.reason));
    QVERIFY(model.roleNames().value(Roles::GapRole) == "gap");

    monitor.setPaused(true);
    Q_EMIT monitor.gapTracker()->gapRecorded(gap);
    deliver(monitor, "orders.us", "2");
    model.sync();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(monitor.heldCount(), 2);
    monitor.setPaused(false);
    QTRY_COMPARE(model.rowCount(), 4);
    QVERIFY(model.data(model.index(2), Roles::GapRole).toBool());
    QCOMPARE(model.data(model.index(3), Roles::PreviewRole).toString(), QStringLiteral("2"));
    QCOMPARE(monitor.gapCount(), 2u);
    monitor.clear();
    QCOMPARE(monitor.gapCount(), 2u); // clearing the table does not undo a loss
    QCOMPARE(reset.count(), 0);
}

QTEST_MAIN(TestMonitorMessageModel)
#include "tst_monitormessagemodel.moc"
