"""The MTA side of milter conversations, for spearscan's tests: drives `spearscan milter` with the PyPI
`miltertest` client and prints what came back as JSON, one object for the whole scenario.

usage: mta.py PORT|SOCKET-PATH SCENARIO [MESSAGE...]
scenarios: messages (each MESSAGE on one connection, the first preceded by an aborted one), big (10 MB body in
64 KB chunks), garbage (hostile packets, then a clean connection), offers (what MTAs offering less get),
streamed (no answers asked but the last, as Postfix does), held (a message sent while another connection holds
65,000 bytes), many (200 sessions at once)."""

import json
import socket
import sys
import threading

from miltertest import MilterConnection, constants as c

# A port on 127.0.0.1, or the path of a unix socket.
PORT = sys.argv[1] if sys.argv[1].startswith("/") else int(sys.argv[1])


# The "no reply" steps (SMFIP_NR_*): miltertest's client waits for an answer to every command, so the scenarios
# offer them only where they send without waiting ("streamed"), as Postfix does.
NO_REPLIES = (c.SMFIP_NR_HDR | c.SMFIP_NR_CONN | c.SMFIP_NR_HELO | c.SMFIP_NR_MAIL | c.SMFIP_NR_RCPT | c.SMFIP_NR_DATA
              | c.SMFIP_NR_UNKN | c.SMFIP_NR_EOH | c.SMFIP_NR_BODY)
WAITING = c.SMFI_V6_PROT & ~NO_REPLIES


def connect(actions=c.SMFI_V6_ACTS, protocol=WAITING):
    if isinstance(PORT, str):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(60)
        sock.connect(PORT)
    else:
        sock = socket.create_connection(("127.0.0.1", PORT), timeout=60)
    conn = MilterConnection(sock)
    conn.optneg_mta(actions=actions, protocol=protocol)
    return sock, conn


def split(raw):
    """(headers as (name, value) with folding kept, body) of a message file."""
    raw = raw.replace(b"\r\n", b"\n")
    head, _, body = raw.partition(b"\n\n")
    headers = []
    for line in head.decode("utf-8", "surrogateescape").split("\n"):
        if line[:1] in (" ", "\t") and headers:
            headers[-1][1] += "\n" + line
        elif ":" in line:
            name, _, value = line.partition(":")
            headers.append([name, value])
    # miltertest sends a body given as text, encoded as UTF-8.
    body = body.replace(b"\n", b"\r\n")
    try:
        return headers, body.decode("utf-8")
    except UnicodeDecodeError:
        return headers, body.decode("latin-1")


