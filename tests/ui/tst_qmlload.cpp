// Every view in Redwire.Ui compiles and instantiates against the real C++ types, with no QML
// warning: the cheapest guard against a typo that would leave a page blank at run time.
#include "models/ChatController.h"
#include "models/ChatSettings.h"
#include "models/ConnectionController.h"
#include "models/MonitorController.h"
#include "monitor/MonitorMessageModel.h"

#include "RedisServerProcess.h"

#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QScreen>
#include <QSettings>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Redwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Redwire_UiPlugin)

class TestQmlLoad : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void loads_data();
    void loads();
    void chatPageShowsLiveMessages();
    void windowSavedOffScreenComesBack();
    void monitorPageShowsTraffic();
    void monitorPageShowsAGap();
    void monitorSelectionAndFilterAreTheUsers();

private:
    QQmlEngine m_engine;
    QList<QQmlError> m_warnings;
};

void TestQmlLoad::init()
{
    // Qt prints this (not as a QML warning) when a view cannot create its delegate or header.
    QTest::failOnWarning(QRegularExpression(QStringLiteral("Component is not ready")));
}

void TestQmlLoad::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("RedwireTests"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("tests.redwire.invalid"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_qmlload"));
    m_engine.addImportPath(QStringLiteral("qrc:/"));
    qmlRegisterSingletonInstance(
        "Redwire.Models", 1, 0, "Connection", new Redwire::ConnectionController(this));
    qmlRegisterSingletonInstance("Redwire.Models", 1, 0, "Chat", new Redwire::ChatController({}, this));
    qmlRegisterSingletonInstance("Redwire.Models", 1, 0, "Monitor", new Redwire::MonitorController(this));
    qmlRegisterSingletonInstance("Redwire.Models", 1, 0, "Preferences", new Redwire::ChatSettings(this));
    connect(&m_engine, &QQmlEngine::warnings, this,
        [this](const QList<QQmlError> &warnings) { m_warnings << warnings; });
}

void TestQmlLoad::loads_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::newRow("ConnectPage") << QByteArray("ConnectPage {}");
    QTest::newRow("ChatPage") << QByteArray(
        "ChatPage { chat: Chat; preferences: Preferences; width: 900; height: 600 }");
    QTest::newRow("AboutDialog") << QByteArray("AboutDialog {}");
    QTest::newRow("Toast") << QByteArray("Toast {}");
    QTest::newRow("MonitorPage") << QByteArray("MonitorPage { monitor: Monitor; width: 1000; height: 700 }");
    QTest::newRow("Main window") << QByteArray("Main { visible: false }");
}

void TestQmlLoad::loads()
{
    QFETCH(QByteArray, source);
    m_warnings.clear();
    QQmlComponent component(&m_engine);
    component.setData("import QtQuick\nimport Redwire.Ui\nimport Redwire.Models\n" + source,
        QUrl(QStringLiteral("qrc:/probe.qml")));
    QVERIFY2(component.isReady(), qPrintable(component.errorString()));
    std::unique_ptr<QObject> object(component.create());
    QVERIFY2(object, qPrintable(component.errorString()));
    QTest::qWait(50);
    QStringList texts;
    for (const QQmlError &warning : std::as_const(m_warnings))
        texts << warning.toString();
    QVERIFY2(m_warnings.isEmpty(), qPrintable(texts.join(QLatin1Char('\n'))));
}

