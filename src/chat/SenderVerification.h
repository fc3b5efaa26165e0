#pragma once

#include "EnvelopeSignature.h"
#include "SenderTrust.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace Redwire {

class KeyPinStore;
class SignatureVerdicts;

// The trust decision for one envelope, once the sender's published key for the claimed "kid" is
// known (or known to be missing). Pins the key on first use. `verdicts` (may be null) remembers
// the signatures checked, so that the same envelope is verified once.
namespace SenderVerification {

enum class PublishedKey { NotFetched, Missing, Found };

SenderTrust assess(const QString &nickname, const QByteArray &channel, const EnvelopeSignature::Claim &claim,
    PublishedKey lookup, const QByteArray &publishedKey, KeyPinStore &pins, qint64 nowMs,
    SignatureVerdicts *verdicts = nullptr);

} // namespace SenderVerification
} // namespace Redwire
