/* The reference client: plain hiredis async API on libevent, as a C program would use it.
 * See bench_common.h for the arguments and the result line. */
#include "bench_common.h"

#include <signal.h>

#include <event2/event.h>
#include <hiredis/adapters/libevent.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

struct state
{
    struct bench_args args;
    struct bench_tally tally;
    struct event_base *base;
    redisAsyncContext *ac; /* NULL once hiredis has freed it */
    const char *status;
    int subscribed;
    int finished;
    long sent; /* publish mode */
    char *payload;
};

static void finish(struct state *st, const char *status)
{
    if (st->finished)
        return;
    st->finished = 1;
    st->status = status;
    st->tally.end = bench_now();
    event_base_loopbreak(st->base);
}

static void on_message(redisAsyncContext *ac, void *r, void *privdata)
{
    struct state *st = (struct state *)privdata;
    redisReply *reply = (redisReply *)r;
    (void)ac;
    if (!reply || st->finished)
        return;
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3
        || reply->element[0]->type != REDIS_REPLY_STRING) {
        ++st->tally.errors;
        return;
    }
    if (strcmp(reply->element[0]->str, "message") == 0) {
        bench_count(&st->tally, reply->element[2]->str, reply->element[2]->len);
        if (st->tally.received == st->args.count)
            finish(st, "ok");
    } else if (strcmp(reply->element[0]->str, "subscribe") == 0) {
        st->subscribed = 1;
        bench_ready();
        if (st->args.mode == BENCH_DRAIN)
            event_base_loopbreak(st->base); /* stop reading until GO */
    }
}

static void send_publish(struct state *st);

static void on_publish_reply(redisAsyncContext *ac, void *r, void *privdata)
{
    struct state *st = (struct state *)privdata;
    redisReply *reply = (redisReply *)r;
    (void)ac;
    if (!reply || st->finished)
        return;
    if (reply->type != REDIS_REPLY_INTEGER)
        ++st->tally.errors;
    ++st->tally.received;
    if (st->tally.received == st->args.count) {
        finish(st, st->tally.errors ? "error" : "ok");
        return;
    }
    if (st->args.window > 0 && st->sent < st->args.count)
        send_publish(st);
}

static void send_publish(struct state *st)
{
    const char *argv[3] = { "PUBLISH", st->args.channel, st->payload };
    size_t argvlen[3] = { 7, strlen(st->args.channel), (size_t)st->args.size };
    if (redisAsyncCommandArgv(st->ac, on_publish_reply, st, 3, argv, argvlen) != REDIS_OK) {
        finish(st, "error");
        return;
    }
    ++st->sent;
}

static void on_connect(const redisAsyncContext *ac, int status)
{
    struct state *st = (struct state *)ac->data;
    if (status != REDIS_OK) {
        fprintf(stderr, "connect: %s\n", ac->errstr);
        st->ac = NULL; /* freed by hiredis after this callback */
        finish(st, "error");
        return;
    }
}

/* Publish mode starts when the PING queued before the connection completed is answered (the same
 * sequence as the adapters/qt.h client, which needs it). */
static void on_ping(redisAsyncContext *ac, void *r, void *privdata)
{
    struct state *st = (struct state *)privdata;
    long first, i;
    (void)ac;
    if (!r || st->finished)
        return;
    st->tally.start = bench_now();
    first = st->args.window > 0 && st->args.window < st->args.count ? st->args.window : st->args.count;
    for (i = 0; i < first && !st->finished; ++i)
        send_publish(st);
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
    struct state *st = (struct state *)ac->data;
    (void)status;
    if (!st->finished)
        fprintf(stderr, "disconnected: %s\n", ac->errstr[0] ? ac->errstr : "by the server");
    st->ac = NULL; /* freed by hiredis after this callback */
    finish(st, "disconnected");
}

static void on_timeout(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    finish((struct state *)arg, "timeout");
}

int main(int argc, char **argv)
{
    struct state st;
    struct event *timer;
    struct timeval tv;

    signal(SIGPIPE, SIG_IGN);
    memset(&st, 0, sizeof st);
    if (bench_parse_args(argc, argv, &st.args) != 0)
        return 2;
    st.status = "error";
    st.payload = bench_make_payload(st.args.size);
    st.base = event_base_new();

    st.ac = redisAsyncConnect(st.args.host, st.args.port);
    if (!st.ac || st.ac->err) {
        fprintf(stderr, "connect: %s\n", st.ac ? st.ac->errstr : "out of memory");
        return 1;
    }
    st.ac->data = &st;
    redisLibeventAttach(st.ac, st.base);
    redisAsyncSetConnectCallback(st.ac, on_connect);
    redisAsyncSetDisconnectCallback(st.ac, on_disconnect);

    tv.tv_sec = (long)st.args.timeout;
    tv.tv_usec = (long)((st.args.timeout - (double)tv.tv_sec) * 1e6);
    timer = evtimer_new(st.base, on_timeout, &st);

    if (st.args.mode == BENCH_PUBLISH) {
        redisAsyncCommand(st.ac, on_ping, &st, "PING");
    } else {
        const char *sargv[2] = { "SUBSCRIBE", st.args.channel };
        size_t sargvlen[2] = { 9, strlen(st.args.channel) };
        redisAsyncCommandArgv(st.ac, on_message, &st, 2, sargv, sargvlen);
    }
    if (st.args.mode == BENCH_DRAIN) {
        evtimer_add(timer, &tv); /* bounds the wait for the subscription */
        event_base_dispatch(st.base);
        evtimer_del(timer);
        if (!st.subscribed) {
            bench_print_result("libevent", &st.args, &st.tally, st.status);
            return 1;
        }
        bench_wait_for_go();
        st.tally.start = bench_now();
    }
    evtimer_add(timer, &tv);
    if (!st.finished)
        event_base_dispatch(st.base);

    bench_print_result("libevent", &st.args, &st.tally, st.status);
    if (st.ac)
        redisAsyncFree(st.ac);
    event_free(timer);
    event_base_free(st.base);
    free(st.payload);
    return strcmp(st.status, "ok") == 0 ? 0 : 1;
}
