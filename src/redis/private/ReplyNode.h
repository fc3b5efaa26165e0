#pragma once

#include "HiredisCompat.h"

#include <QByteArray>

namespace Redwire {

// Our own redisReply objects, built by ReplyGuard in place of hiredis's defaults. A node is a
// real redisReply (async.c reads the struct) with room around it: short strings and the element
// pointers of small arrays live inside the node, longer strings in a QByteArray that callbacks
// can share instead of copying, and freed nodes go back to a per-thread free list. This takes
// hiredis's per-message mallocs (eight for a Pub/Sub message) down to one for the payload.
struct ReplyNode
{
    static constexpr size_t InlineTextCapacity = 40;
    static constexpr size_t InlineElements = 4;

    redisReply reply; // must stay the first member: hiredis sees &reply
    QByteArray bytes; // the text of strings longer than the inline capacity
    redisReply *elements[InlineElements];
    char text[InlineTextCapacity];
    ReplyNode *nextFree;

    static ReplyNode *from(const redisReply *reply)
    {
        return reinterpret_cast<ReplyNode *>(const_cast<redisReply *>(reply));
    }

    static ReplyNode *create(int type);
    static void destroy(void *reply); // hiredis's freeObject; recursive

    // The string's bytes, shared when they were stored in a QByteArray.
    static QByteArray sharedBytes(const redisReply *reply);
};

} // namespace Redwire
