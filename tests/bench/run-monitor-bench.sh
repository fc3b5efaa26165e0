#!/usr/bin/env bash
# redwire-monitor against the core benchmark's reference subscriber (plain hiredis + libevent) and
# redis-cli, in the same run: how fast does the command-line monitor drain a backlog, and does it
# keep pace with a flood? Prints a Markdown table of medians and ratios to hiredis + libevent.
#
#   tests/bench/run-monitor-bench.sh [BUILD_DIR] [BENCH_BUILD_DIR]
#
#   BUILD_DIR        holds src/app/monitor/redwire-monitor (default: build-monitor, then build)
#   BENCH_BUILD_DIR  holds tests/bench/bench_publisher and bench_sub_libevent (default: BUILD_DIR
#                    when it has them, else build-bench). Configure both with
#                    -DCMAKE_BUILD_TYPE=Release for numbers worth reporting.
#
# Clients (all subscribe to one channel by name, exit after N messages):
#   libevent       bench_sub_libevent --mode live (the reference: hiredis async + libevent)
#   monitor-none   redwire-monitor --channel C --format none --count N
#   monitor-jsonl  redwire-monitor --channel C --format jsonl --count N > file (checked: N lines)
#   rediscli       redis-cli SUBSCRIBE C | head -n 3N+3 (the counter; redis-cli is killed after)
#
# Modes:
#   drain  the client subscribes and is stopped (SIGSTOP); bench_publisher queues N messages for it
#          in the server; the client is continued (SIGCONT) and timed until it exits. The server
#          runs with client-output-buffer-limit pubsub 0 0 0 so that it keeps the whole backlog.
#   live   the client reads while bench_publisher publishes as fast as it can; timed from the
#          publisher's start to the client's exit. Redis's default pubsub limit applies, so a client
#          that falls 32 MB behind is disconnected: "kept pace" counts the runs that got all N.
# Every client is timed the same way, from outside (bash's $EPOCHREALTIME around SIGCONT or the
# publisher's start, and `wait` for its exit): process exit is included for all of them.
# On a shared, loaded machine the wall clock says little (other processes take the cores): the
# drain table also gives each client's CPU time (user + system, from /usr/bin/time, the whole
# process) and the CPU ratio, the reference's CPU time divided by the client's. A drain is CPU-bound
# in the client, so on an idle machine the two ratios agree. Clients take turns in rounds, the
# reference first; the paired ratio is the median of each round's client/reference ratio, steadier
# than the ratio of medians on a host whose speed changes from round to round.
#
# Environment (defaults in brackets):
#   MONITOR_BENCH_RUNS [3]          runs per client and mode; the table shows medians
#   MONITOR_BENCH_N [1000000]       messages per run
#   MONITOR_BENCH_SIZE [64]         payload bytes
#   MONITOR_BENCH_CHANNEL [bench]   the channel (5 bytes, as in the core benchmark's first rows: the
#                                   name's length moves the Qt clients' speed, see PERFORMANCE.md)
#   MONITOR_BENCH_CLIENTS ["libevent monitor-none monitor-jsonl rediscli"]
#   MONITOR_BENCH_MODES ["drain live"]
#   MONITOR_BENCH_LIVE_LIMIT ["32mb 8mb 60"]   client-output-buffer-limit pubsub in live mode
#   MONITOR_BENCH_TIMEOUT [120]     seconds allowed per client run
#   MONITOR_BENCH_CALLGRIND [1]     0: skip the instructions-per-message runs (valgrind)
#   MONITOR_BENCH_N_CALLGRIND [100000] and MONITOR_BENCH_N_CALLGRIND_BASE [10000]: drain mode under
#                                   callgrind; Ir/message = (Ir(N) - Ir(BASE)) / (N - BASE)
#   MONITOR_BENCH_OUT [BUILD_DIR/monitor-bench-results]   raw lines, logs and results.md
#   REDIS_SERVER [redis-server], REDIS_CLI [redis-cli]
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pick_build() {
    local dir
    for dir in "$@"; do
        if [[ -n $dir && -x $dir/src/app/monitor/redwire-monitor ]]; then
            (cd "$dir" && pwd)
            return 0
        fi
    done
    return 1
}
BUILD=$(pick_build "${1:-}" "$ROOT/build-monitor" "$ROOT/build") || {
    cat >&2 <<EOF
redwire-monitor not found. Build it first:
  cmake -S $ROOT -B $ROOT/build-monitor -G Ninja -DCMAKE_BUILD_TYPE=Release
  cmake --build $ROOT/build-monitor -j2 --target redwire-monitor
EOF
    exit 2
}
MONITOR=$BUILD/src/app/monitor/redwire-monitor
BIN=
for dir in "${2:-}" "$BUILD" "$ROOT/build-bench"; do
    if [[ -n $dir && -x $dir/tests/bench/bench_publisher ]]; then
        BIN=$(cd "$dir/tests/bench" && pwd)
        break
    fi
