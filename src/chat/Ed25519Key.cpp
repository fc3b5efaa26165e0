#include "Ed25519Key.h"

#include <QHash>

#include <openssl/evp.h>

#include <memory>

namespace Redwire {

namespace {

struct PkeyDeleter
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
struct PkeyContextDeleter
{
    void operator()(EVP_PKEY_CTX *context) const { EVP_PKEY_CTX_free(context); }
};
struct DigestContextDeleter
{
    void operator()(EVP_MD_CTX *context) const { EVP_MD_CTX_free(context); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

QByteArray rawPrivate(EVP_PKEY *key)
{
    QByteArray seed(Ed25519Key::KeySize, Qt::Uninitialized);
    size_t length = size_t(seed.size());
    if (EVP_PKEY_get_raw_private_key(key, reinterpret_cast<unsigned char *>(seed.data()), &length) != 1
        || length != size_t(Ed25519Key::KeySize))
        return {};
    return seed;
}

QByteArray rawPublic(EVP_PKEY *key)
{
    QByteArray raw(Ed25519Key::KeySize, Qt::Uninitialized);
    size_t length = size_t(raw.size());
    if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char *>(raw.data()), &length) != 1
        || length != size_t(Ed25519Key::KeySize))
        return {};
    return raw;
}

// Parsing a raw public key into an EVP_PKEY costs about a tenth of a verification: the keys that
// verify (pinned and published ones, a handful) are parsed once per thread. Bounded: a flood of
// made-up keys empties it rather than growing it.
constexpr qsizetype MaxParsedKeys = 256;

EVP_PKEY *parsedPublicKey(const QByteArray &publicKey)
{
    thread_local QHash<QByteArray, std::shared_ptr<EVP_PKEY>> parsed;
    if (const auto found = parsed.constFind(publicKey); found != parsed.cend())
        return found->get();
    std::shared_ptr<EVP_PKEY> key(
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
            reinterpret_cast<const unsigned char *>(publicKey.constData()), size_t(publicKey.size())),
        PkeyDeleter());
    if (!key)
        return nullptr;
    if (parsed.size() >= MaxParsedKeys)
        parsed.clear();
    parsed.insert(publicKey, key);
    return key.get();
}

} // namespace

Ed25519Key Ed25519Key::generate()
{
    std::unique_ptr<EVP_PKEY_CTX, PkeyContextDeleter> context(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
    EVP_PKEY *generated = nullptr;
    if (!context || EVP_PKEY_keygen_init(context.get()) != 1
        || EVP_PKEY_keygen(context.get(), &generated) != 1)
        return {};
    const Pkey key(generated);
    return fromPrivateKey(rawPrivate(key.get()));
}

Ed25519Key Ed25519Key::fromPrivateKey(const QByteArray &seed)
{
    if (seed.size() != KeySize)
        return {};
    const Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
        reinterpret_cast<const unsigned char *>(seed.constData()), size_t(seed.size())));
    if (!key)
        return {};
    Ed25519Key result;
    result.m_public = rawPublic(key.get());
    if (result.m_public.isEmpty())
        return {};
    result.m_seed = seed;
    return result;
}

QByteArray Ed25519Key::sign(QByteArrayView message) const
{
    if (isNull())
        return {};
    const Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
        reinterpret_cast<const unsigned char *>(m_seed.constData()), size_t(m_seed.size())));
    std::unique_ptr<EVP_MD_CTX, DigestContextDeleter> context(EVP_MD_CTX_new());
    if (!key || !context || EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key.get()) != 1)
        return {};
    QByteArray signature(SignatureSize, Qt::Uninitialized);
    size_t length = size_t(signature.size());
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
            reinterpret_cast<const unsigned char *>(message.data()), size_t(message.size()))
            != 1
        || length != size_t(SignatureSize))
        return {};
    return signature;
}

bool Ed25519Key::verify(const QByteArray &publicKey, QByteArrayView message, const QByteArray &signature)
{
    if (publicKey.size() != KeySize || signature.size() != SignatureSize)
        return false;
    EVP_PKEY *key = parsedPublicKey(publicKey);
    std::unique_ptr<EVP_MD_CTX, DigestContextDeleter> context(EVP_MD_CTX_new());
    if (!key || !context || EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key) != 1)
        return false;
    return EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char *>(signature.constData()),
               size_t(signature.size()), reinterpret_cast<const unsigned char *>(message.data()),
               size_t(message.size()))
        == 1;
}

} // namespace Redwire
