#include "RedisError.h"

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

} // namespace Redwire
