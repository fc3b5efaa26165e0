#pragma once

#include "StreamId.h"

#include <QByteArray>
#include <QObject>

#include <functional>
#include <optional>

namespace Redwire {

class CommandConnection;
class RoomTimeline;

// Counts what the user has not read in a conversation from its read marker: the conversation
// messages from others stored after the marker, up to a given ID (what the timeline already
// holds; later ones are counted as they arrive). Reads at most `limit` entries
// (XRANGE (marker upTo COUNT limit); when there are more, `more` is set and the badge says so.
class UnreadCount
{
public:
    struct Result
    {
        int unread = 0;
        int mentions = 0;
        bool more = false; // the limit was reached: at least `unread`
    };

    // The same count over the messages `timeline` holds after `after` (by their place in the
    // timeline: messages without a stream ID count where they arrived). Null when the timeline
    // holds nothing stored up to `after`: what lies between is unknown.
    static std::optional<Result> countHeld(const RoomTimeline &timeline, const StreamId &after);

    static void count(CommandConnection *commands, const QByteArray &historyKey, const StreamId &after,
        const StreamId &upTo, const QString &nickname, int limit, int payloadLimit, QObject *context,
        std::function<void(const Result &)> done);
};

} // namespace Redwire
