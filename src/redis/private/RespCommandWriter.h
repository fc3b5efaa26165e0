#pragma once

#include <QByteArray>
#include <QList>

namespace Redwire {

// Writes a command in RESP's multibulk form ("*<n>\r\n" then "$<len>\r\n<bytes>\r\n" per
// argument), binary-safe. hiredis's own formatter (redisFormatSdsCommandArgv) spends about a
// thousand instructions per command in sdscatfmt; this sizes the buffer once and writes in place.
namespace RespCommandWriter {

// Replaces `out` with the command; `args` must not be empty.
void write(const QList<QByteArray> &args, QByteArray &out);

} // namespace RespCommandWriter
} // namespace Redwire
