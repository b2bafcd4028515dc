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
import hashlib
import io
import json
import math
import os
import random
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
# Internal organisations (the recipients) and outside correspondents (senders of ordinary mail).
INTERNAL = ["example.co.jp", "rd.example.co.jp", "example.jp", "branch.example.jp"]
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


def make_people(rng: random.Random, domains: list[str], n: int) -> list[Person]:
    """n distinct people spread over domains; addresses like h-sato@example.co.jp."""
    seen: set[str] = set()
    out: list[Person] = []
    while len(out) < n:
        (s_en, s_ja), (g_en, g_ja) = rng.choice(SURNAMES), rng.choice(GIVEN)
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


def zipcrypto_zip(name: str, data: bytes, password: bytes, rng: random.Random) -> bytes:
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
    raw = name.encode()
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

    def generate(self) -> list[Msg]:
        self.build_campaigns()
        n_single = max(3, round(self.count * 0.012))
        for i in range(n_single):
            self.single_lure(i)
        if len(self.msgs) > self.count * 0.5:
            sys.exit(f"make_spool.py: --count {self.count} is too small for the campaign set ({len(self.msgs)} messages); use >= 300")
        n_ord = self.count - len(self.msgs)
        n_big = max(1, round(self.count * 0.005))
        big_at = set(random.Random(f"{self.seed}:big").sample(range(n_ord), min(n_big, n_ord)))
        for i in range(n_ord):  # only the date now; the message is made in materialise(), when it is written
            self.add(Msg(date=self.ordinary_date(i), key=f"o{i:08d}", kind="big" if i in big_at else "ordinary", lazy=i))
        # Chronological order, as a spool is; the key breaks ties so the order never depends on anything else.
        self.msgs.sort(key=lambda m: (m.date, m.key))
        for idx, m in enumerate(self.msgs):
            m.index = idx
        return self.msgs


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
    for m in msgs:
        gen.materialise(m)
        m.size = len(m.raw)
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
        if m.lazy >= 0:
            m.raw = b""  # written; keep only the facts truth.json needs
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
