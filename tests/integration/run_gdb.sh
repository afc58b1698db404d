#!/bin/sh
# gdb on a program built with cawait-cc: a breakpoint on an original line
# inside an async function stops there after the await, the backtrace shows
# the original file:line, and cawait-frames (the installed gdb script) prints
# the chain of awaiting frames with their locals.
#   run_gdb.sh BUILD_DIR SOURCE_DIR WORK_DIR PREFIX [strict]
# "strict" also requires what the tool's #line output does not give yet
# (see the report in docs/usage.md, "Debugging"): one breakpoint location for
# a line right after an await, and exact lines for the awaiting frames.
BUILD=$1 SRC=$2 WORK=$3 PREFIX=$4 MODE=${5:-}
. "$SRC/../common.sh"
command -v gdb >/dev/null 2>&1 || { echo "skipped: no gdb"; exit 77; }

rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
cp "$SRC/prog.c" prog.c
"$BUILD/bin/cawait-cc" -g -O0 prog.c -o prog
./prog > out.txt
expect_output out.txt "result 33"
line() { grep -n "/\* $1" prog.c | cut -d: -f1; }
BREAK=$(line BREAK_LEAF) NEXT=$(line NEXT_TO_AWAIT)
AW_MIDDLE=$(line AWAIT_MIDDLE) AW_OUTER=$(line AWAIT_OUTER) AW_SLEEPER=$(line AWAIT_SLEEPER)
SCRIPT="$PREFIX/share/cawait/gdb/cawait.py"

if [ "$MODE" = strict ]; then
    BREAK=$NEXT
fi
cat > cmds.gdb <<GDB
set pagination off
set confirm off
source $SCRIPT
break prog.c:$BREAK
info breakpoints
run
python
# A line can also be claimed by generated code elsewhere (see run_gdb.sh's strict mode).
while gdb.selected_frame().name() != "leaf__ca_resume":
    gdb.write("cawait-test: spurious stop in %s\n" % gdb.selected_frame().name())
    gdb.execute("continue")
end
bt
print ca__f->ca__state
cawait-frames
continue
cawait-frames bg_task
kill
GDB
gdb -batch -nx -x cmds.gdb ./prog > gdb.log 2>&1 || true
if grep -q "ptrace: Operation not permitted" gdb.log; then
    echo "skipped: gdb cannot trace here"; exit 77
fi
cat gdb.log
check() { grep -Eq -- "$1" gdb.log || fail "gdb output lacks: $1"; }
check "^#0  leaf__ca_resume \(.*\) at .*prog\.c:$BREAK\$"
check "^\\\$1 = 1\$"                       # resumed after its await (state 1), not before
check "^#0  leaf \(frame 0x[0-9a-f]+\) running at .*prog\.c:$BREAK\$"
check "^      depth = 1\$"
# seen is kept in a local between suspensions: its current value, not the one stored when it last
# suspended (strict mode stops on the line before seen += 100).
SEEN=101
[ "$MODE" = strict ] && SEEN=1
check "^      seen = $SEEN\$"
check '^      tag = "d1'
check "^#1  middle \(frame 0x[0-9a-f]+\) awaiting at .*prog\.c:[0-9]+\$"
check "^      n = 2\$"
check "^      sum = 0\$"
check "^      i = 1\$"
check "^#2  outer \(frame 0x[0-9a-f]+\) awaiting at .*prog\.c:[0-9]+\$"
# outer's frame is the task's first frame (ca_run made it directly): the chain ends there.
grep -Eq "^#3  .*\(frame 0x" gdb.log && fail "cawait-frames went past the task's first frame"
check "^#0  sleeper \(frame 0x[0-9a-f]+\) awaiting at .*prog\.c:[0-9]+\$"
check "^      ms = 50\$"
check "^      naps = 0\$"
if [ "$MODE" = strict ]; then
    grep -q "cawait-test: spurious stop" gdb.log && fail "the breakpoint on prog.c:$BREAK has locations in generated code"
    check "^#1  middle .* awaiting at .*prog\.c:$AW_MIDDLE\$"
    check "^#2  outer .* awaiting at .*prog\.c:$AW_OUTER\$"
    check "^#0  sleeper .* awaiting at .*prog\.c:$AW_SLEEPER\$"
fi
echo "ok: gdb stops on prog.c:$BREAK; bt and cawait-frames show the original lines and locals"
