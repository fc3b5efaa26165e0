#pragma once

#include "../ConnectionOptions.h"
#include "../RedisError.h"

#include <memory>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace Redwire {

// OpenSSL set up the way a Redis client should be, for hiredis_ssl to drive: the trusted CAs
// (or the system's), an optional client certificate, peer verification on by default, and (what
// hiredis_ssl does not do) the server's name or address checked against its certificate. One per
// connection attempt, so that changed options take effect at the next connect.
class TlsClientContext
{
public:
    ~TlsClientContext();
    TlsClientContext(const TlsClientContext &) = delete;
    TlsClientContext &operator=(const TlsClientContext &) = delete;

    // `host` is what the user asked to connect to (a name or an address): verified unless
    // options.serverName says otherwise.
    static std::unique_ptr<TlsClientContext> create(
        const TlsOptions &options, const QString &host, RedisError *error);

    // A new session for one socket, with SNI and the name to verify; the caller hands it to
    // hiredis (redisInitiateSSL), which then owns it. nullptr with *error on failure.
    SSL *newSession(RedisError *error) const;

    // Why a connection on `session` that never got a reply failed: a permanent TlsFailed error
    // when OpenSSL knows (a certificate we or the peer refused, a failed handshake; with TLS 1.3
    // a refused client certificate only shows on the first read); NoError when it looks like
    // the network's fault.
    static RedisError handshakeFailure(SSL *session);

private:
    TlsClientContext() = default;

    SSL_CTX *m_context = nullptr;
    QByteArray m_expectedName; // empty: no name check (verification off)
    bool m_expectedNameIsAddress = false;
    QByteArray m_sni;
};

} // namespace Redwire
