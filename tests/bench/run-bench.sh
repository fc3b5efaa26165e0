#!/usr/bin/env bash
# Pub/Sub benchmark driver: our wrapper against plain hiredis + libevent and hiredis's adapters/qt.h.
# Starts a private redis-server on a free loopback port, runs every client in every mode K times,
# prints a Markdown table of medians and ratios to hiredis + libevent, plus callgrind instructions
# per message. See docs/PERFORMANCE.md for how to read it.
#
#   tests/bench/run-bench.sh [BUILD_DIR]        (default: build-bench at the top of the tree)
#
# Environment (defaults in brackets):
#   BENCH_RUNS [3]             runs per client, mode and size; the table shows medians
#   BENCH_N_64 [1000000]       messages of 64 B in live and drain mode
#   BENCH_N_1K [200000]        messages of 1 KiB in live and drain mode
#   BENCH_N_PUBLISH [100000]   PUBLISH commands in publish mode
#   BENCH_PUBLISH_SIZE [64]    their payload size
#   BENCH_WINDOW [1000]        publish mode: commands in flight (0: all N queued at once)
#   BENCH_CHANNEL [bench]      the channel every client subscribes to (the same for all: its length
#                              changes the frame size, and more, see docs/PERFORMANCE.md)
#   BENCH_LONG_CHANNEL [redwire:bench:channel-24]  an extra drain row of 64 B messages on this
#                              channel (24 bytes); empty: no such row
#   BENCH_CLIENTS ["libevent hiredisqt redwire"]   missing executables are reported and skipped
#   BENCH_MODES ["drain live publish"]
#   BENCH_CALLGRIND [1]        0: skip the callgrind runs
#   BENCH_N_CALLGRIND [100000] and BENCH_N_CALLGRIND_BASE [10000]: instructions per message are
#                              (Ir(N) - Ir(BASE)) / (N - BASE), which cancels start-up and connect
#   BENCH_LIVE_LIMIT ["32mb 8mb 60"]   client-output-buffer-limit pubsub in live mode (Redis's
#                              default: a subscriber that falls that far behind is disconnected)
#   BENCH_TIMEOUT [120]        seconds allowed per client run (callgrind: 10x)
#   BENCH_OUT [BUILD_DIR/bench-results]   raw result lines, logs and the table (results.md)
#   REDIS_SERVER [redis-server], REDIS_CLI [redis-cli]
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${1:-$ROOT/build-bench}
BUILD=$(cd "$BUILD" 2>/dev/null && pwd) || { echo "no build directory: ${1:-$ROOT/build-bench}" >&2; exit 2; }
if [[ -x $BUILD/tests/bench/bench_publisher ]]; then
    BIN=$BUILD/tests/bench
elif [[ -x $BUILD/bench/bench_publisher ]]; then
    BIN=$BUILD/bench
else
    cat >&2 <<EOF
bench_publisher not found under $BUILD. Build the benchmark first:
  cmake -S $ROOT -B $BUILD -DCMAKE_BUILD_TYPE=Release -DREDWIRE_BUILD_BENCH=ON
  cmake --build $BUILD -j2 --target bench_publisher bench_sub_libevent bench_sub_hiredisqt bench_sub_redwire
EOF
    exit 2
fi

RUNS=${BENCH_RUNS:-3}
N_64=${BENCH_N_64:-1000000}
N_1K=${BENCH_N_1K:-200000}
N_PUB=${BENCH_N_PUBLISH:-100000}
PUB_SIZE=${BENCH_PUBLISH_SIZE:-64}
WINDOW=${BENCH_WINDOW:-1000}
CHANNEL=${BENCH_CHANNEL:-bench}
LONG_CHANNEL=${BENCH_LONG_CHANNEL-redwire:bench:channel-24}
CLIENTS=${BENCH_CLIENTS:-libevent hiredisqt redwire}
MODES=${BENCH_MODES:-drain live publish}
CALLGRIND=${BENCH_CALLGRIND:-1}
N_CG=${BENCH_N_CALLGRIND:-100000}
N_CG_BASE=${BENCH_N_CALLGRIND_BASE:-10000}
LIVE_LIMIT=${BENCH_LIVE_LIMIT:-32mb 8mb 60}
TIMEOUT=${BENCH_TIMEOUT:-120}
OUT=${BENCH_OUT:-$BUILD/bench-results}
REDIS_SERVER=${REDIS_SERVER:-redis-server}
REDIS_CLI=${REDIS_CLI:-redis-cli}

