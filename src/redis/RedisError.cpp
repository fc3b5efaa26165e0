#include "RedisError.h"

#include "RedisReply.h"

#include <QCoreApplication>
#include <QMetaEnum>

namespace Redwire {

bool RedisError::isPermanent() const
{
    switch (m_code) {
    case Code::InvalidArgument:
    case Code::AuthenticationFailed:
    case Code::PermissionDenied:
    case Code::TlsUnavailable:
    case Code::TlsFailed: // a certificate or TLS setting that reconnecting will not change
    case Code::Unsupported:
        return true;
    default:
        return false;
    }
}

QString RedisError::codeName(Code code)
{
    return QString::fromLatin1(QMetaEnum::fromType<Code>().valueToKey(int(code)));
}

RedisError RedisError::forCommand(const RedisReply &reply, const RedisError &error)
{
    if (error.isError())
        return error;
    if (!reply.isError())
        return {};
    const QString text = QString::fromUtf8(reply.bytes());
    if (text.startsWith(QLatin1String("NOPERM")))
        return RedisError(Code::PermissionDenied, text);
    if (text.startsWith(QLatin1String("WRONGPASS")) || text.startsWith(QLatin1String("NOAUTH")))
        return RedisError(Code::AuthenticationFailed, text);
    return RedisError(Code::ServerError, text);
}

RedisError RedisError::forUnexpectedReply(const RedisReply &reply, const RedisError &error)
{
    if (const RedisError failure = forCommand(reply, error))
        return failure;
    return RedisError(Code::UnexpectedReply,
        QCoreApplication::translate("Redwire::RedisError", "Unexpected reply: %1")
            .arg(reply.toDisplayString()));
}

} // namespace Redwire
