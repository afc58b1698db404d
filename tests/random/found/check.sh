#!/bin/bash
# check.sh [FILE.c...]: run the minimised reproducers in this directory
# (default: all of them) through cawait, gcc and libcawait, and compare what
# they print with their `// EXPECT: ` lines. One line per file: FIXED or
# BROKEN (with the stage). A file with a `// STATUS: open` line is a bug not
# fixed yet: it reports XFAIL (or XPASS once it works: drop the line then) and
# does not fail the run. Exit 1 when a file without it is broken.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
CAWAIT=${CAWAIT:-$root/build/bin/cawait}
LIB=${CAWAIT_LIB:-$root/build/lib/libcawait.a}
INC=$root/runtime/include
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ $# -gt 0 ] || set -- "$here"/*.c
broken=0
for f in "$@"; do
    n=$(basename "$f" .c)
    sed -n 's#^// EXPECT: \{0,1\}##p' "$f" > "$tmp/$n.want"
    if ! timeout 60 "$CAWAIT" "$f" -o "$tmp/$n.out.c" -- -I"$INC" -I/usr/include/csmith 2> "$tmp/$n.err"; then
        st="transform: $(head -1 "$tmp/$n.err")"
    elif ! gcc -std=gnu11 -O1 -w -I"$INC" -I/usr/include/csmith "$tmp/$n.out.c" "$LIB" -pthread \
            -o "$tmp/$n.exe" 2> "$tmp/$n.err"; then
        st="compile: $(grep -m1 error "$tmp/$n.err")"
    elif ! timeout 10 "$tmp/$n.exe" > "$tmp/$n.got" 2> "$tmp/$n.err"; then
        st="run: exit $? $(head -1 "$tmp/$n.err")"
    elif ! cmp -s "$tmp/$n.got" "$tmp/$n.want"; then
        st="output: got '$(head -c 200 "$tmp/$n.got" | tr '\n' ' ')', want '$(tr '\n' ' ' < "$tmp/$n.want")'"
    else
        st=
    fi
    open=$(grep -c '^// STATUS: open' "$f")
    if [ -n "$st" ] && [ "$open" != 0 ]; then
        echo "XFAIL  $n: $st"
    elif [ -n "$st" ]; then
        echo "BROKEN $n: $st"
        broken=$((broken + 1))
    elif [ "$open" != 0 ]; then
        echo "XPASS  $n (fixed: remove its STATUS: open line)"
    else
        echo "FIXED  $n"
    fi
done
echo "found: $(($# - broken)) passed, $broken failed"
exit $((broken > 0))
