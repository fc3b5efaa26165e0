// Every view in Redwire.Ui compiles and instantiates against the real C++ types, with no QML
// warning: the cheapest guard against a typo that would leave a page blank at run time.
#include "models/ChatController.h"
#include "models/ChatSettings.h"
#include "models/ConnectionController.h"
#include "models/MonitorController.h"

#include "RedisServerProcess.h"

#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
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
    QTRY_COMPARE_WITH_TIMEOUT(chat.connectionState(), QStringLiteral("Connected"), 10000);
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

QTEST_MAIN(TestQmlLoad)
#include "tst_qmlload.moc"
