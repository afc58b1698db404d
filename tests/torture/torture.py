#!/usr/bin/env python3
"""gcc's torture suite as a third-party corpus for cawait (issue 11).

gcc.c-torture/execute holds ~1,590 small C programs that abort() when the
compiler got something wrong. They are taken, at test time, from Debian's
gcc-12-source package (never committed here): each is made async by
tests/random/asyncify in every mode (plain, yield, yield-expr: see
tests/random/README.md), transformed by cawait, built with libcawait, run,
and compared with the synchronous original.

With --suite compile, gcc.c-torture/compile (~1,700 programs that once
crashed a compiler: odd declarations, K&R, extensions, no main) goes the
same way but stops at gcc -c: cawait's output must compile wherever the
original does.

Each program ends in one class per mode:
  pass      exit status and output equal the original's
  refused   cawait exited with a diagnostic (its reason is counted)
  wrong     the twin ran to the end but exited or printed differently
            (an abort() of the program's own checks is here)
  broken    cawait's output does not compile or link (compile suite: does
            not compile with gcc -c)
  crash     cawait crashed, or the twin died of a signal other than SIGABRT
  timeout   cawait or the twin ran past the limit
  skipped   the original does not build or run here (counted, not tested)
  asyncify  the asyncified program, compiled natively against a stub
            header, already misbehaves (or does not compile): a harness
            limit, not cawait's
            (checked only when the twin is bad)

    torture.py [options]                 the whole suite, table of counts
    torture.py --sample N [options]      every program whose index is a
                                         multiple of len/N (fixed, sorted),
                                         and the REGRESSIONS below
    torture.py --names A.c B.c ...       the given programs
Exit status: 0 when no program is wrong/broken/crash/timeout/asyncify,
1 otherwise, 77 when the gcc-12-source tarball is missing.
"""

import argparse
import collections
import concurrent.futures
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MODES = ("plain", "yield", "yield-expr")
BAD = ("wrong", "broken", "crash", "timeout", "asyncify")
CLASSES = ("pass", "refused") + BAD + ("skipped",)
TARBALLS = "/usr/src/gcc-12/gcc-12*.tar.xz"
SUITES = ("execute", "compile")
MEMBER = "gcc/testsuite/gcc.c-torture/%s/"

# clang 19 makes errors of what gcc 12 only warns about in these old
# programs (K&R, implicit int, implicit declarations): both asyncify and
# cawait parse with clang, so say it the way gcc does.
CLANG_FLAGS = ["-w", "-O1", "-fno-builtin", "-Wno-error=implicit-function-declaration", "-Wno-error=implicit-int",
               "-Wno-error=int-conversion", "-Wno-error=incompatible-pointer-types",
               "-Wno-error=incompatible-function-pointer-types", "-Wno-error=return-type"]
# -O1 as in CLANG_FLAGS: many programs test __OPTIMIZE__. -fno-builtin: some
# define a library function of their own (llabs, sinf) that aborts, and pass
# only when gcc folds the call as a builtin; a call of an async function is
# never folded.
# -fwrapv: some rely on it (dg-options), and with it signed overflow is no
# undefined behaviour that gcc could treat differently in the two builds.
CC_FLAGS = ["-O1", "-fno-builtin", "-fwrapv", "-w", "-fno-diagnostics-color"]

# Programs whose result depends on how gcc optimises the original, which no
# source transformation can keep: skipped, with the reason.
DEPENDS_ON_GCC = {
    "990208-1.c": "compares the addresses of one label in two calls of a function, which differ only "
                  "when gcc inlines it",
}

STUB_HEADER = """\
#ifndef CAWAIT_H
#define CAWAIT_H
#include "{keywords}"
static inline int ca_yield(void) {{ return 0; }}
#endif
"""

