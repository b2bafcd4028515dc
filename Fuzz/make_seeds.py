#!/usr/bin/env python3
"""Writes the generated seed inputs of the fuzz targets that have no corpus of their own (header values, transfer
encodings, SPF records, DNS replies, mbox files and their gzip) under DIR/<target>/. Only the standard library;
every seed is benign text or structure made here. Usage: make_seeds.py DIR"""
import base64
import gzip
import pathlib
import quopri
import struct
import sys

out = pathlib.Path(sys.argv[1])
repo = pathlib.Path(__file__).resolve().parent.parent


def put(target, name, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


headers = [
    '=?UTF-8?B?5rOo5paH5YaF5a6544Gu56K66KqN?=', '=?ISO-2022-JP?B?GyRCQ2 1KOEZNTUYkTjNOR0cbKEI=?=',
    '=?utf-8?q?=E8=AB=8B=E6=B1=82=E6=9B=B8?= =?utf-8?q?=2Epdf?=', '=?Shift_JIS?B?jZGN25he?=',
    'multipart/mixed; boundary="----=_Part_1"', 'attachment; filename*=UTF-8\'\'%E8%AB%8B%E6%B1%82.zip',
    "attachment; filename*0*=iso-2022-jp''%1B%24B; filename*1*=%25%3D%1B%28B.zip", 'text/plain; charset="iso-2022-jp"',
    'application/octet-stream; name="=?UTF-8?B?6LOH5paZLnppcA==?="', '"山田 太郎" <t-yamada@example.co.jp>',
    'Undisclosed recipients:;', 'a@example.jp, "b, c" <b@example.jp>, group: d@example.jp, e@example.jp;',
    '=?UTF-8?B?5oOF5aCx?= <info@example.jp> (comment (nested))', '<@route.example:user@example.jp>',
    'Mon, 10 Jun 2019 09:00:00 +0900', 'Tue, 1 Jan 2019 00:00:00 JST', '10 Jun 19 9:00 GMT', 'Thu, 31 Feb 2019 25:61:61 -2400',
    '2019-06-10T09:00:00+09:00', 'message/rfc822', 'multipart/alternative; boundary=b; charset*=us-ascii\'en\'a',
]
for k, h in enumerate(headers):
    put("header", f"h{k:02}", h)

payload = "注文内容の確認\r\nパスワード: abc123\r\n".encode("utf-8") + bytes(range(256))
put("transfer", "b64", base64.encodebytes(payload))
put("transfer", "b64-unpadded", base64.b64encode(payload[:31]).rstrip(b"="))
put("transfer", "qp", quopri.encodestring(payload))
put("transfer", "qp-soft", b"a=\r\nb=3D=3d=XZ =\r\n  \r\n=E3=81=82")
uu = bytearray(b"begin 644 hello.txt\r\n")
for i in range(0, len(payload), 45):
    chunk = payload[i:i + 45]
    import binascii
    uu += binascii.b2a_uu(chunk).replace(b"\n", b"\r\n")
uu += b"`\r\nend\r\n"
put("transfer", "uu", bytes(uu))
put("transfer", "raw", payload)

spf = [
    "v=spf1 -all", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.example.jp ~all",
    "v=spf1 a mx:mail.example.jp/28//64 ptr ?all", "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all",
    "v=spf1 redirect=_spf.example.jp", "v=spf1 include:%{d2}.example exp=explain.%{d}",
    "v=spf1 a:%{o}%% %{h}%_%- -all", "v=spf1 ip4:192.0.2.1 ip4:192.0.2.1/33 all",
]
for k, r in enumerate(spf):
    put("spf", f"r{k}", r)


def name(n):
    return b"".join(bytes([len(p)]) + p.encode() for p in n.split(".")) + b"\0"


def reply(qid, qname, qtype, answers, rcode=0, flags=0x8180):
    head = struct.pack(">HHHHHH", qid, flags | rcode, 1, len(answers), 0, 0)
    q = name(qname) + struct.pack(">HH", qtype, 1)
    body = b""
    for rtype, rdata, owner in answers:
        body += (owner or b"\xc0\x0c") + struct.pack(">HHIH", rtype, 1, 300, len(rdata)) + rdata
    return head + q + body


txt = b"".join(bytes([len(s)]) + s for s in [b"v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC6", b"NPRcBJ05wPe"])
put("dns", "txt", reply(0x1234, "selector._domainkey.example.jp", 16, [(16, txt, None)]))
put("dns", "a", reply(7, "mail.example.jp", 1, [(1, bytes([192, 0, 2, 1]), None), (1, bytes([192, 0, 2, 2]), None)]))
put("dns", "aaaa", reply(8, "mail.example.jp", 28, [(28, bytes(16), None)]))
put("dns", "mx", reply(9, "example.jp", 15, [(15, struct.pack(">H", 10) + name("mx.example.jp"), None)]))
put("dns", "cname", reply(10, "www.example.jp", 1, [(5, b"\xc0\x10", None), (1, bytes([192, 0, 2, 9]), b"\xc0\x10")]))
put("dns", "nxdomain", reply(11, "none.example.jp", 16, [], rcode=3))
put("dns", "truncated", reply(12, "big.example.jp", 16, [], flags=0x8380))
put("dns", "loop", reply(13, "loop.example.jp", 16, [(16, b"\x01a", b"\xc0\x2a")]))

notices = [
    "先ほどお送りした見積書のパスワードをお知らせいたします。\n\nパスワード：ａｂｃ１２３\n",
    "パスワードは以下のとおりです。\n\n    Xk7pQ2mZ\n", "【パスワード】\nPpap1234#", "Password: 12345678",
    "PW：Zip5555!", "解凍パスワードは「abc123」です。", "先ほどの件です。\n\nq8Rt5vW2\n\nよろしくお願いします。",
    "パスワードは　ａｂｃ１２３　です。", "pass is p@ss w0rd", "ﾊﾟｽﾜｰﾄﾞ=" + "x" * 70,
]
for k, n in enumerate(notices):
    put("password", f"n{k}", n)

links = [
    "詳細はhttps://example.co.jp/order?id=1をご確認ください。", "hxxps://evil[.]example[.]com/a.zip",
    "ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｊｐ／ａ", "<https://example.com/long\n  /path?x=1>", "「https://example.co.jp/f/\n2019/r.zip」",
    '<a href="http://evil.example.net/x">https://www.bank.co.jp/</a><img src=//cdn.example.net/l.png>',
    "本文\n\n-- \nhttps://corp.example.co.jp/\n配信停止 https://news.example.net/u", "http://[2001:db8::1]:8080/ http://192.0.2.1/",
]
for k, t in enumerate(links):
    put("indicators", f"l{k}", t)

# fuzz-filelinks: the first byte picks the kind of file (its order in the harness), the rest is the file.
kinds = {".pdf": 0, ".rtf": 1, ".lnk": 2, ".url": 3, ".desktop": 4, ".js": 5, ".vbs": 6, ".ps1": 7, ".bat": 8}
for p in sorted((repo / "Tests/Fixtures/iocs").iterdir()):
    if p.suffix in kinds:
        put("filelinks", p.name, bytes([kinds[p.suffix]]) + p.read_bytes())
put("filelinks", "rels", bytes([10]) + b'<Relationships><Relationship Id="r" Type="x/hyperlink" '
    b'Target="https://a.example.com/?a=1&amp;b=&#x32;" TargetMode="External"/></Relationships>')
put("filelinks", "html", bytes([9]) + b'<a href="http://evil.example.net/x">https://www.bank.co.jp/</a>')

samples = sorted((repo / "Samples").glob("*.eml"))
mbox = b""
for k, p in enumerate(samples[:4]):
    body = p.read_bytes().replace(b"\r\n", b"\n")
    mbox += b"From sender@example.jp Mon Jun 10 09:00:00 2019\n" + body.replace(b"\nFrom ", b"\n>From ") + b"\n"
put("mbox", "samples.mbox", mbox)
put("mbox", "cl2.mbox", b"From a@b Mon Jun 10 09:00:00 2019\nContent-Length: 12\n\nFrom inside\n\n"
    b"From c@d Mon Jun 10 09:00:01 2019\nContent-Length: 999\n\nshort\n")
put("mbox", "rd.mbox", b"From a@b Mon Jun 10 09:00:00 2019\r\nSubject: x\r\n\r\n>From quoted\r\n>>From twice\r\nFrom \r\n")
put("gzip", "samples.mbox.gz", gzip.compress(mbox, mtime=0))
put("gzip", "members.mbox.gz", gzip.compress(mbox[:200], mtime=0) + gzip.compress(mbox[200:400], mtime=0))
put("gzip", "truncated.mbox.gz", gzip.compress(mbox, mtime=0)[:300])
put("gzip", "garbage.mbox.gz", gzip.compress(b"From a@b Mon Jun 10 09:00:00 2019\n\nx\n", mtime=0) + b"trailing junk")

# Spool learning: messages to an organisation behind a learned provider, a lookalike of a learned correspondent, a
# correspondent's person's name at free mail, the recipients' own name under another TLD.
def office(top, ar, frm, to, extra=""):
    return (f"Received: from filter3.{top} (filter3.{top} [10.20.0.3]) by store1.{top} with LMTP for <{to}>; Wed, 9 Oct 2019 09:00:05 +0900\n"
            + (f"Authentication-Results: mx.{top}; {ar}\n" if ar else "")
            + f"Received: from mail.sender.test (mail.sender.test [203.0.113.9]) by mx01.{top} with ESMTPS for <{to}>; Wed, 9 Oct 2019 09:00:03 +0900\n"
            + f"{extra}From: {frm}\nTo: {to}\nSubject: =?UTF-8?B?5omT5ZCI44Gb?=\nDate: Wed, 9 Oct 2019 09:00:00 +0900\n\nbody\n")

put("learn", "hosted-fail", office("mailshield-cloud.jp", "spf=fail smtp.mailfrom=aoba-kensetsu.co.jp; dmarc=fail header.from=aoba-kensetsu.co.jp",
                                   "=?UTF-8?B?5bGx5pysIOS4gOmDjg==?= <yamamoto@aoba-kensetsu.co.jp>", "sato@hibari-kikaku.co.jp"))
put("learn", "lookalike", office("minato-shoji.co.jp", "dmarc=pass header.from=aoba-kensetsv.co.jp", "eigyo@aoba-kensetsv.co.jp", "k-ito@minato-shoji.co.jp"))
put("learn", "name", office("minato-shoji.co.jp", "dmarc=pass header.from=gmail.com", "=?UTF-8?B?5bGx5pysAOS4gOmDjg==?= <y88@gmail.com>", "k-ito@minato-shoji.co.jp"))
put("learn", "refused", office("minato-shoji.co.jp", None, "x@aoba-kensetzu.co.jp", "k-ito@minato-shoji.co.jp", "Reply-To: x@a0ba-kensetsu.co.jp\n"))

# Milter conversations (what an MTA sends a milter): negotiation, macros, a whole message, an aborted one, quit.
def pkt(cmd, data=b""):
    return struct.pack("!I", len(data) + 1) + cmd + data


def milter_message(qid, body):
    return (pkt(b"D", b"M" + b"i\0" + qid + b"\0") + pkt(b"M", b"<a@example.com>\0SIZE=10\0") + pkt(b"R", b"<b@corp.example.jp>\0")
            + pkt(b"L", b"Subject\0 =?UTF-8?B?5rOo5paH?=\0") + pkt(b"L", b"From\0 a@example.com\0") + pkt(b"N") + pkt(b"B", body) + pkt(b"E"))


milter_start = (pkt(b"O", struct.pack("!III", 6, 0x1FF, 0x1FFFFF)) + pkt(b"D", b"Cj\0mx.example.jp\0")
                + pkt(b"C", b"mail.example.com\0" + b"4" + struct.pack("!H", 25) + b"192.0.2.7\0") + pkt(b"H", b"mail.example.com\0"))
put("milter", "message", milter_start + milter_message(b"Q1", b"hello\r\n") + pkt(b"Q"))
put("milter", "aborted-then-two", milter_start + pkt(b"M", b"<x@example.com>\0") + pkt(b"B", b"half") + pkt(b"A")
    + milter_message(b"Q2", b"one\r\n") + milter_message(b"Q3", b"two\r\n" * 50) + pkt(b"K") + pkt(b"Q"))
put("milter", "unix-client", pkt(b"O", struct.pack("!III", 2, 1, 0)) + pkt(b"C", b"localhost\0U") + milter_message(b"Q4", b"") + pkt(b"Q"))
