// Drain of shard channels through RedisClient, the chat's path on a cluster: each channel a
// RedisSubscription (RedisClient::subscribeShardChannel) whose messageReceived is counted in a
// slot. With a redis+cluster:// address the channels are on the primaries serving their slots,
// one connection per primary (ClusterShardSubscribers); with redis:// all on the one subscriber.
// run-cluster-bench.sh compares the two in the same run.
//
//   bench_sub_shards --url URL --channels A,B,C --count N [--timeout SECONDS]
//
// Subscribes, prints READY once every channel is confirmed, stops reading until a line arrives
// on stdin (the driver has published the backlog meanwhile), then counts N messages over all
// channels. Prints the RESULT line of bench_common.h (client=<name given by --client>).
#include "BenchMessageCounter.h"

#include "redis/RedisClient.h"
#include "redis/RedisSubscription.h"

#include <csignal>
#include <cstring>

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

using namespace Redwire;

namespace {

int usage(const char *program)
{
    std::fprintf(stderr,
        "usage: %s --url URL --channels A,B,C --count N [--timeout SECONDS] [--client NAME]\n", program);
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    QByteArray url;
    QByteArray channels;
    QByteArray client("redwire-shards");
    bench_args args {};
    args.mode = BENCH_DRAIN;
    args.timeout = 120.0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--url") == 0)
            url = argv[i + 1];
        else if (std::strcmp(argv[i], "--channels") == 0)
            channels = argv[i + 1];
        else if (std::strcmp(argv[i], "--count") == 0)
            args.count = std::atol(argv[i + 1]);
        else if (std::strcmp(argv[i], "--timeout") == 0)
            args.timeout = std::atof(argv[i + 1]);
        else if (std::strcmp(argv[i], "--client") == 0)
            client = argv[i + 1];
        else
            return usage(argv[0]);
    }
    if (url.isEmpty() || channels.isEmpty() || args.count <= 0 || argc % 2 == 0)
        return usage(argv[0]);

    QCoreApplication app(argc, argv);
    QString error;
    ConnectionOptions options = ConnectionOptions::fromUrl(QString::fromUtf8(url), &error);
    if (!error.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 2;
    }
    // The data path alone, as bench_sub_redwire: no heartbeat, no command timeout, no reconnect.
    options.heartbeatIntervalMs = 0;
    options.commandTimeoutMs = 0;
    options.reconnect.enabled = false;

    QEventLoop loop;
    BenchMessageCounter counter(args.count, &loop);
    QTimer timer;
    timer.setSingleShot(true);
    timer.setInterval(int(args.timeout * 1000));
    QObject::connect(&timer, &QTimer::timeout, &counter, [&counter] { counter.finish("timeout"); });
    timer.start();

    RedisClient redis(options);
    QList<RedisSubscription *> subscriptions;
    const auto allActive = [&subscriptions] {
        for (const RedisSubscription *s : std::as_const(subscriptions))
            if (s->state() != RedisSubscription::State::Active)
                return false;
        return true;
    };
    for (const QByteArray &name : channels.split(',')) {
        RedisSubscription *subscription = redis.subscribeShardChannel(name);
        if (!subscription) {
            std::fprintf(stderr, "cannot subscribe to %s\n", name.constData());
            return 1;
        }
        subscriptions.append(subscription);
        QObject::connect(
            subscription, &RedisSubscription::messageReceived, &counter, &BenchMessageCounter::onMessage);
        QObject::connect(subscription, &RedisSubscription::stateChanged, &loop, [&] {
            if (allActive())
                loop.quit(); // stop reading until GO
        });
        QObject::connect(subscription, &RedisSubscription::failed, &counter, [&counter](const RedisError &e) {
            std::fprintf(stderr, "error: %s\n", qPrintable(e.message()));
            counter.finish("error");
        });
    }
    redis.connectToServer();
    loop.exec();
    timer.stop();
    if (counter.finished || !allActive()) {
        bench_print_result(client.constData(), &args, &counter.tally, counter.status);
        return 1;
    }
    bench_ready();
    bench_wait_for_go();
    counter.tally.start = bench_now();
    timer.start();
    if (!counter.finished)
        loop.exec();
    bench_print_result(client.constData(), &args, &counter.tally, counter.status);
    return std::strcmp(counter.status, "ok") == 0 ? 0 : 1;
}
