/* The load generator for live and drain mode: exactly N PUBLISH commands of S bytes to one channel,
 * pipelined in batches on hiredis's blocking API. It returns once every PUBLISH is acknowledged, so
 * in drain mode the whole flood is queued for the subscriber when it exits.
 *
 *   bench_publisher --port P --channel C --count N [--size S] [--batch B] [--host H] [--verb V]
 *
 * --verb SPUBLISH publishes on a shard channel (run-cluster-bench.sh); the default is PUBLISH.
 *
 * Prints: RESULT client=publisher n=N seconds=S rate=R receivers=<sum of PUBLISH replies>
 *         end=<CLOCK_MONOTONIC at the last reply> status=...
 * receivers is N times the number of subscribers of C: the driver checks it. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1";
    const char *channel = "bench";
    const char *verb = "PUBLISH";
    int port = 6379;
    long count = 0, size = 64, batch = 1000;
    long sent = 0, acked = 0, errors = 0, i;
    long long receivers = 0;
    char *payload, *cmd = NULL;
    int cmdlen;
    double start, seconds;
    redisContext *c;

    signal(SIGPIPE, SIG_IGN);
    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--host") == 0)
            host = argv[i + 1];
        else if (strcmp(argv[i], "--port") == 0)
            port = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--channel") == 0)
            channel = argv[i + 1];
        else if (strcmp(argv[i], "--count") == 0)
            count = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--size") == 0)
            size = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--batch") == 0)
            batch = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--verb") == 0)
            verb = argv[i + 1];
        else
            break;
    }
    if (i != argc || count <= 0 || size < 0 || batch <= 0) {
        fprintf(
            stderr, "usage: %s --port P --channel C --count N [--size S] [--batch B] [--host H] [--verb V]\n",
            argv[0]);
        return 2;
    }

    payload = malloc((size_t)size + 1);
    for (i = 0; i < size; ++i)
        payload[i] = (char)('a' + i % 26);
    {
        const char *args[3] = { verb, channel, payload };
        size_t lens[3] = { strlen(verb), strlen(channel), (size_t)size };
        /* Formatted once: the publisher is the load, not what is measured. */
        cmdlen = redisFormatCommandArgv(&cmd, 3, args, lens);
    }
    if (cmdlen < 0)
        return 1;

    c = redisConnect(host, port);
    if (!c || c->err) {
        fprintf(stderr, "connect: %s\n", c ? c->errstr : "out of memory");
        return 1;
    }

    start = now();
    while (acked < count) {
        long n = count - sent < batch ? count - sent : batch;
        for (i = 0; i < n; ++i)
            redisAppendFormattedCommand(c, cmd, (size_t)cmdlen);
        sent += n;
        for (i = 0; i < n; ++i) {
            redisReply *reply;
            if (redisGetReply(c, (void **)&reply) != REDIS_OK) {
                fprintf(stderr, "publish: %s\n", c->errstr);
                goto done;
            }
            if (reply->type == REDIS_REPLY_INTEGER)
                receivers += reply->integer;
            else
                ++errors;
            freeReplyObject(reply);
            ++acked;
        }
    }
done:
    seconds = now() - start;
    printf("RESULT client=publisher n=%ld received=%ld seconds=%.6f rate=%.0f size=%ld errors=%ld "
           "receivers=%lld end=%.6f status=%s\n",
        count, acked, seconds, seconds > 0 ? (double)acked / seconds : 0.0, size, errors, receivers,
        start + seconds, acked == count && errors == 0 ? "ok" : "error");
    redisFreeCommand(cmd);
    redisFree(c);
    free(payload);
    return acked == count && errors == 0 ? 0 : 1;
}
