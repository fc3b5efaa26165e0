// The monitor page in a real window (Basic style, as the app) with a real MonitorController against
// a private redis-server: what an operator sees after a burst, at 800×600, and in the rate chart.
#include "models/MonitorController.h"
#include "monitor/ChannelMonitor.h"
#include "monitor/ChannelStatisticsModel.h"
#include "monitor/MonitorMessageModel.h"
#include "redis/CommandConnection.h"

#include "RedisServerProcess.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

#include <algorithm>
#include <atomic>
#include <memory>

Q_IMPORT_QML_PLUGIN(Redwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Redwire_UiPlugin)

namespace {

// Publishes `total` messages to `channel`, `perTick` every 10 ms, over its own connection: a
// paced flood, as a busy server delivers it (many small batches), not one pipelined block.
class PacedPublisher : public QObject
{
public:
    PacedPublisher(const Redwire::ConnectionOptions &options, QByteArray channel, int total, int perTick)
        : m_connection(options)
        , m_channel(std::move(channel))
        , m_total(total)
        , m_perTick(perTick)
    {
        m_timer.setInterval(10);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            for (int i = 0; i < m_perTick && m_sent < m_total; ++i, ++m_sent)
                m_connection.send({ "PUBLISH", m_channel, "message " + QByteArray::number(m_sent) });
            if (m_sent >= m_total)
                m_timer.stop();
        });
        m_connection.connectToServer();
    }
    bool isConnected() const { return m_connection.isConnected(); }
    void start() { m_timer.start(); }
    bool isDone() const { return m_sent >= m_total; }

private:
    Redwire::CommandConnection m_connection;
    QByteArray m_channel;
    QTimer m_timer;
    int m_total;
    int m_perTick;
    int m_sent = 0;
};

} // namespace

class TestMonitorPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void idlePageDrawsNothingAfterAWrappingBurst();
    void chartKeepsAMinuteOfEveryChannel();

private:
    // MonitorPage filling a window of this size, shown and exposed.
    std::unique_ptr<QQuickWindow> showPage(Redwire::MonitorController *monitor, QSize size);

    QQmlEngine m_engine;
};

void TestMonitorPage::initTestCase()
{
    // As the app does (src/app/redwire/main.cpp): the sizes and the controls are Basic's.
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    m_engine.addImportPath(QStringLiteral("qrc:/"));
}

std::unique_ptr<QQuickWindow> TestMonitorPage::showPage(Redwire::MonitorController *monitor, QSize size)
{
    QQmlComponent component(&m_engine);
    component.setData("import QtQuick\nimport Redwire.Ui\nimport Redwire.Models\n"
                      "Window { id: window; required property MonitorController monitor\n"
                      "property alias page: page; visible: true\n"
                      "MonitorPage { id: page; anchors.fill: parent; monitor: window.monitor } }",
        QUrl(QStringLiteral("qrc:/tst_monitorpage.qml")));
    std::unique_ptr<QObject> object(
        component.createWithInitialProperties({ { QStringLiteral("monitor"), QVariant::fromValue(monitor) },
            { QStringLiteral("width"), size.width() }, { QStringLiteral("height"), size.height() } }));
    if (!object) {
        qWarning() << component.errorString();
        return {};
    }
    std::unique_ptr<QQuickWindow> window(qobject_cast<QQuickWindow *>(object.release()));
    if (window && !QTest::qWaitForWindowExposed(window.get()))
        return {};
    return window;
}

// A paced burst that wraps a small buffer while the table follows the tail: the table ends on
// the newest message, and then the idle page draws nothing. The frames are counted over a fixed
// second of idleness: proving that nothing happens takes watching for a while; one second is 60
// frames of the redraw this guards against (the table's invisible current-item highlight gliding
// after row 0, which jumps down with every batch once the buffer wraps).
void TestMonitorPage::idlePageDrawsNothingAfterAWrappingBurst()
{
    RedwireTest::RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Redwire::ConnectionOptions options;
    options.port = server.port();
    Redwire::MonitorController monitor;
    monitor.setBufferCapacity(100); // the smallest the page offers
    monitor.start(options);
    QVERIFY(monitor.addTopic(QStringLiteral("burst.*")));
    std::unique_ptr<QQuickWindow> window = showPage(&monitor, QSize(1100, 720));
    QVERIFY(window);
    // frameSwapped comes from the render thread with a threaded render loop.
    std::atomic<int> frames { 0 };
    connect(
        window.get(), &QQuickWindow::frameSwapped, this, [&frames] { ++frames; }, Qt::DirectConnection);
    auto *page = window->property("page").value<QQuickItem *>();
    auto *table = page->findChild<QQuickItem *>(QStringLiteral("messageTable"));
    QVERIFY(table);
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"), 10000);

    const int total = 4000;
    PacedPublisher publisher(options, "burst.a", total, 40);
    QTRY_VERIFY_WITH_TIMEOUT(publisher.isConnected(), 10000);
    publisher.start();
    QTRY_COMPARE_WITH_TIMEOUT(monitor.monitor()->receivedCount(), quint64(total), 30000);
    QCOMPARE(monitor.messages()->count(), 100);
    QVERIFY(monitor.droppedCount() >= quint64(total - 100));

    // Following: the view ends on the newest message, although the count stopped changing when
    // the buffer filled.
    QTRY_VERIFY_WITH_TIMEOUT(table->property("atYEnd").toBool(), 5000);
    const QString newest = QStringLiteral("message %1").arg(total - 1);
    QCOMPARE(monitor.messages()
                 ->data(monitor.messages()->index(99), Redwire::MonitorMessageModel::PreviewRole)
                 .toString(),
        newest);

    // With the once-a-second refreshes running, the rates shown still decay (they cover the last
    // 1 s, 10 s and minute) and the chart moves on: at most a frame per refresh, and the frame
    // that may be under way when counting starts.
    {
        QSignalSpy statisticsRefreshed(monitor.statistics(), &Redwire::ChannelStatisticsModel::totalsChanged);
        QSignalSpy chartChanged(&monitor, &Redwire::MonitorController::rateHistoryChanged);
        const int before = frames;
        QTest::qWait(1000);
        const int drawn = frames - before;
        QVERIFY2(drawn <= statisticsRefreshed.count() + chartChanged.count() + 1,
            qPrintable(
                QStringLiteral("%1 frames in an idle second, %2 statistics refreshes, %3 chart changes")
                    .arg(drawn)
                    .arg(statisticsRefreshed.count())
                    .arg(chartChanged.count())));
    }

    // Time held still (the statistics' clock frozen, the chart not sampled): nothing shown can
    // change, and nothing is drawn.
    const qint64 frozen = QDateTime::currentMSecsSinceEpoch();
    monitor.statistics()->setClock([frozen] { return frozen; });
    monitor.setRateSampleIntervalMs(3600 * 1000);
    monitor.statistics()->refresh();
    // One frame that shows the held values (and whatever was pending) ...
    const int beforeFlush = frames;
    window->update();
    QTRY_VERIFY(frames > beforeFlush);
    // ... and then none.
    const int before = frames;
    QTest::qWait(1000);
    QCOMPARE(frames - before, 0);
    monitor.stop();
}

