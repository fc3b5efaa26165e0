#pragma once

// How a test connects to its private server. Header-only, so that the fixture library does not
// depend on redwire_redis.
#include "redis/ConnectionOptions.h"

#include "RedisServerProcess.h"

namespace RedwireTest {

// Timeouts that a loaded machine (the sanitizer build) stays well inside, and quick reconnects
// (50 ms, doubling to 300 ms) so that a test that drops a connection sees it come back at once.
// A test that times something out sets its own, shorter, timeout.
inline Redwire::ConnectionOptions connectionOptionsFor(const RedisServerProcess &server)
{
    Redwire::ConnectionOptions options;
    options.host = server.host();
    options.port = server.port();
    options.connectTimeoutMs = 5000;
    options.commandTimeoutMs = 5000;
    options.reconnect.initialDelayMs = 50;
    options.reconnect.maxDelayMs = 300;
    return options;
}

// The same, signing in as an ACL user of the server's (RedisServerProcess::Options::aclUsers).
inline Redwire::ConnectionOptions connectionOptionsAs(
    const RedisServerProcess &server, const QString &user, const QString &password)
{
    Redwire::ConnectionOptions options = connectionOptionsFor(server);
    options.username = user;
    options.password = password;
    return options;
}

// The options of a redis+sentinel:// or redis+cluster:// address (a test's own: it must parse),
// with the same quick reconnects and a 3 s command timeout.
inline Redwire::ConnectionOptions connectionOptionsForUrl(const QString &url)
{
    QString error;
    Redwire::ConnectionOptions options = Redwire::ConnectionOptions::fromUrl(url, &error);
    if (!error.isEmpty())
        qFatal("%s", qPrintable(error));
    options.commandTimeoutMs = 3000;
    options.reconnect.initialDelayMs = 50;
    options.reconnect.maxDelayMs = 500;
    return options;
}

} // namespace RedwireTest
