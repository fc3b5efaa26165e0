#include "RoomNotificationLevels.h"

#include "ChatSettings.h"
#include "RoomListModel.h"
#include "chat/ChatRoom.h"

namespace Redwire {

void RoomNotificationLevels::setPreferences(ChatSettings *preferences)
{
    if (m_preferences)
        disconnect(m_preferences, nullptr, this, nullptr);
    m_preferences = preferences;
    if (preferences)
        connect(preferences, &ChatSettings::notificationLevelChanged, this, &RoomNotificationLevels::changed);
    Q_EMIT changed();
}

QString RoomNotificationLevels::levelOf(const ChatRoom *room) const
{
    if (!room)
        return {};
    if (m_preferences)
        return m_preferences->notificationLevel(RoomListModel::keyFor(room));
    return room->isDirect() ? QStringLiteral("all") : QStringLiteral("mentions");
}

void RoomNotificationLevels::setLevel(const ChatRoom *room, const QString &level)
{
    if (room && m_preferences)
        m_preferences->setNotificationLevel(RoomListModel::keyFor(room), level);
}

void RoomNotificationLevels::watch(ChatRoom *room)
{
    const auto apply = [this, room] { room->setEveryMessageNotifies(levelOf(room) == QLatin1String("all")); };
    apply();
    connect(this, &RoomNotificationLevels::changed, room, apply); // until the room is gone
}

} // namespace Redwire
