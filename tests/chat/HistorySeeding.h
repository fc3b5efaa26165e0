#pragma once

// Fills a room's history stream quickly for the reading and search tests: pipelined sends
// through the protocol's send script, one wait for all of them.
#include "chat/ChatEnvelope.h"
#include "chat/ChatScripts.h"
#include "chat/RoomAddress.h"
#include "chat/StreamId.h"

#include "redis/CommandConnection.h"

#include <QTest>

#include <functional>
#include <memory>

namespace ChatTest {

// Stores `count` messages from `sender` whose texts `textOf(n)` gives (n from 1); returns their
// stream IDs in order (empty on failure).
inline QList<Redwire::StreamId> seedMessages(Redwire::CommandConnection &connection,
    const Redwire::RoomAddress &room, const QString &sender, int count,
    const std::function<QString(int)> &textOf)
{
    auto ids = std::make_shared<QList<Redwire::StreamId>>();
    ids->resize(count);
    auto answered = std::make_shared<int>(0);
    auto failed = std::make_shared<bool>(false);
    for (int n = 1; n <= count; ++n) {
        const Redwire::ChatEnvelope envelope
            = Redwire::ChatEnvelope::create(Redwire::ChatEnvelope::Kind::Message, sender, textOf(n));
        connection.send(Redwire::ChatScripts::eval(Redwire::ChatScripts::send(),
                            { room.historyKey(), room.sentKey(envelope.id.toUtf8()) },
                            { room.channel(), envelope.encode(), "10000", "60000" }),
            [ids, answered, failed, n](const Redwire::RedisReply &reply, const Redwire::RedisError &error) {
                ++*answered;
                const Redwire::StreamId id = Redwire::StreamId::parse(reply.bytes());
                if (error.isError() || id.isNull())
                    *failed = true;
                (*ids)[n - 1] = id;
            });
    }
    if (!QTest::qWaitFor([&] { return *answered == count; }, 60000) || *failed)
        return {};
    return *ids;
}

} // namespace ChatTest
