#pragma once

#include "ChatConfig.h"
#include "RoomAddress.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

namespace Redwire {

class CommandConnection;

// Who is in a room. Every member refreshes its entry in the room's presence sorted set (score:
// the server time it expires) every presenceIntervalMs, through ChatScripts::heartbeat, which
// also removes the members whose entry expired and announces their leave (reason "timeout") in
// the room. So a client that stops (crash, lost network) drops out of everyone's list within
// presenceTtlMs + presenceIntervalMs. Join and leave envelopes seen live update the list at once.
class PresenceTracker : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QStringList members READ members NOTIFY membersChanged)
public:
    PresenceTracker(CommandConnection *commands, const RoomAddress &address, const QString &nickname,
        const ChatConfig &config, QObject *parent = nullptr);

    // Heartbeats now (once connected) and every interval.
    void start();
    // Stops heartbeating without leaving: we drop out when our entry expires.
    void stop();
    // Stops and removes us now, announcing the leave (reason "left").
    void leave();
    bool isActive() const { return m_active; }

    // Sorted; sanitised for display.
    QStringList members() const { return m_members; }
    bool isMember(const QString &nickname) const { return m_members.contains(nickname); }

    // Live join / leave envelopes are claims anyone can publish: they only make the member list
    // be read again soon (the presence set, not an envelope, says who is here).
    void noteJoined(const QString &nickname);
    void noteLeft(const QString &nickname);

Q_SIGNALS:
    void memberJoined(const QString &nickname);
    void memberLeft(const QString &nickname);
    void membersChanged();
    // After each heartbeat the server answered.
    void refreshed();
    void heartbeatFailed(const QString &reason);

private:
    void heartbeat();
    void setMembers(QStringList members);

    CommandConnection *m_commands;
    const RoomAddress m_address;
    const QString m_nickname;
    const ChatConfig m_config;
    QTimer m_timer;
    QTimer m_recheck; // a heartbeat soon after a join / leave notice (coalesced)
    QStringList m_members;
    bool m_active = false;
    bool m_inFlight = false;
    quint64 m_generation = 0; // answers to heartbeats sent before stop() are ignored
};

} // namespace Redwire
