#pragma once

#include <QByteArray>
#include <QString>

namespace Redwire {

// Names for a public key that people and envelopes can carry (docs/PROTOCOL.md):
// - keyId: the envelope's "kid" and the field in redwire:{user:<nick>}:keys, 16 hex digits
//   (the first 8 bytes of SHA-256 of the raw key);
// - safetyNumber: 12 groups of 5 digits to read aloud and compare out of band, from SHA-512 of
//   the raw key (each group: 5 bytes, big-endian, modulo 100000), as Signal shows one party's.
namespace KeyFingerprint {
QString keyId(const QByteArray &publicKey);
QString safetyNumber(const QByteArray &publicKey);
} // namespace KeyFingerprint

} // namespace Redwire
