#include "HistoryBackfill.h"

#include "ChatLogging.h"

#include "redis/CommandConnection.h"

#include <QCoreApplication>
#include <QPointer>

#include <algorithm>

namespace Redwire {

HistoryBackfill::HistoryBackfill(
    CommandConnection *commands, const QByteArray &historyKey, const ChatConfig &config, QObject *parent)
    : QObject(parent)
    , m_commands(commands)
    , m_key(historyKey)
    , m_config(config)
{ }

bool HistoryBackfill::loadLatest(int tag)
{
    if (isRunning(Purpose::Latest))
        return false;
    const int count = qMax(1, m_config.pageSize);
    request(
        Purpose::Latest, { "XREVRANGE", m_key, "+", "-", "COUNT", QByteArray::number(count) }, count, tag);
    return true;
}

bool HistoryBackfill::loadOlder(const StreamId &before, int tag, int pageSize)
{
    if (isRunning(Purpose::Older) || before.isNull())
        return false;
    const int count = qMax(1, pageSize > 0 ? pageSize : m_config.pageSize);
    // "(" makes the range exclusive (Redis >= 6.2).
    request(Purpose::Older,
        { "XREVRANGE", m_key, '(' + before.toByteArray(), "-", "COUNT", QByteArray::number(count) }, count,
        tag);
    return true;
}

bool HistoryBackfill::catchUp(const StreamId &after, int tag)
{
    if (isRunning(Purpose::CatchUp))
        return false;
    const int count = qMax(1, m_config.catchUpPageSize);
    const QByteArray start = after.isNull() ? QByteArray("-") : '(' + after.toByteArray();
    request(
        Purpose::CatchUp, { "XRANGE", m_key, start, "+", "COUNT", QByteArray::number(count) }, count, tag);
    return true;
}

void HistoryBackfill::checkDeletedAfter(const StreamId &after, int tag)
{
    if (after.isNull())
        return;
    const quint64 generation = m_generation[int(Purpose::CatchUp)];
    QPointer<HistoryBackfill> self(this);
    m_commands->send({ "XINFO", "STREAM", m_key },
        [self, after, tag, generation](const RedisReply &reply, const RedisError &error) {
            // No stream (nothing stored yet, or a server that lost its data) or an old server
            // without XINFO: nothing to say; the catch-up reads what there is.
            if (!self || self->m_generation[int(Purpose::CatchUp)] != generation)
                return;
            if (error.isError() || !reply.isArray() || reply.size() % 2 != 0) {
                qCDebug(lcChat) << "XINFO STREAM" << self->m_key
                                << "told nothing:" << RedisError::forCommand(reply, error).message();
                return;
            }
            StreamId maxDeleted;
            StreamId first;
            bool knowsDeletions = false;
            for (qsizetype i = 0; i + 1 < reply.size(); i += 2) {
                const QByteArray &field = reply.at(i).bytes();
                const RedisReply &value = reply.at(i + 1);
                if (field == "max-deleted-entry-id" && value.isString()) {
                    maxDeleted = StreamId::parse(value.bytes());
                    knowsDeletions = true;
                } else if (field == "first-entry" && value.isArray() && value.size() == 2
                    && value.at(0).isString()) {
                    first = StreamId::parse(value.at(0).bytes());
                }
            }
            // max-deleted-entry-id (Redis 7) counts XDEL but not trimming in 7.0; an oldest entry
            // past `after` means that trimming went beyond what we held (it may, rarely, have
            // stopped exactly there: the marker says "may").
            const bool lost = (knowsDeletions && maxDeleted > after) || (!first.isNull() && first > after);
            qCDebug(lcChat) << "stream" << self->m_key << "deleted up to" << maxDeleted.toByteArray()
                            << "first entry" << first.toByteArray() << "held up to" << after.toByteArray();
            if (lost)
                Q_EMIT self->entriesLost(after, tag);
        });
}

void HistoryBackfill::cancel(Purpose purpose)
{
    ++m_generation[int(purpose)];
    m_running[int(purpose)] = false;
}

void HistoryBackfill::cancelAll()
{
    for (const Purpose purpose : { Purpose::Latest, Purpose::Older, Purpose::CatchUp })
        cancel(purpose);
}

void HistoryBackfill::request(Purpose purpose, const QList<QByteArray> &command, int count, int tag)
{
    m_running[int(purpose)] = true;
    const quint64 generation = m_generation[int(purpose)];
    QPointer<HistoryBackfill> self(this);
    m_commands->send(
        command, [self, purpose, count, tag, generation](const RedisReply &reply, const RedisError &error) {
            if (!self || self->m_generation[int(purpose)] != generation)
                return;
            if (error.isError() || reply.isError()) {
                self->m_running[int(purpose)] = false;
                const QString reason = RedisError::forCommand(reply, error).message();
                qCInfo(lcChat) << "history read of" << self->m_key << "failed:" << reason;
                Q_EMIT self->failed(purpose, reason, tag);
                return;
            }
            self->handleReply(purpose, count, tag, reply);
        });
}

void HistoryBackfill::handleReply(Purpose purpose, int count, int tag, const RedisReply &reply)
{
    QList<ChatEnvelope> page = parseEntries(reply, m_config.payloadLimitBytes);
    const bool full = reply.isArray() && reply.size() >= count;
    if (purpose != Purpose::CatchUp)
        std::reverse(page.begin(), page.end()); // XREVRANGE answers newest first
    StreamId last;
    for (const ChatEnvelope &envelope : std::as_const(page))
        last = qMax(last, envelope.streamId);
    if (purpose == Purpose::CatchUp && full && !last.isNull()) {
        // More to come. Still running while the page is announced, so that the room does not
        // start another catch-up; a slot may cancel (or delete us), which ends this one.
        const quint64 generation = m_generation[int(purpose)];
        QPointer<HistoryBackfill> self(this);
        Q_EMIT pageLoaded(purpose, page, false, false, tag);
        if (!self || m_generation[int(purpose)] != generation)
            return;
        m_running[int(purpose)] = false;
        catchUp(last, tag);
        return;
    }
    m_running[int(purpose)] = false;
    Q_EMIT pageLoaded(purpose, page, true, !full, tag);
}

QList<ChatEnvelope> HistoryBackfill::parseEntries(const RedisReply &reply, qsizetype payloadLimit)
{
    QList<ChatEnvelope> envelopes;
    if (!reply.isArray())
        return envelopes;
    envelopes.reserve(reply.size());
    for (const RedisReply &entry : reply.elements()) {
        if (!entry.isArray() || entry.size() != 2 || !entry.at(0).isString() || !entry.at(1).isArray())
            continue;
        const StreamId id = StreamId::parse(entry.at(0).bytes());
        const RedisReply &fields = entry.at(1);
        if (id.isNull() || fields.size() % 2 != 0)
            continue;
        QByteArray stored;
        bool hasEnvelope = false;
        QByteArray listing; // for entries someone else wrote: "field=value" lines
        for (qsizetype i = 0; i + 1 < fields.size(); i += 2) {
            const QByteArray name = fields.at(i).bytes();
            const QByteArray value = fields.at(i + 1).bytes();
            if (name == "env" && !hasEnvelope) {
                stored = value;
                hasEnvelope = true;
            }
            if (!listing.isEmpty())
                listing += '\n';
            listing += name + '=' + value;
        }
        ChatEnvelope envelope = ChatEnvelope::decode(hasEnvelope ? stored : listing, payloadLimit);
        envelope.streamId = id; // the entry's ID is the authority, whatever "sid" the JSON holds
        envelopes.append(envelope);
    }
    return envelopes;
}

} // namespace Redwire
