#!/usr/bin/env python3
"""csmith async twins against their originals (issue 3: "the async twin of a
csmith program runs within 1.5x of the synchronous original, gcc -O2, summed
over the seeds").

For each seed (from --start on, until --seeds of them run): csmith writes a
program (tests/random/difftest.py's options); gcc -O2 builds and runs it; then
for each mode (tests/random/README.md: plain, yield, yield-expr) asyncify
makes every function async, cawait transforms it, gcc -O2 builds it with
libcawait, and it must print what the original prints. Each binary runs
--reps times; the row keeps its least CPU time (user + sys of the child,
which a loaded machine disturbs less than wall time). With callgrind, the
seeds whose original runs under --cg-max seconds are also counted in
instructions (exact, repeatable), summed per mode.

Prints one line per seed and a summary table.
"""

import argparse
import os
import shlex
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "random"))
try:
    from difftest import DEFAULT_CSMITH_OPTS
except Exception:  # the harness moved: its documented defaults
    DEFAULT_CSMITH_OPTS = "--max-funcs 8 --no-packed-struct --max-block-depth 4 --max-expr-complexity 8"

MODES = {
    "plain": [],
    "yield": ["--yield"],
    "yield-expr": ["--yield", "--yield-expr", "--prob", "50"],
}


def sh(cmd, timeout=300):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return r.returncode, r.stdout, r.stderr


def run_timed(exe, timeout):
    """Run exe: (exit status or "timeout", stdout bytes, user + sys seconds of the child)."""
    import resource
    out = exe + ".stdout"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out, "wb") as f:
        p = subprocess.Popen([exe], stdout=f, stderr=subprocess.DEVNULL)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            return "timeout", b"", 0.0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(out, "rb") as f:
        return p.returncode, f.read(), t


