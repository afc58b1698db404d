#!/bin/sh
# CPU per request of samples/httpd over the hand-written epoll peer's, from
# paired runs: the two servers alternate, round after round, so that both
# see the same moments of a shared machine, and the table gives each
# round's ratio and their median (single runs of one server differ by up to
# 40% on the 2-core development machine; see README.md).
#   usage: bench/httpd/paired.sh [BUILD_DIR] [ROUNDS] [SECONDS]
#
# Each server is pinned to CPU 0 and wrk (one thread) to CPU 1, as in
# run.sh; a round runs httpd then the epoll peer at 64 and then at 1,000
# connections, after a one-second warm-up each. CPU time is the server's
# from /proc/PID/schedstat (nanoseconds) over the requests wrk counted.
set -eu
B=${1:-build}
ROUNDS=${2:-6}
D=${3:-5}
BIN=$B/bin
PORT=${PORT:-18380}
TMP=$(mktemp -d)
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
ulimit -n "$(ulimit -Hn)"
for t in wrk taskset curl; do command -v $t >/dev/null || { echo "paired.sh: $t is needed" >&2; exit 1; }; done
for b in sample_httpd bench_epoll_httpd; do [ -x "$BIN/$b" ] || { echo "paired.sh: $BIN/$b is not built" >&2; exit 1; }; done

# cpu_per_req CONNS CMD...: one run; prints the server's CPU µs per request
cpu_per_req() {
    c=$1
    shift
    PORT=$((PORT + 1))
    # shellcheck disable=SC2046 # the command's words are split on purpose ({port} replaced)
    taskset -c 0 $(echo "$@" | sed "s/{port}/$PORT/g") >/dev/null 2>&1 &
    SERVER_PID=$!
    i=0
    until curl -s -o /dev/null "http://127.0.0.1:$PORT/hello"; do
        i=$((i + 1))
        [ $i -lt 50 ] || { echo "paired.sh: $* does not answer on $PORT" >&2; exit 1; }
        sleep 0.1
    done
    taskset -c 1 wrk -t1 -c"$c" -d1s "http://127.0.0.1:$PORT/hello" >/dev/null 2>&1
    s0=$(awk '{ print $1 }' "/proc/$SERVER_PID/schedstat")
    taskset -c 1 wrk -t1 -c"$c" -d"${D}s" "http://127.0.0.1:$PORT/hello" >"$TMP/wrk.out" 2>&1
    s1=$(awk '{ print $1 }' "/proc/$SERVER_PID/schedstat")
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
    awk -v a="$s0" -v b="$s1" '/requests in/ { printf "%.2f\n", (b - a) / 1000 / $1 }' "$TMP/wrk.out"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "CPU us per request, samples/httpd / hand-written epoll, ${ROUNDS} paired rounds of ${D} s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '  %-6s %-24s %-24s\n' "round" "64 conns: httpd epoll" "1000 conns: httpd epoll"
for r in $(seq "$ROUNDS"); do
    line=""
    for c in 64 1000; do
        h=$(cpu_per_req "$c" "$BIN/sample_httpd --port {port}")
        e=$(cpu_per_req "$c" "$BIN/bench_epoll_httpd {port}")
        line="$line $h $e"
        echo "$c $h $e" >>"$TMP/pairs"
    done
    # shellcheck disable=SC2086 # four numbers
    set -- $line
    printf '  %-6s %6s %6s %5sx       %6s %6s %5sx\n' "$r" "$1" "$2" "$(ratio "$1" "$2")" "$3" "$4" "$(ratio "$3" "$4")"
done
for c in 64 1000; do
    awk -v c="$c" '$1 == c { print $2 / $3 }' "$TMP/pairs" | sort -n | awk -v c="$c" '
        { v[NR] = $1 }
        END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "  median of httpd / epoll at %s connections: %.2fx\n", c, m }'
done
echo "  (load average now $(cut -d' ' -f1-3 /proc/loadavg))"
