#include "RedisReply.h"

namespace Redwire {

RedisReply RedisReply::integer(qint64 value)
{
    RedisReply r;
    r.m_type = Type::Integer;
    r.m_integer = value;
    return r;
}

RedisReply RedisReply::string(const QByteArray &bytes)
{
    RedisReply r;
    r.m_type = Type::String;
    r.m_bytes = bytes;
    return r;
}

RedisReply RedisReply::status(const QByteArray &text)
{
    RedisReply r;
    r.m_type = Type::Status;
    r.m_bytes = text;
    return r;
}

RedisReply RedisReply::error(const QByteArray &text)
{
    RedisReply r;
    r.m_type = Type::Error;
    r.m_bytes = text;
    return r;
}

RedisReply RedisReply::array(QList<RedisReply> elements)
{
    RedisReply r;
    r.m_type = Type::Array;
    r.m_elements = std::move(elements);
    return r;
}

QString RedisReply::toDisplayString() const
{
    switch (m_type) {
    case Type::Nil:
        return QStringLiteral("(nil)");
    case Type::Integer:
        return QStringLiteral("(integer) %1").arg(m_integer);
    case Type::String:
        return QLatin1Char('"') + QString::fromUtf8(m_bytes) + QLatin1Char('"');
    case Type::Status:
        return QString::fromUtf8(m_bytes);
    case Type::Error:
        return QStringLiteral("(error) ") + QString::fromUtf8(m_bytes);
    case Type::Array: {
        QStringList parts;
        parts.reserve(m_elements.size());
        for (const RedisReply &element : m_elements)
            parts << element.toDisplayString();
        return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    }
    return {};
}

bool operator==(const RedisReply &a, const RedisReply &b)
{
    return a.m_type == b.m_type && a.m_integer == b.m_integer && a.m_bytes == b.m_bytes
        && a.m_elements == b.m_elements;
}

} // namespace Redwire