done
[[ -n $BIN ]] || {
    cat >&2 <<EOF
bench_publisher not found. Build the core benchmark first:
  cmake -S $ROOT -B $ROOT/build-bench -DCMAKE_BUILD_TYPE=Release -DREDWIRE_BUILD_BENCH=ON
  cmake --build $ROOT/build-bench -j2 --target bench_publisher bench_sub_libevent
EOF
    exit 2
}

RUNS=${MONITOR_BENCH_RUNS:-3}
N=${MONITOR_BENCH_N:-1000000}
SIZE=${MONITOR_BENCH_SIZE:-64}
CHANNEL=${MONITOR_BENCH_CHANNEL:-bench}
CLIENTS=${MONITOR_BENCH_CLIENTS:-libevent monitor-none monitor-jsonl rediscli}
MODES=${MONITOR_BENCH_MODES:-drain live}
LIVE_LIMIT=${MONITOR_BENCH_LIVE_LIMIT:-32mb 8mb 60}
TIMEOUT=${MONITOR_BENCH_TIMEOUT:-120}
CALLGRIND=${MONITOR_BENCH_CALLGRIND:-1}
N_CG=${MONITOR_BENCH_N_CALLGRIND:-100000}
N_CG_BASE=${MONITOR_BENCH_N_CALLGRIND_BASE:-10000}
OUT=${MONITOR_BENCH_OUT:-$BUILD/monitor-bench-results}
REDIS_SERVER=${REDIS_SERVER:-redis-server}
REDIS_CLI=${REDIS_CLI:-redis-cli}
GNU_TIME=
[[ -x /usr/bin/time ]] && GNU_TIME=/usr/bin/time

mkdir -p "$OUT"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/redwire-monitor-bench.XXXXXX")
RAW=$OUT/raw.txt
: >"$RAW"
REDIS_PID=
PORT=
# The processes of the client being run (ours to end if the script is interrupted).
RUN_PIDS=()

end_run_pids() {
    local pid
    for pid in "${RUN_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -CONT "$pid" 2>/dev/null
            kill "$pid" 2>/dev/null
            wait "$pid" 2>/dev/null
        fi
    done
    RUN_PIDS=()
}

# shellcheck source=tests/bench/bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

