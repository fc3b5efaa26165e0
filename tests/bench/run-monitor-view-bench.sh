#!/usr/bin/env bash
# The Monitor view under load: the app's MonitorPage on a rendering offscreen window
# (bench_monitor_view), subscribed to a pattern, while bench_paced_publisher publishes at a fixed
# rate. Reports how responsive the GUI thread stays (gaps between ticks of a 10 ms timer), frames
# rendered, messages received against published, and memory against the ring buffer's capacity.
#
#   tests/bench/run-monitor-view-bench.sh [BUILD_DIR]
#
# BUILD_DIR (default build-bench) is configured with -DREDWIRE_BUILD_BENCH=ON and has
# bench_monitor_view and bench_paced_publisher built. Variables, with their defaults:
#   VIEW_BENCH_RATE [50000]         messages per second the publisher aims for
#   VIEW_BENCH_SECONDS [20]         how long the publisher runs
#   VIEW_BENCH_WARMUP [5]           seconds of load before the loaded window starts
#   VIEW_BENCH_TAIL [3]             seconds the view keeps running after the publisher stops
#   VIEW_BENCH_RUNS [2]             runs per capacity
#   VIEW_BENCH_CAPACITIES ["100000 10000"]   ring buffer capacities (the app's default is 100,000)
#   VIEW_BENCH_CHANNELS [4]         channels, round-robin (bench.orders, bench.trades, ...)
#   VIEW_BENCH_SIZE [100]           payload bytes (JSON)
#   VIEW_BENCH_PATTERN [bench.*]    what the monitor subscribes to
#   VIEW_BENCH_LIMIT ["32mb 8mb 60"]   client-output-buffer-limit pubsub (Redis's default)
#   VIEW_BENCH_OUT [BUILD_DIR/view-bench-results]   raw result lines, logs and the table
#   REDIS_SERVER [redis-server], REDIS_CLI [redis-cli]
# Every wait is bounded; the server and the clients are stopped by PID when the script exits.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${1:-$ROOT/build-bench}
BUILD=$(cd "$BUILD" 2>/dev/null && pwd) || { echo "no build directory: ${1:-$ROOT/build-bench}" >&2; exit 2; }
BIN=$BUILD/tests/bench
if [[ ! -x $BIN/bench_monitor_view || ! -x $BIN/bench_paced_publisher ]]; then
    cat >&2 <<EOF
bench_monitor_view or bench_paced_publisher not found under $BIN. Build them first:
  cmake -S $ROOT -B $BUILD -DCMAKE_BUILD_TYPE=Release -DREDWIRE_BUILD_BENCH=ON
  cmake --build $BUILD -j2 --target bench_monitor_view bench_paced_publisher
EOF
    exit 2
fi

RATE=${VIEW_BENCH_RATE:-50000}
SECONDS_LOAD=${VIEW_BENCH_SECONDS:-20}
WARMUP=${VIEW_BENCH_WARMUP:-5}
TAIL=${VIEW_BENCH_TAIL:-3}
RUNS=${VIEW_BENCH_RUNS:-2}
CAPACITIES=${VIEW_BENCH_CAPACITIES:-100000 10000}
CHANNELS=${VIEW_BENCH_CHANNELS:-4}
SIZE=${VIEW_BENCH_SIZE:-100}
PATTERN=${VIEW_BENCH_PATTERN:-bench.*}
LIMIT=${VIEW_BENCH_LIMIT:-32mb 8mb 60}
OUT=${VIEW_BENCH_OUT:-$BUILD/view-bench-results}
REDIS_SERVER=${REDIS_SERVER:-redis-server}
REDIS_CLI=${REDIS_CLI:-redis-cli}

mkdir -p "$OUT"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/redwire-view-bench.XXXXXX")
RAW=$OUT/raw.txt
: >"$RAW"
REDIS_PID=
VIEW_PID=
PUB_PID=
PORT=

stop_pid() {
    local pid=$1
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
}
# shellcheck source=tests/bench/bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

