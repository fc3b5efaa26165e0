#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Redwire {

// An owning copy of one reply from the server: nil, integer, string, status, error or array.
// Holds no pointer into hiredis; cheap to copy (implicitly shared byte arrays).
class RedisReply
{
public:
    enum class Type { Nil, Integer, String, Status, Error, Array };

    RedisReply() = default;

    static RedisReply nil() { return RedisReply(); }
    static RedisReply integer(qint64 value);
    static RedisReply string(const QByteArray &bytes);
    static RedisReply status(const QByteArray &text);
    static RedisReply error(const QByteArray &text);
    static RedisReply array(QList<RedisReply> elements);

    Type type() const { return m_type; }
    bool isNil() const { return m_type == Type::Nil; }
    bool isInteger() const { return m_type == Type::Integer; }
    bool isString() const { return m_type == Type::String; }
    bool isStatus() const { return m_type == Type::Status; }
    bool isError() const { return m_type == Type::Error; }
    bool isArray() const { return m_type == Type::Array; }

    qint64 toInteger() const { return m_integer; }
    // The bytes of a string, status or error reply; empty for the other types.
    const QByteArray &bytes() const { return m_bytes; }
    const QList<RedisReply> &elements() const { return m_elements; }
    qsizetype size() const { return m_elements.size(); }
    const RedisReply &at(qsizetype index) const { return m_elements.at(index); }

    // A redis-cli-like rendering, for logs and test failure messages.
    QString toDisplayString() const;

    friend bool operator==(const RedisReply &a, const RedisReply &b);
    friend bool operator!=(const RedisReply &a, const RedisReply &b) { return !(a == b); }

private:
    Type m_type = Type::Nil;
    qint64 m_integer = 0;
    QByteArray m_bytes;
    QList<RedisReply> m_elements;
};

} // namespace Redwire
