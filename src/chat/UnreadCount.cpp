#include "UnreadCount.h"

#include "ChatLogging.h"
#include "ChatMessage.h"
#include "HistoryBackfill.h"
#include "RoomTimeline.h"

#include "redis/CommandConnection.h"

#include <QPointer>

namespace Redwire {

void UnreadCount::count(CommandConnection *commands, const QByteArray &historyKey, const StreamId &after,
    const StreamId &upTo, const QString &nickname, int limit, int payloadLimit, QObject *context,
    std::function<void(const Result &)> done)
{
    if (after.isNull() || upTo.isNull() || !(after < upTo)) {
        done({});
        return;
    }
    const int entries = qMax(1, limit);
    QPointer<QObject> guard(context);
    commands->send({ "XRANGE", historyKey, '(' + after.toByteArray(), upTo.toByteArray(), "COUNT",
                       QByteArray::number(entries) },
        [guard, nickname, entries, payloadLimit, done = std::move(done)](
            const RedisReply &reply, const RedisError &error) {
            if (!guard)
                return;
            if (error.isError() || reply.isError() || !reply.isArray()) {
                qCInfo(lcChat) << "unread count not read:" << RedisError::forCommand(reply, error).message();
                return;
            }
            Result result;
            for (const ChatEnvelope &envelope : HistoryBackfill::parseEntries(reply, payloadLimit)) {
                const ChatMessage message = ChatMessage::fromEnvelope(envelope, nickname, 0);
                // Our own messages (from any device of ours) are read.
                if (message.own || !message.isConversation())
                    continue;
                ++result.unread;
                if (message.mentionsMe)
                    ++result.mentions;
            }
            result.more = reply.size() >= entries;
            done(result);
        });
}

std::optional<UnreadCount::Result> UnreadCount::countHeld(const RoomTimeline &timeline, const StreamId &after)
{
    int first = -1; // the first row after the last stored one up to `after`
    for (int row = timeline.count() - 1; row >= 0; --row) {
        const StreamId id = timeline.at(row).streamId;
        if (!id.isNull() && id <= after) {
            first = row + 1;
            break;
        }
    }
    if (first < 0)
        return std::nullopt;
    Result result;
    for (int row = first; row < timeline.count(); ++row) {
        const ChatMessage &message = timeline.at(row);
        if (message.own || !message.isConversation() || message.trust == SenderTrust::Forged)
            continue;
        ++result.unread;
        if (message.mentionsMe)
            ++result.mentions;
    }
    return result;
}

} // namespace Redwire
