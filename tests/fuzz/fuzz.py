#!/usr/bin/env python3
"""
A mutation fuzzer for the cawait tool (issue 11, "Fuzzing in the repo").

It runs the tool built under ASan + UBSan (cawait_sanitized) on the test
corpus (tests/**/*.c, samples/*.c: the seeds) and on mutants of it: bytes
flipped or inserted (NUL, BOM, 0xFF), lines deleted, duplicated or moved,
lines spliced in from other files, truncations, and hostile snippets
(#line, #include inside functions, stray await/async/ca_run, unterminated
comments, line continuations). Every run must end one of two ways:

  accepted   exit 0, the output file exists, and it compiles
             (clang -fsyntax-only, as the tool's own clang parsed the input);
  refused    exit 1 or 2, a clang-style "file:line:col: error:" or
             "cawait: error:" on stderr, and no output file left behind.

Anything else is a finding: a crash (signal), a hang (time-out), a sanitizer
report, an accepted output that does not compile, a refusal without a
diagnostic or with the output left behind. Findings are saved under
WORK/findings/ (the input, the tool's stderr, the reason) and make the exit
status 1.

  fuzz.py --cawait BUILD/bin/cawait_sanitized --root SRC --work DIR [--execs N | --seconds S]
          [--seed K] [--jobs J] [--no-seeds]

ctest runs a fixed, seeded number of mutants (deterministic); tests/fuzz/long.sh
runs it for as long as you like.
"""
import argparse
import concurrent.futures
import glob
import os
import random
import re
import shutil
import subprocess
import sys
import time

SNIPPETS = [
    b'#line 77 "x\\"y\\\\z.c"\n', b'#line 1\n', b'# 12 "other.h" 1 3\n', b'#include <stdio.h>\n',
    b'#include <cawait.h>\n', b'await ca_yield();\n', b'int ca__x = 0;\n', b'#define AW await\n',
    b'\xef\xbb\xbf', b'\x00', b'\xff\xfe', b'/*', b'*/', b'\\\n', b'??=', b'_Pragma("once")\n',
    b'async ', b'await ', b'ca_run(', b'ca_spawn(', b')', b'{', b'}', b';', b'goto L; L:;\n',
    b'static async int zz(void) { return await ca_sleep(0); }\n', b'#if 0\n', b'#endif\n',
    b'__attribute__((cleanup(f))) ', b'int v[n]; ', b'({ 1; })', b'yield(1);', b'ca_for (int v, g()) ;',
]
DIAG = re.compile(rb'^(\S.*?:\d+:\d+: (fatal )?error: |cawait: error: )', re.M)
SANITIZER = re.compile(rb'(ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer|SUMMARY: \w+Sanitizer)')


def mutate(data, corpus, rng):
    lines = data.split(b'\n')
    for _ in range(rng.choice([1, 1, 2, 3, 5])):
        op = rng.randrange(9)
        if op == 0 and data:  # flip a byte
            i = rng.randrange(len(data))
            data = data[:i] + bytes([rng.randrange(256)]) + data[i + 1:]
        elif op == 1:  # insert a snippet at a random byte
            i = rng.randrange(len(data) + 1)
            data = data[:i] + rng.choice(SNIPPETS) + data[i:]
        elif op == 2:  # insert a snippet as a line
            lines = data.split(b'\n')
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(SNIPPETS).rstrip(b'\n'))
            data = b'\n'.join(lines)
        elif op == 3 and len(lines) > 1:  # delete a line
            lines = data.split(b'\n')
            del lines[rng.randrange(len(lines))]
            data = b'\n'.join(lines)
        elif op == 4:  # duplicate a line
            lines = data.split(b'\n')
            i = rng.randrange(len(lines))
            lines.insert(rng.randrange(len(lines) + 1), lines[i])
            data = b'\n'.join(lines)
        elif op == 5:  # move a line
            lines = data.split(b'\n')
            x = lines.pop(rng.randrange(len(lines)))
            lines.insert(rng.randrange(len(lines) + 1), x)
            data = b'\n'.join(lines)
        elif op == 6:  # splice a line of another file
            other = rng.choice(corpus)[1].split(b'\n')
            lines = data.split(b'\n')
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(other))
            data = b'\n'.join(lines)
        elif op == 7 and data:  # truncate
            data = data[:rng.randrange(len(data))]
        elif op == 8:  # a word becomes a pseudo-keyword
            words = list(re.finditer(rb'\b[a-z_][a-z0-9_]*\b', data))
            if words:
                m = rng.choice(words)
                data = data[:m.start()] + rng.choice([b'await', b'async', b'ca_run', b'ca_spawn', b'yield']) + data[m.end():]
    return data


