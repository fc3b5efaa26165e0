#pragma once

#include "../ConnectionOptions.h"
#include "../ConnectionRole.h"
#include "../RedisError.h"
#include "../RedisReply.h"
#include "PubSubEvent.h"
#include "ReplyGuard.h"

#include <QPointer>

#include <memory>

typedef struct ssl_st SSL;
#include <vector>

namespace Redwire {

class QtEventAdapter;
class TlsClientContext;
class RedisConnection;

// The life of one redisAsyncContext at a time, for one RedisConnection: opens it, writes
// commands, reads (in large reads fed to hiredis in small slices), and turns what hiredis's
// callbacks report into events that it hands to the connection only after hiredis has returned,
// so that no code of ours ever runs while hiredis is mid-dispatch. Knows nothing of reconnecting.
class HiredisLink
{
public:
    HiredisLink(ConnectionRole role, RedisConnection *owner);
    ~HiredisLink();
    HiredisLink(const HiredisLink &) = delete;
    HiredisLink &operator=(const HiredisLink &) = delete;

    // Starts connecting to a numeric address (or the Unix socket in the options). An immediate
    // failure is returned; later ones arrive as RedisConnection::linkClosed().
    RedisError open(const ConnectionOptions &options, const QString &numericAddress);
    bool isOpen() const { return m_context != nullptr; }

    bool send(const QList<QByteArray> &args);
    bool sendSubscription(const QList<QByteArray> &args);
    // PING on a subscribed connection (only then: hiredis must be in subscribed mode); its
    // pong arrives as a PubSubEvent of kind Pong. False when not possible now.
    bool sendPing(const QByteArray &token);

    // Frees the context now. With notify, the owner gets linkClosed(error); without, the owner
    // has already dealt with it and hears nothing more of this context.
    void abort(const RedisError &error, bool notify);

private:
    struct Event
    {
        enum class Type { Connected, Reply, PubSub, Closed };
        Type type;
        quint64 generation;
        RedisReply reply;
        PubSubEvent pubSub;
        RedisError error;
    };
    friend struct HiredisLinkCallbacks;

    void attach(const ConnectionOptions &options);
    void handleReadable();
    void handleWritable();
    void handleTimeout();
    void contextCleanedUp();
    void noteHiredisError();
    RedisError closingError() const;
    void push(Event &&event);
    void drain();
    bool argvCommand(const QList<QByteArray> &args, void (*callback)(redisAsyncContext *, void *, void *));

    const ConnectionRole m_role;
    RedisConnection *m_owner;
    redisAsyncContext *m_context = nullptr;
    QPointer<QtEventAdapter> m_adapter;
    std::unique_ptr<ReplyGuard> m_guard;
    quint64 m_generation = 0;
    bool m_connected = false;
    bool m_closeReported = false;
    bool m_quiet = false;
    bool m_fastRead = true;
    qint64 m_maxReplyBytes = 0;
    int m_hiredisErr = 0;
    QString m_hiredisErrorText;
    RedisError m_abortError;
    std::vector<Event> m_events;
    bool m_draining = false;
    std::shared_ptr<bool> m_alive;
    std::unique_ptr<char[]> m_readBuffer;
    qsizetype m_readBufferSize = 0;
    // The wall clock when the last socket read returned; stamped on the frames it brought.
    qint64 m_readTimeMs = 0;
    QByteArray m_commandBuffer;
    QByteArray m_lastChannel;

    QByteArray m_lastPattern;
    std::unique_ptr<TlsClientContext> m_tls; // TLS builds only
    SSL *m_tlsSession = nullptr; // owned by hiredis; valid while m_context is
    bool m_gotReply = false;
};

} // namespace Redwire
