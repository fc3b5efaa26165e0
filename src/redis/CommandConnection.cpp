#include "CommandConnection.h"

#include <QCoreApplication>
#include <QTimer>

namespace Redwire {

CommandConnection::CommandConnection(const ConnectionOptions &options, QObject *parent)
    : RedisConnection(ConnectionRole::Commands, options, parent)
{ }

QString CommandConnection::refusalReason(const QList<QByteArray> &args)
{
    if (args.isEmpty())
        return QCoreApplication::translate("Redwire::CommandConnection", "An empty command.");
    // Runs for every command: compares without allocating.
    const QByteArrayView verb(args.first());
    static const QByteArrayView modeChanging[] = { "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE",
        "PUNSUBSCRIBE", "SUNSUBSCRIBE", "MONITOR", "RESET", "QUIT", "HELLO", "SYNC", "PSYNC" };
    for (const QByteArrayView refused : modeChanging) {
        if (verb.size() == refused.size() && verb.compare(refused, Qt::CaseInsensitive) == 0)
            return QCoreApplication::translate(
                "Redwire::CommandConnection", "%1 cannot be sent on a command connection.")
                .arg(QString::fromLatin1(refused.toByteArray()));
    }
    if (verb.compare("CLIENT", Qt::CaseInsensitive) == 0 && args.size() >= 2
        && args.at(1).compare("REPLY", Qt::CaseInsensitive) == 0)
        return QCoreApplication::translate(
            "Redwire::CommandConnection", "CLIENT REPLY would break the pairing of replies.");
    return {};
}

void CommandConnection::send(const QList<QByteArray> &args, ReplyHandler handler)
{
    if (m_route && refusalReason(args).isEmpty()) {
        m_route(args, std::move(handler));
        return;
    }
    sendHere(args, std::move(handler));
}

void CommandConnection::sendToEveryNode(const QList<QByteArray> &args, EveryNodeHandler handler)
{
    if (m_fanOut && refusalReason(args).isEmpty()) {
        m_fanOut(args, std::move(handler));
        return;
    }
    const ServerAddress here { options().host, options().port };
    sendHere(args, [here, handler = std::move(handler)](const RedisReply &reply, const RedisError &error) {
        if (handler)
            handler({ NodeReply { here, reply, error } });
    });
}

void CommandConnection::sendHere(const QList<QByteArray> &args, ReplyHandler handler)
{
    const QString refusal = refusalReason(args);
    if (!refusal.isEmpty()) {
        if (handler)
            QTimer::singleShot(0, this, [handler = std::move(handler), refusal] {
                handler(RedisReply(), RedisError(RedisError::Code::InvalidArgument, refusal));
            });
        return;
    }
    sendCommand(args, std::move(handler));
}

} // namespace Redwire
