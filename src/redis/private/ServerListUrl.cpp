#include "ServerListUrl.h"

#include <QCoreApplication>
#include <QUrl>

#include <algorithm>

namespace Redwire::ServerListUrl {

namespace {
const QLatin1String SentinelScheme("redis+sentinel://");
const QLatin1String ClusterScheme("redis+cluster://");
constexpr quint16 DefaultSentinelPort = 26379;
constexpr quint16 DefaultClusterPort = 6379;

// The translation context of this file's messages, for members and free functions alike.
struct ServerListUrlText
{
    Q_DECLARE_TR_FUNCTIONS(Redwire::ConnectionOptions)
};

bool isDigits(QStringView text)
{
    return !text.isEmpty()
        && std::all_of(text.begin(), text.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

// "host", "host:port", "[v6]" or "[v6]:port"; false with the reason.
bool parseAddress(QStringView text, quint16 defaultPort, ServerAddress *address, QString *error)
{
    QStringView host = text;
    QStringView port;
    if (text.startsWith(u'[')) {
        const qsizetype bracket = text.indexOf(u']');
        if (bracket < 0) {
            *error = ServerListUrlText::tr("Expected ']' to match '[' in %1").arg(text.toString());
            return false;
        }
        host = text.mid(1, bracket - 1);
        const QStringView rest = text.mid(bracket + 1);
        if (!rest.isEmpty() && !rest.startsWith(u':')) {
            *error = ServerListUrlText::tr("Not a server address: %1").arg(text.toString());
            return false;
        }
        port = rest.mid(1);
    } else if (const qsizetype colon = text.indexOf(u':'); colon >= 0) {
        host = text.left(colon);
        port = text.mid(colon + 1);
    }
    if (host.isEmpty()) {
        *error = ServerListUrlText::tr("An address in the list has no host: \"%1\"").arg(text.toString());
        return false;
    }
    if (std::any_of(host.begin(), host.end(), [](QChar c) { return c.isSpace() || c == u'@'; })) {
        *error = ServerListUrlText::tr("Not a host name: \"%1\"").arg(host.toString());
        return false;
    }
    address->host = host.toString();
    address->port = defaultPort;
    if (!port.isEmpty()) {
        const uint number = isDigits(port) && port.size() <= 5 ? port.toUInt() : 0;
        if (number == 0 || number > 65535) {
            *error
                = ServerListUrlText::tr("Invalid port: %1 (a number from 1 to 65535)").arg(port.toString());
            return false;
        }
        address->port = quint16(number);
    }
    return true;
}
} // namespace

bool handles(QStringView text)
{
    return text.startsWith(SentinelScheme, Qt::CaseInsensitive)
        || text.startsWith(ClusterScheme, Qt::CaseInsensitive);
}

bool parse(QStringView text, ConnectionOptions *options, QString *errorMessage)
{
    auto fail = [&](const QString &message) {
        if (errorMessage)
            *errorMessage = message;
        return false;
    };
    const bool sentinel = text.startsWith(SentinelScheme, Qt::CaseInsensitive);
    if (!sentinel && !text.startsWith(ClusterScheme, Qt::CaseInsensitive))
        return fail(ServerListUrlText::tr("Not a redis+sentinel:// or redis+cluster:// URL."));
    QStringView rest = text.mid(sentinel ? SentinelScheme.size() : ClusterScheme.size());
    if (rest.contains(u'?') || rest.contains(u'#'))
        return fail(
            ServerListUrlText::tr("This URL takes no ?query or #fragment: give the database as /db."));

    const qsizetype slash = rest.indexOf(u'/');
    QStringView authority = slash < 0 ? rest : rest.left(slash);
    const QStringView path = slash < 0 ? QStringView() : rest.mid(slash + 1);

    ConnectionOptions parsed;
    parsed.topology = sentinel ? Topology::Sentinel : Topology::Cluster;
    const qsizetype at = authority.lastIndexOf(u'@');
    if (at >= 0) {
        const QStringView userInfo = authority.left(at);
        if (userInfo.contains(u':'))
            return fail(ServerListUrlText::tr(
                "Put no password in the URL; use REDWIRE_PASSWORD or the keychain instead."));
        parsed.username = QUrl::fromPercentEncoding(userInfo.toUtf8());
        authority = authority.mid(at + 1);
    }
    if (authority.isEmpty())
        return fail(sentinel
                ? ServerListUrlText::tr("The sentinel URL names no sentinel: give host:port[,host:port...].")
                : ServerListUrlText::tr("The cluster URL names no node: give host:port[,host:port...]."));
    for (QStringView item : authority.split(u',')) {
        ServerAddress address;
        QString problem;
        if (item.isEmpty())
            return fail(ServerListUrlText::tr("An empty address in the list (two commas in a row?)."));
        if (!parseAddress(item, sentinel ? DefaultSentinelPort : DefaultClusterPort, &address, &problem))
            return fail(problem);
        if (!parsed.seeds.contains(address))
            parsed.seeds.append(address);
    }

    const QList<QStringView> parts = path.split(u'/');
    if (sentinel) {
        if (parts.isEmpty() || parts.first().isEmpty())
            return fail(ServerListUrlText::tr(
                "The sentinel URL names no master: add /<master-name> after the sentinels."));
        parsed.sentinelMaster = QUrl::fromPercentEncoding(parts.first().toUtf8());
        if (parts.size() > 2 || (parts.size() == 2 && !parts.at(1).isEmpty() && !isDigits(parts.at(1))))
            return fail(ServerListUrlText::tr("After the master name only a database number may follow: /%1")
                            .arg(path.toString()));
        if (parts.size() == 2 && !parts.at(1).isEmpty()) {
            bool ok = false;
            parsed.database = parts.at(1).toInt(&ok);
            if (!ok)
                return fail(
                    ServerListUrlText::tr("The database must be a number: %1").arg(parts.at(1).toString()));
        }
    } else if (!path.isEmpty()) {
        return fail(ServerListUrlText::tr("A cluster has only database 0: remove /%1 from the URL.")
                        .arg(path.toString()));
    }
    // Until a sentinel names the master, the first seed stands in for it (messages, validation).
    parsed.host = parsed.seeds.first().host;
    parsed.port = parsed.seeds.first().port;
    *options = parsed;
    if (errorMessage)
        errorMessage->clear();
    return true;
}

} // namespace Redwire::ServerListUrl
