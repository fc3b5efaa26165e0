#include "ConnectionOptions.h"

#include "private/ServerListUrl.h"

#include <QCoreApplication>
#include <QUrlQuery>

#include <algorithm>

namespace Redwire {

namespace {
QString invalidPort(const QString &port)
{
    return QCoreApplication::translate(
        "Redwire::ConnectionOptions", "Invalid port: %1 (a number from 1 to 65535)")
        .arg(port);
}

// The port part of a URL's authority ("redis://user@[::1]:6380/2" -> "6380"); empty when there is
// none.
QStringView portOf(QStringView url)
{
    const qsizetype schemeEnd = url.indexOf(u"://");
    if (schemeEnd <= 0)
        return {};
    QStringView authority = url.mid(schemeEnd + 3);
    const auto authorityEnd = std::find_if(
        authority.begin(), authority.end(), [](QChar c) { return c == u'/' || c == u'?' || c == u'#'; });
    authority = authority.left(authorityEnd - authority.begin());
    authority = authority.mid(authority.lastIndexOf(u'@') + 1);
    if (authority.startsWith(u'[')) {
        const qsizetype bracket = authority.indexOf(u']');
        if (bracket < 0)
            return {};
        authority = authority.mid(bracket + 1);
    }
    const qsizetype colon = authority.indexOf(u':');
    return colon < 0 ? QStringView() : authority.mid(colon + 1);
}
} // namespace

QString ServerAddress::displayName() const
{
    const QString hostPart
        = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return hostPart + QLatin1Char(':') + QString::number(port);
}

QString ConnectionOptions::serverDisplayName() const
{
    if (topology == Topology::Standalone)
        return endpointDisplayName();
    QStringList addresses;
    for (const ServerAddress &seed : seeds)
        addresses << seed.displayName();
    const QString user = username.isEmpty() ? QString() : username + QLatin1Char('@');
    if (topology == Topology::Cluster)
        return QStringLiteral("redis+cluster://") + user + addresses.join(QLatin1Char(','));
    return QStringLiteral("redis+sentinel://") + user + addresses.join(QLatin1Char(',')) + QLatin1Char('/')
        + sentinelMaster + (database != 0 ? QLatin1Char('/') + QString::number(database) : QString());
}

QString ConnectionOptions::accountScope() const
{
    QString where = unixSocket.isEmpty() ? QStringLiteral("%1:%2").arg(host).arg(port) : unixSocket;
    if (topology == Topology::Sentinel)
        where = QStringLiteral("sentinel:%1").arg(sentinelMaster);
    if (topology == Topology::Cluster) {
        // The seeds in any order name the same cluster (and the same identity in it).
        QStringList names;
        for (const ServerAddress &seed : seeds)
            names << seed.displayName();
        names.sort();
        names.removeDuplicates();
        where = QStringLiteral("cluster:%1").arg(names.join(QLatin1Char(',')));
    }
    return username + QLatin1Char('@') + where + QLatin1Char('/') + QString::number(database);
}

QString ConnectionOptions::endpointDisplayName() const
{
    if (!unixSocket.isEmpty())
        return QStringLiteral("unix:") + unixSocket;
    const QString hostPart
        = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return (tls.enabled ? QStringLiteral("tls://") : QString()) + hostPart + QLatin1Char(':')
        + QString::number(port);
}

ConnectionOptions ConnectionOptions::forServer(const ServerAddress &server) const
{
    ConnectionOptions result = *this;
    result.topology = Topology::Standalone;
    result.seeds.clear();
    result.sentinelMaster.clear();
    result.host = server.host;
    result.port = server.port;
    result.unixSocket.clear();
    return result;
}

QString ConnectionOptions::validate() const
{
    if (topology == Topology::Cluster) {
        if (seeds.isEmpty())
            return QCoreApplication::translate("Redwire::ConnectionOptions", "No cluster node given.");
        if (database != 0)
            return QCoreApplication::translate(
                "Redwire::ConnectionOptions", "Redis Cluster has database 0 only.");
    }
    if (topology != Topology::Standalone && discoveryTimeoutMs <= 0)
        return QCoreApplication::translate(
            "Redwire::ConnectionOptions", "The discovery timeout must be positive.");
    if (topology == Topology::Sentinel) {
        if (seeds.isEmpty())
            return QCoreApplication::translate("Redwire::ConnectionOptions", "No sentinel given.");
        if (sentinelMaster.isEmpty())
            return QCoreApplication::translate(
                "Redwire::ConnectionOptions", "No master name given for the sentinels.");
    }
    if (unixSocket.isEmpty() && host.isEmpty())
        return QCoreApplication::translate("Redwire::ConnectionOptions", "No host or socket given.");
    if (unixSocket.isEmpty() && port == 0)
        return QCoreApplication::translate("Redwire::ConnectionOptions", "Port 0 is not a valid port.");
    if (database < 0)
        return QCoreApplication::translate("Redwire::ConnectionOptions", "Database index %1 is negative.")
            .arg(database);
    if (clientName.contains(QLatin1Char(' ')) || clientName.contains(QLatin1Char('\n')))
        return QCoreApplication::translate(
            "Redwire::ConnectionOptions", "The client name must not contain spaces or newlines.");
    if (!username.isEmpty() && password.isEmpty())
        return QCoreApplication::translate("Redwire::ConnectionOptions", "A username needs a password.");
    if (connectTimeoutMs <= 0)
        return QCoreApplication::translate(
            "Redwire::ConnectionOptions", "The connect timeout must be positive.");
    if (commandTimeoutMs < 0 || heartbeatIntervalMs < 0)
        return QCoreApplication::translate("Redwire::ConnectionOptions", "Timeouts must not be negative.");
    if (reconnect.initialDelayMs <= 0 || reconnect.maxDelayMs < reconnect.initialDelayMs
        || reconnect.multiplier < 1.0 || reconnect.jitter < 0.0 || reconnect.jitter >= 1.0)
        return QCoreApplication::translate(
            "Redwire::ConnectionOptions", "The reconnect policy is not valid.");
    if (tls.enabled && !unixSocket.isEmpty())
        return QCoreApplication::translate(
            "Redwire::ConnectionOptions", "TLS over a Unix socket is not supported.");
    return {};
}

ConnectionOptions ConnectionOptions::fromUrl(const QUrl &url, QString *errorMessage)
{
    if (url.isValid() && ServerListUrl::handles(url.toString()))
        return fromUrl(url.toString(), errorMessage);
    auto fail = [&](const QString &message) {
        if (errorMessage)
            *errorMessage = message;
        return ConnectionOptions();
    };
    ConnectionOptions options;
    const QString scheme = url.scheme().toLower();
    if (!url.isValid()) {
        // QUrl appends its internals ("; source was ...; scheme = ..."): the reason is enough.
        const QString reason = url.errorString().section(QStringLiteral("; source was"), 0, 0);
        return fail(
            QCoreApplication::translate("Redwire::ConnectionOptions", "Not a valid URL: %1").arg(reason));
    }
    if (!url.password().isEmpty())
        return fail(QCoreApplication::translate("Redwire::ConnectionOptions",
            "Put no password in the URL; use REDWIRE_PASSWORD or the keychain instead."));

    const QUrlQuery query(url);
    if (scheme == QLatin1String("unix")) {
        options.unixSocket = url.path();
        if (options.unixSocket.isEmpty())
            return fail(
                QCoreApplication::translate("Redwire::ConnectionOptions", "The unix URL has no path."));
    } else if (scheme == QLatin1String("redis") || scheme == QLatin1String("rediss")) {
        options.tls.enabled = scheme == QLatin1String("rediss");
        if (!url.host().isEmpty())
            options.host = url.host();
        const int port = url.port(6379);
        if (port <= 0 || port > 65535)
            return fail(invalidPort(QString::number(port)));
        options.port = quint16(port);
        const QString path = url.path();
        if (path.size() > 1) {
            bool ok = false;
            options.database = path.mid(1).toInt(&ok);
            if (!ok || options.database < 0)
                return fail(QCoreApplication::translate(
                    "Redwire::ConnectionOptions", "The database must be a number: %1")
                                .arg(path.mid(1)));
        }
    } else {
        return fail(QCoreApplication::translate("Redwire::ConnectionOptions",
            "Unsupported URL scheme \"%1\" (use redis://, rediss://, unix://, redis+sentinel:// or "
            "redis+cluster://).")
                        .arg(url.scheme()));
    }
    options.username = url.userName();
    if (query.hasQueryItem(QStringLiteral("db"))) {
        bool ok = false;
        options.database = query.queryItemValue(QStringLiteral("db")).toInt(&ok);
        if (!ok || options.database < 0)
            return fail(QCoreApplication::translate(
                "Redwire::ConnectionOptions", "The db parameter must be a number."));
    }
    if (errorMessage)
        errorMessage->clear();
    return options;
}

ConnectionOptions ConnectionOptions::fromUrl(
    const QString &text, QString *errorMessage, QUrl::ParsingMode mode)
{
    if (ServerListUrl::handles(text)) {
        ConnectionOptions options;
        if (!ServerListUrl::parse(text, &options, errorMessage))
            return ConnectionOptions();
        return options;
    }
    // Nothing after the colon ("host:") is the default port, as QUrl has it.
    const QStringView port = portOf(text);
    if (!port.isEmpty()) {
        const bool digitsOnly
            = std::all_of(port.begin(), port.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
        const uint number = digitsOnly && port.size() <= 5 ? port.toUInt() : 0;
        if (number == 0 || number > 65535) {
            if (errorMessage)
                *errorMessage = invalidPort(port.toString());
            return ConnectionOptions();
        }
    }
    return fromUrl(QUrl(text, mode), errorMessage);
}

} // namespace Redwire
