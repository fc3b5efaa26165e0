// Our wrapper: SubscriberConnection (each message a messageReceived signal with its payload as a
// QByteArray, counted in a slot) and CommandConnection::send() for publish mode. Same arguments
// and result line as the other clients (bench_common.h).
#include "BenchMessageCounter.h"

#include "redis/CommandConnection.h"
#include "redis/SubscriberConnection.h"

#include <csignal>
#include <cstdlib>
#include <cstring>

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

using namespace Redwire;

namespace {

// What an application does with each message: a slot connected to messageReceived that looks at
// the payload (BenchMessageCounter), and the subscription's progress.
class MessageCounter : public BenchMessageCounter
{
    Q_OBJECT
public:
    MessageCounter(const bench_args &args, QEventLoop *loop)
        : BenchMessageCounter(args.count, loop)
        , m_args(args)
    { }

    bool subscribed = false;
    long sent = 0; // publish mode

public Q_SLOTS:
    void onSubscribed(Redwire::SubscriberConnection::TopicKind kind, const QByteArray &name)
    {
        if (kind != SubscriberConnection::TopicKind::Channel || name != m_args.channel || subscribed)
            return;
        subscribed = true;
        bench_ready();
        if (m_args.mode == BENCH_DRAIN)
            loop()->quit(); // stop reading until GO
    }

    void onError(const Redwire::RedisError &error)
    {
        std::fprintf(stderr, "error: %s\n", qPrintable(error.message()));
        finish("disconnected");
    }

private:
    const bench_args &m_args;
};

ConnectionOptions optionsFor(const bench_args &args)
{
    ConnectionOptions options;
    options.host = QString::fromUtf8(args.host);
    options.port = quint16(args.port);
    // Measure the data path alone: no heartbeat, no command timeout (a drained backlog or a long
    // pipeline must not look like a dead server), no reconnect (a lost connection is a result).
    options.heartbeatIntervalMs = 0;
    options.commandTimeoutMs = 0;
    options.reconnect.enabled = false;
    return options;
}

// Publish mode: N PUBLISH commands through CommandConnection::send(), `window` in flight, each
// reply handler sending the next one, as an application publishing a stream would.
struct Publisher
{
    const bench_args &args;
    MessageCounter &counter;
    CommandConnection &connection;
    QList<QByteArray> command;

    void sendOne()
    {
        connection.send(
            command, [this](const RedisReply &reply, const RedisError &error) { onReply(reply, error); });
        ++counter.sent;
    }

    void onReply(const RedisReply &reply, const RedisError &error)
    {
        if (counter.finished)
            return;
        if (error || !reply.isInteger())
            ++counter.tally.errors;
        if (++counter.tally.received == args.count) {
            counter.finish(counter.tally.errors ? "error" : "ok");
            return;
        }
        if (args.window > 0 && counter.sent < args.count)
            sendOne();
    }
};

int runPublish(const bench_args &args, MessageCounter &counter, QEventLoop &loop)
{
    CommandConnection connection(optionsFor(args));
    char *raw = bench_make_payload(args.size);
    Publisher publisher { args, counter, connection,
        { "PUBLISH", QByteArray(args.channel), QByteArray(raw, qsizetype(args.size)) } };
    std::free(raw);

    QObject::connect(&connection, &RedisConnection::connected, &counter, [&] {
        counter.tally.start = bench_now();
        const long first = args.window > 0 && args.window < args.count ? args.window : args.count;
        for (long i = 0; i < first; ++i)
            publisher.sendOne();
    });
    QObject::connect(&connection, &RedisConnection::errorOccurred, &counter, &MessageCounter::onError);

    connection.connectToServer();
    if (!counter.finished)
        loop.exec();
    bench_print_result("redwire", &args, &counter.tally, counter.status);
    return std::strcmp(counter.status, "ok") == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    bench_args args {};
    if (bench_parse_args(argc, argv, &args) != 0)
        return 2;
    QCoreApplication app(argc, argv);
    QEventLoop loop;
    MessageCounter counter(args, &loop);

    QTimer timer;
    timer.setSingleShot(true);
    timer.setInterval(int(args.timeout * 1000));
    QObject::connect(&timer, &QTimer::timeout, &counter, [&counter] { counter.finish("timeout"); });
    timer.start();

    if (args.mode == BENCH_PUBLISH)
        return runPublish(args, counter, loop);

    SubscriberConnection subscriber(optionsFor(args));
    QObject::connect(
        &subscriber, &SubscriberConnection::messageReceived, &counter, &MessageCounter::onMessage);
    QObject::connect(&subscriber, &SubscriberConnection::subscribed, &counter, &MessageCounter::onSubscribed);
    QObject::connect(&subscriber, &RedisConnection::errorOccurred, &counter, &MessageCounter::onError);
    QObject::connect(&subscriber, &SubscriberConnection::subscriptionFailed, &counter,
        [&counter](SubscriberConnection::TopicKind, const QByteArray &, const RedisError &error) {
            counter.onError(error);
        });
    subscriber.subscribe(QByteArray(args.channel));
    subscriber.connectToServer();

    if (args.mode == BENCH_DRAIN) {
        loop.exec();
        timer.stop();
        if (!counter.subscribed) {
            bench_print_result("redwire", &args, &counter.tally, counter.status);
            return 1;
        }
        bench_wait_for_go();
        counter.tally.start = bench_now();
        timer.start();
    }
    if (!counter.finished)
        loop.exec();

    bench_print_result("redwire", &args, &counter.tally, counter.status);
    return std::strcmp(counter.status, "ok") == 0 ? 0 : 1;
}

#include "bench_sub_redwire.moc"
