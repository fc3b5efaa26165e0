#pragma once

#include "../RedisError.h"

#include <QString>

namespace Redwire {

// Turns what hiredis reports (its `err` code and `errstr`) into our typed errors.
namespace LinkErrors {

// Why a connection closed: hiredis's error code (0: none recorded), its text, and whether the
// connection had been established (a timeout before that is a connect timeout).
RedisError closing(int hiredisErr, const QString &text, bool connected);

// Why redisAsyncConnect failed before anything was sent.
RedisError immediateConnectFailure(const QString &endpoint, const QString &text);

} // namespace LinkErrors
} // namespace Redwire