def message(conn, raw, queue_id, abort=False):
    lead = bool(conn.protocol_flags & 0x100000)
    conn.send_macro(c.SMFIC_MAIL, i=queue_id)
    headers, body = split(raw)
    # The envelope sender: the message's Return-Path when it has one.
    sender = next((v.strip() for n, v in headers if n.lower() == "return-path"), "<sender@example.com>")
    conn.send(c.SMFIC_MAIL, args=[sender])
    conn.send(c.SMFIC_RCPT, args=["<user@corp.example.co.jp>"])
    conn.send_headers([(n, v if lead else v.lstrip(" ")) for n, v in headers])
    conn.send(c.SMFIC_EOH)
    if abort:
        conn.send_ar(c.SMFIC_BODY, buf=body[: len(body) // 2])
        conn._send(c.SMFIC_ABORT)
        return None
    conn.send_body(body)
    replies = conn.send_eom()
    # miltertest stops at a quarantine; the MTA (Postfix's milter8, libmilter) reads on to the final reply.
    if replies[-1][0] == c.SMFIR_QUARANTINE:
        replies.append(conn.recv())
    return [[cmd, {k: (v.decode("utf-8", "replace") if isinstance(v, bytes) else v) for k, v in args.items()}]
            for cmd, args in replies]


def session(conn):
    conn.send(c.SMFIC_CONNECT, hostname="mail.example.com", family="4", port=25, address="192.0.2.7")
    conn.send(c.SMFIC_HELO, helo="mail.example.com")


def scenario_messages(files):
    sock, conn = connect()
    session(conn)
    out = {"flags": conn.protocol_flags, "replies": []}
    raws = [open(f, "rb").read() for f in files]
    message(conn, raws[0], "ABORTED", abort=True)
    for n, raw in enumerate(raws):
        out["replies"].append(message(conn, raw, "Q%d" % n))
    conn._send(c.SMFIC_QUIT)
    sock.close()
    return out


def scenario_big(files):
    sock, conn = connect()
    session(conn)
    raw = b"Subject: big\r\nFrom: a@example.com\r\n\r\n" + (b"x" * 76 + b"\r\n") * (10 * 1024 * 1024 // 78)
    replies = message(conn, raw, "BIG")
    sock.close()
    return {"replies": replies, "size": len(raw)}


def closed(sock):
    sock.settimeout(10)
    try:
        while True:
            if not sock.recv(65536):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def scenario_garbage(files):
    results = {}
    # A length of 2 GB, a zero length, an unknown command, and a header before negotiation.
    for name, data in [("absurd", b"\x7f\xff\xff\xffO"), ("zero", b"\x00\x00\x00\x00"), ("unknown", b"\x00\x00\x00\x01Z"),
                       ("early", b"\x00\x00\x00\x05Lx\x00y\x00"), ("short-optneg", b"\x00\x00\x00\x03O\x00\x00")]:
        sock = socket.create_connection(("127.0.0.1", PORT), timeout=10)
        sock.sendall(data)
        results[name] = closed(sock)
        sock.close()
    sock, conn = connect()
    session(conn)
    results["after"] = message(conn, b"Subject: fine\r\nFrom: a@example.com\r\n\r\nhello\r\n", "AFTER")
    sock.close()
    return results


def scenario_offers(files):
    """What an MTA that does not offer header values with their leading space, and one that does not let the
    milter add headers, get for the same message."""
    raw = open(files[0], "rb").read()
    out = {}
    for name, actions, protocol in [("no-leading-space", c.SMFI_V6_ACTS, WAITING & ~0x100000), ("no-headers", 0, WAITING)]:
        sock, conn = connect(actions, protocol)
        session(conn)
        out[name] = message(conn, raw, name)
        sock.close()
    return out


def scenario_streamed(files):
    """An MTA that lets the milter skip every answer but the last: connect, HELO, envelope, headers and body are
    sent without waiting, then the end of the message; the only packets back must be its answer."""
    sock, conn = connect(protocol=c.SMFI_V6_PROT)
    out = {"flags": conn.protocol_flags, "replies": []}
    for n, f in enumerate(files):
        headers, body = split(open(f, "rb").read())
        if n == 0:
            conn._send(c.SMFIC_CONNECT, hostname="mail.example.com", family="4", port=25, address="192.0.2.7")
            conn._send(c.SMFIC_HELO, helo="mail.example.com")
        conn.send_macro(c.SMFIC_MAIL, i="S%d" % n)
        conn._send(c.SMFIC_MAIL, args=["<sender@example.com>"])
        conn._send(c.SMFIC_RCPT, args=["<user@corp.example.co.jp>"])
        for name, value in headers:
            conn._send(c.SMFIC_HEADER, name=name, value=value)
        conn._send(c.SMFIC_EOH)
        for start in range(0, len(body), c.MILTER_CHUNK_SIZE):
            conn._send(c.SMFIC_BODY, buf=body[start:start + c.MILTER_CHUNK_SIZE])
        replies = conn.send_eom()
        out["replies"].append([[cmd, {k: (v.decode("utf-8", "replace") if isinstance(v, bytes) else v) for k, v in args.items()}]
                               for cmd, args in replies])
    conn._send(c.SMFIC_QUIT)
    sock.close()
    return out


def scenario_held(files):
    """Two connections: the first holds 65,000 bytes of a message it has not ended while the second sends MESSAGE
    whole; then the first ends its message."""
    sa, a = connect()
    session(a)
    a.send_macro(c.SMFIC_MAIL, i="HOLDER")
    a.send(c.SMFIC_MAIL, args=["<sender@example.com>"])
    a.send(c.SMFIC_RCPT, args=["<user@corp.example.co.jp>"])
    a.send_headers([("Subject", " holder")])
    a.send(c.SMFIC_EOH)
    a.send_body("x" * 65000)
    sb, b = connect()
    session(b)
    out = {"second": message(b, open(files[0], "rb").read(), "SECOND")}
    replies = a.send_eom()
    out["first"] = [[cmd, {k: (v.decode("utf-8", "replace") if isinstance(v, bytes) else v) for k, v in args.items()}]
                    for cmd, args in replies]
    sa.close()
    sb.close()
    return out


def scenario_many(files):
    raw = open(files[0], "rb").read()
    results = [None] * 200

    def one(n):
        try:
            sock, conn = connect()
            session(conn)
            results[n] = message(conn, raw, "M%d" % n)
            sock.close()
        except Exception as e:  # noqa: BLE001 - reported in the output
            results[n] = repr(e)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"replies": results}


print(json.dumps(globals()["scenario_" + sys.argv[2]](sys.argv[3:])))
