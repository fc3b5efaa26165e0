// A fixture for the layering check: the redis layer must not include the chat layer above it.
#pragma once
#include "chat/ChatRoom.h"
