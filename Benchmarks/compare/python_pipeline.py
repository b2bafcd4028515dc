#!/usr/bin/env python3
"""The job spearscan does, written the way a Python user would: the comparator of issue #7.

    python3 Benchmarks/compare/python_pipeline.py --jobs 2 --out /tmp/py.jsonl SPOOL/eml

Per message: stdlib `email` (policy.default) parses it; every part is walked; text parts are decoded (charset and
transfer encoding) and hashed; every attachment is decoded, hashed (SHA-256), classified with python-magic
(libmagic, MIME type and description) and, when libarchive can open it, unpacked recursively with libarchive-c
(depth <= 4, member count and size bounded), every member hashed and classified too. Passwords for encrypted
archives are taken from the body ("パスワード: xxxx", "password: xxxx") as a careful analyst would. Output: one
JSON line per message. Parallelism: a multiprocessing Pool of --jobs workers (default 2), fork start method.

Deps (PyPI): python-magic, libarchive-c — see requirements.txt; they load the system libmagic and libarchive.
"""

from __future__ import annotations

import ctypes
import email
import email.policy
import hashlib
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

import libarchive  # noqa: E402  (libarchive-c)
import libarchive.ffi as laffi  # noqa: E402
import magic  # noqa: E402  (python-magic)

MAX_DEPTH = 4
MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
PASSWORD_RE = re.compile(r"(?:パスワード|パスワ－ド|password|Password|PASSWORD|PW|pw)\s*[:：]\s*(\S+)")
# What libmagic calls the containers worth opening; OOXML/ODF are zips, and spearscan looks inside them too.
ARCHIVE_MIME = {"application/zip", "application/x-7z-compressed", "application/x-lzh-compressed", "application/x-lha",
                "application/x-iso9660-image", "application/gzip", "application/x-gzip", "application/x-bzip2",
                "application/x-xz", "application/zstd", "application/x-rar", "application/vnd.rar", "application/x-tar",
                "application/vnd.ms-cab-compressed", "application/x-cpio", "application/x-lzma",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "application/vnd.ms-word.document.macroEnabled.12", "application/octet-stream"}

_mime = _desc = None
_set_options = None


def init() -> None:
    """Per worker: libmagic handles are not shareable across fork; open them once per process."""
    global _mime, _desc, _set_options
    _mime = magic.Magic(mime=True)
    _desc = magic.Magic()
    # libarchive-c has no archive_read_set_options; Shift_JIS names in LZH/zip need hdrcharset=CP932, or libarchive
    # stops at the header (see Tests/Fixtures/README.md). Call it through ctypes, as a user would after hitting it.
    _set_options = laffi.libarchive.archive_read_set_options
    _set_options.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    _set_options.restype = ctypes.c_int


def classify(data: bytes) -> dict:
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
            "mime": _mime.from_buffer(data), "magic": _desc.from_buffer(data)}


COMPRESSED_ONLY = {"application/gzip", "application/x-gzip", "application/x-bzip2", "application/x-xz", "application/zstd",
                   "application/x-lzma"}


def unpack(data: bytes, passwords: list[str], depth: int, budget: list[int], fmt: str = "all") -> tuple[list[dict], str | None]:
    """Members of an archive held in memory, recursively. Returns (members, error). A lone compressed file
    (invoice.js.gz) is not an archive to libarchive's "all" formats; it is retried as the "raw" format."""
    members: list[dict] = []
    last = None
    for pw in [None] + passwords:
        members.clear()
        try:
            with libarchive.read.new_archive_read(fmt, "all", pw) as ap:
                _set_options(ap, b"hdrcharset=CP932")
                buf = ctypes.create_string_buffer(data, len(data))
                laffi.read_open_memory(ap, ctypes.cast(buf, ctypes.c_void_p), len(data))
                for entry in libarchive.read.ArchiveRead(ap, "utf-8"):
                    if not entry.isfile:
                        continue
                    if budget[0] <= 0:
                        return members, "member limit"
                    budget[0] -= 1
                    body = bytearray()
                    for block in entry.get_blocks():
                        body += block
                        if len(body) > MAX_MEMBER_BYTES:
                            break
                    rec = {"name": entry.pathname, **classify(bytes(body))}
                    if depth < MAX_DEPTH and rec["mime"] in ARCHIVE_MIME:
                        rec["members"], err = unpack(bytes(body), passwords, depth + 1, budget)
                        if err:
                            rec["unpack_error"] = err
                    members.append(rec)
            return members, None
        except libarchive.ArchiveError as e:
            last = str(e)[:120]
            if fmt == "all" and "Unrecognized archive format" in last:
                return unpack(data, passwords, depth, budget, "raw")
            if "passphrase" not in last.lower() and "encrypt" not in last.lower() and "decrypt" not in last.lower():
                return members, last
    return members, "no password fits" if passwords else last


def scan(path: str) -> dict:
    try:
        raw = Path(path).read_bytes()
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        rec = {"file": path, "sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw),
               "message_id": str(msg.get("message-id", "")), "from": str(msg.get("from", "")),
               "to": [str(a) for h in msg.get_all("to", []) for a in h.addresses],
               "cc": [str(a) for h in msg.get_all("cc", []) for a in h.addresses],
               "subject": str(msg.get("subject", "")), "date": str(msg.get("date", "")),
               "defects": [type(d).__name__ for d in msg.defects], "texts": [], "attachments": []}
        body_text = []
        for part in msg.walk():
            if part.is_multipart():
                continue
            if part.get_content_maintype() == "text" and not part.get_filename():
                text = part.get_content()
                body_text.append(text)
                rec["texts"].append({"type": part.get_content_type(), "chars": len(text),
                                     "sha256": hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()})
        passwords = sorted(set(PASSWORD_RE.findall("\n".join(body_text))))
        for part in msg.walk():
            if part.is_multipart() or (part.get_content_maintype() == "text" and not part.get_filename()):
                continue
            data = part.get_payload(decode=True) or b""
            att = {"filename": part.get_filename(), "content_type": part.get_content_type(),
                   "inline": part.get_content_disposition() == "inline", **classify(data)}
            if att["mime"] in ARCHIVE_MIME:
                att["members"], err = unpack(data, passwords, 1, [MAX_MEMBERS])
                if err:
                    att["unpack_error"] = err
            rec["attachments"].append(att)
        return rec
    except Exception as e:  # one bad message never stops the batch
        return {"file": path, "error": f"{type(e).__name__}: {e}"[:200]}


def main() -> None:
    ap = common.standard_args(__doc__.split("\n\n")[0])
    args = ap.parse_args()
    common.run(init, scan, args)


if __name__ == "__main__":
    main()
