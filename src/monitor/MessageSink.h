#pragma once

namespace Redwire {

struct MessageView;

// Something that wants every message the monitor accepts, in order: the command-line tool's
// output, a recorder. A plain virtual call rather than a signal: it runs once per message.
class MessageSink
{
public:
    virtual ~MessageSink() = default;
    virtual void messageAccepted(const MessageView &message) = 0;
};

} // namespace Redwire
