#pragma once

#include "ChatConfig.h"

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>

namespace Redwire {

class CommandConnection;

// Presence that follows a person rather than a room: every session writes
// redwire:{user:<me>}:presence ("online" or "away", expiring after presenceTtlMs) every
// presenceIntervalMs and at once when it changes, and reads the same key of the people it is
// told to watch (direct-conversation partners, room members) as often. So a direct conversation
// with someone who shares no room knows whether they are there, and anyone sees who is away.
class UserPresence : public QObject
{
    Q_OBJECT
public:
    // What a person's key says. Absent: no session of theirs wrote it within the TTL (or an
    // older client, which writes none).
    enum class State { Absent, Online, Away };
    Q_ENUM(State)

    // People watched at most (the rest are not read).
    static constexpr int MaxWatched = 200;

    UserPresence(CommandConnection *commands, const ChatConfig &config, QObject *parent = nullptr);

    void setNickname(const QString &nickname);
    // Our own state: away after a while without input (the app decides), online otherwise.
    void setAway(bool away);
    bool isAway() const { return m_away; }
    // The people whose keys are read, most important first (deduplicated, bounded here).
    void setWatched(QStringList nicknames);
    QStringList watched() const { return m_watched; }
    State stateOf(const QString &nickname) const { return m_states.value(nickname, State::Absent); }

Q_SIGNALS:
    // stateOf() changed for at least one watched person.
    void statesChanged();

private:
    void beat();
    void writeOwn();
    void readWatched();

    CommandConnection *m_commands;
    const ChatConfig m_config;
    QString m_nickname;
    bool m_away = false;
    QStringList m_watched;
    QHash<QString, State> m_states;
    QTimer m_timer;
    quint64 m_generation = 0; // answers for an older nickname or watch list are ignored
};

} // namespace Redwire
