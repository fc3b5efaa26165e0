// The monitor page in a real window (Basic style, as the app) with a real MonitorController against
// a private redis-server: what an operator sees after a burst, at 800×600, and in the rate chart.
#include "desktop/Translations.h"
#include "models/MonitorController.h"
#include "models/MonitorTopicModel.h"
#include "monitor/ChannelMonitor.h"
#include "monitor/ChannelStatisticsModel.h"
#include "monitor/MonitorMessageModel.h"
#include "monitor/PubSubServerPoller.h"
#include "redis/CommandConnection.h"

#include "ConnectionOptionsFor.h"
#include "MonitorPageWindow.h"
#include "RedisServerProcess.h"

#include <QAbstractAnimation>
#include <QClipboard>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QVariantAnimation>
#include <QtQml/qqmlextensionplugin.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>

Q_IMPORT_QML_PLUGIN(Redwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Redwire_UiPlugin)

namespace {

// Drives this thread's animations by a clock of the test's instead of the wall clock: installed,
// it is started while animations run, and their time moves on only with tick().
class TestAnimationClock : public QAnimationDriver
{
public:
    // Since start(), as the animation timers expect.
    qint64 elapsed() const override { return m_ms - m_startedAt; }
    // Moves the clock on and lets what follows happen: the animation timers start and stop
    // through queued calls, and the frames asked for are drawn (animators advance with them).
    void tick(int ms)
    {
        m_ms += ms;
        advance();
        for (int turn = 0; turn < 3; ++turn) {
            QCoreApplication::sendPostedEvents();
            QCoreApplication::processEvents(QEventLoop::AllEvents);
        }
    }

protected:
    void start() override
    {
        m_startedAt = m_ms;
        QAnimationDriver::start();
    }

private:
    qint64 m_ms = 0;
    qint64 m_startedAt = 0;
};

// Counts a window's update requests: each frame it draws starts with one.
class UpdateRequestCounter : public QObject
{
public:
    int count = 0;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::UpdateRequest)
            ++count;
        return false;
    }
};

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
    void smallWindowKeepsEveryControlReachable();
    void idlePageDrawsNothingAfterAWrappingBurst();
    void chartKeepsAMinuteOfEveryChannel();
    void keyWatchOffersToEnableAndShowsKeys();
    void monitorEnumsReachQml();
    void topicChipsShowEachSubscriptionAndRemoveIt();
    void shardChannelFromTheKindBox();
    void detailPaneShowsMessagePackAndOrderedJson();
    void replayFromTheOverflowMenu();
    void serverTotalsInEnglishPlurals();
    void channelSubscribersInEnglishPlurals();

private:
    std::unique_ptr<QQuickWindow> showPage(Redwire::MonitorController *monitor, QSize size)
    {
        return RedwireTest::showMonitorPage(m_engine, monitor, size);
    }
    // The app's English plural forms installed (as main.cpp does), `monitor` started on `server`
    // and asking it every 100 ms (the app: every few seconds), its page shown at 1280 x 720. Null
    // when the translations would not load.
    std::unique_ptr<QQuickWindow> showPolledPageInEnglish(
        Redwire::MonitorController *monitor, const RedwireTest::RedisServerProcess &server)
    {
        if (!Redwire::installTranslations(*QCoreApplication::instance()))
            return {};
        monitor->start(RedwireTest::connectionOptionsFor(server));
        monitor->monitor()->serverPoller()->setIntervalMs(100);
        return showPage(monitor, QSize(1280, 720));
    }

    QQmlEngine m_engine;
};

void TestMonitorPage::initTestCase()
{
    // As the app does (src/app/redwire/main.cpp): the sizes and the controls are Basic's.
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    m_engine.addImportPath(QStringLiteral("qrc:/"));
}

namespace {
// Where an item is in the window.
QRectF sceneRect(const QQuickItem *item)
{
    return item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
}

// Inside, give or take half a pixel of rounding.
bool inside(const QRectF &outer, const QRectF &inner)
{
    return outer.adjusted(-0.5, -0.5, 0.5, 0.5).contains(inner);
}

bool overlap(const QRectF &a, const QRectF &b)
{
    return a.adjusted(0.5, 0.5, -0.5, -0.5).intersects(b.adjusted(0.5, 0.5, -0.5, -0.5));
}

// What the Subscriptions chips show, in order (the Repeater's delegates are items of the Flow).
QStringList topicChipTexts(QQuickItem *page)
{
    QStringList texts;
    const auto *repeater = page->findChild<QQuickItem *>(QStringLiteral("topicChips"));
    if (!repeater)
        return { QStringLiteral("no topicChips") };
    for (int i = 0; i < repeater->property("count").toInt(); ++i) {
        QQuickItem *chip = nullptr;
        QMetaObject::invokeMethod(
            const_cast<QQuickItem *>(repeater), "itemAt", Q_RETURN_ARG(QQuickItem *, chip), Q_ARG(int, i));
        const auto *label = chip ? chip->findChild<QQuickItem *>(QStringLiteral("topicLabel")) : nullptr;
        texts << (label && chip->isVisible() ? label->property("text").toString() : QStringLiteral("?"));
    }
    return texts;
}

QString describe(const QQuickItem *item)
{
    const QRectF r = sceneRect(item);
    return QStringLiteral("%1 at %2,%3 %4x%5")
        .arg(item->objectName())
        .arg(r.x())
        .arg(r.y())
        .arg(r.width())
        .arg(r.height());
}
} // namespace

