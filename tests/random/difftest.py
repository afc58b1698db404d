#!/usr/bin/env python3
"""Random differential testing of cawait (DESIGN.md, item 1 of "Semantics
that must hold").

For each seed: csmith writes a program; it is compiled with gcc and run (seeds
whose original crashes, fails or runs past the time limit are skipped); then
for each mode asyncify makes every function async (plain: only async/await/
ca_run; yield: also `await ca_yield();` at the start of every body and before
every return; yield-expr: yield plus `(await ca_yield(), await f(x))` at
seeded random calls; fnptr: yield plus an async pointer to every function,
through which seeded random calls go; fnptr-plain: the same pointers without
the yields, so the functions stay plain C and the calls through the pointers
run the bodies moved out for their entries; all: yield-expr after csmith's own header, with its
crc and safe-math functions, is pasted into the program, so those are async
too; not run by default), cawait transforms it, gcc compiles and links it with
libcawait, and its output must equal the original's.

    difftest.py [options] SEED...        the given seeds
    difftest.py [options] --sweep N      N seeds from --start (default: random)
    difftest.py [options] --perf SEED... original vs async twin at -O2, summed
    difftest.py [options] --files P.c... hand-written programs instead of csmith's

One line per seed and mode: PASS, SKIP, or FAIL-<stage> with stage one of
asyncify (the harness's own rewrite is wrong: checked by compiling the
asyncified file natively against a stub header), transform (cawait failed or
crashed), compile (gcc rejected cawait's output), run (it crashed, timed out
or exited differently), output (it printed something else). The inputs of
every failure are kept under --keep (default WORK/failures/SEED-MODE/) with a
`repro.sh`. Exit status: 0 when nothing failed, 1 otherwise, 77 when csmith is
missing.
"""

import argparse
import concurrent.futures
import os
import random
import shlex
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Programs that terminate quickly and stay moderate in size. Packed structs
# are left out (csmith's #pragma pack(1) is not what is being tested here).
DEFAULT_CSMITH_OPTS = "--max-funcs 8 --no-packed-struct --max-block-depth 4 --max-expr-complexity 8"

MODES = ("plain", "yield", "yield-expr", "fnptr", "fnptr-plain", "all")
DEFAULT_MODES = ("plain", "yield", "yield-expr")


def inline_quoted_includes(path, inc_dir, depth=0):
    """The text of path with its `#include "x.h"` replaced by x.h's text when
    x.h is in inc_dir (recursively): csmith's runtime (crc32, transparent_crc,
    the safe_math functions) then belongs to the main file and becomes async
    too. System includes stay as they are. Every occurrence is pasted (the
    headers' own guards keep the second copy empty): a header first met in a
    branch that is not taken must still be pasted where it is."""
    import re
    out = []
    with open(path) as f:
        for line in f:
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if m and depth < 8:
                h = os.path.join(inc_dir, m.group(1))
                if os.path.exists(h):
                    out.append(inline_quoted_includes(h, inc_dir, depth + 1))
                    out.append("\n")
                    continue
            out.append(line)
    return "".join(out)

# The pseudo-keywords with a synchronous ca_yield: the asyncified program
# compiled natively against this must behave as the original (it checks
# asyncify, not cawait).
STUB_HEADER = """\
#ifndef CAWAIT_H
#define CAWAIT_H
#include "{keywords}"
static inline int ca_yield(void) {{ return 0; }}
#endif
"""

print_lock = threading.Lock()


def say(line):
    with print_lock:
        print(line, flush=True)


def run(cmd, timeout=None, cwd=None):
    """(returncode or 'timeout', stdout bytes, stderr bytes, seconds)."""
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=timeout)
        return p.returncode, p.stdout, p.stderr, time.perf_counter() - t0
    except subprocess.TimeoutExpired as e:
        return "timeout", e.stdout or b"", e.stderr or b"", time.perf_counter() - t0


def run_env(cmd, env, timeout):
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=timeout, env=env)
        return p.returncode, p.stdout, p.stderr, time.perf_counter() - t0
    except subprocess.TimeoutExpired:
        return "timeout", b"", b"", time.perf_counter() - t0


