#include "FirstUnreadRow.h"

namespace Redwire {

int FirstUnreadRow::find(int rowCount, const std::function<const ChatMessage &(int)> &messageAt) const
{
    int found = -1;
    if (!after.isNull()) {
        bool reachedAfter = false;
        for (int row = rowCount - 1; row >= 0; --row) {
            const ChatMessage &message = messageAt(row);
            if (message.streamId.isNull())
                continue;
            if (message.streamId <= after) {
                reachedAfter = true;
                break;
            }
            if (message.isConversation() && !message.own)
                found = row;
        }
        if (!reachedAfter && olderPagesToCome)
            found = -1;
    }
    if (atArrival > 0) {
        int byArrival = -1;
        for (int row = rowCount - 1; row >= 0; --row) {
            const ChatMessage &message = messageAt(row);
            if (message.arrival != 0 && message.arrival < atArrival)
                break; // received before the room was left
            if (message.arrival >= atArrival && message.isConversation() && !message.own)
                byArrival = row;
        }
        if (byArrival >= 0 && (found < 0 || byArrival < found))
            found = byArrival;
    }
    return found;
}

} // namespace Redwire
