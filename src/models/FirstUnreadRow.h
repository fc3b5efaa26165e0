#pragma once

#include "chat/ChatMessage.h"
#include "chat/StreamId.h"

#include <functional>

namespace Redwire {

// Where the "new messages" divider of a room goes: the row of the first message someone else
// wrote after the divider's stream ID, or received live since the divider's arrival, whichever is
// higher up (messages without a stream ID, plain PUBLISHes, have only their arrival). -1 when
// there is none, or while older pages that may hold it are still to come.
struct FirstUnreadRow
{
    StreamId after; // the last message read, by stream ID (null: none)
    quint64 atArrival = 0; // messages that arrived from this arrival on are unread (0: none)
    bool olderPagesToCome = false;

    int find(int rowCount, const std::function<const ChatMessage &(int)> &messageAt) const;
};

} // namespace Redwire