namespace {
// The chart's series for `channel` (empty when it is not charted).
QVariantMap seriesFor(const QVariantList &history, const QString &channel)
{
    for (const QVariant &entry : history)
        if (entry.toMap().value(QStringLiteral("channel")).toString() == channel)
            return entry.toMap();
    return {};
}

QList<double> pointsOf(const QVariantMap &series)
{
    QList<double> points;
    for (const QVariant &point : series.value(QStringLiteral("points")).toList())
        points.append(point.toDouble());
    return points;
}

// Samples since the last one that counted a message; -1 when none did.
int samplesSinceLastMessage(const QList<double> &points)
{
    for (qsizetype i = points.size() - 1; i >= 0; --i)
        if (points[i] > 0)
            return int(points.size() - 1 - i);
    return -1;
}
} // namespace

// About 1,000 msg/s on one channel for two seconds, then 1 msg/s on five others (as heartbeats
// would be): twelve seconds after the plateau ended it is still charted, all of it, and the scale
// is the plateau's, not the small channels'. Real time: the chart samples once a second.
void TestMonitorPage::chartKeepsAMinuteOfEveryChannel()
{
    RedwireTest::RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Redwire::ConnectionOptions options;
    options.port = server.port();
    Redwire::MonitorController monitor;
    monitor.start(options);
    QVERIFY(monitor.addTopic(QStringLiteral("rates.*")));
    std::unique_ptr<QQuickWindow> window = showPage(&monitor, QSize(1100, 720));
    QVERIFY(window);
    auto *page = window->property("page").value<QQuickItem *>();
    auto *chart = page->findChild<QQuickItem *>(QStringLiteral("rateChart"));
    QVERIFY(chart);
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"), 10000);

    PacedPublisher plateau(options, "rates.big", 2000, 10);
    QTRY_VERIFY_WITH_TIMEOUT(plateau.isConnected(), 10000);
    plateau.start();
    QTRY_COMPARE_WITH_TIMEOUT(monitor.monitor()->receivedCount(), quint64(2000), 20000);

    Redwire::CommandConnection chatter(options);
    chatter.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(chatter.isConnected(), 10000);
    QTimer heartbeats;
    heartbeats.setInterval(1000);
    connect(&heartbeats, &QTimer::timeout, this, [&chatter] {
        for (int i = 1; i <= 5; ++i)
            chatter.send({ "PUBLISH", "rates.small" + QByteArray::number(i), "beat" });
    });
    heartbeats.start();

    const QString big = QStringLiteral("rates.big");
    QTRY_VERIFY_WITH_TIMEOUT(
        samplesSinceLastMessage(pointsOf(seriesFor(monitor.rateHistory(), big))) >= 12, 40000);
    heartbeats.stop();

    const QList<double> points = pointsOf(seriesFor(monitor.rateHistory(), big));
    const double peak = *std::max_element(points.cbegin(), points.cend());
    const auto plateauSamples = std::count_if(points.cbegin(), points.cend(), [](double p) { return p > 0; });
    QVERIFY2(plateauSamples >= 2, qPrintable(QStringLiteral("%1 samples with messages").arg(plateauSamples)));
    QVERIFY2(peak >= 200, qPrintable(QStringLiteral("peak %1 msg/s").arg(peak)));
    QCOMPARE(seriesFor(monitor.rateHistory(), big).value(QStringLiteral("peak")).toDouble(), peak);
    // The busiest first; the small channels charted too, on the plateau's scale.
    QCOMPARE(monitor.rateHistory().first().toMap().value(QStringLiteral("channel")).toString(), big);
    QVERIFY(!seriesFor(monitor.rateHistory(), QStringLiteral("rates.small1")).isEmpty());
    const double ceiling = monitor.rateCeiling();
    QVERIFY2(ceiling >= peak && ceiling < 2.5 * peak,
        qPrintable(QStringLiteral("ceiling %1 for a peak of %2").arg(ceiling).arg(peak)));
    // What the chart on the page draws.
    QTRY_COMPARE(chart->property("ceiling").toDouble(), ceiling);
    QCOMPARE(chart->property("series").toList().size(), monitor.rateHistory().size());
    QCOMPARE(chart->property("samples").toInt(), 60);
    monitor.stop();
}

QTEST_MAIN(TestMonitorPage)
#include "tst_monitorpage.moc"