def first_lines(b, n=3):
    lines = b.decode("utf-8", "replace").strip().splitlines()
    return " | ".join(lines[:n])[:300]


class Harness:
    def __init__(self, a):
        self.a = a
        self.csmith_inc = a.csmith_include
        self.work = os.path.abspath(a.work)
        self.keep = os.path.abspath(a.keep or os.path.join(self.work, "failures"))
        os.makedirs(self.work, exist_ok=True)
        self.stub_dir = os.path.join(self.work, "stub")
        os.makedirs(self.stub_dir, exist_ok=True)
        with open(os.path.join(self.stub_dir, "cawait.h"), "w") as f:
            f.write(STUB_HEADER.format(
                keywords=os.path.join(os.path.abspath(a.include), "cawait", "keywords.h")))
        self.results = []  # (seed, mode, status, detail, orig_s, async_s)
        self.lock = threading.Lock()

    # -- helpers --------------------------------------------------------

    def cc(self, src, exe, opt, extra=()):
        cmd = [self.a.cc, "-std=gnu11", opt, "-w", *extra, "-I", self.csmith_inc,
               "-o", exe, src]
        return cmd

    def record(self, seed, mode, status, detail="", t_orig=None, t_async=None):
        with self.lock:
            self.results.append((seed, mode, status, detail, t_orig, t_async))
        times = ""
        if t_orig is not None and t_async is not None:
            times = " (orig %.3fs, async %.3fs)" % (t_orig, t_async)
        say("seed %-10s %-10s %s%s%s" % (self.tag(seed), mode, status, times,
                                         (": " + detail) if detail else ""))

    def keep_failure(self, seed, mode, d, files, status, detail, cmds, flags):
        dst = os.path.join(self.keep, "%s-%s" % (self.tag(seed), mode))
        shutil.rmtree(dst, ignore_errors=True)
        os.makedirs(dst)
        for f in files:
            p = os.path.join(d, f)
            if os.path.exists(p):
                shutil.copy(p, dst)
        with open(os.path.join(dst, "README"), "w") as f:
            f.write("%s: %s\n" % (status, detail))
        with open(os.path.join(dst, "asyncify.flags"), "w") as f:
            f.write(" ".join(flags) + "\n")
        with open(os.path.join(dst, "repro.sh"), "w") as f:
            f.write("#!/bin/sh\n# %s for csmith seed %s, mode %s\ncd \"$(dirname \"$0\")\"\n"
                    % (status, self.tag(seed), mode))
            for c in cmds:
                f.write(" ".join(shlex.quote(x) for x in c) + "\n")
        os.chmod(os.path.join(dst, "repro.sh"), 0o755)

    # -- one seed -------------------------------------------------------

    def generate(self, seed, d):
        """Write and run orig.c; returns (expected stdout, seconds) or None (skip).
        A seed is a csmith seed, or the path of a C program (--files)."""
        a = self.a
        orig = os.path.join(d, "orig.c")
        if isinstance(seed, str):
            shutil.copy(seed, orig)
        else:
            rc, out, err, _ = run([a.csmith, "--seed", str(seed), *shlex.split(a.csmith_opts),
                                   "-o", orig], timeout=60, cwd=d)
            if rc != 0:
                return None, "csmith failed: " + first_lines(err)
        exe = os.path.join(d, "orig")
        rc, out, err, _ = run(self.cc(orig, exe, "-O1"), timeout=120)
        if rc != 0:
            return None, "original does not compile: " + first_lines(err)
        rc, out, err, t = run([exe], timeout=a.orig_timeout)
        if rc == "timeout":
            return None, "original runs longer than %gs" % a.orig_timeout
        if rc != 0:
            return None, "original exits %s" % rc
        return (out, t), ""

    def one_mode(self, seed, d, mode, expected, t_orig):
        a = self.a
        base = os.path.join(d, mode)
        inp, outc, exe = base + ".in.c", base + ".out.c", base + ".exe"
        files = ["orig.c", os.path.basename(inp), os.path.basename(outc)]
        flags = []
        src = os.path.join(d, "orig.c")
        if mode == "all":
            src = os.path.join(d, "all.orig.c")
            with open(src, "w") as f:
                f.write(inline_quoted_includes(os.path.join(d, "orig.c"), self.csmith_inc))
            files.append("all.orig.c")
        rseed = seed if isinstance(seed, int) else sum(map(ord, os.path.basename(seed)))
        if mode in ("yield", "yield-expr", "fnptr", "all"):
            flags.append("--yield")
        if mode in ("fnptr", "fnptr-plain"):
            flags += ["--fnptr", "--seed", str(rseed)]
        if mode in ("yield-expr", "all"):
            flags += ["--yield-expr", "--seed", str(rseed), "--prob", str(a.prob)]
        cmd_asyncify = [a.asyncify, "-q", *flags, src, "-o", inp,
                        "--", "-I" + self.csmith_inc]
        cmd_cawait = [a.cawait, inp, "-o", outc, "--", "-I" + self.csmith_inc]
        if not a.no_runtime_include:
            cmd_cawait.append("-I" + os.path.abspath(a.include))
        cmd_cc = self.cc(outc, exe, "-O1", ["-I", os.path.abspath(a.include)]) + \
            [a.runtime_lib, "-pthread"]
        cmd_run = [exe]
        local = lambda c: [os.path.basename(x) if x.startswith(d + os.sep) else x for x in c]
        repro = [local(cmd_cawait), local(cmd_cc), ["./" + os.path.basename(exe)],
                 ["echo", "expected: " + expected.decode(errors="replace").strip()]]

        def fail(status, detail):
            self.record(seed, mode, status, detail)
            self.keep_failure(seed, mode, d, files, status, detail, repro, flags)

        rc, out, err, _ = run(cmd_asyncify, timeout=120)
        if rc != 0:
            return fail("FAIL-asyncify", "asyncify: " + first_lines(err))
        if a.check_asyncify or mode in ("yield-expr", "fnptr", "fnptr-plain", "all"):
            nexe = base + ".native"
            rc, out, err, _ = run(self.cc(inp, nexe, "-O1", ["-I", self.stub_dir]), timeout=120)
            if rc != 0:
                return fail("FAIL-asyncify", "asyncified file does not compile natively: "
                            + first_lines(err))
            rc, out, err, _ = run([nexe], timeout=max(5 * t_orig, a.orig_timeout * 2))
            if rc != 0 or out != expected:
                return fail("FAIL-asyncify", "asyncified file run natively differs (rc %s)" % rc)
        if os.path.exists(outc):
            os.unlink(outc)
        rc, out, err, _ = run(cmd_cawait, timeout=a.tool_timeout)
        if rc == "timeout":
            return fail("FAIL-transform", "cawait timed out after %ss" % a.tool_timeout)
        if rc != 0:
            how = "crashed (signal %d)" % -rc if rc < 0 else "exit %d" % rc
            return fail("FAIL-transform", "cawait %s: %s" % (how, first_lines(err)))
        if not os.path.exists(outc):
            return fail("FAIL-transform", "cawait exit 0 but no output file")
        rc, out, err, _ = run(cmd_cc, timeout=300)
        if rc != 0:
            return fail("FAIL-compile", first_lines(err))
        rc, out, err, t = run(cmd_run, timeout=max(20 * t_orig, a.run_timeout))
        if rc == "timeout":
            return fail("FAIL-run", "timed out")
        if rc != 0:
            how = "signal %d" % -rc if rc < 0 else "exit %d" % rc
            return fail("FAIL-run", "%s: %s" % (how, first_lines(err)))
        if out != expected:
            return fail("FAIL-output", "got %r, want %r" % (first_lines(out), first_lines(expected)))
        self.record(seed, mode, "PASS", "", t_orig, t)
        if not a.keep_passing:
            for p in (inp, outc, exe, base + ".native"):
                if os.path.exists(p):
                    os.unlink(p)

    @staticmethod
    def tag(seed):
        """A file-name-safe name for a seed or a program (no '-' in it)."""
        if isinstance(seed, int):
            return str(seed)
        return os.path.splitext(os.path.basename(seed))[0].replace("-", "_")

    def one_seed(self, seed):
        d = os.path.join(self.work, self.tag(seed))
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        gen, why = self.generate(seed, d)
        if gen is None:
            for mode in self.a.modes:
                self.record(seed, mode, "SKIP", why)
            shutil.rmtree(d, ignore_errors=True)
            return
        expected, t_orig = gen
        for mode in self.a.modes:
            try:
                self.one_mode(seed, d, mode, expected, t_orig)
            except Exception as e:  # a harness bug: say so, do not hide it
                self.record(seed, mode, "FAIL-harness", repr(e))
        if not self.a.keep_passing:
            shutil.rmtree(d, ignore_errors=True)

    # -- perf -----------------------------------------------------------

    def perf_seed(self, seed):
        a = self.a
        d = os.path.join(self.work, "perf-%s" % self.tag(seed))
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        gen, why = self.generate(seed, d)
        if gen is None:
            say("seed %-10s perf SKIP: %s" % (seed, why))
            return None
        expected, t1 = gen
        orig, inp, outc = (os.path.join(d, x) for x in ("orig.c", "in.c", "out.c"))
        e_orig, e_async = os.path.join(d, "orig2"), os.path.join(d, "async2")
        # Most csmith programs run for a few milliseconds, which process
        # start-up would swamp: both binaries run the program's main `inner`
        # times in one process (main renamed; globals carry over from one
        # round to the next, the same way in both).
        driver = os.path.join(d, "driver.c")
        with open(driver, "w") as f:
            f.write("#include <stdlib.h>\n"
                    "int ca_bench_main(int, char **);\n"
                    "int main(int argc, char **argv)\n{\n"
                    "    int i, n = atoi(getenv(\"CA_BENCH_INNER\"));\n"
                    "    (void)argc;\n"
                    "    for (i = 0; i < n; i++)\n"
                    "        ca_bench_main(1, argv);\n"
                    "    return 0;\n}\n")
        inner = 1
        driver_o = os.path.join(d, "driver.o")
        src = orig
        if a.perf_mode == "all":
            # csmith's crc and safe-math functions async too, no ca_yield
            src = os.path.join(d, "all.orig.c")
            with open(src, "w") as f:
                f.write(inline_quoted_includes(orig, self.csmith_inc))
        steps = [
            [a.cc, "-O2", "-c", driver, "-o", driver_o],
            [a.asyncify, "-q", src, "-o", inp, "--", "-I" + self.csmith_inc],
            [a.cawait, inp, "-o", outc, "--", "-I" + self.csmith_inc,
             "-I" + os.path.abspath(a.include)],
            self.cc(orig, e_orig, "-O2", ["-Dmain=ca_bench_main"]) + [driver_o],
            self.cc(outc, e_async, "-O2", ["-I", os.path.abspath(a.include),
                                           "-Dmain=ca_bench_main"])
            + [driver_o, a.runtime_lib, "-pthread"],
        ]
        for c in steps:
            rc, out, err, _ = run(c, timeout=300)
            if rc != 0:
                say("seed %-10s perf FAIL: %s: %s" % (seed, os.path.basename(c[0]),
                                                      first_lines(err)))
                return None
        # Calibrate: as many rounds as make the original run about 0.2 s.
        while inner < a.perf_inner:
            t0 = time.perf_counter()
            rc, _, _, t = run_env([e_orig], dict(os.environ, CA_BENCH_INNER=str(inner)), 60)
            if rc != 0:
                say("seed %-10s perf SKIP: %d rounds: rc %s" % (self.tag(seed), inner, rc))
                return None
            if t >= 0.2:
                break
            inner = min(a.perf_inner, inner * 4 if t < 0.05 else inner * 2)
        env = dict(os.environ, CA_BENCH_INNER=str(inner))
        best = {}
        want = None
        for name, exe in (("orig", e_orig), ("async", e_async)):
            ts = []
            for _ in range(a.perf_reps):
                t0 = time.perf_counter()
                try:
                    p = subprocess.run([exe], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                       stdin=subprocess.DEVNULL, timeout=60, env=env)
                    rc, out = p.returncode, p.stdout
                except subprocess.TimeoutExpired:
                    rc, out = "timeout", b""
                t = time.perf_counter() - t0
                if rc == "timeout" and name == "orig":
                    say("seed %-10s perf SKIP: %d rounds run past 60 s" % (seed, inner))
                    return None
                if want is None and name == "orig" and rc == 0:
                    want = out
                if rc != 0 or out != want or not out.startswith(expected):
                    say("seed %-10s perf FAIL: %s run differs (rc %s)" % (seed, name, rc))
                    return None
                ts.append(t)
            best[name] = min(ts)
        say("seed %-10s perf %4d rounds: orig %.4fs async %.4fs ratio %.2f"
            % (self.tag(seed), inner, best["orig"], best["async"],
               best["async"] / max(best["orig"], 1e-9)))
        shutil.rmtree(d, ignore_errors=True)
        return best["orig"], best["async"]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("seeds", nargs="*", type=int)
    ap.add_argument("--files", nargs="+", default=[], metavar="C",
                    help="also run these C programs (plain C, no cawait) like csmith's")
    ap.add_argument("--sweep", type=int, metavar="N", help="run N seeds from --start")
    ap.add_argument("--start", type=int, help="first seed of --sweep (default: random)")
    ap.add_argument("--perf", action="store_true",
                    help="time original vs async twin (plain mode, gcc -O2)")
    ap.add_argument("--perf-reps", type=int, default=3, help="runs per binary, best kept")
    ap.add_argument("--perf-mode", choices=("plain", "all"), default="plain",
                    help="async twin for --perf: the program's functions, or also csmith's "
                    "header functions (crc, safe math)")
    ap.add_argument("--perf-inner", type=int, default=100000,
                    help="at most this many rounds of main per run (calibrated to ~0.2 s)")
    ap.add_argument("--perf-min", type=float, default=0.02,
                    help="seeds whose original runs at least this long (s) make the headline "
                    "ratio; --perf allows originals up to 5 s. Use -j1 for quiet timings")
    ap.add_argument("--modes", default=",".join(DEFAULT_MODES),
                    help="comma-separated subset of " + ",".join(MODES))
    ap.add_argument("--cawait", default=os.path.join(ROOT, "build/bin/cawait"))
    ap.add_argument("--runtime-lib", default=os.path.join(ROOT, "build/lib/libcawait.a"))
    ap.add_argument("--asyncify", default=os.path.join(ROOT, "build/bin/asyncify"))
    ap.add_argument("--include", default=os.path.join(ROOT, "runtime/include"),
                    help="the directory holding cawait.h")
    ap.add_argument("--no-runtime-include", action="store_true",
                    help="do not pass -I for cawait.h to cawait (it must find it itself)")
    ap.add_argument("--csmith", default=shutil.which("csmith") or "csmith")
    ap.add_argument("--csmith-include", default="/usr/include/csmith")
    ap.add_argument("--csmith-opts", default=DEFAULT_CSMITH_OPTS)
    ap.add_argument("--cc", default="gcc")
    ap.add_argument("--prob", type=int, default=50,
                    help="percentage of awaited calls that yield-expr wraps")
    ap.add_argument("--check-asyncify", action="store_true",
                    help="check asyncify's output natively in every mode (always in yield-expr)")
    ap.add_argument("--work", default="/tmp/cawait-difftest")
    ap.add_argument("--keep", help="where failing inputs go (default WORK/failures)")
    ap.add_argument("--keep-passing", action="store_true", help="do not delete passing work dirs")
    ap.add_argument("--orig-timeout", type=float, default=1.0,
                    help="skip seeds whose original runs longer (seconds)")
    ap.add_argument("--run-timeout", type=float, default=10.0,
                    help="minimum time allowed for the async program (seconds)")
    ap.add_argument("--tool-timeout", type=float, default=60.0)
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()

    a.modes = [m for m in a.modes.split(",") if m]
    for m in a.modes:
        if m not in MODES:
            ap.error("unknown mode %r" % m)
    if not shutil.which(a.csmith) or not os.path.exists(os.path.join(a.csmith_include, "csmith.h")):
        print("difftest: csmith or %s/csmith.h missing (apt-get install csmith libcsmith-dev)"
              % a.csmith_include, file=sys.stderr)
        return 77
    if not os.path.exists(a.asyncify):
        # Build it here when CMake has not: it is one file.
        exe = os.path.join(os.path.abspath(a.work), "asyncify")
        os.makedirs(os.path.dirname(exe), exist_ok=True)
        rc, _, err, _ = run([a.cc, "-O1", "-I/usr/lib/llvm-19/include",
                             os.path.join(HERE, "asyncify.c"), "-o", exe,
                             "-L/usr/lib/llvm-19/lib", "-lclang",
                             "-Wl,-rpath,/usr/lib/llvm-19/lib"])
        if rc != 0:
            print("difftest: cannot build asyncify: " + first_lines(err, 10), file=sys.stderr)
            return 1
        a.asyncify = exe
    for what, p in (("cawait", a.cawait), ("libcawait", a.runtime_lib)):
        if not os.path.exists(p):
            print("difftest: %s not found at %s (build it first)" % (what, p), file=sys.stderr)
            return 1

    seeds = list(a.seeds) + [os.path.abspath(f) for f in a.files]
    if a.sweep:
        start = a.start if a.start is not None else random.randrange(1, 2**31 - a.sweep)
        seeds += range(start, start + a.sweep)
        say("difftest: sweep of %d seeds from %d" % (a.sweep, start))
    if not seeds:
        ap.error("no seeds: give SEED..., --sweep N or --files C...")

    if a.perf:
        a.orig_timeout = max(a.orig_timeout, 5.0)
    h = Harness(a)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        if a.perf:
            times = [t for t in ex.map(h.perf_seed, seeds) if t]
            if not times:
                print("difftest: perf: no seed ran")
                return 1
            so, sa = sum(t[0] for t in times), sum(t[1] for t in times)
            print("difftest: perf over %d seeds: original %.3fs, async twin %.3fs, ratio %.2f "
                  "(target <= 1.5)" % (len(times), so, sa, sa / max(so, 1e-9)))
            big = [t for t in times if t[0] >= a.perf_min]
            if big:
                bo, ba = sum(t[0] for t in big), sum(t[1] for t in big)
                print("difftest: perf over the %d seeds whose original runs >= %g s "
                      "(process start-up dominates the others): original %.3fs, "
                      "async twin %.3fs, ratio %.2f" % (len(big), a.perf_min, bo, ba, ba / bo))
            else:
                print("difftest: perf: no seed ran >= %g s; the ratio above is start-up noise"
                      % a.perf_min)
            return 0
        list(ex.map(h.one_seed, seeds))

    failed = [r for r in h.results if r[2].startswith("FAIL")]
    print()
    for m in a.modes:
        rs = [r for r in h.results if r[1] == m]
        counts = {}
        for r in rs:
            counts[r[2]] = counts.get(r[2], 0) + 1
        print("difftest: %-10s " % m + ", ".join("%s %d" % kv for kv in sorted(counts.items())))
    if failed:
        print("difftest: failures kept under %s" % h.keep)
    n_pass = sum(1 for r in h.results if r[2] == "PASS")
    n_fail = sum(1 for r in h.results if r[2].startswith("FAIL"))
    n_skip = sum(1 for r in h.results if r[2] == "SKIP")
    print("difftest: %d passed, %d failed, %d skipped" % (n_pass, n_fail, n_skip))
    return 1 if n_fail else 0


if __name__ == "__main__":
    sys.exit(main())
