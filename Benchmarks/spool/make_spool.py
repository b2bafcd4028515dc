#!/usr/bin/env python3
"""Deterministic benchmark spool for spearscan (issues #5 and #7).

    python3 Benchmarks/spool/make_spool.py --count 20000 --seed 1 --out /tmp/spool --formats maildir,mbox,eml

Writes the same N messages, byte for byte, as a Maildir (OUT/maildir/{cur,new,tmp}), one mboxrd file
(OUT/spool.mbox) and a tree of .eml files (OUT/eml/NNN/NNNNNN.eml), plus OUT/truth.json: the campaigns that were
generated (which messages, which distinct recipients, bulk-type by the 10-recipient rule) so that tests and
benchmarks can check spearscan's correlation.

Standard library only. Everything comes from one random.Random(seed) and from the benign fixture files in
Tests/Fixtures/files/: no clock, no os.urandom, no dict-order surprises, so the same seed and the same Python
3.11 give the same bytes. Every "lure" is harmless: scripts only echo a line, the PE is the fixtures' hello-world
with a few bytes of overlay appended, every host is an example domain.

The mix is modelled on corporate traffic (Japanese company, 2019–2020, +0900):
  * ordinary mail (about 93 %): plain text, HTML, multipart/alternative, multipart/related with an inline logo
    (the same few logo PNGs recur in thousands of messages), office documents and PDFs made per message,
    Japanese in ISO-2022-JP / Shift_JIS / UTF-8 with RFC 2047 subjects, base64 and quoted-printable, Received
    chains, DKIM-Signature-looking headers (not real signatures), replies that quote earlier text;
    about 0.5 % of messages are 1–5 MB (a scanned PDF or photo);
  * newsletters: the same text to many recipients, bulk but not an attack;
  * lures (a few %): zip, ZipCrypto zip with the password in the body (パスワード: xxxx), LZH, a PE, and, from the
    fixtures, 7z, ISO (.lnk inside), nested zip, docx that is a zip of an exe ...;
  * campaigns: the same lure to >= 10 recipients (one message with many To/Cc, or many messages, or a mix),
    campaigns of exactly 9 and exactly 10, the same text in different charsets and transfer encodings, and
    personalised variants (name in the greeting, different order number) that only a fuzzy hash links.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime as dt
import email.header
import email.parser
import email.policy
import email.utils
import hashlib
import io
import json
import math
import os
import random
import re
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIXTURES = REPO / "Tests" / "Fixtures" / "files"

JST = dt.timezone(dt.timedelta(hours=9))
START = dt.datetime(2019, 1, 1, tzinfo=JST)
END = dt.datetime(2020, 12, 31, 23, 59, tzinfo=JST)
ZIP_TIME = (2019, 6, 10, 0, 0, 0)  # fixed member times: zipfile would otherwise not stamp, but be explicit

# ----------------------------------------------------------------------------------------------------------------
# People and organisations. Only reserved example domains (RFC 2606 and JPRS's example.jp / example.co.jp).
# ----------------------------------------------------------------------------------------------------------------

SURNAMES = [("sato", "佐藤"), ("suzuki", "鈴木"), ("takahashi", "高橋"), ("tanaka", "田中"), ("watanabe", "渡辺"),
            ("ito", "伊藤"), ("yamamoto", "山本"), ("nakamura", "中村"), ("kobayashi", "小林"), ("kato", "加藤"),
            ("yoshida", "吉田"), ("yamada", "山田"), ("sasaki", "佐々木"), ("yamaguchi", "山口"), ("matsumoto", "松本"),
            ("inoue", "井上"), ("kimura", "木村"), ("hayashi", "林"), ("shimizu", "清水"), ("mori", "森"),
            ("ikeda", "池田"), ("hashimoto", "橋本"), ("ishikawa", "石川"), ("ogawa", "小川"), ("okada", "岡田")]
GIVEN = [("hiroshi", "博"), ("takashi", "隆"), ("makoto", "誠"), ("yuki", "由紀"), ("akiko", "明子"),
         ("kenji", "健二"), ("naoko", "直子"), ("satoshi", "聡"), ("tomoko", "智子"), ("daisuke", "大輔"),
         ("emi", "恵美"), ("kazuya", "和也"), ("mika", "美香"), ("ryo", "亮"), ("yoko", "洋子"), ("jun", "純")]
# The labelled office mail's people (four tenants, eight partners, honest free-mail writers) draw from larger
# pools: real Japanese full names collide, but not as often as 25 surnames x 16 given names would make them.
OFFICE_SURNAMES = SURNAMES + [x for x in [("yamazaki", "山崎"), ("mori", "森"), ("abe", "阿部"), ("ishii", "石井"), ("saito", "斎藤"), ("nakajima", "中島"), ("maeda", "前田"), ("fujita", "藤田"), ("ogawa", "小川"), ("goto", "後藤"), ("okada", "岡田"), ("hasegawa", "長谷川"), ("murakami", "村上"), ("kondo", "近藤"), ("ishida", "石田"), ("sakamoto", "坂本"), ("endo", "遠藤"), ("aoki", "青木"), ("fujii", "藤井"), ("nishimura", "西村"), ("fukuda", "福田"), ("ota", "太田"), ("miura", "三浦"), ("fujiwara", "藤原"), ("okamoto", "岡本"), ("matsuda", "松田"), ("nakagawa", "中川"), ("nakano", "中野"), ("harada", "原田"), ("ono", "小野"), ("tamura", "田村"), ("takeuchi", "竹内"), ("kaneko", "金子"), ("wada", "和田"), ("nakayama", "中山"), ("ishihara", "石原"), ("ueda", "上田"), ("morita", "森田"), ("hara", "原"), ("shibata", "柴田"), ("sakai", "酒井"), ("kudo", "工藤"), ("yokoyama", "横山"), ("miyazaki", "宮崎"), ("miyamoto", "宮本"), ("uchida", "内田"), ("takagi", "高木"), ("ando", "安藤"), ("taniguchi", "谷口"), ("ohno", "大野"), ("maruyama", "丸山"), ("imai", "今井"), ("takada", "高田"), ("fujimoto", "藤本"), ("takeda", "武田"), ("murata", "村田"), ("ueno", "上野"), ("sugiyama", "杉山"), ("masuda", "増田"), ("sugawara", "菅原"), ("hirano", "平野"), ("otsuka", "大塚"), ("chiba", "千葉"), ("kubo", "久保"), ("matsui", "松井"), ("iwasaki", "岩崎"), ("sakurai", "桜井"), ("kinoshita", "木下"), ("noguchi", "野口"), ("matsuo", "松尾"), ("kikuchi", "菊地"), ("nomura", "野村"), ("arai", "新井"), ("watanabe", "渡部")] if x[1] not in {j for _, j in SURNAMES}]
OFFICE_GIVEN = GIVEN + [x for x in [("takuya", "拓也"), ("shota", "翔太"), ("naoki", "直樹"), ("tetsuya", "哲也"), ("hideki", "秀樹"), ("masato", "雅人"), ("kenta", "健太"), ("yusuke", "祐介"), ("koji", "浩二"), ("shinji", "伸二"), ("ryota", "亮太"), ("tomoya", "智也"), ("yuji", "裕司"), ("akira", "明"), ("osamu", "修"), ("minoru", "稔"), ("shigeru", "茂"), ("kaori", "香織"), ("megumi", "恵"), ("yumi", "由美"), ("kumiko", "久美子"), ("junko", "順子"), ("mayumi", "真由美"), ("sachiko", "幸子"), ("keiko", "恵子"), ("noriko", "典子"), ("haruka", "遥"), ("ayaka", "彩花"), ("misaki", "美咲"), ("nanami", "七海"), ("yui", "結衣"), ("rie", "理恵"), ("mai", "舞"), ("aya", "綾"), ("chika", "千佳"), ("asami", "麻美"), ("erika", "恵理香"), ("hiromi", "弘美"), ("masako", "雅子"), ("reiko", "玲子"), ("yoshiko", "佳子"), ("atsushi", "淳"), ("masahiro", "昌宏"), ("kazuhiro", "和弘")] if x[1] not in {j for _, j in GIVEN}]
# Internal organisations (the recipients) and outside correspondents (senders of ordinary mail).
# One organisation under one registrable domain: a company that also owns example.jp would send internal mail
# that reads, in one message, exactly like the TLD-swap lookalike an attacker registers (example.jp for
# example.co.jp); telling the two apart needs the spool's history (learned correspondents), not one message.
INTERNAL = ["example.co.jp", "rd.example.co.jp", "tokyo.example.co.jp", "branch.example.co.jp"]
OUTSIDE = ["example.com", "example.net", "example.org", "partner.example", "customer.example", "ne.example",
           "univ.example", "gov.example"]
# Outside organisations a think-tank style lure goes to: one campaign reaches >= 10 of them (bulk by --bulk-unit domain).
ORGS = [f"{n}.example" for n in ("institute-a", "institute-b", "univ-c", "univ-d", "think-e", "press-f", "agency-g",
                                 "ministry-h", "council-i", "society-j", "forum-k", "center-l", "lab-m", "foundation-n")]
DEPTS = ["総務部", "経理部", "営業部", "研究開発部", "情報システム部", "人事部", "広報室", "購買部"]
COMPANIES = ["株式会社サンプル", "サンプル商事株式会社", "例示工業株式会社", "テスト電機株式会社", "見本物産株式会社"]
COMPANIES_EN = ["Sample Inc.", "Sample Trading Co., Ltd.", "Reiji Industries Co., Ltd.", "Test Electric Co., Ltd.",
                "Mihon Bussan Co., Ltd."]


@dataclass(frozen=True)
class Person:
    local: str
    domain: str
    name_ja: str
    name_en: str
    surname_ja: str

    @property
    def addr(self) -> str:
        return f"{self.local}@{self.domain}"


def make_people(rng: random.Random, domains: list[str], n: int, surnames=None, given=None) -> list[Person]:
    """n distinct people spread over domains; addresses like h-sato@example.co.jp."""
    seen: set[str] = set()
    out: list[Person] = []
    while len(out) < n:
        (s_en, s_ja), (g_en, g_ja) = rng.choice(surnames or SURNAMES), rng.choice(given or GIVEN)
        dom = rng.choice(domains)
        local = rng.choice([f"{g_en[0]}-{s_en}", f"{g_en}.{s_en}", f"{s_en}{rng.randint(1, 99)}"])
        if f"{local}@{dom}" in seen:
            continue
        seen.add(f"{local}@{dom}")
        out.append(Person(local, dom, f"{s_ja} {g_ja}", f"{g_en.title()} {s_en.title()}", s_ja))
    return out


# ----------------------------------------------------------------------------------------------------------------
# Low-level MIME writing. We write bytes by hand (LF line ends, as in a Unix spool) so that the layout is exactly
# what we mean and does not depend on the email package's generator.
# ----------------------------------------------------------------------------------------------------------------

def b64_lines(data: bytes) -> str:
    s = base64.b64encode(data).decode("ascii")
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76)) + "\n"


def qp(data: bytes) -> str:
    out = binascii.b2a_qp(data, istext=True).decode("ascii")
    return out if out.endswith("\n") else out + "\n"


def encoded_words(text: str, charset: str, enc: str = "B") -> str:
    """RFC 2047 header value: pure ASCII passes; otherwise short self-contained encoded-words folded with a space.
    Each ISO-2022-JP word ends back in ASCII because every chunk is encoded on its own."""
    if text.isascii():
        return text
    codec = {"ISO-2022-JP": "iso2022_jp", "Shift_JIS": "shift_jis", "UTF-8": "utf-8"}[charset]
    words = []
    for i in range(0, len(text), 12):
        raw = text[i:i + 12].encode(codec)
        if enc == "B":
            words.append(f"=?{charset}?B?{base64.b64encode(raw).decode()}?=")
        else:
            q = "".join(chr(b) if (chr(b).isalnum() and b < 128) else f"={b:02X}" for b in raw)
            words.append(f"=?{charset}?Q?{q}?=")
    return "\n ".join(words)


def addr_header(people: list[Person], charset: str) -> str:
    parts = []
    for p in people:
        parts.append(f"{encoded_words(p.name_ja, charset)} <{p.addr}>" if charset != "ascii" else f"\"{p.name_en}\" <{p.addr}>")
    return ",\n ".join(parts)


def text_part(text: str, charset: str, cte: str, subtype: str = "plain") -> str:
    """A leaf text part in the given charset and transfer encoding (7bit only for ISO-2022-JP / ASCII)."""
    codec = {"ISO-2022-JP": "iso2022_jp", "Shift_JIS": "shift_jis", "UTF-8": "utf-8", "us-ascii": "ascii"}[charset]
    raw = text.encode(codec)
    head = f"Content-Type: text/{subtype}; charset=\"{charset}\"\nContent-Transfer-Encoding: {cte}\n\n"
    if cte == "base64":
        return head + b64_lines(raw)
    if cte == "quoted-printable":
        return head + qp(raw)
    return head + raw.decode("latin-1" if cte == "8bit" else "ascii") + ("" if text.endswith("\n") else "\n")


def multipart(subtype: str, boundary: str, parts: list[str], extra: str = "") -> str:
    body = f"Content-Type: multipart/{subtype};{extra}\n boundary=\"{boundary}\"\n\n"
    body += "This is a multi-part message in MIME format.\n\n"
    for p in parts:
        body += f"--{boundary}\n{p}\n"
    return body + f"--{boundary}--\n"


def attachment_part(name: str, ctype: str, data: bytes, charset: str = "UTF-8", inline_cid: str | None = None) -> str:
    """base64 attachment; non-ASCII names as RFC 2047 in name= (what Outlook/Becky send) and RFC 2231 filename*."""
    if name.isascii():
        n_param, f_param = f'name="{name}"', f'filename="{name}"'
    else:
        n_param = f'name="{encoded_words(name, charset)}"'
        f_param = "filename*=UTF-8''" + "".join(
            chr(b) if b < 128 and (chr(b).isalnum() or chr(b) in ".-_") else f"%{b:02X}" for b in name.encode("utf-8"))
    if inline_cid:
        return (f"Content-Type: {ctype}; {n_param}\nContent-Transfer-Encoding: base64\n"
                f"Content-ID: <{inline_cid}>\nContent-Disposition: inline; {f_param}\n\n" + b64_lines(data))
    return (f"Content-Type: {ctype};\n {n_param}\nContent-Transfer-Encoding: base64\n"
            f"Content-Disposition: attachment;\n {f_param}\n\n" + b64_lines(data))


# ----------------------------------------------------------------------------------------------------------------
# Files: generated per message (unique) or taken from the fixtures (shared on purpose).
# ----------------------------------------------------------------------------------------------------------------

def png(width: int, height: int, color: tuple[int, int, int], stripe: int) -> bytes:
    """A small real PNG (RGB, a coloured band with stripes and a little seeded noise, so that it weighs a few KB
    like a real logo): recurs as the inline logo of one organisation, or is a one-off "photo"."""
    noise = random.Random(f"png:{width}:{height}:{color}:{stripe}")
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            on = (x // stripe + y // stripe) % 2 == 0 and 8 < y < height - 8
            row += bytes(min(255, c + noise.randrange(12)) for c in color) if on else b"\xff\xff\xff"
        rows.append(bytes(row))
    def chunk(t: bytes, d: bytes) -> bytes:
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")


def pdf(text_lines: list[str], filler: bytes = b"") -> bytes:
    """A minimal valid one-page PDF with the given (ASCII) lines; `filler` is an extra binary stream (scans)."""
    content = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(
        "(" + ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for ln in text_lines) + " ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content.encode() + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    if filler:
        objs.append(b"<< /Length %d >>\nstream\n" % len(filler) + filler + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def zip_bytes(members: list[tuple[str, bytes]], compress: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


# OOXML boilerplate parts: byte-identical in every generated docx/xlsx, as in real Office files. A correlator that
# fingerprints archive members must not turn them into campaigns; truth.json lists their hashes as recurring_benign.
DOCX_CT = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
           b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
           b'<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
           b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
DOCX_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
XLSX_CT = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
           b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
           b'<Default Extension="xml" ContentType="application/xml"/>'
           b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
           b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
XLSX_RELS = DOCX_RELS.replace(b"word/document.xml", b"xl/workbook.xml")
XLSX_WB = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
XLSX_WB_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


JFIF = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


def jpeg(blob: bytes) -> bytes:
    """JFIF markers around incompressible bytes: libmagic and file-type sniffers call it a JPEG, as they should."""
    return JFIF + blob + b"\xff\xd9"


def sized(r: random.Random, median: int, cap: int) -> int:
    """A log-normal size: most attachments are tens of KB, a few are hundreds (as in real mail)."""
    return int(min(cap, max(median // 8, r.lognormvariate(math.log(median), 0.9))))


def docx(paragraphs: list[str], media: bytes = b"") -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{xml_escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/'
           f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>').encode()
    members = [("[Content_Types].xml", DOCX_CT), ("_rels/.rels", DOCX_RELS), ("word/document.xml", doc)]
    if media:  # a pasted picture, stored as Word does for JPEGs
        members.append(("word/media/image1.jpeg", media))
    return zip_bytes(members)


def xlsx(rows: list[list[int | str]]) -> bytes:
    cells = []
    for r, row in enumerate(rows, 1):
        cs = "".join(f'<c r="{chr(65 + c)}{r}"><v>{v}</v></c>' if isinstance(v, int)
                     else f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{xml_escape(v)}</t></is></c>' for c, v in enumerate(row))
        cells.append(f'<row r="{r}">{cs}</row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><sheetData>{"".join(cells)}</sheetData></worksheet>').encode()
    return zip_bytes([("[Content_Types].xml", XLSX_CT), ("_rels/.rels", XLSX_RELS), ("xl/workbook.xml", XLSX_WB),
                      ("xl/_rels/workbook.xml.rels", XLSX_WB_RELS), ("xl/worksheets/sheet1.xml", sheet)])


_CRC_TABLE = [0] * 256
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ 0xEDB88320 if _c & 1 else _c >> 1
    _CRC_TABLE[_i] = _c


def zipcrypto_zip(name: str | bytes, data: bytes, password: bytes, rng: random.Random) -> bytes:
    """A one-member stored zip encrypted with traditional PKWARE (ZipCrypto), which stdlib zipfile can read but not
    write. The 12-byte encryption header comes from the seeded rng, so the bytes repeat."""
    keys = [0x12345678, 0x23456789, 0x34567890]
    def crc_byte(c: int, b: int) -> int:
        return _CRC_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    def update(b: int) -> None:
        keys[0] = crc_byte(keys[0], b)
        keys[1] = (keys[1] + (keys[0] & 0xFF)) & 0xFFFFFFFF
        keys[1] = (keys[1] * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc_byte(keys[2], keys[1] >> 24)
    def enc(b: int) -> int:
        t = (keys[2] | 2) & 0xFFFF
        c = b ^ (((t * (t ^ 1)) >> 8) & 0xFF)
        update(b)
        return c
    for b in password:
        update(b)
    crc = zlib.crc32(data) & 0xFFFFFFFF
    header = bytes(rng.randrange(256) for _ in range(11)) + bytes([crc >> 24])
    body = bytes(enc(b) for b in header + data)
    raw = name if isinstance(name, bytes) else name.encode()  # bytes: e.g. CP932 without the UTF-8 flag, as Windows writes
    dos_time, dos_date = 0, ((2019 - 1980) << 9) | (6 << 5) | 10
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 1, 0, dos_time, dos_date, crc, len(body), len(data), len(raw), 0) + raw
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 1, 0, dos_time, dos_date, crc, len(body), len(data),
                          len(raw), 0, 0, 0, 0, 0o644 << 16, 0) + raw
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(body), 0)
    return local + body + central + eocd


def lzh_level0(name: bytes, data: bytes) -> bytes:
    """LHA level-0 header, method -lh0- (stored), as in make_fixtures.sh; name bytes as given (Shift_JIS ok)."""
    crc16 = 0
    for b in data:
        crc16 ^= b
        for _ in range(8):
            crc16 = (crc16 >> 1) ^ 0xA001 if crc16 & 1 else crc16 >> 1
    dos = (((2019 - 1980) << 9) | (6 << 5) | 10) << 16
    rest = b"-lh0-" + struct.pack("<IIIBB", len(data), len(data), dos, 0x20, 0) + bytes([len(name)]) + name + struct.pack("<H", crc16)
    return bytes([len(rest), sum(rest) & 0xFF]) + rest + data + b"\x00"


def benign_script(kind: str, tag: str) -> bytes:
    """A script that only prints one line naming the benchmark and its tag (the tag makes each payload unique)."""
    if kind == "js":
        return f'WScript.Echo("spearscan benchmark payload {tag}: harmless");\r\n'.encode()
    if kind == "vbs":
        return f'WScript.Echo "spearscan benchmark payload {tag}: harmless"\r\n'.encode()
    if kind == "hta":
        return f'<html><body><script>document.write("spearscan benchmark payload {tag}: harmless")</script></body></html>\r\n'.encode()
    return f'@echo spearscan benchmark payload {tag}: harmless\r\n'.encode()  # bat


# ----------------------------------------------------------------------------------------------------------------
# Texts.
# ----------------------------------------------------------------------------------------------------------------

JA_OPEN = ["いつもお世話になっております。", "お疲れ様です。", "平素より大変お世話になっております。", "ご無沙汰しております。"]
JA_TOPIC = ["来週の定例会議の件でご連絡いたします。", "先日ご依頼の資料を送付いたします。", "見積書の件、確認いたしました。",
            "出張報告書を提出いたします。", "システム更新作業の日程についてご案内します。", "請求書の送付先が変更になりました。",
            "新製品の説明会についてお知らせします。", "議事録を共有いたします。", "来期の予算案について相談させてください。",
            "納品日の調整をお願いできますでしょうか。", "研修の参加者を取りまとめています。", "契約更新の手続きについてご確認ください。"]
JA_DETAIL = ["日時は{d}の{h}時からを予定しております。", "場所は本社{r}会議室です。", "金額は{n}円（税別）となります。",
             "ご不明な点がございましたら、内線{x}までご連絡ください。", "前回の資料から{k}点ほど修正しております。",
             "締め切りは{d}とさせていただきます。", "参加人数は{k}名の予定です。", "案件番号は{n}です。"]
JA_CLOSE = ["よろしくお願いいたします。", "以上、よろしくお願い申し上げます。", "ご確認のほど、よろしくお願いいたします。",
            "引き続きよろしくお願いいたします。"]
EN_OPEN = ["Hi {g},", "Dear {g},", "Hello {g},", "{g},"]
EN_TOPIC = ["Please find the minutes of yesterday's meeting below.", "Attached is the quotation you asked for.",
            "Following up on our call about the shipment schedule.", "The maintenance window has been moved.",
            "Could you review the draft agreement before Friday?", "Thanks for the quick turnaround on the samples.",
            "Here is the travel itinerary for the visit next month.", "We need to confirm the headcount for the workshop."]
EN_DETAIL = ["The meeting is on {d} at {h}:00 in room {r}.", "The total comes to {n} yen before tax.",
             "Reference number: {n}.", "We revised {k} items since the last version.", "The deadline is {d}.",
             "From the desk of the project office: {k} open items remain.", "Call me on extension {x} if anything is unclear."]
EN_CLOSE = ["Best regards,", "Regards,", "Thanks,", "Kind regards,"]


def fill(rng: random.Random, t: str) -> str:
    d = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(730))
    return t.format(d=d.strftime("%Y/%m/%d"), h=rng.randint(9, 18), r=rng.randint(101, 905), n=rng.randint(10000, 9999999),
                    x=rng.randint(1000, 9999), k=rng.randint(2, 30), g="{g}")


def ordinary_text(rng: random.Random, lang: str, to: Person, frm: Person, company: str, dept: str) -> str:
    """A few sentences from the pools, with numbers and dates drawn per message so no two bodies are equal."""
    if lang == "ja":
        lines = [f"{to.surname_ja}様", "", rng.choice(JA_OPEN), f"{company}の{frm.surname_ja}です。", ""]
        lines += [rng.choice(JA_TOPIC)] + [fill(rng, t) for t in rng.sample(JA_DETAIL, rng.randint(2, 4))]
        lines += ["", rng.choice(JA_CLOSE), "", "--", company, f"{dept} {frm.name_ja}", f"{frm.addr}"]
    else:
        lines = [rng.choice(EN_OPEN).format(g=to.name_en.split()[0]), ""]
        lines += [rng.choice(EN_TOPIC)] + [fill(rng, t) for t in rng.sample(EN_DETAIL, rng.randint(2, 4))]
        lines += ["", rng.choice(EN_CLOSE), frm.name_en, "--", COMPANIES_EN[COMPANIES.index(company)], frm.addr]
    return "\n".join(lines) + "\n"


def html_of(text: str) -> str:
    paras = "".join(f"<p>{xml_escape(p) or '&nbsp;'}</p>\n" for p in text.split("\n"))
    return ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head>\n"
            f"<body style=\"font-family:Meiryo,sans-serif\">\n{paras}</body></html>\n")


LURE_SUBJECTS = ["【重要】請求書送付のご案内", "ご注文内容の確認（注文番号 {o}）", "【至急】アカウント確認のお願い",
                 "国際情勢に関する資料の送付", "講演依頼について", "取材のお願い", "履歴書の送付", "賞与支給明細のお知らせ",
                 "会議資料の共有", "年末調整の書類提出について", "配送状況のお知らせ", "健康診断の日程調整"]
LURE_BODIES = [
    "{greet}\n\nお世話になっております。\n{topic}の資料を添付いたします。\nご確認いただけますと幸いです。\n\n{sig}\n",
    "{greet}\n\n突然のご連絡失礼いたします。\n{topic}につきまして、詳細を添付ファイルにまとめました。\nお手数ですがご確認ください。\n\n{sig}\n",
    "{greet}\n\n{topic}の件でご連絡いたしました。\n添付ファイルを開き、内容をご確認のうえご返信ください。\n\n{sig}\n",
]
LURE_TOPICS = ["ご注文", "請求書", "講演会", "取材", "共同研究", "セミナー", "アンケート", "人事異動", "システム更新",
               "安全保障政策", "経済制裁", "採用選考"]


# ----------------------------------------------------------------------------------------------------------------
# Message assembly.
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class Msg:
    date: dt.datetime
    key: str               # tie-breaker for sorting: stable and unique
    campaign: str | None = None
    recipients: list[str] = field(default_factory=list)
    sender: str = ""
    kind: str = "ordinary"
    index: int = -1
    raw: bytes = b""
    msgid: str = ""
    size: int = 0
    lazy: int = -1         # ordinary message number: its bytes are made only when written (memory stays flat)
    build: object = None   # labelled office mail: a function making the bytes when written (memory stays flat)
    label: dict | None = None  # labels.jsonl facts (kind, technique, headers_show, pair ...); None: derived from kind


def rfc2822_date(d: dt.datetime) -> str:
    return f"{d:%a}, {d.day} {d:%b %Y %H:%M:%S %z}"


def received_chain(rng: random.Random, d: dt.datetime, frm_domain: str, to_domain: str) -> str:
    """Two or three Received headers, newest first: sender's relay -> our MX -> filter -> mailbox server, each hop a
    few seconds earlier than the one above it."""
    hosts = [f"smtp.{frm_domain}", f"mx{rng.randint(1, 4)}.{to_domain}", f"filter.{to_domain}", f"mail.{to_domain}"]
    hops = rng.randint(2, 3)
    ips = [f"192.0.2.{rng.randint(1, 254)}"] + [f"198.51.100.{rng.randint(1, 254)}" for _ in range(hops)]
    lines, t = [], d
    for k in range(hops, 0, -1):
        lines.append(f"Received: from {hosts[k - 1]} ({hosts[k - 1]} [{ips[k - 1]}])\n\tby {hosts[k]} (Postfix) with ESMTPS"
                     f" id {rng.getrandbits(40):010X}\n\tfor <recipient>; {rfc2822_date(t)}")
        t = t - dt.timedelta(seconds=rng.randint(1, 20))
    return "\n".join(lines)


def dkim_header(rng: random.Random, domain: str) -> str:
    """Looks like a DKIM-Signature but signs nothing (b= is random): parsers see the header, verifiers fail it."""
    bh = base64.b64encode(rng.randbytes(32)).decode()
    b = base64.b64encode(rng.randbytes(128)).decode()
    return (f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=selector1;\n"
            f"\th=From:To:Subject:Date:Message-ID; bh={bh};\n\tb=" + "\n\t  ".join(b[i:i + 70] for i in range(0, len(b), 70)))


def envelope(rng: random.Random, m: Msg, frm_hdr: str, frm_domain: str, to_hdr: str, cc_hdr: str | None,
             subject_hdr: str, extra: list[str], msgid: str, to_domain: str) -> str:
    rc = received_chain(rng, m.date, frm_domain, to_domain).replace("<recipient>", f"<{m.recipients[0]}>")
    hdr = [rc]
    if rng.random() < 0.4:
        hdr.append(dkim_header(rng, frm_domain))
    hdr += [f"Message-ID: <{msgid}>", f"Date: {rfc2822_date(m.date)}", f"From: {frm_hdr}", f"To: {to_hdr}"]
    if cc_hdr:
        hdr.append(f"Cc: {cc_hdr}")
    hdr += [f"Subject: {subject_hdr}", "MIME-Version: 1.0"] + extra
    return "\n".join(hdr) + "\n"


class Generator:
    def __init__(self, count: int, seed: int):
        self.count, self.seed = count, seed
        self.rng = random.Random(seed)
        self.staff = make_people(self.rng, INTERNAL, max(200, min(2000, count // 10)))
        self.outside = make_people(self.rng, OUTSIDE, 300)
        self.attackers = make_people(self.rng, ["attacker.example", "lookalike-example.com", "mail.example.net"], 40)
        self.researchers = make_people(self.rng, ORGS, 80)
        # Three organisations' logos; each recurs as the inline image of every related-message that org sends.
        self.logos = [png(160, 48, (0x1F, 0x4E, 0x9A), 6), png(140, 40, (0xC0, 0x30, 0x30), 5), png(180, 50, (0x20, 0x80, 0x40), 7)]
        self.fixtures = {p.name: p.read_bytes() for p in sorted(FIXTURES.iterdir()) if p.is_file()}
        self.msgs: list[Msg] = []
        self.campaigns: dict[str, dict] = {}

    # -- helpers -------------------------------------------------------------------------------------------------

    def fx(self, name: str) -> bytes:
        if name not in self.fixtures:
            sys.exit(f"make_spool.py: fixture {name} missing in {FIXTURES}; run Tests/Fixtures/make_fixtures.sh")
        return self.fixtures[name]

    def rand_date(self, rng: random.Random) -> dt.datetime:
        span = int((END - START).total_seconds())
        d = START + dt.timedelta(seconds=rng.randrange(span))
        if d.weekday() >= 5 and rng.random() < 0.8:  # mostly office days and hours
            d -= dt.timedelta(days=d.weekday() - 4)
        return d.replace(hour=rng.choice([8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 16, 17, 18, 19, 22]))

    def add(self, m: Msg) -> None:
        self.msgs.append(m)

    # -- ordinary mail -------------------------------------------------------------------------------------------

    def ordinary_date(self, i: int) -> dt.datetime:
        return self.rand_date(random.Random(f"{self.seed}:date:{i}"))

    def ordinary(self, i: int, big: bool = False) -> Msg:
        r = random.Random(f"{self.seed}:ordinary:{i}")  # per-message stream: adding one kind does not shift another
        inbound = r.random() < 0.6
        frm = r.choice(self.outside if inbound else self.staff)
        tos = r.sample(self.staff, r.choice([1, 1, 1, 1, 2, 3]))
        ccs = r.sample(self.staff, r.choice([0, 0, 0, 1, 2]))
        ccs = [c for c in ccs if c not in tos]
        lang = "ja" if r.random() < 0.75 else "en"
        company, dept = r.choice(COMPANIES), r.choice(DEPTS)
        text = ordinary_text(r, lang, tos[0], frm, company, dept)
        if r.random() < 0.15:  # a reply quoting an earlier message
            prev = ordinary_text(r, lang, frm, tos[0], company, dept)
            text = text + "\n" + ("-----Original Message-----\n" if lang == "en" else "> ") + prev.replace("\n", "\n> ").rstrip("> ") + "\n"
        if lang == "ja":
            charset = r.choices(["ISO-2022-JP", "Shift_JIS", "UTF-8"], [5, 2, 3])[0]
        else:
            charset = "us-ascii" if text.isascii() else "UTF-8"
        subj = (r.choice(JA_TOPIC).rstrip("。") if lang == "ja" else r.choice(EN_TOPIC).rstrip(".?"))
        if r.random() < 0.25:
            subj = ("Re: " if r.random() < 0.7 else "Fw: ") + subj
        shape = r.choices(["plain", "html", "alt", "related", "attach"], [30, 5, 25, 15, 25])[0]
        if big:
            shape = "big"
        logo_idx = COMPANIES.index(company) % len(self.logos)
        seed_tag = f"{self.seed}-{i}"

        def body_text_part() -> str:
            if charset == "ISO-2022-JP":
                return text_part(text, charset, "7bit")
            if charset == "Shift_JIS":
                return text_part(text, charset, r.choice(["base64", "8bit"]))
            if charset == "UTF-8":
                return text_part(text, charset, r.choice(["base64", "quoted-printable", "8bit"]))
            return text_part(text, "us-ascii", "7bit")

        def html_part() -> str:
            return text_part(html_of(text), "UTF-8", "quoted-printable", "html")

        def attachments() -> list[str]:
            out = []
            for _ in range(r.choice([1, 1, 1, 2])):
                kind = r.choices(["pdf", "docx", "xlsx", "jpg"], [4, 3, 2, 1])[0]
                title = r.choice(["見積書", "議事録", "報告書", "請求書", "資料", "Agenda", "Minutes", "Quotation"])
                uniq = [f"Document {seed_tag}-{len(out)}", f"Ref {r.randint(100000, 999999)}", title.encode("ascii", "replace").decode()]
                if kind == "pdf":
                    out.append(attachment_part(f"{title}_{r.randint(1, 999):03d}.pdf", "application/pdf", pdf(uniq, r.randbytes(sized(r, 40_000, 800_000))), charset if charset != "us-ascii" else "UTF-8"))
                elif kind == "docx":
                    out.append(attachment_part(f"{title}.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx(uniq + [text[:200]], jpeg(r.randbytes(sized(r, 30_000, 400_000))) if r.random() < 0.5 else b"")))
                elif kind == "xlsx":
                    rows = [["品目", "数量", "金額"]] + [[f"item-{k}", r.randint(1, 50), r.randint(100, 99999)] for k in range(r.randint(3, 300))] + [[seed_tag, 0, 0]]
                    out.append(attachment_part(f"{title}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx(rows)))
                else:
                    out.append(attachment_part(f"photo_{r.randint(1, 9999):04d}.jpg", "image/jpeg", jpeg(r.randbytes(sized(r, 120_000, 900_000)))))
            return out

        b = f"=_{hashlib.sha1(seed_tag.encode()).hexdigest()[:16]}"
        if shape == "plain":
            body = body_text_part()
        elif shape == "html":
            body = html_part()
        elif shape == "alt":
            body = multipart("alternative", b + "_a", [body_text_part(), html_part()])
        elif shape == "related":
            cid = f"image001.png@01D5{logo_idx:04X}.5A6B7C80"
            html = html_of(text).replace("<body style=\"font-family:Meiryo,sans-serif\">\n",
                                         f"<body style=\"font-family:Meiryo,sans-serif\">\n<img src=\"cid:{cid}\" alt=\"logo\">\n")
            related = multipart("related", b + "_r", [text_part(html, "UTF-8", "quoted-printable", "html"),
                                                      attachment_part("image001.png", "image/png", self.logos[logo_idx], inline_cid=cid)],
                                extra=" type=\"text/html\";")
            body = multipart("alternative", b + "_a", [body_text_part(), related])
        elif shape == "attach":
            body = multipart("mixed", b + "_m", [body_text_part()] + attachments())
        else:  # big: a scanned document or a photo, 1–5 MB of incompressible bytes
            size = r.randint(1_000_000, 5_000_000)
            blob = r.randbytes(size)
            if r.random() < 0.6:
                part = attachment_part(f"scan_{r.randint(1, 9999):04d}.pdf", "application/pdf", pdf([f"Scan {seed_tag}"], blob))
            else:
                part = attachment_part(f"IMG_{r.randint(1000, 9999)}.JPG", "image/jpeg", jpeg(blob))
            body = multipart("mixed", b + "_m", [body_text_part(), part])

        m = Msg(date=self.ordinary_date(i), key=f"o{i:08d}", kind="big" if big else "ordinary",
                recipients=[p.addr for p in tos + ccs], sender=frm.addr)
        hcs = charset if charset in ("ISO-2022-JP", "Shift_JIS", "UTF-8") else "UTF-8"
        subj_hdr = encoded_words(subj, hcs, "Q" if (hcs == "UTF-8" and r.random() < 0.3) else "B")
        frm_hdr = f"{encoded_words(frm.name_ja, hcs)} <{frm.addr}>" if lang == "ja" else f"\"{frm.name_en}\" <{frm.addr}>"
        to_hdr = addr_header(tos, hcs if lang == "ja" else "ascii")
        cc_hdr = addr_header(ccs, hcs if lang == "ja" else "ascii") if ccs else None
        extra = ["X-Mailer: Microsoft Outlook 16.0"] if r.random() < 0.5 else []
        msgid = f"{m.date.strftime('%Y%m%d%H%M%S')}.{i:06d}.{r.getrandbits(32):08x}@{frm.domain}"
        m.raw = (envelope(r, m, frm_hdr, frm.domain, to_hdr, cc_hdr, subj_hdr, extra, msgid, tos[0].domain) + body).encode("latin-1")
        m.msgid = msgid
        return m

    # -- campaigns -----------------------------------------------------------------------------------------------

    def campaign(self, cid: str, kind: str, r: random.Random, recipients: list[Person], layout: str,
                 payload_fn, text_fn, subject: str, sender: Person, linked_by: list[str], targeted: bool,
                 charsets: list[str] | None = None, note: str = "") -> None:
        """Emit one campaign. layout: 'one' (one message, To + Cc), 'each' (one message per recipient), 'mixed'
        (messages of 1–4 recipients). payload_fn(msg_no, first_recipient) -> list of (name, ctype, bytes) and an
        optional password line; text_fn(msg_no, first_recipient) -> body text. Different charsets per message when
        `charsets` is given: the same text arrives as ISO-2022-JP, Shift_JIS base64, UTF-8 QP ..."""
        if layout == "one":
            groups = [recipients]
        elif layout == "each":
            groups = [[p] for p in recipients]
        else:
            groups, k = [], 0
            while k < len(recipients):
                n = r.randint(1, 4)
                groups.append(recipients[k:k + n])
                k += n
        base = self.rand_date(r)
        bcc = layout == "one" and r.random() < 0.4
        msgs = []
        for n, grp in enumerate(groups):
            d = base + dt.timedelta(minutes=3 * n + r.randint(0, 2), seconds=r.randint(0, 59))
            m = Msg(date=d, key=f"{cid}:{n:04d}", campaign=cid, kind=kind,
                    recipients=[p.addr for p in grp], sender=sender.addr)
            charset = charsets[n % len(charsets)] if charsets else "ISO-2022-JP"
            hcs = charset if charset != "us-ascii" else "UTF-8"
            text = text_fn(n, grp[0])
            if charset == "ISO-2022-JP":
                tp = text_part(text, charset, "7bit")
            elif charset == "Shift_JIS":
                tp = text_part(text, charset, "base64")
            else:
                tp = text_part(text, "UTF-8", r.choice(["quoted-printable", "base64"]))
            files = payload_fn(n, grp[0])
            bnd = f"=_{hashlib.sha1(m.key.encode()).hexdigest()[:16]}"
            body = multipart("mixed", bnd, [tp] + [attachment_part(fn, ct, data, "UTF-8") for fn, ct, data in files]) if files else tp
            to, cc = (grp[:max(1, len(grp) // 2)], grp[max(1, len(grp) // 2):]) if layout == "one" else (grp, [])
            extra = []
            to_hdr = addr_header(to, hcs)
            if layout == "one" and bcc:  # the sender's own copy: everyone in Bcc, To says nothing
                to_hdr, cc = "undisclosed-recipients:;", []
                extra.append(f"Bcc: {addr_header(grp, hcs)}")
            if layout == "each":  # a delivered copy: the MTA stamps the envelope recipient, one way or the other
                extra.append(f"{'Delivered-To' if n % 2 == 0 else 'X-Original-To'}: {grp[0].addr}")
            if kind == "newsletter":
                extra += [f"List-Unsubscribe: <https://{sender.domain}/unsubscribe?u={hashlib.sha1(grp[0].addr.encode()).hexdigest()[:12]}>",
                          "Precedence: bulk"]
            msgid = f"{d.strftime('%Y%m%d%H%M%S')}.{hashlib.sha1(m.key.encode()).hexdigest()[:12]}@{sender.domain}"
            m.raw = (envelope(r, m, f"{encoded_words(sender.name_ja, hcs)} <{sender.addr}>", sender.domain,
                              to_hdr, addr_header(cc, hcs) if cc else None,
                              encoded_words(subject.format(o=r.randint(100000, 999999)) if "{o}" in subject else subject, hcs),
                              extra, msgid, grp[0].domain) + body).encode("latin-1")
            m.msgid = msgid
            msgs.append(m)
            self.add(m)
        addrs = sorted({a.lower() for m in msgs for a in m.recipients})
        fuzzy = "similar_text" in linked_by
        self.campaigns[cid] = {"kind": kind, "targeted": targeted, "linked_by": linked_by, "layout": layout,
                               "distinct_recipients": len(addrs),
                               "distinct_domains": len({a.split("@")[1] for a in addrs}),
                               # a personalised family is bulk only when fuzzy links count (--link-similar)
                               "bulk": len(addrs) >= 10 and not fuzzy,
                               "bulk_with_link_similar": len(addrs) >= 10, "recipients_in_bcc": bcc, "recipients": addrs, "keys": [m.key for m in msgs],
                               "sender": sender.addr, "note": note}

    def lure_text(self, r: random.Random, topic: str, sender: Person, personal: bool, pw: str | None, tag: str):
        """Body text of a lure. personal=True puts the recipient's name and an order number in it."""
        tmpl = r.choice(LURE_BODIES)
        sig = f"{r.choice(COMPANIES)}\n{r.choice(DEPTS)} {sender.name_ja}"
        def text(n: int, to: Person) -> str:
            greet = f"{to.name_ja}様" if personal else "ご担当者様"
            t = tmpl.format(greet=greet, topic=topic, sig=sig)
            if personal:
                t = t.replace("\n\n" + sig, f"\n注文番号: {100000 + (hash_int(tag, n) % 900000)}\n\n" + sig)
            if pw:
                t = t.replace("\n\n" + sig, f"\n\n添付ファイルはパスワードで保護しております。\nパスワード: {pw}\n\n" + sig)
            # a campaign tag in plain sight keeps unrelated campaigns' texts distinct, like real lures differ
            return t + f"\n(照会番号 {tag})\n"
        return text

    def build_campaigns(self) -> None:
        n = self.count
        r = random.Random(f"{self.seed}:campaigns")
        n_lure_campaigns = max(10, round(n * 0.0025))
        payload_kinds = ["zip", "pwzip", "lzh", "pe", "zip-vbs", "zip-hta", "nolink"]
        for c in range(n_lure_campaigns):
            cid = f"L{c:04d}"
            # The first few campaigns pin the boundary cases; the rest are drawn.
            size = [9, 10, 9, 10, 12, 25][c] if c < 6 else r.choice([10, 11, 12, 15, 20, 30, 8, 3, 9])
            layout = ["one", "each", "each", "one", "mixed", "each"][c] if c < 6 else r.choice(["one", "each", "mixed"])
            personal = (c % 7 == 6)  # every 7th campaign is personalised: exact text differs per message
            pk = payload_kinds[c % len(payload_kinds)] if not personal else r.choice(["nolink", "zip"])
            sender = r.choice(self.attackers)
            if c == 5:  # one person per outside organisation first: bulk by domain as well as by address
                by_dom = {}
                for p in self.researchers:
                    by_dom.setdefault(p.domain, p)
                firsts = [by_dom[d] for d in sorted(by_dom)]
                targets = firsts + r.sample([p for p in self.researchers if p not in firsts], size - len(firsts))
            else:
                targets = r.sample(self.staff, size)
            topic = r.choice(LURE_TOPICS)
            pw = f"{r.randint(1000, 9999)}" if pk == "pwzip" else None
            if personal and layout == "one":
                layout = "each"
            text_fn = self.lure_text(r, topic, sender, personal, pw, cid)
            fname = f"{topic}_{r.choice(['資料', '詳細', '一覧', '案内'])}"

            def payload(n_msg: int, to: Person, pk=pk, cid=cid, fname=fname, pw=pw, personal=personal):
                tag = f"{cid}-{n_msg}" if personal else cid  # personalised: a different file per message too
                if pk == "zip":
                    return [(f"{fname}.zip", "application/zip", zip_bytes([(f"{fname}.js", benign_script('js', tag))]))]
                if pk == "zip-vbs":
                    return [(f"{fname}.zip", "application/zip", zip_bytes([(f"{fname}.vbs", benign_script('vbs', tag)),
                                                                          (f"readme_{tag}.txt", f"see {tag}\n".encode())]))]
                if pk == "zip-hta":
                    return [(f"{fname}.zip", "application/x-zip-compressed", zip_bytes([(f"{fname}.hta", benign_script('hta', tag))]))]
                if pk == "pwzip":
                    return [(f"{fname}.zip", "application/zip", zipcrypto_zip(f"{cid}.js", benign_script('js', tag), pw.encode(), random.Random(tag)))]
                if pk == "lzh":
                    return [(f"{fname}.lzh", "application/x-lzh-compressed", lzh_level0(f"{fname}.vbs".encode("shift_jis"), benign_script('vbs', tag)))]
                if pk == "pe":  # the fixtures' hello-world PE with an overlay naming the campaign: same program, own hash
                    return [(f"{fname}.pdf.exe", "application/octet-stream", self.fx("hello.exe") + f"SPEARSCAN-BENCH {tag}".encode())]
                return []  # nolink: the text alone (a link to an example host)
            base_text = text_fn
            if pk == "nolink":
                def text_fn(n_msg, to, base_text=base_text, cid=cid):
                    return base_text(n_msg, to).replace("添付ファイルを開き", "下記のページを開き").replace(
                        "\n(照会番号", f"\nhttps://login.attacker.example/{cid.lower()}\n(照会番号")
            charsets = ["ISO-2022-JP", "Shift_JIS", "UTF-8"] if c % 5 == 2 else None
            linked = (["similar_text"] if personal else ["text"]) + (["payload"] if pk != "nolink" and not personal else [])
            self.campaign(cid, "lure", r, targets, layout, payload, text_fn, LURE_SUBJECTS[c % len(LURE_SUBJECTS)], sender,
                          linked, True, charsets,
                          note=("personalised: exact text differs per message; one family by fuzzy text" if personal else
                                f"payload {pk}" + ("; same text in three charsets/encodings" if charsets else "")))

        # The fixtures' harmless hello.js reaches the staff in every container the fixtures hold: zip, 7z, ZipCrypto
        # zip (password in the body), nested zip, LZH, gzip, ISO/IMG (readme.txt and hello.lnk inside, readme.txt
        # shared with simple.zip) and the bare .lnk. Each message has its own text; only the members link them.
        fx_js = ["simple.zip", "sample.7z", "zipcrypto.zip", "nested.zip", "sjis.lzh", "invoice.js.gz", "hello.iso", "hello.img", "hello.lnk"]
        fx_pe = ["hello.exe", "docx-really-zip-of-exe.docx", "pe-named.pdf"]
        for cid, names, size in (("FXJS", fx_js, max(len(fx_js), n // 1000)), ("FXPE", fx_pe, max(len(fx_pe), n // 2000))):
            sender = r.choice(self.attackers)
            targets = r.sample(self.staff, size)
            texts = {}
            def text_fn(n_msg, to, cid=cid, names=names, sender=sender):
                name = names[n_msg % len(names)]
                pw = "abc123" if name == "zipcrypto.zip" else None
                return self.lure_text(random.Random(f"{cid}:{n_msg}"), r.choice(LURE_TOPICS), sender, False, pw, f"{cid}-{n_msg}")(n_msg, to)
            def payload(n_msg, to, names=names):
                name = names[n_msg % len(names)]
                ct = {"zip": "application/zip", "7z": "application/x-7z-compressed", "lzh": "application/x-lzh-compressed",
                      "gz": "application/gzip", "iso": "application/x-iso9660-image", "img": "application/octet-stream",
                      "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf"}
                return [(name, ct.get(name.rsplit(".", 1)[1], "application/octet-stream"), self.fx(name))]
            self.campaign(cid, "lure", r, targets, "each", payload, text_fn, "資料送付のご案内", sender, ["payload-member"], True,
                          note="fixture payloads, one per message, linked only by archive members at some depth: " + ", ".join(names))

        # Newsletters: bulk (same text to many) but not an attack; recurring logos/signatures are not campaigns.
        for c in range(max(2, round(n * 0.0015))):
            cid = f"N{c:04d}"
            sender = r.choice(self.outside)
            targets = r.sample(self.staff, r.choice([12, 20, 35, 50, 9]))
            issue = r.randint(1, 300)
            body = (f"{r.choice(COMPANIES)} メールマガジン 第{issue}号\n\n" + "\n".join(fill(r, t) for t in r.sample(JA_DETAIL, 4)) +
                    f"\n\n配信停止: https://{sender.domain}/unsubscribe\n(号 {cid})\n")
            self.campaign(cid, "newsletter", r, targets, "each", lambda n_msg, to: [], lambda n_msg, to, body=body: body,
                          f"メールマガジン 第{issue}号", sender, ["text"], False, ["UTF-8"])

    # -- singletons ----------------------------------------------------------------------------------------------

    def single_lure(self, i: int) -> None:
        """A one-recipient lure with its own payload: targeted, not bulk, links to nothing."""
        r = random.Random(f"{self.seed}:single:{i}")
        cid = f"S{i:05d}"
        sender, target = r.choice(self.attackers), r.choice(self.staff)
        pk = r.choice(["zip", "pwzip", "lzh", "pe", "zip-vbs"])
        pw = f"{r.randint(1000, 9999)}" if pk == "pwzip" else None
        topic = r.choice(LURE_TOPICS)
        text_fn = self.lure_text(r, topic, sender, True, pw, cid)
        def payload(n_msg, to):
            if pk == "zip":
                return [(f"{topic}.zip", "application/zip", zip_bytes([(f"{topic}.js", benign_script('js', cid))]))]
            if pk == "zip-vbs":
                return [(f"{topic}.zip", "application/zip", zip_bytes([(f"{topic}.vbs", benign_script('vbs', cid))]))]
            if pk == "pwzip":
                return [(f"{topic}.zip", "application/zip", zipcrypto_zip("doc.js", benign_script('js', cid), pw.encode(), random.Random(cid)))]
            if pk == "lzh":
                return [(f"{topic}.lzh", "application/x-lzh-compressed", lzh_level0(f"{topic}.js".encode("shift_jis"), benign_script('js', cid)))]
            return [(f"{topic}.docx.exe", "application/octet-stream", self.fx("hello.exe") + f"SPEARSCAN-BENCH {cid}".encode())]
        self.campaign(cid, "single", r, [target], "each", payload, text_fn, LURE_SUBJECTS[i % len(LURE_SUBJECTS)], sender,
                      ["none"], True, note=f"one-off lure, payload {pk}")

    # -- everything ----------------------------------------------------------------------------------------------

    def materialise(self, m: Msg) -> None:
        """Fill in an ordinary message's bytes and header facts (deterministic: its own rng stream)."""
        if m.lazy >= 0 and not m.raw:
            full = self.ordinary(m.lazy, big=m.kind == "big")
            m.raw, m.msgid, m.recipients, m.sender = full.raw, full.msgid, full.recipients, full.sender
        elif m.build is not None and not m.raw:
            m.raw = m.build()
            head = m.raw.split(b"\n\n", 1)[0]
            m.msgid = re.search(rb"(?im)^Message-ID: <([^>]+)>", head).group(1).decode()
            rp = re.search(rb"(?m)^Return-Path: <([^>]*)>", head)
            m.sender = rp.group(1).decode() if rp else m.sender

    def generate(self) -> list[Msg]:
        self.build_campaigns()
        n_single = max(3, round(self.count * 0.012))
        for i in range(n_single):
            self.single_lure(i)
        if len(self.msgs) > self.count * 0.5:
            sys.exit(f"make_spool.py: --count {self.count} is too small for the campaign set ({len(self.msgs)} messages); use >= 300")
        # The labelled office mail of issues #13/#14 (three organisations behind their own MX, one behind a provider).
        self.office = OfficeMail(self)
        self.office.plan()
        n_ord = self.count - len(self.msgs)
        if n_ord <= 0:
            sys.exit(f"make_spool.py: --count {self.count} leaves no room for ordinary mail")
        n_big = max(1, round(self.count * 0.005))
        big_at = set(random.Random(f"{self.seed}:big").sample(range(n_ord), min(n_big, n_ord)))
        for i in range(n_ord):  # only the date now; the message is made in materialise(), when it is written
            self.add(Msg(date=self.ordinary_date(i), key=f"o{i:08d}", kind="big" if i in big_at else "ordinary", lazy=i))
        # Chronological order, as a spool is; the key breaks ties so the order never depends on anything else.
        self.msgs.sort(key=lambda m: (m.date, m.key))
        for idx, m in enumerate(self.msgs):
            m.index = idx
        return self.msgs


# ----------------------------------------------------------------------------------------------------------------
# Labelled office mail (issue #13): three recipient organisations with their own border MX, and the kinds that a
# per-message precision/recall needs: NPA-modelled lures with spoofed senders, spoofs by technique, PPAP pairs, and
# benign look-alikes (mailing lists, ESP newsletters, honest free-mail, calendar/no-reply notifications, sloppy
# MIME, a lure forwarded to the security desk). Every message gets a label in labels.jsonl. Issue #14: a fourth
# organisation behind a filtering provider, and spoofs that only a spool's history shows (label `learn`): the
# provider's dmarc=fail (trusted once the provider is learned as its MX operator), lookalikes of partners it
# really corresponds with, partners' people's names at free-mail addresses.
#
# Domains: fictitious but realistic Japanese organisations (not reserved names: a detector must judge them under
# their real suffix, .co.jp / .ac.jp / .jp). Real free-mail providers appear only as senders; real public bodies
# (mofa.go.jp, mod.go.jp, ...) only inside display names, as the spoofed *name*. Attackers' hosts use the
# documentation range 203.0.113.0/24, legitimate senders 198.51.100.0/24, our MX hops 192.0.2.0/24 (the provider's
# hand-offs 10.30/16).
# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Org:
    domain: str
    name_ja: str
    ipn: int          # last octet of its MX's address (192.0.2.N)
    kind: str         # "co" (company), "ac" (university)
    operator: str = ""  # a provider whose hosts take its mail in (and hold its mailboxes); "" for its own border MX

    @property
    def mx(self) -> str:
        return f"mx1.{self.domain}"

    @property
    def authserv(self) -> str:
        """The authserv-id of the Authentication-Results its inbound mail gets."""
        return f"mx.{self.operator}" if self.operator else self.mx

    @property
    def mbox(self) -> str:
        return f"mbox.{self.domain}"


# The recipients' organisations: the mail of these three reaches the scanner through their own border MX.
TENANTS = [Org("minato-shoji.co.jp", "港商事株式会社", 25, "co"), Org("tsubasa-u.ac.jp", "翼大学", 26, "ac"),
           Org("kitakaze-denki.co.jp", "北風電機株式会社", 27, "co")]
# A fourth recipient organisation whose mail a filtering and hosting provider takes in (its MX records point to
# the provider; the provider's hosts hold the mailboxes): the topmost Received headers are the provider's, never
# the organisation's own, so only a spool's history shows where its border is (issue #14).
PROVIDER = "mailshield-cloud.jp"
HOSTED = Org("hibari-kikaku.co.jp", "ひばり企画株式会社", 0, "co", operator=PROVIDER)
# Their correspondents (each also a sender of PPAP, calendar invitations, ESP newsletters ...).
PARTNERS = [Org("aoba-kensetsu.co.jp", "青葉建設株式会社", 0, "co"), Org("hoshizora-unyu.co.jp", "星空運輸株式会社", 0, "co"),
            Org("sakura-seimitsu.co.jp", "さくら精密工業株式会社", 0, "co"), Org("kawasemi-soft.jp", "かわせみソフト株式会社", 0, "co"),
            Org("nishiki-bussan.co.jp", "錦物産株式会社", 0, "co"), Org("hikari-sogo-law.jp", "ひかり総合法律事務所", 0, "co"),
            Org("umibe-insatsu.co.jp", "海辺印刷株式会社", 0, "co"), Org("yamabiko-shinkin.co.jp", "やまびこ信用金庫", 0, "co")]
FREEMAIL = [("gmail.com", "mail-{x}-f{n}.google.com"), ("yahoo.co.jp", "sonic{n}-{x}.mail.yahoo.co.jp"),
            ("docomo.ne.jp", "mfsmax{n}.docomo.ne.jp"), ("outlook.jp", "mail-ty{n}jpn01.outbound.protection.outlook.com")]
# Attackers' sending infrastructure: rented servers with names of their own (fictitious), reverse DNS often unknown.
ATTACK_HOSTS = ["mail.vps-kanri.net", "smtp.cloud-hosting24.com", "mx.tk-relay.net", "mail.sv-rental.jp", "relay.mm-sender.net"]
# Display-name spoofs of real public bodies use only their *names*, never their mail servers.
SPOOFED_NAMES = [("info@mofa.go.jp", "外務省"), ("kokusai@mod.go.jp", "防衛省"), ("kenkyu@jiia.or.jp", "国際問題研究所"),
                 ("soudan@npa.go.jp", "警察庁"), ("info@jetro.go.jp", "日本貿易振興機構")]
LISTS = [("oss-users", "lists.oss-users-kyokai.jp", "OSSユーザー協会"), ("kansai-joho", "ml.kansai-joho-kyogikai.jp", "関西情報化協議会"),
         ("seimitsu-kenkyu", "ml.seimitsu-kogaku-kai.jp", "精密工学研究会")]
ESPS = [("bounce.esp.example", "mta{n}.esp.example", True), ("bnc.haishin-cloud.jp", "o{n}.haishin-cloud.jp", False)]
# What a spool's history adds, by spoof technique (labels.jsonl `learn`): a learned MX operator whose A-R become
# trusted, learned correspondents (their lookalikes), learned correspondent names (at free-mail addresses).
LEARN = {"auth_fail_hosted_mx": "trust", "correspondent_lookalike": "correspondents", "freemail_impersonation": "names"}
# A correspondent's lookalike writes what a partner would (no attachment: the reply or the payment is the attack).
PARTNER_LURES = [
    ("振込先口座変更のお願い", "弊社の振込先口座が変更となりました。次回のお支払いより、下記口座へお振込みをお願いいたします。\n{bank}"),
    ("請求書再発行のご連絡", "先日お送りした請求書の振込先に誤りがございました。正しい振込先は下記のとおりです。\n{bank}"),
    ("【至急】お支払いについて", "今月末のお支払いにつきまして、至急ご相談したいことがございます。本メールにご返信いただけますでしょうか。"),
    ("お見積りの件", "ご依頼のお見積りについて確認したい点がございます。ご担当の方の連絡先を本メールへの返信でお知らせください。"),
    ("共有ファイルのご案内", "打合せ資料を共有いたしました。下記よりご確認ください。\n{url}"),
]
FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}

DOCS = ["見積書", "注文書", "請求書", "納品書", "契約書", "議事録", "仕様書", "発注書", "提案書", "報告書"]
NPA_LURES = [  # (subject, topic line, archive base name): NPA H1 2019 examples and their like
    ("注文内容の確認", "先日ご注文いただいた商品の注文内容をご確認ください。", "注文内容"),
    ("国際情勢に関する資料の送付", "国際情勢に関する資料をお送りいたします。ご高覧いただけますと幸いです。", "国際情勢に関する資料"),
    ("【至急】請求書の再送付", "先月分の請求書に誤りがございましたので、再送付いたします。", "請求書"),
    ("講演依頼について", "当会主催の研究会にてご講演をお願いしたく、ご連絡いたしました。詳細は添付資料をご覧ください。", "講演依頼"),
    ("取材のお願い", "弊誌の特集記事につきまして、取材のお願いを申し上げます。質問項目を添付いたします。", "取材依頼"),
    ("会議資料の事前送付", "来週の会議で使用する資料を事前にお送りします。", "会議資料"),
    ("履歴書の送付", "貴社の求人に応募させていただきたく、履歴書を送付いたします。", "履歴書"),
    ("年末調整の書類について", "年末調整の書類に記入漏れがありました。添付の書類をご確認ください。", "年末調整"),
]
SPOOF_LURES = [  # no attachment: the spoof itself is the attack (BEC, reply-solicitation, credential phishing)
    ("振込先口座変更のお願い", "弊社の振込先口座が変更となりました。次回のお支払いより、下記口座へお振込みをお願いいたします。\n{bank}"),
    ("【至急】ご対応のお願い", "至急確認いただきたい案件がございます。本メールにご返信いただけますでしょうか。"),
    ("資料送付先のご確認", "国際情勢に関する資料をお送りしたく存じます。ご都合のよい送付先を本メールへの返信でお知らせください。"),
    ("アカウント確認のお願い", "メールシステム更新に伴い、アカウントの確認が必要です。下記よりログインしてください。\n{url}"),
    ("請求書の件", "先日の請求書につきまして、支払期日が迫っております。至急ご確認のうえご返信ください。"),
    ("人事異動に関するご連絡", "人事異動に伴う連絡先の確認をお願いします。本メールにご返信ください。"),
]


def fullwidth(s: str) -> str:
    return "".join(FULLWIDTH.get(c, c) for c in s)


def password_text(r: random.Random, pw: str) -> tuple[str, str]:
    """The password as Japanese offices write it: on its own line or in a sentence, half- or full-width."""
    v = r.choice(["own_line", "fullwidth", "inline", "lead_then_line", "bracket", "english", "pw_abbrev", "fullwidth_inline"])
    text = {"own_line": f"パスワード: {pw}", "fullwidth": f"パスワード：{fullwidth(pw)}", "inline": f"解凍パスワードは「{pw}」です。",
            "lead_then_line": f"パスワードは以下のとおりです。\n\n    {pw}\n", "bracket": f"【パスワード】\n{pw}",
            "english": f"Password: {pw}", "pw_abbrev": f"PW：{pw}",
            "fullwidth_inline": f"パスワードは　{fullwidth(pw)}　です。"}[v]
    return text, v


def make_password(r: random.Random) -> str:
    k = r.random()
    if k < 0.5:
        return "".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789") for _ in range(r.choice([8, 10, 12])))
    if k < 0.75:
        return f"{r.randint(0, 99999999):08d}"
    return f"{r.choice(['Minato', 'Pass', 'Ppap', 'Zip'])}{r.randint(1000, 9999)}{r.choice('!#$%')}"


LOOKALIKE_VARIANTS = ["rn_m", "digit", "double", "drop", "hyphen", "tld", "flatten"]


def lookalike(r: random.Random, domain: str) -> tuple[str, str]:
    """A registrable domain that resembles `domain` (the recipient's own organisation, or a partner), and how."""
    return r.choice(lookalike_options(r, domain))


def lookalike_options(r: random.Random, domain: str) -> list[tuple[str, str]]:
    """Every (variant, domain) lookalike() chooses from (one draw: where a letter is doubled or dropped)."""
    label, suffix = domain.split(".", 1)
    options = []
    if "m" in label:
        options.append(("rn_m", label.replace("m", "rn", 1) + "." + suffix))
    for a, b in (("i", "1"), ("l", "1"), ("o", "0")):
        if a in label:
            k = label.rindex(a)
            options.append(("digit", label[:k] + b + label[k + 1:] + "." + suffix))
            break
    k = r.randrange(1, len(label) - 1)
    if label[k].isalpha():
        options.append(("double", label[:k] + label[k] + label[k:] + "." + suffix))
        options.append(("drop", label[:k] + label[k + 1:] + "." + suffix))
    if "-" in label:
        options.append(("hyphen", label.replace("-", "") + "." + suffix))
    if suffix in ("co.jp", "ac.jp"):
        options.append(("tld", label + ".jp"))
        options.append(("tld", label + ".com"))
        options.append(("flatten", label + "-" + suffix.replace(".", "-") + ".net"))
    else:
        options.append(("tld", label + ".co.jp"))
    return options


SECOND_LEVEL_JP = ("co", "ac", "ne", "or", "go", "ad", "ed", "gr", "lg")


def org_of(domain: str) -> str:
    """The organisational domain of a host or address domain (enough of a public suffix list for this spool)."""
    d = domain.lower().rstrip(".")
    for o in TENANTS + [HOSTED] + PARTNERS:
        if d == o.domain or d.endswith("." + o.domain):
            return o.domain
    labels = d.split(".")
    n = 3 if len(labels) >= 3 and labels[-1] == "jp" and labels[-2] in SECOND_LEVEL_JP else 2
    return ".".join(labels[-n:])


def mdate(d: dt.datetime) -> str:
    return rfc2822_date(d) + " (JST)"


class OfficeMail:
    """Plans the labelled office mail: each message is a Msg with its date, recipients and label fixed now and its
    bytes made by `build` when it is written (its own random stream, so the order of writing changes nothing)."""

    def __init__(self, gen: "Generator"):
        self.gen, self.seed, n = gen, gen.seed, gen.count
        pr = random.Random(f"{gen.seed}:office-people")
        # HOSTED last: the people of the first eleven are drawn exactly as before it existed.
        self.people = {o.domain: make_people(pr, [o.domain], 12 if o in PARTNERS else 60, OFFICE_SURNAMES, OFFICE_GIVEN) for o in TENANTS + PARTNERS + [HOSTED]}
        self.orgs = {o.domain: o for o in TENANTS + PARTNERS + [HOSTED]}
        self.recurring: dict[str, str] = {}   # sha256 -> what (fixture OOXML parts that recur on purpose)
        self.n = n
        self.sketching = False  # learn_facts(): build headers only, skip work that draws nothing from the message's stream
        self.auth: dict = {}    # learn_facts(): (recipient org, sender org) -> its authenticated messages
        self.corr: dict[str, list[str]] = {}                      # recipient org -> partners it corresponds with
        self.names: dict[str, list[tuple[Org, Person]]] = {}      # recipient org -> partners' people it knows by name

    # -- plumbing --------------------------------------------------------------------------------------------------

    def add(self, key: str, d: dt.datetime, recipients: list[str], sender: str, truth_kind: str, label: dict, build,
            campaign: str | None = None) -> Msg:
        m = Msg(date=d, key=key, campaign=campaign, recipients=recipients, sender=sender, kind=truth_kind)
        m.label, m.build = label, build
        m.msgid = f"{d.strftime('%Y%m%d%H%M%S')}.{hashlib.sha1(key.encode()).hexdigest()[:14]}@{label.get('msgid_domain') or sender.split('@')[-1]}"
        label.pop("msgid_domain", None)
        self.gen.add(m)
        return m

    def person(self, r: random.Random, domain: str) -> Person:
        return r.choice(self.people[domain])

    def ar(self, org: Org, spf: str, mailfrom: str, dkim: str | None, dmarc: str, header_from: str) -> str:
        dk = f"dkim=pass header.d={dkim} header.s=s{hash_int(dkim) % 9 + 1}" if dkim else "dkim=none (no signatures)"
        pol = "p=none dis=none" if dmarc != "fail" else "p=quarantine dis=none"
        return (f"Authentication-Results: {org.authserv};\n\tspf={spf} smtp.mailfrom={mailfrom};\n\t{dk};\n"
                f"\tdmarc={dmarc} ({pol}) header.from={header_from}")

    def inbound(self, r: random.Random, d: dt.datetime, org: Org, rcpt: str, env: str, helo: str, rdns: str, ip: str,
                ar: str | None = None, forged: str | None = None, pre: list[str] | None = None, delivered_to: bool = True) -> list[str]:
        """Trace fields of a message that came in from the Internet through org's border MX, newest first."""
        if org.operator:
            return self.hosted_inbound(r, d, org, rcpt, env, helo, rdns, ip, ar, forged, pre, delivered_to)
        t1 = d + dt.timedelta(seconds=r.randint(2, 40))
        t2 = t1 + dt.timedelta(seconds=r.randint(1, 3))
        out = [f"Return-Path: <{env}>"]
        if delivered_to:
            out.append(f"Delivered-To: {rcpt}")
        out.append(f"Received: from {org.mx} ({org.mx} [192.0.2.{org.ipn}])\n\tby {org.mbox} (Postfix) with LMTP id "
                   f"{r.getrandbits(40):010X}\n\tfor <{rcpt}>; {mdate(t2)}")
        if ar:
            out.append(ar)
        out.append(f"Received: from {helo} ({rdns} [{ip}])\n\tby {org.mx} (Postfix) with ESMTPS id {r.getrandbits(40):010X}\n"
                   f"\t(envelope-from <{env}>)\n\tfor <{rcpt}>; {mdate(t1)}")
        if forged:
            out.append(forged)
        out += pre or []
        return out

    def hosted_inbound(self, r: random.Random, d: dt.datetime, org: Org, rcpt: str, env: str, helo: str, rdns: str, ip: str,
                       ar: str | None = None, forged: str | None = None, pre: list[str] | None = None, delivered_to: bool = True,
                       submission: str | None = None) -> list[str]:
        """Trace fields of mail to an organisation its provider hosts, newest first: the provider's entry host (mxNN
        from the Internet; smtpNN for the organisation's own users, `submission` their authenticated address), the
        provider's Authentication-Results right above that entry Received, then hand-offs between provider hosts
        over 10.x (filter, mailbox). No host of the organisation itself writes a Received."""
        op = org.operator
        inner = lambda h: f"10.30.{hash_int(h) % 8}.{hash_int(h, 'ip') % 200 + 20}"
        t1 = d + dt.timedelta(seconds=r.randint(1, 5) if submission else r.randint(2, 40))
        t2 = t1 + dt.timedelta(seconds=r.randint(1, 3))
        t3 = t2 + dt.timedelta(seconds=r.randint(0, 2))
        entry = f"{'smtp' if submission else 'mx'}{r.randint(1, 3):02d}.{op}"
        mbox = f"mbox{r.randint(1, 6):02d}.{op}"
        if submission:
            hops = [(entry, mbox, "LMTP", t2)]
        else:
            flt = f"filter{r.randint(1, 4):02d}.{op}"
            hops = [(flt, mbox, "LMTP", t3), (entry, flt, "ESMTP", t2)]
        out = [f"Return-Path: <{env}>"]
        if delivered_to:
            out.append(f"Delivered-To: {rcpt}")
        for src, by, proto, t in hops:
            out.append(f"Received: from {src} ({src} [{inner(src)}])\n\tby {by} (MailShield) with {proto} id {r.getrandbits(40):010X}\n"
                       f"\tfor <{rcpt}>; {mdate(t)}")
        if ar:
            out.append(ar)
        if submission:
            out.append(f"Received: from {helo} ({rdns} [{ip}])\n\t(Authenticated sender: {submission})\n\tby {entry} (MailShield) with ESMTPSA id "
                       f"{r.getrandbits(40):010X}\n\tfor <{rcpt}>; {mdate(t1)}")
        else:
            out.append(f"Received: from {helo} ({rdns} [{ip}])\n\tby {entry} (MailShield) with ESMTPS id {r.getrandbits(40):010X}\n"
                       f"\t(envelope-from <{env}>)\n\tfor <{rcpt}>; {mdate(t1)}")
        if forged:
            out.append(forged)
        out += pre or []
        return out

    @staticmethod
    def gateway(org: Org, r: random.Random) -> tuple[str, str, str]:
        """A hosted organisation's office: a PC behind its NAT gateway (HELO, reverse name, address)."""
        return (f"[10.{r.randint(2, 9)}.{r.randint(0, 255)}.{r.randint(2, 254)}]", f"gw.{org.domain}",
                f"198.51.100.{hash_int(org.domain, 'gw') % 30 + 220}")

    def internal(self, r: random.Random, d: dt.datetime, org: Org, rcpt: str, env: str, client: str | None = None) -> list[str]:
        """Trace fields of mail that never left org: a PC or an application server, the submission server, the mailbox."""
        t1 = d + dt.timedelta(seconds=r.randint(1, 5))
        src = client or f"pc{r.randint(100, 999)}.{org.domain}"
        return [f"Return-Path: <{env}>", f"Delivered-To: {rcpt}",
                f"Received: from mail.{org.domain} (mail.{org.domain} [10.1.0.{org.ipn}])\n\tby {org.mbox} (Postfix) with LMTP id "
                f"{r.getrandbits(40):010X}\n\tfor <{rcpt}>; {mdate(t1)}",
                f"Received: from {src} ({src} [10.{r.randint(2, 9)}.{r.randint(0, 255)}.{r.randint(2, 254)}])\n\tby mail.{org.domain} "
                f"(Postfix) with ESMTPSA id {r.getrandbits(40):010X}\n\tfor <{rcpt}>; {mdate(d)}"]

    def partner_hop(self, r: random.Random, d: dt.datetime, domain: str) -> tuple[str, str, str, list[str]]:
        """A legitimate sender's outbound server (HELO, verified reverse name, address) and its submission hop."""
        if domain == HOSTED.domain:  # its mail leaves through the provider: a user's submission, then an outbound host
            sub_host, host = f"smtp{r.randint(1, 3):02d}.{PROVIDER}", f"out{r.randint(1, 4):02d}.{PROVIDER}"
            helo, gw, gw_ip = self.gateway(HOSTED, r)
            sub = [f"Received: from {sub_host} ({sub_host} [10.30.{hash_int(sub_host) % 8}.{hash_int(sub_host, 'ip') % 200 + 20}])\n"
                   f"\tby {host} (MailShield) with ESMTP id {r.getrandbits(36):09X};\n\t{mdate(d + dt.timedelta(seconds=1))}",
                   f"Received: from {helo} ({gw} [{gw_ip}])\n\tby {sub_host} (MailShield) with ESMTPSA id {r.getrandbits(36):09X};\n\t{mdate(d)}"]
            return host, host, f"198.51.100.{hash_int(host) % 20 + 200}", sub
        host = f"{r.choice(['smtp', 'mail', 'mo', 'gw'])}{r.randint(1, 3)}.{domain}"
        ip = f"198.51.100.{hash_int(domain) % 200 + 20}"
        sub = [f"Received: from [10.0.{r.randint(0, 255)}.{r.randint(2, 254)}] (unknown [10.0.{r.randint(0, 255)}.{r.randint(2, 254)}])\n"
               f"\tby {host} (Postfix) with ESMTPSA id {r.getrandbits(36):09X};\n\t{mdate(d)}"] if r.random() < 0.6 else []
        return host, host, ip, sub

    def attacker_hop(self, r: random.Random) -> tuple[str, str, str]:
        host = r.choice(ATTACK_HOSTS)
        ip = f"203.0.113.{r.randint(2, 254)}"
        return host, (host if r.random() < 0.5 else "unknown"), ip

    def freemail_hop(self, r: random.Random, fdomain: str) -> tuple[str, str, str]:
        tmpl = dict(FREEMAIL)[fdomain]
        host = tmpl.format(x=r.choice(["pf1", "pl1", "qk1", "yw1", "a02", "b05"]), n=r.randint(10, 199))
        return host, host, f"198.51.100.{r.randint(150, 199)}"

    @staticmethod
    def hdr_addr(name: str, addr: str, cs: str) -> str:
        if name.isascii():
            return f"\"{name}\" <{addr}>"
        return f"{encoded_words(name, cs)} <{addr}>"

    @staticmethod
    def charset(r: random.Random) -> str:
        return r.choices(["ISO-2022-JP", "Shift_JIS", "UTF-8"], [5, 2, 3])[0]

    def text(self, r: random.Random, body: str, cs: str) -> str:
        if cs == "ISO-2022-JP":
            return text_part(body, cs, "7bit")
        if cs == "Shift_JIS":
            return text_part(body, cs, r.choice(["base64", "8bit"]))
        return text_part(body, cs, r.choice(["base64", "quoted-printable", "8bit"]))

    def head(self, trace: list[str], msgid: str, d: dt.datetime, frm: str, to: str, subject: str, cs: str,
             cc: str | None = None, extra: list[str] | None = None, dkim_domain: str | None = None, r: random.Random | None = None) -> str:
        h = list(trace)
        if dkim_domain and r is not None:
            h.append(dkim_header(r, dkim_domain))
        h += [f"Message-ID: <{msgid}>", f"Date: {rfc2822_date(d)}", f"From: {frm}", f"To: {to}"]
        if cc:
            h.append(f"Cc: {cc}")
        h += [f"Subject: {encoded_words(subject, cs if cs != 'us-ascii' else 'UTF-8')}", "MIME-Version: 1.0"] + (extra or [])
        return "\n".join(h) + "\n"

    def date(self, r: random.Random) -> dt.datetime:
        return self.gen.rand_date(r).replace(minute=r.randint(0, 59), second=r.randint(0, 59))

    def letter(self, r: random.Random, to: Person, frm: Person, company: str, lines: list[str], uniq: str) -> str:
        open_ = r.choice(JA_OPEN)
        close = r.choice(JA_CLOSE)
        t = [f"{to.name_ja.split()[0]}様" if r.random() < 0.7 else f"{to.name_ja}様", "", open_, f"{company}の{frm.surname_ja}です。", ""]
        t += lines + ["", close, "", "-" * 30, company, f"{r.choice(DEPTS)} {frm.name_ja}", f"TEL: 03-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}",
                      f"Mail: {frm.addr}", f"(管理番号 {uniq})" if r.random() < 0.5 else f"整理番号: {uniq}"]
        return "\n".join(t) + "\n"

    # -- payloads (all harmless; fixtures' bytes made unique per tag so only a campaign shares one) --------------

    def tagged_lnk(self, tag: str) -> bytes:
        lnk = self.gen.fx("hello.lnk")
        tok = hashlib.sha1(tag.encode()).hexdigest()[:8].encode("utf-16-le")
        return lnk.replace("harmless".encode("utf-16-le"), tok, 1)

    def tagged_iso(self, tag: str) -> bytes:
        iso = bytearray(self.gen.fx("hello.iso"))
        lnk = self.gen.fx("hello.lnk")
        k = bytes(iso).find(lnk)
        iso[k:k + len(lnk)] = self.tagged_lnk(tag)
        j = bytes(iso).find(b"harmless\n", k + len(lnk))
        iso[j:j + 9] = hashlib.sha1(("r" + tag).encode()).hexdigest()[:8].encode() + b"\n"
        return bytes(iso)

    def tagged_ooxml(self, fixture: str, tag: str, title: str) -> bytes:
        src = zipfile.ZipFile(io.BytesIO(self.gen.fx(fixture)))
        members = []
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"This is a harmless spearscan fixture.", xml_escape(f"{title} ({tag}): harmless").encode())
            elif info.filename == "word/vbaProject.bin":
                data = data + f" {tag}".encode()
            elif info.filename == "word/_rels/settings.xml.rels":
                data = data.replace(b"http://template.example.com/t.dotm", f"http://template.example.com/{tag.lower()}.dotm".encode())
            else:
                self.recurring.setdefault(hashlib.sha256(data).hexdigest(), f"OOXML part of the fixtures' documents: {info.filename}")
            members.append((info.filename, data))
        return zip_bytes(members)

    def payload(self, kind: str, tag: str, base: str, pw: str | None = None) -> list[tuple[str, str, bytes]]:
        exe = lambda: self.gen.fx("hello.exe") + f"SPEARSCAN-BENCH {tag}".encode()
        if kind == "zip_js":
            return [(f"{base}.zip", "application/zip", zip_bytes([(f"{base}.js", benign_script("js", tag))]))]
        if kind == "zip_exe":
            return [(f"{base}.zip", "application/x-zip-compressed", zip_bytes([(f"{base}.pdf.exe", exe())]))]
        if kind == "zip_lnk":
            return [(f"{base}.zip", "application/zip", zip_bytes([(f"{base}.lnk", self.tagged_lnk(tag)),
                                                                   (f"{base}/説明.txt", f"{base} {tag}\n".encode("shift_jis"))]))]
        if kind == "zip_vbs":
            return [(f"{base}.zip", "application/zip", zip_bytes([(f"{base}.docx.vbs", benign_script("vbs", tag))]))]
        if kind == "docm":
            return [(f"{base}.docm", "application/vnd.ms-word.document.macroEnabled.12", self.tagged_ooxml("macro.docm", tag, base))]
        if kind == "remote_template":
            return [(f"{base}.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     self.tagged_ooxml("remote-template.docx", tag, base))]
        if kind == "iso_lnk":
            return [(f"{base}.iso", "application/x-iso9660-image", self.tagged_iso(tag))]
        if kind in ("pwzip_body", "locked_zip"):
            inner = f"{base}.js" if hash_int(tag) % 2 else f"{base}.exe"
            data = benign_script("js", tag) if inner.endswith(".js") else exe()
            if kind == "locked_zip":  # ZipCrypto leaves member names readable: a locked lure shows none that runs
                inner = f"{base}.pdf"
            return [(f"{base}.zip", "application/zip", zipcrypto_zip(inner.encode("cp932"), data, pw.encode(), random.Random(tag)))]
        return []  # link

    # -- the plan --------------------------------------------------------------------------------------------------

    def plan(self) -> None:
        """Genuine mail first, then what a batch would learn from it (learn_facts), then the attacks, some of which
        imitate what was learned. Every message has its own random stream and the spool is sorted by date, so the
        order of planning changes no byte."""
        n = self.n
        k = lambda share, least=1: max(least, round(n * share))
        for i in range(k(0.025)):
            self.ppap(i)
        for i in range(k(0.010)):
            self.mailing_list(i)
        for i in range(k(0.010)):
            self.esp(i)
        for i in range(k(0.010)):
            self.honest_freemail(i)
        for i in range(k(0.010)):
            self.notification(i)
        for i in range(k(0.010)):
            self.sloppy(i)
        for i in range(k(0.030)):
            self.business(i)
        for i in range(k(0.030)):
            self.hosted_business(i)
        self.learn_facts()
        for c in range(k(1 / 1500)):
            self.npa_campaign(c)
        for i in range(k(0.010)):
            self.lure(i, nosignal=False)
        for i in range(k(0.004)):
            self.lure(10000 + i, nosignal=True)
        for i in range(k(0.015)):
            self.spoof(i)
        for i in range(k(0.002, 2)):
            self.forwarded_report(i)
        for i in range(k(0.004)):
            self.hosted_spoof(i)
        for i in range(k(0.004)):
            self.correspondent_spoof(i)

    def corresponds(self, rcpt_org: str, sender_org: str) -> bool:
        """>= 3 authenticated messages, two of them more than a day apart (so on two days in any time zone)."""
        xs = self.auth.get((rcpt_org, sender_org), [])
        return len(xs) >= 3 and xs[-1][0] - xs[0][0] > dt.timedelta(hours=25)

    def expected_learning(self) -> dict:
        """truth.json's `learning`: what a batch with a store should learn from the genuine office mail."""
        free = set(dict(FREEMAIL))
        corr, names = [], {}
        for (rcpt_org, sender_org), xs in sorted(self.auth.items()):
            days = len({x[0].date() for x in xs})
            if sender_org in free or sender_org == rcpt_org or len(xs) < 3 or days < 2:
                continue
            corr.append({"recipient_org": rcpt_org, "sender_org": sender_org, "messages": len(xs), "days": days,
                         "imitated": self.corresponds(rcpt_org, sender_org) and sender_org in {p.domain for p in PARTNERS}})
            names.setdefault(rcpt_org, set()).update((sender_org, x[2]) for x in xs if x[2])
        to_hosted = sum(1 for m in self.gen.msgs if any(a.lower().endswith("@" + HOSTED.domain) for a in m.recipients))
        return {"note": "from the genuine office mail (authenticated: the recipient organisation's A-R with dmarc=pass; days: "
                        "distinct dates in JST); the attacks' own authenticated mail is not counted; free-mail senders left out; "
                        "imitated: correspondent_lookalike and freemail_impersonation may imitate it (two messages > 25 h apart)",
                "operators": [{"recipient_org": HOSTED.domain, "operator": PROVIDER, "messages": to_hosted}],
                "correspondents": corr,
                "names": {k: sorted(v) for k, v in sorted(names.items())}}

    def learn_facts(self) -> None:
        """Who writes authenticated mail to whom: every genuine office message planned so far is built once (its
        own stream, so exactly the bytes written later; the ZipCrypto encryption, which draws from a stream of its
        own, is skipped) and its header read: the recipient organisation's A-R (the only one genuine mail carries,
        trusted by position), dmarc=pass for the From's organisation, the From address and display name, the To."""
        self.auth: dict[tuple[str, str], list[tuple[dt.datetime, str, str, tuple[str, ...]]]] = {}
        stamps = {o.authserv: o.domain for o in TENANTS + [HOSTED]}
        self.sketching = True
        for m in self.gen.msgs:
            if m.build is None or m.label is None or m.label["kind"] in ATTACK_KINDS:
                continue
            head = m.build().split(b"\n\n", 1)[0].decode("latin-1")
            a = re.search(r"(?m)^Authentication-Results: ([^;\s]+);((?:.*)(?:\n[ \t].*)*)", head)  # the first is the top one
            hf = re.search(r"dmarc=pass\b.*?header\.from=([^\s;]+)", a.group(2), re.S) if a else None
            rcpt_org = stamps.get(a.group(1)) if a else None
            if rcpt_org is None or hf is None:
                continue
            h = email.parser.HeaderParser(policy=email.policy.compat32).parsestr(head)
            unfold = lambda v: re.sub(r"\r?\n[ \t]", " ", v or "")
            raw_name, addr = email.utils.parseaddr(unfold(h["From"]))
            if "@" not in addr:
                continue
            name = str(email.header.make_header(email.header.decode_header(raw_name))) if raw_name else ""
            sender_org = org_of(addr.split("@")[1])
            if org_of(hf.group(1)) != sender_org:
                continue
            tos = tuple(t.lower() for _, t in email.utils.getaddresses([unfold(h["To"])]) if "@" in t)
            self.auth.setdefault((rcpt_org, sender_org), []).append((m.date, addr.lower(), name, tos))
        self.sketching = False
        for v in self.auth.values():
            v.sort()
        # The partners each organisation corresponds with, and their people whose names it sees on that mail.
        partners = {p.domain: p for p in PARTNERS}
        for (rcpt_org, sender_org), xs in sorted(self.auth.items()):
            if sender_org not in partners or not self.corresponds(rcpt_org, sender_org):
                continue
            self.corr.setdefault(rcpt_org, []).append(sender_org)
            theirs = {p.addr: p for p in self.people[sender_org]}
            for addr in sorted({x[1] for x in xs if x[1] in theirs and x[2] == theirs[x[1]].name_ja}):
                self.names.setdefault(rcpt_org, []).append((partners[sender_org], theirs[addr]))

    # -- benign: PPAP pairs ----------------------------------------------------------------------------------------

    def ppap(self, i: int) -> None:
        r = random.Random(f"{self.seed}:ppap:{i}")
        org, partner = r.choice(TENANTS), r.choice(PARTNERS + [t for t in TENANTS])
        if partner == org:
            partner = PARTNERS[i % len(PARTNERS)]
        frm = self.person(r, partner.domain)
        tos = r.sample(self.people[org.domain], r.choice([1, 1, 1, 2, 3]))
        ccs = r.sample([p for p in self.people[org.domain] if p not in tos], r.choice([0, 0, 1]))
        if r.random() < 0.3:
            ccs.append(r.choice([p for p in self.people[partner.domain] if p != frm]))
        doc = r.choice(DOCS)
        pw = make_password(r)
        auto = r.random() < 0.35  # an automatic PPAP gateway sends both mails
        d = self.date(r)
        d2 = d + dt.timedelta(minutes=r.randint(1, 12), seconds=r.randint(0, 59))
        rcpts = [p.addr for p in tos + ccs]
        subject = f"{doc}送付の件（{r.choice(['案件', 'No.', '件番'])}{r.randint(1000, 99999)}）"
        key_a, key_b = f"P{i:05d}:a", f"P{i:05d}:b"
        pw_text, pw_variant = password_text(r, pw)
        layout = {"ppap_pw_variant": pw_variant, "auto_ppap": auto}
        common = dict(org=org, partner=partner, frm=frm, tos=tos, ccs=ccs, subject=subject)

        def build_a() -> bytes:
            rr = random.Random(f"{self.seed}:ppap-a:{i}")
            cs = self.charset(rr)
            lines = [f"{doc}を送付いたします。", "ご査収のほど、よろしくお願いいたします。", "",
                     "添付ファイルはパスワード付きZIPで暗号化しております。" + ("パスワードは別メールにてお送りいたします。" if rr.random() < 0.7 else "")]
            if auto:
                lines += ["", "※このメールの添付ファイルは自動的に暗号化されています。復号パスワードは別途通知されます。"]
            body = self.letter(rr, tos[0], frm, partner.name_ja, lines, f"{key_a}-{rr.randint(1000, 9999)}")
            inner_name = f"{doc}_{rr.randint(1, 999):03d}." + rr.choice(["pdf", "xlsx", "docx"])
            if inner_name.endswith("pdf"):
                data = pdf([f"{doc} {key_a}", f"Ref {rr.randint(100000, 999999)}"], rr.randbytes(sized(rr, 30_000, 300_000)))
            elif inner_name.endswith("xlsx"):
                data = xlsx([["品目", "数量", "金額"]] + [[f"item-{j}", rr.randint(1, 50), rr.randint(100, 99999)] for j in range(rr.randint(3, 60))] + [[key_a, 0, 0]])
            else:
                data = docx([f"{doc} {key_a}", body[:120]])
            z = b"" if self.sketching else zipcrypto_zip(inner_name.encode("cp932"), data, pw.encode(), random.Random(key_a))
            zname = f"{doc}_{d:%Y%m%d}.zip" if rr.random() < 0.8 else f"{inner_name.rsplit('.', 1)[0]}.zip"
            b = f"=_ppap_{hashlib.sha1(key_a.encode()).hexdigest()[:12]}"
            mime = multipart("mixed", b, [self.text(rr, body, cs), attachment_part(zname, "application/zip", z, "UTF-8")])
            return self.partner_mail(rr, d, msgs[0].msgid, cs, mime, **common)

        def build_b() -> bytes:
            rr = random.Random(f"{self.seed}:ppap-b:{i}")
            cs = self.charset(rr)
            if auto:
                body = (f"先ほどお送りしたメール「{subject}」の添付ファイルのパスワードをお知らせします。\n\n{pw_text}\n\n"
                        f"送信日時: {d:%Y/%m/%d %H:%M}\n送信者: {frm.addr}\n(通知番号 {key_b}-{rr.randint(1000, 9999)})\n")
                subj = rr.choice(["【パスワード通知】", "[パスワードのお知らせ] "]) + subject
            else:
                lines = [f"先ほどお送りした{doc}のパスワードをお知らせいたします。", "", pw_text]
                body = self.letter(rr, tos[0], frm, partner.name_ja, lines, f"{key_b}-{rr.randint(1000, 9999)}")
                subj = rr.choice(["パスワードのお知らせ", f"Re: {subject}（パスワード）", "パスワード送付", f"【パスワード】{subject}"])
            return self.partner_mail(rr, d2, msgs[1].msgid, cs, self.text(rr, body, cs), **{**common, "subject": subj})

        msgs = []
        msgs.append(self.add(key_a, d, rcpts, frm.addr, "ppap", {"kind": "ppap", "pair_key": key_b, **layout}, build_a))
        msgs.append(self.add(key_b, d2, rcpts, frm.addr, "ppap_password", {"kind": "ppap_password", "pair_key": key_a, **layout}, build_b))

    def partner_mail(self, r: random.Random, d: dt.datetime, msgid: str, cs: str, mime: str, org: Org, partner: Org,
                     frm: Person, tos: list[Person], ccs: list[Person], subject: str, extra: list[str] | None = None) -> bytes:
        """Genuine mail from a correspondent: its own server, aligned SPF and DKIM, our MX's pass (when it stamps)."""
        helo, rdns, ip, sub = self.partner_hop(r, d, partner.domain)
        ar = self.ar(org, "pass", frm.domain, frm.domain, "pass", frm.domain) if r.random() < (0.9 if org.operator else 0.75) else None
        trace = self.inbound(r, d, org, tos[0].addr, frm.addr, helo, rdns, ip, ar=ar, pre=sub, delivered_to=len(tos) + len(ccs) == 1)
        head = self.head(trace, msgid, d, self.hdr_addr(frm.name_ja, frm.addr, cs),
                         ",\n ".join(self.hdr_addr(p.name_ja, p.addr, cs) for p in tos), subject, cs,
                         cc=",\n ".join(self.hdr_addr(p.name_ja, p.addr, cs) for p in ccs) if ccs else None,
                         extra=(extra or []) + (["X-Mailer: Microsoft Outlook 16.0"] if r.random() < 0.4 else []),
                         dkim_domain=frm.domain if r.random() < 0.5 else None, r=r)
        return (head + mime).encode("latin-1")

    # -- attacks ---------------------------------------------------------------------------------------------------

    def spoof_sender(self, r: random.Random, technique: str, org: Org, d: dt.datetime, rcpt: str, cs: str, tag: str,
                     imitate: tuple[Org, Person, str] | None = None) -> dict:
        """The From, trace fields and extra headers of a spoofed sender by `technique`, and whether the header shows it.
        `imitate`: the correspondent and its person a correspondent_lookalike imitates, and the variant wanted."""
        partner = r.choice(PARTNERS)
        pp = self.person(r, partner.domain)
        colleague = self.person(r, org.domain)
        host, rdns, ip = self.attacker_hop(r)
        out = {"technique": technique, "headers_show": True, "extra": [], "variant": None}
        if technique == "display_name_address":
            shown, name = r.choice(SPOOFED_NAMES + [(pp.addr, partner.name_ja), (f"soumu@{org.domain}", "総務部")])
            fd = r.choice(["docomo.ne.jp", "gmail.com", "yahoo.co.jp", "outlook.jp"]) if r.random() < 0.7 else host.split(".", 1)[1]
            addr = f"{r.choice(['k', 'jp', 'info', 'office', 'staff'])}{r.randint(100, 99999)}@{fd}"
            disp = f"{shown} ({name})" if r.random() < 0.6 else shown
            frm = (f"\"{disp}\" <{addr}>" if disp.isascii() else f"{encoded_words(disp, cs)} <{addr}>")
            if fd in dict(FREEMAIL):
                host, rdns, ip = self.freemail_hop(r, fd)
                ar = self.ar(org, "pass", fd, fd, "pass", fd)
            else:
                ar = self.ar(org, "pass", fd, None, "none", fd) if r.random() < 0.6 else None
            out.update(frm=frm, env=addr, ar=ar, variant="freemail" if fd in dict(FREEMAIL) else "hosting", shown=shown)
        elif technique == "recipient_lookalike":
            variant, dom = lookalike(r, org.domain)
            who = r.choice([(colleague.name_ja, colleague.local), ("総務部", "soumu"), ("人事部", "jinji"), ("情報システム部", "helpdesk")])
            addr = f"{who[1]}@{dom}"
            out.update(frm=self.hdr_addr(who[0], addr, cs), env=addr, variant=variant, lookalike=dom,
                       ar=self.ar(org, "pass", dom, None, "none", dom) if r.random() < 0.6 else None)
            host = f"mail.{dom}"
            rdns = host if r.random() < 0.5 else "unknown"
        elif technique == "reply_to_freemail_lookalike":
            fd = r.choice(["gmail.com", "yahoo.co.jp", "outlook.jp"])
            base = r.choice([(pp, partner), (colleague, org)])
            lab = base[1].domain.split(".")[0]
            rt = r.choice([f"{lab}.{base[0].local.replace('-', '.')}@{fd}", f"{base[0].local.replace('-', '')}.{lab}@{fd}",
                           f"{lab}-{r.randint(1, 99)}@{fd}", f"{base[1].domain.replace('.', '-')}@{fd}"])
            out.update(frm=self.hdr_addr(base[0].name_ja, base[0].addr, cs), env=f"bounce{r.randint(100, 999)}@{host}",
                       ar=None, reply_to=rt, variant="partner" if base[1] is partner else "own_org")
            out["extra"].append(f"Reply-To: {rt}")
        elif technique in ("auth_fail_own_mx", "auth_fail_hosted_mx"):
            # hosted: the provider stamps the fail above its own entry Received; only a learned operator makes it trusted
            base = r.choice([(pp, partner), (colleague, org)])
            env = r.choice([base[0].addr, f"{base[0].local}@{host}"])
            out.update(frm=self.hdr_addr(base[0].name_ja, base[0].addr, cs), env=env, variant="partner" if base[1] is partner else "own_org",
                       ar=self.ar(org, r.choice(["fail", "softfail"]) if env == base[0].addr else "pass", env.split("@")[1], None, "fail", base[0].domain))
            if technique == "auth_fail_hosted_mx":
                out["headers_show"] = False
        elif technique == "correspondent_lookalike":
            # a lookalike of a partner the recipient organisation really corresponds with, set up properly: its own
            # server, SPF pass, often its own aligned DKIM and a DMARC record; only the learned correspondent shows it
            partner, pp, want = imitate
            options = [o for o in lookalike_options(r, partner.domain) if o[1] not in self.orgs]
            variant, dom = r.choice([o for o in options if o[0] == want] or options)
            addr = f"{pp.local}@{dom}"
            host = f"{r.choice(['mail', 'smtp', 'mx'])}.{dom}"
            rdns = host if r.random() < 0.7 else "unknown"
            k = r.random()
            dkim, dmarc = (dom, "pass") if k < 0.5 else (None, "pass") if k < 0.7 else (None, "none")
            ar = self.ar(org, "pass", dom, dkim, dmarc, dom) if r.random() < (0.9 if org.operator else 0.8) else None
            out.update(frm=self.hdr_addr(pp.name_ja, addr, cs), env=addr, variant=variant, lookalike=dom, ar=ar, headers_show=False,
                       imitates=partner.domain, dkim_domain=dkim, person=pp, company=partner.name_ja)
        elif technique == "forged_auth_results":
            base = r.choice([(pp, partner), (colleague, org)])
            forged = self.ar(org, "pass", base[0].domain, base[0].domain, "pass", base[0].domain)
            v = r.choice(["with_own_fail", "with_lookalike", "alone"])
            frm_addr = base[0].addr
            ar = None
            if v == "with_own_fail":
                ar = self.ar(org, "softfail", base[0].domain, None, "fail", base[0].domain)
            elif v == "with_lookalike":
                _, dom = lookalike(r, org.domain)
                frm_addr = f"{colleague.local}@{dom}"
                forged = self.ar(org, "pass", dom, dom, "pass", dom)
                base = (colleague, org)
            else:
                out["headers_show"] = base[1] is org  # own domain from outside is still visible; a partner's is not
            out.update(frm=self.hdr_addr(base[0].name_ja, frm_addr, cs), env=frm_addr, ar=ar, forged=forged, variant=v)
        elif technique == "freemail_impersonation":
            learnable = self.names.get(org.domain)
            if learnable and (partner, pp) not in learnable:  # someone whose name a batch learns: their authenticated
                partner, pp = random.Random(f"{self.seed}:{tag}:impersonate").choice(learnable)  # mail to org, from a correspondent
            fd = r.choice(["gmail.com", "yahoo.co.jp", "outlook.jp", "docomo.ne.jp"])
            addr = f"{pp.local.replace('-', '.')}{r.randint(1, 9999)}@{fd}"
            host, rdns, ip = self.freemail_hop(r, fd)
            out.update(frm=self.hdr_addr(pp.name_ja, addr, cs), env=addr, ar=self.ar(org, "pass", fd, fd, "pass", fd), headers_show=False,
                       claims=partner.domain)
        else:  # none: the attacker's own domain under a plausible name (the 10 % the NPA did not count as spoofed)
            dom = r.choice(["kokusai-kenkyu-center.jp", "jinzai-bank.net", "order-support.jp"])
            addr = f"{r.choice(['info', 'support', 'office'])}@{dom}"
            out.update(frm=self.hdr_addr(r.choice(["国際情勢研究センター", "注文受付センター", "採用担当"]), addr, cs), env=addr,
                       ar=self.ar(org, "pass", dom, None, "none", dom) if r.random() < 0.5 else None, technique=None, headers_show=None)
            host, rdns = f"mail.{dom}", f"mail.{dom}"
        out.update(host=host, rdns=rdns, ip=ip)
        out.setdefault("forged", None)
        out["trace"] = self.inbound(r, d, org, rcpt, out["env"], host, rdns, ip, ar=out["ar"], forged=out["forged"], delivered_to=True)
        return out

    def attack_message(self, r: random.Random, key: str, d: dt.datetime, org: Org, to: Person, technique: str | None,
                       subject: str, body_fn, files_fn, cs: str, imitate: tuple[Org, Person, str] | None = None) -> bytes:
        s = self.spoof_sender(r, technique or "none", org, d, to.addr, cs, key, imitate)
        body = body_fn(s)
        files = files_fn()
        tp = self.text(r, body, cs)
        mime = multipart("mixed", f"=_{hashlib.sha1(key.encode()).hexdigest()[:16]}",
                         [tp] + [attachment_part(fn, ct, data, "UTF-8") for fn, ct, data in files]) if files else tp
        extra = s["extra"] + (["X-Mailer: Microsoft Outlook 16.0"] if r.random() < 0.3 else [])
        msgid_dom = s["env"].split("@")[1]
        head = self.head(s["trace"], f"{d:%Y%m%d%H%M%S}.{hashlib.sha1(key.encode()).hexdigest()[:10]}@{msgid_dom}", d, s["frm"],
                         self.hdr_addr(to.name_ja, to.addr, cs), subject, cs, extra=extra, dkim_domain=s.get("dkim_domain"), r=r)
        return (head + mime).encode("latin-1")

    def technique_for(self, r: random.Random) -> str | None:
        """NPA H1 2019: about 90 % of the senders were spoofed."""
        return r.choices(["display_name_address", "recipient_lookalike", "reply_to_freemail_lookalike", "auth_fail_own_mx",
                          "forged_auth_results", "freemail_impersonation", None], [25, 20, 10, 15, 8, 12, 10])[0]

    def lure_body(self, r: random.Random, to: Person | None, topic: str, pw_text: str | None, link: str | None, sig: str, uniq: str) -> str:
        t = [f"{to.name_ja}様" if to is not None and r.random() < 0.6 else "ご担当者様", "", r.choice(["お世話になっております。", "突然のご連絡失礼いたします。", "いつもお世話になっております。"]), "", topic]
        if link:
            t += ["", "資料は下記よりダウンロードしてください。", link]
        else:
            t += [r.choice(["添付ファイルをご確認ください。", "詳細は添付の圧縮ファイルをご覧ください。", "お手数ですが、添付資料をご確認のうえご返信ください。"])]
        if pw_text:
            t += ["", "添付ファイルはパスワードで保護しております。", pw_text]
        t += ["", "よろしくお願いいたします。", "", sig, f"({uniq})"]
        return "\n".join(t) + "\n"

    def npa_campaign(self, c: int) -> None:
        """The same lure text to >= 10 places (NPA: bulk lures), one message per recipient, spoofed sender."""
        r = random.Random(f"{self.seed}:npa:{c}")
        cid = f"J{c:04d}"
        subject, topic, base = NPA_LURES[[1, 0, 2, 3][c % 4] if c < 4 else r.randrange(len(NPA_LURES))]
        technique = ["display_name_address", "auth_fail_own_mx", "recipient_lookalike", "reply_to_freemail_lookalike"][c % 4]
        pk = ["zip_lnk", "zip_exe", "docm", "iso_lnk"][c % 4]
        size = [10, 12][c % 2] + (c // 2) % 3
        targets = [self.person(r, TENANTS[j % 3].domain) for j in range(size)]
        targets = list(dict.fromkeys(targets))
        sig = f"{r.choice(['国際情勢研究会', '注文受付センター', '経理部', '研究会事務局'])}\n{r.choice(SURNAMES)[1]}"
        d0 = self.date(r)
        keys = []
        for j, to in enumerate(targets):
            org = self.orgs[to.domain]
            key = f"{cid}:{j:04d}"
            d = d0 + dt.timedelta(minutes=2 * j + r.randint(0, 1), seconds=r.randint(0, 59))
            def build(key=key, d=d, org=org, to=to):
                rr = random.Random(f"{self.seed}:{key}")
                cs = ["ISO-2022-JP", "Shift_JIS", "UTF-8"][hash_int(key) % 3] if c % 2 else "ISO-2022-JP"
                return self.attack_message(rr, key, d, org, to, technique, subject,
                                           lambda s: self.lure_body(random.Random(cid), None, topic, None, None, sig, f"照会番号 {cid}"),
                                           lambda: self.payload(pk, cid, base), cs)
            label = {"kind": "malicious", "technique": technique, "payload": pk, "campaign_size": len(targets)}
            s = self.spoof_sender(random.Random(f"{self.seed}:{key}"), technique, org, d, to.addr, "UTF-8", key)  # build's first draws
            label["headers_show"], label["variant"] = s["headers_show"], s.get("variant")
            m = self.add(key, d, [to.addr], "", "lure", label, build, campaign=cid)
            keys.append(m.key)
        addrs = sorted({t.addr for t in targets})
        self.gen.campaigns[cid] = {"kind": "lure", "targeted": True, "linked_by": ["text", "payload"], "layout": "each",
                                   "distinct_recipients": len(addrs), "distinct_domains": len({a.split("@")[1] for a in addrs}),
                                   "bulk": len(addrs) >= 10, "bulk_with_link_similar": len(addrs) >= 10, "recipients_in_bcc": False,
                                   "recipients": addrs, "keys": keys, "sender": f"(spoofed: {technique})",
                                   "note": f"NPA-modelled bulk lure, payload {pk}, spoofed sender ({technique}), three tenants"}

    def lure(self, i: int, nosignal: bool) -> None:
        r = random.Random(f"{self.seed}:lure:{i}")
        cid = f"T{i:05d}"
        org = r.choice(TENANTS)
        to = self.person(r, org.domain)
        subject, topic, base = r.choice(NPA_LURES)
        technique = self.technique_for(r)
        if nosignal:
            pk = r.choice(["link", "link", "locked_zip"])
        else:
            pk = r.choice(["zip_js", "zip_exe", "zip_lnk", "zip_vbs", "docm", "remote_template", "iso_lnk", "pwzip_body", "pwzip_body"])
        pw = make_password(r) if pk in ("pwzip_body", "locked_zip") else None
        pw_text, pw_variant = password_text(r, pw) if pk == "pwzip_body" else (None, None)
        link = f"https://{r.choice(['drive', 'files', 'share', 'dl'])}.{r.choice(['cloud-box24.net', 'file-send.jp', 'docs-share.net'])}/{hashlib.sha1(cid.encode()).hexdigest()[:10]}" if pk == "link" else None
        d = self.date(r)
        sig = f"{r.choice(COMPANIES)}\n{r.choice(DEPTS)} {r.choice(SURNAMES)[1]}"
        def build():
            rr = random.Random(f"{self.seed}:{cid}")
            cs = self.charset(rr)
            return self.attack_message(rr, cid, d, org, to, technique, subject,
                                       lambda s: self.lure_body(rr, to, topic, pw_text, link, sig, f"照会番号 {cid}"),
                                       lambda: self.payload(pk, cid, base, pw), cs)
        label = {"kind": "malicious_nosignal" if nosignal else "malicious", "technique": technique,
                 "payload": pk}
        if technique is not None:
            label["headers_show"], label["variant"] = self.replay_show(cid, d, org, to, technique)
            label["learn"] = LEARN.get(technique)
        if pw_variant:
            label["pw_variant"] = pw_variant
        self.add(cid, d, [to.addr], "", "single", label, build, campaign=cid)
        self.gen.campaigns[cid] = {"kind": "single", "targeted": True, "linked_by": ["none"], "layout": "each",
                                   "distinct_recipients": 1, "distinct_domains": 1, "bulk": False, "bulk_with_link_similar": False,
                                   "recipients_in_bcc": False, "recipients": [to.addr.lower()], "keys": [cid],
                                   "sender": f"(spoofed: {technique})", "note": f"one-off NPA-modelled lure, payload {pk}"}

    def spoof(self, i: int) -> None:
        r = random.Random(f"{self.seed}:spoof:{i}")
        org = r.choice(TENANTS)
        to = self.person(r, org.domain)
        technique = ["display_name_address", "recipient_lookalike", "reply_to_freemail_lookalike", "auth_fail_own_mx",
                     "forged_auth_results", "freemail_impersonation"][i % 6]
        subject, tmpl = r.choice(SPOOF_LURES)
        d = self.date(r)
        key = f"B{i:05d}"
        def build():
            rr = random.Random(f"{self.seed}:{key}")
            cs = self.charset(rr)
            def body_fn(s):  # drawn after the sender, so that replay_show() repeats the sender's draws exactly
                text = tmpl.format(bank=f"{rr.choice(['みずなみ', 'さくら葉', 'あおぞら台'])}銀行 {rr.choice(['本店', '新宿支店', '梅田支店'])} 普通 {rr.randint(1000000, 9999999)}",
                                   url=f"https://mail-{org.domain.split('.')[0]}.login-check.net/{hashlib.sha1(key.encode()).hexdigest()[:8]}")
                return f"{to.name_ja}様\n\n{rr.choice(JA_OPEN)}\n{text}\n\nよろしくお願いいたします。\n({key}-{rr.randint(100, 999)})\n"
            return self.attack_message(rr, key, d, org, to, technique, subject, body_fn, lambda: [], cs)
        # headers_show depends on a draw inside build (forged_auth_results 'alone' with a partner From): replay it.
        show, variant = self.replay_show(key, d, org, to, technique)
        self.add(key, d, [to.addr], "", "spoofed", {"kind": "spoofed", "technique": technique, "headers_show": show, "variant": variant,
                                                    "learn": LEARN.get(technique)}, build)

    def replay_show(self, key: str, d: dt.datetime, org: Org, to: Person, technique: str,
                    imitate: tuple[Org, Person, str] | None = None) -> tuple[bool, str | None]:
        """Whether the header shows the spoof depends on draws inside build(): repeat them with the same stream."""
        rr = random.Random(f"{self.seed}:{key}")
        cs = self.charset(rr)
        s = self.spoof_sender(rr, technique, org, d, to.addr, cs, key, imitate)
        return s["headers_show"], s.get("variant")

    def forwarded_report(self, i: int) -> None:
        """A user forwards a lure they received to the security desk, as an attached message (message/rfc822)."""
        r = random.Random(f"{self.seed}:fwd:{i}")
        org = r.choice(TENANTS)
        user = self.person(r, org.domain)
        sec = Person("security", org.domain, "情報セキュリティ窓口", "Security Desk", "窓口")
        key = f"F{i:04d}"
        d = self.date(r)
        subject, topic, base = r.choice(NPA_LURES)
        pk = r.choice(["zip_js", "zip_exe", "iso_lnk", "docm"])
        def build():
            rr = random.Random(f"{self.seed}:{key}")
            inner_key = f"{key}:inner"
            inner = self.attack_message(rr, inner_key, d - dt.timedelta(minutes=rr.randint(5, 90)), org, user, "display_name_address",
                                        subject, lambda s: self.lure_body(rr, user, topic, None, None, "事務局", f"照会番号 {inner_key}"),
                                        lambda: self.payload(pk, inner_key, base), "ISO-2022-JP")
            cs = self.charset(rr)
            note = (f"情報セキュリティ窓口 御中\n\n{org.name_ja}の{user.surname_ja}です。\n不審なメールが届きましたので転送いたします。\n"
                    f"添付ファイルは開いておりません。\nご確認をお願いいたします。\n\n{user.name_ja}\n(報告 {key})\n")
            b = f"=_fwd_{hashlib.sha1(key.encode()).hexdigest()[:12]}"
            att = (f"Content-Type: message/rfc822; name=\"suspicious.eml\"\nContent-Transfer-Encoding: 7bit\n"
                   f"Content-Disposition: attachment; filename=\"suspicious.eml\"\n\n" + inner.decode("latin-1"))
            mime = multipart("mixed", b, [self.text(rr, note, cs), att])
            trace = self.internal(rr, d, org, sec.addr, user.addr)
            return (self.head(trace, f"{d:%Y%m%d%H%M%S}.{key}@{org.domain}", d, self.hdr_addr(user.name_ja, user.addr, cs),
                              self.hdr_addr(sec.name_ja, sec.addr, cs), "Fw: " + subject + "（不審メールの報告）", cs,
                              extra=["X-Mailer: Microsoft Outlook 16.0"]) + mime).encode("latin-1")
        self.add(key, d, [sec.addr], user.addr, "forwarded_report", {"kind": "forwarded_report", "payload": pk}, build)

    # -- benign look-alikes ----------------------------------------------------------------------------------------

    def mailing_list(self, i: int) -> None:
        r = random.Random(f"{self.seed}:list:{i}")
        name, host, title = r.choice(LISTS)
        org = r.choice(TENANTS)
        rcpt = self.person(r, org.domain)
        poster_org = r.choice(PARTNERS + [org]) if r.random() < 0.8 else org  # colleagues post to outside lists too
        poster = self.person(r, poster_org.domain)
        key = f"M{i:05d}"
        d = self.date(r)
        seq = r.randint(100, 9999)
        variant = r.choice(["plain", "dkim_broken", "munged_from", "subject_tag"])
        def build():
            rr = random.Random(f"{self.seed}:{key}")
            cs = rr.choice(["ISO-2022-JP", "UTF-8"])
            lines = [rr.choice(JA_TOPIC), fill(rr, rr.choice(JA_DETAIL)), fill(rr, rr.choice(JA_DETAIL))]
            body = (f"{title}の皆様\n\n{poster_org.name_ja}の{poster.surname_ja}です。\n" + "\n".join(lines) +
                    f"\n\n{poster.name_ja}\n\n-- \n{name} mailing list\n{name}@{host}\nhttps://{host}/mailman/listinfo/{name}\n(投稿 {key})\n")
            env = f"{name}-bounces+{rcpt.local}={org.domain}@{host}"
            ar = None
            if rr.random() < 0.8:
                if variant == "dkim_broken":
                    ar = (f"Authentication-Results: {org.mx};\n\tspf=pass smtp.mailfrom={host};\n\tdkim=fail (body hash did not verify) "
                          f"header.d={poster.domain} header.s=s1;\n\tdmarc=fail (p=none dis=none) header.from={poster.domain}")
                elif variant == "munged_from":
                    ar = self.ar(org, "pass", host, host, "pass", host)
                else:
                    ar = self.ar(org, "pass", host, host, "none" if poster_org is not org else "fail", poster.domain)
            ip = f"198.51.100.{hash_int(host) % 50 + 60}"
            trace = self.inbound(rr, d, org, rcpt.addr, env, host, host, ip, ar=ar,
                                 pre=[f"Received: from {self.partner_hop(rr, d, poster.domain)[0]} (unknown [198.51.100.{rr.randint(20, 59)}])\n\tby {host} (Postfix) with ESMTPS id "
                                      f"{rr.getrandbits(40):010X}\n\tfor <{name}@{host}>; {mdate(d - dt.timedelta(seconds=rr.randint(5, 60)))}"])
            frm = (f"{encoded_words(poster.name_ja + ' via ' + name, cs)} <{name}@{host}>" if variant == "munged_from"
                   else self.hdr_addr(poster.name_ja, poster.addr, cs))
            extra = [f"Sender: {name}-bounces@{host}", f"List-Id: {name} <{name}.{host}>", f"List-Post: <mailto:{name}@{host}>",
                     f"List-Unsubscribe: <https://{host}/mailman/options/{name}>,\n <mailto:{name}-request@{host}?subject=unsubscribe>",
                     f"List-Archive: <https://{host}/pipermail/{name}/>", "Precedence: list", f"X-Mailman-Version: 2.1.{rr.randint(20, 39)}",
                     f"X-Sequence: {seq}"]
            if variant == "munged_from":
                extra.append(f"Reply-To: {self.hdr_addr(poster.name_ja, poster.addr, cs)}")
            subj = (f"[{name}:{seq:05d}] " if variant != "plain" else "") + rr.choice(JA_TOPIC).rstrip("。")
            head = self.head(trace, f"{d:%Y%m%d%H%M%S}.{key.lower()}@{poster.domain}", d, frm, f"{name}@{host}", subj, cs, extra=extra,
                             dkim_domain=poster.domain if variant == "dkim_broken" else None, r=rr)
            return (head + self.text(rr, body, cs)).encode("latin-1")
        self.add(key, d, [f"{name}@{host}", rcpt.addr], poster.addr, "list",
                 {"kind": "list", "variant": variant, "own_domain_poster": poster_org is org, "msgid_domain": poster.domain}, build)

    def esp(self, i: int) -> None:
        r = random.Random(f"{self.seed}:esp:{i}")
        brand = r.choice(PARTNERS)
        org = r.choice(TENANTS)
        rcpt = self.person(r, org.domain)
        bounce, mta, known = r.choice(ESPS)
        key = f"E{i:05d}"
        d = self.date(r)
        def build():
            rr = random.Random(f"{self.seed}:{key}")
            issue = rr.randint(1, 400)
            uid = hashlib.sha1(f"{key}{rcpt.addr}".encode()).hexdigest()[:16]
            text = (f"{rcpt.name_ja}様\n\n{brand.name_ja} ニュースレター 第{issue}号をお届けします。\n\n" +
                    "\n".join(fill(rr, t) for t in rr.sample(JA_DETAIL, 3)) +
                    f"\n\n配信停止はこちら: https://{mta.format(n=1)}/u/{uid}\n配信元: {brand.name_ja}\n")
            env = f"bounce-{uid}-{rcpt.local}={org.domain}@{bounce}"
            host = mta.format(n=rr.randint(1, 40))
            ar = self.ar(org, "pass", bounce, brand.domain, "pass", brand.domain) if rr.random() < 0.8 else None
            trace = self.inbound(rr, d, org, rcpt.addr, env, host, host, f"198.51.100.{rr.randint(100, 140)}", ar=ar)
            extra = [f"List-Unsubscribe: <https://{mta.format(n=1)}/u/{uid}>,\n <mailto:unsub-{uid}@{bounce}>",
                     "List-Unsubscribe-Post: List-Unsubscribe=One-Click", f"Feedback-ID: {issue}:{brand.domain.split('.')[0]}:esp",
                     "Precedence: bulk"]
            cs = "UTF-8"
            body = multipart("alternative", f"=_esp_{uid}", [text_part(text, cs, "base64"), text_part(html_of(text), cs, "quoted-printable", "html")])
            head = self.head(trace, f"{uid}.{issue}@{mta.format(n=1)}", d, self.hdr_addr(f"{brand.name_ja} ニュース", f"news@news.{brand.domain}", cs),
                             rcpt.addr, f"【{brand.name_ja}】ニュースレター 第{issue}号", cs, extra=extra, dkim_domain=brand.domain, r=rr)
            return (head + body).encode("latin-1")
        self.add(key, d, [rcpt.addr], f"news@news.{brand.domain}", "esp", {"kind": "esp", "esp_known": known, "msgid_domain": mta.format(n=1)}, build)

    def honest_freemail(self, i: int) -> None:
        r = random.Random(f"{self.seed}:free:{i}")
        org = r.choice(TENANTS)
        rcpt = self.person(r, org.domain)
        (s_en, s_ja), (g_en, g_ja) = r.choice(OFFICE_SURNAMES), r.choice(OFFICE_GIVEN)
        fd = r.choice(["gmail.com", "gmail.com", "yahoo.co.jp", "docomo.ne.jp", "outlook.jp"])
        addr = r.choice([f"{g_en}.{s_en}", f"{s_en}.{g_en}{r.randint(1, 99)}", f"{g_en[0]}{s_en}{r.randint(1970, 2001)}"]) + "@" + fd
        name = f"{s_ja} {g_ja}"
        key = f"H{i:05d}"
        d = self.date(r)
        why = r.choice(["個人のアドレスから失礼いたします。", "非常勤講師の件でご連絡いたします。", "先日の説明会に参加した者です。",
                        "出張先のため、私用のアドレスからお送りしております。", "ご依頼の原稿をお送りします。"])
        def build():
            rr = random.Random(f"{self.seed}:{key}")
            cs = self.charset(rr)
            body = (f"{rcpt.name_ja}様\n\n{rr.choice(JA_OPEN)}\n{name}です。\n{why}\n" + fill(rr, rr.choice(JA_DETAIL)) +
                    f"\n\n{rr.choice(JA_CLOSE)}\n\n{name}\n{addr}\n(連絡 {key})\n")
            host, rdns, ip = self.freemail_hop(rr, fd)
            ar = self.ar(org, "pass", fd, fd, "pass", fd)
            trace = self.inbound(rr, d, org, rcpt.addr, addr, host, rdns, ip, ar=ar)
            mid = (f"CA{hashlib.sha1(key.encode()).hexdigest()[:20].upper()}@mail.gmail.com" if fd == "gmail.com" else
                   f"{d:%Y%m%d%H%M%S}.{key.lower()}@{'mail.' if fd != 'outlook.jp' else ''}{fd}")
            return (self.head(trace, mid, d, self.hdr_addr(name, addr, cs), self.hdr_addr(rcpt.name_ja, rcpt.addr, cs),
                              rr.choice(["ご相談", "原稿送付の件", "お問い合わせ", "先日のお礼", "日程のご連絡"]), cs) + self.text(rr, body, cs)).encode("latin-1")
        self.add(key, d, [rcpt.addr], addr, "honest_freemail", {"kind": "honest_freemail", "freemail": fd}, build)

    def notification(self, i: int) -> None:
        r = random.Random(f"{self.seed}:notify:{i}")
        org = r.choice(TENANTS)
        rcpt = self.person(r, org.domain)
        variant = ["calendar_partner", "calendar_service", "noreply_internal", "noreply_saas"][i % 4]
        key = f"C{i:05d}"
        d = self.date(r)
        partner = r.choice(PARTNERS)
        organizer = self.person(r, partner.domain)
        def build():
            rr = random.Random(f"{self.seed}:{key}")
            cs = "UTF-8"
            if variant.startswith("calendar"):
                start = d + dt.timedelta(days=rr.randint(1, 20), hours=rr.randint(0, 4))
                uid = f"{hashlib.sha1(key.encode()).hexdigest()}@{partner.domain}"
                summary = rr.choice(["定例打合せ", "仕様レビュー", "見積説明", "キックオフ"])
                ics = ("BEGIN:VCALENDAR\nPRODID:-//spearscan bench//JA\nVERSION:2.0\nMETHOD:REQUEST\nBEGIN:VEVENT\n"
                       f"DTSTART:{start.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}\nDTEND:{(start + dt.timedelta(hours=1)).astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}\n"
                       f"UID:{uid}\nORGANIZER;CN={organizer.name_en}:mailto:{organizer.addr}\nATTENDEE;RSVP=TRUE:mailto:{rcpt.addr}\n"
                       f"SUMMARY:{summary}\nLOCATION:{partner.name_ja} 会議室\nEND:VEVENT\nEND:VCALENDAR\n")
                text = f"{organizer.name_ja}さんから会議への招待が届いています。\n\n件名: {summary}\n日時: {start:%Y/%m/%d %H:%M}\n(招待 {key})\n"
                alt = multipart("alternative", f"=_cal_{key}", [text_part(text, cs, "base64"),
                                                                 text_part(ics, cs, "base64", "calendar").replace('charset="UTF-8"', 'charset="UTF-8"; method=REQUEST')])
                body = multipart("mixed", f"=_calm_{key}", [alt, attachment_part("invite.ics", "application/ics", ics.encode())])
                if variant == "calendar_partner":
                    helo, rdns, ip, sub = self.partner_hop(rr, d, partner.domain)
                    trace = self.inbound(rr, d, org, rcpt.addr, organizer.addr, helo, rdns, ip,
                                         ar=self.ar(org, "pass", partner.domain, partner.domain, "pass", partner.domain), pre=sub)
                    frm, extra = self.hdr_addr(organizer.name_ja, organizer.addr, cs), []
                else:
                    svc = "calendar.sukejuru-cloud.jp"
                    env = f"invitations-bounce@{svc}"
                    trace = self.inbound(rr, d, org, rcpt.addr, env, f"mail.{svc}", f"mail.{svc}", f"198.51.100.{rr.randint(141, 149)}",
                                         ar=self.ar(org, "pass", svc, svc, "none", svc))
                    frm = self.hdr_addr(f"{organizer.name_ja} (スケジュールクラウド)", f"calendar-notification@{svc}", cs)
                    extra = [f"Reply-To: {self.hdr_addr(organizer.name_ja, organizer.addr, cs)}", f"Sender: calendar-notification@{svc}"]
                head = self.head(trace, f"{key.lower()}.{hashlib.sha1(key.encode()).hexdigest()[:8]}@{partner.domain}", d, frm,
                                 self.hdr_addr(rcpt.name_ja, rcpt.addr, cs), f"招待: {summary} @ {start:%Y/%m/%d %H:%M}", cs, extra=extra)
                return (head + body).encode("latin-1")
            if variant == "noreply_internal":
                app = rr.choice([("勤怠管理システム", "kintai"), ("ワークフロー", "wf"), ("ファイルサーバ監視", "monitor")])
                addr = f"noreply@{app[1]}.{org.domain}"
                text = (f"{rcpt.name_ja} 様\n\n{app[0]}からのお知らせです。\n申請番号 {rr.randint(10000, 99999)} が承認されました。\n"
                        f"詳細: https://{app[1]}.{org.domain}/r/{hashlib.sha1(key.encode()).hexdigest()[:10]}\n\n※このメールは送信専用です。返信しないでください。\n")
                trace = self.internal(rr, d, org, rcpt.addr, addr, client=f"{app[1]}.{org.domain}")
                head = self.head(trace, f"{key.lower()}@{app[1]}.{org.domain}", d, self.hdr_addr(app[0], addr, cs), rcpt.addr,
                                 f"[{app[0]}] 申請が承認されました", cs, extra=["Auto-Submitted: auto-generated"])
                return (head + text_part(text, cs, "base64")).encode("latin-1")
            svc = rr.choice(["notify.keihi-cloud.jp", "mail.kintone-like.jp", "info.hrnavi-cloud.jp"])
            addr = f"no-reply@{svc}"
            text = (f"{org.name_ja}\n{rcpt.name_ja} 様\n\n経費精算の申請 ({rr.randint(1000, 9999)}) が差し戻されました。\nログインしてご確認ください。\n"
                    f"https://{svc.split('.', 1)[1] if svc.count('.') > 1 else svc}/login\n\n※本メールは送信専用アドレスから送信しています。\n({key})\n")
            trace = self.inbound(rr, d, org, rcpt.addr, f"bounce@{svc}", f"o{rr.randint(1, 9)}.{svc}", f"o1.{svc}", f"198.51.100.{rr.randint(150, 159)}",
                                 ar=self.ar(org, "pass", svc, svc, "pass", svc))
            head = self.head(trace, f"{key.lower()}@{svc}", d, self.hdr_addr(rr.choice(["経費精算クラウド", "人事ナビ"]), addr, cs), rcpt.addr,
                             "【経費精算】申請が差し戻されました", cs, extra=["Auto-Submitted: auto-generated"])
            return (head + text_part(text, cs, "quoted-printable")).encode("latin-1")
        self.add(key, d, [rcpt.addr], "", "notification", {"kind": "notification", "variant": variant, "msgid_domain": org.domain}, build)

    def sloppy(self, i: int) -> None:
        """Benign mail from software that writes MIME carelessly (old mailers, in-house systems, newsletters)."""
        r = random.Random(f"{self.seed}:sloppy:{i}")
        org = r.choice(TENANTS)
        partner = r.choice(PARTNERS)
        frm = self.person(r, partner.domain)
        to = self.person(r, org.domain)
        faults = sorted(r.sample(["no_close_boundary", "dup_headers", "b64_nopad", "qp_lowercase"], r.choice([1, 1, 2])))
        key = f"X{i:05d}"
        d = self.date(r)
        def build():
            rr = random.Random(f"{self.seed}:{key}")
            cs = "UTF-8" if "qp_lowercase" in faults else self.charset(rr)
            body = self.letter(rr, to, frm, partner.name_ja, [rr.choice(JA_TOPIC), fill(rr, rr.choice(JA_DETAIL))], key)
            if "qp_lowercase" in faults:
                tp = text_part(body, "UTF-8", "quoted-printable")
                head_, _, q = tp.partition("\n\n")
                tp = head_ + "\n\n" + re.sub(r"=([0-9A-F]{2})", lambda mo: "=" + mo.group(1).lower(), q)
            else:
                tp = self.text(rr, body, cs)
            parts = [tp]
            if "b64_nopad" in faults or "no_close_boundary" in faults or rr.random() < 0.5:
                data = pdf([f"{key}", f"Ref {rr.randint(100000, 999999)}"], rr.randbytes(rr.randint(3000, 60000)))
                while len(data) % 3 == 0:  # so that its base64 ends in padding, which b64_nopad then drops
                    data += b"\n"
                att = attachment_part(f"{rr.choice(DOCS)}.pdf", "application/pdf", data)
                if "b64_nopad" in faults:
                    att = att.rstrip("\n").rstrip("=") + "\n"
                parts.append(att)
            b = f"----=_NextPart_{hashlib.sha1(key.encode()).hexdigest()[:8].upper()}"
            if len(parts) > 1:
                mime = multipart("mixed", b, parts)
                if "no_close_boundary" in faults:
                    mime = mime[: mime.rindex(f"--{b}--")].rstrip("\n") + "\n"
            else:
                mime = tp
            helo, rdns, ip, sub = self.partner_hop(rr, d, partner.domain)
            ar = self.ar(org, "pass", frm.domain, frm.domain, "pass", frm.domain) if rr.random() < 0.7 else None
            trace = self.inbound(rr, d, org, to.addr, frm.addr, helo, rdns, ip, ar=ar, pre=sub)
            extra = ["X-Mailer: Becky! ver. 2.75.01" if rr.random() < 0.5 else "X-Mailer: MailSender 1.2"]
            head = self.head(trace, f"{d:%Y%m%d%H%M%S}.{key.lower()}@{partner.domain}", d, self.hdr_addr(frm.name_ja, frm.addr, cs),
                             self.hdr_addr(to.name_ja, to.addr, cs), rr.choice(JA_TOPIC).rstrip("。"), cs, extra=extra)
            if "dup_headers" in faults:
                lines = head.rstrip("\n").split("\n")
                dup = [ln for ln in lines if ln.startswith(("MIME-Version:", "Date:", "X-Mailer:"))]
                head = "\n".join(lines + dup[:2]) + "\n"
            return (head + mime).encode("latin-1")
        self.add(key, d, [to.addr], frm.addr, "sloppy_mime", {"kind": "sloppy_mime", "faults": faults}, build)

    def business(self, i: int) -> None:
        """Ordinary mail of the three organisations with their own MX: a correspondent writing in, or colleagues."""
        r = random.Random(f"{self.seed}:biz:{i}")
        org = r.choice(TENANTS)
        internal = r.random() < 0.35
        partner = org if internal else r.choice(PARTNERS + [t for t in TENANTS if t != org])
        frm = self.person(r, partner.domain)
        tos = [p for p in r.sample(self.people[org.domain], r.choice([1, 1, 2])) if p != frm] or [self.person(r, org.domain)]
        key = f"O{i:05d}"
        d = self.date(r)
        attach = r.random() < 0.3
        def build():
            rr = random.Random(f"{self.seed}:{key}")
            cs = self.charset(rr)
            body = self.letter(rr, tos[0], frm, partner.name_ja, [rr.choice(JA_TOPIC)] + [fill(rr, t) for t in rr.sample(JA_DETAIL, 2)], key)
            tp = self.text(rr, body, cs)
            if attach:
                doc = rr.choice(DOCS)
                mime = multipart("mixed", f"=_biz_{key}", [tp, attachment_part(f"{doc}.pdf", "application/pdf", pdf([key, doc.encode('ascii', 'replace').decode()], rr.randbytes(sized(rr, 30_000, 300_000))))])
            else:
                mime = tp
            subj = rr.choice(JA_TOPIC).rstrip("。")
            if internal:
                trace = self.internal(rr, d, org, tos[0].addr, frm.addr)
                return (self.head(trace, f"{d:%Y%m%d%H%M%S}.{key.lower()}@{org.domain}", d, self.hdr_addr(frm.name_ja, frm.addr, cs),
                                  ",\n ".join(self.hdr_addr(p.name_ja, p.addr, cs) for p in tos), subj, cs) + mime).encode("latin-1")
            return self.partner_mail(rr, d, f"{d:%Y%m%d%H%M%S}.{key.lower()}@{partner.domain}", cs, mime, org, partner, frm, tos, [], subj)
        self.add(key, d, [p.addr for p in tos], frm.addr, "office", {"kind": "ordinary", "origin": "office", "internal": internal}, build)

    # -- the hosted organisation ---------------------------------------------------------------------------------

    def hosted_business(self, i: int) -> None:
        """Ordinary mail of the organisation behind the provider: partners and the three others writing in,
        colleagues writing to each other (submitted to the provider, delivered by it), and its own mail out to the
        three (through the provider's outbound hosts, taken in by their border MX)."""
        r = random.Random(f"{self.seed}:hosted:{i}")
        flow = r.choices(["partner", "colleague", "tenant", "outbound"], [58, 17, 12, 13])[0]
        src = {"partner": r.choice(PARTNERS), "tenant": r.choice(TENANTS)}.get(flow, HOSTED)
        dst = r.choice(TENANTS) if flow == "outbound" else HOSTED
        frm = self.person(r, src.domain)
        tos = [p for p in r.sample(self.people[dst.domain], r.choice([1, 1, 1, 2])) if p != frm] or [self.person(r, dst.domain)]
        key = f"K{i:05d}"
        d = self.date(r)
        attach = r.random() < 0.3
        def build():
            rr = random.Random(f"{self.seed}:{key}")
            cs = self.charset(rr)
            body = self.letter(rr, tos[0], frm, src.name_ja, [rr.choice(JA_TOPIC)] + [fill(rr, t) for t in rr.sample(JA_DETAIL, 2)], key)
            tp = self.text(rr, body, cs)
            if attach:
                doc = rr.choice(DOCS)
                mime = multipart("mixed", f"=_hbiz_{key}", [tp, attachment_part(f"{doc}.pdf", "application/pdf",
                                                                                 pdf([key, doc.encode('ascii', 'replace').decode()], rr.randbytes(sized(rr, 30_000, 300_000))))])
            else:
                mime = tp
            subj = rr.choice(JA_TOPIC).rstrip("。")
            msgid = f"{d:%Y%m%d%H%M%S}.{key.lower()}@{src.domain}"
            if flow != "colleague":
                return self.partner_mail(rr, d, msgid, cs, mime, dst, src, frm, tos, [], subj)
            helo, gw, gw_ip = self.gateway(HOSTED, rr)
            ar = self.ar(HOSTED, "pass", HOSTED.domain, HOSTED.domain, "pass", HOSTED.domain) if rr.random() < 0.9 else None
            trace = self.hosted_inbound(rr, d, HOSTED, tos[0].addr, frm.addr, helo, gw, gw_ip, ar=ar, delivered_to=len(tos) == 1,
                                        submission=frm.addr)
            head = self.head(trace, msgid, d, self.hdr_addr(frm.name_ja, frm.addr, cs), ",\n ".join(self.hdr_addr(p.name_ja, p.addr, cs) for p in tos),
                             subj, cs, extra=["X-Mailer: Microsoft Outlook 16.0"] if rr.random() < 0.4 else [],
                             dkim_domain=HOSTED.domain if rr.random() < 0.8 else None, r=rr)
            return (head + mime).encode("latin-1")
        self.add(key, d, [p.addr for p in tos], frm.addr, "office",
                 {"kind": "ordinary", "origin": "office", "internal": flow == "colleague"}, build)

    # -- attacks only a spool's history shows (issue #14) ----------------------------------------------------------

    def learned_attack(self, key: str, r: random.Random, org: Org, to: Person, d: dt.datetime, technique: str,
                       malicious: bool, imitate: tuple[Org, Person, str] | None = None) -> None:
        """A spoof by `technique` (no payload), or, `malicious`, a one-off lure with an attachment like lure()'s."""
        if malicious:
            subject, topic, base = r.choice(NPA_LURES)
            pk = r.choice(["zip_js", "zip_exe", "zip_lnk", "docm", "remote_template", "iso_lnk", "pwzip_body"])
            pw = make_password(r) if pk == "pwzip_body" else None
            pw_text, pw_variant = password_text(r, pw) if pw else (None, None)
        else:
            subject, tmpl = r.choice(PARTNER_LURES if imitate else SPOOF_LURES)
        def build():
            rr = random.Random(f"{self.seed}:{key}")
            cs = self.charset(rr)
            def body_fn(s):  # drawn after the sender, so that replay_show() repeats the sender's draws exactly
                if imitate:  # written as the imitated person, the lookalike address in the signature
                    pp = s["person"]
                    fake = Person(pp.local, s["lookalike"], pp.name_ja, pp.name_en, pp.surname_ja)
                    if malicious:
                        return self.lure_body(rr, to, topic, pw_text, None, f"{s['company']}\n{pp.name_ja}\nMail: {fake.addr}", f"照会番号 {key}")
                    url = f"https://{s['lookalike']}/share/{hashlib.sha1(key.encode()).hexdigest()[:10]}"
                    text = tmpl.format(bank=f"{rr.choice(['みずなみ', 'さくら葉', 'あおぞら台'])}銀行 {rr.choice(['本店', '新宿支店', '梅田支店'])} 普通 {rr.randint(1000000, 9999999)}", url=url)
                    return self.letter(rr, to, fake, s["company"], text.split("\n"), f"{key}-{rr.randint(100, 999)}")
                if malicious:
                    return self.lure_body(rr, to, topic, pw_text, None, f"{rr.choice(COMPANIES)}\n{rr.choice(DEPTS)} {rr.choice(SURNAMES)[1]}", f"照会番号 {key}")
                text = tmpl.format(bank=f"{rr.choice(['みずなみ', 'さくら葉', 'あおぞら台'])}銀行 {rr.choice(['本店', '新宿支店', '梅田支店'])} 普通 {rr.randint(1000000, 9999999)}",
                                   url=f"https://mail-{org.domain.split('.')[0]}.login-check.net/{hashlib.sha1(key.encode()).hexdigest()[:8]}")
                return f"{to.name_ja}様\n\n{rr.choice(JA_OPEN)}\n{text}\n\nよろしくお願いいたします。\n({key}-{rr.randint(100, 999)})\n"
            files_fn = (lambda: self.payload(pk, key, base, pw)) if malicious else (lambda: [])
            return self.attack_message(rr, key, d, org, to, technique, subject, body_fn, files_fn, cs, imitate)
        show, variant = self.replay_show(key, d, org, to, technique, imitate)
        label = {"kind": "malicious" if malicious else "spoofed", "technique": technique, "headers_show": show, "variant": variant,
                 "learn": LEARN[technique]}
        if imitate:
            label["imitates"] = imitate[0].domain
        if malicious:
            label["payload"] = pk
            if pw_variant:
                label["pw_variant"] = pw_variant
        self.add(key, d, [to.addr], "", "single" if malicious else "spoofed", label, build, campaign=key if malicious else None)
        if malicious:
            self.gen.campaigns[key] = {"kind": "single", "targeted": True, "linked_by": ["none"], "layout": "each",
                                       "distinct_recipients": 1, "distinct_domains": 1, "bulk": False, "bulk_with_link_similar": False,
                                       "recipients_in_bcc": False, "recipients": [to.addr.lower()], "keys": [key],
                                       "sender": f"(spoofed: {technique})", "note": f"one-off lure, payload {pk}, {technique}"}

    def hosted_spoof(self, i: int) -> None:
        """auth_fail_hosted_mx: a partner's or a colleague's From; the provider stamps dmarc=fail above its entry hop."""
        r = random.Random(f"{self.seed}:hosted-spoof:{i}")
        to = self.person(r, HOSTED.domain)
        d = self.date(r)
        self.learned_attack(f"A{i:05d}", r, HOSTED, to, d, "auth_fail_hosted_mx", malicious=i % 4 == 3)

    def correspondent_spoof(self, i: int) -> None:
        """correspondent_lookalike: From at a lookalike of a partner that the recipient organisation corresponds with
        (learn_facts: >= 3 authenticated messages, two of them more than a day apart), written as one of the
        partner's people who wrote to it, to one of the people they wrote to; the variants in turn (when the
        partner's name allows the one whose turn it is)."""
        r = random.Random(f"{self.seed}:corr-lookalike:{i}")
        orgs = [o for o in TENANTS + [HOSTED] if self.corr.get(o.domain)]
        if not orgs:
            print("make_spool.py: warning: no partner corresponds with any organisation (spool too small); "
                  "correspondent_lookalike spoofs imitate partners nobody learned", file=sys.stderr)
        org = (orgs or TENANTS + [HOSTED])[(i + i // 4) % len(orgs or TENANTS + [HOSTED])]
        partner = self.orgs[r.choice(self.corr[org.domain])] if orgs else r.choice(PARTNERS)
        facts = self.auth.get((org.domain, partner.domain), [])
        theirs = {p.addr: p for p in self.people[partner.domain]}
        writers = sorted({x[1] for x in facts if x[1] in theirs})
        pp = theirs[r.choice(writers)] if writers else self.person(r, partner.domain)
        ours = {p.addr: p for p in self.people[org.domain]}
        readers = sorted({a for x in facts if x[1] == pp.addr for a in x[3] if a in ours}) or sorted({a for x in facts for a in x[3] if a in ours})
        to = ours[r.choice(readers)] if readers else self.person(r, org.domain)
        d = self.date(r)
        self.learned_attack(f"W{i:05d}", r, org, to, d, "correspondent_lookalike", malicious=i % 4 == 3,
                            imitate=(partner, pp, LOOKALIKE_VARIANTS[i % len(LOOKALIKE_VARIANTS)]))


def hash_int(*parts) -> int:
    return int.from_bytes(hashlib.sha256(":".join(map(str, parts)).encode()).digest()[:8], "big")


# ----------------------------------------------------------------------------------------------------------------
# Output.
# ----------------------------------------------------------------------------------------------------------------

def eml_rel(idx: int) -> str:
    return f"eml/{idx // 1000:03d}/{idx:06d}.eml"


def maildir_rel(m: Msg, seed: int) -> str:
    """cur/ with the ':2,S' (seen) flag for most, new/ for the most recent few percent, like a live Maildir."""
    epoch = int(m.date.timestamp())
    base = f"{epoch}.M{m.index:06d}P{seed}.bench.example,S={m.size}"
    return f"maildir/new/{base}" if m.index % 23 == 0 else f"maildir/cur/{base}:2,S"


def mboxrd_escape(raw: bytes) -> bytes:
    """mboxrd: every line matching ^>*From  gets one more '>'; reversible, unlike mboxo."""
    out = []
    for line in raw.split(b"\n"):
        if line.lstrip(b">").startswith(b"From "):
            line = b">" + line
        out.append(line)
    return b"\n".join(out)


ATTACK_KINDS = ("malicious", "malicious_nosignal", "spoofed")


def message_label(m: Msg, index_of: dict[str, int]) -> dict:
    """One line of labels.jsonl: what the message is, judged per message (issue #13). The campaign generator's
    messages (L*, S*, FX*, N*, ordinary) are labelled from how they were made; OfficeMail's carry their label."""
    lab = {"index": m.index, "eml": eml_rel(m.index)[len("eml/"):], "sha256": hashlib.sha256(m.raw).hexdigest(),
           "bytes": len(m.raw), "campaign": m.campaign, "technique": None, "headers_show": None, "learn": None}
    if m.label is not None:
        extra = dict(m.label)
        pair_key = extra.pop("pair_key", None)
        if pair_key is not None:
            extra["pair"] = index_of[pair_key]
        extra.setdefault("origin", "office")
        lab.update(extra)
    elif m.kind in ("lure", "single"):
        # The campaign lures: senders at the attackers' own domains (no spoofing technique); a link-only lure shows
        # no technical signal, every other one carries a script, a PE, a shortcut or a disk image.
        signal = b"\nContent-Disposition: attachment" in m.raw
        lab.update(kind="malicious" if signal else "malicious_nosignal", origin=f"campaign-{m.kind}")
    elif m.kind == "newsletter":
        lab.update(kind="newsletter", origin="campaign-newsletter")
    else:
        lab.update(kind="ordinary", origin=m.kind)  # ordinary or big
    return lab


def write_all(msgs: list[Msg], gen: Generator, out: Path, formats: set[str]) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    records = []
    mbox = None
    if "mbox" in formats:
        mbox = open(out / "spool.mbox", "wb")
    if "maildir" in formats:
        for sub in ("cur", "new", "tmp"):
            (out / "maildir" / sub).mkdir(parents=True, exist_ok=True)
    offset = 0
    index_of = {m.key: m.index for m in msgs}
    labels = open(out / "labels.jsonl", "w", encoding="utf-8")
    for m in msgs:
        gen.materialise(m)
        m.size = len(m.raw)
        labels.write(json.dumps(message_label(m, index_of), ensure_ascii=False, sort_keys=True) + "\n")
        rec = {"index": m.index, "eml": eml_rel(m.index), "maildir": maildir_rel(m, gen.seed), "mbox_offset": None,
               "message_id": f"<{m.msgid}>", "bytes": m.size, "kind": m.kind, "campaign": m.campaign,
               "recipients": sorted(a.lower() for a in m.recipients)}
        if "eml" in formats:
            p = out / rec["eml"]
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(m.raw)
        if "maildir" in formats:
            (out / rec["maildir"]).write_bytes(m.raw)
        if mbox:
            sender = m.sender or "MAILER-DAEMON"
            u = m.date.astimezone(dt.timezone.utc)
            line = f"From {sender} {u:%a %b} {u.day:2d} {u:%H:%M:%S %Y}\n".encode()  # asctime: day padded with a space
            rec["mbox_offset"] = offset
            chunk = line + mboxrd_escape(m.raw) + (b"" if m.raw.endswith(b"\n") else b"\n") + b"\n"
            mbox.write(chunk)
            offset += len(chunk)
        records.append(rec)
        if m.lazy >= 0 or m.build is not None:
            m.raw = b""  # written; keep only the facts truth.json needs
    labels.close()
    if mbox:
        mbox.close()
    return {"records": records}


def truth(gen: Generator, msgs: list[Msg], records: list[dict], args) -> dict:
    by_key = {m.key: m for m in msgs}
    camps = {}
    for cid in sorted(gen.campaigns):
        c = dict(gen.campaigns[cid])
        ms = [by_key[k] for k in c.pop("keys")]
        c["messages"] = [eml_rel(m.index) for m in sorted(ms, key=lambda m: m.index)]
        c["message_ids"] = [f"<{m.msgid}>" for m in sorted(ms, key=lambda m: m.index)]
        c["first_seen"] = min(m.date for m in ms).isoformat()
        c["last_seen"] = max(m.date for m in ms).isoformat()
        camps[cid] = c
    families = {}
    for cid, c in camps.items():
        if "similar_text" in c["linked_by"]:
            families[cid] = c["messages"]
    boiler = {"[Content_Types].xml (docx)": DOCX_CT, "_rels/.rels (docx)": DOCX_RELS, "[Content_Types].xml (xlsx)": XLSX_CT,
              "_rels/.rels (xlsx)": XLSX_RELS, "xl/workbook.xml": XLSX_WB, "xl/_rels/workbook.xml.rels": XLSX_WB_RELS}
    recurring = [{"what": f"inline logo {k}", "sha256": hashlib.sha256(l).hexdigest()} for k, l in enumerate(gen.logos)]
    recurring += [{"what": f"OOXML boilerplate part {k}", "sha256": hashlib.sha256(v).hexdigest()} for k, v in boiler.items()]
    recurring += [{"what": what, "sha256": h} for h, what in sorted(gen.office.recurring.items(), key=lambda kv: (kv[1], kv[0]))]
    kinds: dict[str, int] = {}
    for m in msgs:
        kinds[m.kind] = kinds.get(m.kind, 0) + 1
    return {
        "generator": "Benchmarks/spool/make_spool.py", "seed": args.seed, "count": len(msgs),
        "total_bytes": sum(m.size for m in msgs), "kinds": dict(sorted(kinds.items())),
        "rule": "bulk = distinct recipients (To, Cc, Bcc, Delivered-To, X-Original-To; lower-cased) >= 10",
        "notes": [
            "Campaigns are known by construction. 'linked_by' says what links the messages: text (normalised body),"
            " payload (attachment or member SHA-256), payload-member (only archive members at some depth),"
            " similar_text (personalised: only a fuzzy text hash links them; each message is its own exact campaign),"
            " none (one-off lure).",
            "Kinds S* (single) are one-message targeted lures: not bulk, link to nothing.",
            "Ordinary mail is not in any campaign. Recurring benign content (inline logos, OOXML boilerplate parts,"
            " signatures) must not create campaigns; their hashes are under recurring_benign.",
        ],
        "bulk_campaigns": sorted(cid for cid, c in camps.items() if c["bulk"]),
        "not_bulk_campaigns": sorted(cid for cid, c in camps.items() if not c["bulk"] and c["kind"] != "single"),
        "families": families,
        "campaigns": camps,
        "recurring_benign": recurring,
        "learning": gen.office.expected_learning(),
        "messages": records,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=20000, help="number of messages (default 20000; at least 300)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", type=Path, required=True, help="output directory (created)")
    ap.add_argument("--formats", default="maildir,mbox,eml", help="comma list of maildir, mbox, eml (default all)")
    args = ap.parse_args()
    formats = {f.strip() for f in args.formats.split(",") if f.strip()}
    if not formats <= {"maildir", "mbox", "eml"}:
        ap.error(f"unknown format in {args.formats}")
    if args.count < 300:
        ap.error("--count must be at least 300 (the campaign set alone needs about 150 messages)")
    if (args.out / "truth.json").exists():
        ap.error(f"{args.out} already holds a spool; remove it first (outputs are never merged)")
    gen = Generator(args.count, args.seed)
    msgs = gen.generate()
    res = write_all(msgs, gen, args.out, formats)
    t = truth(gen, msgs, res["records"], args)
    (args.out / "truth.json").write_text(json.dumps(t, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"make_spool.py: {len(msgs)} messages, {t['total_bytes'] / 1e6:.1f} MB per format, "
          f"{len(t['campaigns'])} campaigns ({len(t['bulk_campaigns'])} bulk) -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
