#pragma once

#include "chat/ChatConfig.h"

#include "redis/CommandConnection.h"
#include "redis/ConnectionOptions.h"

#include "ConnectionOptionsFor.h"
#include "RedisServerProcess.h"

#include <QTest>

#include <memory>

namespace ChatTest {

// Quick reconnects against a test server, and liveness checks twice a second.
inline Redwire::ConnectionOptions optionsFor(const RedwireTest::RedisServerProcess &server)
{
    Redwire::ConnectionOptions options = RedwireTest::connectionOptionsFor(server);
    options.heartbeatIntervalMs = 500;
    return options;
}

// Timings shortened so that presence and typing can be watched within a test.
inline Redwire::ChatConfig fastConfig()
{
    Redwire::ChatConfig config;
    config.presenceIntervalMs = 100;
    config.presenceTtlMs = 400;
    config.typingIntervalMs = 200;
    config.typingTimeoutMs = 1000;
    config.transientRetryDelayMs = 50;
    return config;
}

// Sends one command and waits (spinning the event loop) for its reply; an error becomes an
// error reply whose text says what happened.
inline Redwire::RedisReply roundTrip(Redwire::CommandConnection &connection, const QList<QByteArray> &args)
{
    struct Outcome
    {
        bool done = false;
        Redwire::RedisReply reply;
    };
    auto outcome = std::make_shared<Outcome>(); // the handler may outlive a timed-out wait
    connection.send(args, [outcome](const Redwire::RedisReply &reply, const Redwire::RedisError &error) {
        outcome->reply = error.isError() ? Redwire::RedisReply::error(error.message().toUtf8()) : reply;
        outcome->done = true;
    });
    if (!QTest::qWaitFor([outcome] { return outcome->done; }, 10000))
        return Redwire::RedisReply::error("test: no reply within 10 s");
    return outcome->reply;
}

} // namespace ChatTest
