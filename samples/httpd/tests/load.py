#!/usr/bin/env python3
"""httpd under load and hostile clients, on loopback: python3 load.py PATH/TO/httpd [N]

N (default 10,000, fewer if the fd limit is lower) keep-alive connections
are opened and each gets /hello; while all N stay open, each asks again,
and at the same time hostile clients run: slow clients trickling a request
(slowloris), malformed, oversized and too-long requests, clients that
vanish mid-request or reset the connection, and clients that ask for a
large file and never read it. Every well-behaved request must be answered
correctly; every hostile one must end in the expected status or a close by
the server. Afterwards the server must hold exactly its idle descriptors,
its resident memory must be back near its idle level, and it must stop
cleanly on SIGTERM. Bounded: the whole run takes well under a minute."""
import asyncio
import os
import resource
import socket
import struct
import sys
import tempfile
import time

from httpclient import Server

REQ = b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
HELLO_TAIL = b"\r\n\r\nhello\n"
REQUEST_TIMEOUT_MS = 1500
counts = {}


def count(what):
    counts[what] = counts.get(what, 0) + 1


async def read_hello(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and b"Content-Length: 6\r\n" in head, head
    body = await reader.readexactly(6)
    assert body == b"hello\n", body


async def open_client(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(REQ)
    await read_hello(reader)
    count("first requests")
    return reader, writer


async def again(conn):
    reader, writer = conn
    writer.write(REQ + REQ)  # pipelined pair
    await read_hello(reader)
    await read_hello(reader)
    count("pipelined pairs on open connections")


async def status_then_close(port, data, want, what):
    """Send data; the server must answer with status `want` (or just close when want is None)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        reply = await asyncio.wait_for(reader.read(), 10)  # until the server closes
    except ConnectionResetError:
        reply = b""
    writer.close()
    if want is not None:
        assert reply.startswith(b"HTTP/1.1 %d " % want), (what, reply[:80])
    count(what)


async def slowloris(port):
    """A byte every 200 ms: the server must cut it (408) near --request-timeout."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /hello HTTP/1.1\r\n")
    start = time.monotonic()
    reply = b""
    while time.monotonic() - start < 10:
        try:
            writer.write(b"X")
            await writer.drain()
            reply += await asyncio.wait_for(reader.read(4096), 0.2)
            if reader.at_eof():
                break
        except asyncio.TimeoutError:
            continue
        except (ConnectionResetError, BrokenPipeError):
            break
    writer.close()
    assert reply.startswith(b"HTTP/1.1 408 "), reply[:80]
    count("slow clients cut with 408")


async def vanish(port, i):
    """Connect, send part of a request (or none), and go: half with a reset."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write([b"", b"GET /hel", b"GET /hello HTTP/1.1\r\nHost:", REQ][i % 4])
    await writer.drain()
    if i % 2:
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
    count("vanishing clients")


async def non_reader(port):
    """Ask for a large file and never read it; go after a while."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
    await asyncio.sleep(REQUEST_TIMEOUT_MS / 1000 + 1)
    writer.transport.abort()
    count("clients that never read")


async def in_batches(coros, size):
    out = []
    for i in range(0, len(coros), size):
        out += await asyncio.gather(*coros[i:i + size])
    return out


async def hostile(port):
    jobs = [slowloris(port) for _ in range(100)]
    jobs += [status_then_close(port, b"\x16\x03\x01 not http at all\r\n\r\n", 400, "malformed requests")
             for _ in range(200)]
    jobs += [status_then_close(port, b"GET /hello HTTP/1.1\r\nX: " + b"y" * 20000 + b"\r\n\r\n", 431,
                               "oversized heads") for _ in range(50)]
    jobs += [status_then_close(port, b"GET /" + b"a" * 4000 + b" HTTP/1.1\r\n\r\n", 414, "URLs too long")
             for _ in range(50)]
    jobs += [status_then_close(port, b"POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", 413,
                               "bodies too large") for _ in range(50)]
    jobs += [vanish(port, i) for i in range(400)]
    jobs += [non_reader(port) for _ in range(20)]
    await in_batches(jobs, 300)


async def wait_for(pred, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        await asyncio.sleep(0.1)
    return pred()


async def run(srv, n):
    port = srv.port
    await open_client(port)  # warm up: the loop, its caches, the Date string
    await asyncio.sleep(0.2)
    idle_fds, idle_rss = srv.fds(), srv.rss_kib()

    t0 = time.monotonic()
    conns = await in_batches([open_client(port) for _ in range(n)], 500)
    t_open = time.monotonic() - t0
    cpu_open = srv.cpu_seconds()
    peak_fds = srv.fds()
    assert peak_fds >= idle_fds + n, (peak_fds, idle_fds, n)

    # All n stay open; each asks again while the hostile clients run.
    await asyncio.gather(hostile(port), in_batches([again(c) for c in conns], 1000))
    peak_rss = srv.rss_kib()
    await open_client(port)

    for _, w in conns:
        w.close()
    # "Near idle": at most 5% of what the load added stays resident (the
    # runtime keeps its task slabs, 256 bytes a task, until the loop closes;
    # the connection frames, about 10 KiB each, go back to the system).
    near_idle = idle_rss + 0.05 * (peak_rss - idle_rss)
    settled = await wait_for(lambda: srv.fds() == idle_fds, 15)
    await wait_for(lambda: srv.rss_kib() <= near_idle, 5)
    rss = srv.rss_kib()
    print("connections: %d (opened in %.1f s, server CPU %.2f s by then, %.2f s in all)"
          % (n, t_open, cpu_open, srv.cpu_seconds()))
    print("server fds: idle %d, peak %d, after %d" % (idle_fds, peak_fds, srv.fds()))
    print("server RSS: idle %d KiB, peak %d KiB, after %d KiB (%.1f%% of the growth left)"
          % (idle_rss, peak_rss, rss, 100.0 * (rss - idle_rss) / max(1, peak_rss - idle_rss)))
    for k in sorted(counts):
        print("  %6d %s" % (counts[k], k))
    assert settled, "server holds %d fds, %d when idle" % (srv.fds(), idle_fds)
    assert rss <= near_idle, "RSS %d KiB after, %d KiB idle" % (rss, idle_rss)


def main():
    exe = sys.argv[1]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    n = min(n, hard - 2000)  # room for the hostile clients' sockets
    with tempfile.TemporaryDirectory() as root:
        with open(os.path.join(root, "big.bin"), "wb") as f:
            f.write(os.urandom(8 * 1024 * 1024))
        srv = Server(exe, "--root", root, "--request-timeout", str(REQUEST_TIMEOUT_MS),
                     "--write-timeout", "1500", "--idle-timeout", "60000")
        try:
            asyncio.run(run(srv, n))
        except BaseException:
            srv.proc.kill()
            raise
        rc, err = srv.stop()
        assert rc == 0 and "httpd: stopped\n" in err, (rc, err)
    print("httpd load: passed")


if __name__ == "__main__":
    main()
