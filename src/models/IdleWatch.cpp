#include "IdleWatch.h"

#include <QCoreApplication>
#include <QEvent>

namespace Redwire {

IdleWatch::IdleWatch(int idleAfterMs, QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(qMax(1, idleAfterMs));
    connect(&m_timer, &QTimer::timeout, this, [this] { setIdle(true); });
    m_timer.start();
    if (QCoreApplication *app = QCoreApplication::instance())
        app->installEventFilter(this);
}

void IdleWatch::setWindowActive(bool active)
{
    if (active == m_windowActive)
        return;
    m_windowActive = active;
    // Leaving the window is no activity: the time since the last input goes on counting.
    if (active)
        activity();
}

bool IdleWatch::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
    case QEvent::TabletPress:
        // Hovering over a window in the background is not using it.
        if (m_windowActive)
            activity();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

void IdleWatch::activity()
{
    m_timer.start();
    setIdle(false);
}

void IdleWatch::setIdle(bool idle)
{
    if (idle == m_idle)
        return;
    m_idle = idle;
    Q_EMIT idleChanged(idle);
}

} // namespace Redwire
