#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace Redwire {

class Ed25519Key;

// Signing and checking one envelope (docs/PROTOCOL.md, "Signed envelopes"): "kid" names the
// signer's key, "sig" is the base64 Ed25519 signature of CanonicalEnvelope::signedBytes.
namespace EnvelopeSignature {

// The envelope with "kid" and "sig" added; unchanged when the key is null or the envelope has
// no canonical form.
QJsonObject sign(const QJsonObject &envelope, const QString &channel, const Ed25519Key &key);

// What an envelope says about its signature, before any key is looked up.
struct Claim
{
    bool signedEnvelope = false; // carries "sig" (or "kid")
    bool wellFormed = false; // "kid" is 16 hex digits, "sig" 64 bytes of base64, canonical form exists
    QString keyId;
    QByteArray signature;
    QByteArray signedBytes;
};
Claim read(const QJsonObject &envelope, const QString &channel);

// True when the claim is well formed and the signature is the key's.
bool verify(const Claim &claim, const QByteArray &publicKey);

} // namespace EnvelopeSignature
} // namespace Redwire
