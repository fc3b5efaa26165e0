// The monitor page through Sentinel, in a real window: a MonitorController started with a
// redis+sentinel:// address against a real Sentinel setup. Across SENTINEL FAILOVER the page shows
// the sentinels' events (+switch-master in the footer), says it follows the master, marks the
// move as a gap row, and messages published to the new master appear in the table.
#include "models/MonitorController.h"
#include "monitor/MonitorMessageModel.h"

#include "SentinelSetup.h"

#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

#include <memory>

Q_IMPORT_QML_PLUGIN(Redwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Redwire_UiPlugin)

using namespace Redwire;
using RedwireTest::SentinelSetup;

class TestMonitorSentinel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void pageShowsTheFailover();

private:
    QQmlEngine m_engine;
};

void TestMonitorSentinel::initTestCase()
{
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    m_engine.addImportPath(QStringLiteral("qrc:/"));
}

void TestMonitorSentinel::pageShowsTheFailover()
{
    SentinelSetup setup;
    QVERIFY2(setup.start(), qPrintable(setup.errorString()));
    const quint16 oldPort = setup.server(0).port();
    MonitorController monitor;
    QString error;
    monitor.start(ConnectionOptions::fromUrl(setup.url(), &error));
    QCOMPARE(error, QString());
    QVERIFY(monitor.addTopic(QStringLiteral("news")));

    QQmlComponent component(&m_engine);
    component.setData("import QtQuick\nimport Redwire.Ui\nimport Redwire.Models\n"
                      "Window { id: window; required property MonitorController monitor\n"
                      "visible: true; width: 1000; height: 600\n"
                      "MonitorPage { anchors.fill: parent; monitor: window.monitor } }",
        QUrl(QStringLiteral("qrc:/tst_monitorsentinel.qml")));
    std::unique_ptr<QObject> object(component.createWithInitialProperties(
        { { QStringLiteral("monitor"), QVariant::fromValue(&monitor) } }));
    QVERIFY2(object, qPrintable(component.errorString()));
    auto *window = qobject_cast<QQuickWindow *>(object.get());
    QVERIFY(window && QTest::qWaitForWindowExposed(window));
    auto *sentinelLabel = window->findChild<QQuickItem *>(QStringLiteral("sentinelLabel"));
    QVERIFY(sentinelLabel);

    QTRY_VERIFY_WITH_TIMEOUT(monitor.isConnected(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(
        setup.server(0).cli({ "PUBSUB", "NUMSUB", "news" }), QByteArray("news\n1"), 20000);
    setup.server(0).cli({ "PUBLISH", "news", "before" });
    QTRY_COMPARE_WITH_TIMEOUT(monitor.messages()->count(), 1, 20000);
    QVERIFY(!sentinelLabel->isVisible());

    QVERIFY2(setup.forceFailover(), qPrintable(setup.errorString()));
    const quint16 newPort = setup.waitForNewMaster(oldPort);
    QVERIFY(newPort != 0);
    QTRY_VERIFY_WITH_TIMEOUT(sentinelLabel->isVisible(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        monitor.sentinelEvents().join(QLatin1Char('\n')).contains(QStringLiteral("+switch-master mymaster")),
        20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        sentinelLabel->property("text").toString().startsWith(QStringLiteral("Sentinel: ")), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        monitor.statusMessage().contains(QStringLiteral("Following the master to 127.0.0.1:%1").arg(newPort))
            || monitor.gapCount() > 0,
        20000);
    QTRY_COMPARE_WITH_TIMEOUT(monitor.gapCount(), 1, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(
        setup.serverOnPort(newPort)->cli({ "PUBSUB", "NUMSUB", "news" }), QByteArray("news\n1"), 20000);
    setup.serverOnPort(newPort)->cli({ "PUBLISH", "news", "after" });
    // The message before, the gap row, the message after.
    QTRY_COMPARE_WITH_TIMEOUT(monitor.messages()->count(), 3, 20000);
    const QModelIndex gap = monitor.messages()->index(1, 0);
    QVERIFY(monitor.messages()->data(gap, MonitorMessageModel::GapRole).toBool());

    if (!qEnvironmentVariableIsEmpty("REDWIRE_SCREENSHOT_DIR"))
        window->grabWindow().save(
            qEnvironmentVariable("REDWIRE_SCREENSHOT_DIR") + QStringLiteral("/monitor-sentinel.png"));
}

QTEST_MAIN(TestMonitorSentinel)
#include "tst_monitorsentinel.moc"
