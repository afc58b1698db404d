#!/usr/bin/env python3
"""Build and run the C programs of a Markdown document.

usage: run_snippets.py DOC.md CAWAIT RUNTIME_INCLUDE_DIR LIBCAWAIT [CC]
       run_snippets.py --excerpts DOC.md DIR


Every ```c block must be valid C to the plain compiler (cc -fsyntax-only,
as an IDE sees it) and must go through cawait and compile. A block that is
followed by an ```output block is a whole program: it is linked, run, and
its standard output must equal that block. A block right after a line
`<!-- context: NAME -->` is a fragment: it is compiled in place of the line
`@SNIPPET@` of tests/docs/context/NAME.c (its includes and declarations,
or the async function it is the body of).

With --excerpts, each ```c block is an excerpt of a source file under DIR
(which its own build and tests compile and run) and must appear in one of
them word for word."""
import os
import re
import subprocess
import sys
import tempfile


CONTEXTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "context")


def blocks(text):
    """(code, expected output or None, line) for each ```c block, fragments in their context."""
    found = list(re.finditer(r"^```(\w*)\n(.*?)^```\n", text, re.S | re.M))
    for i, m in enumerate(found):
        if m.group(1) != "c":
            continue
        nxt = found[i + 1] if i + 1 < len(found) else None
        expected = None
        if nxt and nxt.group(1) == "output" and text[m.end():nxt.start()].strip() == "":
            expected = nxt.group(2)
        code = m.group(2)
        before = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        context = re.fullmatch(r"<!-- context: ([\w-]+) -->", before)
        if context:
            with open(os.path.join(CONTEXTS, context.group(1) + ".c")) as f:
                whole = f.read()
            if "@SNIPPET@\n" not in whole:
                sys.exit("%s.c: no @SNIPPET@ line" % context.group(1))
            code = whole.replace("@SNIPPET@\n", code)
        yield code, expected, text.count("\n", 0, m.start()) + 2


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise AssertionError("%s\nexit %d\n%s%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r.stdout


def excerpts(doc, top):
    sources = []
    for d, _, files in os.walk(top):
        sources += [open(os.path.join(d, f)).read() for f in files if f.endswith((".c", ".h"))]
    n = 0
    for code, _, line in blocks(open(doc).read()):
        n += 1
        if not any(code in s for s in sources):
            sys.exit("%s:%d: this excerpt is in no source file under %s" % (doc, line, top))
    if n == 0:
        sys.exit("%s: no C snippets" % doc)
    print("%s: %d excerpts found in %s" % (doc, n, top))


def main():
    if sys.argv[1] == "--excerpts":
        return excerpts(sys.argv[2], sys.argv[3])
    doc, cawait, include, lib = sys.argv[1:5]
    cc = sys.argv[5] if len(sys.argv) > 5 else "cc"
    text = open(doc).read()
    n = ran = 0
    with tempfile.TemporaryDirectory() as tmp:
        for code, expected, line in blocks(text):
            n += 1
            where = "%s:%d" % (doc, line)
            src = os.path.join(tmp, "snippet%d.c" % n)
            gen = os.path.join(tmp, "snippet%d.gen.c" % n)
            with open(src, "w") as f:
                f.write(code)
            flags = ["-std=gnu11", "-D_GNU_SOURCE", "-I", include]
            try:
                run([cc, "-fsyntax-only", "-Wall", *flags, src])
                run([cawait, src, "-o", gen, "--", "-D_GNU_SOURCE"])
                if expected is None:
                    run([cc, "-c", "-Wall", *flags, gen, "-o", os.devnull])
                    continue
                exe = os.path.join(tmp, "snippet%d" % n)
                run([cc, "-Wall", *flags, gen, lib, "-pthread", "-o", exe])
                got = run([exe], timeout=30)
            except AssertionError as e:
                sys.exit("%s: the snippet fails:\n%s" % (where, e))
            if got != expected:
                sys.exit("%s: output differs\n--- expected\n%s--- got\n%s" % (where, expected, got))
            ran += 1
    if n == 0:
        sys.exit("%s: no C snippets" % doc)
    print("%s: %d C snippets compiled, %d run with the expected output" % (doc, n, ran))


if __name__ == "__main__":
    main()