cleanup() {
    end_run_pids
    if [[ -n $REDIS_PID ]] && kill -0 "$REDIS_PID" 2>/dev/null; then
        kill "$REDIS_PID" 2>/dev/null
        wait "$REDIS_PID" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits until CHANNEL has a subscriber (the client is ready) or PID is gone; bounded.
wait_subscribed() {
    local channel=$1 pid=$2 start=$SECONDS
    while [[ $(rcli pubsub numsub "$channel" 2>/dev/null | tail -1) != 1 ]]; do
        if ! kill -0 "$pid" 2>/dev/null || ((SECONDS - start > 30)); then
            return 1
        fi
        sleep 0.02
    done
}

# Waits until PID is stopped (state T): SIGSTOP takes effect asynchronously.
wait_stopped() {
    local pid=$1 tries
    for tries in $(seq 200); do
        [[ $(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) == T ]] && return 0
        sleep 0.005
    done
    return 1
}

# start_client CLIENT CHANNEL N [PREFIX...]: starts one subscriber in the background. Sets
# WAIT_PID (the process whose exit ends the run), STOP_PID (the process that reads the socket, to
# stop and continue) and KILL_PID (a process to end after the run: redis-cli, which does not exit
# by itself). PREFIX wraps the subscriber (valgrind, /usr/bin/time).
start_client() {
    local client=$1 channel=$2 n=$3
    shift 3
    KILL_PID=
    # A new output file for every run. Truncating the last run's file instead (`>` on an existing
    # file) makes ext4 allocate and start writing back all of the new file's blocks when the
    # client closes it (its auto_da_alloc heuristic for files replaced by truncation): 20-35 ms
    # for 156 MB, spent in the client's exit and so in its time. That is the file system's
    # price for truncation, not the client's; docs/PERFORMANCE.md has the numbers.
    rm -f "$TMP/sub.out"
    case $client in
    libevent)
        "$@" "$BIN/bench_sub_libevent" --port "$PORT" --channel "$channel" --count "$n" --mode live \
            --timeout "$TIMEOUT" </dev/null >"$TMP/sub.out" 2>"$TMP/sub.err" &
        ;;
    monitor-none)
        "$@" "$MONITOR" -p "$PORT" --channel "$channel" --format none --count "$n" --duration "$TIMEOUT" \
            --no-reconnect -q </dev/null >"$TMP/sub.out" 2>"$TMP/sub.err" &
        ;;
    monitor-jsonl)
        "$@" "$MONITOR" -p "$PORT" --channel "$channel" --format jsonl --count "$n" --duration "$TIMEOUT" \
            --no-reconnect -q </dev/null >"$TMP/sub.out" 2>"$TMP/sub.err" &
        ;;
    rediscli)
        rm -f "$TMP/cli.fifo"
        mkfifo "$TMP/cli.fifo"
        timeout "$TIMEOUT" head -n $((3 * n + 3)) <"$TMP/cli.fifo" >/dev/null &
        WAIT_PID=$!
        "$REDIS_CLI" -h 127.0.0.1 -p "$PORT" subscribe "$channel" </dev/null >"$TMP/cli.fifo" 2>"$TMP/sub.err" &
        STOP_PID=$!
        KILL_PID=$STOP_PID
        RUN_PIDS=("$WAIT_PID" "$STOP_PID")
        return
        ;;
    esac
    WAIT_PID=$!
    STOP_PID=$WAIT_PID
    if (($# > 0)) && [[ -n $GNU_TIME && $1 == "$GNU_TIME" ]]; then
        # /usr/bin/time forks the subscriber: stop and continue the subscriber itself.
        local tries
        for tries in $(seq 100); do
            STOP_PID=$(pgrep -P "$WAIT_PID" | head -1)
            [[ -n $STOP_PID ]] && break
            sleep 0.01
        done
    fi
    RUN_PIDS=("$WAIT_PID")
}

# run_client MODE CLIENT N [PREFIX...]: one run; prints
# "RESULT client=... mode=... status=ok|... seconds=... rate=... rss_kb=... cpu_s=... backlog=... pub_rate=..."
run_client() {
    local mode=$1 client=$2 n=$3
    shift 3
    local channel=$CHANNEL t0 t1 rc status=ok backlog=0 pub="" rss=na cpu=na
    start_client "$client" "$channel" "$n" "$@"
    if ! wait_subscribed "$channel" "$WAIT_PID"; then
        log "  $client $mode: never subscribed: $(tail -3 "$TMP/sub.err" 2>/dev/null)"
        end_run_pids
        echo "RESULT client=$client mode=$mode status=not-ready"
        return
    fi
    if [[ $mode == drain ]]; then
        kill -STOP "$STOP_PID"
        wait_stopped "$STOP_PID" || log "  $client: pid $STOP_PID did not stop"
    fi
    t0=$EPOCHREALTIME
    timeout "$TIMEOUT" "$BIN/bench_publisher" --port "$PORT" --channel "$channel" --count "$n" --size "$SIZE" \
        >"$TMP/pub.out" 2>"$TMP/pub.err"
    pub=$(grep '^RESULT' "$TMP/pub.out")
    if [[ $(field "$pub" receivers) != "$n" ]]; then
        # In live mode the server dropped the client as a slow subscriber part way through.
        [[ $mode == live && -n $pub ]] && status=disconnected || status=publisher
        log "  publisher: $pub $(tail -2 "$TMP/pub.err") (expected receivers=$n): $status"
    fi
    if [[ $mode == drain ]]; then
        backlog=$(rcli client list type pubsub 2>/dev/null | sed -n 's/.* omem=\([0-9]*\).*/\1/p' | sort -n | tail -1)
        t0=$EPOCHREALTIME
        kill -CONT "$STOP_PID"
    fi
    wait "$WAIT_PID"
    rc=$?
    t1=$EPOCHREALTIME
    if [[ -n $KILL_PID ]]; then
        kill "$KILL_PID" 2>/dev/null
        wait "$KILL_PID" 2>/dev/null
    fi
    RUN_PIDS=()
    local seconds
    seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
    if [[ $status == ok ]]; then
        case $client in
        libevent)
            status=$(field "$(grep '^RESULT' "$TMP/sub.out")" status)
            [[ -n $status ]] || status=crashed
            ;;
        rediscli)
            # head exits 0 after its last line; timeout reports 124.
            ((rc == 0)) || status=exit-$rc
            ;;
        monitor-*)
            ((rc == 0)) || status=exit-$rc
            if [[ $client == monitor-jsonl && $status == ok ]]; then
                local lines
                lines=$(wc -l <"$TMP/sub.out")
                ((lines == n)) || status=lines-$lines
            fi
            # --duration is the safety net: reaching it means the count was not.
            awk -v s="$seconds" -v l="$TIMEOUT" 'BEGIN { exit !(s >= l) }' && status=timeout
            ;;
        esac
    fi
    [[ $status == ok ]] || log "  $client $mode: status=$status rc=$rc $(tail -2 "$TMP/sub.err" 2>/dev/null)"
    if [[ -n $GNU_TIME && -s $TMP/rss ]]; then
        # "%M %U %S": max RSS in kB, user and system seconds
        read -r rss cpu_user cpu_system < <(tail -1 "$TMP/rss")
        cpu=$(awk -v u="$cpu_user" -v s="$cpu_system" 'BEGIN { printf "%.2f", u + s }')
        rm -f "$TMP/rss"
    fi
    echo "RESULT client=$client mode=$mode n=$n status=$status seconds=$seconds" \
        "rate=$(awk -v n="$n" -v s="$seconds" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')" \
        "rss_kb=$rss cpu_s=$cpu backlog=${backlog:-0} pub_rate=$(field "$pub" rate)"
}

