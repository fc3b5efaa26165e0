#pragma once

#include <QMetaType>
#include <QObject>

namespace Redwire {

// How far a message's claimed sender can be believed (docs/PROTOCOL.md, "Signed envelopes").
namespace SenderTrustNamespace {
Q_NAMESPACE
enum class SenderTrust {
    Unsigned, // no signature: plain Redis publishers, old clients; shown as unverified
    Pending, // signed with a key not fetched yet; settled when the sender's keys arrive
    Verified, // the signature is good and the key is the one pinned for this nickname
    NewKey, // the first key seen for this nickname: pinned now (trust on first use)
    KeyChanged, // good signature, but not by the pinned key: a loud warning until accepted
    Forged, // bad signature, or a key the nickname never published: never shown as theirs
};
Q_ENUM_NS(SenderTrust)
} // namespace SenderTrustNamespace
using SenderTrustNamespace::SenderTrust;

} // namespace Redwire
