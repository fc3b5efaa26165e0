#pragma once

namespace Redwire {

// What plays the sound of a notification (ChatNotificationPolicy asks; tests count the asks).
class NotificationSound
{
public:
    virtual ~NotificationSound() = default;
    virtual void play() = 0;
};

} // namespace Redwire
