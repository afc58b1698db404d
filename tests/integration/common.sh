# Helpers for the integration tests (sourced).
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect FILE TEXT...: FILE holds exactly these lines.
expect_output() {
    out=$1; shift
    printf '%s\n' "$@" > "$out.expected"
    if ! cmp -s "$out" "$out.expected"; then
        echo "--- expected" >&2; cat "$out.expected" >&2
        echo "--- got" >&2; cat "$out" >&2
        fail "unexpected output of $out"
    fi
}
# Bump a file's mtime past every build product (make compares mtimes).
touch_later() { touch -d "@$(( $(date +%s) + 2 ))" "$@"; }
# A depfile on one line, single spaces: "target: dep dep ...".
flat_deps() { sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$1" | tr -s ' \t' '  '; }
