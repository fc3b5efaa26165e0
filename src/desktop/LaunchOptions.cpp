#include "LaunchOptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace Redwire {

namespace {
// The translation context of this file's messages, for members and free functions alike.
struct LaunchOptionsText
{
    Q_DECLARE_TR_FUNCTIONS(Redwire::LaunchOptions)
};

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(LaunchOptionsText::tr("Redwire: chat over Redis Pub/Sub."));
    parser.addPositionalArgument(QStringLiteral("url"),
        LaunchOptionsText::tr("Server to connect to: redis://[user@]host[:port][/db], "
                              "rediss://... for TLS, or unix:///path/to/socket."),
        QStringLiteral("[url]"));
    parser.addOption(
        { QStringLiteral("nick"), LaunchOptionsText::tr("Your nickname."), LaunchOptionsText::tr("name") });
    parser.addOption({ QStringLiteral("room"), LaunchOptionsText::tr("A room to open (repeatable)."),
        LaunchOptionsText::tr("name") });
    parser.addOption(
        { QStringLiteral("monitor"), LaunchOptionsText::tr("Open the channel monitor once connected.") });
    parser.addHelpOption();
    parser.addVersionOption();
}
} // namespace

LaunchOptions LaunchOptions::parse(const QStringList &arguments, const QString &passwordFromEnvironment)
{
    LaunchOptions result;
    QCommandLineParser parser;
    addOptions(parser);
    if (!parser.parse(arguments)) {
        result.error = parser.errorText();
        return result;
    }
    result.showHelp = parser.isSet(QStringLiteral("help"));
    result.showVersion = parser.isSet(QStringLiteral("version"));
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        result.error = LaunchOptionsText::tr("Give at most one server URL.");
        return result;
    }
    if (!positional.isEmpty()) {
        QString error;
        result.connection = ConnectionOptions::fromUrl(positional.first(), &error, QUrl::StrictMode);
        if (!error.isEmpty()) {
            result.error = error;
            return result;
        }
        result.hasServer = true;
        result.connection.password = passwordFromEnvironment;
    }
    result.nickname = parser.value(QStringLiteral("nick")).trimmed();
    result.openMonitor = parser.isSet(QStringLiteral("monitor"));
    for (const QString &room : parser.values(QStringLiteral("room"))) {
        const QString name = room.trimmed();
        if (name.isEmpty() || name.contains(QLatin1Char('\n'))) {
            result.error = LaunchOptionsText::tr("Not a room name: \"%1\".").arg(room);
            return result;
        }
        if (!result.rooms.contains(name))
            result.rooms << name;
    }
    return result;
}

QString LaunchOptions::helpText()
{
    QCommandLineParser parser;
    addOptions(parser);
    // Shown before any QCoreApplication exists, when Qt does not know the program's name.
    return parser.helpText().replace(QStringLiteral("<executable_name>"), QStringLiteral("redwire"));
}

} // namespace Redwire
