#include "SenderVerification.h"

#include "KeyPinStore.h"

namespace Redwire::SenderVerification {

SenderTrust assess(const QString &nickname, const QByteArray &channel, const EnvelopeSignature::Claim &claim,
    PublishedKey lookup, const QByteArray &publishedKey, KeyPinStore &pins, qint64 nowMs)
{
    if (!claim.signedEnvelope)
        return SenderTrust::Unsigned;
    // A signature that cannot even be read is as good as a bad one: someone put it there.
    if (!claim.wellFormed || nickname.isEmpty())
        return SenderTrust::Forged;
    // The pinned key may be the one signed with: no lookup is needed for a known sender.
    const std::optional<KeyPinStore::Pin> pin = pins.pin(nickname);
    if (pin && EnvelopeSignature::verify(claim, channel, pin->publicKey))
        return SenderTrust::Verified;
    switch (lookup) {
    case PublishedKey::NotFetched:
        return SenderTrust::Pending;
    case PublishedKey::Missing:
        // Signed with a key the nickname never published.
        return SenderTrust::Forged;
    case PublishedKey::Found:
        break;
    }
    if (!EnvelopeSignature::verify(claim, channel, publishedKey))
        return SenderTrust::Forged;
    if (pin)
        return SenderTrust::KeyChanged;
    pins.setPin(nickname, publishedKey, nowMs);
    return SenderTrust::NewKey;
}

} // namespace Redwire::SenderVerification
