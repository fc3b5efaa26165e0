#include "MonitorPageWindow.h"

#include "RedisServerProcess.h"

#include "models/MonitorController.h"

#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>

namespace RedwireTest {

std::unique_ptr<QQuickWindow> showMonitorPage(
    QQmlEngine &engine, Redwire::MonitorController *monitor, QSize size)
{
    QQmlComponent component(&engine);
    component.setData("import QtQuick\nimport Redwire.Ui\nimport Redwire.Models\n"
                      "Window { id: window; required property MonitorController monitor\n"
                      "property alias page: page; visible: true\n"
                      "MonitorPage { id: page; anchors.fill: parent; monitor: window.monitor } }",
        QUrl(QStringLiteral("qrc:/monitorpagewindow.qml")));
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

QQuickItem *monitorPageOf(const QQuickWindow *window)
{
    return window ? window->property("page").value<QQuickItem *>() : nullptr;
}

bool subscribePatternAndWait(
    Redwire::MonitorController &monitor, RedisServerProcess &server, const QString &pattern)
{
    if (!monitor.addTopic(pattern))
        return false;
    return QTest::qWaitFor([&] { return server.cli({ "PUBSUB", "NUMPAT" }) == "1"; }, 20000);
}

} // namespace RedwireTest
