#!/usr/bin/env python3
"""A DNS server for the live-DNS benchmark (issue #15): the zones a spool's mail would find on the Internet,
served by a real dnsmasq, behind a proxy that adds the round trip a recursive resolver has (default 20 ms).

It reads the header of every message in the spool and publishes, for the names spearscan will ask:
  - a DKIM key (TXT, an RSA-2048-sized key) at s._domainkey.d for every DKIM-Signature's d= and s=;
  - a DMARC policy at _dmarc.<organisational domain> of two From domains in three (the rest: NXDOMAIN);
  - an SPF record for every envelope domain (Return-Path, smtp.mailfrom) and HELO name: a third with an
    include: of a provider record (itself with an include:), a third with a: and mx: (with their A and MX
    records), a third with ip4: only;
every other name is NXDOMAIN (dnsmasq --local=/#/). Most answers fit a datagram, as on the Internet.

    python3 Benchmarks/dns/serve.py --spool DIR [--delay-ms 20]

prints "PORT <n> NAMES <count>" on stdout once both are up, then serves until it is killed (SIGTERM/SIGINT), and
stops dnsmasq with it. The proxy answers concurrently (asyncio): the delay is latency, not a queue.
"""
import argparse
import asyncio
import base64
import email.parser
import email.policy
import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

DKIM_RE = re.compile(r"\bd=([^;\s]+).*?\bs=([^;\s]+)|\bs=([^;\s]+).*?\bd=([^;\s]+)", re.S)
MAILFROM_RE = re.compile(r"smtp\.mailfrom=([^;\s()]+)", re.I)
HELO_RE = re.compile(r"^\s*from\s+(\S+)", re.I)
ADDR_RE = re.compile(r"<?([^<>\s@]+@[^<>\s@]+?)>?\s*$")


def org(domain: str) -> str:
    labels = domain.split(".")
    if len(labels) >= 3 and labels[-2] in ("co", "ne", "or", "ac", "go", "com", "net", "org"):
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def pick(name: str, n: int) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big") % n


def names_of(spool: str):
    dkim, from_domains, envelope = set(), set(), set()
    parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
    for root, _, files in os.walk(spool):
        for f in files:
            try:
                with open(os.path.join(root, f), "rb") as fh:
                    head = fh.read(65536).split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
            except OSError:
                continue
            msg = parser.parsebytes(head)
            for sig in msg.get_all("DKIM-Signature") or []:
                m = DKIM_RE.search(str(sig))
                if m:
                    d, s = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
                    dkim.add((s.lower(), d.lower()))
            for hdr, into in (("From", from_domains), ("Return-Path", envelope)):
                v = msg.get(hdr)
                if v:
                    m = ADDR_RE.search(str(v).strip())
                    if m:
                        into.add(m.group(1).rsplit("@", 1)[1].lower().strip(".>"))
            for ar in msg.get_all("Authentication-Results") or []:
                for m in MAILFROM_RE.finditer(str(ar)):
                    envelope.add(m.group(1).rsplit("@", 1)[-1].lower())
            for rcv in msg.get_all("Received") or []:
                m = HELO_RE.match(str(rcv))
                if m and "." in m.group(1):
                    envelope.add(m.group(1).lower().strip("[]"))
    return dkim, from_domains, envelope


def records(spool: str):
    dkim, from_domains, envelope = names_of(spool)
    out = []
    for s, d in sorted(dkim):
        key = base64.b64encode(hashlib.sha512(f"{s}.{d}".encode()).digest() * 4 + b"\x01\x00\x01").decode()
        out.append(f"txt-record={s}._domainkey.{d},v=DKIM1; k=rsa; p={key}")
    for o in sorted({org(d) for d in from_domains}):
        if pick(o, 3) != 0:
            out.append(f"txt-record=_dmarc.{o},v=DMARC1; p={'none' if pick(o, 2) else 'quarantine'}; adkim=r")
    providers = set()
    for d in sorted(envelope):
        if not re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", d):
            continue
        kind = pick(d, 3)
        if kind == 0:
            p = f"spf{pick(d, 20)}.provider.example"
            providers.add(p)
            out.append(f"txt-record={d},v=spf1 include:{p} ~all")
        elif kind == 1:
            out.append(f"txt-record={d},v=spf1 a mx ip4:192.0.2.0/24 -all")
            out.append(f"host-record={d},192.0.2.{pick(d, 250) + 1}")
            out.append(f"mx-host={d},mx.{d},10")
            out.append(f"host-record=mx.{d},198.51.100.{pick(d, 250) + 1}")
        else:
            out.append(f"txt-record={d},v=spf1 ip4:198.51.100.0/24 ip4:192.0.2.0/24 -all")
    for p in sorted(providers):
        out.append(f"txt-record={p},v=spf1 ip4:203.0.113.0/24 include:_netblocks.{p} ~all")
        out.append(f"txt-record=_netblocks.{p},v=spf1 ip4:198.51.100.0/24 ip6:2001:db8::/32 ~all")
    return out


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proxy(asyncio.DatagramProtocol):
    """Relays each query to dnsmasq and its reply back after `delay` seconds, all concurrently."""

    def __init__(self, upstream, delay):
        self.upstream, self.delay = upstream, delay

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        asyncio.get_running_loop().create_task(self.relay(data, addr))

    async def relay(self, data, addr):
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setblocking(False)
        try:
            await loop.sock_connect(sock, self.upstream)
            await loop.sock_sendall(sock, data)
            reply = await asyncio.wait_for(loop.sock_recv(sock, 65535), 5)
            await asyncio.sleep(self.delay)
            self.transport.sendto(reply, addr)
        except (OSError, asyncio.TimeoutError):
            pass
        finally:
            sock.close()


async def serve(port, upstream, delay):
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(lambda: Proxy(upstream, delay), local_addr=("127.0.0.1", port))
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spool", required=True)
    ap.add_argument("--delay-ms", type=float, default=20)
    args = ap.parse_args()
    conf = records(args.spool)
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
        f.write("\n".join(conf) + "\n")
        path = f.name
    dport, pport = free_port(), free_port()
    dnsmasq = subprocess.Popen(["/usr/sbin/dnsmasq", "--no-daemon", f"--conf-file={path}", "--pid-file=", "--no-resolv",
                                "--no-hosts", f"--port={dport}", "--listen-address=127.0.0.1", "--bind-interfaces",
                                "--local=/#/", "--cache-size=0", "--dns-forward-max=10000"],
                               stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.3)
        if dnsmasq.poll() is not None:
            sys.exit(f"dnsmasq did not start (conf {path})")
        print(f"PORT {pport} NAMES {len(conf)}", flush=True)
        asyncio.run(serve(pport, ("127.0.0.1", dport), args.delay_ms / 1000))
    finally:
        dnsmasq.terminate()
        dnsmasq.wait()
        os.unlink(path)


if __name__ == "__main__":
    main()
