#include "EnvelopeSignature.h"

#include "CanonicalEnvelope.h"
#include "Ed25519Key.h"
#include "KeyFingerprint.h"

namespace Redwire::EnvelopeSignature {

namespace {
const QString SigKey = QStringLiteral("sig");
const QString KidKey = QStringLiteral("kid");

bool isKeyId(const QString &text)
{
    if (text.size() != 16)
        return false;
    for (const QChar c : text)
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9'))
                || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))))
            return false;
    return true;
}
} // namespace

QJsonObject sign(const QJsonObject &envelope, const QByteArray &channel, const Ed25519Key &key)
{
    if (key.isNull())
        return envelope;
    QJsonObject signedEnvelope = envelope;
    signedEnvelope.insert(KidKey, KeyFingerprint::keyId(key.publicKey()));
    bool ok = false;
    const QByteArray bytes = CanonicalEnvelope::signedBytes(channel, signedEnvelope, &ok);
    if (!ok)
        return envelope;
    signedEnvelope.insert(SigKey, QString::fromLatin1(key.sign(bytes).toBase64()));
    return signedEnvelope;
}

Claim read(const QJsonObject &envelope)
{
    Claim claim;
    const QJsonValue sig = envelope.value(SigKey);
    const QJsonValue kid = envelope.value(KidKey);
    claim.signedEnvelope = !sig.isUndefined() || !kid.isUndefined();
    if (!claim.signedEnvelope || !sig.isString() || !kid.isString() || !isKeyId(kid.toString()))
        return claim;
    const auto decoded
        = QByteArray::fromBase64Encoding(sig.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != Ed25519Key::SignatureSize)
        return claim;
    QJsonObject covered = envelope;
    covered.remove(SigKey);
    covered.remove(QStringLiteral("sid"));
    bool canonical = false;
    claim.canonicalBody = CanonicalEnvelope::json(covered, &canonical);
    if (!canonical)
        return claim;
    claim.keyId = kid.toString();
    claim.signature = decoded.decoded;
    claim.wellFormed = true;
    return claim;
}

bool verify(const Claim &claim, const QByteArray &channel, const QByteArray &publicKey)
{
    return claim.wellFormed && KeyFingerprint::keyId(publicKey) == claim.keyId
        && Ed25519Key::verify(
            publicKey, CanonicalEnvelope::signedBytes(channel, claim.canonicalBody), claim.signature);
}

} // namespace Redwire::EnvelopeSignature
