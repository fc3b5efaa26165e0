#pragma once

#include "redis/RedisError.h"

#include <QMetaType>
#include <QObject>
#include <QString>

namespace Redwire {

// Why something the chat was asked to do did not happen: a kind a caller can act on, one
// translated sentence for the user (message()), and the Redis error behind it when there is one.
class ChatError
{
    Q_GADGET
public:
    enum class Kind {
        NoError,
        NoNickname, // asked before a nickname was chosen
        InvalidName, // a nickname or room name the protocol does not allow
        NicknameLocked, // the nickname cannot change while conversations are open
        SubscribeRefused, // the server refused the room's subscription (cause: NOPERM, ...)
        ChangeNotSent, // an edit, delete or reaction of ours failed
        NotQueued, // the outbox refused what we wrote
    };
    Q_ENUM(Kind)

    ChatError() = default;
    ChatError(Kind kind, const QString &message, const RedisError &cause = {})
        : m_kind(kind)
        , m_message(message)
        , m_cause(cause)
    { }

    Kind kind() const { return m_kind; }
    QString message() const { return m_message; }
    const RedisError &cause() const { return m_cause; }
    bool isError() const { return m_kind != Kind::NoError; }
    explicit operator bool() const { return isError(); }

private:
    Kind m_kind = Kind::NoError;
    QString m_message;
    RedisError m_cause;
};

} // namespace Redwire

Q_DECLARE_METATYPE(Redwire::ChatError)
