#!/usr/bin/env python3
"""httpd's smoke test: python3 smoke.py PATH/TO/httpd

GET /hello, 400 on garbage (and the server goes on), keep-alive, pipelining,
--root files (large ones through sendfile), HEAD, 404/405/414/431/413, a
slow request cut by --request-timeout, --threads, and a clean exit on
SIGTERM and SIGINT with connections open."""
import os
import signal
import sys
import tempfile

from httpclient import Server, read_response, request, wait_closed

checks = 0


def check(cond, what):
    global checks
    if not cond:
        raise AssertionError(what)
    checks += 1


def get(srv, path, method="GET"):
    with srv.connect() as s:
        s.sendall(request(method, path, "Connection: close\r\n"))
        r, _ = read_response(s, head_request=(method == "HEAD"))
        return r


def test_basics(srv, root, big):
    r = get(srv, "/hello")
    check(r.status == 200 and r.body == b"hello\n", "GET /hello: %r" % r)
    check(r.headers["content-type"].startswith("text/plain"), "/hello is text/plain: %r" % r)
    check(r.headers.get("connection") == "close", "Connection: close echoed: %r" % r)

    r = get(srv, "/hello?x=1")
    check(r.status == 200 and r.body == b"hello\n", "query ignored: %r" % r)

    # Garbage: 400 and the connection closes; the server keeps serving.
    with srv.connect() as s:
        s.sendall(b"\x00\x01GARBAGE / ???\r\n\r\n")
        r, _ = read_response(s)
        check(r is not None and r.status == 400, "garbage gets 400: %r" % r)
        check(wait_closed(s, 5), "connection closed after 400")
    r = get(srv, "/hello")
    check(r.status == 200, "still serving after a 400")

    # Keep-alive: three requests on one connection.
    with srv.connect() as s:
        buf = b""
        for i in range(3):
            s.sendall(request("GET", "/hello"))
            r, buf = read_response(s, buf)
            check(r.status == 200 and r.body == b"hello\n", "keep-alive request %d: %r" % (i, r))
            check("connection" not in r.headers, "keep-alive response %d has no Connection: close" % i)

    # HTTP/1.0 closes unless asked to keep alive.
    with srv.connect() as s:
        s.sendall(request("GET", "/hello", version="HTTP/1.0"))
        r, _ = read_response(s)
        check(r.status == 200 and wait_closed(s, 5), "HTTP/1.0 closes")
    with srv.connect() as s:
        s.sendall(request("GET", "/hello", "Connection: keep-alive\r\n", "HTTP/1.0") * 2)
        r, buf = read_response(s)
        r2, _ = read_response(s, buf)
        check(r.headers.get("connection") == "keep-alive" and r2.status == 200, "HTTP/1.0 keep-alive")

    # Pipelining: 50 requests in one write (some to files, one HEAD), answered in order.
    with srv.connect() as s:
        paths = ["/hello" if i % 3 else "/small.txt" for i in range(50)]
        s.sendall(b"".join(request("GET", p) for p in paths) + request("HEAD", "/hello", "Connection: close\r\n"))
        buf = b""
        for i, p in enumerate(paths):
            r, buf = read_response(s, buf)
            want = b"hello\n" if p == "/hello" else b"small file\n"
            check(r is not None and r.status == 200 and r.body == want, "pipelined %d %s: %r" % (i, p, r))
        r, buf = read_response(s, buf, head_request=True)
        check(r.status == 200 and r.headers["content-length"] == "6" and buf == b"", "HEAD: %r %r" % (r, buf))
        check(wait_closed(s, 5), "closed after the pipelined Connection: close")

    # --root: a large file (sendfile, many waits for writability), index.html, 404s.
    r = get(srv, "/big.bin")
    check(r.status == 200 and r.body == big, "big file intact (%d bytes)" % len(r.body))
    check(r.headers["content-type"] == "application/octet-stream", "big file type")
    r = get(srv, "/")
    check(r.status == 200 and r.body == b"<h1>index</h1>\n" and r.headers["content-type"].startswith("text/html"),
          "index.html: %r" % r)
    r = get(srv, "/sub/a%20b.txt")
    check(r.status == 200 and r.body == b"spaced\n", "percent-decoded path: %r" % r)
    for bad in ["/nope", "/../smoke-secret", "/sub/../../smoke-secret", "/%2e%2e/smoke-secret", "/sub", "/a%00b"]:
        r = get(srv, bad)
        check(r.status == 404, "%s is 404: %r" % (bad, r))

    r = get(srv, "/hello", method="POST")
    check(r.status == 405 and r.headers.get("allow") == "GET, HEAD", "POST gets 405: %r" % r)

    # Limits: a long URL, a huge head, a huge declared body.
    for what, data, want in [
        ("URL", request("GET", "/" + "a" * 5000), 414),
        ("head", request("GET", "/hello", "X-Big: %s\r\n" % ("b" * 20000)), 431),
        ("body", request("POST", "/hello", "Content-Length: 100000000\r\n"), 413),
    ]:
        with srv.connect() as s:
            s.sendall(data)
            r, _ = read_response(s)
            check(r is not None and r.status == want, "too long %s: %d expected, got %r" % (what, want, r))
    r = get(srv, "/hello")
    check(r.status == 200, "still serving after the limits")


