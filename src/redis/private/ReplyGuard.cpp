#include "ReplyGuard.h"

#include "ReplyNode.h"

#include <cstdlib>
#include <cstring>

#include <QCoreApplication>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

namespace {
// The translation context of this file's messages, for members and free functions alike.
struct ReplyGuardText
{
    Q_DECLARE_TR_FUNCTIONS(Redwire::ReplyGuard)
};
} // namespace

// The C functions hiredis's reader calls for every object it builds. Each one checks the object
// against what async.c can survive, then builds it as a ReplyNode.
struct ReplyGuard::Hooks
{
    // Hooks the new object into its parent array, as hiredis's own functions do.
    static void *attach(const redisReadTask *task, ReplyNode *node)
    {
        if (task->parent) {
            auto *parent = static_cast<redisReply *>(task->parent->obj);
            parent->element[task->idx] = &node->reply;
        }
        return &node->reply;
    }

    static ReplyGuard *guard(const redisReadTask *task) { return static_cast<ReplyGuard *>(task->privdata); }

    // Every object: nesting depth and the size of the whole reply first, then its shape.
    static bool check(const redisReadTask *task, int type, qint64 elements, const char *str, size_t len)
    {
        ReplyGuard *g = guard(task);
        if (!task->parent)
            g->m_replyBytes = 0;
        int depth = 0;
        for (const redisReadTask *t = task->parent; t; t = t->parent)
            ++depth;
        // hiredis 0.14's reader stops at 7 nested levels; 1.x has no limit, and our copies and
        // frees recurse: the same limit for both.
        if (depth > MaxNesting)
            return g->refuse(
                ReplyGuardText::tr("The server sent a reply nested deeper than %1 levels.").arg(MaxNesting));
        g->m_replyBytes += ObjectOverhead + qint64(len) + elements * qint64(sizeof(void *));
        if (g->m_replyBytes > g->m_maxReplyBytes)
            return g->refuse(
                ReplyGuardText::tr("The server sent a reply larger than %1 bytes.").arg(g->m_maxReplyBytes));
        return task->parent ? g->checkChild(task, type, str, len) : g->checkTopLevel(type, elements);
    }

    static void *createString(const redisReadTask *task, char *str, size_t len)
    {
        ReplyGuard *g = guard(task);
        if (task->type != REDIS_REPLY_STRING && task->type != REDIS_REPLY_STATUS
            && task->type != REDIS_REPLY_ERROR) {
            g->refuse(ReplyGuardText::tr("The server sent a RESP3 reply on a RESP2 connection."));
            return nullptr;
        }
        if (!check(task, task->type, 0, str, len))
            return nullptr;
        ReplyNode *node = ReplyNode::create(task->type);
        if (!node)
            return nullptr;
        if (len < ReplyNode::InlineTextCapacity) {
            std::memcpy(node->text, str, len);
            node->text[len] = '\0';
            node->reply.str = node->text;
        } else {
            node->bytes = QByteArray(str, qsizetype(len)); // NUL-terminated, as hiredis's are
            node->reply.str = const_cast<char *>(node->bytes.constData());
        }
        node->reply.len = len;
        return attach(task, node);
    }

    static void *createArray(const redisReadTask *task, RedwireArrayCount elements)
    {
        ReplyGuard *g = guard(task);
        if (task->type != REDIS_REPLY_ARRAY) {
            g->refuse(ReplyGuardText::tr("The server sent a RESP3 aggregate on a RESP2 connection."));
            return nullptr;
        }
        if (qint64(elements) > g->m_maxArrayElements) {
            g->refuse(
                ReplyGuardText::tr("The server announced an array of %1 elements, more than the limit of %2.")
                    .arg(qint64(elements))
                    .arg(g->m_maxArrayElements));
            return nullptr;
        }
        if (!check(task, REDIS_REPLY_ARRAY, qint64(elements), nullptr, 0))
            return nullptr;
        ReplyNode *node = ReplyNode::create(REDIS_REPLY_ARRAY);
        if (!node)
            return nullptr;
        if (elements > 0) {
            if (size_t(elements) <= ReplyNode::InlineElements) {
                std::memset(node->elements, 0, sizeof node->elements);
                node->reply.element = node->elements;
            } else {
                node->reply.element
                    = static_cast<redisReply **>(std::calloc(size_t(elements), sizeof(redisReply *)));
                if (!node->reply.element) {
                    ReplyNode::destroy(&node->reply);
                    return nullptr;
                }
            }
            node->reply.elements = size_t(elements);
        }
        return attach(task, node);
    }

