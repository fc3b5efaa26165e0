#include "DesktopNotifier.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#if defined(REDWIRE_HAVE_DBUS)
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#endif

Q_LOGGING_CATEGORY(lcNotify, "redwire.notify")

namespace Redwire {

namespace {
#if defined(REDWIRE_HAVE_DBUS)
const QString Service = QStringLiteral("org.freedesktop.Notifications");
#else
Q_UNUSED(reach);
#endif
} // namespace

DesktopNotifier::DesktopNotifier(QObject *parent)
    : QObject(parent)
{
#if defined(REDWIRE_HAVE_DBUS)
    QDBusConnection bus = QDBusConnection::sessionBus();
    m_systemService
        = bus.isConnected() && bus.interface() && bus.interface()->isServiceRegistered(Service).value();
#endif
    qCDebug(lcNotify) << "system notification service:" << m_systemService;
}

void DesktopNotifier::notify(const QString &title, const QString &body, Reach reach)
{
    Q_EMIT notified(title, body);
#if defined(REDWIRE_HAVE_DBUS)
    if (!m_systemService || reach != Reach::Desktop)
        return;
    QDBusMessage call = QDBusMessage::createMethodCall(
        Service, QStringLiteral("/org/freedesktop/Notifications"), Service, QStringLiteral("Notify"));
    // Some services render a subset of HTML in the body: escape what a remote party wrote.
    call << QCoreApplication::applicationName() << uint(0) << QStringLiteral("redwire") << title
         << body.toHtmlEscaped().left(500) << QStringList() << QVariantMap() << int(-1);
    QDBusConnection::sessionBus().asyncCall(call);
#else
    Q_UNUSED(reach);
#endif
}

} // namespace Redwire
