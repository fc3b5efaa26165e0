#include "CommandKeys.h"

#include <QByteArrayView>

namespace Redwire::CommandKeys {

namespace {
bool is(const QByteArray &word, QByteArrayView name)
{
    return word.size() == name.size() && QByteArrayView(word).compare(name, Qt::CaseInsensitive) == 0;
}

bool isAnyOf(const QByteArray &word, std::initializer_list<QByteArrayView> names)
{
    return std::any_of(names.begin(), names.end(), [&](QByteArrayView name) { return is(word, name); });
}
} // namespace

std::optional<QByteArray> firstKey(const QList<QByteArray> &args)
{
    if (args.size() < 2)
        return std::nullopt;
    const QByteArray &verb = args.first();
    // EVAL script numkeys key ... / FCALL function numkeys key ...
    if (isAnyOf(verb, { "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO" })) {
        bool ok = false;
        const int keys = args.size() >= 3 ? args.at(2).toInt(&ok) : 0;
        return ok && keys > 0 && args.size() >= 4 ? std::optional<QByteArray>(args.at(3)) : std::nullopt;
    }
    // XREAD [COUNT n] [BLOCK ms] STREAMS key ... id ...
    if (isAnyOf(verb, { "XREAD", "XREADGROUP" })) {
        for (qsizetype i = 1; i + 1 < args.size(); ++i) {
            if (is(args.at(i), "STREAMS"))
                return args.at(i + 1);
        }
        return std::nullopt;
    }
    // Container commands whose key follows a subcommand.
    if (isAnyOf(verb, { "XINFO", "OBJECT", "MEMORY" }))
        return args.size() >= 3 ? std::optional<QByteArray>(args.at(2)) : std::nullopt;
    if (isAnyOf(verb,
            { "PUBLISH", "PUBSUB", "PING", "ECHO", "CONFIG", "CLUSTER", "CLIENT", "SCRIPT", "FUNCTION",
                "INFO", "ROLE", "AUTH", "SELECT", "ASKING", "READONLY", "READWRITE", "TIME", "DBSIZE",
                "COMMAND", "ACL", "SLOWLOG", "LATENCY", "DEBUG", "SENTINEL", "WAIT", "MULTI", "EXEC",
                "DISCARD", "SCAN", "KEYS", "RANDOMKEY", "FLUSHDB", "FLUSHALL", "SAVE", "BGSAVE", "LASTSAVE",
                "SHUTDOWN", "LOLWUT", "SWAPDB", "REPLICAOF", "SLAVEOF", "MONITOR" }))
        return std::nullopt;
    return args.at(1);
}

} // namespace Redwire::CommandKeys
