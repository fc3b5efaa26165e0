#pragma once

#include "monitor/KeyspaceNotificationConfig.h"
#include "monitor/SlowSubscriberWatch.h"

#include <QObject>
#include <QtQml/qqml.h> // QML_FOREIGN needs more than qqmlregistration.h

// src/monitor is no QML module (the command-line tool uses it without QtQml): the enums of its
// classes that MonitorController's properties carry reach QML here, under the classes' own names,
// so that QML compares `Monitor.slowSubscriberLevel === SlowSubscriberWatch.Warning`.
namespace Redwire::MonitorQmlTypes {

struct SlowSubscriberWatchForeign
{
    Q_GADGET
    QML_FOREIGN(Redwire::SlowSubscriberWatch)
    QML_NAMED_ELEMENT(SlowSubscriberWatch)
    QML_UNCREATABLE("Owned by the monitor")
};

struct KeyspaceNotificationConfigForeign
{
    Q_GADGET
    QML_FOREIGN(Redwire::KeyspaceNotificationConfig)
    QML_NAMED_ELEMENT(KeyspaceNotificationConfig)
    QML_UNCREATABLE("Owned by the monitor")
};

} // namespace Redwire::MonitorQmlTypes
