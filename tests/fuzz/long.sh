#!/bin/sh
# A long fuzzing run: the tool under ASan + UBSan on mutants of the test
# corpus for SECONDS (default 3600), findings under WORK/findings.
#   tests/fuzz/long.sh BUILD_DIR [SECONDS] [SEED]     env: JOBS (default: nproc), WORK
set -e
B=$(cd "${1:?usage: long.sh BUILD_DIR [SECONDS] [SEED]}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
[ -x "$B/bin/cawait_sanitized" ] || cmake --build "$B" --target cawait_sanitized
exec python3 "$HERE/fuzz.py" --cawait "$B/bin/cawait_sanitized" --root "$ROOT" \
    --work "${WORK:-$B/fuzz-long}" --seconds "${2:-3600}" --seed "${3:-$(date +%s)}" \
    --jobs "${JOBS:-$(nproc)}" --no-seeds
