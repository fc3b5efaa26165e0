#pragma once

#include <QObject>
#include <QString>

namespace Redwire {

// Desktop notifications: the freedesktop.org notification service over D-Bus where there is one
// (Linux desktops); elsewhere, or without a session bus, notified() alone lets the window show its
// own banner and ask for attention.
class DesktopNotifier : public QObject
{
    Q_OBJECT
public:
    explicit DesktopNotifier(QObject *parent = nullptr);

    // Window: only notified() (the window shows its banner). Desktop: the system's notification
    // service too, for a window in the background.
    enum class Reach { Window, Desktop };

    // Title and body are shown as plain text (markup is escaped for services that render it).
    void notify(const QString &title, const QString &body, Reach reach = Reach::Desktop);
    bool hasSystemService() const { return m_systemService; }

Q_SIGNALS:
    void notified(const QString &title, const QString &body);

private:
    bool m_systemService = false;
};

} // namespace Redwire
