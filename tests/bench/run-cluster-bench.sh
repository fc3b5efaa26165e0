#!/usr/bin/env bash
# Cluster drain benchmark (docs/PERFORMANCE.md, "Shard channels across a cluster"): how fast a
# Redwire client empties a backlog of shard-channel messages spread over a cluster's three
# primaries, against the same backlog on one server, in the same run. Reference: the plain
# hiredis + libevent client draining the same number of classic messages from the one server.
#
#   tests/bench/run-cluster-bench.sh BUILD_DIR
#
# Starts, on free loopback ports: one redis-server, and three cluster-enabled ones made into a
# cluster of three primaries (no replicas) by `redis-cli --cluster create`; all with
# `client-output-buffer-limit pubsub 0 0 0` (the backlog is the point); stopped by PID at exit.
# Three shard channels, one per primary ("bench:{<tag>}"); N/3 messages published on each.
#
# Rows (per run, medians over BENCH_RUNS):
#   libevent  one server, one classic channel, N messages   (bench_sub_libevent, the reference)
#   single    one server, the three shard channels          (bench_sub_shards --url redis://)
#   cluster   three primaries, one channel each             (bench_sub_shards --url redis+cluster://)
#
# Variables: BENCH_N [600000] messages in all, BENCH_SIZE [64] payload bytes, BENCH_RUNS [3],
# BENCH_TIMEOUT [120] seconds per client, BENCH_CALLGRIND [1]: also instructions per message of
# every row (valgrind --tool=callgrind, (Ir(N_CG) - Ir(N_CG/10)) / (0.9 N_CG)
# with BENCH_N_CALLGRIND [90000]), REDIS_SERVER, REDIS_CLI.
set -euo pipefail

BUILD=${1:?usage: $0 BUILD_DIR}
BIN=$BUILD/tests/bench
N=${BENCH_N:-600000}
SIZE=${BENCH_SIZE:-64}
RUNS=${BENCH_RUNS:-3}
TIMEOUT=${BENCH_TIMEOUT:-120}
REDIS_SERVER=${REDIS_SERVER:-redis-server}
REDIS_CLI=${REDIS_CLI:-redis-cli}
PER_CHANNEL=$((N / 3))
N=$((PER_CHANNEL * 3))
CALLGRIND=${BENCH_CALLGRIND:-1}
N_CG=${BENCH_N_CALLGRIND:-90000}
PREFIX=()

