/* Shared by the benchmark clients (C and C++): command line, clock, result line.
 *
 * Every client takes the same arguments and prints one machine-readable line:
 *   RESULT client=<name> mode=<mode> n=<target> received=<count> seconds=<s> rate=<per second>
 *          size=<payload bytes per message> errors=<unexpected replies> bytes=<payload bytes>
 *          checksum=<sum> end=<CLOCK_MONOTONIC at the last message> status=ok|timeout|disconnected|error
 * run-bench.sh parses nothing else. Diagnostics go to stderr. */
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum bench_mode { BENCH_LIVE, BENCH_DRAIN, BENCH_PUBLISH };

struct bench_args
{
    const char *host;
    int port;
    const char *channel;
    long count; /* messages to receive, or PUBLISH commands to send */
    enum bench_mode mode;
    long size; /* payload size of the PUBLISH commands (publish mode) */
    long window; /* publish mode: commands in flight; 0 = queue all N at once */
    double timeout; /* seconds; the client gives up and reports status=timeout */
};

static inline void bench_usage(const char *prog)
{
    fprintf(stderr,
        "usage: %s --port P --channel C --count N --mode live|drain|publish\n"
        "          [--host H] [--size S] [--window W] [--timeout SECONDS]\n"
        "  live:    subscribe, print READY, count N messages as they are published\n"
        "  drain:   subscribe, print READY, wait for a line on stdin, then count N queued messages\n"
        "  publish: send N PUBLISH commands of S bytes, W in flight (0: all at once)\n",
        prog);
}

/* Returns 0 on success; prints the usage and returns -1 otherwise. */
static inline int bench_parse_args(int argc, char **argv, struct bench_args *a)
{
    int i;
    a->host = "127.0.0.1";
    a->port = 6379;
    a->channel = "bench";
    a->count = 0;
    a->mode = BENCH_DRAIN;
    a->size = 64;
    a->window = 1000;
    a->timeout = 120.0;
    for (i = 1; i < argc; ++i) {
        const char *opt = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!val) {
            bench_usage(argv[0]);
            return -1;
        }
        if (strcmp(opt, "--host") == 0)
            a->host = val;
        else if (strcmp(opt, "--port") == 0)
            a->port = atoi(val);
        else if (strcmp(opt, "--channel") == 0)
            a->channel = val;
        else if (strcmp(opt, "--count") == 0)
            a->count = atol(val);
        else if (strcmp(opt, "--size") == 0)
            a->size = atol(val);
        else if (strcmp(opt, "--window") == 0)
            a->window = atol(val);
        else if (strcmp(opt, "--timeout") == 0)
            a->timeout = atof(val);
        else if (strcmp(opt, "--mode") == 0) {
            if (strcmp(val, "live") == 0)
                a->mode = BENCH_LIVE;
            else if (strcmp(val, "drain") == 0)
                a->mode = BENCH_DRAIN;
            else if (strcmp(val, "publish") == 0)
                a->mode = BENCH_PUBLISH;
            else {
                bench_usage(argv[0]);
                return -1;
            }
        } else {
            bench_usage(argv[0]);
            return -1;
        }
        ++i;
    }
    if (a->count <= 0 || a->port <= 0 || a->size < 0 || a->window < 0 || a->timeout <= 0) {
        bench_usage(argv[0]);
        return -1;
    }
    return 0;
}

static inline const char *bench_mode_name(enum bench_mode mode)
{
    return mode == BENCH_LIVE ? "live" : mode == BENCH_DRAIN ? "drain" : "publish";
}

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The payload of the PUBLISH commands: S bytes, not all alike. Caller frees. */
static inline char *bench_make_payload(long size)
{
    long i;
    char *p = (char *)malloc((size_t)size + 1);
    if (!p)
        abort();
    for (i = 0; i < size; ++i)
        p[i] = (char)('a' + i % 26);
    p[size] = '\0';
    return p;
}

static inline void bench_ready(void)
{
    fputs("READY\n", stdout);
    fflush(stdout);
}

/* Drain mode: block until the driver writes a line (or closes the pipe). The socket is not read
 * meanwhile, so the server queues the whole flood for us. */
static inline void bench_wait_for_go(void)
{
    char line[64];
    if (!fgets(line, sizeof line, stdin))
        fputs("bench: stdin closed before GO, starting anyway\n", stderr);
}

struct bench_tally
{
    long received; /* messages, or PUBLISH replies */
    long errors; /* unexpected replies */
    unsigned long long bytes; /* payload bytes seen */
    unsigned long long checksum; /* touches every payload so nothing is optimised away */
    double start;
    double end;
};

/* Count one payload; starts the clock on the first message when it isn't running yet. */
static inline void bench_count(struct bench_tally *t, const char *payload, size_t len)
{
    if (t->received == 0 && t->start == 0.0)
        t->start = bench_now();
    ++t->received;
    t->bytes += len;
    t->checksum += len ? (unsigned char)payload[0] + (unsigned char)payload[len - 1] : 0;
}

static inline void bench_print_result(
    const char *client, const struct bench_args *a, const struct bench_tally *t, const char *status)
{
    double end = t->end > 0.0 ? t->end : bench_now();
    double seconds = t->start > 0.0 ? end - t->start : 0.0;
    double rate = seconds > 0.0 ? (double)t->received / seconds : 0.0;
    printf("RESULT client=%s mode=%s n=%ld received=%ld seconds=%.6f rate=%.0f size=%ld errors=%ld "
           "bytes=%llu checksum=%llu end=%.6f status=%s\n",
        client, bench_mode_name(a->mode), a->count, t->received, seconds, rate,
        a->mode == BENCH_PUBLISH ? a->size : (t->received ? (long)(t->bytes / t->received) : 0), t->errors,
        t->bytes, t->checksum, end, status);
    fflush(stdout);
}
