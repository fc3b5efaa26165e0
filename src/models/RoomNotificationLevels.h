#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

namespace Redwire {

class ChatRoom;
class ChatSettings;

// The notification level of each room ("all", "mentions" or "none"): the user's choice kept in
// ChatSettings, or without settings the default (everything for a direct conversation, mentions
// for a room).
class RoomNotificationLevels : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    void setPreferences(ChatSettings *preferences);
    // Empty for no room.
    QString levelOf(const ChatRoom *room) const;
    // Kept only with settings.
    void setLevel(const ChatRoom *room, const QString &level);
    // Tells `room` whether its every message can notify (level "all"), now and whenever the
    // levels change: a room that does has every message's sender checked as it arrives
    // (RoomSenderChecks); otherwise mentions and direct messages first.
    void watch(ChatRoom *room);

Q_SIGNALS:
    // A room's level may read differently.
    void changed();

private:
    QPointer<ChatSettings> m_preferences;
};

} // namespace Redwire