# callgrind_ir CLIENT N: total instructions of one drain run under callgrind (rediscli: skipped)
callgrind_ir() {
    local out=$TMP/callgrind.out line
    rm -f "$out"
    line=$(run_client drain "$1" "$2" valgrind --tool=callgrind --callgrind-out-file="$out")
    if [[ $(field "$line" status) != ok || ! -s $out ]]; then
        log "  callgrind $1 n=$2: $line"
        echo na
        return
    fi
    sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$out" | head -1
}

present=()
for c in $CLIENTS; do
    case $c in
    libevent) [[ -x $BIN/bench_sub_libevent ]] && present+=("$c") || log "skipping libevent: $BIN/bench_sub_libevent not built" ;;
    rediscli) command -v "$REDIS_CLI" >/dev/null && present+=("$c") || log "skipping rediscli: no $REDIS_CLI" ;;
    monitor-none | monitor-jsonl) present+=("$c") ;;
    *) log "unknown client $c" ;;
    esac
done
((${#present[@]})) || { log "no client to run"; exit 1; }

start_server
VERSION_REDIS=$(rcli info server | sed -n 's/^redis_version:\([^\r]*\).*/\1/p')
VERSION_MONITOR=$("$MONITOR" --version)
log "redis-server $VERSION_REDIS on 127.0.0.1:$PORT (pid $REDIS_PID); $VERSION_MONITOR ($MONITOR);"
log "bench binaries: $BIN; clients: ${present[*]}; N=$N x $SIZE B; runs: $RUNS"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

declare -A RATE ALLRATES PACE RSS CPU ALLCPU BACKLOG PUBRATE IR PAIRED
for mode in $MODES; do
    if [[ $mode == live ]]; then
        rcli config set client-output-buffer-limit "pubsub $LIVE_LIMIT" >/dev/null
    else
        rcli config set client-output-buffer-limit "pubsub 0 0 0" >/dev/null
    fi
    declare -A rates=() kept=() rsses=() cpus=() backlogs=() pubrates=() paired=()
    # Clients take turns within each run, so that a change in the machine's load hits all of them.
    for ((run = 1; run <= RUNS; ++run)); do
        reference_rate=
        for c in "${present[@]}"; do
            prefix=()
            [[ -n $GNU_TIME && $c != rediscli ]] && prefix=("$GNU_TIME" -f "%M %U %S" -o "$TMP/rss")
            line=$(run_client "$mode" "$c" "$N" "${prefix[@]}")
            echo "run=$run $line" >>"$RAW"
            status=$(field "$line" status)
            rate=$(field "$line" rate)
            log "$mode $c run $run: $(human "$rate")/s status=$status rss=$(field "$line" rss_kb) kB cpu=$(field "$line" cpu_s) s"
            if [[ $status == ok ]]; then
                rates[$c]+="$rate "
                kept[$c]=$((${kept[$c]:-0} + 1))
                # The reference runs first in every round: each client's rate against the
                # reference's in the same round (the host's speed changes from round to round).
                [[ $c == libevent ]] && reference_rate=$rate
                [[ -n $reference_rate ]] &&
                    paired[$c]+="$(awk -v a="$rate" -v b="$reference_rate" 'BEGIN { printf "%.3f", a / b }') "
            fi
            rsses[$c]+="$(field "$line" rss_kb) "
            [[ $status == ok ]] && cpus[$c]+="$(field "$line" cpu_s) "
            backlogs[$c]+="$(field "$line" backlog) "
            pubrates[$c]+="$(field "$line" pub_rate) "
        done
    done
    for c in "${present[@]}"; do
        key=$mode/$c
        RATE[$key]=$(median <<<"${rates[$c]:-}")
        ALLRATES[$key]=${rates[$c]:-}
        PACE[$key]="${kept[$c]:-0}/$RUNS"
        RSS[$key]=$(median <<<"${rsses[$c]:-}")
        CPU[$key]=$(median <<<"${cpus[$c]:-}")
        ALLCPU[$key]=${cpus[$c]:-}
        BACKLOG[$key]=$(median <<<"${backlogs[$c]:-}")
        PUBRATE[$key]=$(median <<<"${pubrates[$c]:-}")
        PAIRED[$key]=$(median <<<"${paired[$c]:-}")
    done
    unset rates kept rsses cpus backlogs pubrates paired
done

if [[ $CALLGRIND == 1 ]] && command -v valgrind >/dev/null; then
    rcli config set client-output-buffer-limit "pubsub 0 0 0" >/dev/null
    for c in "${present[@]}"; do
        [[ $c == rediscli ]] && continue
        big=$(callgrind_ir "$c" "$N_CG")
        small=$(callgrind_ir "$c" "$N_CG_BASE")
        IR[$c]=$(awk -v a="$big" -v b="$small" -v n="$N_CG" -v m="$N_CG_BASE" \
            'BEGIN { if (a == "na" || b == "na") print "na"; else printf "%.0f", (a - b) / (n - m) }')
        log "callgrind $c: ${IR[$c]} instructions per message"
        echo "callgrind client=$c ir_$N_CG=$big ir_$N_CG_BASE=$small per_message=${IR[$c]}" >>"$RAW"
    done
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

{
    echo "Redis $VERSION_REDIS on loopback; $VERSION_MONITOR; $(nproc) cores; load average $LOAD_BEFORE before,"
    echo "$LOAD_AFTER after; $N messages of $SIZE B per run; medians of $RUNS runs; ratio = messages/s divided by"
    echo "hiredis + libevent's; max RSS and CPU time (user + system) from /usr/bin/time; CPU ratio = hiredis +"
    echo "libevent's CPU time divided by the client's; paired ratio = the median over rounds of the client's"
    echo "messages/s divided by the reference's in the same round."
    if [[ " $MODES " == *" drain "* ]]; then
        echo
        echo "**Drain** (the backlog is queued while the client is stopped, then timed from SIGCONT to its exit)"
        echo
        echo "| client | messages/s | ratio | paired ratio | CPU s | CPU ratio | Ir/message | max RSS | runs | CPU s per run | server backlog |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|"
        for c in "${present[@]}"; do
            k=drain/$c
            echo "| $c | $(human "${RATE[$k]}") | $(ratio "${RATE[$k]}" "${RATE[drain/libevent]:-na}") |" \
                "$(awk -v p="${PAIRED[$k]:-na}" 'BEGIN { if (p == "na" || p == "") print "–"; else printf "%.2f", p }') |" \
                "${CPU[$k]/na/–} | $(ratio "${CPU[drain/libevent]:-na}" "${CPU[$k]}") | ${IR[$c]:-–} |" \
                "$(awk -v r="${RSS[$k]}" 'BEGIN { if (r == "na") print "–"; else printf "%.0f MB", r / 1024 }') |" \
                "$(runs_list "${ALLRATES[$k]}") | ${ALLCPU[$k]% } | $(awk -v b="${BACKLOG[$k]}" 'BEGIN { if (b == "na") print "–"; else printf "%.0f MB", b / 1e6 }') |"
        done
    fi
    if [[ " $MODES " == *" live "* ]]; then
        echo
        echo "**Live** (client and publisher together, pubsub limit \`$LIVE_LIMIT\`; timed from the publisher's start to the client's exit)"
        echo
        echo "| client | messages/s | ratio | kept pace | max RSS | runs | publisher rate |"
        echo "|---|---:|---:|---|---:|---|---:|"
        for c in "${present[@]}"; do
            k=live/$c
            echo "| $c | $(human "${RATE[$k]}") | $(ratio "${RATE[$k]}" "${RATE[live/libevent]:-na}") | ${PACE[$k]} |" \
                "$(awk -v r="${RSS[$k]}" 'BEGIN { if (r == "na") print "–"; else printf "%.0f MB", r / 1024 }') |" \
                "$(runs_list "${ALLRATES[$k]}") | $(human "${PUBRATE[$k]}") |"
        done
    fi
} | tee "$OUT/results.md"
log "raw result lines: $RAW; table: $OUT/results.md"
