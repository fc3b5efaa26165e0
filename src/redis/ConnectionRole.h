#pragma once

namespace Redwire {

// What travels over a connection: request/reply commands, or Pub/Sub. Decides which replies the
// reader accepts (a subscriber takes unsolicited Pub/Sub frames; a command connection takes only
// answers to what it sent).
enum class ConnectionRole { Commands, Subscriber };

} // namespace Redwire
