#pragma once

#include "HiredisCompat.h"
#include "ReplyGuard.h"

#include <QByteArray>

namespace Redwire {

class HiredisLink;

// The C callbacks given to hiredis. They only record events on the link (HiredisLink::push);
// HiredisLink::drain() hands them to our code once hiredis has returned.
struct HiredisLinkCallbacks
{
    static HiredisLink *link(const redisAsyncContext *context);
    static void connected(const redisAsyncContext *context, int status);
    static void disconnected(const redisAsyncContext *context, int status);
    // A reply to a command.
    static void reply(redisAsyncContext *context, void *reply, void *privdata);
    // A Pub/Sub frame (or an error reply to a subscription), already checked by the ReplyGuard.
    static void pubSub(redisAsyncContext *context, void *reply, void *privdata);
    // A sharded Pub/Sub frame, reported by the ReplyGuard while the reader built it (hiredis
    // has no callback for it and drops it afterwards).
    static void shardFrame(HiredisLink *self, ReplyGuard::Frame frame, const QByteArray &channel,
        const QByteArray &payload, qint64 count);
};

} // namespace Redwire