// At 800×600 every control of the toolbar is in the window or in its overflow menu (which opens
// inside the window and works), the filter fields keep room for their placeholder text, the column
// headers stay left of the side panel, and nothing in the filter bar, the side panel or the
// footer runs off the window or into its neighbour.
void TestMonitorPage::smallWindowKeepsEveryControlReachable()
{
    RedwireTest::RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Redwire::ConnectionOptions options;
    options.port = server.port();
    Redwire::MonitorController monitor;
    monitor.start(options);
    QVERIFY(monitor.addTopic(QStringLiteral("small.*")));
    std::unique_ptr<QQuickWindow> window = showPage(&monitor, QSize(800, 600));
    QVERIFY(window);
    QCOMPARE(window->size(), QSize(800, 600));
    auto *page = RedwireTest::monitorPageOf(window.get());
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"), 10000);
    for (const char *payload : { "one", "two", "three" })
        QCOMPARE(server.cli({ "PUBLISH", "small.orders", payload }), QByteArray("1"));
    QTRY_COMPARE_WITH_TIMEOUT(monitor.messages()->count(), 3, 5000);

    const QRectF windowRect(QPointF(0, 0), QSizeF(window->size()));
    auto item = [page](const char *name) { return page->findChild<QQuickItem *>(QLatin1String(name)); };
    // Laid out: polish has run and the window drew the result.
    QTRY_VERIFY(!window->contentItem()->childItems().isEmpty() && item("sidePanel")->width() > 0);
    const QRectF sidePanel = sceneRect(item("sidePanel"));
    const QRectF tablePane = sceneRect(item("tablePane"));
    QVERIFY2(sidePanel.left() >= tablePane.right() - 0.5, qPrintable(describe(item("sidePanel"))));

    // Every visible control inside the window and apart from the others of its bar.
    auto checkBar = [&](const QList<const char *> &names, const QRectF &area) {
        QList<QQuickItem *> shown;
        for (const char *name : names) {
            QQuickItem *control = item(name);
            if (!control)
                return QStringLiteral("no %1").arg(QLatin1String(name));
            if (!control->isVisible())
                continue;
            if (control->width() < 1 || !inside(windowRect, sceneRect(control))
                || !inside(area, sceneRect(control)))
                return QStringLiteral("outside: %1").arg(describe(control));
            for (QQuickItem *other : std::as_const(shown))
                if (overlap(sceneRect(other), sceneRect(control)))
                    return QStringLiteral("%1 overlaps %2").arg(describe(control), describe(other));
            shown << control;
        }
        return QString();
    };
    const QList<const char *> toolbar { "backButton", "topicField", "subscribeButton", "topicKindBox",
        "pauseButton", "clearButton", "exportButton", "recordButton", "overflowButton" };
    QString problem = checkBar(toolbar, windowRect);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = checkBar({ "channelFilter", "channelRegex", "payloadFilter", "payloadRegex", "internalSwitch",
                           "followSwitch" },
        tablePane);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = checkBar({ "publishChannel", "publishPayload", "publishButton" }, sidePanel);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = checkBar({ "rateLabel", "shownLabel", "droppedLabel", "serverLabel" }, windowRect);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    for (const char *name : { "backButton", "topicField", "subscribeButton", "topicKindBox", "pauseButton",
             "channelFilter", "payloadFilter", "internalSwitch", "followSwitch", "publishButton" })
        QVERIFY2(item(name)->isVisible(), name);

    // The filter fields show their whole placeholder ("Filter channels (glob)"), not "Filter …".
    for (const char *name : { "channelFilter", "payloadFilter" }) {
        QQuickItem *field = item(name);
        const QFontMetricsF metrics(field->property("font").value<QFont>());
        const qreal needed = metrics.horizontalAdvance(field->property("placeholderText").toString())
            + field->property("leftPadding").toReal() + field->property("rightPadding").toReal();
        QVERIFY2(field->width() >= needed,
            qPrintable(QStringLiteral("%1 is %2 px wide, its placeholder needs %3")
                           .arg(QLatin1String(name))
                           .arg(field->width())
                           .arg(needed)));
    }

    // Column headers: whole, in order, left of the side panel.
    QQuickItem *headers = item("columnHeaders");
    QVERIFY(headers);
    qreal right = tablePane.left();
    int labels = 0;
    for (QQuickItem *label : headers->childItems()) {
        if (!label->isVisible()) // the keyspace columns, without a keyspace watch
            continue;
        const QRectF r = sceneRect(label);
        QVERIFY2(r.left() >= right - 0.5 && r.right() <= sidePanel.left() + 0.5 && inside(tablePane, r),
            qPrintable(QStringLiteral("header %1 at %2-%3, side panel from %4")
                           .arg(label->property("text").toString())
                           .arg(r.left())
                           .arg(r.right())
                           .arg(sidePanel.left())));
        QVERIFY2(!label->property("truncated").toBool(), qPrintable(label->property("text").toString()));
        right = r.right();
        ++labels;
    }
    QCOMPARE(labels, 5);

    // What the toolbar does not show, the overflow menu does: inside the window, and working.
    QStringList inMenu;
    if (!item("clearButton")->isVisible())
        inMenu << QStringLiteral("clearMenuItem");
    if (!item("exportButton")->isVisible())
        inMenu << QStringLiteral("exportJsonMenuItem") << QStringLiteral("exportCsvMenuItem");
    if (!item("recordButton")->isVisible())
        inMenu << QStringLiteral("recordMenuItem");
    QVERIFY2(!inMenu.isEmpty(), "at 800×600 the toolbar cannot hold every control");
    QQuickItem *overflow = item("overflowButton");
    QVERIFY(overflow->isVisible());
    auto *menu = page->findChild<QObject *>(QStringLiteral("overflowMenu"));
    QVERIFY(menu);
    QTest::mouseClick(window.get(), Qt::LeftButton, {}, sceneRect(overflow).center().toPoint());
    QTRY_VERIFY(menu->property("opened").toBool());
    QQuickItem *clearItem = nullptr;
    for (const QString &name : std::as_const(inMenu)) {
        auto *entry = page->findChild<QQuickItem *>(name);
        QVERIFY2(entry, qPrintable(name));
        QVERIFY2(
            entry->isVisible() && entry->property("enabled").toBool() && inside(windowRect, sceneRect(entry)),
            qPrintable(describe(entry)));
        if (name == QLatin1String("clearMenuItem"))
            clearItem = entry;
    }
    if (clearItem) {
        QTest::mouseClick(window.get(), Qt::LeftButton, {}, sceneRect(clearItem).center().toPoint());
        QTRY_COMPARE(monitor.messages()->count(), 0);
        QTRY_VERIFY(!menu->property("visible").toBool());
    }
    monitor.stop();
}

