#!/usr/bin/env python3
"""The base64 oracle for Tests/SpearMIMETests/Base64DifferentialTests.swift.

Reads bodies from IN (each a 4-byte little-endian length, then the bytes), decodes each as the body of a
single-part message with Content-Transfer-Encoding: base64 through Python's email package, and writes to OUT,
for every body, the bytes `get_payload(decode=True)` gives under policy compat32 and then under policy default
(same framing). Standard library only.
"""
import email
import email.policy
import struct
import sys

HEADER = b"MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"


def records(data):
    i = 0
    while i < len(data):
        (n,) = struct.unpack_from("<I", data, i)
        yield data[i + 4:i + 4 + n]
        i += 4 + n


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, "rb") as f:
        data = f.read()
    out = bytearray()
    for body in records(data):
        for policy in (email.policy.compat32, email.policy.default):
            decoded = email.message_from_bytes(HEADER + body, policy=policy).get_payload(decode=True) or b""
            out += struct.pack("<I", len(decoded)) + decoded
    with open(dst, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
