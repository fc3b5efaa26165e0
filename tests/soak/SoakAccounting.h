#pragma once

#include "ChatTraffic.h"
#include "FaultInjector.h"
#include "MonitorRun.h"
#include "RawPublisher.h"

#include "chat/StreamId.h"

#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace Redwire {
class RoomTimeline;
}

namespace RedwireSoak {

// One entry of the room's history stream, read at the end.
struct StreamEntry
{
    Redwire::StreamId id;
    QString envelopeId;
    QString kind;
    QString from;
    QString text;
};

// One line of the summary: what was sent on one path and what became of each message. Every
// message sent lands in exactly one of received, inGaps, notPublished, unconfirmed, unaccounted.
struct Tally
{
    QString path;
    qint64 sent = 0;
    qint64 received = 0; // exactly once (or, with duplicates > 0, also more than once)
    qint64 inGaps = 0; // missed, inside a reported gap / under a visible gap marker
    qint64 notPublished = 0; // refused before it reached the server / failed visibly in the outbox
    qint64 unconfirmed = 0; // the publisher never learnt whether it ran, and it did not arrive
    qint64 unaccounted = 0; // missed with nothing to say so: lost silently
    qint64 duplicates = 0; // arrived more than once
    QStringList problems; // the first few, in words
    QJsonObject details;

    bool clean() const { return unaccounted == 0 && duplicates == 0 && problems.isEmpty(); }
    QJsonObject toJson() const;
};

// The end-of-run checks: for the monitor, every message either arrived once or was published
// inside a gap it reported (give or take `slackMs`); for the chat, every message one user sent
// is in the other's timeline once, in stream order, or under a gap marker.
class SoakAccounting
{
public:
    explicit SoakAccounting(qint64 slackMs)
        : m_slackMs(slackMs)
    { }

    // The raw channel: publications by number against what the monitor printed.
    Tally monitorRaw(const RawPublisher &publisher, const MonitorRun &monitor) const;
    // The chat room's channel: every stream entry (its ID is when it was published) against the
    // envelopes the monitor printed.
    Tally monitorChat(const QList<StreamEntry> &stream, const MonitorRun &monitor) const;
    // What `sender` sent against `viewer`'s timeline and the stream.
    Tally chat(const QString &path, const QList<ChatTraffic::Message> &sent,
        const Redwire::RoomTimeline *viewer, const QSet<QString> &viewerLive,
        const Redwire::RoomTimeline *senderTimeline, const QList<StreamEntry> &stream) const;
    // The order of `viewer`'s stored conversation against the stream's; empty when they agree.
    static QString orderProblem(const Redwire::RoomTimeline *viewer, const QList<StreamEntry> &stream);
    // Envelope IDs stored more than once.
    static QStringList storedTwice(const QList<StreamEntry> &stream);

    // Per fault: injected, monitor gaps that overlap it, raw messages missed in them.
    QJsonObject perFault(const QList<FaultInjector::Event> &events, const MonitorRun &monitor,
        const RawPublisher &publisher) const;
    // The fault (index into events) a gap belongs to, or -1.
    static int faultOfGap(const QList<FaultInjector::Event> &events, const MonitorRun::Gap &gap);

    // How far [fromMs, toMs] lies outside the nearest reported gap: 0 inside one, -1 without gaps.
    static qint64 distanceToGap(const MonitorRun &monitor, qint64 fromMs, qint64 toMs);

private:
    qint64 m_slackMs;
};

} // namespace RedwireSoak
