#!/usr/bin/env python3
"""Check the generated code a document shows.

usage: doc_blocks.py DOC.md FILE...

Each ```text block right after a `<!-- cawait-wrap output -->` line must
appear word for word in one of FILES (the tool's output for the document's
command), so the document cannot drift from what the tool writes."""
import re
import sys


def main():
    doc, files = sys.argv[1], sys.argv[2:]
    text = open(doc).read()
    outputs = [open(f).read() for f in files]
    blocks = list(re.finditer(r"^<!-- cawait-wrap output[^\n]*-->\n```text\n(.*?)^```\n", text, re.S | re.M))
    if not blocks:
        sys.exit("%s: no block marked as cawait-wrap output" % doc)
    for m in blocks:
        if not any(m.group(1) in o for o in outputs):
            line = text.count("\n", 0, m.start()) + 2
            sys.exit("%s:%d: this block is not in the output of cawait-wrap (%s)" % (doc, line, ", ".join(files)))
    print("%s: %d blocks found in cawait-wrap's output" % (doc, len(blocks)))


main()