// A paced burst that wraps a small buffer while the table follows the tail: the table ends on
// the newest message, and then the idle page draws nothing. Nothing is waited for: what could
// draw later is made to happen now (the animations run ten seconds of the test's clock, every
// timer of the controller fires three times) and the frames it asks for are counted. The redraw
// this was written for was an animation: the table's invisible current-item highlight gliding
// after row 0, which jumps down with every batch once the buffer wraps (60 frames a second).
// Any animation that draws fails it: an indeterminate progress bar left visible asks for a frame
// at every tick.
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
    auto *page = RedwireTest::monitorPageOf(window.get());
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
    const QString newest = QStringLiteral("message %1").arg(total - 1);
    QTRY_COMPARE_WITH_TIMEOUT(
        monitor.messages()
            ->data(monitor.messages()->index(99), Redwire::MonitorMessageModel::PreviewRole)
            .toString(),
        newest, 5000);
    const auto lastVisibleRow = [table] {
        int row = -1;
        QMetaObject::invokeMethod(table, "indexAt", Q_RETURN_ARG(int, row), Q_ARG(qreal, 10),
            Q_ARG(qreal, table->property("contentY").toReal() + table->height() - 2));
        return row;
    };
    QTRY_COMPARE_WITH_TIMEOUT(lastVisibleRow(), 99, 5000);
    QTRY_VERIFY(table->property("atYEnd").toBool());

    // Whatever is pending is drawn: frames are requested at once (QT_QPA_UPDATE_IDLE_TIME=0, see
    // main()) and drawn on this thread, so a few turns of the event loop draw them.
    UpdateRequestCounter updateRequests;
    window->installEventFilter(&updateRequests);
    const auto turnTheEventLoop = [] {
        for (int turn = 0; turn < 20; ++turn) {
            QCoreApplication::sendPostedEvents();
            QCoreApplication::processEvents(QEventLoop::AllEvents);
        }
    };

    // From here on, time for animations is the test's: it moves only when the test ticks it, and
    // what it would draw is counted below, instead of waited for.
    TestAnimationClock animationClock;
    animationClock.install();
    {
        // Proof that the clock drives this thread's animations (a render loop with a driver of
        // its own would leave it idle, and the ticks below would prove nothing).
        QVariantAnimation probe;
        probe.setDuration(100);
        probe.setStartValue(0);
        probe.setEndValue(1);
        probe.start(); // the animation timers start over two turns of the event loop
        turnTheEventLoop();
        QVERIFY2(animationClock.isRunning(), "the test's clock does not drive the animations");
        probe.stop();
    }

    // Time held still (the statistics' clock frozen, the chart not sampled): nothing shown can
    // change (a refresh that changes nothing emits nothing: tst_channelstatisticsmodel), and
    // nothing is drawn.
    const qint64 frozen = QDateTime::currentMSecsSinceEpoch();
    monitor.statistics()->setClock([frozen] { return frozen; });
    monitor.setRateSampleIntervalMs(3600 * 1000);
    monitor.statistics()->refresh();
    // The server's answers settle too: the first poll after the burst may still change what the
    // footer and the table show (the channels the server lists, its totals). Polls come until one
    // changes nothing.
    {
        Redwire::PubSubServerPoller *poller = monitor.monitor()->serverPoller();
        poller->setIntervalMs(100);
        QSignalSpy polled(poller, &Redwire::PubSubServerPoller::updated);
        QSignalSpy totals(monitor.statistics(), &Redwire::ChannelStatisticsModel::totalsChanged);
        QSignalSpy rows(monitor.statistics(), &QAbstractItemModel::dataChanged);
        for (int tries = 0; tries < 50; ++tries) {
            totals.clear();
            rows.clear();
            polled.clear();
            QVERIFY(polled.wait(5000));
            if (totals.isEmpty() && rows.isEmpty())
                break;
        }
        QVERIFY2(totals.isEmpty() && rows.isEmpty(), "the server's answers kept changing");
        poller->setIntervalMs(3600 * 1000);
    }
    turnTheEventLoop();

    const auto runTheClock = [&animationClock](int ms) {
        for (int passed = 0; passed < ms; passed += 16)
            animationClock.tick(16);
    };
    // A second for transitions under way to end (a scroll bar fading out) ...
    runTheClock(1000);
    turnTheEventLoop();
    const int framesBefore = frames;
    const int requestsBefore = updateRequests.count;
    // ... then ten seconds without a frame. The redraw this test was written for was an animation
    // that ran for minutes: the table's highlight gliding after the newest row.
    runTheClock(10000);
    QCOMPARE(updateRequests.count - requestsBefore, 0);
    QCOMPARE(frames - framesBefore, 0);

    // Every timer of the controller and its models fires as if its interval had passed (the chart's
    // sampling and the server's polls stay held, as above), three times over, each time followed
    // by a second of the animations' clock, and nothing is drawn.
    const QList<QTimer *> timers = monitor.findChildren<QTimer *>();
    QVERIFY(timers.size() >= 5); // the statistics' refresh, the buffer's notifier, the gap tracker, ...
    int fired = 0;
    for (int round = 0; round < 3; ++round) {
        for (QTimer *timer : timers) {
            if (!timer->isActive() || timer->interval() >= 3600 * 1000)
                continue;
            QVERIFY(QMetaObject::invokeMethod(timer, "timeout", Qt::DirectConnection));
            ++fired;
        }
        turnTheEventLoop();
        runTheClock(1000);
    }
    QVERIFY(fired >= 3);
    QCOMPARE(updateRequests.count - requestsBefore, 0);
    QCOMPARE(frames - framesBefore, 0);
    animationClock.uninstall();
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

