#include "HiredisLink.h"
#include "HiredisLinkCallbacks.h"

#include "../RedisConnection.h"
#include "HiredisCompat.h"
#include "HiredisReplies.h"
#include "LinkErrors.h"
#include "QtEventAdapter.h"
#include "ReplyNode.h"
#include "RespCommandWriter.h"
#if REDWIRE_TLS
#include "TlsClientContext.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#endif

#include <QCoreApplication>
#include <QDateTime>
#include <QHostAddress>
#include <QLoggingCategory>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

namespace {

// The translation context of this file's messages, for members and free functions alike.
struct HiredisLinkText
{
    Q_DECLARE_TR_FUNCTIONS(Redwire::HiredisLink)
};

// We read() the socket ourselves and feed hiredis's reader in slices, because the reader moves
// the unparsed rest of its buffer forward after every kilobyte it consumes: fed one large buffer
// it would copy that buffer over and over. The read buffer starts small and grows while reads
// fill it (a flood), so an idle connection holds 64 KiB and a busy one reads 1 MiB per call.
// Measured with tests/bench (docs/PERFORMANCE.md): 1 MiB reads and 8 KiB slices beat 16 KiB reads.
constexpr qsizetype MinReadBufferSize = 64 * 1024;
constexpr qsizetype MaxReadBufferSize = 1024 * 1024;
constexpr qsizetype ReaderSlice = 8 * 1024;
constexpr int MaxReadsPerWakeup = 4;
constexpr qint64 MaxArrayElements = qint64(1) << 24;

void ignoreSigPipeOnce()
{
#ifndef Q_OS_WIN
    // hiredis writes with plain write()/send(): a peer that went away must not kill us.
    static std::once_flag once;
    std::call_once(once, [] { std::signal(SIGPIPE, SIG_IGN); });
#endif
}

} // namespace

#if !REDWIRE_TLS
// Builds without TLS never create one; the type only has to be complete for the member.
class TlsClientContext
{
};
#endif

HiredisLink::HiredisLink(ConnectionRole role, RedisConnection *owner)
    : m_role(role)
    , m_owner(owner)
    , m_alive(std::make_shared<bool>(true))
{
    ignoreSigPipeOnce();
}

HiredisLink::~HiredisLink()
{
    m_owner = nullptr;
    if (m_context) {
        redisAsyncContext *context = m_context;
        m_quiet = true;
        redisAsyncFree(context);
    }
}

