# SPDX-License-Identifier: LGPL-2.1-or-later
"""A hand-rolled client of libvirt's wire protocol for the integration tests:
it sends exactly the bytes a test asks for, including malformed ones, and
decodes what comes back (header, and remote_error for REPLY/ERROR)."""

import socket
import struct
import time

REMOTE = 0x20008086
KEEPALIVE = 0x6B656570
CALL, REPLY, MESSAGE, STREAM, CALL_WITH_FDS, REPLY_WITH_FDS = 0, 1, 2, 3, 4, 5
OK, ERROR = 0, 1
PROC_OPEN, PROC_CLOSE, PROC_GET_TYPE, PROC_SUPPORTS_FEATURE, PROC_AUTH_LIST = 1, 2, 3, 60, 66
PING, PONG = 1, 2


def xdr_string(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b + b"\0" * ((4 - len(b) % 4) % 4)


def packet(prog, vers, proc, typ, serial, status, payload=b""):
    return struct.pack(">IIIiiIi", 28 + len(payload), prog, vers, proc, typ, serial, status) + payload


class Reply:
    def __init__(self, hdr, payload):
        self.prog, self.vers, self.proc, self.type, self.serial, self.status = hdr
        self.payload = payload
        self.code = self.domain = self.level = None
        self.message = None
        if self.type == REPLY and self.status == ERROR:
            self._decode_error()

    def _decode_error(self):
        p = self.payload
        off = 0

        def word():
            nonlocal off
            v = struct.unpack_from(">i", p, off)[0]
            off += 4
            return v

        def opt_string():
            nonlocal off
            if word() == 0:
                return None
            n = word()
            s = p[off:off + n].decode()
            off += n + (4 - n % 4) % 4
            return s

        self.code = word()
        self.domain = word()
        self.message = opt_string()
        self.level = word()

    def __repr__(self):
        r = "prog=%#x v=%d proc=%d type=%d serial=%d status=%d" % (
            self.prog, self.vers, self.proc, self.type, self.serial, self.status)
        if self.code is not None:
            r += " code=%d domain=%d level=%d msg=%r" % (self.code, self.domain, self.level, self.message)
        return r


class Client:
    def __init__(self, path, timeout=5.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.serial = 0
        self.pongs = 0
        self.pings = 0

    def close(self):
        self.sock.close()

    def send_raw(self, data):
        self.sock.sendall(data)

    def call(self, proc, payload=b"", prog=REMOTE, vers=1, typ=CALL, status=OK):
        s = self.serial
        self.serial += 1
        self.send_raw(packet(prog, vers, proc, typ, s, status, payload))
        return s

    def _recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError("daemon closed the connection")
            buf += chunk
        return buf

    def recv(self, answer_pings=True):
        """The next packet that is not keepalive traffic (PINGs are answered)."""
        while True:
            length = struct.unpack(">I", self._recv_exact(4))[0]
            body = self._recv_exact(length - 4)
            hdr = struct.unpack_from(">IIIiIi", body, 0)
            r = Reply(hdr, body[24:])
            if r.prog == KEEPALIVE and r.type == MESSAGE:
                if r.proc == PING:
                    self.pings += 1
                    if answer_pings:
                        self.send_raw(packet(KEEPALIVE, 1, PONG, MESSAGE, 0, OK))
                elif r.proc == PONG:
                    self.pongs += 1
                continue
            return r

    def recv_keepalive(self):
        length = struct.unpack(">I", self._recv_exact(4))[0]
        body = self._recv_exact(length - 4)
        return Reply(struct.unpack_from(">IIIiIi", body, 0), body[24:])

    def expect_eof(self, timeout):
        """True when the daemon closes the connection within timeout seconds
        (everything it sends before is read and dropped)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                if not self.sock.recv(65536):
                    return True
            except socket.timeout:
                return False
            except ConnectionResetError:
                return True
        return False

    def expect_silence(self, timeout):
        """True when nothing arrives within timeout seconds."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
            return False if data else False
        except socket.timeout:
            return True

    def open(self, uri="test:///default", flags=0):
        self.call(PROC_OPEN, struct.pack(">I", 1) + xdr_string(uri) + struct.pack(">I", flags))
        return self.recv()
