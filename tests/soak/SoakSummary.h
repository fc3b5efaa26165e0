#pragma once

#include "FaultInjector.h"
#include "MonitorRun.h"
#include "SoakAccounting.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace RedwireSoak {

// What the soak found at the end, for the summary it prints and the report it writes.
struct SoakFindings
{
    QList<Tally> tallies; // monitor raw, monitor chat channel, chat alice -> bob, chat bob -> alice
    QJsonObject chatOrder; // nickname -> "stream order" or what is wrong with it
    int streamEntries = 0;
    QJsonObject perFault; // SoakAccounting::perFault()
    QList<FaultInjector::Event> faults;
    QList<MonitorRun::Gap> gaps;
    int monitorExitCode = -1;
    QStringList failures; // empty: every message accounted for
};

// The summary tables, line by line, without the verdict.
QStringList summaryLines(const SoakFindings &findings, qint64 slackMs);
// The JSON report: `run` (the settings: command, seed, ...) and the findings.
QJsonObject reportJson(const SoakFindings &findings, QJsonObject run);

} // namespace RedwireSoak