class Fuzzer:
    def __init__(self, args):
        self.a = args
        self.clang = shutil.which('clang-19') or shutil.which('clang') or 'cc'
        self.include = ['-I' + os.path.join(args.root, 'runtime', 'include'),
                        '-I' + os.path.join(args.root, 'tests', 'Inputs')]
        self.env = dict(os.environ, ASAN_OPTIONS='detect_leaks=0:abort_on_error=0:exitcode=99',
                        UBSAN_OPTIONS='print_stacktrace=1:halt_on_error=1:exitcode=99')
        os.makedirs(os.path.join(args.work, 'findings'), exist_ok=True)
        self.findings = 0

    def run_one(self, name, data):
        """One input through the tool: None when it behaved, else the reason."""
        d = os.path.join(self.a.work, 'run', name)
        os.makedirs(d, exist_ok=True)
        src, out = os.path.join(d, 'in.c'), os.path.join(d, 'out.c')
        with open(src, 'wb') as f:
            f.write(data)
        if os.path.exists(out):
            os.unlink(out)
        try:
            r = subprocess.run([self.a.cawait, src, '-o', out, '--'] + self.include, env=self.env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=self.a.timeout)
        except subprocess.TimeoutExpired:
            return 'hang: no end after %d s' % self.a.timeout, b''
        err = r.stderr
        if SANITIZER.search(err):
            return 'sanitizer report', err
        if r.returncode < 0 or r.returncode > 2:
            return 'crash: exit status %d' % r.returncode, err
        if r.returncode != 0:
            if os.path.exists(out):
                return 'refused but left %s behind' % out, err
            if not DIAG.search(err):
                return 'refused without a diagnostic', err
            return None, err
        if not os.path.exists(out):
            return 'accepted but wrote no output', err
        c = subprocess.run([self.clang, '-fsyntax-only', '-std=gnu11', '-w'] + self.include + [out],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
        if c.returncode != 0:
            return 'accepted output does not compile', err + b'\n--- clang on the output:\n' + c.stderr
        return None, err

    def record(self, name, data, reason, err):
        self.findings += 1
        d = os.path.join(self.a.work, 'findings', name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, 'in.c'), 'wb') as f:
            f.write(data)
        with open(os.path.join(d, 'stderr.txt'), 'wb') as f:
            f.write(err)
        with open(os.path.join(d, 'reason.txt'), 'w') as f:
            f.write(reason + '\n')
        print('FINDING %s: %s (%s)' % (name, reason, d), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--cawait', required=True)
    p.add_argument('--root', required=True, help='the source tree (corpus and runtime headers)')
    p.add_argument('--work', required=True)
    p.add_argument('--execs', type=int, default=0, help='mutants to run (default: until --seconds)')
    p.add_argument('--seconds', type=float, default=0)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--jobs', type=int, default=2)
    p.add_argument('--timeout', type=int, default=60)
    p.add_argument('--no-seeds', action='store_true', help='skip running the corpus itself first')
    a = p.parse_args()
    if not a.execs and not a.seconds:
        a.execs = 100
    files = sorted(glob.glob(os.path.join(a.root, 'tests', '*', '*.c')) + glob.glob(os.path.join(a.root, 'samples', '*.c')))
    files = [f for f in files if '/unit/' not in f]
    corpus = [(os.path.basename(f), open(f, 'rb').read()) for f in files]
    fz = Fuzzer(a)
    rng = random.Random(a.seed)
    start = time.time()
    execs = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        if not a.no_seeds:  # the corpus as it is: the tool under sanitizers on every test input
            jobs = {pool.submit(fz.run_one, 'seed-%s' % n, d): (n, d) for n, d in corpus}
            for j in concurrent.futures.as_completed(jobs):
                n, d = jobs[j]
                reason, err = j.result()
                if reason:
                    fz.record('seed-' + n, d, reason, err)
            print('seeds: %d files' % len(corpus), flush=True)
        # Mutants are drawn up front from the seeded generator: the same --seed gives the same inputs.
        def mutants():
            i = 0
            while True:
                name, base = corpus[rng.randrange(len(corpus))]
                yield 'mut%06d-%s' % (i, name), mutate(base, corpus, rng)
                i += 1
        gen = mutants()
        pending = {}
        while True:
            more = (a.execs and execs + len(pending) < a.execs) or (a.seconds and time.time() - start < a.seconds)
            while more and len(pending) < a.jobs:
                name, data = next(gen)
                pending[pool.submit(fz.run_one, name, data)] = (name, data)
                more = (a.execs and execs + len(pending) < a.execs) or (a.seconds and time.time() - start < a.seconds)
            if not pending:
                break
            done, _ = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
            for j in done:
                name, data = pending.pop(j)
                reason, err = j.result()
                execs += 1
                if reason:
                    fz.record(name, data, reason, err)
    print('mutants: %d execs in %.0f s, %d findings' % (execs, time.time() - start, fz.findings), flush=True)
    return 1 if fz.findings else 0


if __name__ == '__main__':
    sys.exit(main())
