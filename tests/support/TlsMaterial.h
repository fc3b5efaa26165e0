#pragma once

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace RedwireTest {

// Throwaway PKI for TLS tests, made with the openssl command line: a CA, a server certificate for
// localhost / 127.0.0.1 and a client certificate signed by it, and an unrelated second CA.
class TlsMaterial
{
public:
    TlsMaterial();
    ~TlsMaterial();
    TlsMaterial(const TlsMaterial &) = delete;
    TlsMaterial &operator=(const TlsMaterial &) = delete;

    // Runs openssl (found on PATH); false with errorString() set when anything fails.
    bool generate();
    bool isValid() const { return m_valid; }
    QString errorString() const { return m_error; }
    QString directory() const;

    QString caCertPath() const { return path("ca.crt"); }
    QString caKeyPath() const { return path("ca.key"); }
    QString serverCertPath() const { return path("server.crt"); } // CN localhost, SAN localhost + 127.0.0.1
    QString serverKeyPath() const { return path("server.key"); }
    QString clientCertPath() const { return path("client.crt"); } // CN redwire-test-client
    QString clientKeyPath() const { return path("client.key"); }

    // A CA that signed none of the above: trusting only it must fail verification of the server.
    QString otherCaCertPath() const { return path("other-ca.crt"); }
    QString otherCaKeyPath() const { return path("other-ca.key"); }
    // A client certificate signed by the other CA: refused by a server with tls-auth-clients.
    QString otherClientCertPath() const { return path("other-client.crt"); }
    QString otherClientKeyPath() const { return path("other-client.key"); }

private:
    QString path(const char *name) const;
    bool openssl(const QStringList &args);
    bool makeCa(const QString &name, const QString &subject);
    bool makeLeaf(const QString &name, const QString &subject, const QString &ca, const char *extensions);

    QTemporaryDir m_dir;
    QString m_error;
    bool m_valid = false;
};

} // namespace RedwireTest
