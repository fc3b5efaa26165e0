#include "LinkErrors.h"

#include "HiredisCompat.h"

#include <QCoreApplication>

namespace Redwire::LinkErrors {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Redwire::HiredisLink", text);
}
} // namespace

RedisError closing(int hiredisErr, const QString &text, bool connected)
{
    switch (hiredisErr) {
    case 0:
        return RedisError(RedisError::Code::ConnectionLost, tr("The connection was closed."));
    case REDIS_ERR_EOF:
        return RedisError(RedisError::Code::ConnectionLost, tr("The server closed the connection."));
    case REDIS_ERR_PROTOCOL:
        return RedisError(RedisError::Code::ProtocolError, tr("Protocol error: %1").arg(text));
    case REDIS_ERR_OOM:
        return RedisError(RedisError::Code::ProtocolError, tr("Out of memory while reading a reply."));
#ifdef REDIS_ERR_TIMEOUT
    case REDIS_ERR_TIMEOUT:
        return RedisError(connected ? RedisError::Code::CommandTimeout : RedisError::Code::ConnectTimeout,
            tr("Timed out: %1").arg(text));
#endif
    case REDIS_ERR_OTHER:
        // An error reply nobody waited for: hiredis closed the connection with its text.
        if (text.startsWith(QLatin1String("NOPERM")))
            return RedisError(RedisError::Code::PermissionDenied, text);
        if (text.startsWith(QLatin1String("WRONGPASS")) || text.startsWith(QLatin1String("NOAUTH")))
            return RedisError(RedisError::Code::AuthenticationFailed, text);
        return RedisError(RedisError::Code::ConnectionLost, tr("The server said: %1").arg(text));
    default:
        // Only a refused TCP connect is "refused"; a reset during a handshake is a lost connection.
        if (text.contains(QLatin1String("refused"), Qt::CaseInsensitive))
            return RedisError(RedisError::Code::ConnectionRefused, text);
        return RedisError(
            RedisError::Code::ConnectionLost, text.isEmpty() ? tr("The connection failed.") : text);
    }
}

RedisError immediateConnectFailure(const QString &endpoint, const QString &text)
{
    const bool refused = text.contains(QLatin1String("refused"), Qt::CaseInsensitive);
    const bool missing = text.contains(QLatin1String("No such file"), Qt::CaseInsensitive);
    return RedisError(
        refused || missing ? RedisError::Code::ConnectionRefused : RedisError::Code::ConnectionLost,
        tr("Cannot connect to %1: %2").arg(endpoint, text));
}

} // namespace Redwire::LinkErrors
