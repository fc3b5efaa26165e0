#include "SoakSummary.h"

#include "SoakTime.h"

#include <QDateTime>
#include <QJsonArray>

namespace RedwireSoak {

namespace {

QString row(const Tally &tally)
{
    return QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8")
        .arg(tally.path, -24)
        .arg(tally.sent, 9)
        .arg(tally.received, 9)
        .arg(tally.inGaps, 8)
        .arg(tally.notPublished, 9)
        .arg(tally.unconfirmed, 11)
        .arg(tally.unaccounted, 11)
        .arg(tally.duplicates, 10);
}

} // namespace

QStringList summaryLines(const SoakFindings &findings, qint64 slackMs)
{
    const QList<Tally> &tallies = findings.tallies;
    QStringList lines;
    lines.append(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8")
                     .arg(QStringLiteral("path"), -24)
                     .arg(QStringLiteral("sent"), 9)
                     .arg(QStringLiteral("received"), 9)
                     .arg(QStringLiteral("in gaps"), 8)
                     .arg(QStringLiteral("not publ."), 9)
                     .arg(QStringLiteral("unconfirmed"), 11)
                     .arg(QStringLiteral("unaccounted"), 11)
                     .arg(QStringLiteral("duplicates"), 10));
    for (const Tally &tally : tallies)
        lines.append(row(tally));
    const QJsonObject &raw = tallies.first().details;
    lines.append(QStringLiteral(
        "%1: of the %2 in gaps, %3 were in bursts, %4 published while no one was subscribed, %5 lost "
        "after PUBLISH handed them to the monitor's connection")
                     .arg(tallies.first().path)
                     .arg(tallies.first().inGaps)
                     .arg(raw.value(QLatin1String("inGapsFromBursts")).toInteger())
                     .arg(raw.value(QLatin1String("inGapsPublishedToNoSubscriber")).toInteger())
                     .arg(raw.value(QLatin1String("inGapsAfterReachingTheMonitorsConnection")).toInteger()));
    for (const Tally &tally : tallies.mid(2))
        lines.append(QStringLiteral("%1: %2 live, %3 recovered from the stream, %4 gap marker(s)")
                         .arg(tally.path)
                         .arg(tally.details.value(QLatin1String("receivedLive")).toInteger())
                         .arg(tally.details.value(QLatin1String("recoveredFromTheStream")).toInteger())
                         .arg(tally.details.value(QLatin1String("gapMarkers")).toInteger()));
    lines.append(QString());
    lines.append(QStringLiteral("%1 %2 %3 %4  %5")
                     .arg(QStringLiteral("fault"), -20)
                     .arg(QStringLiteral("injected"), 8)
                     .arg(QStringLiteral("monitor gaps"), 12)
                     .arg(QStringLiteral("raw missed in them"), 18)
                     .arg(QStringLiteral("gap causes")));
    for (auto it = findings.perFault.begin(); it != findings.perFault.end(); ++it) {
        const QJsonObject counts = it.value().toObject();
        QStringList causes;
        const QJsonObject causeCounts = counts.value(QLatin1String("gapCauses")).toObject();
        for (auto cause = causeCounts.begin(); cause != causeCounts.end(); ++cause)
            causes.append(QStringLiteral("%1 x%2").arg(cause.key()).arg(cause.value().toInt()));
        const int wrong = counts.value(QLatin1String("injectionsThatWentWrong")).toInt();
        lines.append(QStringLiteral("%1 %2 %3 %4  %5%6")
                         .arg(it.key(), -20)
                         .arg(counts.value(QLatin1String("injected")).toInt(), 8)
                         .arg(counts.value(QLatin1String("monitorGaps")).toInt(), 12)
                         .arg(counts.value(QLatin1String("rawMissedInThoseGaps")).toInteger(), 18)
                         .arg(causes.join(QStringLiteral(", ")),
                             wrong ? QStringLiteral(" (%1 injection(s) went wrong)").arg(wrong) : QString()));
    }
    lines.append(QString());
    lines.append(QStringLiteral("chat order: alice's timeline %1; bob's timeline %2; stream entries %3")
                     .arg(findings.chatOrder.value(QLatin1String("alice")).toString(),
                         findings.chatOrder.value(QLatin1String("bob")).toString())
                     .arg(findings.streamEntries));
    lines.append(QStringLiteral(
        "clock slack around gaps: %1 ms, of which used: %2 ms (raw), %3 ms (chat channel); monitor "
        "exit code %4")
                     .arg(slackMs)
                     .arg(tallies.at(0).details.value(QLatin1String("slackUsedMs")).toInteger())
                     .arg(tallies.at(1).details.value(QLatin1String("slackUsedMs")).toInteger())
                     .arg(findings.monitorExitCode));
    return lines;
}

QJsonObject reportJson(const SoakFindings &findings, QJsonObject run)
{
    QJsonArray faultLog;
    for (const FaultInjector::Event &event : findings.faults)
        faultLog.append(
            QJsonObject { { QStringLiteral("fault"), QString::fromLatin1(FaultInjector::name(event.fault)) },
                { QStringLiteral("start"), iso(event.startMs) }, { QStringLiteral("end"), iso(event.endMs) },
                { QStringLiteral("ok"), event.ok }, { QStringLiteral("detail"), event.detail } });
    QJsonArray gaps;
    for (const MonitorRun::Gap &gap : findings.gaps) {
        const int fault = SoakAccounting::faultOfGap(findings.faults, gap);
        gaps.append(QJsonObject { { QStringLiteral("since"), iso(gap.sinceMs) },
            { QStringLiteral("time"), iso(gap.timeMs) }, { QStringLiteral("cause"), gap.cause },
            { QStringLiteral("resumed"), gap.resumed },
            { QStringLiteral("fault"),
                fault < 0 ? QJsonValue()
                          : QJsonValue(
                              QString::fromLatin1(FaultInjector::name(findings.faults.at(fault).fault))) } });
    }
    QJsonArray paths;
    for (const Tally &tally : findings.tallies)
        paths.append(tally.toJson());
    run.insert(QStringLiteral("paths"), paths);
    run.insert(QStringLiteral("chatOrder"), findings.chatOrder);
    run.insert(QStringLiteral("streamEntries"), findings.streamEntries);
    run.insert(QStringLiteral("perFault"), findings.perFault);
    run.insert(QStringLiteral("faults"), faultLog);
    run.insert(QStringLiteral("monitorGaps"), gaps);
    run.insert(QStringLiteral("monitorExitCode"), findings.monitorExitCode);
    run.insert(QStringLiteral("failures"), QJsonArray::fromStringList(findings.failures));
    run.insert(QStringLiteral("ok"), findings.failures.isEmpty());
    return run;
}

} // namespace RedwireSoak