// About 1,000 msg/s on one channel for two seconds, then one message per sample on five others (as
// heartbeats would be): twelve samples after the plateau ended it is still charted, all of it, and
// the scale is the plateau's, not the small channels'. The app samples once a second; here every
// 200 ms (rates stay per second of time measured), so the twelve samples take 2.4 s, not 12.
void TestMonitorPage::chartKeepsAMinuteOfEveryChannel()
{
    RedwireTest::RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Redwire::ConnectionOptions options;
    options.port = server.port();
    Redwire::MonitorController monitor;
    const int sampleMs = 200;
    monitor.setRateSampleIntervalMs(sampleMs);
    monitor.start(options);
    QVERIFY(monitor.addTopic(QStringLiteral("rates.*")));
    std::unique_ptr<QQuickWindow> window = showPage(&monitor, QSize(1100, 720));
    QVERIFY(window);
    auto *page = RedwireTest::monitorPageOf(window.get());
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
    heartbeats.setInterval(sampleMs);
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
    // The plateau stands well above the 1 msg/s chatter (its exact height depends on how fast
    // this build drains: a sanitizer build reads it slower).
    QVERIFY2(peak >= 10, qPrintable(QStringLiteral("peak %1 msg/s").arg(peak)));
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

// A key watch added with the toolbar's "Key events" box: a banner says notifications are off and its
// Enable button turns them on; then each change is a row with its db, key and event in columns
// of their own.
void TestMonitorPage::keyWatchOffersToEnableAndShowsKeys()
{
    RedwireTest::RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Redwire::ConnectionOptions options;
    options.port = server.port();
    options.database = 4;
    Redwire::MonitorController monitor;
    monitor.start(options);
    std::unique_ptr<QQuickWindow> window = showPage(&monitor, QSize(1280, 720));
    QVERIFY(window);
    auto *page = RedwireTest::monitorPageOf(window.get());
    auto item = [page](const char *name) { return page->findChild<QQuickItem *>(QLatin1String(name)); };
    QTRY_VERIFY_WITH_TIMEOUT(monitor.isConnected(), 10000);
    auto click = [&](QQuickItem *target) {
        QVERIFY(target && target->isVisible());
        QTest::mouseClick(window.get(), Qt::LeftButton, {}, sceneRect(target).center().toPoint());
    };
    // Key events, chosen with the keyboard: the kind box takes focus and the arrows move its choice.
    QQuickItem *kindBox = item("topicKindBox");
    kindBox->forceActiveFocus();
    for (int i = 0; i < 3; ++i)
        QTest::keyClick(window.get(), Qt::Key_Down);
    QTRY_COMPARE(kindBox->property("currentText").toString(), QStringLiteral("Key events"));
    QVERIFY(item("topicField")->property("placeholderText").toString().contains("Key pattern"));
    item("topicField")->setProperty("text", QStringLiteral("user:*"));
    click(item("subscribeButton"));
    QTRY_VERIFY(monitor.isKeyspaceWatched());
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"), 10000);
    QCOMPARE(monitor.topics()->rowCount(), 1);
    QCOMPARE(monitor.topics()->data(monitor.topics()->index(0), Redwire::MonitorTopicModel::KindRole).toInt(),
        int(Redwire::MonitorTopicModel::Keyspace));
    QCOMPARE(monitor.topics()->topicAt(0)->name, QByteArray("__keyspace@4__:user:*"));
    QTRY_COMPARE(topicChipTexts(page), QStringList { QStringLiteral("keys in db 4: user:*") });

    QQuickItem *banner = item("keyspaceBanner");
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10000);
    QCOMPARE(monitor.keyspaceNotifications(), Redwire::KeyspaceNotificationConfig::State::Off);
    QVERIFY(item("enableKeyspaceButton")->isVisible());
    QVERIFY2(item("keyspaceMessage")->property("text").toString().contains("notify-keyspace-events"),
        qPrintable(item("keyspaceMessage")->property("text").toString()));
    click(item("enableKeyspaceButton"));
    QTRY_COMPARE_WITH_TIMEOUT(
        monitor.keyspaceNotifications(), Redwire::KeyspaceNotificationConfig::State::On, 10000);
    QTRY_VERIFY(!banner->isVisible());
    QVERIFY(server.cli({ "CONFIG", "GET", "notify-keyspace-events" }).contains('K'));

    server.cli({ "-n", "4", "SET", "user:7:name", "ada" });
    server.cli({ "-n", "4", "DEL", "user:7:name" });
    QTRY_COMPARE_WITH_TIMEOUT(monitor.messages()->count(), 2, 10000);
    // What the rows show (delegates are reused: look at the visible ones).
    QQuickItem *table = item("messageTable");
    QVERIFY(table);
    auto shown = [&](const char *cell) {
        QStringList texts;
        // Delegates are the view's items, not its QObject children: walk the item tree.
        std::function<void(QQuickItem *)> walk = [&](QQuickItem *parent) {
            for (QQuickItem *child : parent->childItems()) {
                if (!child->isVisible())
                    continue;
                if (child->objectName() == QLatin1String(cell))
                    texts << child->property("text").toString();
                walk(child);
            }
        };
        walk(table);
        texts.sort();
        return texts;
    };
    QTRY_COMPARE(shown("keyCell"), (QStringList { "user:7:name", "user:7:name" }));
    QCOMPARE(shown("eventCell"), (QStringList { "del", "set" }));
    QCOMPARE(shown("dbCell"), (QStringList { "4", "4" }));
    QStringList headers;
    for (QQuickItem *label : item("columnHeaders")->childItems())
        if (label->isVisible())
            headers << label->property("text").toString();
    QCOMPARE(headers, (QStringList { "Time", "Channel", "DB", "Key", "Event", "Via", "Size", "Payload" }));

    monitor.selectRow(0);
    QVERIFY2(monitor.selectedTitle().startsWith(QStringLiteral("Key user:7:name in db 4: set at ")),
        qPrintable(monitor.selectedTitle()));
    monitor.stop();
}

