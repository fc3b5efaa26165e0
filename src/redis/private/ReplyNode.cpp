#include "ReplyNode.h"

#include <cstdlib>
#include <new>
#include <type_traits>

namespace Redwire {

static_assert(std::is_standard_layout_v<redisReply>);

namespace {

// Nodes freed on this thread, ready for reuse. Bounded so a burst does not pin memory forever.
struct FreeList
{
    ReplyNode *head = nullptr;
    int size = 0;
    static constexpr int MaxSize = 2048;

    ~FreeList()
    {
        while (head) {
            ReplyNode *next = head->nextFree;
            delete head;
            head = next;
        }
    }
};

thread_local FreeList freeList;

} // namespace

ReplyNode *ReplyNode::create(int type)
{
    ReplyNode *node = freeList.head;
    if (node) {
        freeList.head = node->nextFree;
        --freeList.size;
    } else {
        node = new (std::nothrow) ReplyNode;
        if (!node)
            return nullptr;
    }
    node->reply = redisReply {};
    node->reply.type = type;
    node->nextFree = nullptr;
    return node;
}

void ReplyNode::destroy(void *object)
{
    auto *reply = static_cast<redisReply *>(object);
    if (!reply)
        return;
    ReplyNode *node = from(reply);
    if (reply->type == REDIS_REPLY_ARRAY && reply->element) {
        for (size_t i = 0; i < reply->elements; ++i)
            destroy(reply->element[i]);
        if (reply->element != node->elements)
            std::free(reply->element);
    }
    node->bytes = QByteArray();
    if (freeList.size < FreeList::MaxSize) {
        node->nextFree = freeList.head;
        freeList.head = node;
        ++freeList.size;
    } else {
        delete node;
    }
}

QByteArray ReplyNode::sharedBytes(const redisReply *reply)
{
    const ReplyNode *node = from(reply);
    if (!node->bytes.isNull())
        return node->bytes;
    return QByteArray(reply->str, qsizetype(reply->len));
}

} // namespace Redwire
