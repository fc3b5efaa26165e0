#pragma once

#include "EnvelopeSignature.h"

#include <QByteArray>
#include <QHash>

namespace Redwire {

// Signatures already checked, so that the same signed envelope (live, then read back from the
// stream; replayed by someone) costs one Ed25519 verification. Keyed by the signature, and the
// answer holds only for the same key, channel and signed bytes: a good signature copied onto
// another body is checked afresh (and fails). Bounded; forgets everything when full.
class SignatureVerdicts
{
public:
    static constexpr qsizetype MaxRemembered = 8192;

    // As EnvelopeSignature::verify, remembered.
    bool verify(
        const EnvelopeSignature::Claim &claim, const QByteArray &channel, const QByteArray &publicKey);

    qsizetype size() const { return m_verdicts.size(); }
    int verificationsDone() const { return m_verifications; }

private:
    struct Verdict
    {
        QByteArray checked; // SHA-256 of the key, the channel and the signed body
        bool good = false;
    };
    QHash<QByteArray, Verdict> m_verdicts;
    int m_verifications = 0;
};

} // namespace Redwire
