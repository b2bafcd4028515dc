#!/usr/bin/env bash
# Writes the harmless test fixtures for the archive unpacker and the file classifier into Tests/Fixtures/files/.
# See Tests/Fixtures/README.md for what each file holds. Nothing here is dangerous: every script only echoes a
# line, the PE program prints "hello", the "macro" is a text placeholder, and every host is an example domain.
#
# Needs (Debian 12 package names):
#   apt-get install -y --no-install-recommends \
#       python3 unzip 7zip tar gzip bzip2 xz-utils zstd gcab cpio xorriso libarchive-tools \
#       gcc-mingw-w64-x86-64 lhasa
#   optional, for plain.doc / plain.xls (about 30 s to install):
#       apt-get install -y --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui
# and from PyPI:
#   pip install pylnk3 python-docx openpyxl msoffcrypto-tool
#
# Usage:
#   bash Tests/Fixtures/make_fixtures.sh           # (re)write every fixture
#   bash Tests/Fixtures/make_fixtures.sh --force   # also rewrite the few that cannot be made byte-identical
#
# Output is deterministic where the tools allow: fixed timestamps (2019-06-10 00:00:00 UTC), fixed owners and
# modes, no gzip names or times, single-threaded compressors, hand-written zip/LZH/PDF/PNG, a seeded "random"
# source for the ZipCrypto header and for msoffcrypto. With the same tool versions, every file comes out
# byte-identical except three, whose tool draws a random salt/IV that cannot be seeded: aes.zip, encrypted.7z and
# encrypted-headers.7z (7-Zip). Those are kept as they are when they already exist, so that running the script
# again changes nothing; pass --force to rebuild them too.
set -euo pipefail

FORCE=0
for arg in "$@"; do
    case "$arg" in
        --force) FORCE=1 ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        *) echo "make_fixtures.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/files"

