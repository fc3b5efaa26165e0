#pragma once

// MonitorPage.qml in a window of its own over a MonitorController: what the monitor UI tests show
// and look at.
#include <QSize>
#include <QString>

#include <memory>

class QQmlEngine;
class QQuickItem;
class QQuickWindow;

namespace Redwire {
class MonitorController;
} // namespace Redwire

namespace RedwireTest {

class RedisServerProcess;

// The page filling a window of `size`, shown and exposed; nullptr (and a warning) when it failed.
// The page is the window's "page" property (monitorPageOf).
std::unique_ptr<QQuickWindow> showMonitorPage(
    QQmlEngine &engine, Redwire::MonitorController *monitor, QSize size);
QQuickItem *monitorPageOf(const QQuickWindow *window);

// Subscribes the monitor to a pattern and waits until the server has it (the only pattern there).
bool subscribePatternAndWait(
    Redwire::MonitorController &monitor, RedisServerProcess &server, const QString &pattern);

} // namespace RedwireTest
