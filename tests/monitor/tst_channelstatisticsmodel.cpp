// ChannelStatisticsModel over a ChannelMonitor's statistics, fed through the subscriber
// connection's signals (no server) with an injected clock: rows appended in order, rates and
// totals, refresh without reset, clearing.
#include "monitor/ChannelMonitor.h"
#include "monitor/ChannelStatisticsModel.h"

#include "redis/RedisClient.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace Redwire;
using Roles = ChannelStatisticsModel::Roles;

namespace {
void deliver(ChannelMonitor &monitor, const QByteArray &channel, const QByteArray &payload)
{
    monitor.client()->subscriber()->deliverMessage("*", channel, payload);
}
} // namespace

class TestChannelStatisticsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rowsFollowTheStatistics();
    void ratesAndTotals();
    void refreshIsDataChangedNotReset();
    void clearingRemovesRows();
    void roleNamesAreStable();
};

void TestChannelStatisticsModel::rowsFollowTheStatistics()
{
    ChannelMonitor monitor;
    ChannelStatisticsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    QCOMPARE(model.rowCount(), 0);
    deliver(monitor, "a", "12345");
    deliver(monitor, "b", "1");
    deliver(monitor, "a", "12345");
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.refresh();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.data(model.index(0), Roles::ChannelRole).toString(), QStringLiteral("a"));
    QCOMPARE(model.data(model.index(0), Roles::MessagesRole).toULongLong(), 2u);
    QCOMPARE(model.data(model.index(0), Roles::BytesRole).toULongLong(), 10u);
    QCOMPARE(model.data(model.index(1), Roles::ChannelRole).toString(), QStringLiteral("b"));
    QCOMPARE(model.data(model.index(1), Roles::SubscribersRole).toLongLong(), -1);
    QCOMPARE(model.data(model.index(1), Roles::ListedByServerRole).toBool(), false);
    QCOMPARE(model.data(model.index(1), Roles::OtherChannelsRole).toBool(), false);
    const qint64 lastSeen = model.data(model.index(1), Roles::LastSeenRole).toLongLong();
    QVERIFY(qAbs(lastSeen - QDateTime::currentMSecsSinceEpoch()) < 60000);
    deliver(monitor, "c", "");
    QTRY_COMPARE(model.rowCount(), 3); // the refresh timer
    QCOMPARE(model.count(), 3);
}

void TestChannelStatisticsModel::ratesAndTotals()
{
    ChannelMonitor monitor;
    ChannelStatisticsModel model;
    model.setMonitor(&monitor);
    for (int i = 0; i < 20; ++i)
        deliver(monitor, "a", QByteArray(100, 'x'));
    // Five seconds later the last second is quiet; the ten-second and one-minute windows are not,
    // and they cover the five seconds since monitoring began: 20 messages / 5 s.
    const qint64 later = QDateTime::currentMSecsSinceEpoch() + 5000;
    model.setClock([later] { return later; });
    QSignalSpy totals(&model, &ChannelStatisticsModel::totalsChanged);
    model.refresh();
    QCOMPARE(totals.count(), 1);
    const QModelIndex a = model.index(0);
    QCOMPARE(model.data(a, Roles::MessageRate1sRole).toDouble(), 0.0);
    const double tenSeconds = model.data(a, Roles::MessageRate10sRole).toDouble();
    QVERIFY2(tenSeconds > 3.5 && tenSeconds <= 4.0, qPrintable(QString::number(tenSeconds)));
    QVERIFY(model.data(a, Roles::MessageRate60sRole).toDouble() > 0);
    QCOMPARE(model.data(a, Roles::ByteRate10sRole).toDouble(), 100 * tenSeconds);
    QCOMPARE(model.totalMessages(), 20u);
    QCOMPARE(model.totalBytes(), 2000u);
    QCOMPARE(model.messagesPerSecond(), 0.0);
    QCOMPARE(model.serverPatternCount(), -1); // never polled
    QCOMPARE(model.serverChannelCount(), 0);
}

// A refresh announces the rows whose numbers moved (in runs of neighbours), never a reset, and
// nothing at all when nothing moved: an idle table is not redrawn every second.
void TestChannelStatisticsModel::refreshIsDataChangedNotReset()
{
    ChannelMonitor monitor;
    ChannelStatisticsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    deliver(monitor, "a", "x");
    deliver(monitor, "b", "x");
    deliver(monitor, "c", "x");
    const qint64 frozen = QDateTime::currentMSecsSinceEpoch() + 1;
    model.setClock([frozen] { return frozen; });
    model.refresh();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy totals(&model, &ChannelStatisticsModel::totalsChanged);

    model.refresh(); // time stands still, no traffic
    QCOMPARE(changed.count(), 0);
    QCOMPARE(totals.count(), 0);

    deliver(monitor, "a", "x");
    deliver(monitor, "b", "x");
    model.refresh();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
    QCOMPARE(changed.first().at(1).toModelIndex().row(), 1);
    QCOMPARE(totals.count(), 1);

    changed.clear();
    deliver(monitor, "c", "x");
    model.refresh();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 2);
    QCOMPARE(changed.first().at(1).toModelIndex().row(), 2);
    QCOMPARE(model.data(model.index(2), ChannelStatisticsModel::MessagesRole).toULongLong(), 2u);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(reset.count(), 0);
}

void TestChannelStatisticsModel::clearingRemovesRows()
{
    ChannelMonitor monitor;
    ChannelStatisticsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    deliver(monitor, "a", "x");
    deliver(monitor, "b", "x");
    model.refresh();
    QCOMPARE(model.rowCount(), 2);
    monitor.clearStatistics();
    // Rows whose channel is gone read as empty until the next refresh removes them.
    QCOMPARE(model.data(model.index(1), Roles::ChannelRole), QVariant());
    deliver(monitor, "c", "x");
    model.refresh();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.data(model.index(0), Roles::ChannelRole).toString(), QStringLiteral("c"));
    model.setMonitor(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestChannelStatisticsModel::roleNamesAreStable()
{
    ChannelStatisticsModel model;
    const QHash<int, QByteArray> names = model.roleNames();
    QCOMPARE(names.value(Roles::ChannelRole), QByteArray("channel"));
    QCOMPARE(names.value(Roles::MessageRate1sRole), QByteArray("messageRate1s"));
    QCOMPARE(names.value(Roles::ByteRate60sRole), QByteArray("byteRate60s"));
    QCOMPARE(names.value(Roles::SubscribersRole), QByteArray("subscribers"));
    QCOMPARE(names.value(Roles::ShardSubscribersRole), QByteArray("shardSubscribers"));
    QCOMPARE(names.size(), 16);
    QCOMPARE(int(Roles::ChannelRole), Qt::UserRole + 1);
}

QTEST_MAIN(TestChannelStatisticsModel)
#include "tst_channelstatisticsmodel.moc"