// The enums MonitorController's properties carry, by the names QML uses for them.
void TestMonitorPage::monitorEnumsReachQml()
{
    QQmlComponent component(&m_engine);
    component.setData("import QtQml\nimport Redwire.Models\nQtObject {\n"
                      "property int warning: SlowSubscriberWatch.Warning\n"
                      "property int critical: SlowSubscriberWatch.Critical\n"
                      "property int off: KeyspaceNotificationConfig.Off\n"
                      "property int on: KeyspaceNotificationConfig.On\n"
                      "property int keyspace: MonitorTopicModel.Keyspace }",
        QUrl(QStringLiteral("qrc:/tst_monitorenums.qml")));
    std::unique_ptr<QObject> object(component.create());
    QVERIFY2(object, qPrintable(component.errorString()));
    QCOMPARE(object->property("warning").toInt(), int(Redwire::SlowSubscriberWatch::Level::Warning));
    QCOMPARE(object->property("critical").toInt(), int(Redwire::SlowSubscriberWatch::Level::Critical));
    QCOMPARE(object->property("off").toInt(), int(Redwire::KeyspaceNotificationConfig::State::Off));
    QCOMPARE(object->property("on").toInt(), int(Redwire::KeyspaceNotificationConfig::State::On));
    QCOMPARE(object->property("keyspace").toInt(), int(Redwire::MonitorTopicModel::Keyspace));
}

// One chip per subscription, channels first, each marked by its kind; its × unsubscribes that
// one. The page's bindings that compare the monitor's enums load without a warning.
void TestMonitorPage::topicChipsShowEachSubscriptionAndRemoveIt()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral("ReferenceError|TypeError|Unable to assign")));
    RedwireTest::RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Redwire::ConnectionOptions options;
    options.port = server.port();
    Redwire::MonitorController monitor;
    monitor.start(options);
    std::unique_ptr<QQuickWindow> window = showPage(&monitor, QSize(1280, 720));
    QVERIFY(window);
    auto *page = RedwireTest::monitorPageOf(window.get());
    QTRY_VERIFY_WITH_TIMEOUT(monitor.isConnected(), 10000);
    QCOMPARE(topicChipTexts(page), QStringList());
    QVERIFY(monitor.addTopic(QStringLiteral("same")));
    QVERIFY(monitor.addTopic(QStringLiteral("news.*")));
    QVERIFY(monitor.addTopic(QStringLiteral("alerts")));
    QVERIFY(monitor.addKeyWatch(QString()));
    QTRY_COMPARE(topicChipTexts(page),
        (QStringList { QStringLiteral("# alerts"), QStringLiteral("# same"),
            QStringLiteral("keys in db 0: *"), QStringLiteral("⁕ news.*") }));
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("2"), 10000);

    auto removeChip = [&](int row) {
        const auto *repeater = page->findChild<QQuickItem *>(QStringLiteral("topicChips"));
        QQuickItem *chip = nullptr;
        QMetaObject::invokeMethod(
            const_cast<QQuickItem *>(repeater), "itemAt", Q_RETURN_ARG(QQuickItem *, chip), Q_ARG(int, row));
        QVERIFY(chip);
        auto *cross = chip->findChild<QQuickItem *>(QStringLiteral("removeTopicButton"));
        QVERIFY(cross && cross->isVisible());
        QTest::mouseClick(window.get(), Qt::LeftButton, {}, sceneRect(cross).center().toPoint());
    };
    removeChip(2); // the key watch
    QTRY_COMPARE(topicChipTexts(page),
        (QStringList { QStringLiteral("# alerts"), QStringLiteral("# same"), QStringLiteral("⁕ news.*") }));
    QVERIFY(!monitor.isKeyspaceWatched());
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"), 10000);
    removeChip(0);
    QTRY_COMPARE(
        topicChipTexts(page), (QStringList { QStringLiteral("# same"), QStringLiteral("⁕ news.*") }));
    QTRY_VERIFY_WITH_TIMEOUT(!server.cli({ "PUBSUB", "CHANNELS" }).contains("alerts"), 10000);
    QVERIFY(server.cli({ "PUBSUB", "CHANNELS" }).contains("same"));
    monitor.stop();
    QTRY_COMPARE(topicChipTexts(page), QStringList());
}

