#include "SubscriptionGap.h"

namespace Redwire {

const char *SubscriptionGap::causeName(Cause cause)
{
    switch (cause) {
    case Cause::ConnectionLost:
        return "connection-lost";
    case Cause::ConnectionFailed:
        return "connection-failed";
    case Cause::HeartbeatTimeout:
        return "heartbeat-timeout";
    case Cause::ServerLost:
        return "server-lost";
    case Cause::Killed:
        return "killed";
    case Cause::ProbablyOutputBufferLimit:
        return "probably-output-buffer-limit";
    case Cause::OutputBufferLimit:
        return "output-buffer-limit";
    }
    return "connection-lost";
}

} // namespace Redwire
