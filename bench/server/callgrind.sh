#!/bin/sh
# Instructions per request, counted by callgrind: each server of bench/server
# (cawait, epoll, libuv) and, when built, of bench/httpd (samples/httpd, its
# epoll and libuv peers), side by side in one table.
#   usage: callgrind.sh BINDIR [REQUESTS] [CONNS]   (BINDIR: build/bin)
#
# A count, not a time: the same work gives the same number on a busy
# machine. Each server runs twice under `valgrind --tool=callgrind`, once
# serving REQUESTS/6 requests and once REQUESTS (bench_server_load: CONNS
# keep-alive connections, a request on each then each one's response, in
# rounds), and is stopped with SIGTERM; the difference of the two runs'
# totals over the difference of their requests is the cost of a request in
# steady state, start-up, connections and shutdown cancelling out.
# Callgrind counts the instructions of the server's own process (user
# space: its code and the C library's); the kernel's share of a system call
# is not in it, which is why system calls per request are bench/server's
# run.sh's to compare (they are equal: 2 a request).
set -eu
B=${1:?usage: callgrind.sh BINDIR [REQUESTS] [CONNS]}
N=${2:-12000}
C=${3:-64}
PORT=${PORT:-18280}
LOAD=$B/bench_server_load
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind is needed" >&2; exit 1; }
[ -x "$LOAD" ] || { echo "callgrind.sh: $LOAD is not built" >&2; exit 1; }
TMP=$(mktemp -d)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
N1=$((N / 6))

# count REQUESTS CMD...: the server's instruction total over a run serving REQUESTS requests
count() {
    n=$1
    shift
    PORT=$((PORT + 1))
    out=$TMP/cg.out
    rm -f "$out"
    # shellcheck disable=SC2046 # the command's words are split on purpose ({port} replaced)
    valgrind --tool=callgrind --callgrind-out-file="$out" $(echo "$@" | sed "s/{port}/$PORT/g") \
        >"$TMP/server.log" 2>&1 &
    PID=$!
    i=0
    until "$LOAD" "$PORT" 0 1 2>/dev/null; do # valgrind takes a moment to start
        i=$((i + 1))
        if [ $i -gt 300 ] || ! kill -0 "$PID" 2>/dev/null; then
            echo "callgrind.sh: $* does not listen on $PORT" >&2
            cat "$TMP/server.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    "$LOAD" "$PORT" "$n" "$C"
    kill -TERM "$PID"
    wait "$PID" 2>/dev/null || true
    PID=
    awk '/^summary:/ { print $2 }' "$out"
}

# row NAME CMD...: instructions per request of one server
row() {
    name=$1
    shift
    a=$(count "$N1" "$@")
    b=$(count "$N" "$@")
    awk -v name="$name" -v a="$a" -v b="$b" -v n="$((N - N1))" \
        'BEGIN { printf "  %-28s %16.0f\n", name, (b - a) / n }'
}

echo "Instructions per request (callgrind, user space), ${N} vs ${N1} requests over ${C} keep-alive connections"
printf '  %-28s %16s\n' "server" "instructions/req"
row "bench/server cawait" "$B/bench_server_cawait {port}"
row "bench/server epoll" "$B/bench_server_epoll {port}"
[ -x "$B/bench_server_uv" ] && row "bench/server libuv" "$B/bench_server_uv {port}"
if [ -x "$B/sample_httpd" ] && [ -x "$B/bench_epoll_httpd" ]; then
    row "samples/httpd (cawait)" "$B/sample_httpd --port {port}"
    row "bench/httpd epoll" "$B/bench_epoll_httpd {port}"
    [ -x "$B/bench_uv_httpd" ] && row "bench/httpd libuv" "$B/bench_uv_httpd {port}"
fi
exit 0
