#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

namespace Redwire {

class CommandConnection;

// Whether the server publishes keyspace notifications (CONFIG GET notify-keyspace-events), and
// turning them on (CONFIG SET) for a user the ACL allows to. A user who may not read or change
// the setting gets a sentence saying so and what an administrator would run instead.
class KeyspaceNotificationConfig : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Unknown, // not asked yet, not connected, or the user may not read the setting
        Off, // no `__keyspace@…` messages are published
        On,
    };
    Q_ENUM(State)

    explicit KeyspaceNotificationConfig(CommandConnection *commands, QObject *parent = nullptr);

    // Asks now (when connected) and again after every reconnect.
    void check();
    // Adds what keyspace channels need (K, E, A) to the server's flags, then checks again.
    void enable();

    State state() const { return m_state; }
    bool isEnabling() const { return m_enabling; }
    QByteArray flags() const { return m_flags; } // the server's answer, e.g. "AKE"
    // What the user should know when the state is not On, or after a refused enable(); empty else.
    QString message() const { return m_message; }

    // Whether `flags` publish on `__keyspace@…` channels: K and at least one event class.
    static bool publishesKeyspaceChannels(const QByteArray &flags);
    // `current` with K, E and A added where missing.
    static QByteArray enabledFlags(const QByteArray &current);
    // The command for an administrator, e.g. "CONFIG SET notify-keyspace-events KEA".
    static QString enableCommand(const QByteArray &current);

Q_SIGNALS:
    void changed();
    // enable() was refused (NOPERM, a read-only replica...): `message` says what to run instead.
    void enableFailed(const QString &message);

private:
    void ask();
    void setState(State state, const QByteArray &flags, const QString &message);

    CommandConnection *m_commands;
    bool m_wanted = false;
    bool m_asking = false;
    bool m_enabling = false;
    State m_state = State::Unknown;
    QByteArray m_flags;
    QString m_message;
};

} // namespace Redwire
