#include "HiredisReplies.h"

#include "ReplyNode.h"

#include <cstring>

namespace Redwire::HiredisReplies {

RedisReply toRedisReply(const redisReply *r)
{
    switch (r->type) {
    case REDIS_REPLY_INTEGER:
        return RedisReply::integer(r->integer);
    case REDIS_REPLY_STRING:
        return RedisReply::string(ReplyNode::sharedBytes(r));
    case REDIS_REPLY_STATUS:
        return RedisReply::status(QByteArray(r->str, qsizetype(r->len)));
    case REDIS_REPLY_ERROR:
        return RedisReply::error(QByteArray(r->str, qsizetype(r->len)));
    case REDIS_REPLY_ARRAY: {
        QList<RedisReply> elements;
        elements.reserve(qsizetype(r->elements));
        for (size_t i = 0; i < r->elements; ++i)
            elements.append(r->element[i] ? toRedisReply(r->element[i]) : RedisReply::nil());
        return RedisReply::array(std::move(elements));
    }
    default:
        return RedisReply::nil();
    }
}

QByteArray bytesOf(const redisReply *r)
{
    return ReplyNode::sharedBytes(r);
}

const QByteArray &cachedName(QByteArray &cache, const redisReply *r)
{
    if (qsizetype(r->len) != cache.size() || std::memcmp(r->str, cache.constData(), r->len) != 0)
        cache = bytesOf(r);
    return cache;
}

} // namespace Redwire::HiredisReplies
