#include "KeyspaceNotificationConfig.h"

#include "redis/CommandConnection.h"

#include <QCoreApplication>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcKeyspaceConfig, "redwire.monitor.keyspace")

namespace Redwire {

namespace {
constexpr char Setting[] = "notify-keyspace-events";
// The event classes of notify-keyspace-events (A is g$lshzxetd; m and n are only asked by name).
constexpr char EventClasses[] = "g$lshzxetdmnA";
} // namespace

KeyspaceNotificationConfig::KeyspaceNotificationConfig(CommandConnection *commands, QObject *parent)
    : QObject(parent)
    , m_commands(commands)
{
    // A restarted or failed-over server may have another setting.
    connect(m_commands, &RedisConnection::connected, this, [this] {
        if (m_wanted)
            ask();
    });
}

bool KeyspaceNotificationConfig::publishesKeyspaceChannels(const QByteArray &flags)
{
    if (!flags.contains('K'))
        return false;
    for (const char *c = EventClasses; *c; ++c)
        if (flags.contains(*c))
            return true;
    return false;
}

QByteArray KeyspaceNotificationConfig::enabledFlags(const QByteArray &current)
{
    QByteArray flags = current;
    for (char c : { 'K', 'E', 'A' })
        if (!flags.contains(c))
            flags.append(c);
    return flags;
}

QString KeyspaceNotificationConfig::enableCommand(const QByteArray &current)
{
    return QStringLiteral("CONFIG SET %1 %2")
        .arg(QLatin1String(Setting), QString::fromLatin1(enabledFlags(current)));
}

void KeyspaceNotificationConfig::check()
{
    m_wanted = true;
    ask();
}

// Asked of every node (sendToEveryNode: on a cluster each node has its own setting and publishes
// its own keys' events; elsewhere the one server): on when every node publishes key channels.
void KeyspaceNotificationConfig::ask()
{
    if (m_asking || !m_commands->isConnected())
        return;
    m_asking = true;
    m_commands->sendToEveryNode(
        { "CONFIG", "GET", Setting }, [this](const QList<CommandConnection::NodeReply> &replies) {
            m_asking = false;
            const bool several = replies.size() > 1;
            const auto where = [several](const CommandConnection::NodeReply &node) {
                return several ? tr(" (on %1)").arg(node.node.displayName()) : QString();
            };
            QByteArray onFlags;
            for (const CommandConnection::NodeReply &node : replies) {
                if (const RedisError failure = RedisError::forCommand(node.reply, node.error)) {
                    if (failure.code() == RedisError::Code::PermissionDenied || node.reply.isError())
                        setState(State::Unknown, {},
                            tr("Cannot tell whether the server publishes keyspace notifications: %1%2. If "
                               "no key events arrive, ask an administrator to run: %3")
                                .arg(failure.message(), where(node), enableCommand({})));
                    return; // a lost connection: asked again once connected
                }
                // [name, value]; an unknown setting (a server without keyspace notifications) is [].
                if (!node.reply.isArray() || node.reply.size() < 2) {
                    setState(State::Unknown, {},
                        tr("The server does not report %1%2: keyspace notifications may not be supported.")
                            .arg(QLatin1String(Setting), where(node)));
                    return;
                }
                const QByteArray flags = node.reply.at(1).bytes();
                if (!publishesKeyspaceChannels(flags)) {
                    setState(State::Off, flags,
                        flags.isEmpty()
                            ? tr("Keyspace notifications are off on this server%1 (%2 is empty): no key "
                                 "events will arrive.")
                                  .arg(where(node), QLatin1String(Setting))
                            : tr("Keyspace notifications are off on this server%1 for key channels (%2 is "
                                 "\"%3\"): no key events will arrive.")
                                  .arg(where(node), QLatin1String(Setting), QString::fromLatin1(flags)));
                    return;
                }
                if (onFlags.isEmpty())
                    onFlags = flags;
            }
            if (!onFlags.isEmpty())
                setState(State::On, onFlags, {});
        });
}

void KeyspaceNotificationConfig::enable()
{
    if (m_enabling || !m_commands->isConnected())
        return;
    m_enabling = true;
    Q_EMIT changed();
    const QByteArray flags = enabledFlags(m_flags);
    m_commands->sendToEveryNode({ "CONFIG", "SET", Setting, flags },
        [this, flags](const QList<CommandConnection::NodeReply> &replies) {
            m_enabling = false;
            for (const CommandConnection::NodeReply &node : replies) {
                const RedisError failure = RedisError::forCommand(node.reply, node.error);
                if (!failure)
                    continue;
                const QString reason = replies.size() > 1
                    ? tr("%1, on %2").arg(failure.message(), node.node.displayName())
                    : failure.message();
                const QString message = failure.code() == RedisError::Code::PermissionDenied
                    ? tr("This user may not change the server's configuration (%1). Ask an administrator to "
                         "run: %2")
                          .arg(reason, enableCommand(m_flags))
                    : tr("Cannot turn keyspace notifications on (%1). An administrator can run: %2")
                          .arg(reason, enableCommand(m_flags));
                qCInfo(lcKeyspaceConfig) << "CONFIG SET refused:" << reason;
                m_message = message;
                Q_EMIT changed();
                Q_EMIT enableFailed(message);
                return;
            }
            qCInfo(lcKeyspaceConfig) << "notify-keyspace-events set to" << flags << "on" << replies.size()
                                     << "node(s)";
            // No changed() before the answer: the setting read before the change still says off.
            m_wanted = true;
            ask();
        });
}

void KeyspaceNotificationConfig::setState(State state, const QByteArray &flags, const QString &message)
{
    if (state == m_state && flags == m_flags && message == m_message)
        return;
    m_state = state;
    m_flags = flags;
    m_message = message;
    Q_EMIT changed();
}

} // namespace Redwire
