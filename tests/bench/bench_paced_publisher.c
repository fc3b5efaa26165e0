/* A paced load generator for run-monitor-view-bench.sh: PUBLISH at a fixed rate for a fixed time,
 * round-robin over K channels, with small JSON payloads of about S bytes that differ from message to
 * message (an id and a time), on hiredis's blocking API.
 *
 *   bench_paced_publisher --port P --rate R --seconds D [--channels K] [--prefix bench.]
 *                         [--size S] [--tick-ms T] [--host H]
 *
 * Every T ms (default 10) it sends, pipelined, the messages due by then (R * elapsed, rounded down,
 * minus those sent), then reads their replies. A publisher that falls behind catches up in the
 * next batch; it never sends more than R * D messages in total and stops after D seconds plus 5 s
 * of grace at the most.
 *
 * Prints: RESULT client=paced-publisher target_rate=R n=<sent> seconds=<first to last reply>
 *         rate=<achieved> receivers=<sum of PUBLISH replies> max_batch=<largest batch>
 *         late_ticks=<ticks that started more than one tick late> status=... */
#include <errno.h>
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

static void sleep_until(double t)
{
    struct timespec ts;
    ts.tv_sec = (time_t)t;
    ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec += 1;
        ts.tv_nsec -= 1000000000L;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) { }
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1";
    const char *prefix = "bench.";
    static const char *names[] = { "orders", "trades", "quotes", "alerts", "metrics", "audit", "users", "jobs" };
    int port = 6379, i;
    long rate = 0, channels = 4, size = 100, tick_ms = 10;
    double duration = 0;
    long long total, sent = 0, acked = 0, errors = 0, receivers = 0;
    long max_batch = 0, late_ticks = 0;
    double start, next, first_reply = 0, last_reply = 0;
    char channel[8][64];
    char *payload;
    redisContext *c;

    signal(SIGPIPE, SIG_IGN);
    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--host") == 0)
            host = argv[i + 1];
        else if (strcmp(argv[i], "--port") == 0)
            port = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--rate") == 0)
            rate = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--seconds") == 0)
            duration = atof(argv[i + 1]);
        else if (strcmp(argv[i], "--channels") == 0)
            channels = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--prefix") == 0)
            prefix = argv[i + 1];
        else if (strcmp(argv[i], "--size") == 0)
            size = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--tick-ms") == 0)
            tick_ms = atol(argv[i + 1]);
        else
            break;
    }
    if (i != argc || rate <= 0 || duration <= 0 || channels < 1 || channels > 8 || size < 60 || size > 4096
        || tick_ms < 1 || strlen(prefix) > 40) {
        fprintf(stderr,
            "usage: %s --port P --rate R --seconds D [--channels K (1-8)] [--prefix bench.] "
            "[--size S (60-4096)] [--tick-ms T] [--host H]\n",
            argv[0]);
        return 2;
    }
    for (i = 0; i < channels; ++i)
        snprintf(channel[i], sizeof channel[i], "%s%s", prefix, names[i]);
    payload = malloc((size_t)size + 1);
    total = (long long)((double)rate * duration);

    c = redisConnect(host, port);
    if (!c || c->err) {
        fprintf(stderr, "connect: %s\n", c ? c->errstr : "out of memory");
        return 1;
    }

    start = now();
    next = start;
    while (acked < total) {
        double t = now();
        long long due, n, k;
        if (t > start + duration + 5.0) {
            fprintf(stderr, "paced publisher: out of time with %lld of %lld sent\n", sent, total);
            break;
        }
        due = (long long)((t - start) * (double)rate);
        if (due > total)
            due = total;
        n = due - sent;
        for (k = 0; k < n; ++k) {
            long long id = sent + k;
            const char *ch = channel[id % channels];
            /* {"id":N,"ts":T,"channel":"...","status":"ok","note":"xxxx"} padded to size bytes. */
            int len = snprintf(payload, (size_t)size + 1,
                "{\"id\":%lld,\"ts\":%.6f,\"channel\":\"%s\",\"status\":\"ok\",\"note\":\"", id, t, ch);
            if (len < 0 || len > size - 2)
                len = size - 2 > 0 ? (int)size - 2 : 0;
            while (len < size - 2)
                payload[len++] = (char)('a' + (id + len) % 26);
            payload[len++] = '"';
            payload[len++] = '}';
            redisAppendCommand(c, "PUBLISH %s %b", ch, payload, (size_t)len);
        }
        sent += n;
        if (n > max_batch)
            max_batch = (long)n;
        for (k = 0; k < n; ++k) {
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
        if (n > 0) {
            last_reply = now();
            if (first_reply == 0)
                first_reply = last_reply;
        }
        if (acked >= total)
            break;
        next += (double)tick_ms / 1000.0;
        t = now();
        if (t > next + (double)tick_ms / 1000.0) {
            ++late_ticks;
            next = t; /* do not try to make up lost ticks one by one: the next batch catches up */
        } else {
            sleep_until(next);
        }
    }
done:
    {
        double seconds = last_reply - start;
        printf("RESULT client=paced-publisher target_rate=%ld n=%lld target_n=%lld seconds=%.6f rate=%.0f "
               "channels=%ld size=%ld receivers=%lld errors=%lld max_batch=%ld late_ticks=%ld status=%s\n",
            rate, acked, total, seconds, seconds > 0 ? (double)acked / seconds : 0.0, channels, size, receivers,
            errors, max_batch, late_ticks, acked == total && errors == 0 ? "ok" : "error");
    }
    redisFree(c);
    free(payload);
    return acked == total && errors == 0 ? 0 : 1;
}
