#include "LinkErrors.h"

#include "HiredisCompat.h"

#include <QCoreApplication>

namespace Redwire::LinkErrors {

namespace {
// The translation context of this file's messages, for members and free functions alike.
struct LinkErrorsText
{
    Q_DECLARE_TR_FUNCTIONS(Redwire::HiredisLink)
};
} // namespace

RedisError closing(int hiredisErr, const QString &text, bool connected)
{
    switch (hiredisErr) {
    case 0:
        return RedisError(RedisError::Code::ConnectionLost, LinkErrorsText::tr("The connection was closed."));
    case REDIS_ERR_EOF:
        return RedisError(
            RedisError::Code::ConnectionLost, LinkErrorsText::tr("The server closed the connection."));
    case REDIS_ERR_PROTOCOL:
        return RedisError(
            RedisError::Code::ProtocolError, LinkErrorsText::tr("Protocol error: %1").arg(text));
    case REDIS_ERR_OOM:
        return RedisError(
            RedisError::Code::ProtocolError, LinkErrorsText::tr("Out of memory while reading a reply."));
#ifdef REDIS_ERR_TIMEOUT
    case REDIS_ERR_TIMEOUT:
        return RedisError(connected ? RedisError::Code::CommandTimeout : RedisError::Code::ConnectTimeout,
            LinkErrorsText::tr("Timed out: %1").arg(text));
#endif
    case REDIS_ERR_OTHER:
        // An error reply nobody waited for: hiredis closed the connection with its text.
        if (text.startsWith(QLatin1String("NOPERM")))
            return RedisError(RedisError::Code::PermissionDenied, text);
        if (text.startsWith(QLatin1String("WRONGPASS")) || text.startsWith(QLatin1String("NOAUTH")))
            return RedisError(RedisError::Code::AuthenticationFailed, text);
        // A command this server does not have (SSUBSCRIBE before Redis 7).
        if (text.startsWith(QLatin1String("ERR unknown command")))
            return RedisError(
                RedisError::Code::Unsupported, LinkErrorsText::tr("The server said: %1").arg(text));
        // A cluster node asked for a shard channel whose slot another node serves.
        if (text.startsWith(QLatin1String("MOVED ")))
            return RedisError(RedisError::Code::Unsupported,
                LinkErrorsText::tr(
                    "The server said: %1 (another node of the cluster serves this channel's "
                    "slot: connect to that node, or give the cluster's address as redis+cluster://)")
                    .arg(text));
        return RedisError(
            RedisError::Code::ConnectionLost, LinkErrorsText::tr("The server said: %1").arg(text));
    default:
        // Only a refused TCP connect is "refused"; a reset during a handshake is a lost connection.
        if (text.contains(QLatin1String("refused"), Qt::CaseInsensitive))
            return RedisError(RedisError::Code::ConnectionRefused, text);
        return RedisError(RedisError::Code::ConnectionLost,
            text.isEmpty() ? LinkErrorsText::tr("The connection failed.") : text);
    }
}

RedisError immediateConnectFailure(const QString &endpoint, const QString &text)
{
    const bool refused = text.contains(QLatin1String("refused"), Qt::CaseInsensitive);
    const bool missing = text.contains(QLatin1String("No such file"), Qt::CaseInsensitive);
    return RedisError(
        refused || missing ? RedisError::Code::ConnectionRefused : RedisError::Code::ConnectionLost,
        LinkErrorsText::tr("Cannot connect to %1: %2").arg(endpoint, text));
}

} // namespace Redwire::LinkErrors
