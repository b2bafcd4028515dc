#!/usr/bin/env python3
"""What Python's `email` package makes of decoder test cases: the oracle of DecoderDifferentialTests.

Stdlib only (python3 >= 3.11). Usage:

    python3 Tests/Fixtures/oracles/email_oracle.py IN OUT

IN is a sequence of cases, each `KIND (1 byte) LENGTH (4 bytes, big-endian) PAYLOAD`:

    Q  a quoted-printable body          -> msg.get_payload(decode=True), Content-Transfer-Encoding: quoted-printable
    U  a uuencoded body                 -> msg.get_payload(decode=True), Content-Transfer-Encoding: x-uuencode
    W  a Subject value (may be folded)  -> compat32: str(make_header(decode_header(msg['Subject'])));
                                           default:  str(msg['Subject'])
    P  a Content-Disposition value      -> msg.get_filename()

OUT holds, per case, two results (policy compat32, then policy default), each `STATUS (1 byte) LENGTH (4 bytes,
big-endian) BYTES`. STATUS is
    O  ok: BYTES are the decoded bytes (Q, U) or the text as UTF-8 (W, P)
    S  ok, but the text holds lone surrogates (undecodable bytes kept by surrogateescape); BYTES are the text
       encoded with surrogateescape, so not valid UTF-8
    N  the result is None (no filename)
    R  uuencode only: email's _decode_uu gave up (ValueError) and get_payload returned the body undecoded
    E  an exception; BYTES are its repr
"""

import email
import email.header
import email.message
import email.policy
import struct
import sys

POLICIES = (email.policy.compat32, email.policy.default)


def message(header: bytes, body: bytes, policy):
    return email.message_from_bytes(header + b"\n\n" + body, policy=policy)


def text_result(s):
    if s is None:
        return b"N", b""
    try:
        return b"O", s.encode("utf-8")
    except UnicodeEncodeError:
        return b"S", s.encode("utf-8", "surrogateescape")


def quoted_printable(payload, policy):
    m = message(b"Content-Transfer-Encoding: quoted-printable", payload, policy)
    return b"O", m.get_payload(decode=True)


def uuencode(payload, policy):
    m = message(b"Content-Transfer-Encoding: x-uuencode", payload, policy)
    decoded = m.get_payload(decode=True)
    try:
        email.message._decode_uu(payload)
    except ValueError:
        return b"R", decoded
    return b"O", decoded


def encoded_words(payload, policy):
    m = message(b"Subject: " + payload, b"", policy)
    if policy is email.policy.compat32:
        return text_result(str(email.header.make_header(email.header.decode_header(m["Subject"]))))
    return text_result(str(m["Subject"]))


def parameters(payload, policy):
    m = message(b"Content-Disposition: " + payload, b"", policy)
    return text_result(m.get_filename())


HANDLERS = {b"Q": quoted_printable, b"U": uuencode, b"W": encoded_words, b"P": parameters}


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: email_oracle.py IN OUT\n")
        return 64
    with open(argv[1], "rb") as f:
        data = f.read()
    out = bytearray()
    i = 0
    while i < len(data):
        kind = data[i:i + 1]
        (length,) = struct.unpack(">I", data[i + 1:i + 5])
        payload = data[i + 5:i + 5 + length]
        i += 5 + length
        handler = HANDLERS[kind]
        for policy in POLICIES:
            try:
                status, result = handler(payload, policy)
            except Exception as e:  # noqa: BLE001 -- any failure of email is an answer ("Python gives up")
                status, result = b"E", repr(e).encode("utf-8", "backslashreplace")
            out += status + struct.pack(">I", len(result)) + result
    with open(argv[2], "wb") as f:
        f.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
