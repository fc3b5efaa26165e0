#include "ChatLogging.h"

Q_LOGGING_CATEGORY(lcChat, "redwire.chat")
