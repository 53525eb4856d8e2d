#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""virtkitd against a raw client (TAP): bad input, read-only, keepalive and
the client limit, each case also run against Debian's stock libvirtd (the
reference: it proves the expected answer is libvirtd's) unless the case
says why not.

usage: check-raw.py VIRTKITD

Bad input (the protocol README's lists and more): length 0, 27 and
33554437 close the connection; 33554436 is accepted (the daemon waits for
the body); an unknown type is dropped; a CALL with a status that makes no
sense, an unknown program, version or procedure, a call before
CONNECT_OPEN and undecodable arguments are answered with libvirtd's code
and text; a CALL with a fd count word but type 0 has the word decoded as
arguments (libvirtd's behaviour, so a void procedure answers normally);
a CALL_WITH_FDS announcing more than 32 fds closes; 10,000 calls sent
without reading the replies are all answered.  After each, the daemon is
alive and a second client is served.

Read-only: every procedure of virtkitd's table (--dump-procedures) not
marked readonly-ok is refused on the read-only socket with libvirt's
"read only access prevents virXxx" before its payload is decoded: the
payload sent is 3 bytes, which no XDR argument decodes from (a
readonly-ok procedure with the same payload answers "Unable to decode").

Keepalive: a client that asked feature 10 and never answers is pinged
every keepalive_interval and dropped after keepalive_count pings.  A client
with max_client_requests calls outstanding still gets PONGs: the calls
are DOMAIN_RESTORE from FIFOs, which the test plugin opens for reading and
so waits in open(2) until the test opens the writing end (a real, bounded
way to keep a call running).

Limits: with max_clients = 3, a fourth client is told the limit and the
knob (intended difference: libvirtd leaves it waiting unanswered until a
place frees), and the three keep working.
"""
import os
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from rawrpc import (CALL, CALL_WITH_FDS, ERROR, KEEPALIVE, MESSAGE, OK, PING, PONG, REMOTE,  # noqa: E402
                    Client, packet, xdr_string)

VIRTKITD = sys.argv[1]
tap = harness.Tap()

P_OPEN, P_CLOSE, P_GET_TYPE, P_LOOKUP_BY_NAME, P_RESTORE = 1, 2, 3, 23, 54
P_SUPPORTS_FEATURE, P_AUTH_LIST, P_GET_LIB_VERSION = 60, 66, 157
VIR_ERR_INTERNAL_ERROR, VIR_ERR_RPC, VIR_ERR_OPERATION_DENIED = 1, 39, 29
VIR_FROM_RPC = 7


def has_remote(d):
    c = Client(d.sock)
    try:
        c.call(P_AUTH_LIST)
        r = c.recv()
        return r.status == OK
    finally:
        c.close()


def served(d):
    """A second client: the whole prologue and a call."""
    c = Client(d.sock)
    try:
        c.call(P_AUTH_LIST)
        if c.recv().status != OK:
            return False
        if c.open().status != OK:
            return False
        c.call(P_GET_TYPE)
        return c.recv().status == OK
    except Exception:
        return False
    finally:
        c.close()


def err_is(r, code, message, domain=VIR_FROM_RPC):
    return (r.type == 1 and r.status == ERROR and r.code == code and r.domain == domain
            and r.message == message)


def bad_input(d, name, remote):
    def case(what, fn, needs_remote=True):
        if needs_remote and not remote:
            tap.skip("%s: %s" % (name, what), "this virtkitd has no remote program table")
            return
        try:
            res, diag = fn()
        except Exception as e:  # a case that raises failed
            res, diag = False, repr(e)
        tap.ok(res, "%s: %s" % (name, what), diag)
        if not tap.ok(d.alive() and (served(d) if remote else True),
                      "%s: still up and serving another client after %s" % (name, what), d.log()):
            raise SystemExit(tap.done())

    def length(n, expect_eof):
        def fn():
            c = Client(d.sock)
            c.send_raw(struct.pack(">I", n))
            if 4 < n < 28:
                # libvirtd reads a short packet's body before it closes;
                # virtkitd closes on the length word (intended difference:
                # nothing is read or allocated for a packet known bad)
                try:
                    c.send_raw(b"\0" * (n - 4))
                except OSError:
                    pass
            got = c.expect_eof(2.0) if expect_eof else c.expect_silence(0.5)
            c.close()
            return got, None
        return fn

    for n in (0, 27, 33554437):
        case("length word %d closes the connection" % n, length(n, True), needs_remote=False)
    case("length word 33554436 is accepted (the daemon waits for the body)",
         length(33554436, False), needs_remote=False)

    def ping():
        c = Client(d.sock)
        c.send_raw(packet(KEEPALIVE, 1, PING, MESSAGE, 0, OK))
        r = c.recv_keepalive()
        c.close()
        return (r.prog, r.proc, r.type, r.serial) == (KEEPALIVE, PONG, MESSAGE, 0), repr(r)
    case("PING without feature 10 gets a PONG", ping, needs_remote=False)

    def one(send, check):
        def fn():
            c = Client(d.sock)
            send(c)
            r = c.recv()
            c.close()
            return check(r), repr(r)
        return fn

    case("unknown program", one(lambda c: c.call(1, prog=0x11223344),
                                lambda r: err_is(r, VIR_ERR_RPC, "Cannot find program 287454020 version 1")
                                and r.prog == 0x11223344), needs_remote=False)
    case("keepalive PING sent as a CALL",
         one(lambda c: c.call(PING, prog=KEEPALIVE),
             lambda r: err_is(r, VIR_ERR_RPC, "Cannot find program 1801807216 version 1")),
         needs_remote=False)
    case("unknown version", one(lambda c: c.call(P_GET_TYPE, vers=2),
                                lambda r: err_is(r, VIR_ERR_RPC, "Cannot find program 536903814 version 2")))
    case("unknown procedure 9999", one(lambda c: c.call(9999),
                                       lambda r: err_is(r, VIR_ERR_RPC, "unknown procedure: 9999")))
    case("procedure 0", one(lambda c: c.call(0), lambda r: err_is(r, VIR_ERR_RPC, "unknown procedure: 0")))
    case("a CALL with status 7", one(lambda c: c.call(P_AUTH_LIST, status=7),
                                     lambda r: err_is(r, VIR_ERR_RPC, "Unexpected message status 7")))
    case("a CALL with status ERROR", one(lambda c: c.call(P_AUTH_LIST, status=ERROR),
                                         lambda r: err_is(r, VIR_ERR_RPC, "Unexpected message status 1")))
    case("a call before CONNECT_OPEN",
         one(lambda c: c.call(P_GET_TYPE),
             lambda r: err_is(r, VIR_ERR_INTERNAL_ERROR, "internal error: hypervisor connection not open")))

    def unknown_type():
        c = Client(d.sock)
        c.call(P_AUTH_LIST, typ=9)
        quiet = c.expect_silence(0.5)
        c.call(P_AUTH_LIST)
        r = c.recv()
        c.close()
        return quiet and r.status == OK and r.serial == 1, repr(r)
    case("unknown type 9 is dropped, the connection stays", unknown_type)

    def client_reply():
        c = Client(d.sock)
        c.call(P_AUTH_LIST, typ=1, status=ERROR)
        quiet = c.expect_silence(0.5)
        c.call(P_AUTH_LIST)
        r = c.recv()
        c.close()
        return quiet and r.status == OK, repr(r)
    case("a REPLY from the client is dropped", client_reply)

    def count_on_type0():
        c = Client(d.sock)
        c.call(P_AUTH_LIST, payload=struct.pack(">I", 1))
        r = c.recv()
        c.close()
        return r.status == OK and r.payload == struct.pack(">II", 1, 0), repr(r)
    case("fd count word on a type 0 CALL: decoded as (ignored) arguments", count_on_type0)

    def too_many_fds():
        c = Client(d.sock)
        c.call(P_AUTH_LIST, typ=CALL_WITH_FDS, payload=struct.pack(">I", 33))
        got = c.expect_eof(2.0)
        c.close()
        return got, None
    case("CALL_WITH_FDS announcing 33 fds closes the connection", too_many_fds)

    def truncated():
        c = Client(d.sock)
        c.open()
        c.call(P_LOOKUP_BY_NAME, payload=b"\0\0\0\x09ab")
        r = c.recv()
        c.close()
        return err_is(r, VIR_ERR_RPC, "Unable to decode message payload"), repr(r)
    case("truncated arguments", truncated)

    def flood():
        c = Client(d.sock, timeout=60)
        c.open()
        first = c.serial
        n = 10000

        def send():
            for _ in range(n):
                c.call(P_GET_TYPE)
        t = threading.Thread(target=send)
        t.start()
        seen = set()
        for _ in range(n):
            r = c.recv()
            if r.status != OK:
                t.join()
                return False, repr(r)
            seen.add(r.serial)
        t.join()
        c.close()
        return seen == set(range(first, first + n)), "%d distinct serials" % len(seen)
    case("10,000 calls sent without reading replies: every one answered", flood)


def readonly(d):
    import subprocess
    out = subprocess.run([VIRTKITD, "--dump-procedures"], capture_output=True, text=True, check=True).stdout
    procs = []
    for line in out.splitlines():
        prog, num, name, flags = (line.split() + [""])[:4]
        if int(prog, 16) == REMOTE:
            procs.append((int(num), name, flags))
    if not tap.ok(len(procs) > 0, "read-only: the table lists procedures"):
        return
    c = Client(d.ro_sock)
    c.call(P_AUTH_LIST)
    c.recv()
    tap.ok(c.open(flags=1).status == OK, "read-only: CONNECT_OPEN on the read-only socket")
    refused = []
    wrong = []
    probe = None
    for num, name, flags in procs:
        if "server-only" in flags:
            continue
        if "readonly-ok" in flags:
            # a procedure with arguments, which the 3 bytes cannot fill
            if num == P_LOOKUP_BY_NAME:
                probe = (num, name)
            continue
        c.call(num, payload=b"\xff\xff\xff")
        r = c.recv()
        api = name
        if (r.status == ERROR and r.code == VIR_ERR_OPERATION_DENIED and r.message
                and r.message.startswith("operation forbidden: read only access prevents vir")):
            refused.append(num)
        else:
            wrong.append("%d %s: %r" % (num, api, r))
    tap.ok(not wrong and refused, "read-only: all %d state-changing procedures refused before decoding"
           % len(refused), "\n".join(wrong[:20]))
    if probe:
        c.call(probe[0], payload=b"\xff\xff\xff")
        r = c.recv()
        tap.ok(err_is(r, VIR_ERR_RPC, "Unable to decode message payload"),
               "read-only: the same payload is undecodable for a readonly-ok procedure (%s)" % probe[1],
               repr(r))
    c.close()
    tap.ok(d.alive(), "read-only: daemon alive")


def keepalive_drop(d, name):
    c = Client(d.sock, timeout=10)
    c.call(P_AUTH_LIST)
    c.recv()
    c.call(P_SUPPORTS_FEATURE, payload=struct.pack(">i", 10))
    r = c.recv()
    tap.ok(r.status == OK and r.payload == struct.pack(">i", 1), "%s: feature 10 answered 1 before open" % name,
           repr(r))
    start = time.monotonic()
    pings = 0
    eof = False
    while time.monotonic() - start < 15:
        try:
            r = c.recv_keepalive()
        except EOFError:
            eof = True
            break
        except ConnectionResetError:
            eof = True
            break
        if r.prog == KEEPALIVE and r.proc == PING:
            pings += 1
    elapsed = time.monotonic() - start
    c.close()
    # interval 1 s, count 2: PINGs at +1 and +2, the drop at +3
    tap.ok(eof and pings == 2 and 2.5 <= elapsed < 8,
           "%s: unanswered client dropped after interval x count (%d pings, %.1f s)" % (name, pings, elapsed))


def table(binary):
    import subprocess
    out = subprocess.run([binary, "--dump-procedures"], capture_output=True, text=True, check=True).stdout
    return {int(line.split()[1]) for line in out.splitlines() if int(line.split()[0], 16) == REMOTE}


def open_fifo_writer(path, timeout=5.0):
    """The writing end, once the daemon has the reading end open."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def keepalive_quota(d):
    if P_RESTORE not in table(VIRTKITD):
        tap.skip("keepalive: PONG with max_client_requests outstanding",
                 "DOMAIN_RESTORE (the call kept outstanding on a FIFO) is not in the table yet")
        return
    fifos = []
    for i in range(2):
        p = os.path.join(d.dir, "fifo%d" % i)
        os.mkfifo(p)
        fifos.append(p)
    c = Client(d.sock, timeout=10)
    c.call(P_AUTH_LIST)
    c.recv()
    c.open()
    for p in fifos:
        c.call(P_RESTORE, payload=xdr_string(p))
    time.sleep(0.3)
    quiet = c.expect_silence(0.3)
    c.send_raw(packet(KEEPALIVE, 1, PING, MESSAGE, 0, OK))
    try:
        r = c.recv_keepalive()
        pong = (r.prog, r.proc, r.type) == (KEEPALIVE, PONG, MESSAGE)
    except Exception as e:
        pong, r = False, e
    tap.ok(quiet and pong, "keepalive: PONG while max_client_requests (2) restores wait on FIFOs", repr(r))
    # let them finish: open the writing ends, write nothing, close
    for p in fifos:
        os.close(open_fifo_writer(p))
    answers = [c.recv() for _ in fifos]
    tap.ok(all(a.status == ERROR for a in answers) and sorted(a.serial for a in answers) == [2, 3],
           "keepalive: both restores answered (an empty image is refused) once the FIFOs open",
           repr(answers))
    c.close()


def max_clients(d, name, expect_error):
    cs = []
    for _ in range(3):
        c = Client(d.sock)
        c.call(P_AUTH_LIST)
        c.recv()
        cs.append(c)
    extra = Client(d.sock, timeout=2)
    extra.call(P_AUTH_LIST)
    try:
        r = extra.recv()
    except Exception as e:
        r = e
    if expect_error:
        tap.ok(not isinstance(r, Exception) and r.status == ERROR and "max_clients" in (r.message or "")
               and "3" in (r.message or ""), "%s: max_clients + 1 told the limit" % name, repr(r))
        tap.ok(extra.expect_eof(2.0), "%s: and disconnected" % name)
    else:
        tap.ok(isinstance(r, Exception), "%s: max_clients + 1 waits unanswered (libvirtd)" % name, repr(r))
    extra.close()
    ok = True
    for c in cs:
        s = c.call(P_AUTH_LIST)
        r = c.recv()
        # a reply to each (without a remote table, virtkitd's is an error)
        ok = ok and r.type == 1 and r.serial == s
        c.close()
    tap.ok(ok, "%s: the other clients keep working" % name)


def main():
    why = harness.Libvirtd.available()
    vk = harness.Virtkitd(VIRTKITD).start()
    lv = None
    try:
        remote = has_remote(vk)
        bad_input(vk, "virtkitd", remote)
        if why:
            tap.skip("libvirtd reference", why)
        else:
            lv = harness.Libvirtd().start()
            bad_input(lv, "libvirtd", True)
            lv.stop()
            lv = None
        if remote:
            readonly(vk)
        else:
            tap.skip("read-only", "this virtkitd has no remote program table")
    finally:
        vk.stop()
        if lv:
            lv.stop()

    ka = {"keepalive_interval": 1, "keepalive_count": 2, "max_client_requests": 2}
    vk = harness.Virtkitd(VIRTKITD, **ka).start()
    try:
        if remote:
            keepalive_drop(vk, "virtkitd")
            keepalive_quota(vk)
        else:
            tap.skip("keepalive", "this virtkitd has no remote program table")
    finally:
        vk.stop()
    if not why:
        lv = harness.Libvirtd(**ka).start()
        try:
            keepalive_drop(lv, "libvirtd")
        finally:
            lv.stop()

    vk = harness.Virtkitd(VIRTKITD, max_clients=3).start()
    try:
        max_clients(vk, "virtkitd", True)
    finally:
        vk.stop()
    if not why:
        lv = harness.Libvirtd(max_clients=3).start()
        try:
            max_clients(lv, "libvirtd", False)
        finally:
            lv.stop()
    tap.done()


main()