// The kind box's "Sharded channel": typed and subscribed from the page, shown as a chip of its own
// beside a classic channel of the same name; an SPUBLISH comes in as a row delivered "sharded:",
// a PUBLISH to the same name as a row of the classic channel; the chip's cross unsubscribes.
void TestMonitorPage::shardChannelFromTheKindBox()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral("ReferenceError|TypeError|Unable to assign")));
    RedwireTest::RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Redwire::MonitorController monitor;
    monitor.start(RedwireTest::connectionOptionsFor(server));
    std::unique_ptr<QQuickWindow> window = showPage(&monitor, QSize(1280, 720));
    QVERIFY(window);
    auto *page = RedwireTest::monitorPageOf(window.get());
    auto item = [page](const char *name) { return page->findChild<QQuickItem *>(QLatin1String(name)); };
    QTRY_VERIFY_WITH_TIMEOUT(monitor.isConnected(), 10000);
    QVERIFY(monitor.addTopic(QStringLiteral("orders:{eu}"), true));

    QQuickItem *kindBox = item("topicKindBox");
    QVERIFY(kindBox);
    kindBox->setProperty("currentIndex", 2);
    QCOMPARE(kindBox->property("currentText").toString(), QStringLiteral("Sharded channel"));
    item("topicField")->setProperty("text", QStringLiteral("orders:{eu}"));
    QQuickItem *subscribe = item("subscribeButton");
    QTest::mouseClick(window.get(), Qt::LeftButton, {}, sceneRect(subscribe).center().toPoint());
    QTRY_COMPARE(topicChipTexts(page),
        (QStringList { QStringLiteral("# orders:{eu}"), QStringLiteral("# orders:{eu} (sharded)") }));
    QTRY_COMPARE_WITH_TIMEOUT(
        server.cli({ "PUBSUB", "SHARDNUMSUB", "orders:{eu}" }), QByteArray("orders:{eu}\n1"), 10000);
    QCOMPARE(item("topicField")->property("text").toString(), QString());

    QCOMPARE(server.cli({ "SPUBLISH", "orders:{eu}", "sharded" }), QByteArray("1"));
    QCOMPARE(server.cli({ "PUBLISH", "orders:{eu}", "classic" }), QByteArray("1"));
    QTRY_COMPARE_WITH_TIMEOUT(monitor.messages()->count(), 2, 10000);
    auto rowData
        = [&](int row, int role) { return monitor.messages()->data(monitor.messages()->index(row), role); };
    QCOMPARE(rowData(0, Redwire::MonitorMessageModel::PreviewRole).toString(), QStringLiteral("sharded"));
    QCOMPARE(rowData(0, Redwire::MonitorMessageModel::SubscriptionsRole).toString(),
        QStringLiteral("sharded: orders:{eu}"));
    QCOMPARE(rowData(1, Redwire::MonitorMessageModel::PreviewRole).toString(), QStringLiteral("classic"));
    QCOMPARE(rowData(1, Redwire::MonitorMessageModel::SubscriptionsRole).toString(),
        QStringLiteral("orders:{eu}"));
    // What the table's rows show in their "via" column.
    QQuickItem *table = item("messageTable");
    QVERIFY(table);
    const auto viaCells = [table] {
        QStringList texts;
        // Delegates are the view's items, not its QObject children: walk the item tree.
        std::function<void(QQuickItem *)> walk = [&](QQuickItem *parent) {
            for (QQuickItem *child : parent->childItems()) {
                if (!child->isVisible())
                    continue;
                if (child->objectName() == QLatin1String("viaCell"))
                    texts << child->property("text").toString();
                walk(child);
            }
        };
        walk(table);
        texts.sort();
        return texts;
    };
    QTRY_COMPARE(
        viaCells(), (QStringList { QStringLiteral("orders:{eu}"), QStringLiteral("sharded: orders:{eu}") }));

    const auto *repeater = page->findChild<QQuickItem *>(QStringLiteral("topicChips"));
    QQuickItem *chip = nullptr;
    QMetaObject::invokeMethod(
        const_cast<QQuickItem *>(repeater), "itemAt", Q_RETURN_ARG(QQuickItem *, chip), Q_ARG(int, 1));
    QVERIFY(chip);
    auto *cross = chip->findChild<QQuickItem *>(QStringLiteral("removeTopicButton"));
    QVERIFY(cross && cross->isVisible());
    QTest::mouseClick(window.get(), Qt::LeftButton, {}, sceneRect(cross).center().toPoint());
    QTRY_COMPARE(topicChipTexts(page), QStringList { QStringLiteral("# orders:{eu}") });
    QTRY_COMPARE_WITH_TIMEOUT(
        server.cli({ "PUBSUB", "SHARDNUMSUB", "orders:{eu}" }), QByteArray("orders:{eu}\n0"), 10000);
    monitor.stop();
}

