#pragma once

// For tests of src/redis: what one command's handler received, and a blocking-in-test round trip.
// Header-only, so that the fixture library does not depend on redwire_redis.
#include "redis/CommandConnection.h"

#include <QTest>

namespace RedwireTest {

// Records what one command handler received, and how often (it must be exactly once).
struct Outcome
{
    int calls = 0;
    Redwire::RedisReply reply;
    Redwire::RedisError error;
    Redwire::CommandConnection::ReplyHandler handler()
    {
        return [this](const Redwire::RedisReply &r, const Redwire::RedisError &e) {
            ++calls;
            reply = r;
            error = e;
        };
    }
};

// Sends one command and waits (on the event loop) for its reply; a failure comes back as an
// error reply carrying the error's message, a missing reply as "test: no reply".
inline Redwire::RedisReply roundTrip(
    Redwire::CommandConnection &connection, const QList<QByteArray> &args, int timeoutMs = 10000)
{
    Outcome outcome;
    connection.send(args, outcome.handler());
    if (!QTest::qWaitFor([&] { return outcome.calls > 0; }, timeoutMs))
        return Redwire::RedisReply::error("test: no reply");
    return outcome.error.isError() ? Redwire::RedisReply::error(outcome.error.message().toUtf8())
                                   : outcome.reply;
}

inline QString describe(const Redwire::RedisError &error)
{
    return QStringLiteral("%1: %2").arg(Redwire::RedisError::codeName(error.code()), error.message());
}

} // namespace RedwireTest
