#include "MonitorCommandLine.h"

#include "monitor/MessageFilter.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cmath>

using Redwire::ConnectionOptions;
using Redwire::MessageFormatter;

namespace {

// A positive number of seconds ("2", "0.5"), in milliseconds; -1 when it is not one.
qint64 secondsToMs(const QString &text)
{
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (!ok || !std::isfinite(seconds) || seconds <= 0 || seconds > 365.0 * 24 * 3600)
        return -1;
    return qMax<qint64>(1, qint64(std::llround(seconds * 1000)));
}

// --keyspace takes an optional key pattern, which QCommandLineParser cannot express: a bare
// --keyspace (last, or followed by another option) becomes --keyspace=*.
QStringList withKeyspaceValues(const QStringList &arguments)
{
    QStringList result;
    result.reserve(arguments.size());
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == QLatin1String("--"))
            return result + arguments.mid(i);
        const bool bare = argument == QLatin1String("--keyspace")
            && (i + 1 >= arguments.size() || arguments.at(i + 1).startsWith(QLatin1Char('-')));
        result.append(bare ? QStringLiteral("--keyspace=*") : argument);
    }
    return result;
}

} // namespace

MonitorCommandLine::Outcome MonitorCommandLine::parse(
    const QStringList &arguments, const QString &environmentPassword)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Watches Redis Pub/Sub traffic: subscribes to patterns (default: *) and channels and prints "
           "every message.\n"
           "The password comes from the REDWIRE_PASSWORD environment variable or --askpass.\n"
           "Every break in the subscription (reconnect, restart, a subscriber killed or dropped as too "
           "slow) is reported on stderr, even with --quiet, and as a gap line in the output.\n"
           "--replay FILE publishes a recording again instead (see --speed, --to, --dry-run).\n"
           "Exit codes: 0 done, 1 connection lost (or a replay's PUBLISH failed), 2 usage error, 3 cannot "
           "connect or authenticate, 4 a replayed recording had malformed lines."));
    // -h is the host, as in redis-cli; help is --help and -?.
    const QCommandLineOption help({ QStringLiteral("?"), QStringLiteral("help") }, tr("Shows this help."));
    const QCommandLineOption version(
        { QStringLiteral("v"), QStringLiteral("version") }, tr("Shows the version."));
    const QCommandLineOption host({ QStringLiteral("h"), QStringLiteral("host") },
        tr("Server host name or address (default: 127.0.0.1)."), tr("host"));
    const QCommandLineOption port(
        { QStringLiteral("p"), QStringLiteral("port") }, tr("Server port (default: 6379)."), tr("port"));
    const QCommandLineOption socket({ QStringLiteral("s"), QStringLiteral("socket") },
        tr("Unix socket path (host and port are then ignored)."), tr("path"));
    const QCommandLineOption uri({ QStringLiteral("u"), QStringLiteral("url"), QStringLiteral("uri") },
        tr("Server URI: redis://[user@]host[:port][/db], rediss://..., unix:///path?db=N, "
           "redis+sentinel://host:port[,host:port...]/master-name[/db] (follows failovers). "
           "Options given as well override its parts."),
        tr("uri"));
    const QCommandLineOption user(QStringLiteral("user"), tr("ACL user name."), tr("user"));
    const QCommandLineOption db(
        { QStringLiteral("n"), QStringLiteral("db") }, tr("Database number (default: 0)."), tr("db"));
    const QCommandLineOption askpass(QStringLiteral("askpass"),
        tr("Reads the password from the terminal (echo off), or a line of stdin."));
    const QCommandLineOption channel({ QStringLiteral("c"), QStringLiteral("channel") },
        tr("Subscribes to this exact channel (repeatable)."), tr("name"));
    const QCommandLineOption shardChannel(QStringLiteral("shard-channel"),
        tr("Subscribes to this sharded channel (SSUBSCRIBE, Redis 7; repeatable): the messages "
           "SPUBLISHed to it, marked as sharded."),
        tr("name"));
    const QCommandLineOption keyspace(QStringLiteral("keyspace"),
        tr("Watches changes to keys matching this pattern (default: *) in the database of the "
           "connection: keyspace notifications, shown with their db, key and event (repeatable). "
           "Needs notify-keyspace-events on the server."),
        tr("pattern"));
    const QCommandLineOption enableKeyspaceEvents(QStringLiteral("enable-keyspace-events"),
        tr("With --keyspace: turns the server's keyspace notifications on (CONFIG SET "
           "notify-keyspace-events) when they are off."));
    const QCommandLineOption format({ QStringLiteral("f"), QStringLiteral("format") },
        tr("Output: text (default), jsonl, csv or none (print no messages)."), tr("format"));
    const QCommandLineOption count(QStringLiteral("count"), tr("Exits after this many messages."), tr("n"));
    const QCommandLineOption duration(
        QStringLiteral("duration"), tr("Exits after this many seconds."), tr("seconds"));
    const QCommandLineOption stats(QStringLiteral("stats"),
        tr("Prints messages/s and bytes/s over the last 1 s, 10 s and 60 s, in total and per channel, "
           "to stderr at this interval."),
        tr("seconds"));
    const QCommandLineOption filter(
        QStringLiteral("filter"), tr("Shows only channels matching this regular expression."), tr("regex"));
    const QCommandLineOption grep(QStringLiteral("grep"),
        tr("Shows only messages whose payload contains this text (case-sensitive)."), tr("text"));
    const QCommandLineOption grepRegex(QStringLiteral("grep-regex"),
        tr("Shows only messages whose payload matches this regular expression (case-sensitive; "
           "(?i) at its start ignores case)."),
        tr("regex"));
    const QCommandLineOption noReconnect(QStringLiteral("no-reconnect"),
        tr("Exits (code 1) when the connection is lost instead of reconnecting."));
    const QCommandLineOption includeInternal(QStringLiteral("include-internal"),
        tr("Also shows Redwire's own channels (__redwire:…, redwire:…, such as other clients' heartbeats)."));
    const QCommandLineOption quiet(
        { QStringLiteral("q"), QStringLiteral("quiet") }, tr("No notes on stderr, only errors."));
    const QCommandLineOption replay(QStringLiteral("replay"),
        tr("Publishes the messages of a JSON Lines recording (--format jsonl, or the app's Record) "
           "again, each to its channel, with the recorded pacing; gap lines are skipped."),
        tr("file"));
    const QCommandLineOption speed(QStringLiteral("speed"),
        tr("With --replay: plays the recording this many times faster (0.5: half as fast; default 1)."),
        tr("factor"));
    const QCommandLineOption asFastAsPossible(QStringLiteral("as-fast-as-possible"),
        tr("With --replay: publishes without pauses, as fast as the server takes them."));
    const QCommandLineOption to(QStringLiteral("to"),
        tr("With --replay: the server to publish to, as a URI (the same as --uri)."), tr("uri"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"),
        tr("With --replay: prints what would be published (with its time offset) and publishes nothing."));
    parser.addOptions({ help, version, host, port, socket, uri, user, db, askpass, channel, shardChannel,
        keyspace, enableKeyspaceEvents, format, count, duration, stats, filter, grep, grepRegex, noReconnect,
        includeInternal, quiet, replay, speed, asFastAsPossible, to, dryRun });
#ifdef REDWIRE_BUILD_HAS_TLS
    const QCommandLineOption tls(QStringLiteral("tls"), tr("Connects with TLS."));
    const QCommandLineOption cacert(QStringLiteral("cacert"), tr("CA certificate bundle (PEM)."), tr("file"));
    const QCommandLineOption cacertdir(
        QStringLiteral("cacertdir"), tr("Directory of CA certificates."), tr("dir"));
    const QCommandLineOption cert(QStringLiteral("cert"), tr("Client certificate (PEM)."), tr("file"));
    const QCommandLineOption key(QStringLiteral("key"), tr("Client private key (PEM)."), tr("file"));
    const QCommandLineOption sni(
        QStringLiteral("sni"), tr("Server name for SNI and verification."), tr("name"));
    const QCommandLineOption insecure(
        QStringLiteral("insecure"), tr("Does not verify the server certificate."));
    parser.addOptions({ tls, cacert, cacertdir, cert, key, sni, insecure });
#endif
    parser.addPositionalArgument(QStringLiteral("pattern"),
        tr("Patterns to subscribe to (default: * unless --channel, --shard-channel or --keyspace is "
           "given)."),
        QStringLiteral("[PATTERN...]"));
    m_help = parser.helpText();

    if (!parser.parse(withKeyspaceValues(arguments))) {
        m_error = parser.errorText();
        return Outcome::UsageError;
    }
    if (parser.isSet(help))
        return Outcome::ShowHelp;
    if (parser.isSet(version))
        return Outcome::ShowVersion;

    MonitorOptions options;
    ConnectionOptions &connection = options.connection;
    if (!parseReplayOptions(parser, { replay, speed, asFastAsPossible, to, dryRun }, &options))
        return Outcome::UsageError;
    if (parser.isSet(uri) && parser.isSet(to)) {
        m_error = tr("--to and --uri cannot be combined: give one of them.");
        return Outcome::UsageError;
    }
    for (const QCommandLineOption *option : { &uri, &to }) {
        if (!parser.isSet(*option))
            continue;
        QString problem;
        connection = ConnectionOptions::fromUrl(parser.value(*option), &problem);
        if (!problem.isEmpty()) {
            m_error = tr("Invalid --%1: %2").arg(option->names().constLast(), problem);
            return Outcome::UsageError;
        }
    }
    if (!options.replayFile.isEmpty()) {
        // A replay publishes: the options that choose or print what is received make no sense.
        for (const QCommandLineOption *option : { &channel, &shardChannel, &keyspace, &enableKeyspaceEvents,
                 &format, &count, &duration, &stats, &filter, &grep, &grepRegex, &includeInternal }) {
            if (parser.isSet(*option)) {
                m_error = tr("--%1 cannot be combined with --replay.").arg(option->names().constLast());
                return Outcome::UsageError;
            }
        }
        if (!parser.positionalArguments().isEmpty()) {
            m_error = tr("--replay takes no patterns.");
            return Outcome::UsageError;
        }
    }
    if (parser.isSet(host))
        connection.host = parser.value(host);
    if (parser.isSet(port)) {
        bool ok = false;
        const uint value = parser.value(port).toUInt(&ok);
        if (!ok || value == 0 || value > 65535) {
            m_error = tr("Invalid port: %1 (a number from 1 to 65535)").arg(parser.value(port));
            return Outcome::UsageError;
        }
        connection.port = quint16(value);
    }
    if (parser.isSet(socket))
        connection.unixSocket = parser.value(socket);
    if (parser.isSet(user))
        connection.username = parser.value(user);
    if (parser.isSet(db)) {
        bool ok = false;
        const int value = parser.value(db).toInt(&ok);
        if (!ok || value < 0) {
            m_error = tr("Invalid database number: %1").arg(parser.value(db));
            return Outcome::UsageError;
        }
        connection.database = value;
    }
#ifdef REDWIRE_BUILD_HAS_TLS
    if (parser.isSet(tls))
        connection.tls.enabled = true;
    if (parser.isSet(cacert))
        connection.tls.caFile = parser.value(cacert);
    if (parser.isSet(cacertdir))
        connection.tls.caPath = parser.value(cacertdir);
    if (parser.isSet(cert))
        connection.tls.certFile = parser.value(cert);
    if (parser.isSet(key))
        connection.tls.keyFile = parser.value(key);
    if (parser.isSet(sni))
        connection.tls.serverName = parser.value(sni);
    if (parser.isSet(insecure))
        connection.tls.verifyPeer = false;
#endif
    connection.password = environmentPassword;
    options.askPassword = parser.isSet(askpass);
    options.reconnect = !parser.isSet(noReconnect);
    options.includeInternal = parser.isSet(includeInternal);
    connection.reconnect.enabled = options.reconnect;
    options.quiet = parser.isSet(quiet);

    if (parser.isSet(format)) {
        const QString name = parser.value(format);
        if (name == QLatin1String("none")) {
            options.printMessages = false;
        } else if (!MessageFormatter::parseFormatName(name, &options.format)) {
            m_error = tr("Unknown format: %1 (text, jsonl, csv or none)").arg(name);
            return Outcome::UsageError;
        }
    }
    if (parser.isSet(count)) {
        bool ok = false;
        options.count = parser.value(count).toLongLong(&ok);
        if (!ok || options.count <= 0) {
            m_error = tr("Invalid --count: %1 (a positive whole number)").arg(parser.value(count));
            return Outcome::UsageError;
        }
    }
    if (parser.isSet(duration)) {
        options.durationMs = secondsToMs(parser.value(duration));
        if (options.durationMs < 0) {
            m_error = tr("Invalid --duration: %1 (seconds, more than 0)").arg(parser.value(duration));
            return Outcome::UsageError;
        }
    }
    if (parser.isSet(stats)) {
        options.statsIntervalMs = secondsToMs(parser.value(stats));
        if (options.statsIntervalMs < 0) {
            m_error = tr("Invalid --stats: %1 (seconds, more than 0)").arg(parser.value(stats));
            return Outcome::UsageError;
        }
        options.statsIntervalMs = qMax<qint64>(options.statsIntervalMs, 100);
    }
    if (parser.isSet(filter)) {
        options.channelRegex = parser.value(filter);
        const QString problem = Redwire::MessageFilter::regularExpressionError(options.channelRegex);
        if (!problem.isEmpty()) {
            m_error = tr("Invalid --filter: %1").arg(problem);
            return Outcome::UsageError;
        }
    }
    if (parser.isSet(grep) && parser.isSet(grepRegex)) {
        m_error = tr("--grep and --grep-regex cannot be combined: give one of them.");
        return Outcome::UsageError;
    }
    for (const QCommandLineOption *option : { &grep, &grepRegex }) {
        if (!parser.isSet(*option))
            continue;
        const QString name = QStringLiteral("--") + option->names().constFirst();
        const QStringList values = parser.values(*option);
        if (values.size() > 1) {
            m_error = tr("%1 can be given only once.").arg(name);
            return Outcome::UsageError;
        }
        if (values.constFirst().isEmpty()) {
            m_error = tr("%1 needs some text to look for.").arg(name);
            return Outcome::UsageError;
        }
        options.payloadPattern = values.constFirst();
        options.payloadPatternIsRegex = option == &grepRegex;
    }
    if (options.payloadPatternIsRegex) {
        const QString problem = Redwire::MessageFilter::regularExpressionError(options.payloadPattern);
        if (!problem.isEmpty()) {
            m_error = tr("Invalid --grep-regex: %1").arg(problem);
            return Outcome::UsageError;
        }
    }
    for (const QString &name : parser.values(channel)) {
        if (name.isEmpty()) {
            m_error = tr("--channel needs a channel name.");
            return Outcome::UsageError;
        }
        options.channels.append(name.toUtf8());
    }
    for (const QString &name : parser.values(shardChannel)) {
        if (name.isEmpty()) {
            m_error = tr("--shard-channel needs a channel name.");
            return Outcome::UsageError;
        }
        options.shardChannels.append(name.toUtf8());
    }
    for (const QString &pattern : parser.values(keyspace)) {
        if (pattern.isEmpty()) {
            m_error = tr("--keyspace needs a key pattern (or none, for every key).");
            return Outcome::UsageError;
        }
        options.keyPatterns.append(pattern.toUtf8());
    }
    options.enableKeyspaceEvents = parser.isSet(enableKeyspaceEvents);
    if (options.enableKeyspaceEvents && options.keyPatterns.isEmpty()) {
        m_error = tr("--enable-keyspace-events goes with --keyspace.");
        return Outcome::UsageError;
    }
    for (const QString &pattern : parser.positionalArguments()) {
        if (pattern.isEmpty()) {
            m_error = tr("A pattern cannot be empty.");
            return Outcome::UsageError;
        }
        options.patterns.append(pattern.toUtf8());
    }
    if (options.patterns.isEmpty() && options.channels.isEmpty() && options.shardChannels.isEmpty()
        && options.keyPatterns.isEmpty() && options.replayFile.isEmpty())
        options.patterns.append("*");

    const QString problem = connection.validate();
    if (!problem.isEmpty()) {
        m_error = problem;
        return Outcome::UsageError;
    }
    if (connection.topology == Redwire::Topology::Cluster) {
        for (const QCommandLineOption *option : { &host, &port, &socket }) {
            if (parser.isSet(*option)) {
                m_error = tr("--%1 cannot be combined with a redis+cluster:// address: the cluster "
                             "names its nodes.")
                              .arg(option->names().constLast());
                return Outcome::UsageError;
            }
        }
    }
    if (connection.topology == Redwire::Topology::Sentinel) {
        for (const QCommandLineOption *option : { &host, &port, &socket }) {
            if (parser.isSet(*option)) {
                m_error = tr("--%1 cannot be combined with a redis+sentinel:// address: the sentinels "
                             "name the server.")
                              .arg(option->names().constLast());
                return Outcome::UsageError;
            }
        }
        if (!options.replayFile.isEmpty()) {
            m_error = tr("--replay does not follow Sentinel yet: give the master's address, as "
                         "redis://host:port.");
            return Outcome::UsageError;
        }
    }
    m_options = options;
    return Outcome::Run;
}

