#pragma once

// Counted publishing for failover tests. Header-only, so that the fixture library does not
// depend on redwire_redis.
#include "redis/RedisClient.h"

#include <QObject>
#include <QSet>
#include <QTimer>

namespace RedwireTest {

// Publishes 1, 2, 3 ... to one channel (or shard channel) every 10 ms over a client of its own (which follows
// a failover or a cluster node as any client does) and remembers which numbers the server took: sent =
// received + inside the reported break is checked against `taken`.
class CountingPublisher : public QObject
{
public:
    // `verb`: PUBLISH, or SPUBLISH for a shard channel.
    explicit CountingPublisher(const Redwire::ConnectionOptions &options, QByteArray channel = "counted",
        QByteArray verb = "PUBLISH")
        : client(options)
    {
        timer.setInterval(10);
        connect(&timer, &QTimer::timeout, this, [this, channel, verb] {
            if (!client.commands()->isConnected())
                return;
            const qint64 number = ++next;
            client.commands()->send({ verb, channel, QByteArray::number(number) },
                [this, number](const Redwire::RedisReply &reply, const Redwire::RedisError &error) {
                    if (!error.isError() && reply.isInteger())
                        taken.append(number);
                });
        });
        client.connectToServer();
        timer.start();
    }
    // Checks what a subscriber received against what the server took: no duplicates, and every
    // number missing lies inside the break (after `lastBeforeBreak`, before `firstAfter`).
    // Returns the first problem, or an empty string; `missed` counts the numbers in the break.
    QString checkReceived(
        const QList<qint64> &received, qint64 lastBeforeBreak, qint64 firstAfter, qint64 *missed) const
    {
        const QSet<qint64> unique(received.cbegin(), received.cend());
        if (unique.size() != received.size())
            return QStringLiteral("%1 duplicates received").arg(received.size() - unique.size());
        *missed = 0;
        for (const qint64 number : taken) {
            if (unique.contains(number))
                continue;
            ++*missed;
            if (number <= lastBeforeBreak || number >= firstAfter)
                return QStringLiteral("message %1 lost outside the break (%2 .. %3)")
                    .arg(number)
                    .arg(lastBeforeBreak)
                    .arg(firstAfter);
        }
        return {};
    }

    Redwire::RedisClient client;
    QTimer timer;
    qint64 next = 0;
    QList<qint64> taken;
};

} // namespace RedwireTest
