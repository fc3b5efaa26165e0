#include "ChatScripts.h"

namespace Redwire {

namespace {
// Stores an envelope and publishes it with its stream ID spliced in as the first field. The
// envelope must be a JSON object with at least one field; "sid" goes in front of the rest.
#define REDWIRE_ANNOUNCE_FUNCTION                                                                            \
    "local function announce(stream, channel, maxlen, env, verb)\n"                                          \
    "  local sid = redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'env', env)\n"                     \
    "  verb = verb == 'SPUBLISH' and 'SPUBLISH' or 'PUBLISH'\n"                                              \
    "  redis.call(verb, channel, '{\"sid\":\"' .. sid .. '\",' .. string.sub(env, 2))\n"                     \
    "  return sid\n"                                                                                         \
    "end\n"                                                                                                  \
    "local function isObject(env)\n"                                                                         \
    "  return string.sub(env, 1, 1) == '{' and string.sub(env, -1) == '}' and #env > 2\n"                    \
    "end\n"
} // namespace

const QByteArray &ChatScripts::send()
{
    static const QByteArray script = REDWIRE_ANNOUNCE_FUNCTION
        "local done = redis.call('GET', KEYS[2])\n"
        "if done then return done end\n"
        "if not isObject(ARGV[2]) then\n"
        "  return redis.error_reply('ERR redwire: the envelope must be a JSON object')\n"
        "end\n"
        "local sid = announce(KEYS[1], ARGV[1], ARGV[3], ARGV[2], ARGV[5])\n"
        "redis.call('SET', KEYS[2], sid, 'PX', ARGV[4])\n"
        "return sid\n";
    return script;
}

const QByteArray &ChatScripts::heartbeat()
{
    static const QByteArray script = REDWIRE_ANNOUNCE_FUNCTION
        "local t = redis.call('TIME')\n"
        "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
        "local ttl = tonumber(ARGV[3])\n"
        "for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do\n"
        "  redis.call('ZREM', KEYS[1], member)\n"
        "  announce(KEYS[2], ARGV[1], ARGV[4], cjson.encode({v = 1,\n"
        "    id = redis.sha1hex(KEYS[1] .. '\\n' .. member .. '\\n' .. now),\n"
        "    kind = 'leave', from = member, ts = now, reason = 'timeout'}), ARGV[6])\n"
        "end\n"
        "if redis.call('ZADD', KEYS[1], now + ttl, ARGV[2]) == 1 and isObject(ARGV[5]) then\n"
        "  announce(KEYS[2], ARGV[1], ARGV[4], ARGV[5], ARGV[6])\n"
        "end\n"
        "redis.call('PEXPIRE', KEYS[1], 2 * ttl)\n"
        "return redis.call('ZRANGE', KEYS[1], 0, -1)\n";
    return script;
}

const QByteArray &ChatScripts::leave()
{
    static const QByteArray script = REDWIRE_ANNOUNCE_FUNCTION
        "if redis.call('ZREM', KEYS[1], ARGV[2]) == 1 then\n"
        "  if isObject(ARGV[4]) then announce(KEYS[2], ARGV[1], ARGV[3], ARGV[4], ARGV[5]) end\n"
        "  return 1\n"
        "end\n"
        "return 0\n";
    return script;
}

QList<QByteArray> ChatScripts::eval(
    const QByteArray &script, const QList<QByteArray> &keys, const QList<QByteArray> &args)
{
    QList<QByteArray> command { "EVAL", script, QByteArray::number(keys.size()) };
    command += keys;
    command += args;
    return command;
}

} // namespace Redwire