// At 800×600: the detail pane of a MessagePack payload shows it decoded to JSON, a JSON payload
// keeps its keys in the order sent; the header names the channel, the subscription and the time;
// Raw shows the payload as it came; the copy buttons fill the clipboard; the pane sits in a split
// view with the table, so it can be resized. REDWIRE_SCREENSHOT_DIR keeps pictures of both.
void TestMonitorPage::detailPaneShowsMessagePackAndOrderedJson()
{
    RedwireTest::RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Redwire::ConnectionOptions options;
    options.port = server.port();
    Redwire::MonitorController monitor;
    monitor.start(options);
    QVERIFY(monitor.addTopic(QStringLiteral("detail.*")));
    std::unique_ptr<QQuickWindow> window = showPage(&monitor, QSize(800, 600));
    QVERIFY(window);
    auto *page = RedwireTest::monitorPageOf(window.get());
    auto item = [page](const char *name) { return page->findChild<QQuickItem *>(QLatin1String(name)); };
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"), 10000);

    Redwire::CommandConnection publisher(options);
    publisher.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(publisher.isConnected(), 10000);
    // {"sensor": "t-17", "reading": 21.5, "tags": ["a", "b"], "at": <timestamp>, 7: null}
    const QByteArray messagePack = QByteArray::fromHex("85a673656e736f72a4742d3137a772656164696e67cb40358000"
                                                       "00000000a47461677392a161a162a26174d6ff663236f007c0");
    const QByteArray json = R"({"zone":"eu","alpha":{"y":1,"b":[true,null]},"count":2})";
    publisher.send({ "PUBLISH", "detail.msgpack", messagePack });
    publisher.send({ "PUBLISH", "detail.json", json });
    QTRY_COMPARE_WITH_TIMEOUT(monitor.messages()->count(), 2, 10000);

    const QRectF windowRect(QPointF(0, 0), QSizeF(window->size()));
    QQuickItem *detail = item("payloadDetail");
    QQuickItem *pane = item("detailPane");
    QVERIFY(detail && pane);
    QVERIFY(!pane->isVisible());

    monitor.selectRow(0);
    QTRY_VERIFY(pane->isVisible() && pane->height() > 100);
    QCOMPARE(item("detailKind")->property("text").toString(), QStringLiteral("MessagePack"));
    QCOMPARE(item("detailTitle")->property("text").toString(), QStringLiteral("detail.msgpack"));
    QCOMPARE(item("detailVia")->property("text").toString(), QStringLiteral("detail.*"));
    QVERIFY(
        item("detailTime")->property("text").toString().contains(QDate::currentDate().toString(Qt::ISODate))
        || item("detailTime")->property("text").toString().size() == 23); // across midnight
    const QString decoded = detail->property("text").toString();
    QVERIFY2(decoded.startsWith(QStringLiteral("{\n    \"sensor\": \"t-17\",\n    \"reading\": 21.5,")),
        qPrintable(decoded));
    QVERIFY2(decoded.contains(QStringLiteral("\"at\": {\"$timestamp\":\"2024-05-01T12:34:56Z\"}")),
        qPrintable(decoded));
    QVERIFY2(decoded.contains(QStringLiteral("\"7\": null")), qPrintable(decoded));
    // The pane and its controls are inside the window, in the split view below the table.
    for (const char *name :
        { "detailPane", "prettyButton", "rawButton", "copyPayloadButton", "copyJsonButton" }) {
        QVERIFY2(item(name)->isVisible(), name);
        QVERIFY2(inside(windowRect, sceneRect(item(name))), qPrintable(describe(item(name))));
    }
    // The table keeps room for rows above the pane.
    QVERIFY2(item("messageTable")->height() >= 80, qPrintable(describe(item("messageTable"))));
    QVERIFY(sceneRect(pane).top() >= sceneRect(item("messageTable")).bottom() - 0.5);
    QCOMPARE(pane->parentItem()->parentItem(), item("tableSplit")); // the SplitView's content item
    if (qEnvironmentVariableIsSet("REDWIRE_SCREENSHOT_DIR"))
        window->grabWindow().save(
            qEnvironmentVariable("REDWIRE_SCREENSHOT_DIR") + QStringLiteral("/detail-msgpack.png"));

    // Raw: the bytes as they came, as a hex dump.
    QTest::mouseClick(window.get(), Qt::LeftButton, {}, sceneRect(item("rawButton")).center().toPoint());
    QTRY_VERIFY(detail->property("text").toString().startsWith(QStringLiteral("00000000  85 a6 73 65")));
    QTest::mouseClick(
        window.get(), Qt::LeftButton, {}, sceneRect(item("copyPayloadButton")).center().toPoint());
    QTRY_COMPARE(QGuiApplication::clipboard()->text(), QString::fromLatin1(messagePack.toHex()));
    QTest::mouseClick(window.get(), Qt::LeftButton, {}, sceneRect(item("prettyButton")).center().toPoint());
    QTRY_VERIFY(detail->property("text").toString().startsWith(QStringLiteral("{")));

    // JSON: keys in the order sent (QJsonDocument would sort "alpha" first).
    monitor.selectRow(1);
    QTRY_COMPARE(item("detailKind")->property("text").toString(), QStringLiteral("JSON"));
    QCOMPARE(detail->property("text").toString(),
        QStringLiteral("{\n    \"zone\": \"eu\",\n    \"alpha\": {\n        \"y\": 1,\n        \"b\": [\n"
                       "            true,\n            null\n        ]\n    },\n    \"count\": 2\n}"));
    if (qEnvironmentVariableIsSet("REDWIRE_SCREENSHOT_DIR"))
        window->grabWindow().save(
            qEnvironmentVariable("REDWIRE_SCREENSHOT_DIR") + QStringLiteral("/detail-json.png"));
    QTest::mouseClick(window.get(), Qt::LeftButton, {}, sceneRect(item("rawButton")).center().toPoint());
    QTRY_COMPARE(detail->property("text").toString(), QString::fromUtf8(json));
    QTest::mouseClick(
        window.get(), Qt::LeftButton, {}, sceneRect(item("copyPayloadButton")).center().toPoint());
    QTRY_COMPARE(QGuiApplication::clipboard()->text(), QString::fromUtf8(json));
    QTest::mouseClick(window.get(), Qt::LeftButton, {}, sceneRect(item("copyJsonButton")).center().toPoint());
    QTRY_VERIFY(QGuiApplication::clipboard()->text().startsWith(QStringLiteral("{\"time\":\"")));
    const QString asJson = QGuiApplication::clipboard()->text();
    QVERIFY2(asJson.contains(QStringLiteral(
                 "\"channel\":\"detail.json\",\"pattern\":\"detail.*\",\"size\":%1,\"payload\":")
                                 .arg(json.size())),
        qPrintable(asJson));
    QVERIFY(!asJson.endsWith(QLatin1Char('\n')));
    monitor.stop();
}

