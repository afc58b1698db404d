#!/usr/bin/env python3
"""Check the code a document shows: generated code and the use of it.

usage: doc_blocks.py DOC.md FILE...

Each ```text block right after a `<!-- cawait-wrap output -->` line must
appear word for word in one of FILES (the tool's output for the document's
commands), so the document cannot drift from what the tool writes. Each
```text block right after a `<!-- excerpt of PATH -->` line must appear word
for word in PATH (relative to the repository, the document's folder's
parent): a test that compiles and runs it."""
import os
import re
import sys


def main():
    doc, files = sys.argv[1], sys.argv[2:]
    root = os.path.dirname(os.path.dirname(os.path.abspath(doc)))
    text = open(doc).read()
    outputs = [open(f).read() for f in files]
    blocks = list(re.finditer(r"^<!-- (cawait-wrap output|excerpt of ([^ ]+))[^\n]*-->\n```text\n(.*?)^```\n",
                              text, re.S | re.M))
    if not any(m.group(1) == "cawait-wrap output" for m in blocks):
        sys.exit("%s: no block marked as cawait-wrap output" % doc)
    for m in blocks:
        line = text.count("\n", 0, m.start()) + 2
        if m.group(2):
            if m.group(3) not in open(os.path.join(root, m.group(2))).read():
                sys.exit("%s:%d: this block is not in %s" % (doc, line, m.group(2)))
        elif not any(m.group(3) in o for o in outputs):
            sys.exit("%s:%d: this block is not in the output of cawait-wrap (%s)" % (doc, line, ", ".join(files)))
    print("%s: %d blocks found in cawait-wrap's output or the tests" % (doc, len(blocks)))


main()
