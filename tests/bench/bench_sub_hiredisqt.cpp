// hiredis's own Qt adapter (adapters/qt.h) on a QCoreApplication: what a Qt program gets today
// without our wrapper. Same arguments and result line as the other clients (bench_common.h).
//
// The adapter's header declares a Q_OBJECT class; CMake runs moc on it (qt6_wrap_cpp).
#include "bench_common.h"

#include <csignal>
#include <cstring>

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <hiredis/adapters/qt.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

namespace {

struct State
{
    bench_args args {};
    bench_tally tally {};
    redisAsyncContext *ac = nullptr; // null once hiredis has freed it
    QEventLoop *loop = nullptr;
    const char *status = "error";
    bool subscribed = false;
    bool finished = false;
    long sent = 0;
    QByteArray payload;
};

void finish(State *st, const char *status)
{
    if (st->finished)
        return;
    st->finished = true;
    st->status = status;
    st->tally.end = bench_now();
    st->loop->quit();
}

void onMessage(redisAsyncContext *, void *r, void *privdata)
{
    auto *st = static_cast<State *>(privdata);
    auto *reply = static_cast<redisReply *>(r);
    if (!reply || st->finished)
        return;
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3
        || reply->element[0]->type != REDIS_REPLY_STRING) {
        ++st->tally.errors;
        return;
    }
    if (std::strcmp(reply->element[0]->str, "message") == 0) {
        bench_count(&st->tally, reply->element[2]->str, reply->element[2]->len);
        if (st->tally.received == st->args.count)
            finish(st, "ok");
    } else if (std::strcmp(reply->element[0]->str, "subscribe") == 0) {
        st->subscribed = true;
        bench_ready();
        if (st->args.mode == BENCH_DRAIN)
            st->loop->quit(); // stop reading until GO
    }
}

void sendPublish(State *st);

void onPublishReply(redisAsyncContext *, void *r, void *privdata)
{
    auto *st = static_cast<State *>(privdata);
    auto *reply = static_cast<redisReply *>(r);
    if (!reply || st->finished)
        return;
    if (reply->type != REDIS_REPLY_INTEGER)
        ++st->tally.errors;
    if (++st->tally.received == st->args.count) {
        finish(st, st->tally.errors ? "error" : "ok");
        return;
    }
    if (st->args.window > 0 && st->sent < st->args.count)
        sendPublish(st);
}

void sendPublish(State *st)
{
    const char *argv[3] = { "PUBLISH", st->args.channel, st->payload.constData() };
    size_t argvlen[3] = { 7, std::strlen(st->args.channel), size_t(st->payload.size()) };
    if (redisAsyncCommandArgv(st->ac, onPublishReply, st, 3, argv, argvlen) != REDIS_OK) {
        finish(st, "error");
        return;
    }
    ++st->sent;
}

void onConnect(const redisAsyncContext *ac, int status)
{
    auto *st = static_cast<State *>(ac->data);
    if (status != REDIS_OK) {
        std::fprintf(stderr, "connect: %s\n", ac->errstr);
        st->ac = nullptr;
        finish(st, "error");
        return;
    }
}

// Publish mode starts when the PING queued before the connection completed is answered.
void onPing(redisAsyncContext *, void *r, void *privdata)
{
    auto *st = static_cast<State *>(privdata);
    if (!r || st->finished)
        return;
    st->tally.start = bench_now();
    const long first
        = st->args.window > 0 && st->args.window < st->args.count ? st->args.window : st->args.count;
    for (long i = 0; i < first && !st->finished; ++i)
        sendPublish(st);
}

void onDisconnect(const redisAsyncContext *ac, int)
{
    auto *st = static_cast<State *>(ac->data);
    if (!st->finished)
        std::fprintf(stderr, "disconnected: %s\n", ac->errstr[0] ? ac->errstr : "by the server");
    st->ac = nullptr;
    finish(st, "disconnected");
}

} // namespace

int main(int argc, char **argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    State st;
    if (bench_parse_args(argc, argv, &st.args) != 0)
        return 2;
    QCoreApplication app(argc, argv);
    QEventLoop loop;
    st.loop = &loop;
    char *payload = bench_make_payload(st.args.size);
    st.payload = QByteArray(payload, qsizetype(st.args.size));
    std::free(payload);

    st.ac = redisAsyncConnect(st.args.host, st.args.port);
    if (!st.ac || st.ac->err) {
        std::fprintf(stderr, "connect: %s\n", st.ac ? st.ac->errstr : "out of memory");
        return 1;
    }
    st.ac->data = &st;
    // Never deleted: hiredis 0.14's ~RedisQtAdapter writes into the context, which hiredis may have
    // freed already (after a disconnect). The adapter's notifiers are freed by the context's cleanup.
    auto *adapter = new RedisQtAdapter;
    adapter->setContext(st.ac);
    redisAsyncSetConnectCallback(st.ac, onConnect);
    redisAsyncSetDisconnectCallback(st.ac, onDisconnect);

    QTimer timer;
    timer.setSingleShot(true);
    timer.setInterval(int(st.args.timeout * 1000));
    QObject::connect(&timer, &QTimer::timeout, [&st] { finish(&st, "timeout"); });

    if (st.args.mode == BENCH_PUBLISH) {
        // adapters/qt.h watches the socket only once a command is queued: without one, the
        // connection never completes (and the connect callback never fires).
        redisAsyncCommand(st.ac, onPing, &st, "PING");
    } else {
        const char *sargv[2] = { "SUBSCRIBE", st.args.channel };
        size_t sargvlen[2] = { 9, std::strlen(st.args.channel) };
        redisAsyncCommandArgv(st.ac, onMessage, &st, 2, sargv, sargvlen);
    }
    if (st.args.mode == BENCH_DRAIN) {
        timer.start(); // bounds the wait for the subscription
        loop.exec();
        timer.stop();
        if (!st.subscribed) {
            bench_print_result("hiredisqt", &st.args, &st.tally, st.status);
            return 1;
        }
        bench_wait_for_go();
        st.tally.start = bench_now();
    }
    timer.start();
    if (!st.finished)
        loop.exec();

    bench_print_result("hiredisqt", &st.args, &st.tally, st.status);
    if (st.ac)
        redisAsyncFree(st.ac);
    return std::strcmp(st.status, "ok") == 0 ? 0 : 1;
}
