#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Redwire {

// An Ed25519 key pair (RFC 8032) through OpenSSL: the 32-byte private seed, the 32-byte public
// key, 64-byte signatures. OpenSSL's types stay in the .cpp. A null key signs nothing.
class Ed25519Key
{
public:
    static constexpr int KeySize = 32;
    static constexpr int SignatureSize = 64;

    Ed25519Key() = default;
    // A fresh key from the system's random source; null if OpenSSL could not make one.
    static Ed25519Key generate();
    // The key of a stored 32-byte seed; null for anything else.
    static Ed25519Key fromPrivateKey(const QByteArray &seed);

    bool isNull() const { return m_seed.isEmpty(); }
    QByteArray privateKey() const { return m_seed; }
    QByteArray publicKey() const { return m_public; }
    // 64 bytes; empty for a null key.
    QByteArray sign(QByteArrayView message) const;

    // True only for a well-formed 32-byte key and a valid 64-byte signature of the message.
    static bool verify(const QByteArray &publicKey, QByteArrayView message, const QByteArray &signature);

private:
    QByteArray m_seed;
    QByteArray m_public;
};

} // namespace Redwire
