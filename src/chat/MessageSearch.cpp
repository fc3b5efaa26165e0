#include "MessageSearch.h"

#include "ChatLogging.h"
#include "ChatMessage.h"
#include "HistoryBackfill.h"
#include "RoomTimeline.h"

#include "redis/CommandConnection.h"

#include <QPointer>

namespace Redwire {

MessageSearch::MessageSearch(CommandConnection *commands, const RoomTimeline *timeline,
    const QByteArray &historyKey, const QString &nickname, const ChatConfig &config, QObject *parent)
    : QObject(parent)
    , m_commands(commands)
    , m_timeline(timeline)
    , m_key(historyKey)
    , m_nickname(nickname)
    , m_config(config)
{ }

bool MessageSearch::matches(const QString &text) const
{
    return text.contains(m_text, Qt::CaseInsensitive);
}

void MessageSearch::cancel()
{
    ++m_generation;
    if (m_running) {
        m_running = false;
        Q_EMIT progressChanged();
    }
}

void MessageSearch::start(const QString &text)
{
    ++m_generation;
    m_text = text.trimmed();
    m_searched = 0;
    m_complete = false;
    m_running = false;
    m_error.clear();
    if (!m_hits.isEmpty()) {
        m_hits.clear();
        Q_EMIT hitsCleared();
    }
    if (m_text.isEmpty()) {
        Q_EMIT progressChanged();
        return;
    }
    // What is held first, newest first. Stored messages only: a result is a place to jump to.
    QList<Hit> found;
    StreamId oldestHeld;
    for (int row = m_timeline->count() - m_timeline->unplacedCount() - 1; row >= 0; --row) {
        const ChatMessage &message = m_timeline->at(row);
        if (message.streamId.isNull())
            continue;
        oldestHeld = message.streamId;
        ++m_searched;
        if (message.isConversation() && matches(message.text))
            found.append(
                { message.streamId, message.sender, message.text, message.timestampMs, message.external });
    }
    if (!found.isEmpty()) {
        m_hits = found;
        Q_EMIT hitsAdded(0, int(found.size()) - 1);
    }
    // Then the server, below what is held (or all of it when nothing is).
    m_before = oldestHeld;
    m_fromEnd = oldestHeld.isNull();
    m_batchEnd = m_searched + qMax(1, m_config.searchBatch);
    m_running = true;
    Q_EMIT progressChanged();
    requestPage();
}

void MessageSearch::searchFurther()
{
    if (m_running || m_complete || m_text.isEmpty())
        return;
    m_error.clear();
    m_batchEnd = m_searched + qMax(1, m_config.searchBatch);
    m_running = true;
    Q_EMIT progressChanged();
    requestPage();
}

void MessageSearch::requestPage()
{
    const int count = qMax(1, qMin(m_config.searchPageSize, m_batchEnd - m_searched));
    m_asked = count;
    const QByteArray end = m_fromEnd ? QByteArray("+") : '(' + m_before.toByteArray();
    const quint64 generation = m_generation;
    QPointer<MessageSearch> self(this);
    m_commands->send({ "XREVRANGE", m_key, end, "-", "COUNT", QByteArray::number(count) },
        [self, generation](const RedisReply &reply, const RedisError &error) {
            if (!self || self->m_generation != generation)
                return;
            if (error.isError() || reply.isError() || !reply.isArray()) {
                self->m_error
                    = tr("The search stopped: %1").arg(RedisError::forCommand(reply, error).message());
                self->m_running = false;
                Q_EMIT self->progressChanged();
                return;
            }
            self->pageRead(reply);
        });
}

void MessageSearch::pageRead(const RedisReply &reply)
{
    const QList<ChatEnvelope> entries = HistoryBackfill::parseEntries(reply, m_config.payloadLimitBytes);
    QList<Hit> found;
    m_searched += int(reply.size());
    for (const ChatEnvelope &envelope : entries) { // newest first
        if (m_fromEnd || envelope.streamId < m_before)
            m_before = envelope.streamId;
        m_fromEnd = false;
        const ChatMessage message = ChatMessage::fromEnvelope(envelope, m_nickname, 0);
        if (message.isConversation() && matches(message.text))
            found.append(
                { message.streamId, message.sender, message.text, message.timestampMs, message.external });
    }
    if (!found.isEmpty()) {
        const int first = int(m_hits.size());
        m_hits += found;
        Q_EMIT hitsAdded(first, int(m_hits.size()) - 1);
    }
    // A short page (or an empty one) is the start of the stream.
    if (reply.size() < m_asked || entries.isEmpty()) {
        m_complete = true;
        m_running = false;
    } else if (m_searched >= m_batchEnd) {
        m_running = false;
    }
    Q_EMIT progressChanged();
    if (m_running)
        requestPage();
}

} // namespace Redwire