RedisError HiredisLink::open(const ConnectionOptions &options, const QString &numericAddress)
{
    if (m_context)
        abort(RedisError(RedisError::Code::Aborted, HiredisLinkText::tr("Replaced by a new connection.")),
            false);
    ++m_generation;
    m_connected = false;
    m_closeReported = false;
    m_quiet = false;
    m_hiredisErr = 0;
    m_hiredisErrorText.clear();
    m_abortError = RedisError();
    m_gotReply = false;
    m_maxReplyBytes = options.maxReplyBytes;
    m_fastRead = !options.tls.enabled;

#if REDWIRE_TLS
    // A fresh TLS context per attempt: changed certificates or names take effect at once.
    m_tls.reset();
    m_tlsSession = nullptr;
    if (options.tls.enabled) {
        static std::once_flag initOnce;
        std::call_once(initOnce, [] { redisInitOpenSSL(); });
        RedisError error;
        m_tls = TlsClientContext::create(options.tls, options.host, &error);
        if (!m_tls)
            return error;
    }
#else
    if (options.tls.enabled)
        return RedisError(RedisError::Code::TlsUnavailable,
            HiredisLinkText::tr(
                "This build of Redwire has no TLS support (it needs hiredis 1.0 or later with "
                "hiredis_ssl)."));
#endif

    redisAsyncContext *context = nullptr;
    if (!options.unixSocket.isEmpty()) {
        context = redisAsyncConnectUnix(options.unixSocket.toLocal8Bit().constData());
    } else {
        const QByteArray address = numericAddress.toLatin1();
#if REDWIRE_HIREDIS_1X
        redisOptions redis {};
        REDIS_OPTIONS_SET_TCP(&redis, address.constData(), int(options.port));
        // hiredis's own connect timeout, driven through the adapter's timer hook.
        struct timeval connectTimeout;
        connectTimeout.tv_sec = options.connectTimeoutMs / 1000;
        connectTimeout.tv_usec = (options.connectTimeoutMs % 1000) * 1000;
        redis.connect_timeout = &connectTimeout;
        context = redisAsyncConnectWithOptions(&redis);
#else
        context = redisAsyncConnect(address.constData(), int(options.port));
#endif
    }
    if (!context)
        return RedisError(
            RedisError::Code::ConnectionLost, HiredisLinkText::tr("Out of memory while connecting."));
    if (context->err) {
        const QString text = QString::fromUtf8(context->errstr);
        redisAsyncFree(context);
        return LinkErrors::immediateConnectFailure(options.endpointDisplayName(), text);
    }
    m_context = context;
    context->data = this;

#if REDWIRE_TLS
    if (m_tls) {
        RedisError error;
        SSL *session = m_tls->newSession(&error);
        if (session && redisInitiateSSL(&context->c, session) != REDIS_OK) {
            error = RedisError(RedisError::Code::TlsFailed,
                HiredisLinkText::tr("TLS failed: %1").arg(QString::fromUtf8(context->c.errstr)));
            SSL_free(session); // hiredis takes it only on success
            session = nullptr;
        }
        if (!session) {
            m_context = nullptr;
            context->data = nullptr;
            redisAsyncFree(context);
            return error;
        }
        m_tlsSession = session; // owned by hiredis from here on
    }
#endif
    attach(options);
    return {};
}

void HiredisLink::attach(const ConnectionOptions &options)
{
    redisAsyncContext *context = m_context;
    m_guard = std::make_unique<ReplyGuard>(m_role, MaxArrayElements, options.maxReplyBytes);
    m_guard->install(context);
    m_guard->setPongListener([this] {
        Event event { Event::Type::PubSub, m_generation, {}, {}, {} };
        event.pubSub.kind = PubSubEvent::Kind::Pong;
        push(std::move(event));
    });
    m_guard->setShardFrameListener(
        [this](ReplyGuard::Frame frame, const QByteArray &channel, const QByteArray &payload, qint64 count) {
            HiredisLinkCallbacks::shardFrame(this, frame, channel, payload, count);
        });

    const std::weak_ptr<bool> alive = m_alive;
    QtEventAdapter::Handlers handlers;
    handlers.readable = [this] { handleReadable(); };
    handlers.writable = [this] { handleWritable(); };
    handlers.timeout = [this] { handleTimeout(); };
    handlers.cleanedUp = [this, alive] {
        if (!alive.expired())
            contextCleanedUp();
    };
    m_adapter = QtEventAdapter::attach(context, std::move(handlers), m_owner);

    redisAsyncSetConnectCallback(context, &HiredisLinkCallbacks::connected);
    redisAsyncSetDisconnectCallback(context, &HiredisLinkCallbacks::disconnected);
    if (options.tcpKeepAlive && options.unixSocket.isEmpty())
        redisEnableKeepAlive(&context->c);
    if (m_fastRead && !m_readBuffer) {
        m_readBufferSize = MinReadBufferSize;
        m_readBuffer.reset(new char[size_t(m_readBufferSize)]);
    }
}

bool HiredisLink::argvCommand(
    const QList<QByteArray> &args, void (*callback)(redisAsyncContext *, void *, void *))
{
    if (!m_context || args.isEmpty())
        return false;
    RespCommandWriter::write(args, m_commandBuffer);
    const int status = redisAsyncFormattedCommand(
        m_context, callback, nullptr, m_commandBuffer.constData(), size_t(m_commandBuffer.size()));
    if (m_commandBuffer.capacity() > 64 * 1024)
        m_commandBuffer = QByteArray(); // do not keep a huge command's buffer around
    drain();
    return status == REDIS_OK;
}

