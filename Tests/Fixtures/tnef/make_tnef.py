#!/usr/bin/env python3
"""Writes small benign TNEF (winmail.dat) test streams for SpearUnpack's TNEF reader.

Usage: make_tnef.py OUTDIR    (writes the fixtures below; deterministic: fixed seeds)

Each stream follows [MS-OXTNEF]: signature, key, message attributes (attTnefVersion, attOemCodepage,
attMessageClass, attMsgProps with a named property and a multi-valued property), then per attachment
attAttachRendData, attAttachTitle, attAttachData and attAttachment (MAPI properties), every attribute with its
16-bit checksum. Payloads are random bytes from a seeded generator: nothing in them is executable.
"""
import random
import struct
import sys
from pathlib import Path

LVL_MESSAGE, LVL_ATTACHMENT = 1, 2
IID_IMESSAGE = bytes.fromhex("0703020000000000c000000000000046")
PS_PUBLIC_STRINGS = bytes.fromhex("2903020000000000c000000000000046")


def attribute(level, attr_id, data):
    return struct.pack("<BII", level, attr_id, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)


def pad4(b):
    return b + b"\0" * ((4 - len(b) % 4) % 4)


def counted(value):
    """A variable-length value: count 1, length, data, padding."""
    return struct.pack("<II", 1, len(value)) + pad4(value)


def prop_long(pid, value):
    return struct.pack("<HHi", 0x0003, pid, value)


def prop_string8(pid, text, codepage):
    return struct.pack("<HH", 0x001E, pid) + counted(text.encode(codepage) + b"\0")


def prop_unicode(pid, text):
    return struct.pack("<HH", 0x001F, pid) + counted(text.encode("utf-16-le") + b"\0\0")


def prop_binary(pid, data):
    return struct.pack("<HH", 0x0102, pid) + counted(data)


def prop_object(pid, iid, data):
    return struct.pack("<HH", 0x000D, pid) + counted(iid + data)


def prop_named_long(name, value):
    """A named property (string kind) holding a PT_LONG."""
    raw = name.encode("utf-16-le") + b"\0\0"
    return struct.pack("<HH", 0x0003, 0x8000) + PS_PUBLIC_STRINGS + struct.pack("<II", 1, len(raw)) + pad4(raw) + struct.pack("<i", value)


def prop_multi_long(pid, values):
    return struct.pack("<HHI", 0x1003, pid, len(values)) + b"".join(struct.pack("<i", v) for v in values)


def props(*encoded):
    return struct.pack("<I", len(encoded)) + b"".join(encoded)


def stream(codepage, subject, attachments):
    """attachments: list of dicts with keys title, data, long (name), long_type ('8'|'u'), display, embedded."""
    out = bytearray(struct.pack("<IH", 0x223E9F78, 0x0001))
    out += attribute(LVL_MESSAGE, 0x00089006, struct.pack("<I", 0x00010000))
    out += attribute(LVL_MESSAGE, 0x00069007, struct.pack("<II", codepage, 0))
    out += attribute(LVL_MESSAGE, 0x00078008, b"IPM.Note\0")
    cp = f"cp{codepage}"
    out += attribute(LVL_MESSAGE, 0x00069003, props(
        prop_string8(0x0037, subject, cp),
        prop_named_long("x-spearscan-test", 7),
        prop_multi_long(0x6800, [1, 2, 3]),
        prop_string8(0x1000, "benign test body", cp),
    ))
    for a in attachments:
        out += attribute(LVL_ATTACHMENT, 0x00069002, struct.pack("<HiHHI", 1, -1, 0, 0, 0))
        mapi = []
        if "embedded" in a:
            mapi.append(prop_unicode(0x3001, a["display"]))
            mapi.append(prop_object(0x3701, IID_IMESSAGE, a["embedded"]))
            mapi.append(prop_long(0x3705, 5))
        else:
            out += attribute(LVL_ATTACHMENT, 0x00018010, a["title"].encode(cp) + b"\0")
            out += attribute(LVL_ATTACHMENT, 0x0006800F, a["data"])
            if a.get("long_type") == "u":
                mapi.append(prop_unicode(0x3707, a["long"]))
            else:
                mapi.append(prop_string8(0x3707, a["long"], cp))
            mapi.append(prop_long(0x3705, 1))
        out += attribute(LVL_ATTACHMENT, 0x00069005, props(*mapi))
    return bytes(out)


def payload(rng, n):
    return bytes(rng.randrange(256) for _ in range(n))


def fixtures():
    rng = random.Random(20240611)
    japanese = stream(932, "見積もり", [
        {"title": "請求書.txt", "long": "請求書.txt", "data": payload(rng, 700)},
        {"title": "REPORT~1.PDF", "long": "報告書 2024年.pdf", "long_type": "u", "data": payload(rng, 1203)},
        {"title": "notes.txt", "long": "notes.txt", "data": b"harmless\r\n"},
    ])
    rng = random.Random(7)
    inner = stream(1252, "inner", [{"title": "inner.txt", "long": "inner.txt", "data": b"inner harmless\r\n"}])
    embedded = stream(1252, "outer", [
        {"title": "résumé.doc", "long": "résumé.doc", "data": payload(rng, 901)},
        {"display": "Fwd: inner", "embedded": inner},
        {"title": "DATA~1.BIN", "long": "data ünïcode ☃.bin", "long_type": "u", "data": payload(rng, 64)},
    ])
    rng = random.Random(99)
    many = stream(1252, "many", [
        {"title": f"file{i}.dat", "long": f"file {i}.dat", "data": payload(rng, rng.randrange(0, 300))} for i in range(6)
    ])
    # A lure as Outlook would wrap it: a PDF first (its %PDF- within the stream's first kilobyte, which must not
    # make the wrapper a PDF) and a script posing as a spreadsheet, both the repository's benign fixtures.
    files = Path(__file__).resolve().parent.parent / "files"
    lure = stream(932, "注文内容の確認", [
        {"title": "請求書.pdf", "long": "請求書.pdf", "data": (files / "sample.pdf").read_bytes()},
        {"title": "注文書.xls.js", "long": "注文書.xls.js", "long_type": "u", "data": (files / "hello.js").read_bytes()},
    ])
    return {"japanese-cp932.tnef": japanese, "embedded-message.tnef": embedded, "six-files.tnef": many, "lure.tnef": lure}


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, data in fixtures().items():
        (out / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
