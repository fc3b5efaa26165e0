#include "SignatureVerdicts.h"

#include <QCryptographicHash>

namespace Redwire {

namespace {
QByteArray digestOf(
    const EnvelopeSignature::Claim &claim, const QByteArray &channel, const QByteArray &publicKey)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(publicKey);
    // Lengths first: no two different (channel, body) pairs hash the same bytes.
    const QByteArray lengths = QByteArray::number(channel.size()) + ':'
        + QByteArray::number(claim.keyId.size()) + ':' + QByteArray::number(claim.canonicalBody.size()) + ':';
    hash.addData(lengths);
    hash.addData(channel);
    hash.addData(claim.keyId.toLatin1());
    hash.addData(claim.canonicalBody);
    return hash.result();
}
} // namespace

bool SignatureVerdicts::verify(
    const EnvelopeSignature::Claim &claim, const QByteArray &channel, const QByteArray &publicKey)
{
    if (!claim.wellFormed)
        return false;
    const QByteArray checked = digestOf(claim, channel, publicKey);
    if (const auto found = m_verdicts.constFind(claim.signature);
        found != m_verdicts.cend() && found->checked == checked)
        return found->good;
    ++m_verifications;
    const bool good = EnvelopeSignature::verify(claim, channel, publicKey);
    if (m_verdicts.size() >= MaxRemembered)
        m_verdicts.clear();
    m_verdicts.insert(claim.signature, { checked, good });
    return good;
}

} // namespace Redwire
