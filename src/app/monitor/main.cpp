// redwire-monitor: watch Redis Pub/Sub traffic from a terminal or a script.
#include "MonitorCommandLine.h"
#include "MonitorSession.h"
#include "OutputWriter.h"
#include "PasswordPrompt.h"
#include "ReplaySession.h"
#include "TerminationSignals.h"

#include <QCoreApplication>
#include <QLocale>
#include <QLoggingCategory>
#include <QTranslator>

#include <csignal>
#include <cstdio>

#include <unistd.h>

namespace {
// The translation context of this file's messages ("redwire-monitor", not an identifier).
struct MonitorMainText
{
    static QString tr(const char *text) { return QCoreApplication::translate("redwire-monitor", text); }
};

// The user's language if there is a translation, else English: its plural forms turn
// "%n message(s)" into "1 message" / "2 messages" (see i18n/redwire-monitor_en.ts).
void installTranslations(QCoreApplication &app)
{
    auto *translator = new QTranslator(&app);
    const QString directory = QStringLiteral(":/i18n");
    if (translator->load(QLocale(), QStringLiteral("redwire-monitor"), QStringLiteral("_"), directory)
        || translator->load(QStringLiteral("redwire-monitor_en"), directory))
        QCoreApplication::installTranslator(translator);
    else
        delete translator;
}

void printTo(std::FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}
} // namespace

int main(int argc, char *argv[])
{
    // hiredis writes without MSG_NOSIGNAL, and a closed stdout must be an error, not a death.
    std::signal(SIGPIPE, SIG_IGN);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("redwire-monitor"));
    QCoreApplication::setApplicationVersion(QStringLiteral(REDWIRE_VERSION));
    installTranslations(app);
    // The session reports what matters on stderr in its own words; the library's log lines would
    // repeat it. QT_LOGGING_RULES (e.g. "redwire.*=true") still turns them on for debugging.
    QLoggingCategory::setFilterRules(QStringLiteral("redwire.*=false"));

    MonitorCommandLine commandLine;
    switch (commandLine.parse(QCoreApplication::arguments(), qEnvironmentVariable("REDWIRE_PASSWORD"))) {
    case MonitorCommandLine::Outcome::ShowHelp:
        printTo(stdout, commandLine.helpText());
        return 0;
    case MonitorCommandLine::Outcome::ShowVersion:
        printTo(stdout, QStringLiteral("redwire-monitor %1\n").arg(QStringLiteral(REDWIRE_VERSION)));
        return 0;
    case MonitorCommandLine::Outcome::UsageError:
        printTo(stderr, QStringLiteral("redwire-monitor: %1\n").arg(commandLine.errorMessage()));
        printTo(stderr, MonitorMainText::tr("Try 'redwire-monitor --help' for more information.\n"));
        return MonitorSession::UsageError;
    case MonitorCommandLine::Outcome::Run:
        break;
    }

    MonitorOptions options = commandLine.options();
    if (options.askPassword
        && !PasswordPrompt::read(MonitorMainText::tr("Password: "), &options.connection.password)) {
        printTo(stderr, MonitorMainText::tr("redwire-monitor: no password given\n"));
        return MonitorSession::UsageError;
    }

    OutputWriter output(STDOUT_FILENO);
    if (!options.replayFile.isEmpty()) {
        ReplaySession replay(options, &output);
        TerminationSignals termination;
        QObject::connect(&termination, &TerminationSignals::received, &replay, &ReplaySession::terminate);
        QObject::connect(
            &replay, &ReplaySession::finished, &app, [](int exitCode) { QCoreApplication::exit(exitCode); },
            Qt::QueuedConnection);
        replay.start();
        return QCoreApplication::exec();
    }
    MonitorSession session(options, &output);
    TerminationSignals termination;
    QObject::connect(&termination, &TerminationSignals::received, &session, &MonitorSession::terminate);
    // Queued: a session can end before exec() runs (a connection refused at once), and exit()
    // only ends a loop that is running.
    QObject::connect(
        &session, &MonitorSession::finished, &app, [](int exitCode) { QCoreApplication::exit(exitCode); },
        Qt::QueuedConnection);
    session.start();
    return QCoreApplication::exec();
}
