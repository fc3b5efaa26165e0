#pragma once

#include <QByteArray>
#include <QList>

namespace Redwire {

// The Lua scripts of the protocol (docs/PROTOCOL.md quotes them). Each touches only keys of one
// conversation (one hash tag, one cluster slot) and is sent with EVAL every time: no EVALSHA
// fallback whose retry could reorder two sends after a server restart emptied the script cache.
class ChatScripts
{
public:
    // Each announces what it stores on ARGV[1] with the verb of its last ARGV: SPUBLISH (a
    // room's shard channel on a cluster), else PUBLISH (also when it is missing).
    //
    // KEYS: history stream, sent-ID key. ARGV: channel, envelope (JSON object without "sid"),
    // history length, sent-ID memory (ms), verb. Returns the stream ID (the earlier one when this
    // envelope ID was stored before).
    static const QByteArray &send();
    // KEYS: presence sorted set, history stream. ARGV: channel, nickname, TTL (ms), history
    // length, join envelope, verb. Expires silent members (announcing their leave), refreshes ours
    // (announcing our join when we were not there), returns the members.
    static const QByteArray &heartbeat();
    // KEYS: presence sorted set, history stream. ARGV: channel, nickname, history length, leave
    // envelope, verb. Returns 1 when we were a member (and the leave was announced), else 0.
    static const QByteArray &leave();

    // EVAL <script> <numkeys> <keys...> <args...>
    static QList<QByteArray> eval(
        const QByteArray &script, const QList<QByteArray> &keys, const QList<QByteArray> &args);
};

} // namespace Redwire