    static void *createInteger(const redisReadTask *task, long long value)
    {
        guard(task)->m_pendingInteger = value; // a shard confirmation's count, for its report
        if (!check(task, REDIS_REPLY_INTEGER, 0, nullptr, 0))
            return nullptr;
        ReplyNode *node = ReplyNode::create(REDIS_REPLY_INTEGER);
        if (!node)
            return nullptr;
        node->reply.integer = value;
        return attach(task, node);
    }

    static void *createNil(const redisReadTask *task)
    {
        // "$-1" and "*-1" come typed as string or array; a task typed nil is RESP3's "_".
        if (task->type == REDIS_REPLY_NIL) {
            guard(task)->refuse(ReplyGuardText::tr("The server sent a RESP3 null on a RESP2 connection."));
            return nullptr;
        }
        if (!check(task, REDIS_REPLY_NIL, 0, nullptr, 0))
            return nullptr;
        ReplyNode *node = ReplyNode::create(REDIS_REPLY_NIL);
        return node ? attach(task, node) : nullptr;
    }

#if REDWIRE_HIREDIS_1X
    static void *createDouble(const redisReadTask *task, double, char *, size_t)
    {
        guard(task)->refuse(ReplyGuardText::tr("The server sent a RESP3 double on a RESP2 connection."));
        return nullptr;
    }

    static void *createBool(const redisReadTask *task, int)
    {
        guard(task)->refuse(ReplyGuardText::tr("The server sent a RESP3 boolean on a RESP2 connection."));
        return nullptr;
    }
#endif
};

ReplyGuard::ReplyGuard(ConnectionRole role, qint64 maxArrayElements, qint64 maxReplyBytes)
    : m_role(role)
    , m_maxArrayElements(maxArrayElements)
    , m_maxReplyBytes(maxReplyBytes)
{ }

namespace {
// One table for every reader: the state lives in the reader's privdata, the guard.
redisReplyObjectFunctions makeFunctions()
{
    redisReplyObjectFunctions functions {};
    functions.createString = &ReplyGuard::Hooks::createString;
    functions.createArray = &ReplyGuard::Hooks::createArray;
    functions.createInteger = &ReplyGuard::Hooks::createInteger;
    functions.createNil = &ReplyGuard::Hooks::createNil;
#if REDWIRE_HIREDIS_1X
    functions.createDouble = &ReplyGuard::Hooks::createDouble;
    functions.createBool = &ReplyGuard::Hooks::createBool;
#endif
    functions.freeObject = &ReplyNode::destroy;
    return functions;
}
redisReplyObjectFunctions guardFunctions = makeFunctions();
} // namespace

void ReplyGuard::install(redisAsyncContext *context)
{
    m_context = context;
    redisReader *reader = context->c.reader;
    // Whatever hiredis's reader holds was built by its own functions; nothing is buffered yet.
    Q_ASSERT(reader->reply == nullptr);
    reader->fn = &guardFunctions;
    reader->privdata = this;
}

void ReplyGuard::topicRequested(bool pattern, const QByteArray &name)
{
    (pattern ? m_patterns : m_channels).insert(name);
}

void ReplyGuard::pingSent(const QByteArray &token)
{
    m_pingToken = token;
    ++m_pingsOutstanding;
}

bool ReplyGuard::refuse(const QString &why)
{
    if (m_refusal.isEmpty())
        m_refusal = why;
    qCWarning(lcRedis) << "refusing a reply:" << why;
    return false;
}

bool ReplyGuard::checkTopLevel(int type, qint64 elements)
{
    m_route = Route::Ordered;
    m_frame = Frame::Unknown;
    m_topElements = elements;
    // A command is waiting: hiredis hands it whatever comes, and our callback copes with any shape.
    if (m_context->replies.head != nullptr)
        return true;
    // hiredis closes the connection with the error's text; nothing to refuse.
    if (type == REDIS_REPLY_ERROR)
        return true;
    if (!(m_context->c.flags & REDIS_SUBSCRIBED) || m_role != ConnectionRole::Subscriber)
        return refuse(ReplyGuardText::tr("The server sent a reply that no command was waiting for."));
    const bool mayBePong = elements == 2 && m_pingsOutstanding > 0;
    if (type != REDIS_REPLY_ARRAY || (elements != 3 && elements != 4 && !mayBePong))
        return refuse(ReplyGuardText::tr("The server sent a malformed Pub/Sub frame."));
    m_route = Route::PubSub;
    return true;
}

bool ReplyGuard::checkShardFrameEnd(int type, const char *str, size_t len)
{
    const bool message = m_frame == Frame::ShardMessage;
    if (message && type != REDIS_REPLY_STRING)
        return refuse(ReplyGuardText::tr("The server sent a Pub/Sub message whose payload is not a string."));
    if (!message && type != REDIS_REPLY_INTEGER)
        return refuse(ReplyGuardText::tr("The server sent a subscription count that is not an integer."));
    // The frame is complete; hiredis drops it after this (it has no callback for it).
    const QByteArray payload = message ? QByteArray(str, qsizetype(len)) : QByteArray();
    const qint64 count = message ? 0 : m_pendingInteger;
    if (m_frame == Frame::ShardUnsubscribe)
        m_shardChannels.remove(m_frameTopic);
    if (m_shardListener)
        m_shardListener(m_frame, m_frameTopic, payload, count);
    return true;
}

