#pragma once

#include "redis/ConnectionOptions.h"

#include <QStringView>

namespace Redwire {

// The URL forms that name several servers, which QUrl cannot hold (it allows one host):
// redis+sentinel://[user@]host:port[,host:port...]/master-name[/db] and
// redis+cluster://[user@]host:port[,host:port...].
namespace ServerListUrl {

// Whether `text` starts with one of the schemes above (case-insensitive).
bool handles(QStringView text);

// Fills `options` (topology, seeds, sentinelMaster, username, database); false with a message
// meant for the user in `errorMessage` when the text is not usable.
bool parse(QStringView text, ConnectionOptions *options, QString *errorMessage);

} // namespace ServerListUrl
} // namespace Redwire
