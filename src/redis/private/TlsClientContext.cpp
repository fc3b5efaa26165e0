#include "TlsClientContext.h"

#include <QCoreApplication>
#include <QHostAddress>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace Redwire {

namespace {
// The translation context of this file's messages, for members and free functions alike.
struct TlsClientContextText
{
    Q_DECLARE_TR_FUNCTIONS(Redwire::TlsClientContext)
};

QString lastOpenSslError()
{
    const unsigned long code = ERR_peek_last_error();
    if (code == 0)
        return TlsClientContextText::tr("unknown error");
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return QString::fromLatin1(text);
}

RedisError tlsError(const QString &what)
{
    return RedisError(RedisError::Code::TlsFailed, what);
}
} // namespace

TlsClientContext::~TlsClientContext()
{
    if (m_context)
        SSL_CTX_free(m_context);
}

std::unique_ptr<TlsClientContext> TlsClientContext::create(
    const TlsOptions &options, const QString &host, RedisError *error)
{
    std::unique_ptr<TlsClientContext> tls(new TlsClientContext);
    ERR_clear_error();
    tls->m_context = SSL_CTX_new(TLS_client_method());
    if (!tls->m_context) {
        *error = tlsError(TlsClientContextText::tr("Cannot set up TLS: %1").arg(lastOpenSslError()));
        return nullptr;
    }
    SSL_CTX_set_min_proto_version(tls->m_context, TLS1_2_VERSION);
    SSL_CTX_set_verify(tls->m_context, options.verifyPeer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);

    const QByteArray caFile = options.caFile.toLocal8Bit();
    const QByteArray caPath = options.caPath.toLocal8Bit();
    if (!caFile.isEmpty() || !caPath.isEmpty()) {
        if (SSL_CTX_load_verify_locations(tls->m_context, caFile.isEmpty() ? nullptr : caFile.constData(),
                caPath.isEmpty() ? nullptr : caPath.constData())
            != 1) {
            *error = tlsError(
                TlsClientContextText::tr("Cannot load the CA certificates %1: %2")
                    .arg(options.caFile.isEmpty() ? options.caPath : options.caFile, lastOpenSslError()));
            return nullptr;
        }
    } else if (SSL_CTX_set_default_verify_paths(tls->m_context) != 1) {
        *error = tlsError(
            TlsClientContextText::tr("Cannot load the system's CA certificates: %1").arg(lastOpenSslError()));
        return nullptr;
    }
    if (!options.certFile.isEmpty()) {
        const QByteArray certFile = options.certFile.toLocal8Bit();
        const QByteArray keyFile
            = (options.keyFile.isEmpty() ? options.certFile : options.keyFile).toLocal8Bit();
        if (SSL_CTX_use_certificate_chain_file(tls->m_context, certFile.constData()) != 1
            || SSL_CTX_use_PrivateKey_file(tls->m_context, keyFile.constData(), SSL_FILETYPE_PEM) != 1
            || SSL_CTX_check_private_key(tls->m_context) != 1) {
            *error = tlsError(TlsClientContextText::tr("Cannot use the client certificate %1: %2")
                                  .arg(options.certFile, lastOpenSslError()));
            return nullptr;
        }
    }

    const QString name = options.serverName.isEmpty() ? host : options.serverName;
    QHostAddress address;
    tls->m_expectedNameIsAddress = address.setAddress(name);
    if (options.verifyPeer)
        tls->m_expectedName = tls->m_expectedNameIsAddress ? address.toString().toLatin1() : name.toUtf8();
    // SNI is for names only (RFC 6066).
    if (!tls->m_expectedNameIsAddress)
        tls->m_sni = name.toUtf8();
    return tls;
}

SSL *TlsClientContext::newSession(RedisError *error) const
{
    ERR_clear_error();
    SSL *session = SSL_new(m_context);
    if (!session) {
        *error = tlsError(TlsClientContextText::tr("Cannot start a TLS session: %1").arg(lastOpenSslError()));
        return nullptr;
    }
    if (!m_sni.isEmpty())
        SSL_set_tlsext_host_name(session, m_sni.constData());
    if (!m_expectedName.isEmpty()) {
        X509_VERIFY_PARAM *param = SSL_get0_param(session);
        const int ok = m_expectedNameIsAddress
            ? X509_VERIFY_PARAM_set1_ip_asc(param, m_expectedName.constData())
            : X509_VERIFY_PARAM_set1_host(param, m_expectedName.constData(), size_t(m_expectedName.size()));
        if (ok != 1) {
            SSL_free(session);
            *error = tlsError(TlsClientContextText::tr("Cannot check the server's name %1.")
                                  .arg(QString::fromUtf8(m_expectedName)));
            return nullptr;
        }
    }
    return session;
}

RedisError TlsClientContext::handshakeFailure(SSL *session)
{
    if (!session)
        return {};
    // A finished handshake with nothing in OpenSSL's queue: the network failed, not TLS.
    const long verify = SSL_get_verify_result(session);
    if (verify != X509_V_OK)
        return tlsError(TlsClientContextText::tr("The server's certificate was refused: %1")
                            .arg(QString::fromLatin1(X509_verify_cert_error_string(verify))));
    const unsigned long code = ERR_peek_last_error();
    if (code != 0 && ERR_GET_LIB(code) == ERR_LIB_SSL)
        return tlsError(TlsClientContextText::tr("The TLS handshake failed: %1").arg(lastOpenSslError()));
    return {};
}

} // namespace Redwire