def test_timeouts(srv):
    # A request that never ends is cut (408) after --request-timeout, however
    # slowly it trickles in; an idle connection is closed after --idle-timeout.
    with srv.connect() as slow, srv.connect() as idle:
        slow.sendall(b"GET /hello HTTP/1.1\r\nX-")
        r, _ = read_response(slow)
        check(r is not None and r.status == 408, "slow request gets 408: %r" % r)
        check(wait_closed(idle, 10), "idle connection closed")


def test_stop(exe, sig, *args):
    srv = Server(exe, *args)
    idle = srv.connect()
    half = srv.connect()
    half.sendall(b"GET /hel")
    ka = srv.connect()
    ka.sendall(request("GET", "/hello"))
    r, _ = read_response(ka)
    check(r.status == 200, "served before stopping")
    rc, err = srv.stop(sig)
    check(rc == 0 and "httpd: stopped\n" in err and "tasks left" not in err,
          "clean exit on signal %d: status %d, stderr %r" % (sig, rc, err))
    for s in (idle, half, ka):
        check(wait_closed(s, 5), "connection closed at shutdown")
        s.close()


def main():
    exe = sys.argv[1]
    with tempfile.TemporaryDirectory() as top:
        root = os.path.join(top, "www")
        os.makedirs(os.path.join(root, "sub"))
        with open(os.path.join(top, "smoke-secret"), "w") as f:
            f.write("outside root\n")
        big = os.urandom(3 * 1024 * 1024 + 17)
        for name, data in [("index.html", b"<h1>index</h1>\n"), ("small.txt", b"small file\n"),
                           ("big.bin", big), ("sub/a b.txt", b"spaced\n")]:
            with open(os.path.join(root, name), "wb") as f:
                f.write(data)

        srv = Server(exe, "--root", root)
        try:
            test_basics(srv, root, big)
        finally:
            rc, err = srv.stop()
        check(rc == 0, "exit status after the basics: %d %r" % (rc, err))

        srv = Server(exe, "--request-timeout", "300", "--idle-timeout", "300")
        try:
            test_timeouts(srv)
        finally:
            srv.stop()

        test_stop(exe, signal.SIGTERM)
        test_stop(exe, signal.SIGINT, "--threads", "3", "--root", root)

        srv = Server(exe, "--threads", "2")
        for i in range(20):
            r = get(srv, "/hello")
            check(r.status == 200, "--threads 2, request %d" % i)
        rc, _ = srv.stop()
        check(rc == 0, "--threads 2 stops cleanly")
    print("httpd smoke: %d checks passed" % checks)


if __name__ == "__main__":
    main()