# ---------------------------------------------------------------------------------------------------------------
# Check the tools first, and say which package brings each missing one.
# ---------------------------------------------------------------------------------------------------------------
missing_deb=()
need() { command -v "$1" >/dev/null 2>&1 || missing_deb+=("$2 (for $1)"); }
need python3 python3
need 7zz 7zip
need tar tar
need gzip gzip
need bzip2 bzip2
need xz xz-utils
need zstd zstd
need gcab gcab
need cpio cpio
need xorriso xorriso
need bsdtar libarchive-tools
need unzip unzip
need x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64
if [ ${#missing_deb[@]} -gt 0 ]; then
    echo "make_fixtures.sh: missing tools; install the Debian packages:" >&2
    printf '  %s\n' "${missing_deb[@]}" >&2
    echo "  e.g. apt-get install -y --no-install-recommends python3 unzip 7zip tar gzip bzip2 xz-utils zstd gcab cpio xorriso libarchive-tools gcc-mingw-w64-x86-64 lhasa" >&2
    exit 1
fi
missing_py=()
for mod in pylnk3:pylnk3 docx:python-docx openpyxl:openpyxl msoffcrypto:msoffcrypto-tool; do
    python3 -c "import ${mod%%:*}" >/dev/null 2>&1 || missing_py+=("${mod##*:}")
done
if [ ${#missing_py[@]} -gt 0 ]; then
    echo "make_fixtures.sh: missing Python packages; run: pip install ${missing_py[*]}" >&2
    exit 1
fi
HAVE_SOFFICE=1
command -v soffice >/dev/null 2>&1 || HAVE_SOFFICE=0

export TZ=UTC LC_ALL=C.UTF-8
export SOURCE_DATE_EPOCH=1560124800          # 2019-06-10 00:00:00 UTC (09:00 JST)
umask 022
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

stamp() { touch -h -d "@$SOURCE_DATE_EPOCH" "$@"; }

# Keep an existing file that cannot be rebuilt byte for byte, unless --force.
keep() { [ "$FORCE" = 0 ] && [ -s "$OUT/$1" ] && echo "kept $1 (not reproducible byte for byte; --force rebuilds it)"; }

# ---------------------------------------------------------------------------------------------------------------
# 1. hello.exe: a real, tiny PE console program (x86-64, mingw-w64) that prints "hello". No timestamp in the
#    COFF header (--no-insert-timestamp), stripped, so the same compiler gives the same bytes.
# ---------------------------------------------------------------------------------------------------------------
cat > "$WORK/hello.c" <<'EOF'
#include <stdio.h>

int main(void) {
    puts("hello");
    return 0;
}
EOF
(cd "$WORK" && x86_64-w64-mingw32-gcc -Os -s -fno-ident -Wl,--no-insert-timestamp -o hello.exe hello.c)
cp "$WORK/hello.exe" "$OUT/hello.exe"

# ---------------------------------------------------------------------------------------------------------------
# 2. Everything that Python writes by hand or with its libraries.
# ---------------------------------------------------------------------------------------------------------------
OUT="$OUT" WORK="$WORK" python3 - <<'PY'
import base64
import datetime
import hashlib
import io
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path

OUT = Path(os.environ["OUT"])
WORK = Path(os.environ["WORK"])
EPOCH = int(os.environ["SOURCE_DATE_EPOCH"])
ZIP_TIME = (2019, 6, 10, 9, 0, 0)            # local DOS time in the zips, as a Japanese PC would write it
FIXED_DT = datetime.datetime(2019, 6, 10, 0, 0, 0)


def write(name, data):
    (OUT / name).write_bytes(data)


def seeded_bytes(label, n):
    """Deterministic stand-in for random bytes: SHA-256 in counter mode over a label."""
    out = b""
    counter = 0
    while len(out) < n:
        out += hashlib.sha256(b"spearscan-fixture:%s:%d" % (label.encode(), counter)).digest()
        counter += 1
    return out[:n]


# --- Scripts -------------------------------------------------------------------------------------------------

HELLO_JS = b'WScript.Echo("spearscan fixture: harmless");\r\n'
README_TXT = b"harmless\n"
scripts = {
    "hello.js": HELLO_JS,
    "hello.vbs": b'WScript.Echo "spearscan fixture: harmless"\r\n',
    "hello.ps1": b"Write-Output 'spearscan fixture: harmless'\r\n",
    "hello.bat": b"@echo off\r\necho spearscan fixture: harmless\r\n",
    "hello.hta": b'<html><head><HTA:APPLICATION ID="x"/><script language="VBScript">MsgBox "harmless"</script>'
                 b"</head></html>\r\n",
    "hello.wsf": b'<job><script language="JScript">WScript.Echo("harmless");</script></job>\r\n',
    "js-named.txt": HELLO_JS,
}
for name, data in scripts.items():
    write(name, data)
(WORK / "hello.js").write_bytes(HELLO_JS)
(WORK / "readme.txt").write_bytes(README_TXT)

HELLO_EXE = (OUT / "hello.exe").read_bytes()
write("pe-named.pdf", HELLO_EXE)


# --- hello.lnk (pylnk3) ----------------------------------------------------------------------------------------

import pylnk3

lnk = pylnk3.for_file(r"C:\Windows\System32\cmd.exe", arguments="/c echo harmless")
# pylnk3 stamps "now" into the header and into each path segment; pin them so the bytes do not change.
lnk.creation_time = lnk.access_time = lnk.modification_time = FIXED_DT
segments = [item for item in lnk.shell_item_id_list.items if isinstance(item, pylnk3.PathSegmentEntry)]
for item in segments:
    item.created = item.modified = item.accessed = FIXED_DT
    item.type = pylnk3.TYPE_FOLDER        # pylnk3 asks os.path.isdir(), which is false here for C:\Windows
segments[-1].type = pylnk3.TYPE_FILE      # cmd.exe
lnk.save(str(OUT / "hello.lnk"))
parsed = pylnk3.parse(str(OUT / "hello.lnk"))
assert parsed.path == r"C:\Windows\System32\cmd.exe", parsed.path
assert parsed.arguments == "/c echo harmless", parsed.arguments


# --- Zip archives ---------------------------------------------------------------------------------------------

def zip_bytes(members, compression=zipfile.ZIP_DEFLATED):
    """A zip written by zipfile with fixed times and MS-DOS host, members in the order given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = compression
            info.create_system = 0
            info.external_attr = 0x20          # FILE_ATTRIBUTE_ARCHIVE, as Windows writes it
            archive.writestr(info, data)
    return buffer.getvalue()


def dos_datetime(t):
    year, month, day, hour, minute, second = t
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


_CRC_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0xEDB88320 if _c & 1 else _c >> 1
    _CRC_TABLE.append(_c)


def zipcrypto_encrypt(password, header, data):
    """Traditional PKWARE encryption (APPNOTE 6.1): the 12-byte header, then the data, both encrypted."""
    keys = [0x12345678, 0x23456789, 0x34567890]

    def update(byte):
        keys[0] = _CRC_TABLE[(keys[0] ^ byte) & 0xFF] ^ (keys[0] >> 8)
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = _CRC_TABLE[(keys[2] ^ (keys[1] >> 24)) & 0xFF] ^ (keys[2] >> 8)

    for byte in password:
        update(byte)
    out = bytearray()
    for byte in header + data:
        temp = (keys[2] | 2) & 0xFFFF
        out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
        update(byte)
    return bytes(out)


def raw_zip(members):
    """A stored (method 0) zip written byte by byte: (raw name bytes, data, password or None) per member.

    The name bytes are written as they are, and general-purpose flag bit 11 (UTF-8) is never set. With a
    password the member is encrypted with ZipCrypto (flag bit 0) and a seeded 12-byte header.
    """
    local = bytearray()
    central = bytearray()
    dos_time, dos_date = dos_datetime(ZIP_TIME)
    for raw_name, data, password in members:
        crc = zlib.crc32(data)
        flags = 0
        body = data
        if password is not None:
            flags |= 0x0001
            header = seeded_bytes("zipcrypto-header:" + raw_name.hex(), 11) + bytes([crc >> 24])
            body = zipcrypto_encrypt(password, header, data)
        offset = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 0, dos_time, dos_date, crc, len(body),
                             len(data), len(raw_name), 0) + raw_name + body
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, 0, dos_time, dos_date, crc,
                               len(body), len(data), len(raw_name), 0, 0, 0, 0, 0x20, offset) + raw_name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0)
    return bytes(local + central + end)


SIMPLE_ZIP = zip_bytes([("hello.js", HELLO_JS), ("readme.txt", README_TXT)])
write("simple.zip", SIMPLE_ZIP)
write("nested.zip", zip_bytes([("inner.zip", zip_bytes([("hello.js", HELLO_JS)]))]))
write("zipcrypto.zip", raw_zip([(b"hello.js", HELLO_JS, b"abc123")]))
# PPAP: an everyday password-protected zip holding an ordinary file (a quotation as text).
write("ppap.zip", raw_zip([("見積書.txt".encode("cp932"), "お見積りをお送りします。\r\n".encode("cp932"), b"abc123")]))
# One encrypted member between two plain ones, as `zip` writes when a password is given for one file only: the plain
# members are read without a password, the locked one once a candidate opens it.
write("mixed-encryption.zip", raw_zip([(b"readme.txt", README_TXT, None), (b"hello.js", HELLO_JS, b"abc123"),
                                       (b"notes.txt", b"second plain member\n", None)]))
SJIS_NAME = "請求書.js".encode("cp932")
assert SJIS_NAME == b"\x90\xbf\x8b\x81\x8f\x91.js"
write("sjis-names.zip", raw_zip([(SJIS_NAME, HELLO_JS, None)]))

TRAVERSAL_NAMES = ["../../evil.js", "/abs/evil.txt", "C:\\temp\\evil.txt"]
write("traversal.zip", zip_bytes([(name, README_TXT) for name in TRAVERSAL_NAMES]))
with zipfile.ZipFile(OUT / "traversal.zip") as archive:
    stored = [info.orig_filename for info in archive.infolist()]
    assert stored == TRAVERSAL_NAMES, stored
raw = (OUT / "traversal.zip").read_bytes()
for name in TRAVERSAL_NAMES:
    assert raw.count(name.encode("ascii")) == 2, name   # once in the local header, once in the central directory

write("docx-really-zip-of-exe.docx", zip_bytes([("hello.exe", HELLO_EXE)]))
write("corrupt-truncated.zip", SIMPLE_ZIP[: len(SIMPLE_ZIP) * 7 // 10])
write("script-named.zip", HELLO_JS)


# --- sjis.lzh: LHA level-0 header, method -lh0- (stored), name in Shift_JIS ----------------------------------

def crc16_arc(data):
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def lzh_level0(name, data):
    dos_time, dos_date = dos_datetime(ZIP_TIME)
    # Everything from the method ID to the CRC: that is what the header-size byte counts and what the checksum sums.
    body = (b"-lh0-" + struct.pack("<IIHHBBB", len(data), len(data), dos_time, dos_date, 0x20, 0, len(name))
            + name + struct.pack("<H", crc16_arc(data)))
    return bytes([len(body), sum(body) & 0xFF]) + body + data


write("sjis.lzh", lzh_level0(SJIS_NAME, HELLO_JS) + b"\x00")


# --- Small documents -----------------------------------------------------------------------------------------

def minimal_pdf():
    """One A4 page that says "harmless", with a correct xref table."""
    stream = b"BT /F1 24 Tf 72 760 Td (harmless) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_png():
    """A valid 8x8 RGB PNG (a grey square)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


# OneNote revision store: the file-format GUID {7B5C52E4-D88C-4DA7-AEB1-5378D02996D3} as stored on disk
# (first three fields little-endian), i.e. the bytes E4 52 5C 7B 8C D8 A7 4D AE B1 53 78 D0 29 96 D3.
ONE_MAGIC = bytes.fromhex("E4525C7B8CD8A74DAEB15378D02996D3")
write("sample.pdf", minimal_pdf())
write("sample.rtf", b"{\\rtf1\\ansi harmless}\r\n")
write("sample.one", ONE_MAGIC + b"\x00" * (1024 - len(ONE_MAGIC)))
write("sample.html", b"<html><body>harmless</body></html>\r\n")
write("sample.png", tiny_png())


def message_eml():
    boundary = "=_spearscan_fixture_message"
    encoded = base64.b64encode(HELLO_JS).decode("ascii")
    lines = [
        "Return-Path: <sender@example.jp>",
        "Received: from mail.example.jp (mail.example.jp [192.0.2.25])",
        "\tby mx.example.co.jp with ESMTP id 5D0B9A00; Mon, 10 Jun 2019 09:00:00 +0900",
        "Message-ID: <20190610090000.fixture@example.jp>",
        "Date: Mon, 10 Jun 2019 09:00:00 +0900",
        "From: Fixture Sender <sender@example.jp>",
        "To: Fixture Recipient <recipient@example.co.jp>",
        "Subject: spearscan fixture message",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="%s"' % boundary,
        "",
        "--" + boundary,
        "Content-Type: text/plain; charset=us-ascii",
        "Content-Transfer-Encoding: 7bit",
        "",
        "This is a harmless spearscan fixture message with a script attached.",
        "",
        "--" + boundary,
        'Content-Type: application/octet-stream; name="hello.js"',
        "Content-Transfer-Encoding: base64",
        'Content-Disposition: attachment; filename="hello.js"',
        "",
    ] + [encoded[i:i + 76] for i in range(0, len(encoded), 76)] + [
        "",
        "--" + boundary + "--",
        "",
    ]
    return "\r\n".join(lines).encode("ascii")


MESSAGE = message_eml()
write("message.eml", MESSAGE)
write("zip-with-eml.zip", zip_bytes([("message.eml", MESSAGE)]))


# --- Office Open XML -----------------------------------------------------------------------------------------

W3CDTF = "2019-06-10T00:00:00Z"


def normalize_ooxml(data, replace=None, add=None):
    """Rewrite an OOXML package with fixed member times and core-property dates, optionally editing parts.

    `replace` maps a part name to a function from its old bytes to its new bytes; `add` is a list of
    (name, bytes) appended after the existing parts.
    """
    replace = replace or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    members = []
    for info in src.infolist():
        blob = src.read(info.filename)
        if info.filename == "docProps/core.xml":
            blob = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                          lambda m: m.group(1) + W3CDTF.encode() + m.group(2), blob)
        if info.filename in replace:
            blob = replace[info.filename](blob)
        members.append((info.filename, blob))
    members += add or []
    return zip_bytes(members)


import docx

document = docx.Document()
document.add_paragraph("This is a harmless spearscan fixture.")
props = document.core_properties
props.author = "spearscan"
props.last_modified_by = "spearscan"
props.title = "spearscan fixture"
props.created = props.modified = FIXED_DT
props.revision = 1
buffer = io.BytesIO()
document.save(buffer)
PLAIN_DOCX = normalize_ooxml(buffer.getvalue())
write("plain.docx", PLAIN_DOCX)

import openpyxl

workbook = openpyxl.Workbook()
sheet = workbook.active
sheet.title = "Sheet1"
sheet["A1"] = "harmless"
workbook.properties.creator = "spearscan"
workbook.properties.created = FIXED_DT
buffer = io.BytesIO()
workbook.save(buffer)                      # openpyxl stamps "modified" with now; normalize_ooxml pins it
write("plain.xlsx", normalize_ooxml(buffer.getvalue()))


def sub_once(pattern, replacement, blob):
    new, count = re.subn(pattern, replacement, blob, count=1)
    assert count == 1, pattern
    return new


MACRO_CT = b"application/vnd.ms-word.document.macroEnabled.main+xml"
macro = normalize_ooxml(PLAIN_DOCX, replace={
    "[Content_Types].xml": lambda b: sub_once(
        rb'<Override PartName="/word/document.xml" ContentType="[^"]*"/>',
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        b'<Override PartName="/word/document.xml" ContentType="' + MACRO_CT + b'"/>', b),
    "word/_rels/document.xml.rels": lambda b: sub_once(
        rb"</Relationships>",
        b'<Relationship Id="rId100" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"'
        b' Target="vbaProject.bin"/></Relationships>', b),
}, add=[("word/vbaProject.bin", b"harmless placeholder, no VBA")])
write("macro.docm", macro)

SETTINGS_RELS = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\r\n"
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'attachedTemplate" Target="http://template.example.com/t.dotm" TargetMode="External"/></Relationships>'
)
remote = normalize_ooxml(PLAIN_DOCX, replace={
    # w:attachedTemplate belongs after w:proofState and before w:defaultTabStop (CT_Settings order).
    "word/settings.xml": lambda b: sub_once(rb"(<w:defaultTabStop )", rb'<w:attachedTemplate r:id="rId1"/>\1', b),
}, add=[("word/_rels/settings.xml.rels", SETTINGS_RELS)])
write("remote-template.docx", remote)

# encrypted.docx: ECMA-376 agile encryption of plain.docx with password abc123. msoffcrypto draws its salts
# from _random_buffer and stamps the OLE directory with the current time; seeded and fixed replacements make
# the output repeatable.
import msoffcrypto
from msoffcrypto.format.ooxml import OOXMLFile
from msoffcrypto.method import ecma376_agile

_calls = [0]


def _seeded_random_buffer(size):
    _calls[0] += 1
    return seeded_bytes("msoffcrypto:%d" % _calls[0], size)


ecma376_agile._random_buffer = _seeded_random_buffer

from msoffcrypto.method.container import ecma376_encrypted


class _FixedDatetime(datetime.datetime):
    """The OLE directory entries' creation/modification FILETIME comes from datetime.now(); pin it."""

    @classmethod
    def now(cls, tz=None):
        return cls(2019, 6, 10, 0, 0, 0)


ecma376_encrypted.datetime = _FixedDatetime
encrypted = io.BytesIO()
OOXMLFile(io.BytesIO(PLAIN_DOCX)).encrypt("abc123", encrypted)
write("encrypted.docx", encrypted.getvalue())
check = msoffcrypto.OfficeFile(io.BytesIO(encrypted.getvalue()))
check.load_key(password="abc123")
decrypted = io.BytesIO()
check.decrypt(decrypted)
assert decrypted.getvalue() == PLAIN_DOCX


# --- RAR: libarchive's own BSD-2-Clause test archives -------------------------------------------------------
# No free tool writes RAR. These are two files from libarchive's test suite (libarchive/test/*.rar.uu,
# Copyright (c) 2003-2009 Tim Kientzle and the libarchive authors, BSD 2-Clause; see README.md), decoded
# from their uuencoded form and stored here as base64.
RAR4 = (  # test_read_format_rar_unicode.rar: RAR 4, Japanese (CP932 + Unicode) names, 2 files, 2 dirs
    "UmFyIRoHAM+QcwAADQAAAAAAAACoKXQgkpQAAAAAAAAAAAACAAAAACJp4T4UMG8AIAAAAJVcgr6C5lyQVoK1gqKDdINIg4uDX1yQVotL"
    "g2WDTINYg2cgg2iDTIOFg4GDk4NnLnR4dACIaGhgMIgwXKqwZVcwRDDVMKipMOswwDBcqrBlj4nGMK0workwyDAgyTCqrTDlMOEw8zCA"
    "yDAudHgAdADwJjmE5Jh0IJKTAAUAAAAFAAAAAtydb0K2VHQ+FDBuACAAAACVXIK+guZcir+OmpK3gqKDdINAg0ODi5a8bG9uZy1maWxl"
    "bmFtZS1pbi2Kv46aLnR4dACIaGhgMIgwXKoib1dbd5VEMKrVMKEwpDDrMIANVGxvbgBnLWZpAGxlbmEAbWUtaQpuLSJvV1sALnR4dACw"
    "dnpoa2FuammULHTgklMAAAAAAAAAAAACAAAAACJp4T4UMC4AEAAAAJVcgr6C5lyQVoK1gqKDdINIg4uDXwCIaGhgMIgwXKqwZVcwRDDV"
    "MKipMOswwDAA8CY5hG14dOCSMwAAAAAAAAAAAAIAAAAAD2nhPhQwDgAQAAAAlVyCvoLmAIhoaGAwiDAA8OoJfsQ9ewBABwA="
)
RAR5 = (  # test_read_format_rar5_stored.rar: RAR 5, one stored file helloworld.txt
    "UmFyIRoHAQAzkrXlCgEFBgAFAQGAgAA4MAZjLAIDC50ABJ0ApIMCtEOglYAAAQ5oZWxsb3dvcmxkLnR4dAoDE34Oq1tW6Q4aaGVsbG8g"
    "bGliYXJjaGl2ZSB0ZXN0IHN1aXRlIQodd1ZRAwUEAA=="
)
for name, text, digest in [
    ("rar4.rar", RAR4, "e3dbd3c22da7dd97ebd98cb5d55628f850f45a163dbb789fdade6ca89273b30c"),
    ("rar5.rar", RAR5, "35d75e315d164d2e329afc28f7d844f013271b4fcffd4ddd78efcdd114a383a7"),
]:
    data = base64.b64decode(text)
    assert hashlib.sha256(data).hexdigest() == digest, name
    write(name, data)
PY

# ---------------------------------------------------------------------------------------------------------------
# 3. Archives and images made by the usual tools, from inputs with fixed times and modes.
# ---------------------------------------------------------------------------------------------------------------
IN="$WORK/in"
mkdir -p "$IN"
cp "$WORK/hello.js" "$WORK/readme.txt" "$IN/"
chmod 0644 "$IN"/*
stamp "$IN"/* "$IN"

# 7-Zip. Only the modification time is stored (-mtc=off -mta=off), one thread.
SEVENZ=(7zz a -bso0 -bsp0 -mmt=1 -mtm=on -mtc=off -mta=off)
(cd "$IN" && rm -f "$OUT/sample.7z" && "${SEVENZ[@]}" -t7z -mx=9 "$OUT/sample.7z" hello.js)
keep encrypted.7z || (cd "$IN" && rm -f "$OUT/encrypted.7z" && "${SEVENZ[@]}" -t7z -mx=9 -pabc123 "$OUT/encrypted.7z" hello.js)
keep encrypted-headers.7z || (cd "$IN" && rm -f "$OUT/encrypted-headers.7z" \
    && "${SEVENZ[@]}" -t7z -mx=9 -pabc123 -mhe=on "$OUT/encrypted-headers.7z" hello.js)
# 300 files (names many-files/f000.txt …), the header compressed with LZMA as 7-Zip always does: the header
# check must decode it and let it through.
mkdir -p "$IN/many-files" && for i in $(seq -w 0 299); do echo "file $i" > "$IN/many-files/f$i.txt"; done
chmod 0644 "$IN"/many-files/* && stamp "$IN"/many-files/* "$IN/many-files"
(cd "$IN" && rm -f "$OUT/many-files.7z" && "${SEVENZ[@]}" -t7z -mx=9 "$OUT/many-files.7z" many-files)
# Two 7z header bombs, written byte by byte: about 300 bytes whose LZMA- (LZMA2-) compressed header decodes to 1 MB declaring
# 8,000,000 empty files (libarchive alone would build 8 million entries, about 700 MB, for it).
OUT="$OUT" python3 - <<'PY'
import lzma, os, struct, zlib
def num(v):  # 7z's variable-length number
    if v < 0x80: return bytes([v])
    n = 1
    while v >= 1 << (7 * (n + 1)): n += 1
    return bytes([((0xFF << (8 - n)) & 0xFF) | (v >> (8 * n))]) + (v & ((1 << (8 * n)) - 1)).to_bytes(n, "little")
files = 8_000_000
header = bytes([0x01, 0x05]) + num(files) + bytes([0x0E]) + num(files // 8) + b"\xff" * (files // 8) + bytes([0x00, 0x00])
for name, method, props, lzma_filter in [
        ("7z-header-bomb.7z", bytes([0x03, 0x01, 0x01]), bytes([0x5D]) + struct.pack("<I", 1 << 20), lzma.FILTER_LZMA1),
        ("7z-header-bomb-lzma2.7z", bytes([0x21]), bytes([0x10]), lzma.FILTER_LZMA2)]:
    options = {"id": lzma_filter, "dict_size": 1 << 20} | ({"lc": 3, "lp": 0, "pb": 2} if lzma_filter == lzma.FILTER_LZMA1 else {})
    packed = lzma.compress(header, format=lzma.FORMAT_RAW, filters=[options])
    coder = bytes([0x20 | len(method)]) + method + num(len(props)) + props
    info = (bytes([0x17, 0x06]) + num(0) + num(1) + bytes([0x09]) + num(len(packed)) + bytes([0x00])
            + bytes([0x07, 0x0B]) + num(1) + bytes([0x00, 0x01]) + coder
            + bytes([0x0C]) + num(len(header)) + bytes([0x0A, 0x01]) + struct.pack("<I", zlib.crc32(header)) + bytes([0x00, 0x00]))
    start = struct.pack("<QQI", len(packed), len(info), zlib.crc32(info))
    data = b"7z\xbc\xaf\x27\x1c\x00\x04" + struct.pack("<I", zlib.crc32(start)) + start + packed + info
    open(os.path.join(os.environ["OUT"], name), "wb").write(data)
PY
keep aes.zip || (cd "$IN" && rm -f "$OUT/aes.zip" && "${SEVENZ[@]}" -tzip -mem=AES256 -pinfected2019 "$OUT/aes.zip" hello.js)

# tar (ustar, sorted, owner 0:0, fixed time) and its compressed forms; the compressors never store a name or time.
TAR=(tar --format=ustar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner --mode=0644)
(cd "$IN" && "${TAR[@]}" -cf "$OUT/hello.tar" hello.js readme.txt)
gzip -9 -n -c "$OUT/hello.tar" > "$OUT/hello.tar.gz"
bzip2 -9 -c "$OUT/hello.tar" > "$OUT/hello.tar.bz2"
xz -6 -T1 -c "$OUT/hello.tar" > "$OUT/hello.tar.xz"
zstd -19 -T1 -q -c "$OUT/hello.tar" > "$OUT/hello.tar.zst"

# One compressed script each. The archive name gives the member's name (invoice.js); gzip -n stores none.
gzip -9 -n -c "$IN/hello.js" > "$OUT/invoice.js.gz"
bzip2 -9 -c "$IN/hello.js" > "$OUT/invoice.js.bz2"
xz -6 -T1 -c "$IN/hello.js" > "$OUT/invoice.js.xz"
zstd -19 -T1 -q -c "$IN/hello.js" > "$OUT/invoice.js.zst"
xz --format=lzma -6 -c "$IN/hello.js" > "$OUT/invoice.js.lzma"

# Cabinet (uncompressed folder), member without a path.
(cd "$IN" && rm -f "$OUT/hello.cab" && gcab -c -n "$OUT/hello.cab" hello.js)

# cpio, SVR4 "newc" format, inode and device numbers renumbered, owner 0:0.
(cd "$IN" && printf 'hello.js\n' | cpio --quiet -o -H newc --reproducible -R 0:0 > "$OUT/hello.cpio")

# ISO 9660 + Joliet + Rock Ridge holding hello.lnk and readme.txt; no 300 KB tail padding. xorriso takes the
# volume dates and UUID from SOURCE_DATE_EPOCH. hello.img is the same bytes under a disk-image name.
ISO="$WORK/iso"
mkdir -p "$ISO"
cp "$OUT/hello.lnk" "$IN/readme.txt" "$ISO/"
chmod 0644 "$ISO"/*
stamp "$ISO"/* "$ISO"
rm -f "$OUT/hello.iso"
xorriso -report_about SORRY -as mkisofs -J -r -V SPEARSCAN -no-pad -o "$OUT/hello.iso" "$ISO" 2>/dev/null
cp "$OUT/hello.iso" "$OUT/hello.img"

# Old binary Office formats (OLE2) from plain.docx / plain.xlsx with LibreOffice, when it is installed.
if [ "$HAVE_SOFFICE" = 1 ]; then
    LO=(soffice --headless --norestore "-env:UserInstallation=file://$WORK/lo-profile")
    # A fresh profile each time; the documents carry the fixed dates of plain.docx / plain.xlsx.
    HOME="$WORK" "${LO[@]}" --convert-to doc --outdir "$WORK/lo" "$OUT/plain.docx" >/dev/null 2>&1
    HOME="$WORK" "${LO[@]}" --convert-to xls --outdir "$WORK/lo" "$OUT/plain.xlsx" >/dev/null 2>&1
    cp "$WORK/lo/plain.doc" "$WORK/lo/plain.xls" "$OUT/"
else
    echo "make_fixtures.sh: soffice not found; plain.doc and plain.xls left as they are" \
         "(apt-get install -y --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui)" >&2
fi

# ---------------------------------------------------------------------------------------------------------------
# 4. Check what was written.
# ---------------------------------------------------------------------------------------------------------------
fail() { echo "make_fixtures.sh: check failed: $*" >&2; exit 1; }
expect_js() { cmp -s - "$IN/hello.js" || fail "$1"; }

unzip -p "$OUT/simple.zip" hello.js | expect_js simple.zip
unzip -P abc123 -p "$OUT/zipcrypto.zip" hello.js | expect_js "zipcrypto.zip (unzip)"
7zz e -so -pabc123 "$OUT/zipcrypto.zip" hello.js 2>/dev/null | expect_js "zipcrypto.zip (7zz)"
7zz e -so -pinfected2019 "$OUT/aes.zip" hello.js 2>/dev/null | expect_js aes.zip
7zz l -slt "$OUT/aes.zip" | grep -q '^Method = AES-256' || fail "aes.zip is not AES-256"
7zz e -so "$OUT/sample.7z" hello.js 2>/dev/null | expect_js sample.7z
7zz e -so -pabc123 "$OUT/encrypted.7z" hello.js 2>/dev/null | expect_js encrypted.7z
7zz e -so -pabc123 "$OUT/encrypted-headers.7z" hello.js 2>/dev/null | expect_js encrypted-headers.7z
7zz l -pwrong "$OUT/encrypted-headers.7z" </dev/null >/dev/null 2>&1 && fail "encrypted-headers.7z lists without a password"
unzip -p "$OUT/nested.zip" inner.zip > "$WORK/inner.zip" && unzip -p "$WORK/inner.zip" hello.js | expect_js nested.zip
bsdtar --options hdrcharset=CP932 -tf "$OUT/sjis.lzh" | grep -qx '請求書.js' || fail "sjis.lzh name"
# In a UTF-8 locale libarchive cannot convert the Shift_JIS name unless told the charset; -xO then fails.
bsdtar --options hdrcharset=CP932 -xOf "$OUT/sjis.lzh" | expect_js "sjis.lzh (bsdtar)"
7zz e -so "$OUT/sjis.lzh" 2>/dev/null | expect_js "sjis.lzh (7zz)"
if command -v lhasa >/dev/null 2>&1; then
    (cd "$WORK" && mkdir -p lzhtest && cd lzhtest && lhasa tq "$OUT/sjis.lzh" >/dev/null) || fail "sjis.lzh (lhasa t)"
fi
bsdtar --options hdrcharset=CP932 -tf "$OUT/sjis-names.zip" | grep -qx '請求書.js' || fail "sjis-names.zip name"
for f in hello.tar hello.tar.gz hello.tar.bz2 hello.tar.xz hello.tar.zst; do
    [ "$(bsdtar -tf "$OUT/$f" | tr '\n' ' ')" = "hello.js readme.txt " ] || fail "$f members"
    bsdtar -xOf "$OUT/$f" hello.js | expect_js "$f"
done
gzip -dc "$OUT/invoice.js.gz" | expect_js invoice.js.gz
bzip2 -dc "$OUT/invoice.js.bz2" | expect_js invoice.js.bz2
xz -dc "$OUT/invoice.js.xz" | expect_js invoice.js.xz
zstd -dcq "$OUT/invoice.js.zst" | expect_js invoice.js.zst
xz --format=lzma -dc "$OUT/invoice.js.lzma" | expect_js invoice.js.lzma
bsdtar -xOf "$OUT/hello.cab" hello.js | expect_js hello.cab
bsdtar -xOf "$OUT/hello.cpio" hello.js | expect_js hello.cpio
[ "$(bsdtar -tf "$OUT/hello.iso" | grep -vx "\." | sort | tr '\n' ' ')" = "hello.lnk readme.txt " ] || fail "hello.iso members"
bsdtar -xOf "$OUT/hello.iso" hello.lnk | cmp -s - "$OUT/hello.lnk" || fail "hello.iso hello.lnk"
bsdtar -xOf "$OUT/rar4.rar" '表だよ/漢字長いファイル名long-filename-in-漢字.txt' | grep -qx kanji || fail rar4.rar
bsdtar -xOf "$OUT/rar5.rar" helloworld.txt | grep -qx 'hello libarchive test suite!' || fail rar5.rar
bsdtar -xOf "$OUT/zip-with-eml.zip" message.eml | cmp -s - "$OUT/message.eml" || fail zip-with-eml.zip
unzip -tq "$OUT/corrupt-truncated.zip" >/dev/null 2>&1 && fail "corrupt-truncated.zip tests clean"
[ "$(head -c 2 "$OUT/hello.exe")" = "MZ" ] || fail "hello.exe is not MZ"

total=0
for f in "$OUT"/*; do
    size=$(stat -c %s "$f")
    [ "$size" -lt 102400 ] || fail "$(basename "$f") is $size bytes (limit 100 KB)"
    total=$((total + size))
done
[ "$total" -lt 1048576 ] || fail "fixtures total $total bytes (limit 1 MB)"
echo "wrote $(ls "$OUT" | wc -l) fixtures in $OUT ($total bytes)"
