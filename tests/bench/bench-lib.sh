# Shared by the benchmark runners (run-bench.sh, run-monitor-bench.sh, run-monitor-view-bench.sh):
# sourced, not run. Expects REDIS_SERVER, REDIS_CLI and TMP to be set; sets PORT and REDIS_PID.

log() { printf '%s\n' "$*" >&2; }

rcli() { "$REDIS_CLI" -h 127.0.0.1 -p "$PORT" "$@"; }

# start_server [REDIS-ARGS...]: a private redis-server on a free loopback port, no persistence;
# stopped by PID by the runner's cleanup.
start_server() {
    local _attempt _try
    for _attempt in 1 2 3 4 5 6 7 8; do
        PORT=$((20000 + RANDOM % 20000))
        if ss -Htln "sport = :$PORT" 2>/dev/null | grep -q .; then
            continue
        fi
        "$REDIS_SERVER" --port "$PORT" --bind 127.0.0.1 --protected-mode yes --save '' --appendonly no \
            --dir "$TMP" --logfile "$TMP/redis.log" "$@" --daemonize no &
        REDIS_PID=$!
        for _try in $(seq 50); do
            kill -0 "$REDIS_PID" 2>/dev/null || break
            [[ $(rcli ping 2>/dev/null) == PONG ]] && return 0
            sleep 0.1
        done
        kill "$REDIS_PID" 2>/dev/null
        wait "$REDIS_PID" 2>/dev/null
        REDIS_PID=
    done
    log "could not start $REDIS_SERVER on a free loopback port (see $TMP/redis.log)"
    exit 1
}

# field LINE KEY: the value of KEY=... in a RESULT line
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

# wait_bounded PID SECONDS: waits until PID exits; kills it (it is ours) after SECONDS.
wait_bounded() {
    local pid=$1 limit=$2 start=$SECONDS
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS - start > limit)); then
            log "  pid $pid still running after ${limit}s: killing it"
            kill "$pid" 2>/dev/null
            sleep 1
            kill -9 "$pid" 2>/dev/null
            break
        fi
        sleep 0.05
    done
    wait "$pid" 2>/dev/null
}

median() { tr ' ' '\n' | grep -E '^-?[0-9.]+$' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "na"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.10g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "na" || b == "na" || b == 0) print "–"; else printf "%.2f", a / b }'; }
human() { awk -v r="$1" 'BEGIN { if (r == "na" || r == "") print "–"; else if (r >= 1e6) printf "%.2f M", r / 1e6; else printf "%.0f k", r / 1e3 }'; }
runs_list() { local r out=""; for r in $1; do out+="$(human "$r" | tr -d ' ') "; done; echo "${out% }"; }
