#pragma once

#include "ChatConfig.h"
#include "ChatEnvelope.h"
#include "StreamId.h"

#include <QList>
#include <QObject>

namespace Redwire {

class CommandConnection;
class RedisReply;

// Reads a room's history stream in pages: the latest page on joining (XREVRANGE + - COUNT n),
// older pages on demand (XREVRANGE (before - COUNT n), and everything after the last ID seen
// once the subscription is back (XRANGE (after + COUNT n, repeated until a short page). Results
// come as envelopes in ascending stream order; a request of a purpose that is already running
// is ignored, and cancel() drops the answers of requests in flight.
class HistoryBackfill : public QObject
{
    Q_OBJECT
public:
    enum class Purpose { Latest, Older, CatchUp };
    Q_ENUM(Purpose)

    HistoryBackfill(CommandConnection *commands, const QByteArray &historyKey, const ChatConfig &config,
        QObject *parent = nullptr);

    // `tag` comes back with the results (the room uses its subscription epoch).
    bool loadLatest(int tag);
    // `count` 0: the configured page size.
    bool loadOlder(const StreamId &before, int tag, int count = 0);
    bool catchUp(const StreamId &after, int tag);
    // Asks the stream whether entries after `after` were deleted (trimmed by MAXLEN, or XDEL):
    // answers with entriesLost (XINFO STREAM: the oldest entry against `after`, and Redis 7's
    // max-deleted-entry-id). Sent before a catch-up on the same connection, so its answer
    // comes first.
    void checkDeletedAfter(const StreamId &after, int tag);
    bool isRunning(Purpose purpose) const { return m_running[int(purpose)]; }
    void cancel(Purpose purpose);
    void cancelAll();

    // The entries of an XRANGE / XREVRANGE reply, in the reply's order, each decoded from its
    // "env" field (with the entry's ID as stream ID). An entry without one (written by someone
    // else) becomes an external message listing its fields. Malformed entries are skipped.
    static QList<ChatEnvelope> parseEntries(const RedisReply &reply, qsizetype payloadLimit);

Q_SIGNALS:
    // `finished`: the request is done (a catch-up sends several pages). `reachedStart`: an
    // Latest or Older page found nothing older beyond it.
    void pageLoaded(Redwire::HistoryBackfill::Purpose purpose, const QList<Redwire::ChatEnvelope> &ascending,
        bool finished, bool reachedStart, int tag);
    void failed(Redwire::HistoryBackfill::Purpose purpose, const QString &reason, int tag);
    // Entries newer than `after` are gone from the stream.
    void entriesLost(const Redwire::StreamId &after, int tag);

private:
    void request(Purpose purpose, const QList<QByteArray> &command, int count, int tag);
    void handleReply(Purpose purpose, int count, int tag, const RedisReply &reply);

    CommandConnection *m_commands;
    const QByteArray m_key;
    const ChatConfig m_config;
    bool m_running[3] = { false, false, false };
    quint64 m_generation[3] = { 0, 0, 0 };
};

} // namespace Redwire