bool MonitorCommandLine::parseReplayOptions(
    const QCommandLineParser &parser, const ReplayOptionSet &replay, MonitorOptions *options)
{
    if (!parser.isSet(replay.file)) {
        for (const QCommandLineOption *option :
            { &replay.speed, &replay.asFastAsPossible, &replay.to, &replay.dryRun }) {
            if (parser.isSet(*option)) {
                m_error = tr("--%1 needs --replay.").arg(option->names().constFirst());
                return false;
            }
        }
        return true;
    }
    const QStringList files = parser.values(replay.file);
    if (files.size() > 1) {
        m_error = tr("--replay can be given only once.");
        return false;
    }
    if (files.constFirst().isEmpty()) {
        m_error = tr("--replay needs a file name.");
        return false;
    }
    options->replayFile = files.constFirst();
    options->dryRun = parser.isSet(replay.dryRun);
    if (parser.isSet(replay.speed) && parser.isSet(replay.asFastAsPossible)) {
        m_error = tr("--speed and --as-fast-as-possible cannot be combined: give one of them.");
        return false;
    }
    if (parser.isSet(replay.asFastAsPossible))
        options->replaySpeed = 0;
    if (parser.isSet(replay.speed)) {
        bool ok = false;
        const double value = parser.value(replay.speed).toDouble(&ok);
        if (!ok || !std::isfinite(value) || value <= 0 || value > 1e6) {
            m_error = tr("Invalid --speed: %1 (a number more than 0, e.g. 2 or 0.5)")
                          .arg(parser.value(replay.speed));
            return false;
        }
        options->replaySpeed = value;
    }
    return true;
}
