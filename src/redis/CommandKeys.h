#pragma once

#include <QByteArray>
#include <QList>

#include <optional>

namespace Redwire {

// Where a command's keys are, as far as routing it in a cluster needs: the first key (every key
// of a command Redwire sends shares one hash tag, so one slot). Commands without keys (PUBLISH,
// PING, CONFIG, CLUSTER, SCRIPT ...) have none: any node serves them.
namespace CommandKeys {

std::optional<QByteArray> firstKey(const QList<QByteArray> &args);

} // namespace CommandKeys
} // namespace Redwire
