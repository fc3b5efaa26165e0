#pragma once

#include <QObject>
#include <QTimer>

namespace Redwire {

// Whether the user is away from the app: no keyboard, mouse, wheel or touch input to its windows
// for `idleAfterMs`, or its window inactive that long. Input (to an active window) or the window
// becoming active makes them back at once. Watches the application's events (an event filter).
class IdleWatch : public QObject
{
    Q_OBJECT
public:
    explicit IdleWatch(int idleAfterMs, QObject *parent = nullptr);

    bool isIdle() const { return m_idle; }
    void setWindowActive(bool active);

Q_SIGNALS:
    void idleChanged(bool idle);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void activity();
    void setIdle(bool idle);

    QTimer m_timer;
    bool m_idle = false;
    bool m_windowActive = true;
};

} // namespace Redwire