bool ReplyGuard::checkChild(const redisReadTask *task, int type, const char *str, size_t len)
{
    if (m_route == Route::Ordered)
        return true;
    if (task->parent->parent != nullptr || type == REDIS_REPLY_ARRAY)
        return refuse(ReplyGuardText::tr("The server sent a nested array inside a Pub/Sub frame."));
    switch (task->idx) {
    case 0: {
        if (type != REDIS_REPLY_STRING)
            return refuse(ReplyGuardText::tr("The server sent a Pub/Sub frame whose kind is not a string."));
        const QByteArrayView kind(str, qsizetype(len)); // no copy: this runs for every message
        m_framePattern = kind.startsWith('p');
        if (kind == "message" || kind == "pmessage")
            m_frame = m_framePattern ? Frame::PatternMessage : Frame::Message;
        else if (kind == "smessage")
            m_frame = Frame::ShardMessage;
        else if (kind == "ssubscribe")
            m_frame = Frame::ShardSubscribe;
        else if (kind == "sunsubscribe")
            m_frame = Frame::ShardUnsubscribe;
        else if (kind == "subscribe" || kind == "psubscribe")
            m_frame = Frame::Subscribe;
        else if (kind == "unsubscribe" || kind == "punsubscribe")
            m_frame = Frame::Unsubscribe;
        else if (kind == "pong" && m_topElements == 2 && m_pingsOutstanding > 0)
            m_frame = Frame::Pong;
        else
            return refuse(ReplyGuardText::tr("The server sent an unexpected Pub/Sub frame \"%1\".")
                              .arg(QString::fromLatin1(kind.toByteArray().left(32).toPercentEncoding())));
        const qint64 expected = m_frame == Frame::PatternMessage ? 4 : m_frame == Frame::Pong ? 2 : 3;
        if (m_topElements != expected)
            return refuse(ReplyGuardText::tr("The server sent a \"%1\" frame with %2 elements instead of %3.")
                              .arg(QString::fromLatin1(kind.toByteArray()))
                              .arg(m_topElements)
                              .arg(expected));
        return true;
    }
    case 1:
        if (type != REDIS_REPLY_STRING)
            return refuse(ReplyGuardText::tr("The server sent a Pub/Sub frame without a channel name."));
        if (m_frame == Frame::Pong) {
            if (QByteArrayView(str, qsizetype(len)) != m_pingToken)
                return refuse(ReplyGuardText::tr("The server answered a PING we never sent."));
            // The frame is complete; hiredis 0.14 then looks it up as a pattern and drops it.
            --m_pingsOutstanding;
            if (m_pongListener)
                m_pongListener();
            return true;
        }
        if (m_frame == Frame::Subscribe || m_frame == Frame::Unsubscribe) {
            m_frameTopic = QByteArray(str, qsizetype(len));
            if (!(m_framePattern ? m_patterns : m_channels).contains(m_frameTopic))
                return refuse(ReplyGuardText::tr("The server confirmed a subscription we never asked for."));
        }
        if (isShard(m_frame)) {
            m_frameTopic = QByteArray(str, qsizetype(len));
            if (!m_shardChannels.contains(m_frameTopic))
                return refuse(ReplyGuardText::tr("The server sent a sharded frame for a channel we never subscribed to."));
        }
        return true;
    case 2:
        if (isShard(m_frame))
            return checkShardFrameEnd(type, str, len);
        if (m_frame == Frame::Subscribe || m_frame == Frame::Unsubscribe) {
            if (type != REDIS_REPLY_INTEGER)
                return refuse(
                    ReplyGuardText::tr("The server sent a subscription count that is not an integer."));
            // The frame is complete: hiredis processes it before reading anything else.
            if (m_frame == Frame::Unsubscribe)
                (m_framePattern ? m_patterns : m_channels).remove(m_frameTopic);
            return true;
        }
        if (type != REDIS_REPLY_STRING)
            return refuse(
                ReplyGuardText::tr("The server sent a Pub/Sub message whose payload is not a string."));
        return true;
    case 3:
        if (type != REDIS_REPLY_STRING)
            return refuse(
                ReplyGuardText::tr("The server sent a Pub/Sub message whose payload is not a string."));
        return true;
    default:
        return refuse(ReplyGuardText::tr("The server sent a malformed Pub/Sub frame."));
    }
}

} // namespace Redwire
