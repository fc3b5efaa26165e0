#include "SoakAccounting.h"

#include "SoakTime.h"

#include "chat/ChatMessage.h"
#include "chat/RoomTimeline.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>

using Redwire::ChatMessage;
using Redwire::RoomTimeline;
using Redwire::StreamId;

namespace RedwireSoak {

namespace {
constexpr int MaxProblems = 20;

void note(Tally &tally, const QString &problem)
{
    if (tally.problems.size() < MaxProblems)
        tally.problems.append(problem);
    else if (tally.problems.size() == MaxProblems)
        tally.problems.append(QStringLiteral("..."));
}

QString sidText(const StreamId &id)
{
    return QString::fromLatin1(id.toByteArray());
}

// The nearest gap to [from, to], in words, for a message nothing accounts for.
QString nearestGap(const MonitorRun &monitor, qint64 from, qint64 to)
{
    qint64 best = -1;
    QString text = QStringLiteral("no gap reported at all");
    for (const MonitorRun::Gap &gap : monitor.gaps()) {
        const qint64 distance = to < gap.sinceMs ? gap.sinceMs - to
            : from > gap.timeMs                  ? from - gap.timeMs
                                                 : 0;
        if (best < 0 || distance < best) {
            best = distance;
            text = QStringLiteral("nearest gap %1 .. %2 (%3), %4 ms away")
                       .arg(iso(gap.sinceMs), iso(gap.timeMs), gap.cause)
                       .arg(distance);
        }
    }
    return text;
}

// Where each gap marker of a timeline lies: between the stored messages around it.
struct MarkerRange
{
    StreamId after; // null: from the start
    StreamId before; // null: to the end
};

QList<MarkerRange> markerRanges(const RoomTimeline *timeline)
{
    QList<MarkerRange> ranges;
    for (int row = 0; row < timeline->count(); ++row) {
        if (!timeline->at(row).historyGap)
            continue;
        MarkerRange range;
        for (int above = row - 1; above >= 0 && range.after.isNull(); --above)
            range.after = timeline->at(above).streamId;
        for (int below = row + 1; below < timeline->count() && range.before.isNull(); ++below)
            range.before = timeline->at(below).streamId;
        ranges.append(range);
    }
    return ranges;
}

bool underMarker(const QList<MarkerRange> &ranges, const StreamId &id)
{
    for (const MarkerRange &range : ranges)
        if ((range.after.isNull() || range.after < id) && (range.before.isNull() || id < range.before))
            return true;
    return false;
}
} // namespace

QJsonObject Tally::toJson() const
{
    QJsonObject object {
        { QStringLiteral("path"), path },
        { QStringLiteral("sent"), sent },
        { QStringLiteral("received"), received },
        { QStringLiteral("inGaps"), inGaps },
        { QStringLiteral("notPublished"), notPublished },
        { QStringLiteral("unconfirmed"), unconfirmed },
        { QStringLiteral("unaccounted"), unaccounted },
        { QStringLiteral("duplicates"), duplicates },
        { QStringLiteral("problems"), QJsonArray::fromStringList(problems) },
    };
    for (auto it = details.begin(); it != details.end(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

qint64 SoakAccounting::distanceToGap(const MonitorRun &monitor, qint64 fromMs, qint64 toMs)
{
    qint64 best = -1;
    for (const MonitorRun::Gap &gap : monitor.gaps()) {
        const qint64 distance = toMs < gap.sinceMs ? gap.sinceMs - toMs
            : fromMs > gap.timeMs                  ? fromMs - gap.timeMs
                                                   : 0;
        if (best < 0 || distance < best)
            best = distance;
    }
    return best;
}

Tally SoakAccounting::monitorRaw(const RawPublisher &publisher, const MonitorRun &monitor) const
{
    using Outcome = RawPublisher::Outcome;
    Tally tally;
    tally.path = QStringLiteral("monitor, raw channel");
    const std::vector<RawPublisher::Publication> &publications = publisher.publications();
    qint64 burst = 0;
    // Of the messages in gaps: published while nobody listened (PUBLISH said 0), in a burst (no
    // count), or handed to the monitor's connection and lost with it.
    qint64 inGapsUnsubscribed = 0;
    qint64 inGapsBurst = 0;
    qint64 inGapsDelivered = 0;
    qint64 slackUsed = 0; // the most any message in a gap needed of the slack
    for (size_t number = 0; number < publications.size(); ++number) {
        const RawPublisher::Publication &publication = publications[number];
        const int copies = monitor.rawCount(int(number));
        ++tally.sent;
        burst += publication.burst ? 1 : 0;
        if (copies > 1) {
            ++tally.duplicates;
            note(tally, QStringLiteral("raw %1 arrived %2 times").arg(number).arg(copies));
        }
        if (copies >= 1) {
            ++tally.received;
            if (publication.outcome == Outcome::NotPublished)
                note(tally, QStringLiteral("raw %1 arrived although its PUBLISH was refused").arg(number));
            else if (publication.receivers == 0)
                note(tally,
                    QStringLiteral("raw %1 arrived although PUBLISH reached no subscriber").arg(number));
            continue;
        }
        switch (publication.outcome) {
        case Outcome::NotPublished:
            ++tally.notPublished;
            break;
        case Outcome::Pending:
        case Outcome::Unknown:
            ++tally.unconfirmed;
            break;
        case Outcome::Published: {
            const qint64 distance = distanceToGap(monitor, publication.sentMs, publication.answeredMs);
            if (distance >= 0 && distance <= m_slackMs) {
                ++tally.inGaps;
                slackUsed = qMax(slackUsed, distance);
                if (publication.burst)
                    ++inGapsBurst;
                else if (publication.receivers > 0)
                    ++inGapsDelivered;
                else
                    ++inGapsUnsubscribed;
            } else {
                ++tally.unaccounted;
                note(tally,
                    QStringLiteral("raw %1 (sent %2, answered %3, %4 receiver(s)%5) never arrived and no gap "
                                   "covers it; %6")
                        .arg(number)
                        .arg(iso(publication.sentMs), iso(publication.answeredMs))
                        .arg(publication.receivers)
                        .arg(publication.burst ? QStringLiteral(", burst") : QString(),
                            nearestGap(monitor, publication.sentMs, publication.answeredMs)));
            }
            break;
        }
        }
    }
    const qint64 unknownNumbers = qMax<qint64>(0, monitor.rawNumbersSeen() - qint64(publications.size()));
    if (unknownNumbers > 0)
        note(tally, QStringLiteral("%1 raw number(s) arrived that were never published").arg(unknownNumbers));
    tally.details.insert(QStringLiteral("burstMessages"), burst);
    tally.details.insert(QStringLiteral("slackUsedMs"), slackUsed);
    tally.details.insert(QStringLiteral("inGapsPublishedToNoSubscriber"), inGapsUnsubscribed);
    tally.details.insert(QStringLiteral("inGapsFromBursts"), inGapsBurst);
    tally.details.insert(QStringLiteral("inGapsAfterReachingTheMonitorsConnection"), inGapsDelivered);
    tally.details.insert(QStringLiteral("linesReceived"), monitor.rawLines());
    return tally;
}

Tally SoakAccounting::monitorChat(const QList<StreamEntry> &stream, const MonitorRun &monitor) const
{
    Tally tally;
    tally.path = QStringLiteral("monitor, chat channel");
    qint64 slackUsed = 0;
    for (const StreamEntry &entry : stream) {
        ++tally.sent;
        const int copies = monitor.chatCounts().value(entry.envelopeId);
        if (copies > 1) {
            ++tally.duplicates;
            note(tally,
                QStringLiteral("%1 %2 arrived %3 times").arg(entry.kind, sidText(entry.id)).arg(copies));
        }
        if (copies >= 1) {
            ++tally.received;
            continue;
        }
        // The stream ID is the server's clock when the script stored and published the entry.
        const qint64 publishedMs = qint64(entry.id.milliseconds());
        const qint64 distance = distanceToGap(monitor, publishedMs, publishedMs);
        if (distance >= 0 && distance <= m_slackMs) {
            ++tally.inGaps;
            slackUsed = qMax(slackUsed, distance);
        } else {
            ++tally.unaccounted;
            note(tally,
                QStringLiteral("%1 %2 (%3: %4) never arrived and no gap covers it; %5")
                    .arg(entry.kind, sidText(entry.id), entry.from, entry.text,
                        nearestGap(monitor, publishedMs, publishedMs)));
        }
    }
    tally.details.insert(QStringLiteral("linesReceived"), monitor.chatLines());
    tally.details.insert(QStringLiteral("slackUsedMs"), slackUsed);
    return tally;
}

Tally SoakAccounting::chat(const QString &path, const QList<ChatTraffic::Message> &sent,
    const RoomTimeline *viewer, const QSet<QString> &viewerLive, const RoomTimeline *senderTimeline,
    const QList<StreamEntry> &stream) const
{
    Tally tally;
    tally.path = path;
    QHash<QString, QList<int>> viewerRows;
    for (int row = 0; row < viewer->count(); ++row)
        if (viewer->at(row).isConversation() && !viewer->at(row).id.isEmpty())
            viewerRows[viewer->at(row).id].append(row);
    QHash<QString, int> senderCopies;
    for (int row = 0; row < senderTimeline->count(); ++row)
        if (senderTimeline->at(row).isConversation())
            ++senderCopies[senderTimeline->at(row).id];
    QHash<QString, StreamId> stored;
    for (const StreamEntry &entry : stream)
        stored.insert(entry.envelopeId, entry.id);
    const QList<MarkerRange> markers = markerRanges(viewer);

    qint64 live = 0;
    qint64 recovered = 0;
    qint64 stuck = 0;
    for (const ChatTraffic::Message &message : sent) {
        ++tally.sent;
        if (message.failed) {
            ++tally.notPublished;
            note(tally, QStringLiteral("\"%1\" failed in the outbox: %2").arg(message.text, message.failure));
            continue;
        }
        if (message.streamId.isNull()) {
            ++stuck;
            ++tally.unaccounted;
            note(tally, QStringLiteral("\"%1\" is still in the outbox").arg(message.text));
            continue;
        }
        if (stored.value(message.id) != message.streamId)
            note(tally,
                QStringLiteral("\"%1\": the outbox said %2, the stream holds it as %3")
                    .arg(message.text, sidText(message.streamId), sidText(stored.value(message.id))));
        if (senderCopies.value(message.id) != 1)
            note(tally,
                QStringLiteral("\"%1\" is %2 times in the sender's own timeline")
                    .arg(message.text)
                    .arg(senderCopies.value(message.id)));
        const QList<int> rows = viewerRows.value(message.id);
        if (rows.size() > 1) {
            ++tally.duplicates;
            note(tally,
                QStringLiteral("\"%1\" is %2 times in the timeline").arg(message.text).arg(rows.size()));
        }
        if (!rows.isEmpty()) {
            ++tally.received;
            (viewerLive.contains(message.id) ? live : recovered) += 1;
            if (viewer->at(rows.first()).streamId != message.streamId)
                note(tally,
                    QStringLiteral("\"%1\" is shown with stream ID %2 instead of %3")
                        .arg(message.text, sidText(viewer->at(rows.first()).streamId),
                            sidText(message.streamId)));
        } else if (underMarker(markers, message.streamId)) {
            ++tally.inGaps;
        } else {
            ++tally.unaccounted;
            note(tally,
                QStringLiteral("\"%1\" (%2) is missing, with no gap marker there")
                    .arg(message.text, sidText(message.streamId)));
        }
    }
    tally.details.insert(QStringLiteral("receivedLive"), live);
    tally.details.insert(QStringLiteral("recoveredFromTheStream"), recovered);
    tally.details.insert(QStringLiteral("stillInTheOutbox"), stuck);
    tally.details.insert(QStringLiteral("gapMarkers"), int(markers.size()));
    return tally;
}

QString SoakAccounting::orderProblem(const RoomTimeline *viewer, const QList<StreamEntry> &stream)
{
    QStringList shown;
    StreamId previous;
    for (int row = 0; row < viewer->count(); ++row) {
        const ChatMessage &message = viewer->at(row);
        if (!message.isConversation() || message.streamId.isNull())
            continue;
        if (!(previous < message.streamId))
            return QStringLiteral("row %1: %2 after %3")
                .arg(row)
                .arg(sidText(message.streamId), sidText(previous));
        previous = message.streamId;
        shown.append(message.id);
    }
    const QList<MarkerRange> markers = markerRanges(viewer);
    QStringList expected;
    for (const StreamEntry &entry : stream)
        if (entry.kind == QLatin1String("message") && !underMarker(markers, entry.id))
            expected.append(entry.envelopeId);
    for (qsizetype i = 0; i < qMin(shown.size(), expected.size()); ++i)
        if (shown.at(i) != expected.at(i))
            return QStringLiteral("message %1 of the conversation differs from the stream's").arg(i + 1);
    if (shown.size() != expected.size())
        return QStringLiteral("%1 stored messages shown, the stream has %2")
            .arg(shown.size())
            .arg(expected.size());
    return {};
}

QStringList SoakAccounting::storedTwice(const QList<StreamEntry> &stream)
{
    QHash<QString, int> copies;
    for (const StreamEntry &entry : stream)
        ++copies[entry.envelopeId];
    QStringList twice;
    for (auto it = copies.cbegin(); it != copies.cend(); ++it)
        if (it.value() > 1)
            twice.append(it.key());
    return twice;
}

int SoakAccounting::faultOfGap(const QList<FaultInjector::Event> &events, const MonitorRun::Gap &gap)
{
    // A gap starts at most about a second before the break (the last time mark) and ends after it.
    constexpr qint64 MarginMs = 2000;
    for (int i = 0; i < events.size(); ++i)
        if (gap.sinceMs <= events.at(i).endMs + MarginMs && gap.timeMs >= events.at(i).startMs - MarginMs)
            return i;
    return -1;
}

QJsonObject SoakAccounting::perFault(
    const QList<FaultInjector::Event> &events, const MonitorRun &monitor, const RawPublisher &publisher) const
{
    struct Count
    {
        int injected = 0;
        int failedInjections = 0;
        int gaps = 0;
        qint64 rawInGaps = 0;
        QMap<QString, int> causes;
    };
    QMap<QString, Count> counts;
    for (int kind = 0; kind < FaultInjector::FaultKinds; ++kind)
        counts[QString::fromLatin1(FaultInjector::name(FaultInjector::Fault(kind)))];
    for (const FaultInjector::Event &event : events) {
        Count &count = counts[QString::fromLatin1(FaultInjector::name(event.fault))];
        ++count.injected;
        count.failedInjections += event.ok ? 0 : 1;
    }
    const QList<MonitorRun::Gap> &gaps = monitor.gaps();
    auto faultName = [&](int gap) {
        const int index = faultOfGap(events, gaps.at(gap));
        return index < 0 ? QStringLiteral("(none)")
                         : QString::fromLatin1(FaultInjector::name(events.at(index).fault));
    };
    for (int gap = 0; gap < gaps.size(); ++gap) {
        Count &count = counts[faultName(gap)];
        ++count.gaps;
        ++count.causes[gaps.at(gap).cause];
    }
    // Each missed message once, with the first gap that covers it (two gaps can touch).
    const std::vector<RawPublisher::Publication> &publications = publisher.publications();
    for (size_t number = 0; number < publications.size(); ++number) {
        const RawPublisher::Publication &publication = publications[number];
        if (monitor.rawCount(int(number)) > 0 || publication.outcome != RawPublisher::Outcome::Published)
            continue;
        for (int gap = 0; gap < gaps.size(); ++gap) {
            if (publication.sentMs <= gaps.at(gap).timeMs + m_slackMs
                && publication.answeredMs >= gaps.at(gap).sinceMs - m_slackMs) {
                ++counts[faultName(gap)].rawInGaps;
                break;
            }
        }
    }
    QJsonObject object;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        QJsonObject causes;
        for (auto cause = it->causes.cbegin(); cause != it->causes.cend(); ++cause)
            causes.insert(cause.key(), cause.value());
        object.insert(it.key(),
            QJsonObject { { QStringLiteral("injected"), it->injected },
                { QStringLiteral("injectionsThatWentWrong"), it->failedInjections },
                { QStringLiteral("monitorGaps"), it->gaps }, { QStringLiteral("gapCauses"), causes },
                { QStringLiteral("rawMissedInThoseGaps"), it->rawInGaps } });
    }
    return object;
}

} // namespace RedwireSoak
