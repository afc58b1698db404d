"""A minimal HTTP/1.1 client and server launcher for httpd's tests (stdlib only)."""
import os
import re
import signal
import socket
import subprocess
import time


class Server:
    """Runs httpd with the given arguments on a free port; stop() sends a signal."""

    def __init__(self, exe, *args):
        self.proc = subprocess.Popen([exe, "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r":(\d+)/", line)
        if not m:
            self.proc.kill()
            raise AssertionError("httpd did not start: %r %r" % (line, self.proc.stderr.read()))
        self.port = int(m.group(1))
        self.pid = self.proc.pid

    def connect(self, timeout=10):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        return s

    def fds(self):
        return len(os.listdir("/proc/%d/fd" % self.pid))

    def rss_kib(self):
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def cpu_seconds(self):
        with open("/proc/%d/stat" % self.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self, sig=signal.SIGTERM, timeout=20):
        """Signal httpd and return (exit status, stderr)."""
        self.proc.send_signal(sig)
        try:
            _, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
            raise AssertionError("httpd did not stop within %d s after %s" % (timeout, sig))
        return self.proc.returncode, err


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def __repr__(self):
        return "Response(%d, %r, %r)" % (self.status, self.headers, self.body[:80])


def read_response(sock, buf=b"", head_request=False):
    """Read one response from sock; returns (Response or None at EOF, leftover bytes)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            if buf:
                raise AssertionError("connection closed inside a response head: %r" % buf)
            return None, b""
        buf += chunk
    head, _, buf = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3}) ", lines[0])
    assert m, "bad status line %r" % lines[0]
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    length = 0 if head_request else int(headers.get("content-length", "0"))
    while len(buf) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("connection closed inside a body")
        buf += chunk
    return Response(int(m.group(1)), headers, buf[:length]), buf[length:]


def request(method, path, extra="", version="HTTP/1.1"):
    return ("%s %s %s\r\nHost: localhost\r\n%s\r\n" % (method, path, version, extra)).encode()


def wait_closed(sock, timeout):
    """Read until the peer closes (True) or timeout passes (False); data is dropped."""
    sock.settimeout(timeout)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if not sock.recv(65536):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
    return False
