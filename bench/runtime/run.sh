#!/bin/sh
# Print libcawait's runtime benchmarks side by side with their peers.
# usage: run.sh BINDIR [N_SWITCH] [N_SPAWN]   (BINDIR holds bench_runtime, bench_coro*)
# Times are the best of 3 runs. Memory runs 1 M and 10 M sleeping tasks (about 2 GiB).
set -e
B=${1:?usage: run.sh BINDIR}
N=${2:-20000000}
S=${3:-5000000}

# The executables land in the project's bin/ (CMAKE_RUNTIME_OUTPUT_DIRECTORY),
# the clang++ peer in BINDIR: look in both.
for d in "$B" "$B/../../bin"; do
    [ -x "$d/bench_runtime" ] && R=$d && break
done
: "${R:?run.sh: no bench_runtime in $B or $B/../../bin}"

best() { # best of 3: command... -> the smallest value printed
    for i in 1 2 3; do "$@"; done | awk '{ if (m == "" || $2 < m) m = $2 } END { printf "%.2f", m }'
}
row() { printf '  %-40s %10s %12s\n' "$1" "$2" "$3"; }
rt() { awk -v x="$1" 'BEGIN { printf "%.2f", 2 * x }'; }

echo "Suspend + resume: two tasks alternating a yield through a ready queue ($N switches each run)"
row "" "ns/switch" "ns/round-trip"
v=$(best "$R/bench_runtime" yield "$N"); row "cawait ca_yield (run queue)" "$v" "$(rt "$v")"
if [ -x "$B/bench_coro_clang19" ]; then
    v=$(best "$B/bench_coro_clang19" "$N"); row "C++20 coroutines, clang++ -O2" "$v" "$(rt "$v")"
fi
v=$(best "$R/bench_coro" "$N"); row "C++20 coroutines, project C++ compiler" "$v" "$(rt "$v")"
v=$(best "$R/bench_runtime" ucontext "$((N / 10))"); row "ucontext swapcontext" "$v" "$(rt "$v")"
v=$(best "$R/bench_runtime" pthread "$((N / 100))"); row "pthread mutex+condvar hand-off" "$v" "$(rt "$v")"
echo
echo "Spawn + join of an empty task, from a task ($S each run)"
v=$(best "$R/bench_runtime" spawn "$S"); row "cawait ca_spawn + ca_join" "$v ns" ""
echo
echo "Memory: tasks asleep two awaits deep (sleeper -> nap -> ca_sleep), RSS delta / tasks"
for n in 1000000 10000000; do
    v=$("$R/bench_runtime" memory "$n" | awk '{ print $2 }')
    row "cawait, $n tasks" "$v B" ""
done
