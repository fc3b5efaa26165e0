#pragma once

#include "RedisServerProcess.h"

#include <QByteArray>
#include <QStringList>

namespace RedwireSoak {

// redis-cli against the soak's server, run while the event loop keeps going: a DEBUG SLEEP or a
// burst through --pipe must not freeze the chat sessions that share the soak's thread.
class ServerCli
{
public:
    explicit ServerCli(const RedwireTest::RedisServerProcess *server)
        : m_server(server)
    { }

    // `args` after the connection arguments; `input` (when not empty) is written to stdin and
    // closed, for --pipe or a MULTI ... EXEC read line by line. Killed after timeoutMs.
    RedwireTest::RedisServerProcess::CliResult run(
        const QStringList &args, const QByteArray &input = {}, int timeoutMs = 10000) const;
    // stdout trimmed, or empty when redis-cli did not finish.
    QByteArray output(const QStringList &args, int timeoutMs = 10000) const;

private:
    const RedwireTest::RedisServerProcess *m_server;
};

} // namespace RedwireSoak