def callgrind_ir(exe):
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", exe],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    for line in r.stderr.decode(errors="replace").splitlines():
        if "Collected :" in line:
            return int(line.split()[-1])
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--seeds", type=int, default=20, help="how many seeds must run")
    ap.add_argument("--start", type=int, default=1, help="first csmith seed")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--work", default="/tmp/cawait-bench-csmith")
    ap.add_argument("--csmith-opts", default=DEFAULT_CSMITH_OPTS)
    ap.add_argument("--csmith-include", default="/usr/include/csmith")
    ap.add_argument("--cc", default="gcc")
    ap.add_argument("--orig-timeout", type=float, default=5.0)
    ap.add_argument("--no-callgrind", action="store_true")
    ap.add_argument("--cg-max", type=float, default=0.05,
                    help="count instructions for seeds whose original runs under this (s)")
    ap.add_argument("--min-time", type=float, default=0.02,
                    help="also sum the seeds whose original runs at least this long (s)")
    a = ap.parse_args()

    cawait = os.path.join(a.build, "bin", "cawait")
    asyncify = os.path.join(a.build, "bin", "asyncify")
    lib = os.path.join(a.build, "lib", "libcawait.a")
    inc = os.path.join(ROOT, "runtime", "include")
    csmith = shutil.which("csmith")
    if not csmith:
        print("csmith_perf: csmith is not installed (apt-get install csmith libcsmith-dev)")
        return 0
    modes = [m for m in a.modes.split(",") if m]
    use_cg = not a.no_callgrind and shutil.which("valgrind")
    os.makedirs(a.work, exist_ok=True)

    def cc(src, exe, extra=()):
        return [a.cc, "-std=gnu11", "-O2", "-w", *extra, "-I", a.csmith_include, "-o", exe, src]

    # Process start-up, to subtract from instruction counts: csmith's
    # programs mostly run for a millisecond or less, so the dynamic loader
    # and (for the twins) making the loop would otherwise be most of it.
    base_ir = {}
    if use_cg:
        bd = os.path.join(a.work, "baseline")
        os.makedirs(bd, exist_ok=True)
        with open(os.path.join(bd, "orig.c"), "w") as f:
            f.write("int main(void) { return 0; }\n")
        with open(os.path.join(bd, "twin.c"), "w") as f:
            f.write("#include <cawait.h>\nstatic async int f(void) { return 0; }\n"
                    "int main(void) { return ca_run(f()); }\n")
        bo, bt = os.path.join(bd, "orig"), os.path.join(bd, "twin")
        if (sh(cc(os.path.join(bd, "orig.c"), bo))[0] == 0 and
                sh([cawait, os.path.join(bd, "twin.c"), "-o", os.path.join(bd, "twin.out.c"),
                    "--", "-I" + inc])[0] == 0 and
                sh(cc(os.path.join(bd, "twin.out.c"), bt, ["-I", inc]) + [lib, "-pthread"])[0] == 0):
            base_ir["orig"] = callgrind_ir(bo)
            for m in modes:
                base_ir[m] = callgrind_ir(bt)

    rows = []  # (seed, {exe: best CPU s}, {exe: instructions})
    seed = a.start
    tried = 0
    print("  %-6s %10s" % ("seed", "orig ms") + "".join(" %12s %6s" % (m + " ms", "x") for m in modes)
          + "   (best CPU time of %d runs each)" % a.reps)
    while len(rows) < a.seeds and tried < 5 * a.seeds:
        tried += 1
        s, seed = seed, seed + 1
        d = os.path.join(a.work, str(s))
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        orig = os.path.join(d, "orig.c")
        rc, _, _ = sh([csmith, "--seed", str(s), *shlex.split(a.csmith_opts), "-o", orig])
        if rc != 0 or sh(cc(orig, os.path.join(d, "orig")))[0] != 0:
            continue
        rc, expected, _ = run_timed(os.path.join(d, "orig"), a.orig_timeout)
        if rc != 0:
            continue  # crashes or runs too long: skipped, as difftest.py does
        exes = {"orig": os.path.join(d, "orig")}
        ok = True
        for m in modes:
            inp, outc, exe = (os.path.join(d, m + x) for x in (".in.c", ".out.c", ".exe"))
            flags = MODES[m] + (["--seed", str(s)] if m == "yield-expr" else [])
            steps = [
                [asyncify, "-q", *flags, orig, "-o", inp, "--", "-I" + a.csmith_include],
                [cawait, inp, "-o", outc, "--", "-I" + a.csmith_include, "-I" + inc],
                cc(outc, exe, ["-I", inc]) + [lib, "-pthread"],
            ]
            for c in steps:
                rc, _, err = sh(c)
                if rc != 0:
                    print("  seed %d %s: %s failed: %s" % (s, m, os.path.basename(c[0]),
                                                          err.decode(errors="replace")[:200]))
                    ok = False
                    break
            if not ok:
                break
            exes[m] = exe
        if not ok:
            continue
        best = {k: None for k in exes}
        for _ in range(a.reps):  # round-robin over the binaries
            for k, exe in exes.items():
                rc, out, t = run_timed(exe, 60)
                if rc != 0 or out != expected:
                    print("  seed %d %s: output differs from the original (rc %s)" % (s, k, rc))
                    ok = False
                    break
                best[k] = t if best[k] is None else min(best[k], t)
            if not ok:
                break
        if not ok:
            continue
        irs = {}
        if use_cg and best["orig"] < a.cg_max:
            irs = {k: callgrind_ir(exe) for k, exe in exes.items()}
        rows.append((s, best, irs))
        print("  %-6d %10.2f" % (s, best["orig"] * 1e3) +
              "".join(" %12.2f %6.2f" % (best[m] * 1e3, best[m] / max(best["orig"], 1e-9))
                      for m in modes), flush=True)
        shutil.rmtree(d, ignore_errors=True)

    if not rows:
        print("csmith_perf: no seed ran")
        return 1

    def summary(title, sel, key, minus=None):
        if not sel:
            print("  %-56s (none)" % title)
            return
        tot = {k: sum(r[key][k] - (minus[k] if minus else 0) for r in sel) for k in ["orig"] + modes}
        scale = 1e3 if key == 1 else 1e-6
        print("  %-56s %10.1f" % (title, tot["orig"] * scale) +
              "".join(" %12.1f %6.2f" % (tot[m] * scale, tot[m] / max(tot["orig"], 1e-12)) for m in modes))

    print()
    print("  %-56s %10s" % ("summed over seeds", "orig") + "".join(" %12s %6s" % (m, "x") for m in modes))
    summary("all %d seeds, CPU ms" % len(rows), rows, 1)
    big = [r for r in rows if r[1]["orig"] >= a.min_time]
    summary("%d seeds whose original runs >= %g s, CPU ms" % (len(big), a.min_time), big, 1)
    cg = [r for r in rows if r[2] and all(v is not None for v in r[2].values())]
    summary("%d seeds (orig < %g s), M instructions" % (len(cg), a.cg_max), cg, 2)
    if cg and base_ir and all(v is not None for v in base_ir.values()):
        summary("same, minus process start-up, M instructions", cg, 2, base_ir)
        print("  (start-up: %.2f M instructions for an empty main, %.2f M for ca_run of an empty"
              " async function)" % (base_ir["orig"] * 1e-6, base_ir[modes[0]] * 1e-6))
    return 0


if __name__ == "__main__":
    sys.exit(main())
