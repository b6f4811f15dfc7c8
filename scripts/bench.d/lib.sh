# shellcheck shell=bash
# Shared helpers for scripts/bench.d/* (sourced, not executed).
#
# Process hygiene: every process a benchmark starts goes through bench_start, which
# records its PID; bench_stop_all (installed as an EXIT/INT/TERM trap by bench_init)
# stops exactly those PIDs, TERM first and KILL after a grace period. Nothing is ever
# stopped by name.

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck disable=SC2034 # used by the benchmarks that source this file
BENCH_LIB="$BENCH_ROOT/scripts/bench.d"
BENCH_PIDS=()
BENCH_TMP=""

bench_log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
bench_die() { bench_log "error: $*"; exit 1; }

bench_init() {
    BENCH_TMP="$(mktemp -d "${TMPDIR:-/tmp}/nimbus-bench.XXXXXX")"
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

bench_cleanup() {
    bench_stop_all
    if [[ -n "$BENCH_TMP" && -d "$BENCH_TMP" && -z "${BENCH_KEEP_TMP:-}" ]]; then
        rm -rf "$BENCH_TMP"
    fi
}

# bench_need_tools: installs wrk and nginx from Debian's packages when missing.
bench_need_tools() {
    local missing=()
    command -v wrk >/dev/null 2>&1 || missing+=(wrk)
    command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
    ((${#missing[@]} == 0)) && return 0
    local sudo=""
    [[ "$(id -u)" == 0 ]] || sudo="sudo"
    bench_log "installing ${missing[*]} with apt-get"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

bench_nginx_bin() { command -v nginx 2>/dev/null || echo /usr/sbin/nginx; }

# bench_free_port: prints a TCP port that is free on 127.0.0.1 right now.
bench_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# bench_start NAME LOGFILE CMD...: starts CMD in the background, records its PID.
bench_start() {
    local name="$1" log="$2"
    shift 2
    "$@" >"$log" 2>&1 &
    local pid=$!
    BENCH_PIDS+=("$pid")
    eval "BENCH_PID_${name//[^a-zA-Z0-9_]/_}=$pid"
    bench_log "started $name (pid $pid): $*"
}

bench_pid_of() { local v="BENCH_PID_${1//[^a-zA-Z0-9_]/_}"; echo "${!v:-}"; }

# bench_stop NAME: stops one process started with bench_start.
bench_stop() {
    local pid
    pid="$(bench_pid_of "$1")"
    [[ -n "$pid" ]] || return 0
    _bench_stop_pid "$pid"
    local keep=() p
    for p in "${BENCH_PIDS[@]}"; do [[ "$p" == "$pid" ]] || keep+=("$p"); done
    BENCH_PIDS=("${keep[@]+"${keep[@]}"}")
}

_bench_stop_pid() {
    local pid="$1" _
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        bench_log "pid $pid ignored TERM for 5 s; sending KILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

bench_stop_all() {
    local pid
    for pid in "${BENCH_PIDS[@]+"${BENCH_PIDS[@]}"}"; do
        _bench_stop_pid "$pid"
    done
    BENCH_PIDS=()
}

# bench_wait_http NAME URL [TIMEOUT_S]: waits until URL answers (any HTTP status) and
# the process is still alive.
bench_wait_http() {
    local name="$1" url="$2" timeout="${3:-30}" pid deadline
    pid="$(bench_pid_of "$name")"
    deadline=$((SECONDS + timeout))
    while ((SECONDS < deadline)); do
        if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
            return 1
        fi
        if curl -s -o /dev/null --max-time 1 "$url"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# bench_wrk_run LUA URL THREADS CONNECTIONS DURATION: runs wrk, prints its full output.
# The Lua script's done() prints a line "WRKRESULT requests duration_us p50_us p99_us
# status_errors socket_errors".
bench_wrk_run() {
    local lua="$1" url="$2" threads="$3" conns="$4" duration="$5"
    local pin=()
    [[ -n "${BENCH_WRK_CPUS:-}" ]] && pin=(taskset -c "$BENCH_WRK_CPUS")
    "${pin[@]+"${pin[@]}"}" wrk -t"$threads" -c"$conns" -d"$duration" --latency -s "$lua" "$url"
}

# bench_json KEY=VALUE...: prints one compact JSON object; values that look numeric
# (or true/false/null) are emitted bare, everything else as strings.
bench_json() {
    python3 - "$@" <<'PY'
import json, re, sys
out = {}
for kv in sys.argv[1:]:
    k, _, v = kv.partition("=")
    if re.fullmatch(r"-?\d+", v):
        out[k] = int(v)
    elif re.fullmatch(r"-?\d+\.\d*", v):
        out[k] = float(v)
    elif v in ("true", "false", "null"):
        out[k] = json.loads(v)
    else:
        out[k] = v
print(json.dumps(out, separators=(",", ":")))
PY
}
