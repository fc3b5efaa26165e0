#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

namespace Redwire {

class RedisReply;

// Why a connection or a command failed. A server's own error reply (-ERR ...) arrives as a
// RedisReply of type Error; forCommand() folds both into one typed error.
class RedisError
{
    Q_GADGET
    Q_PROPERTY(Code code READ code CONSTANT)
    Q_PROPERTY(QString message READ message CONSTANT)
public:
    enum class Code {
        NoError,
        InvalidArgument, // the call itself was wrong (bad option, forbidden command)
        HostNotFound,
        ConnectionRefused,
        ConnectTimeout,
        ConnectionLost, // the server closed the connection or the socket failed
        HeartbeatTimeout, // the subscriber connection went silent
        CommandTimeout,
        ProtocolError, // the server sent something we refuse to parse
        AuthenticationFailed, // wrong password, unknown user, NOAUTH
        PermissionDenied, // NOPERM: the ACL forbids a command or channel
        ServerError, // an unexpected error reply during the handshake
        NotConnected,
        Aborted, // the connection was closed by us before the reply came
        TlsUnavailable, // this build has no TLS
        TlsFailed,
        Unsupported, // the server cannot do it here (SSUBSCRIBE before Redis 7; MOVED for a shard channel)
        UnexpectedReply, // a reply of a shape the command does not give
    };
    Q_ENUM(Code)

    RedisError() = default;
    RedisError(Code code, const QString &message)
        : m_code(code)
        , m_message(message)
    { }

    Code code() const { return m_code; }
    QString message() const { return m_message; }
    bool isError() const { return m_code != Code::NoError; }
    explicit operator bool() const { return isError(); }

    // Errors after which reconnecting with the same settings cannot help.
    bool isPermanent() const;

    static QString codeName(Code code);

    // What a command's handler was given, as one error: the transport's (timeout, lost
    // connection), else the server's error reply (NOPERM: PermissionDenied, WRONGPASS/NOAUTH:
    // AuthenticationFailed, any other: ServerError, with the server's text), else none.
    static RedisError forCommand(const RedisReply &reply, const RedisError &error);
    // The same for a reply that is not the one wanted: forCommand()'s error, else the reply as an
    // UnexpectedReply ("Unexpected reply: …"). One text for every caller: message().
    static RedisError forUnexpectedReply(const RedisReply &reply, const RedisError &error);

private:
    Code m_code = Code::NoError;
    QString m_message;
};

} // namespace Redwire

Q_DECLARE_METATYPE(Redwire::RedisError)