bool HiredisLink::send(const QList<QByteArray> &args)
{
    return argvCommand(args, &HiredisLinkCallbacks::reply);
}

bool HiredisLink::sendSubscription(const QList<QByteArray> &args)
{
    if (!m_context || args.size() < 2)
        return false;
    const QByteArray verb = args.first().toLower();
    if (verb == "subscribe" || verb == "psubscribe") {
        for (qsizetype i = 1; i < args.size(); ++i)
            m_guard->topicRequested(verb == "psubscribe", args[i]);
    } else if (verb == "ssubscribe" || verb == "sunsubscribe") {
        // hiredis files these as ordinary commands. On a connection subscribed to a classic
        // channel their answers and messages are looked up as classic frames and dropped (the
        // guard reports them); on any other, an smessage would make hiredis assert.
        if (!(m_context->c.flags & REDIS_SUBSCRIBED))
            return false;
        if (verb == "ssubscribe") {
            for (qsizetype i = 1; i < args.size(); ++i)
                m_guard->shardChannelRequested(args[i]);
        }
    }
    return argvCommand(args, &HiredisLinkCallbacks::pubSub);
}

bool HiredisLink::sendPing(const QByteArray &token)
{
    if (!m_context || !(m_context->c.flags & REDIS_SUBSCRIBED))
        return false;
    m_guard->pingSent(token);
    // hiredis 0.14 files the callback under commands sent while subscribed and never calls it
    // (the pong is dispatched as a pattern message); 1.1+ calls it with the pong, which
    // pubSub() ignores. The guard reports the pong either way.
    return argvCommand({ "PING", token }, &HiredisLinkCallbacks::pubSub);
}

