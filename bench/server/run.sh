#!/bin/sh
# Drive each HTTP server of bench/server with wrk and print one table.
# usage: run.sh BINDIR [SECONDS]   (BINDIR holds bench_server_{cawait,epoll,uv})
# The server runs pinned to CPU 0, wrk to CPU 1. Per server:
#   req/s and CPU per request (the server's own CPU time, from /proc/PID/schedstat)
#   with 64 and with 1000 keep-alive connections;
#   system calls per request: a separate short 64-connection run under strace -c -f;
#   resident memory (VmRSS) after the 1000-connection run has ended, and its peak.
# No assertions: shared machines are noisy, compare the columns of one run.
set -e
B=${1:?usage: run.sh BINDIR [SECONDS]}
D=${2:-5}
for t in wrk taskset strace; do
    command -v $t >/dev/null || { echo "run.sh: $t is needed" >&2; exit 1; }
done
ulimit -n 8192 2>/dev/null || true
PORT=18080
URL=/hello

cpu_ns() { awk '{ print $1 }' /proc/$1/schedstat; }
kb() { awk -v k="$2" '$1 == k":" { print $2 }' /proc/$1/status; }

start() { # start BIN: sets PID
    PORT=$((PORT + 1))
    taskset -c 0 "$1" $PORT &
    PID=$!
    for i in 1 2 3 4 5 6 7 8 9 10; do
        (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return 0
        sleep 0.2
    done 2>/dev/null
    # /dev/tcp is bash's; under sh just give it a moment
    sleep 0.5
}

drive() { # drive CONNS SECONDS: prints "requests req/s"
    taskset -c 1 wrk -t1 -c"$1" -d"$2"s "http://127.0.0.1:$PORT$URL" |
        awk '/requests in/ { n = $1 } /Requests\/sec/ { r = $2 } END { print n, r }'
}

measure() { # measure CONNS: prints "req/s us-cpu/req"
    c0=$(cpu_ns $PID)
    set -- $(drive "$1" "$D")
    c1=$(cpu_ns $PID)
    awk -v n="$1" -v r="$2" -v c="$((c1 - c0))" 'BEGIN { printf "%.0f %.2f", r, c / n / 1000 }'
}

syscalls() { # syscalls per request over a 64-connection run under strace
    out=$(mktemp)
    strace -c -f -q -p $PID -o "$out" &
    SP=$!
    sleep 0.5
    set -- $(drive 64 2)
    kill -INT $SP
    wait $SP 2>/dev/null || true
    awk -v n="$1" '$NF == "total" { printf "%.2f", $4 / n }' "$out"
    rm -f "$out"
}

printf '%-8s %10s %12s %10s %12s %12s %14s %12s\n' "" "req/s" "us CPU/req" "req/s" "us CPU/req" "syscalls/req" "RSS after" "RSS peak"
printf '%-8s %10s %12s %10s %12s %12s %14s %12s\n' "server" "64 conns" "64 conns" "1000 conns" "1000 conns" "64 conns" "1000 conns" ""
for s in cawait epoll uv; do
    bin="$B/bench_server_$s"
    [ -x "$bin" ] || continue
    start "$bin"
    drive 64 1 >/dev/null # warm up
    set -- $(measure 64)
    r64=$1 c64=$2
    set -- $(measure 1000)
    r1k=$1 c1k=$2
    sleep 1 # the connections are gone: what the server holds now
    rss=$(kb $PID VmRSS) hwm=$(kb $PID VmHWM)
    sc=$(syscalls)
    kill $PID
    wait $PID 2>/dev/null || true
    printf '%-8s %10s %12s %10s %12s %12s %11s kB %9s kB\n' "$s" "$r64" "$c64" "$r1k" "$c1k" "$sc" "$rss" "$hwm"
done
