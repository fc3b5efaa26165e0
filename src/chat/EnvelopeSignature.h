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
QJsonObject sign(const QJsonObject &envelope, const QByteArray &channel, const Ed25519Key &key);

// What an envelope says about its signature, before any key is looked up; the channel it came
// on is added when it is checked.
struct Claim
{
    bool signedEnvelope = false; // carries "sig" (or "kid")
    bool wellFormed = false; // "kid" is 16 hex digits, "sig" 64 bytes of base64, canonical form exists
    QString keyId;
    QByteArray signature;
    QByteArray canonicalBody; // CanonicalEnvelope::json of the envelope without "sig" and "sid"
};
Claim read(const QJsonObject &envelope);

// True when the claim is well formed and the signature is the key's for this channel.
bool verify(const Claim &claim, const QByteArray &channel, const QByteArray &publicKey);

} // namespace EnvelopeSignature
} // namespace Redwire