void HiredisLink::handleReadable()
{
    redisAsyncContext *context = m_context;
    if (!context)
        return;
    if (!REDWIRE_FAST_READ || !m_fastRead || !(context->c.flags & REDIS_CONNECTED)) {
        m_readTimeMs = QDateTime::currentMSecsSinceEpoch();
        redisAsyncHandleRead(context);
        drain();
        return;
    }
#if REDWIRE_FAST_READ
    const std::weak_ptr<bool> alive = m_alive;
    for (int round = 0; round < MaxReadsPerWakeup; ++round) {
        const ssize_t n = ::read(int(context->c.fd), m_readBuffer.get(), size_t(m_readBufferSize));
        if (n > 0) {
            // One clock read per socket read (up to 1 MiB, thousands of messages in a flood)
            // rather than one per message.
            m_readTimeMs = QDateTime::currentMSecsSinceEpoch();
            for (ssize_t offset = 0; offset < n && m_context == context; offset += ReaderSlice) {
                const size_t slice = size_t(std::min<ssize_t>(ReaderSlice, n - offset));
                if (redisReaderFeed(context->c.reader, m_readBuffer.get() + offset, slice) != REDIS_OK) {
                    abort(RedisError(RedisError::Code::ProtocolError,
                              HiredisLinkText::tr("Out of memory while reading a reply.")),
                        true);
                    break;
                }
                redisProcessCallbacks(context);
                if (m_context != context)
                    break;
                const redisReader *reader = context->c.reader;
                if (qint64(reader->len - reader->pos) > m_maxReplyBytes) {
                    abort(RedisError(RedisError::Code::ProtocolError,
                              HiredisLinkText::tr("The server sent a reply larger than %1 bytes.")
                                  .arg(m_maxReplyBytes)),
                        true);
                    break;
                }
                drain();
                if (alive.expired() || m_context != context)
                    return;
            }
            if (m_context != context)
                break;
            if (n < m_readBufferSize)
                break;
            // The socket had more than we could take: read more at a time from now on.
            if (m_readBufferSize < MaxReadBufferSize) {
                m_readBufferSize = std::min(MaxReadBufferSize, m_readBufferSize * 4);
                m_readBuffer.reset(new char[size_t(m_readBufferSize)]);
            }
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        // End of stream or a socket error: let hiredis read it again, find out and tear down.
        redisAsyncHandleRead(context);
        break;
    }
    if (!alive.expired())
        drain();
#endif
}

void HiredisLink::handleWritable()
{
    if (!m_context)
        return;
    redisAsyncHandleWrite(m_context);
    drain();
}

void HiredisLink::handleTimeout()
{
#if REDWIRE_HIREDIS_HAS_TIMER_HOOK
    if (!m_context)
        return;
    redisAsyncHandleTimeout(m_context);
    drain();
#endif
}

void HiredisLink::noteHiredisError()
{
    if (!m_context || m_hiredisErr)
        return;
    m_hiredisErr = m_context->c.err;
    m_hiredisErrorText = QString::fromUtf8(m_context->c.errstr);
}

void HiredisLink::contextCleanedUp()
{
    // hiredis is freeing the context: record why, forget the pointer, report once when it returns.
    noteHiredisError();
    RedisError error = closingError();
#if REDWIRE_TLS
    // Before the first reply, OpenSSL may know better than hiredis's "Success" (the session is
    // still alive here: hiredis frees it after this hook).
    if (m_tlsSession && !m_gotReply && !m_abortError.isError()) {
        const RedisError tlsError = TlsClientContext::handshakeFailure(m_tlsSession);
        if (tlsError.isError())
            error = tlsError;
    }
    m_tlsSession = nullptr;
#endif
    m_context = nullptr;
    m_connected = false;
    if (m_quiet || m_closeReported)
        return;
    m_closeReported = true;
    push({ Event::Type::Closed, m_generation, {}, {}, error });
}

RedisError HiredisLink::closingError() const
{
    if (m_abortError.isError())
        return m_abortError;
    if (m_guard && !m_guard->refusal().isEmpty())
        return RedisError(RedisError::Code::ProtocolError, m_guard->refusal());
    return LinkErrors::closing(m_hiredisErr, m_hiredisErrorText, m_connected);
}

void HiredisLink::abort(const RedisError &error, bool notify)
{
    if (!m_context)
        return;
    if (!m_abortError.isError())
        m_abortError = error;
    if (!notify) {
        m_quiet = true;
        ++m_generation; // whatever this context queued is stale now
    }
    redisAsyncContext *context = m_context;
    // hiredis calls the pending callbacks with no reply and, through the adapter, contextCleanedUp().
    redisAsyncFree(context);
    m_context = nullptr;
    drain();
}

void HiredisLink::push(Event &&event)
{
    if (event.type == Event::Type::Reply || event.type == Event::Type::PubSub)
        m_gotReply = true;
    m_events.push_back(std::move(event));
}

void HiredisLink::drain()
{
    if (m_draining || m_events.empty())
        return;
    m_draining = true;
    const std::weak_ptr<bool> alive = m_alive;
    // Events may be appended while we deliver (a handler sends a command that fails at once).
    for (size_t i = 0; i < m_events.size(); ++i) {
        // Moved out: a handler may append to m_events and so move its elements.
        Event event = std::move(m_events[i]);
        if (event.generation != m_generation || !m_owner)
            continue;
        switch (event.type) {
        case Event::Type::Connected:
            m_owner->linkConnected();
            break;
        case Event::Type::Reply:
            m_owner->linkReply(std::move(event.reply));
            break;
        case Event::Type::PubSub:
            m_owner->linkPubSub(event.pubSub);
            break;
        case Event::Type::Closed:
            m_owner->linkClosed(event.error);
            break;
        }
        // The owner (and we with it) may have been deleted by a slot.
        if (alive.expired())
            return;
    }
    m_events.clear();
    m_draining = false;
}

} // namespace Redwire