# Programs on which cawait was once wrong or broken: always in --sample.
REGRESSIONS = {"execute": [
    "20001011-1.c",  # __FUNCTION__ in ca_run's argument came out as __FU
    "pr39228.c",     # __LDBL_MAX__ came out as infL
    "20040411-1.c",  # resume point in the scope of a variably modified typedef
    "950605-1.c",    # K&R parameter `unsigned char c` not converted on entry
    "970217-1.c",    # size expression of parameter `int array[i++]` not evaluated
    "pr77767.c",     # the same, two parameters
    "990130-1.c",    # await in asm operands replaced by a null dereference
    "frame-address.c",  # __builtin_frame_address in a state machine
    "20000519-1.c",  # va_list parameter spelled struct __va_list_tag in the __ca_start entry
    "20000223-1.c",  # a function-like macro named like the async function expanded the tool's own call
    "20010605-2.c",  # `async void foo (), bar ();`: prototypes inserted inside the declaration
    "20031211-2.c",  # an implicitly declared async function called as (foo)(...) lost its declaration
    "align-3.c",     # __alignof__(f) answered the alignment of the entry, not f's aligned(256)
    "pr54937.c",     # an async function named t collided with the call frame's own t
    "pr47237.c",     # an async function passed to __builtin_apply (no prototype) was called as a plain one
    "20000722-1.c",  # &(struct s){...} passed to an awaited call: was refused, now made in the frame
], "compile": [
    "900116-1.c",    # struct st {...} f(...): the struct's definition was lost with the replaced text
    "930510-1.c",    # a struct first declared in a K&R parameter list named another type in each declaration
    "981001-2.c",    # alias(#func) stringified the entry cast that replaced an async function in a macro argument
    "bitf.c",        # `#define int unsigned` turned the generated `unsigned int` into `unsigned unsigned`
    "pr32571.c",     # a struct first named by a state machine's result type: each entry prototype declared another
    "structs.c",     # `#ifdef PROTOTYPES f(struct s x) #else f(x) struct s x; #endif {`: the #endif went with the text
]}

print_lock = threading.Lock()


def say(line):
    with print_lock:
        print(line, flush=True)


