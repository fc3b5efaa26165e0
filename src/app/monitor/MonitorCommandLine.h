#pragma once

#include "MonitorOptions.h"

class QCommandLineParser;

#include <QCommandLineOption>
#include <QCoreApplication>
#include <QString>
#include <QStringList>

// Parses redwire-monitor's command line. Never exits and never prints: main() decides what to do
// with the outcome (run, show help or version, or report a usage error with exit code 2).
class MonitorCommandLine
{
    Q_DECLARE_TR_FUNCTIONS(MonitorCommandLine)

public:
    enum class Outcome { Run, ShowHelp, ShowVersion, UsageError };

    // `arguments` includes the program name; `environmentPassword` is REDWIRE_PASSWORD's value.
    Outcome parse(const QStringList &arguments, const QString &environmentPassword);

    const MonitorOptions &options() const { return m_options; }
    QString errorMessage() const { return m_error; }
    QString helpText() const { return m_help; }

private:
    struct ReplayOptionSet
    {
        const QCommandLineOption &file;
        const QCommandLineOption &speed;
        const QCommandLineOption &asFastAsPossible;
        const QCommandLineOption &to;
        const QCommandLineOption &dryRun;
    };
    bool parseReplayOptions(
        const QCommandLineParser &parser, const ReplayOptionSet &replay, MonitorOptions *options);

    MonitorOptions m_options;
    QString m_error;
    QString m_help;
};