// The chat page against a real server: a message published with redis-cli shows up as a row of
// the message view, and the page loads without a warning.
void TestQmlLoad::chatPageShowsLiveMessages()
{
    RedwireTest::RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Redwire::ConnectionOptions options;
    options.port = server.port();
    Redwire::ChatController chat;
    chat.start(options, QStringLiteral("alice"), { QStringLiteral("chat") });
    QVERIFY(chat.isStarted());
    m_warnings.clear();
    QQmlComponent component(&m_engine);
    component.setData("import QtQuick\nimport Redwire.Ui\nimport Redwire.Models\n"
                      "ChatPage { width: 900; height: 600; preferences: Preferences }",
        QUrl(QStringLiteral("qrc:/probe2.qml")));
    QVERIFY2(component.isReady(), qPrintable(component.errorString()));
    std::unique_ptr<QObject> page(
        component.createWithInitialProperties({ { QStringLiteral("chat"), QVariant::fromValue(&chat) } }));
    QVERIFY2(page, qPrintable(component.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(chat.connectionState(), Redwire::RedisClient::ClientState::Connected, 10000);
    QCOMPARE(chat.currentRoom(), QStringLiteral("chat"));
    QTRY_VERIFY_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMSUB", "chat" }).endsWith("1"), 10000);
    QCOMPARE(server.cli({ "PUBLISH", "chat", "hello from redis-cli" }), QByteArray("1"));
    auto *view = page->findChild<QQuickItem *>(QStringLiteral("messageView"));
    QVERIFY(view);
    // Our own join notice, then the external message at the bottom.
    Redwire::MessageListModel *messages = chat.messages();
    auto lastRow = [messages](int role) {
        return messages->rowCount() > 0 ? messages->data(messages->index(messages->rowCount() - 1), role)
                                        : QVariant();
    };
    QTRY_COMPARE_WITH_TIMEOUT(lastRow(Redwire::MessageListModel::PlainTextRole).toString(),
        QStringLiteral("hello from redis-cli"), 5000);
    QCOMPARE(lastRow(Redwire::MessageListModel::ExternalRole).toBool(), true);
    QCOMPARE(view->property("count").toInt(), messages->rowCount());
    QStringList texts;
    for (const QQmlError &warning : std::as_const(m_warnings))
        texts << warning.toString();
    QVERIFY2(m_warnings.isEmpty(), qPrintable(texts.join(QLatin1Char('\n'))));
    chat.stop();
}

// A window position saved on a screen that is gone is brought back onto one.
void TestQmlLoad::windowSavedOffScreenComesBack()
{
    {
        QSettings settings;
        settings.setValue(QStringLiteral("window/x"), -6000);
        settings.setValue(QStringLiteral("window/y"), 9000);
        settings.setValue(QStringLiteral("window/width"), 1100);
        settings.setValue(QStringLiteral("window/height"), 720);
    }
    QQmlComponent component(&m_engine);
    component.setData("import QtQuick\nimport Redwire.Ui\nMain { visible: false }",
        QUrl(QStringLiteral("qrc:/probe4.qml")));
    std::unique_ptr<QObject> window(component.create());
    QVERIFY2(window, qPrintable(component.errorString()));
    QScreen *screen = QGuiApplication::primaryScreen();
    QVERIFY(screen);
    const QRect available = screen->virtualGeometry();
    QTRY_VERIFY(available.intersects(QRect(window->property("x").toInt(), window->property("y").toInt(),
        window->property("width").toInt(), window->property("height").toInt())));
    QVERIFY(window->property("x").toInt() >= available.left());
    QVERIFY(window->property("y").toInt() >= available.top());
    QSettings().remove(QStringLiteral("window"));
}

// The monitor page against a real server: published messages fill the table and the channel
// statistics; pause holds them back and resume lets them in.
void TestQmlLoad::monitorPageShowsTraffic()
{
    RedwireTest::RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Redwire::ConnectionOptions options;
    options.port = server.port();
    Redwire::MonitorController monitor;
    monitor.start(options);
    QVERIFY(monitor.addTopic(QStringLiteral("orders.*")));
    m_warnings.clear();
    QQmlComponent component(&m_engine);
    component.setData("import QtQuick\nimport Redwire.Ui\nMonitorPage { width: 1000; height: 700 }",
        QUrl(QStringLiteral("qrc:/probe3.qml")));
    std::unique_ptr<QObject> page(component.createWithInitialProperties(
        { { QStringLiteral("monitor"), QVariant::fromValue(&monitor) } }));
    QVERIFY2(page, qPrintable(component.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(monitor.isConnected(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"), 10000);
    QCOMPARE(server.cli({ "PUBLISH", "orders.eu", "{\"id\": 1}" }), QByteArray("1"));
    QCOMPARE(server.cli({ "PUBLISH", "orders.us", "two" }), QByteArray("1"));
    auto *table = page->findChild<QQuickItem *>(QStringLiteral("messageTable"));
    QVERIFY(table);
    QTRY_COMPARE_WITH_TIMEOUT(table->property("count").toInt(), 2, 5000);
    QCOMPARE(monitor.payloadKind(0), QStringLiteral("json"));
    QVERIFY(monitor.payloadDetail(0).contains(QStringLiteral("\"id\": 1")));
    QTRY_VERIFY_WITH_TIMEOUT(monitor.statistics()->rowCount() >= 2, 5000);

    monitor.setPaused(true);
    QCOMPARE(server.cli({ "PUBLISH", "orders.eu", "held" }), QByteArray("1"));
    QTRY_COMPARE_WITH_TIMEOUT(monitor.heldCount(), 1, 5000);
    QCOMPARE(table->property("count").toInt(), 2);
    monitor.setPaused(false);
    QTRY_COMPARE_WITH_TIMEOUT(table->property("count").toInt(), 3, 5000);

    QStringList texts;
    for (const QQmlError &warning : std::as_const(m_warnings))
        texts << warning.toString();
    QVERIFY2(m_warnings.isEmpty(), qPrintable(texts.join(QLatin1Char('\n'))));
    monitor.stop();
}

namespace {
QList<QQuickItem *> itemsNamed(QQuickItem *root, const QString &name)
{
    QList<QQuickItem *> found;
    const QList<QQuickItem *> children = root->childItems();
    for (QQuickItem *child : children) {
        if (child->objectName() == name)
            found << child;
        found << itemsNamed(child, name);
    }
    return found;
}
} // namespace

// A killed subscriber on the monitor page: a gap row between the messages, drawn as a gap, and a
// footer that no longer says "0 dropped" as if nothing had been lost.
void TestQmlLoad::monitorPageShowsAGap()
{
    RedwireTest::RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Redwire::ConnectionOptions options;
    options.port = server.port();
    options.reconnect.initialDelayMs = 50;
    Redwire::MonitorController monitor;
    monitor.start(options);
    QVERIFY(monitor.addTopic(QStringLiteral("orders"), true));
    m_warnings.clear();
    QQmlComponent component(&m_engine);
    // In a window, so that the table is laid out and its delegates exist.
    component.setData("import QtQuick\nimport Redwire.Ui\nimport Redwire.Models\n"
                      "Window { id: window; required property MonitorController monitor\n"
                      "property alias page: page; width: 1000; height: 700; visible: true\n"
                      "MonitorPage { id: page; anchors.fill: parent; monitor: window.monitor } }",
        QUrl(QStringLiteral("qrc:/probe5.qml")));
    std::unique_ptr<QObject> window(component.createWithInitialProperties(
        { { QStringLiteral("monitor"), QVariant::fromValue(&monitor) } }));
    QVERIFY2(window, qPrintable(component.errorString()));
    auto *page = window->property("page").value<QQuickItem *>();
    QVERIFY(page);
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMSUB", "orders" }), QByteArray("orders\n1"), 10000);
    QCOMPARE(server.cli({ "PUBLISH", "orders", "one" }), QByteArray("1"));
    auto *table = page->findChild<QQuickItem *>(QStringLiteral("messageTable"));
    auto *dropped = page->findChild<QObject *>(QStringLiteral("droppedLabel"));
    QVERIFY(table && dropped);
    QTRY_COMPARE_WITH_TIMEOUT(table->property("count").toInt(), 1, 5000);
    QCOMPARE(dropped->property("text").toString(), QStringLiteral("0 dropped"));

    QCOMPARE(server.cli({ "CLIENT", "KILL", "TYPE", "pubsub" }), QByteArray("1"));
    QTRY_COMPARE_WITH_TIMEOUT(monitor.gapCount(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(table->property("count").toInt(), 2, 5000);
    QVERIFY(monitor.messages()
                ->data(monitor.messages()->index(1), Redwire::MonitorMessageModel::GapRole)
                .toBool());
    QCOMPARE(
        dropped->property("text").toString(), QStringLiteral("0 dropped, more possibly missed in 1 gap(s)"));
    QVERIFY(monitor.statusMessage().contains(QLatin1String("may be missing")));
    QVERIFY(!monitor.isSubscriptionInterrupted());
    // The gap row only, not the message row; delegates settle over a frame or two.
    const auto visibleGapLabels = [&] {
        QStringList texts;
        for (QQuickItem *label : itemsNamed(table, QStringLiteral("gapLabel")))
            if (label->isVisible())
                texts << label->property("text").toString();
        return texts;
    };
    QTRY_COMPARE_WITH_TIMEOUT(visibleGapLabels().size(), 1, 5000);
    QVERIFY2(
        visibleGapLabels().first().contains(QLatin1String("Gap")), qPrintable(visibleGapLabels().first()));

    QStringList texts;
    for (const QQmlError &warning : std::as_const(m_warnings))
        texts << warning.toString();
    QVERIFY2(m_warnings.isEmpty(), qPrintable(texts.join(QLatin1Char('\n'))));
    monitor.stop();
}

// The detail pane keeps the message the user clicked while newer messages push it out of the
// buffer; a filter hides rows without dropping them ("N of M shown"), and clearing it shows all.
void TestQmlLoad::monitorSelectionAndFilterAreTheUsers()
{
    RedwireTest::RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Redwire::ConnectionOptions options;
    options.port = server.port();
    Redwire::MonitorController monitor;
    monitor.start(options);
    monitor.monitor()->setBufferCapacity(5); // below what the page offers, to see messages leave
    QVERIFY(monitor.addTopic(QStringLiteral("*")));
    QQmlComponent component(&m_engine);
    component.setData("import QtQuick\nimport Redwire.Ui\nimport Redwire.Models\n"
                      "Window { id: window; required property MonitorController monitor\n"
                      "property alias page: page; width: 1000; height: 700; visible: true\n"
                      "MonitorPage { id: page; anchors.fill: parent; monitor: window.monitor } }",
        QUrl(QStringLiteral("qrc:/probe6.qml")));
    std::unique_ptr<QObject> window(component.createWithInitialProperties(
        { { QStringLiteral("monitor"), QVariant::fromValue(&monitor) } }));
    QVERIFY2(window, qPrintable(component.errorString()));
    auto *quickWindow = qobject_cast<QQuickWindow *>(window.get());
    QVERIFY(quickWindow && QTest::qWaitForWindowExposed(quickWindow));
    auto *page = window->property("page").value<QQuickItem *>();
    auto *table = page->findChild<QQuickItem *>(QStringLiteral("messageTable"));
    auto *detail = page->findChild<QQuickItem *>(QStringLiteral("payloadDetail"));
    auto *shown = page->findChild<QObject *>(QStringLiteral("shownLabel"));
    QVERIFY(table && detail && shown);
    QTRY_COMPARE_WITH_TIMEOUT(server.cli({ "PUBSUB", "NUMPAT" }), QByteArray("1"), 10000);
    for (const char *payload : { "m0", "m1", "m2" })
        QCOMPARE(server.cli({ "PUBLISH", "chat", payload }), QByteArray("1"));
    QTRY_COMPARE_WITH_TIMEOUT(table->property("count").toInt(), 3, 5000);

    // Click the second row.
    const QPointF inTable = table->mapToScene(QPointF(40, 22 * 1 + 11));
    QTest::mouseClick(quickWindow, Qt::LeftButton, {}, inTable.toPoint());
    QTRY_COMPARE(detail->property("text").toString(), QStringLiteral("m1"));
    QVERIFY(monitor.selectedTitle().contains(QLatin1String("chat")));

    // Newer messages push it out of the buffer (capacity 5): the pane still shows it.
    for (const char *payload : { "m3", "m4", "m5", "m6", "m7" })
        QCOMPARE(server.cli({ "PUBLISH", "chat", payload }), QByteArray("1"));
    QTRY_COMPARE_WITH_TIMEOUT(
        monitor.messages()
            ->data(monitor.messages()->index(0), Redwire::MonitorMessageModel::PreviewRole)
            .toString(),
        QStringLiteral("m3"), 5000);
    QCOMPARE(detail->property("text").toString(), QStringLiteral("m1"));
    QCOMPARE(monitor.messages()->rowOfPosition(qint64(monitor.selectedPosition())), -1);

    // A filter hides rows; the buffer keeps them.
    QCOMPARE(server.cli({ "PUBLISH", "other", "o1" }), QByteArray("1"));
    QTRY_COMPARE(table->property("count").toInt(), 5);
    auto *channelFilter = page->findChild<QQuickItem *>(QStringLiteral("channelFilter"));
    QVERIFY(channelFilter);
    channelFilter->setProperty("text", QStringLiteral("other"));
    QTRY_COMPARE(table->property("count").toInt(), 1);
    QCOMPARE(shown->property("text").toString(), QStringLiteral("1 of 5 shown"));
    QCOMPARE(server.cli({ "PUBLISH", "chat", "m8" }), QByteArray("1"));
    // Pushed out by capacity (m0 ... m4), none by the filter.
    QTRY_COMPARE(monitor.droppedCount(), qulonglong(5));
    QTRY_COMPARE(shown->property("text").toString(), QStringLiteral("1 of 5 shown"));
    channelFilter->setProperty("text", QString());
    QTRY_COMPARE(table->property("count").toInt(), 5);
    QCOMPARE(shown->property("text").toString(), QStringLiteral("5 in buffer"));
    QCOMPARE(monitor.messages()
                 ->data(monitor.messages()->index(4), Redwire::MonitorMessageModel::PreviewRole)
                 .toString(),
        QStringLiteral("m8"));
    monitor.stop();
}

QTEST_MAIN(TestQmlLoad)
#include "tst_qmlload.moc"