// Replay… in the overflow menu: the dialog takes a path, the recording is published over the
// monitor's own connection (and so comes back into the table), the footer shows the progress.
void TestMonitorPage::replayFromTheOverflowMenu()
{
    RedwireTest::RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Redwire::ConnectionOptions options;
    options.port = server.port();
    Redwire::MonitorController monitor;
    monitor.start(options);
    QVERIFY(monitor.addTopic(QStringLiteral("replayed.*")));
    std::unique_ptr<QQuickWindow> window = showPage(&monitor, QSize(800, 600));
    QVERIFY(window);
    auto *page = RedwireTest::monitorPageOf(window.get());
    auto item = [page](const char *name) { return page->findChild<QQuickItem *>(QLatin1String(name)); };
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(monitor.isConnected(), 10000);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rec.jsonl"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        R"({"time":"2024-05-01T12:34:56.000Z","channel":"replayed.a","pattern":null,"size":3,"payload":"one"})"
        "\n"
        R"({"event":"gap","time":"2024-05-01T12:34:56.100Z","since":"2024-05-01T12:34:56.050Z","reason":"r","cause":"killed","resumed":true})"
        "\n"
        R"({"time":"2024-05-01T12:34:56.200Z","channel":"replayed.b","pattern":null,"size":2,"payload_base64":"AP8="})"
        "\n");
    file.close();

    QTest::mouseClick(window.get(), Qt::LeftButton, {}, sceneRect(item("overflowButton")).center().toPoint());
    auto *menuItem = item("replayMenuItem");
    QVERIFY(menuItem);
    QTRY_VERIFY(menuItem->isVisible() && menuItem->property("enabled").toBool());
    QTest::mouseClick(window.get(), Qt::LeftButton, {}, sceneRect(menuItem).center().toPoint());
    auto *dialog = page->findChild<QObject *>(QStringLiteral("replayDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->property("opened").toBool());
    auto *pathField = dialog->findChild<QQuickItem *>(QStringLiteral("pathField"));
    QVERIFY(pathField);
    pathField->setProperty("text", path);
    QMetaObject::invokeMethod(dialog, "accept");

    QTRY_COMPARE_WITH_TIMEOUT(monitor.messages()->count(), 2, 10000);
    QTRY_VERIFY(!monitor.isReplaying());
    QCOMPARE(monitor.messages()
                 ->data(monitor.messages()->index(0), Redwire::MonitorMessageModel::ChannelRole)
                 .toString(),
        QStringLiteral("replayed.a"));
    QCOMPARE(monitor.messages()
                 ->data(monitor.messages()->index(1), Redwire::MonitorMessageModel::ChannelRole)
                 .toString(),
        QStringLiteral("replayed.b"));
    QVERIFY2(monitor.statusMessage().contains(QStringLiteral("2 published, 1 skipped, 0 malformed")),
        qPrintable(monitor.statusMessage()));
    QVERIFY(!item("stopReplayButton")->isVisible());
    monitor.stop();
}

// The footer's server totals read "1 channel", "1 pattern", not "1 channels" (with the app's English
// plural forms installed, as main.cpp does).
void TestMonitorPage::serverTotalsInEnglishPlurals()
{
    RedwireTest::RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Redwire::MonitorController monitor;
    // The footer counts what the server says.
    std::unique_ptr<QQuickWindow> window = showPolledPageInEnglish(&monitor, server);
    QVERIFY(window);
    auto *page = RedwireTest::monitorPageOf(window.get());
    QTRY_VERIFY_WITH_TIMEOUT(monitor.isConnected(), 10000);
    QVERIFY(monitor.addTopic(QStringLiteral("solo")));
    QVERIFY(monitor.addTopic(QStringLiteral("news.*")));
    auto *label = page->findChild<QQuickItem *>(QStringLiteral("serverLabel"));
    QVERIFY(label);
    QTRY_COMPARE_WITH_TIMEOUT(label->property("text").toString(),
        QStringLiteral("server: 1 channel (+1 Redwire internal), 1 pattern"), 20000);
    QVERIFY(monitor.addTopic(QStringLiteral("duo")));
    QVERIFY(monitor.addTopic(QStringLiteral("alerts.*")));
    QTRY_COMPARE_WITH_TIMEOUT(label->property("text").toString(),
        QStringLiteral("server: 2 channels (+1 Redwire internal), 2 patterns"), 20000);
    monitor.stop();
}

// The side panel's channel figures read "1 subscriber (by name)", not "1 subscribers".
void TestMonitorPage::channelSubscribersInEnglishPlurals()
{
    RedwireTest::RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Redwire::MonitorController monitor;
    std::unique_ptr<QQuickWindow> window = showPolledPageInEnglish(&monitor, server);
    QVERIFY(window);
    QTRY_VERIFY_WITH_TIMEOUT(monitor.isConnected(), 10000);
    QVERIFY(monitor.addTopic(QStringLiteral("solo"))); // our own subscriber: NUMSUB 1
    QTRY_VERIFY_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMSUB", "solo" }).endsWith("\n1"), 10000);
    QCOMPARE(server.cli({ "PUBLISH", "solo", "hello" }), QByteArray("1"));
    // The delegates' labels, found through the visual tree.
    std::function<void(QQuickItem *, QStringList &)> collect
        = [&collect](QQuickItem *item, QStringList &texts) {
              if (item->objectName() == QLatin1String("channelFigures"))
                  texts << item->property("text").toString();
              for (QQuickItem *child : item->childItems())
                  collect(child, texts);
          };
    auto figures = [&] {
        QStringList texts;
        collect(window->contentItem(), texts);
        return texts.join(QLatin1Char('|'));
    };
    QTRY_VERIFY2_WITH_TIMEOUT(figures().contains(QStringLiteral("· 1 total · 1 subscriber (by name)")),
        qPrintable(figures()), 10000);
    // A shard channel's subscribers are PUBSUB SHARDNUMSUB's (NUMSUB knows only classic ones):
    // the panel said "? subscribers" for it.
    QVERIFY(monitor.addShardChannel(QStringLiteral("orders:{eu}")));
    QTRY_VERIFY_WITH_TIMEOUT(server.cli({ "PUBSUB", "SHARDNUMSUB", "orders:{eu}" }).endsWith("\n1"), 10000);
    QCOMPARE(server.cli({ "SPUBLISH", "orders:{eu}", "hello" }), QByteArray("1"));
    QTRY_VERIFY2_WITH_TIMEOUT(
        figures().contains(QStringLiteral("· 1 total · 1 sharded subscriber")), qPrintable(figures()), 10000);
    monitor.stop();
}

int main(int argc, char **argv)
{
    // A frame the window asks for is drawn at the next turn of the event loop (the platform's
    // default is a 5 ms timer), and on this thread: idlePageDrawsNothingAfterAWrappingBurst
    // counts requested frames without waiting for time to pass.
    qputenv("QT_QPA_UPDATE_IDLE_TIME", "0");
    if (qEnvironmentVariableIsEmpty("QSG_RENDER_LOOP"))
        qputenv("QSG_RENDER_LOOP", "basic");
    QGuiApplication app(argc, argv);
    app.setAttribute(Qt::AA_Use96Dpi, true);
    TestMonitorPage test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_monitorpage.moc"
