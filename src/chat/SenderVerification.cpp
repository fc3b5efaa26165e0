#include "SenderVerification.h"

#include "KeyPinStore.h"
#include "SignatureVerdicts.h"

namespace Redwire::SenderVerification {

SenderTrust assess(const QString &nickname, const QByteArray &channel, const EnvelopeSignature::Claim &claim,
    PublishedKey lookup, const QByteArray &publishedKey, KeyPinStore &pins, qint64 nowMs,
    SignatureVerdicts *verdicts)
{
    const auto verify = [&](const QByteArray &key) {
        return verdicts ? verdicts->verify(claim, channel, key)
                        : EnvelopeSignature::verify(claim, channel, key);
    };
    if (!claim.signedEnvelope)
        return SenderTrust::Unsigned;
    // A signature that cannot even be read is as good as a bad one: someone put it there.
    if (!claim.wellFormed || nickname.isEmpty())
        return SenderTrust::Forged;
    // The pinned key may be the one signed with: no lookup is needed for a known sender.
    const std::optional<KeyPinStore::Pin> pin = pins.pin(nickname);
    if (pin && verify(pin->publicKey))
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
    if (!verify(publishedKey))
        return SenderTrust::Forged;
    if (pin)
        return SenderTrust::KeyChanged;
    pins.setPin(nickname, publishedKey, nowMs);
    return SenderTrust::NewKey;
}

} // namespace Redwire::SenderVerification