mkdir -p "$OUT"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/redwire-bench.XXXXXX")
RAW=$OUT/raw.txt
: >"$RAW"
REDIS_PID=
SUB_PID=
PORT=

# shellcheck source=tests/bench/bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

cleanup() {
    if [[ -n $SUB_PID ]] && kill -0 "$SUB_PID" 2>/dev/null; then
        kill "$SUB_PID" 2>/dev/null
        wait "$SUB_PID" 2>/dev/null
    fi
    if [[ -n $REDIS_PID ]] && kill -0 "$REDIS_PID" 2>/dev/null; then
        kill "$REDIS_PID" 2>/dev/null
        wait "$REDIS_PID" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_ready() {
    local pid=$1 file=$2 limit=$3 start=$SECONDS
    while ! grep -q '^READY' "$file" 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null || ((SECONDS - start > limit)); then
            return 1
        fi
        sleep 0.02
    done
}

# run_sub MODE CLIENT N SIZE CHANNEL [PREFIX...]: runs one client (and the publisher for live and
# drain); prints the client's RESULT line followed by " lag_ms=... backlog=... pub_rate=...".
run_sub() {
    local mode=$1 client=$2 n=$3 size=$4 channel=$5
    shift 5
    local exe=$BIN/bench_sub_$client limit=$TIMEOUT
    (($# > 0)) && limit=$((TIMEOUT * 10))
    local sub_out=$TMP/sub.out sub_err=$TMP/sub.err pub_out=$TMP/pub.out
    : >"$sub_out"
    : >"$pub_out"
    if [[ $mode == publish ]]; then
        "$@" "$exe" --port "$PORT" --channel "$channel" --count "$n" --mode publish --size "$size" \
            --window "$WINDOW" --timeout "$limit" </dev/null >"$sub_out" 2>"$sub_err" &
        SUB_PID=$!
        wait_bounded "$SUB_PID" $((limit + 30))
        SUB_PID=
        local line
        line=$(grep '^RESULT' "$sub_out")
        [[ -n $line ]] || { log "  $client $mode: no result: $(tail -3 "$sub_err")"; line="RESULT client=$client mode=$mode status=crashed"; }
        echo "$line"
        return
    fi

    local fifo=$TMP/go.fifo go_fd
    rm -f "$fifo"
    mkfifo "$fifo"
    if [[ $mode == drain ]]; then
        "$@" "$exe" --port "$PORT" --channel "$channel" --count "$n" --mode drain --timeout "$limit" \
            <"$fifo" >"$sub_out" 2>"$sub_err" &
        SUB_PID=$!
        exec {go_fd}>"$fifo"
    else
        "$@" "$exe" --port "$PORT" --channel "$channel" --count "$n" --mode live --timeout "$limit" \
            </dev/null >"$sub_out" 2>"$sub_err" &
        SUB_PID=$!
    fi
    if ! wait_ready "$SUB_PID" "$sub_out" 60; then
        log "  $client $mode: never READY: $(tail -3 "$sub_err")"
        [[ $mode == drain ]] && exec {go_fd}>&-
        kill "$SUB_PID" 2>/dev/null
        wait "$SUB_PID" 2>/dev/null
        SUB_PID=
        echo "RESULT client=$client mode=$mode status=not-ready"
        return
    fi
    timeout "$TIMEOUT" "$BIN/bench_publisher" --port "$PORT" --channel "$channel" --count "$n" \
        --size "$size" >"$pub_out" 2>"$TMP/pub.err"
    local pub backlog=0
    pub=$(grep '^RESULT' "$pub_out")
    if [[ $(field "$pub" receivers) != "$n" ]]; then
        log "  publisher: $pub $(tail -2 "$TMP/pub.err") (expected receivers=$n)"
    fi
    if [[ $mode == drain ]]; then
        # What the server holds for the subscriber (the rest is in the kernel's socket buffers).
        backlog=$(rcli client list type pubsub 2>/dev/null | sed -n 's/.* omem=\([0-9]*\).*/\1/p' | sort -n | tail -1)
        echo GO >&"$go_fd"
        exec {go_fd}>&-
    fi
    wait_bounded "$SUB_PID" $((limit + 30))
    SUB_PID=
    local line lag=
    line=$(grep '^RESULT' "$sub_out")
    if [[ -z $line ]]; then
        log "  $client $mode: no result: $(tail -3 "$sub_err")"
        line="RESULT client=$client mode=$mode status=crashed"
    elif [[ $mode == live && -n $pub ]]; then
        lag=$(awk -v s="$(field "$line" end)" -v p="$(field "$pub" end)" 'BEGIN { printf "%.1f", (s - p) * 1000 }')
    fi
    echo "$line lag_ms=${lag:-na} backlog=${backlog:-0} pub_rate=$(field "$pub" rate)"
}

# callgrind_ir MODE CLIENT N SIZE CHANNEL: total instructions of one run under callgrind
callgrind_ir() {
    local out=$TMP/callgrind.out line
    rm -f "$out"
    line=$(run_sub "$1" "$2" "$3" "$4" "$5" valgrind --tool=callgrind --callgrind-out-file="$out")
    if [[ $(field "$line" status) != ok || ! -s $out ]]; then
        log "  callgrind $1 $2 n=$3: $line"
        echo na
        return
    fi
    sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$out" | head -1
}

declare -A RATE IR PACE LAG BACKLOG PUBRATE ALLRATES
have_client() { [[ -x $BIN/bench_sub_$1 ]]; }

present=()
for c in $CLIENTS; do
    if have_client "$c"; then
        present+=("$c")
    else
        log "skipping $c: $BIN/bench_sub_$c not built"
    fi
done
((${#present[@]})) || { log "no client to run"; exit 1; }

start_server --client-output-buffer-limit "pubsub 0 0 0"
VERSION_REDIS=$(rcli info server | sed -n 's/^redis_version:\([^\r]*\).*/\1/p')
log "redis-server $VERSION_REDIS on 127.0.0.1:$PORT (pid $REDIS_PID); clients: ${present[*]}; runs: $RUNS"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# A case is SIZE:CHANNEL-KIND, s = $CHANNEL, l = $LONG_CHANNEL.
cases_of() {
    case $1 in
    publish) echo "$PUB_SIZE:s" ;;
    live) echo "64:s 1024:s" ;;
    drain) echo "64:s 1024:s${LONG_CHANNEL:+ 64:l}" ;;
    esac
}
case_size() { echo "${1%%:*}"; }
case_channel() { if [[ ${1##*:} == l ]]; then echo "$LONG_CHANNEL"; else echo "$CHANNEL"; fi; }
case_n() {
    local size
    size=$(case_size "$2")
    if [[ $1 == publish ]]; then
        echo "$N_PUB"
    elif ((size <= 64)); then
        echo "$N_64"
    else
        echo "$N_1K"
    fi
}

for mode in $MODES; do
    if [[ $mode == live ]]; then
        rcli config set client-output-buffer-limit "pubsub $LIVE_LIMIT" >/dev/null
    else
        rcli config set client-output-buffer-limit "pubsub 0 0 0" >/dev/null
    fi
    for cs in $(cases_of "$mode"); do
        size=$(case_size "$cs")
        channel=$(case_channel "$cs")
        n=$(case_n "$mode" "$cs")
        declare -A rates=() lags=() kept=() backlogs=() pubrates=()
        for ((run = 1; run <= RUNS; ++run)); do
            for c in "${present[@]}"; do
                line=$(run_sub "$mode" "$c" "$n" "$size" "$channel")
                echo "run=$run channel=$channel $line" >>"$RAW"
                status=$(field "$line" status)
                rate=$(field "$line" rate)
                log "$mode size=$size channel=$channel $c run $run: $(human "$rate")/s status=$status$([[ $mode == live ]] && echo " lag=$(field "$line" lag_ms) ms")"
                if [[ $status == ok || $mode == live ]]; then
                    rates[$c]+="$rate "
                fi
                [[ $status == ok ]] && kept[$c]=$((${kept[$c]:-0} + 1))
                lags[$c]+="$(field "$line" lag_ms) "
                backlogs[$c]+="$(field "$line" backlog) "
                pubrates[$c]+="$(field "$line" pub_rate) "
            done
        done
        for c in "${present[@]}"; do
            key=$mode/$cs/$c
            RATE[$key]=$(median <<<"${rates[$c]:-}")
            ALLRATES[$key]=${rates[$c]:-}
            PACE[$key]="${kept[$c]:-0}/$RUNS"
            LAG[$key]=$(median <<<"${lags[$c]:-}")
            BACKLOG[$key]=$(median <<<"${backlogs[$c]:-}")
            PUBRATE[$key]=$(median <<<"${pubrates[$c]:-}")
        done
        unset rates lags kept backlogs pubrates

        if [[ $CALLGRIND == 1 && $mode != live ]]; then
            for c in "${present[@]}"; do
                key=$mode/$cs/$c
                big=$(callgrind_ir "$mode" "$c" "$N_CG" "$size" "$channel")
                small=$(callgrind_ir "$mode" "$c" "$N_CG_BASE" "$size" "$channel")
                IR[$key]=$(awk -v a="$big" -v b="$small" -v n="$N_CG" -v m="$N_CG_BASE" \
                    'BEGIN { if (a == "na" || b == "na") print "na"; else printf "%.0f", (a - b) / (n - m) }')
                log "$mode size=$size channel=$channel $c callgrind: ${IR[$key]} instructions per $([[ $mode == publish ]] && echo command || echo message)"
                echo "callgrind mode=$mode size=$size channel=$channel client=$c ir_$N_CG=$big ir_$N_CG_BASE=$small per_message=${IR[$key]}" >>"$RAW"
            done
        fi
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

size_name() { if (($1 == 1024)); then echo "1 KiB"; else echo "$1 B"; fi; }
mb() { awk -v b="$1" 'BEGIN { if (b == "na" || b == "") print "–"; else printf "%.0f MB", b / 1e6 }'; }

{
    echo "Redis $VERSION_REDIS on loopback, $(nproc) cores, load average $LOAD_BEFORE before and $LOAD_AFTER after."
    echo "Medians of $RUNS runs; ratio = messages/s divided by hiredis + libevent's; Ir = instructions per message"
    echo "(callgrind: (Ir(N=$N_CG) - Ir(N=$N_CG_BASE)) / $((N_CG - N_CG_BASE)), start-up excluded)."
    if [[ " $MODES " == *" drain "* ]]; then
        echo
        echo "**Drain**: the backlog is queued while the client does not read, then timed as it reads."
        echo
        echo "| client | payload | channel | N | messages/s | ratio | Ir/message | runs | queued in server |"
        echo "|---|---|---|---:|---:|---:|---:|---|---:|"
        for cs in $(cases_of drain); do
            for c in "${present[@]}"; do
                k=drain/$cs/$c
                ch=$(case_channel "$cs")
                echo "| $c | $(size_name "$(case_size "$cs")") | ${#ch} B | $(case_n drain "$cs") | $(human "${RATE[$k]}") | $(ratio "${RATE[$k]}" "${RATE[drain/$cs/libevent]:-na}") | ${IR[$k]:-–} | $(runs_list "${ALLRATES[$k]}") | $(mb "${BACKLOG[$k]}") |"
            done
        done
    fi
    if [[ " $MODES " == *" live "* ]]; then
        echo
        echo "**Live**: subscriber and publisher together, pubsub limit \`$LIVE_LIMIT\`."
        echo
        echo "| client | payload | N | messages/s | ratio | kept pace | lag after last PUBLISH | publisher rate |"
        echo "|---|---|---:|---:|---:|---|---:|---:|"
        for cs in $(cases_of live); do
            for c in "${present[@]}"; do
                k=live/$cs/$c
                echo "| $c | $(size_name "$(case_size "$cs")") | $(case_n live "$cs") | $(human "${RATE[$k]}") | $(ratio "${RATE[$k]}" "${RATE[live/$cs/libevent]:-na}") | ${PACE[$k]} | ${LAG[$k]} ms | $(human "${PUBRATE[$k]}") |"
            done
        done
    fi
    if [[ " $MODES " == *" publish "* ]]; then
        echo
        echo "**Publish**: $N_PUB PUBLISH of $(size_name "$PUB_SIZE") on the command connection, $([[ $WINDOW == 0 ]] && echo "all queued at once" || echo "$WINDOW in flight"), to a channel nobody subscribes."
        echo
        echo "| client | commands/s | ratio | Ir/command | runs |"
        echo "|---|---:|---:|---:|---|"
        for c in "${present[@]}"; do
            k=publish/$PUB_SIZE:s/$c
            echo "| $c | $(human "${RATE[$k]}") | $(ratio "${RATE[$k]}" "${RATE[publish/$PUB_SIZE:s/libevent]:-na}") | ${IR[$k]:-–} | $(runs_list "${ALLRATES[$k]}") |"
        done
    fi
} | tee "$OUT/results.md"
log "raw result lines: $RAW; table: $OUT/results.md"
