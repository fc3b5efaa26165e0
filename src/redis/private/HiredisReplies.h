#pragma once

#include "../RedisReply.h"
#include "HiredisCompat.h"

#include <QByteArray>

namespace Redwire {

// Copies out of hiredis's reply objects (built as ReplyNodes by the ReplyGuard).
namespace HiredisReplies {

RedisReply toRedisReply(const redisReply *reply);
// A string element's bytes, shared with the node when it can be (no copy).
QByteArray bytesOf(const redisReply *reply);
// Floods are mostly on a few channels: returns `cache`, refreshed only when the name differs.
const QByteArray &cachedName(QByteArray &cache, const redisReply *reply);

} // namespace HiredisReplies
} // namespace Redwire
