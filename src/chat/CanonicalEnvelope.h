#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace Redwire {

// The bytes a signature covers (docs/PROTOCOL.md, "Signed envelopes"): a context line, the
// channel the envelope is meant for, and the envelope in canonical JSON without "sig" and "sid".
// Canonical JSON is what Python's json.dumps(obj, sort_keys=True, separators=(",", ":"),
// ensure_ascii=False) writes, for the values an envelope may hold: objects, arrays, strings,
// integers of at most 53 bits, true, false, null.
namespace CanonicalEnvelope {

// The first line of the signed bytes: a signature made for anything else never verifies here.
inline constexpr char Context[] = "redwire-envelope-v1";

// Empty, with *ok false, for what has no canonical form (a fractional or too large number).
QByteArray json(const QJsonValue &value, bool *ok);
QByteArray signedBytes(const QByteArray &channel, const QJsonObject &envelope, bool *ok);
// The same from an envelope's canonical JSON without "sig" and "sid".
QByteArray signedBytes(const QByteArray &channel, const QByteArray &canonicalBody);

} // namespace CanonicalEnvelope
} // namespace Redwire
