#!/usr/bin/env python3
"""samples/echo's smoke test: python3 smoke.py PATH/TO/sample_echo

A server on a free port; three clients at once (one sends 100 KB, more than
a socket buffer takes at once), each must get exactly its words back."""
import re
import subprocess
import sys

exe = sys.argv[1]
server = subprocess.Popen([exe, "server", "0"], stdout=subprocess.PIPE, text=True)
try:
    port = re.match(r"listening on (\d+)", server.stdout.readline()).group(1)
    words = [["hello", "world"], ["x" * 100000, "y"], ["3"]]
    clients = [subprocess.Popen([exe, "client", port, *w], stdout=subprocess.PIPE) for w in words]
    for w, c in zip(words, clients):
        out, _ = c.communicate(timeout=30)
        want = (" ".join(w) + "\n").encode()
        assert c.returncode == 0 and out == want, (c.returncode, out[:60], len(out), len(want))
    assert server.poll() is None, "the server stopped"
finally:
    server.kill()
    server.wait()
print("echo smoke: 3 clients echoed")
