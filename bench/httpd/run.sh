#!/bin/sh
# HTTP/1.1 keep-alive against GET /hello: samples/httpd side by side with
# nginx (1 worker, no master), a hand-written epoll server and a libuv server,
# in one run.   usage: bench/httpd/run.sh [BUILD_DIR] [SECONDS]
#
# Each server is pinned to CPU 0 and wrk (one thread) to CPU 1, with 64 and
# then 1,000 connections, after a one-second warm-up. Then httpd with
# --threads 1 and --threads 2, server and wrk both on CPUs 0-1 (the only way
# to give the server two cores on a 2-core machine: wrk shares them), and
# the ratio of the two. req/s is wrk's; CPU per
# request is the server's user + system time (/proc/PID/stat) over the run
# divided by the requests wrk counted. Syscalls per request come from a
# separate short run under `strace -c -f` (64 connections): strace slows the
# server down, but the count per request is what it is.
set -eu
B=${1:-build}
D=${2:-5}
BIN=$B/bin
PORT=${PORT:-18080}
SERVER_CPUS=0 # taskset lists
WRK_CPUS=1
TMP=$(mktemp -d)
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
ulimit -n "$(ulimit -Hn)"

for t in wrk taskset; do command -v $t >/dev/null || { echo "run.sh: $t is needed" >&2; exit 1; }; done
[ "$(nproc)" -ge 2 ] || { echo "run.sh: needs 2 CPUs (server on one, wrk on the other)" >&2; exit 1; }

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

wait_port() { # until something answers on $PORT
    for _ in $(seq 50); do
        curl -s -o /dev/null "http://127.0.0.1:$PORT/hello" && return 0
        sleep 0.1
    done
    echo "run.sh: nothing listens on $PORT" >&2
    return 1
}

start() { # start CMD...: the server, pinned to SERVER_CPUS
    taskset -c $SERVER_CPUS "$@" >"$TMP/server.log" 2>&1 &
    SERVER_PID=$!
    wait_port
}

stop() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

# run CONNS: one wrk run; prints "req/s cpu_us_per_req errors"
run() {
    c0=$(cpu_ticks "$SERVER_PID")
    taskset -c $WRK_CPUS wrk -t1 -c"$1" -d"${D}s" "http://127.0.0.1:$PORT/hello" >"$TMP/wrk.out" 2>&1
    c1=$(cpu_ticks "$SERVER_PID")
    awk -v t0="$c0" -v t1="$c1" -v hz="$(getconf CLK_TCK)" '
        /requests in/ { n = $1 }
        /Requests\/sec/ { rps = $2 }
        /Non-2xx|Socket errors/ { err = err $0 " " }
        END { printf "%.0f %.2f %s\n", rps, n ? (t1 - t0) / hz * 1e6 / n : 0, err == "" ? "-" : "ERRORS" }' "$TMP/wrk.out"
}

# syscalls_per_req: a 2 s run at 64 connections under strace -c; prints the
# count per request, or "n/a" when strace counted nothing (it could not
# attach, say), with the reason in $TMP/strace.why for the table's notes.
# The calls are the total line's 4th field: its errors column is empty when
# no call failed (nginx's case), so counting fields from the end (as this
# script did) read the microseconds per call and printed 0.00.
syscalls_per_req() {
    command -v strace >/dev/null || { echo "n/a"; echo "strace is not installed" >"$TMP/strace.why"; return; }
    rm -f "$TMP/strace.out" "$TMP/strace.why"
    strace -c -f -p "$SERVER_PID" -o "$TMP/strace.out" 2>"$TMP/strace.err" &
    st=$!
    sleep 0.5
    taskset -c $WRK_CPUS wrk -t1 -c64 -d2s "http://127.0.0.1:$PORT/hello" >"$TMP/wrk.out" 2>&1
    kill -INT $st 2>/dev/null || true
    wait $st 2>/dev/null || true
    n=$(awk '/requests in/ { print $1 }' "$TMP/wrk.out")
    calls=$(awk '$NF == "total" { print $4 }' "$TMP/strace.out" 2>/dev/null)
    if [ -z "$calls" ] || [ "$calls" = 0 ] || [ -z "$n" ] || [ "$n" = 0 ]; then
        why=$(grep -v '^$' "$TMP/strace.err" 2>/dev/null | head -1)
        echo "${why:-strace counted no system call of the server (it did not attach)}" >"$TMP/strace.why"
        echo "n/a"
        return
    fi
    awk -v n="$n" -v c="$calls" 'BEGIN { printf "%.2f", c / n }'
}

bench() { # bench NAME CMD...
    name=$1
    shift
    start "$@"
    taskset -c $WRK_CPUS wrk -t1 -c64 -d1s "http://127.0.0.1:$PORT/hello" >/dev/null 2>&1 # warm-up
    set -- $(run 64)
    r64=$1 u64=$2 e64=$3
    set -- $(run 1000)
    r1k=$1 u1k=$2 e1k=$3
    sc=$(syscalls_per_req)
    stop
    printf '  %-32s %10s %10s %10s %10s %10s   %s\n' "$name" "$r64" "$u64" "$r1k" "$u1k" "$sc" \
        "$([ "$e64$e1k" = "--" ] || echo "wrk reported errors")"
    if [ -f "$TMP/strace.why" ]; then
        echo "    (syscalls n/a: $(cat "$TMP/strace.why"))"
    fi
}

mkdir -p "$TMP/nginx/logs"
cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes 1;
master_process off;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log;
worker_rlimit_nofile 20000;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 60s;
    server_tokens off;
    server {
        listen 127.0.0.1:$PORT;
        location = /hello { default_type text/plain; return 200 "hello\n"; }
    }
}
EOF

echo "HTTP/1.1 keep-alive, GET /hello, ${D} s per run: server on CPU 0, wrk -t1 on CPU 1"
printf '  %-32s %10s %10s %10s %10s %10s\n' "" "64 conns" "" "1000 conns" "" "syscalls"
printf '  %-32s %10s %10s %10s %10s %10s\n' "server" "req/s" "CPU us/req" "req/s" "CPU us/req" "per req"
bench "cawait samples/httpd" "$BIN/sample_httpd" --port "$PORT"
bench "hand-written epoll" "$BIN/bench_epoll_httpd" "$PORT"
[ -x "$BIN/bench_uv_httpd" ] && bench "libuv" "$BIN/bench_uv_httpd" "$PORT"
if command -v nginx >/dev/null; then
    bench "nginx (1 worker)" nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf"
fi

# Two cores for the server, shared with wrk.
SERVER_CPUS=0,1 WRK_CPUS=0,1
bench "httpd --threads 1, CPUs 0-1" "$BIN/sample_httpd" --port "$PORT" --threads 1
t1_64=$r64 t1_1k=$r1k
bench "httpd --threads 2, CPUs 0-1" "$BIN/sample_httpd" --port "$PORT" --threads 2
awk -v a="$t1_64" -v b="$r64" -v c="$t1_1k" -v d="$r1k" 'BEGIN {
    printf "  --threads 2 / --threads 1 (wrk sharing the cores): %.2fx at 64 conns, %.2fx at 1000\n", b / a, d / c }'