cleanup() {
    stop_pid "$PUB_PID"
    stop_pid "$VIEW_PID"
    stop_pid "$REDIS_PID"
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# run_one CAPACITY: one run; sets RESULT to the view's RESULT line followed by the publisher's
# figures and the largest output buffer the server held for the monitor (omem) while publishing.
# Not run in a subshell, so that the trap can stop what it started.
RESULT=
run_one() {
    local capacity=$1
    local view_out=$TMP/view.out view_err=$TMP/view.err pub_out=$TMP/pub.out pub_err=$TMP/pub.err
    : >"$view_out"
    : >"$pub_out"
    local total=$((SECONDS_LOAD + TAIL))
    QT_QPA_PLATFORM=offscreen "$BIN/bench_monitor_view" --port "$PORT" --pattern "$PATTERN" \
        --seconds "$total" --load-seconds "$SECONDS_LOAD" --warmup "$WARMUP" --capacity "$capacity" \
        --timeout $((total + 60)) </dev/null >"$view_out" 2>"$view_err" &
    VIEW_PID=$!
    local start=$SECONDS
    while ! grep -q '^READY' "$view_out" 2>/dev/null; do
        if ! kill -0 "$VIEW_PID" 2>/dev/null || ((SECONDS - start > 60)); then
            log "  view never READY: $(tail -3 "$view_err")"
            stop_pid "$VIEW_PID"
            VIEW_PID=
            RESULT="RESULT client=monitor-view capacity=$capacity status=not-ready"
            return
        fi
        sleep 0.05
    done
    "$BIN/bench_paced_publisher" --port "$PORT" --rate "$RATE" --seconds "$SECONDS_LOAD" \
        --channels "$CHANNELS" --size "$SIZE" >"$pub_out" 2>"$pub_err" &
    PUB_PID=$!
    # The server's output buffer for the monitor's subscriber connection, twice a second.
    local omem_max=0 omem
    start=$SECONDS
    while kill -0 "$PUB_PID" 2>/dev/null && ((SECONDS - start <= SECONDS_LOAD + 30)); do
        omem=$(rcli client list type pubsub 2>/dev/null | sed -n 's/.* omem=\([0-9]*\).*/\1/p' | sort -n | tail -1)
        [[ -n $omem ]] && ((omem > omem_max)) && omem_max=$omem
        sleep 0.5
    done
    wait_bounded "$PUB_PID" 30
    PUB_PID=
    wait_bounded "$VIEW_PID" $((total + 60))
    VIEW_PID=
    cp "$view_err" "$OUT/view-capacity-$capacity-$(date +%s).log"
    local line pub
    line=$(grep '^RESULT' "$view_out" | tail -1)
    pub=$(grep '^RESULT' "$pub_out")
    [[ -n $line ]] || { log "  view: no result: $(tail -3 "$view_err")"; line="RESULT client=monitor-view capacity=$capacity status=crashed"; }
    [[ -n $pub ]] || log "  publisher: no result: $(tail -3 "$pub_err")"
    RESULT="$line pub_n=$(field "$pub" n) pub_rate=$(field "$pub" rate) pub_receivers=$(field "$pub" receivers) pub_late_ticks=$(field "$pub" late_ticks) pub_status=$(field "$pub" status) omem_max=$omem_max"
}

start_server --client-output-buffer-limit "pubsub $LIMIT"
VERSION_REDIS=$(rcli info server | sed -n 's/^redis_version:\([^\r]*\).*/\1/p')
log "redis-server $VERSION_REDIS on 127.0.0.1:$PORT (pid $REDIS_PID); $RATE msg/s for ${SECONDS_LOAD}s, capacities: $CAPACITIES, runs: $RUNS"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

LINES=()
for ((run = 1; run <= RUNS; ++run)); do
    for capacity in $CAPACITIES; do
        run_one "$capacity"
        line=$RESULT
        echo "run=$run $line" >>"$RAW"
        LINES+=("run=$run $line")
        log "capacity=$capacity run $run: status=$(field " $line" status) published=$(field "$line" pub_n) at $(field "$line" pub_rate)/s received=$(field "$line" received) gap_max=$(field "$line" gap_max) ms fps=$(field "$line" fps_loaded) rss_end=$(field "$line" rss_end) MB"
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

k() { awk -v r="$1" 'BEGIN { if (r == "") print "–"; else if (r >= 1e6) printf "%.2f M", r / 1e6; else printf "%.1f k", r / 1e3 }'; }
mbs() { awk -v b="$1" 'BEGIN { if (b == "") print "–"; else printf "%.1f MB", b / 1e6 }'; }

{
    echo "Redis $VERSION_REDIS on loopback, $(nproc) cores, load average $LOAD_BEFORE before and $LOAD_AFTER after."
    echo "Publisher: $RATE msg/s aimed for ${SECONDS_LOAD} s, $CHANNELS channels, ${SIZE} B JSON payloads; the view subscribes to \`$PATTERN\`;"
    echo "pubsub limit \`$LIMIT\`. Loaded window: from ${WARMUP} s to ${SECONDS_LOAD} s after the publisher starts."
    echo
    echo "| capacity | run | published | received | rows held | worst gap | p99 gap | gaps > 50 ms | worst gap, whole run | frames/s (idle → loaded) | view CPU | RSS ready → warm → peak → end | VmHWM | server backlog max | status |"
    echo "|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---|---:|---:|---|"
    for line in "${LINES[@]}"; do
        l=" $line"
        lost=$(awk -v p="$(field "$l" pub_receivers)" -v r="$(field "$l" received)" 'BEGIN { if (p == "" || r == "") print "?"; else print p - r }')
        echo "| $(field "$l" capacity) | $(field "$l" run) | $(field "$l" pub_n) at $(k "$(field "$l" pub_rate)")/s | $(field "$l" received)$([[ $lost != 0 ]] && echo " ($lost missing)") | $(field "$l" rows) | $(field "$l" gap_max) ms | $(field "$l" gap_p99) ms | $(field "$l" gaps_over50) of $(field "$l" ticks) | $(field "$l" gap_max_all) ms | $(field "$l" fps_idle) → $(field "$l" fps_loaded) | $(field "$l" cpu_loaded) % | $(field "$l" rss_ready) → $(field "$l" rss_warm) → $(field "$l" rss_peak) → $(field "$l" rss_end) MB | $(field "$l" hwm_end) MB | $(mbs "$(field "$l" omem_max)") | $(field "$l" status) |"
    done
} | tee "$OUT/results.md"
log "raw result lines: $RAW; table: $OUT/results.md"
