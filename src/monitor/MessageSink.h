#pragma once

#include <QtGlobal>

namespace Redwire {

struct MessageView;
struct SubscriptionGap;

// Something that wants every message the monitor accepts, in order: the command-line tool's
// output, a recorder. A plain virtual call rather than a signal: it runs once per message.
class MessageSink
{
public:
    virtual ~MessageSink() = default;
    virtual void messageAccepted(const MessageView &message) = 0;
    // The subscription was broken from gap.sinceMs to gap.timeMs; given in order with the messages.
    virtual void gapRecorded(const SubscriptionGap &gap) { Q_UNUSED(gap) }
};

} // namespace Redwire