def run(cmd, timeout):
    """(returncode or 'timeout', stdout bytes, stderr bytes)."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return "timeout", b"", b""


def first_line(b):
    """The first line saying what went wrong (a compiler's `error:`, a
    linker's `undefined reference`), else the first line."""
    lines = b.decode("utf-8", "replace").strip().splitlines()
    for l in lines:
        if "error:" in l or "undefined reference" in l:
            return l[:200]
    return lines[0][:200] if lines else ""


def extract(dest, suite):
    """The suite's directory, extracted once into dest from the tarball."""
    done = os.path.join(dest, ".extracted-" + suite)
    src = os.path.join(dest, suite)
    if os.path.exists(done):
        return src
    tars = sorted(glob.glob(TARBALLS))
    if not tars:
        return None
    tmp = os.path.join(dest, "tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    # tar is much faster than Python's lzma on this 80 MB archive
    subprocess.run(["tar", "-xJf", tars[-1], "-C", tmp, "--wildcards",
                    "*/" + MEMBER % suite + "*.c"], check=True)
    found = glob.glob(os.path.join(tmp, "*", MEMBER % suite))
    shutil.rmtree(src, ignore_errors=True)
    shutil.move(found[0], src)
    shutil.rmtree(tmp)
    open(done, "w").close()
    return src


def diag_reason(err):
    """The first `error:` message of a cawait run, with names and numbers
    replaced so that the same refusal counts once."""
    for line in err.decode("utf-8", "replace").splitlines():
        m = re.search(r"\berror: (.*)", line)
        if m:
            r = re.sub(r"'[^']*'", "'_'", m.group(1))
            return re.sub(r"\b\d+\b", "N", r)[:120]
    return first_line(err) or "exit without message"


class Harness:
    def __init__(self, a, srcdir):
        self.a = a
        self.srcdir = srcdir
        self.work = os.path.abspath(a.work)
        self.stub = os.path.join(self.work, "stub")
        os.makedirs(self.stub, exist_ok=True)
        with open(os.path.join(self.stub, "cawait.h"), "w") as f:
            f.write(STUB_HEADER.format(keywords=os.path.join(
                os.path.abspath(a.include), "cawait", "keywords.h")))
        self.results = []  # (name, mode, class, detail)
        self.lock = threading.Lock()

    def record(self, name, mode, cls, detail=""):
        with self.lock:
            self.results.append((name, mode, cls, detail))
        if self.a.verbose or cls in BAD:
            say("%-22s %-10s %s%s" % (name, mode, cls, (": " + detail) if detail else ""))

    def keep(self, d, name, mode, cls, detail):
        dst = os.path.join(self.work, "failures", "%s-%s" % (name[:-2], mode))
        shutil.rmtree(dst, ignore_errors=True)
        os.makedirs(dst)
        for f in ("orig.c", mode + ".in.c", mode + ".out.c"):
            if os.path.exists(os.path.join(d, f)):
                shutil.copy(os.path.join(d, f), dst)
        with open(os.path.join(dst, "README"), "w") as f:
            f.write("%s: %s\n" % (cls, detail))

    def one(self, name):
        a = self.a
        d = os.path.join(self.work, "run", name[:-2])
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        orig = os.path.join(d, "orig.c")
        shutil.copy(os.path.join(self.srcdir, name), orig)
        exe = os.path.join(d, "orig")
        why = DEPENDS_ON_GCC.get(name)
        out = None
        if not why:
            rc, _, err = run([a.cc, *CC_FLAGS, *self.link(orig, exe)], 120)
            if rc != 0:
                why = "original does not build: " + first_line(err)
            elif a.suite == "execute":
                rc, out, _ = run([exe], a.timeout)
                if rc != 0:
                    why = "original exits %s" % rc
        if why:
            for mode in a.modes:
                self.record(name, mode, "skipped", why)
        else:
            for mode in a.modes:
                self.one_mode(name, d, mode, out)
        if not a.keep_all:
            shutil.rmtree(d, ignore_errors=True)

    def link(self, src, exe, *libs):
        """The rest of a gcc command that builds src: a program for the
        execute suite, an object file for the compile suite."""
        if self.a.suite == "compile":
            return ["-c", src, "-o", exe + ".o"]
        return [src, "-o", exe, *libs, "-lm"]

    def one_mode(self, name, d, mode, expected):
        a = self.a
        inp = os.path.join(d, mode + ".in.c")
        outc = os.path.join(d, mode + ".out.c")
        exe = os.path.join(d, mode + ".exe")
        inc = os.path.abspath(a.include)
        flags = []
        if mode != "plain":
            flags.append("--yield")
        if mode == "yield-expr":
            flags += ["--yield-expr", "--seed", str(sum(map(ord, name)))]

        rc, _, err = run([a.asyncify, "-q", *flags, os.path.join(d, "orig.c"), "-o", inp,
                          "--", *CLANG_FLAGS], 120)
        if rc != 0:
            return self.record(name, mode, "skipped", "asyncify: " + first_line(err))

        def bad(cls, detail):
            # Is the asyncified program itself (natively, ca_yield a no-op) right?
            nexe = exe + ".native"
            rc, out, _ = run([a.cc, *CC_FLAGS, "-I", self.stub, *self.link(inp, nexe)], 120)
            if rc == 0 and a.suite == "execute":
                rc, out, _ = run([nexe], a.timeout)
            if rc != 0 or (a.suite == "execute" and out != expected):
                cls, detail = "asyncify", "native twin: %s (was %s: %s)" % (rc, cls, detail)
            self.record(name, mode, cls, detail)
            self.keep(d, name, mode, cls, detail)

        rc, _, err = run([a.cawait, inp, "-o", outc, "--", *CLANG_FLAGS, "-I", inc],
                         a.tool_timeout)
        if rc == "timeout":
            return bad("timeout", "cawait")
        if rc != 0:
            if rc < 0 or b"error:" not in err:
                return bad("crash", "cawait exit %s: %s" % (rc, first_line(err)))
            return self.record(name, mode, "refused", diag_reason(err))
        rc, _, err = run([a.cc, *CC_FLAGS, "-I", inc, *self.link(outc, exe, a.runtime_lib, "-pthread")],
                         120)
        if rc != 0:
            return bad("broken", first_line(err))
        if a.suite == "compile":
            return self.record(name, mode, "pass")
        rc, out, _ = run([exe], a.timeout)
        if rc == "timeout":
            return bad("timeout", "twin")
        if rc < 0 and rc != -signal.SIGABRT:
            return bad("crash", "twin signal %d" % -rc)
        if rc != 0 or out != expected:
            return bad("wrong", "twin exits %s%s" % (rc, "" if out == expected else ", output differs"))
        self.record(name, mode, "pass")

    def table(self):
        counts = {m: collections.Counter() for m in self.a.modes}
        reasons = collections.Counter()
        for name, mode, cls, detail in self.results:
            counts[mode][cls] += 1
            if cls == "refused":
                reasons[(mode, detail)] += 1
        w = max(len(m) for m in self.a.modes) + 2
        lines = ["%-10s" % "" + "".join("%*s" % (w, m) for m in self.a.modes)]
        for cls in CLASSES:
            lines.append("%-10s" % cls + "".join("%*d" % (w, counts[m][cls]) for m in self.a.modes))
        lines.append("%-10s" % "total" + "".join(
            "%*d" % (w, sum(counts[m].values())) for m in self.a.modes))
        if reasons:
            lines.append("")
            lines.append("refusals (mode: count reason):")
            for (mode, r), n in sorted(reasons.items(), key=lambda x: (x[0][0], -x[1], x[0][1])):
                lines.append("  %-10s %4d  %s" % (mode, n, r))
        return "\n".join(lines), sum(counts[m][c] for m in self.a.modes for c in BAD)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cawait", required=True)
    p.add_argument("--asyncify", required=True)
    p.add_argument("--runtime-lib", required=True)
    p.add_argument("--include", default=os.path.join(ROOT, "runtime", "include"))
    p.add_argument("--cc", default="gcc")
    p.add_argument("--work", default="/tmp/cawait-torture")
    p.add_argument("--suite", choices=SUITES, default="execute",
                   help="execute: build, run and compare; compile: gcc -c the output")
    p.add_argument("--src", help="the suite's directory already extracted (default: WORK/SUITE)")
    p.add_argument("--modes", default=",".join(MODES))
    p.add_argument("--sample", type=int, help="a fixed sample of about N programs")
    p.add_argument("--names", nargs="+", help="only these programs (e.g. 20000112-1.c)")
    p.add_argument("--jobs", "-j", type=int, default=2)
    p.add_argument("--timeout", type=float, default=10, help="per run of a program (s)")
    p.add_argument("--tool-timeout", type=float, default=60)
    p.add_argument("--keep-all", action="store_true", help="keep every work directory")
    p.add_argument("--verbose", "-v", action="store_true", help="one line per program and mode")
    a = p.parse_args()
    a.modes = [m for m in a.modes.split(",") if m]
    for m in a.modes:
        if m not in MODES:
            p.error("unknown mode %r" % m)

    os.makedirs(a.work, exist_ok=True)
    src = a.src or extract(os.path.abspath(a.work), a.suite)
    if not src:
        print("torture: no %s (apt-get install gcc-12-source): skipped" % TARBALLS)
        return 77
    names = sorted(f for f in os.listdir(src) if f.endswith(".c"))
    if a.names:
        names = [os.path.basename(n) for n in a.names]
    elif a.sample:
        step = max(1, len(names) // a.sample)
        names = sorted(set(names[::step]) | set(n for n in REGRESSIONS[a.suite] if n in names))
    h = Harness(a, src)
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        for f in [ex.submit(h.one, n) for n in names]:
            f.result()
    text, nbad = h.table()
    print(text)
    print("%d programs, %d bad results" % (len(names), nbad))
    return 1 if nbad else 0


if __name__ == "__main__":
    sys.exit(main())
