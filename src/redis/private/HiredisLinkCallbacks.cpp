#include "HiredisLinkCallbacks.h"

#include "HiredisLink.h"
#include "HiredisReplies.h"

#include <cstring>

namespace Redwire {

using HiredisReplies::bytesOf;
using HiredisReplies::cachedName;
using HiredisReplies::toRedisReply;

HiredisLink *HiredisLinkCallbacks::link(const redisAsyncContext *context)
{
    return static_cast<HiredisLink *>(context->data);
}

void HiredisLinkCallbacks::connected(const redisAsyncContext *context, int status)
{
    HiredisLink *self = link(context);
    if (!self)
        return;
    if (status == REDIS_OK) {
        self->m_connected = true;
        self->push({ HiredisLink::Event::Type::Connected, self->m_generation, {}, {}, {} });
    } else {
        self->noteHiredisError();
    }
}

void HiredisLinkCallbacks::disconnected(const redisAsyncContext *context, int status)
{
    HiredisLink *self = link(context);
    if (self && status != REDIS_OK)
        self->noteHiredisError();
}

void HiredisLinkCallbacks::reply(redisAsyncContext *context, void *r, void *)
{
    HiredisLink *self = link(context);
    // A null reply means the context is being freed; the owner fails what is pending.
    if (!self || !r)
        return;
    self->push({ HiredisLink::Event::Type::Reply, self->m_generation,
        toRedisReply(static_cast<const redisReply *>(r)), {}, {} });
}

void HiredisLinkCallbacks::shardFrame(HiredisLink *self, ReplyGuard::Frame frame, const QByteArray &channel,
    const QByteArray &payload, qint64 count)
{
    HiredisLink::Event event { HiredisLink::Event::Type::PubSub, self->m_generation, {}, {}, {} };
    PubSubEvent &ev = event.pubSub;
    ev.kind = frame == ReplyGuard::Frame::ShardMessage ? PubSubEvent::Kind::ShardMessage
        : frame == ReplyGuard::Frame::ShardSubscribe   ? PubSubEvent::Kind::ShardSubscribed
                                                       : PubSubEvent::Kind::ShardUnsubscribed;
    ev.channel = channel;
    ev.payload = payload;
    ev.count = count;
    ev.readTimeMs = self->m_readTimeMs;
    self->push(std::move(event));
}

void HiredisLinkCallbacks::pubSub(redisAsyncContext *context, void *r, void *)
{
    HiredisLink *self = link(context);
    if (!self || !r)
        return;
    // ReplyGuard has checked the shape: an array of 3 or 4 with the expected element types.
    const auto *reply = static_cast<const redisReply *>(r);
    if (reply->type == REDIS_REPLY_ERROR) {
        HiredisLink::Event event { HiredisLink::Event::Type::PubSub, self->m_generation, {}, {}, {} };
        event.pubSub.kind = PubSubEvent::Kind::Error;
        event.pubSub.payload = bytesOf(reply);
        self->push(std::move(event));
        return;
    }
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 3)
        return;
    const redisReply *const *e = reply->element;
    HiredisLink::Event event { HiredisLink::Event::Type::PubSub, self->m_generation, {}, {}, {} };
    PubSubEvent &ev = event.pubSub;
    ev.readTimeMs = self->m_readTimeMs;
    // The guard classified this frame while the reader built it; it is the one dispatched.
    const ReplyGuard &guard = *self->m_guard;
    switch (guard.lastFrame()) {
    case ReplyGuard::Frame::Message:
        ev.kind = PubSubEvent::Kind::Message;
        ev.channel = cachedName(self->m_lastChannel, e[1]);
        ev.payload = bytesOf(e[2]);
        break;
    case ReplyGuard::Frame::PatternMessage:
        ev.kind = PubSubEvent::Kind::PatternMessage;
        ev.pattern = cachedName(self->m_lastPattern, e[1]);
        ev.channel = cachedName(self->m_lastChannel, e[2]);
        ev.payload = bytesOf(e[3]);
        break;
    case ReplyGuard::Frame::Subscribe:
    case ReplyGuard::Frame::Unsubscribe: {
        const bool subscribe = guard.lastFrame() == ReplyGuard::Frame::Subscribe;
        if (guard.lastFrameIsPattern())
            ev.kind
                = subscribe ? PubSubEvent::Kind::PatternSubscribed : PubSubEvent::Kind::PatternUnsubscribed;
        else
            ev.kind = subscribe ? PubSubEvent::Kind::Subscribed : PubSubEvent::Kind::Unsubscribed;
        ev.channel = bytesOf(e[1]);
        ev.count = e[2]->type == REDIS_REPLY_INTEGER ? e[2]->integer : 0;
        break;
    }
    default:
        return; // a pong (reported by the guard) or an ordered reply to no one
    }
    self->push(std::move(event));
}

} // namespace Redwire