for exe in bench_publisher bench_sub_libevent bench_sub_shards; do
    [[ -x $BIN/$exe ]] || { echo "$BIN/$exe not built" >&2; exit 1; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/redwire-cluster-bench.XXXXXX")
PIDS=()
SUB_PID=

# shellcheck source=tests/bench/bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

cleanup() {
    [[ -n $SUB_PID ]] && kill "$SUB_PID" 2>/dev/null && wait "$SUB_PID" 2>/dev/null
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LIMIT=(--client-output-buffer-limit "pubsub 0 0 0")

# The single server (bench-lib's start_server sets PORT and REDIS_PID).
start_server "${LIMIT[@]}"
SINGLE=$PORT
PIDS+=("$REDIS_PID")

# Three cluster nodes: ports below 22768 so that their bus ports (+10000) stay below 32768.
CLUSTER_PORTS=()
for i in 0 1 2; do
    for _attempt in 1 2 3 4 5 6 7 8; do
        p=$((12000 + RANDOM % 10000))
        ss -Htln "sport = :$p" 2>/dev/null | grep -q . && continue
        ss -Htln "sport = :$((p + 10000))" 2>/dev/null | grep -q . && continue
        mkdir -p "$TMP/node$i"
        "$REDIS_SERVER" --port "$p" --bind 127.0.0.1 --save '' --appendonly no --dir "$TMP/node$i" \
            --logfile "$TMP/node$i/redis.log" --cluster-enabled yes --cluster-config-file nodes.conf \
            "${LIMIT[@]}" --daemonize no &
        pid=$!
        up=
        for _try in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            [[ $("$REDIS_CLI" -p "$p" ping 2>/dev/null) == PONG ]] && { up=1; break; }
            sleep 0.1
        done
        if [[ -n $up ]]; then
            PIDS+=("$pid")
            CLUSTER_PORTS+=("$p")
            break
        fi
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
done
((${#CLUSTER_PORTS[@]} == 3)) || { log "could not start three cluster nodes"; exit 1; }
"$REDIS_CLI" --cluster create "${CLUSTER_PORTS[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes \
    >"$TMP/create.log" 2>&1 || { log "cluster create failed: $(tail -3 "$TMP/create.log")"; exit 1; }
for _try in $(seq 100); do
    ok=0
    for p in "${CLUSTER_PORTS[@]}"; do
        "$REDIS_CLI" -p "$p" cluster info | grep -q 'cluster_state:ok' && ok=$((ok + 1))
    done
    ((ok == 3)) && break
    sleep 0.1
done

# The primary serving a slot, from CLUSTER SLOTS as redis-cli prints it (first, last, ip, port, ...).
owner_of() {
    "$REDIS_CLI" -p "${CLUSTER_PORTS[0]}" cluster slots | awk -v s="$1" '
        { line[NR] = $0 }
        END { for (i = 1; i + 3 <= NR; ++i) if (line[i] ~ /^[0-9]+$/ && line[i + 1] ~ /^[0-9]+$/ && line[i] <= s && s <= line[i + 1] && line[i + 2] == "127.0.0.1") { print line[i + 3]; exit } }'
}

# One shard channel per primary.
declare -A CHANNEL_OF
for tag in $(seq 0 200); do
    channel="bench:{$tag}"
    owner=$(owner_of "$("$REDIS_CLI" -p "${CLUSTER_PORTS[0]}" cluster keyslot "$channel")")
    [[ -n $owner && -z ${CHANNEL_OF[$owner]:-} ]] && CHANNEL_OF[$owner]=$channel
    ((${#CHANNEL_OF[@]} == 3)) && break
done
((${#CHANNEL_OF[@]} == 3)) || { log "no channel found for each primary"; exit 1; }
CHANNELS=$(IFS=,; echo "${CHANNEL_OF[*]}")
VERSION_REDIS=$("$REDIS_CLI" -p "$SINGLE" info server | sed -n 's/^redis_version:\([^\r]*\).*/\1/p')
log "redis $VERSION_REDIS; single server :$SINGLE; cluster ${CLUSTER_PORTS[*]}; channels $CHANNELS; N=$N of $SIZE B"

wait_ready() {
    local pid=$1 file=$2 start=$SECONDS
    while ! grep -q '^READY' "$file" 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null || ((SECONDS - start > 60)); then
            return 1
        fi
        sleep 0.02
    done
}

# publish PORT VERB CHANNEL COUNT: the backlog, checked to have reached one subscriber each.
publish() {
    local out
    out=$(timeout "$TIMEOUT" "$BIN/bench_publisher" --port "$1" --verb "$2" --channel "$3" --count "$4" \
        --size "$SIZE")
    [[ $(field "$out" receivers) == "$4" ]] || log "  publisher on :$1 $3: $out (expected receivers=$4)"
}

# drain ROW [N]: one run of the row's client (under PREFIX); prints its RESULT line.
drain() {
    local row=$1 N=${2:-$N} out=$TMP/sub.out err=$TMP/sub.err fifo=$TMP/go.fifo go_fd
    : >"$out"
    rm -f "$fifo"
    mkfifo "$fifo"
    case $row in
    libevent)
        "${PREFIX[@]}" "$BIN/bench_sub_libevent" --port "$SINGLE" --channel bench --count "$N" --mode drain \
            --timeout "$TIMEOUT" <"$fifo" >"$out" 2>"$err" & ;;
    single)
        "${PREFIX[@]}" "$BIN/bench_sub_shards" --url "redis://127.0.0.1:$SINGLE" --channels "$CHANNELS" --count "$N" \
            --timeout "$TIMEOUT" --client single <"$fifo" >"$out" 2>"$err" & ;;
    cluster)
        "${PREFIX[@]}" "$BIN/bench_sub_shards" --url "redis+cluster://127.0.0.1:${CLUSTER_PORTS[0]}" --channels "$CHANNELS" \
            --count "$N" --timeout "$TIMEOUT" --client cluster <"$fifo" >"$out" 2>"$err" & ;;
    esac
    SUB_PID=$!
    exec {go_fd}>"$fifo"
    if ! wait_ready "$SUB_PID" "$out"; then
        log "  $row: never READY: $(tail -3 "$err")"
        exec {go_fd}>&-
        kill "$SUB_PID" 2>/dev/null || true
        wait "$SUB_PID" 2>/dev/null || true
        SUB_PID=
        echo "RESULT client=$row status=not-ready"
        return
    fi
    case $row in
    libevent) publish "$SINGLE" PUBLISH bench "$N" ;;
    single) for owner in "${!CHANNEL_OF[@]}"; do publish "$SINGLE" SPUBLISH "${CHANNEL_OF[$owner]}" $((N / 3)); done ;;
    cluster) for owner in "${!CHANNEL_OF[@]}"; do publish "$owner" SPUBLISH "${CHANNEL_OF[$owner]}" $((N / 3)); done ;;
    esac
    echo GO >&"$go_fd"
    exec {go_fd}>&-
    wait_bounded "$SUB_PID" $((TIMEOUT + 30))
    SUB_PID=
    grep '^RESULT' "$out" || { log "  $row: no result: $(tail -3 "$err")"; echo "RESULT client=$row status=crashed"; }
}

declare -A RATES
for run in $(seq "$RUNS"); do
    for row in libevent single cluster; do
        line=$(drain "$row")
        log "run $run $row: $line"
        [[ $(field "$line" status) == ok ]] && RATES[$row]+="$(field "$line" rate) "
    done
done

# Instructions per message: the difference of two runs under callgrind removes start-up.
declare -A IR
if [[ $CALLGRIND == 1 ]] && command -v valgrind >/dev/null; then
    for row in libevent single cluster; do
        total=()
        for n in $((N_CG / 10)) "$N_CG"; do
            PREFIX=(valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.out")
            rm -f "$TMP/cg.out"
            line=$(TIMEOUT=$((TIMEOUT * 10)) drain "$row" "$n")
            PREFIX=()
            [[ $(field "$line" status) == ok ]] || { log "  callgrind $row n=$n: $line"; continue 2; }
            total+=("$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$TMP/cg.out" | head -1)")
        done
        IR[$row]=$(awk -v a="${total[0]}" -v b="${total[1]}" -v n="$N_CG" 'BEGIN { printf "%.0f", (b - a) / (0.9 * n) }')
        log "callgrind $row: ${IR[$row]} Ir/message"
    done
fi

LIBEVENT=$(median <<<"${RATES[libevent]:-}")
SINGLE_RATE=$(median <<<"${RATES[single]:-}")
CLUSTER_RATE=$(median <<<"${RATES[cluster]:-}")
echo "| row | what | messages/s | ratio to libevent | ratio to single | Ir/message | runs |"
echo "|---|---|---|---|---|---|---|"
echo "| libevent | one server, one classic channel | $(human "$LIBEVENT") | 1.00 | – | ${IR[libevent]:-–} | $(runs_list "${RATES[libevent]:-}") |"
echo "| single | one server, 3 shard channels | $(human "$SINGLE_RATE") | $(ratio "$SINGLE_RATE" "$LIBEVENT") | 1.00 | ${IR[single]:-–} | $(runs_list "${RATES[single]:-}") |"
echo "| cluster | 3 primaries, a shard channel each | $(human "$CLUSTER_RATE") | $(ratio "$CLUSTER_RATE" "$LIBEVENT") | $(ratio "$CLUSTER_RATE" "$SINGLE_RATE") | ${IR[cluster]:-–} | $(runs_list "${RATES[cluster]:-}") |"
echo
echo "N=$N messages of $SIZE B in all ($PER_CHANNEL per shard channel), $RUNS runs, redis $VERSION_REDIS, $(nproc) cores"
