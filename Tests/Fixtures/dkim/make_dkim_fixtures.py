#!/usr/bin/env python3
"""Write the DKIM test fixtures in this directory, and prove every expectation with dkimpy's own verifier.

Needs (no Debian package beyond python3):

    pip install dkimpy pynacl cryptography     # dkimpy pulls in dnspython; pynacl is for ed25519-sha256
    # optional, to serve keys.txt over DNS in tests:  apt-get install dnsmasq-base dnsutils

Last run with dkimpy 1.1.8, PyNaCl 1.6.2, cryptography 48.0.0, Python 3.11.

    python3 make_dkim_fixtures.py                 # (re)write keys/, keys.txt, the .eml files and expected.json
    python3 make_dkim_fixtures.py --check         # exit 1 if a file on disk differs from what would be written
    python3 make_dkim_fixtures.py --verify F...   # verify every DKIM-Signature of the given messages with keys.txt

THE KEYS ARE TEST KEYS AND PROTECT NOTHING. They are derived deterministically from fixed public labels (see
`TestKey`), so anyone can recompute the private keys, and the script rebuilds byte-identical files every run:

- RSA: primes drawn from a SHA-256 counter stream seeded by the label, Miller-Rabin tested, e = 65537;
- Ed25519: the 32-byte seed is SHA-256 of the label.

Determinism: dkimpy signs with `t=` set to `int(time.time())` and has no parameter for it, so the script replaces
`dkim.time` while it signs and each signature's t= is the message's own Date. RSASSA-PKCS1-v1_5 and Ed25519 are
deterministic, so with the fixed keys the signatures are the same on every run.

dkimpy's verifier is stricter than RFC 6376 in one place: when h= contains `from` it adds one more `from` to the
header list it hashes (its bug #644046), so any message with an extra From header fails even if From was not
over-signed. The script checks every message twice, with dkimpy as it is and with that extra `from` turned off
(RFC 6376 behaviour), and `added-from-not-oversigned.eml` is the one message where the two disagree.
"""

import base64
import hashlib
import json
import logging
import random
import sys
import types
from email.utils import parsedate_to_datetime
from pathlib import Path

try:
    import dkim
    from dkim.canonicalization import CanonicalizationPolicy
    import nacl.signing  # noqa: F401  (dkimpy needs it for ed25519-sha256)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
except ImportError as error:  # pragma: no cover
    raise SystemExit("make_dkim_fixtures.py: %s; run `pip install dkimpy pynacl cryptography`" % error)

HERE = Path(__file__).resolve().parent
CRLF = b"\r\n"
LOG = logging.getLogger("make_dkim_fixtures")
LOG.addHandler(logging.NullHandler())
LOG.propagate = False


# --------------------------------------------------------------------------------------------------------------
# Deterministic test keys.
# --------------------------------------------------------------------------------------------------------------

class CounterStream:
    """SHA-256(label || counter) blocks: a reproducible byte stream for deriving test keys."""

    def __init__(self, label):
        self.label = b"spearscan TEST-ONLY DKIM key\0" + label.encode("ascii") + b"\0"
        self.counter = 0

    def bits(self, n):
        out = b""
        while len(out) * 8 < n:
            out += hashlib.sha256(self.label + self.counter.to_bytes(8, "big")).digest()
            self.counter += 1
        return int.from_bytes(out, "big") >> (len(out) * 8 - n)


SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p ** 0.5) + 1))]


def is_probable_prime(n, rounds=40):
    if any(n % p == 0 for p in SMALL_PRIMES):
        return n in SMALL_PRIMES
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    witnesses = random.Random(n)  # seeded by n: the test is reproducible
    for _ in range(rounds):
        a = witnesses.randrange(2, n - 2)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def prime(stream, bits, e):
    while True:
        candidate = stream.bits(bits) | (0b11 << (bits - 2)) | 1  # top two bits set: p*q has exactly 2*bits bits
        if (candidate - 1) % e and is_probable_prime(candidate):
            return candidate


def rsa_test_key(label, bits):
    e = 65537
    stream = CounterStream(label)
    p = prime(stream, bits // 2, e)
    q = prime(stream, bits // 2, e)
    while q == p:
        q = prime(stream, bits // 2, e)
    p, q = max(p, q), min(p, q)
    d = pow(e, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q), rsa.RSAPublicNumbers(e, p * q))
    key = numbers.private_key()
    assert key.key_size == bits
    return key


class TestKey:
    def __init__(self, selector, domain, kind, bits):
        self.selector, self.domain, self.kind, self.bits = selector, domain, kind, bits
        label = "%s %s._domainkey.%s" % (kind, selector, domain)
        if kind == "rsa":
            self.key = rsa_test_key(label, bits)
            self.pem = self.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                serialization.NoEncryption())
            self.dkimpy_private = self.pem  # dkimpy reads PKCS#1 PEM
            public = self.key.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
            self.algorithm = b"rsa-sha256"
        else:
            seed = hashlib.sha256(b"spearscan TEST-ONLY DKIM key\0" + label.encode("ascii")).digest()
            self.key = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
            self.pem = self.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            self.dkimpy_private = base64.b64encode(seed)  # dkimpy wants the base64 32-byte seed (RFC 8463 style)
            public = self.key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            self.algorithm = b"ed25519-sha256"
        self.record = "v=DKIM1; k=%s; p=%s" % (kind, base64.b64encode(public).decode("ascii"))

    @property
    def name(self):
        return "%s._domainkey.%s" % (self.selector, self.domain)

    @property
    def pem_filename(self):
        return "keys/TEST-ONLY-%s-%s.pem" % (self.selector, self.domain)


KEYS = {
    "rsa2048": TestKey("rsa2048", "example.com", "rsa", 2048),
    "rsa1024": TestKey("rsa1024", "example.com", "rsa", 1024),
    "ed25519": TestKey("ed25519", "example.com", "ed25519", 256),
    "news": TestKey("news", "news.example.net", "rsa", 2048),
}


def keys_txt():
    return "".join("%s %s\n" % (k.name, k.record) for k in KEYS.values()).encode("ascii")


def records_from_keys_txt(data):
    """name (lower case, no trailing dot) -> TXT value, as keys.txt gives them."""
    records = {}
    for line in data.decode("ascii").splitlines():
        if line.strip():
            name, value = line.split(" ", 1)
            records[name.lower().rstrip(".")] = value
    return records


def dnsfunc_for(records):
    def dnsfunc(name, timeout=5):
        value = records.get(name.decode("ascii").lower().rstrip("."))
        return value.encode("ascii") if value is not None else None
    return dnsfunc


# --------------------------------------------------------------------------------------------------------------
# Signing and verifying with dkimpy.
# --------------------------------------------------------------------------------------------------------------

def epoch(date_header):
    return int(parsedate_to_datetime(date_header).timestamp())


def header_value(message, name):
    for line in message.split(CRLF):
        if line.lower().startswith(name.lower().encode("ascii") + b":"):
            return line.split(b":", 1)[1].strip().decode("ascii")
    raise KeyError(name)


def sign(message, key, canonicalize=(b"relaxed", b"relaxed"), include_headers=None, length=False,
         selector=None, domain=None):
    """Return `message` with a DKIM-Signature on top; t= is the message's Date."""
    signed_at = epoch(header_value(message, "Date"))
    real_time = dkim.time
    dkim.time = types.SimpleNamespace(time=lambda: signed_at)
    try:
        signature = dkim.sign(
            message,
            (selector or key.selector).encode("ascii"),
            (domain or key.domain).encode("ascii"),
            key.dkimpy_private,
            canonicalize=canonicalize,
            signature_algorithm=key.algorithm,
            include_headers=[h.encode("ascii") for h in (include_headers or DEFAULT_H)],
            length=length,
            logger=LOG,
            linesep=CRLF,
        )
    finally:
        dkim.time = real_time
    assert signature.endswith(CRLF)
    return signature + message


class NoExtraFromList(list):
    """A header list whose append() ignores dkimpy's extra b'from' (see the module docstring)."""

    def append(self, item):
        if item != b"from":
            super().append(item)


class RFC6376DKIM(dkim.DKIM):
    def verify_headerprep(self, idx=0):
        prep = super().verify_headerprep(idx)
        if prep:
            sig, include_headers, sigheaders = prep
            return sig, NoExtraFromList(include_headers), sigheaders
        return prep


def verify_one(message, index, dnsfunc, rfc6376):
    """(result, reason) for the signature at `index` (0 = topmost)."""
    verifier = (RFC6376DKIM if rfc6376 else dkim.DKIM)(message, logger=LOG, minkey=1024)
    try:
        ok = verifier.verify(idx=index, dnsfunc=dnsfunc)
    except dkim.ValidationError as error:
        text = str(error)
        if text.startswith("body hash mismatch"):
            return "fail", "body hash mismatch"
        return "fail", text
    except dkim.DKIMException as error:
        return "fail", "%s: %s" % (type(error).__name__, error)
    return ("pass", None) if ok else ("fail", "signature mismatch")


def signatures_of(message):
    """The parsed tag lists of every DKIM-Signature, top to bottom."""
    headers, body = dkim.rfc822_parse(message)
    return [dkim.parse_tag_value(v) for k, v in headers if k.lower() == b"dkim-signature"], headers, body


def describe(message, records):
    """Facts about each signature of `message`, plus dkimpy's verdicts (RFC 6376 mode and as shipped)."""
    dnsfunc = dnsfunc_for(records)
    sigs, _, body = signatures_of(message)
    out = []
    for index, sig in enumerate(sigs):
        d, s = sig[b"d"].decode(), sig[b"s"].decode()
        record = records.get("%s._domainkey.%s" % (s, d))
        key_bits = None
        if record:
            pk, key_bits, ktag, _ = dkim.evaluate_pk(b"x", record.encode("ascii"))
        policy = CanonicalizationPolicy.from_c_value(sig.get(b"c", b"simple/simple"))
        canonical = policy.canonicalize_body(body)
        result, reason = verify_one(message, index, dnsfunc, rfc6376=True)
        stock, stock_reason = verify_one(message, index, dnsfunc, rfc6376=False)
        out.append({
            "index": index,
            "d": d,
            "s": s,
            "algorithm": sig[b"a"].decode(),
            "canonicalization": sig.get(b"c", b"simple/simple").decode(),
            "key_type": (record.split("k=")[1].split(";")[0].strip() if record and "k=" in record else "rsa"),
            "key_bits": key_bits,
            "h": [h.strip().decode() for h in sig[b"h"].split(b":")],
            "l": int(sig[b"l"]) if b"l" in sig else None,
            "canonical_body_bytes": len(canonical),
            "t": int(sig[b"t"]) if b"t" in sig else None,
            "bh": b"".join(sig[b"bh"].split()).decode(),
            "result": result,
            "reason": reason,
            "dkimpy": {"result": stock, "reason": stock_reason},
        })
    return out


# --------------------------------------------------------------------------------------------------------------
# The messages.
# --------------------------------------------------------------------------------------------------------------

DEFAULT_H = ["From", "To", "Subject", "Date", "Message-ID"]


def lines(*items):
    return b"".join((i.encode("ascii") if isinstance(i, str) else i) + CRLF for i in items)


def text_message(headers, body):
    """Headers (str, one per line, continuation lines start with white space), a blank line, then `body` (str)."""
    return lines(*headers) + CRLF + body.encode("ascii").replace(b"\n", CRLF)


def plain(date, msgid, subject, body, sender="Example Sender <sender@example.com>",
          to="Taro Yamada <t-yamada@example.co.jp>", extra=()):
    return text_message([
        "From: " + sender,
        "To: " + to,
        "Subject: " + subject,
        "Date: " + date,
        "Message-ID: <%s>" % msgid,
        *extra,
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
        "Content-Transfer-Encoding: 7bit",
    ], body)


RELAXED_BODY = (
    "Hello Taro,\n"
    "\n"
    "This message is a spearscan DKIM test fixture.  It is signed with\n"
    "c=relaxed/relaxed, so runs of  spaces and tabs\tcount as one space and\n"
    "white space at the end of a line is ignored.   \n"
    "\n"
    "Regards,\n"
    "Example Sender\n"
    "\n"
    "\n"
)


def rsa2048_relaxed_unsigned():
    # Subject has a double space and To is folded: relaxed header canonicalisation unfolds and squeezes them.
    return text_message([
        "From: Example Sender <sender@example.com>",
        "To: Taro Yamada",
        "  <t-yamada@example.co.jp>",
        "Subject: DKIM fixture:  rsa2048 relaxed/relaxed",
        "Date: Tue, 3 Sep 2019 10:00:00 +0900",
        "Message-ID: <20190903100000.dkim01@example.com>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
        "Content-Transfer-Encoding: 7bit",
    ], RELAXED_BODY)


def rsa2048_relaxed():
    return sign(rsa2048_relaxed_unsigned(), KEYS["rsa2048"])


def rsa2048_simple():
    # "Message-Id" in this case while h= says "message-id": header names match without regard to case, and simple
    # canonicalisation hashes the header exactly as it is (name case, folding and spaces included).
    message = text_message([
        "From: Example Sender <sender@example.com>",
        "To: Taro Yamada <t-yamada@example.co.jp>",
        "Subject: DKIM fixture: rsa2048 simple/simple,",
        " with a folded subject",
        "Date: Tue, 3 Sep 2019 10:05:00 +0900",
        "Message-Id: <20190903100500.dkim02@example.com>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
        "Content-Transfer-Encoding: 7bit",
    ], (
        "Hello Taro,\n"
        "\n"
        "This message is signed with c=simple/simple: every byte of the headers\n"
        "listed in h= and of the body counts, except empty lines at the end of\n"
        "the body.\n"
        "\n"
        "Regards,\n"
        "Example Sender\n"
        "\n"
        "\n"
    ))
    return sign(message, KEYS["rsa2048"], canonicalize=(b"simple", b"simple"))


def rsa1024_relaxed():
    message = plain("Tue, 3 Sep 2019 10:10:00 +0900", "20190903101000.dkim03@example.com",
                    "DKIM fixture: rsa1024 relaxed/relaxed",
                    "Hello Taro,\n\nThis message is signed with a 1024-bit RSA key (selector rsa1024).\n"
                    "RFC 8301 still accepts 1024 bits; below that a verifier must fail.\n\nExample Sender\n")
    return sign(message, KEYS["rsa1024"])


def ed25519_relaxed():
    message = plain("Tue, 3 Sep 2019 10:15:00 +0900", "20190903101500.dkim04@example.com",
                    "DKIM fixture: ed25519-sha256 relaxed/relaxed",
                    "Hello Taro,\n\nThis message is signed with Ed25519 (RFC 8463, a=ed25519-sha256):\n"
                    "the signature is over the SHA-256 hash of the canonicalised headers, and\n"
                    "the key record holds the raw 32-byte public key (k=ed25519).\n\nExample Sender\n")
    return sign(message, KEYS["ed25519"])


def dual_signed():
    message = plain("Tue, 3 Sep 2019 10:17:00 +0900", "20190903101700.dkim05@example.com",
                    "DKIM fixture: signed twice, rsa-sha256 and ed25519-sha256",
                    "Hello Taro,\n\nRFC 8463 suggests signing with both RSA and Ed25519 while verifiers\n"
                    "catch up. This message carries both signatures; both verify.\n\nExample Sender\n")
    return sign(sign(message, KEYS["rsa2048"]), KEYS["ed25519"])


def oversigned():
    message = plain("Tue, 3 Sep 2019 10:20:00 +0900", "20190903102000.dkim06@example.com",
                    "DKIM fixture: From over-signed",
                    "Hello Taro,\n\nh= lists From twice. The second entry matches no header, so it hashes\n"
                    "as nothing; a From added later takes that place and the signature breaks.\n\n"
                    "Example Sender\n")
    return sign(message, KEYS["rsa2048"], include_headers=["From", "From", "To", "Subject", "Date", "Message-ID"])


L_TAG_APPENDIX = (
    "--\n"
    "This paragraph was appended after signing. It lies beyond l=, so the\n"
    "signature still verifies, but nothing vouches for it.\n"
)


def with_l_tag():
    message = plain("Tue, 3 Sep 2019 10:25:00 +0900", "20190903102500.dkim07@example.com",
                    "DKIM fixture: l= body length",
                    "Hello Taro,\n\nThis signature has l=, the number of body bytes it covers after\n"
                    "canonicalisation.\n\nExample Sender\n")
    return sign(message, KEYS["rsa2048"], length=True) + L_TAG_APPENDIX.encode("ascii").replace(b"\n", CRLF)


def base64_lines(data, width=76):
    encoded = base64.b64encode(data).decode("ascii")
    return [encoded[i:i + width] for i in range(0, len(encoded), width)]


def multipart_signed():
    boundary = "=_spearscan_dkim_0008_mixed"
    attachment = b"date,item\r\n2019-09-10,kick-off meeting\r\n2019-09-24,review\r\n"
    body = b"".join([
        lines(
            "This is a multi-part message in MIME format.",
            "",
            "--" + boundary,
            "Content-Type: text/plain; charset=us-ascii",
            "Content-Transfer-Encoding: 7bit",
            "",
            "Hello Taro,",
            "",
            "The schedule is attached as a small CSV file.",
            "",
            "Example Sender",
            "",
            "--" + boundary,
            'Content-Type: text/csv; charset=us-ascii; name="schedule.csv"',
            "Content-Transfer-Encoding: base64",
            'Content-Disposition: attachment; filename="schedule.csv"',
            "",
            *base64_lines(attachment),
            "",
            "--" + boundary + "--",
        ),
    ])
    message = lines(
        "From: Example Sender <sender@example.com>",
        "To: Taro Yamada <t-yamada@example.co.jp>",
        "Subject: DKIM fixture: multipart/mixed with an attachment",
        "Date: Tue, 3 Sep 2019 10:30:00 +0900",
        "Message-ID: <20190903103000.dkim08@example.com>",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed;",
        ' boundary="%s"' % boundary,
        "",
    ) + body
    return sign(message, KEYS["rsa2048"],
                include_headers=DEFAULT_H + ["MIME-Version", "Content-Type"])


def newsletter_signed():
    message = text_message([
        "From: Example News <news@news.example.net>",
        "To: t-yamada@example.co.jp",
        "Subject: Example News - September 2019",
        "Date: Wed, 4 Sep 2019 08:00:00 +0900",
        "Message-ID: <20190904080000.n0001@news.example.net>",
        "List-Id: Example News <monthly.news.example.net>",
        "List-Unsubscribe: <https://news.example.net/unsubscribe?u=0001>,",
        " <mailto:unsubscribe-0001@news.example.net>",
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
        "Content-Transfer-Encoding: 7bit",
    ], (
        "Example News - September 2019\n"
        "\n"
        "- The autumn seminar schedule is now on our web site.\n"
        "- Our office will be closed on 23 September.\n"
        "\n"
        "You receive this newsletter because you subscribed at news.example.net.\n"
        "To stop receiving it, use the unsubscribe link in the List-Unsubscribe\n"
        "header or visit https://news.example.net/unsubscribe?u=0001\n"
    ))
    return sign(message, KEYS["news"], include_headers=DEFAULT_H + [
        "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "MIME-Version", "Content-Type",
        "Content-Transfer-Encoding"])


def replace_once(data, old, new):
    assert data.count(old) == 1, (old, data.count(old))
    return data.replace(old, new)


def tampered_body():
    return replace_once(rsa2048_relaxed(), b"test fixture", b"test fixturE")


def tampered_from():
    return replace_once(rsa2048_relaxed(), b"From: Example Sender <sender@example.com>",
                        b"From: Example Sender <ceo@example.com>")


ADDED_FROM = b"From: Example Director <director@example.com>\r\n"


def tampered_added_from():
    return ADDED_FROM + oversigned()


def added_from_not_oversigned():
    return ADDED_FROM + rsa2048_relaxed()


def wrong_key():
    # Signed with the private key of news._domainkey.news.example.net, but d=example.com s=rsa2048.
    message = plain("Tue, 3 Sep 2019 10:40:00 +0900", "20190903104000.dkim09@example.com",
                    "DKIM fixture: signed with the wrong key",
                    "Hello Taro,\n\nThe signature names s=rsa2048 d=example.com but was made with another\n"
                    "key, so the public key in DNS does not match it.\n\nExample Sender\n")
    return sign(message, KEYS["news"], selector="rsa2048", domain="example.com")


def relaxed_whitespace_changed():
    # What a relay may do: refold a header, squeeze or add spaces, add trailing white space and empty lines.
    data = rsa2048_relaxed()
    data = replace_once(data, b"To: Taro Yamada\r\n  <t-yamada@example.co.jp>", b"To:  Taro Yamada <t-yamada@example.co.jp>")
    data = replace_once(data, b"Subject: DKIM fixture:  rsa2048", b"Subject: DKIM fixture:\r\n\trsa2048")
    data = replace_once(data, b"Hello Taro,\r\n", b"Hello   Taro, \t\r\n")
    return data + CRLF


def simple_whitespace_changed():
    return replace_once(rsa2048_simple(), b"Hello Taro,\r\n", b"Hello Taro, \r\n")


# file -> (maker, description, expectation per signature, optional note)
MESSAGES = {
    "rsa2048-relaxed.eml": (rsa2048_relaxed, "RSA 2048, c=relaxed/relaxed, h=From:To:Subject:Date:Message-ID; "
                            "a folded To, a double space in Subject, trailing white space and empty lines in the body",
                            [("pass", None)]),
    "rsa2048-simple.eml": (rsa2048_simple, "RSA 2048, c=simple/simple; folded Subject, header written Message-Id",
                           [("pass", None)]),
    "rsa1024-relaxed.eml": (rsa1024_relaxed, "RSA 1024, c=relaxed/relaxed", [("pass", None)]),
    "ed25519-relaxed.eml": (ed25519_relaxed, "Ed25519 (RFC 8463, a=ed25519-sha256), c=relaxed/relaxed",
                            [("pass", None)]),
    "dual-signed.eml": (dual_signed, "two signatures: ed25519-sha256 on top, rsa-sha256 below",
                        [("pass", None), ("pass", None)]),
    "oversigned.eml": (oversigned, "h= lists From twice (over-signed), so a From added later breaks the signature",
                       [("pass", None)]),
    "with-l-tag.eml": (with_l_tag, "l= set at signing, then a paragraph appended after signing: the signed part "
                       "still verifies; canonical_body_bytes > l shows the unsigned tail", [("pass", None)]),
    "multipart-signed.eml": (multipart_signed, "multipart/mixed (text part + schedule.csv), h= adds MIME-Version "
                             "and Content-Type", [("pass", None)]),
    "newsletter-signed.eml": (newsletter_signed, "newsletter From news@news.example.net with List-Id and "
                              "List-Unsubscribe, signed by d=news.example.net s=news", [("pass", None)]),
    "relaxed-whitespace-changed.eml": (relaxed_whitespace_changed, "rsa2048-relaxed.eml after a relay refolded To "
                                       "and Subject and added spaces and an empty line: relaxed still verifies",
                                       [("pass", None)]),
    "tampered-body.eml": (tampered_body, "rsa2048-relaxed.eml with one body character changed after signing",
                          [("fail", "body hash mismatch")]),
    "tampered-from.eml": (tampered_from, "rsa2048-relaxed.eml with the From address changed after signing",
                          [("fail", "signature mismatch")]),
    "tampered-added-from.eml": (tampered_added_from, "oversigned.eml with a second From prepended: fails because "
                                "From is over-signed", [("fail", "signature mismatch")]),
    "simple-whitespace-changed.eml": (simple_whitespace_changed, "rsa2048-simple.eml with one space added at the "
                                      "end of a body line: simple body canonicalisation counts it",
                                      [("fail", "body hash mismatch")]),
    "wrong-key.eml": (wrong_key, "signed with the key of news._domainkey.news.example.net, but s=rsa2048 "
                      "d=example.com", [("fail", "signature mismatch")]),
    "added-from-not-oversigned.eml": (
        added_from_not_oversigned, "rsa2048-relaxed.eml (From signed once) with a second From prepended",
        [("pass", None)],
        "RFC 6376 verifiers pass it: h= has one `from`, which selects the bottom-most From (the signed one), so "
        "the prepended From is not covered. dkimpy as shipped fails it, because it always hashes one extra From "
        "(bug #644046). Either way the message has two From fields (RFC 5322 allows one) and the one most "
        "readers show is unsigned: report the duplicate From even when the signature passes."),
}


# --------------------------------------------------------------------------------------------------------------
# Output.
# --------------------------------------------------------------------------------------------------------------

def build():
    """filename -> bytes for every file this script writes (keys, keys.txt, messages, expected.json)."""
    files = {}
    for key in KEYS.values():
        files[key.pem_filename] = key.pem
    files["keys.txt"] = keys_txt()
    records = records_from_keys_txt(files["keys.txt"])

    expected = {
        "about": "Made by make_dkim_fixtures.py; every result below was checked with dkimpy. result/reason follow "
                 "RFC 6376; dkimpy.result/reason is what dkimpy as shipped says (it always hashes one extra From). "
                 "Signatures are listed top to bottom (index 0 = topmost DKIM-Signature). key_bits is the size "
                 "of the key that DNS (keys.txt) gives for s=/d=; canonical_body_bytes is the length of the body "
                 "after the signature's body canonicalisation, before any l= cut.",
        "keys": {k.name: {"key_type": k.kind, "key_bits": k.bits, "private_key": k.pem_filename}
                 for k in KEYS.values()},
        "messages": {},
    }
    problems = []
    for filename, entry in MESSAGES.items():
        make, description, wanted = entry[:3]
        note = entry[3] if len(entry) > 3 else None
        data = make()
        files[filename] = data
        sigs = describe(data, records)
        if len(sigs) != len(wanted):
            problems.append("%s: %d signatures, expected %d" % (filename, len(sigs), len(wanted)))
        for sig, (result, reason) in zip(sigs, wanted):
            if (sig["result"], sig["reason"]) != (result, reason):
                problems.append("%s[%d]: dkimpy (RFC 6376 mode) says %s (%s), expected %s (%s)" % (
                    filename, sig["index"], sig["result"], sig["reason"], result, reason))
            if sig["dkimpy"] == {"result": sig["result"], "reason": sig["reason"]}:
                del sig["dkimpy"]  # only kept where the two disagree
            elif filename != "added-from-not-oversigned.eml":
                problems.append("%s[%d]: dkimpy as shipped disagrees: %r" % (filename, sig["index"], sig["dkimpy"]))
        item = {"description": description, "signatures": sigs}
        if note:
            item["note"] = note
        expected["messages"][filename] = item
    if problems:
        raise SystemExit("make_dkim_fixtures.py: expectations not met:\n  " + "\n  ".join(problems))
    files["expected.json"] = (json.dumps(expected, indent=2, ensure_ascii=True) + "\n").encode("ascii")

    for filename, data in files.items():
        if filename.endswith(".eml"):
            check_message(filename, data, width=76)
    return files


def check_message(filename, data, width=78):
    assert all(b < 0x80 for b in data), filename + ": not 7-bit"
    assert data.endswith(CRLF), filename
    assert b"\n" not in data.replace(CRLF, b""), filename + ": bare LF"
    assert b"\r" not in data.replace(CRLF, b""), filename + ": bare CR"
    longest = max(len(line) for line in data.split(CRLF))
    assert longest <= width, "%s: a line of %d characters" % (filename, longest)


def verify_files(paths):
    records = records_from_keys_txt((HERE / "keys.txt").read_bytes())
    status = 0
    for path in paths:
        data = Path(path).read_bytes()
        sigs = describe(data, records)
        if not sigs:
            print("%s: no DKIM-Signature" % path)
            status = 1
        for sig in sigs:
            print("%s: [%d] d=%s s=%s a=%s c=%s: %s%s" % (
                path, sig["index"], sig["d"], sig["s"], sig["algorithm"], sig["canonicalization"], sig["result"],
                " (%s)" % sig["reason"] if sig["reason"] else ""))
            if sig["result"] != "pass":
                status = 1
    return status


def main(argv):
    args = argv[1:]
    if args and args[0] == "--verify":
        return verify_files(args[1:])
    check = "--check" in args
    files = build()
    stale = []
    for filename, data in files.items():
        path = HERE / filename
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(filename)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print("wrote %s (%d bytes)" % (filename, len(data)))
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    if not check:
        print("all %d messages verified with dkimpy %s as expected" % (len(MESSAGES), dkim_version()))
    return 0


def dkim_version():
    try:
        from importlib.metadata import version
        return version("dkimpy")
    except Exception:  # pragma: no cover
        return "(unknown version)"


if __name__ == "__main__":
    sys.exit(main(sys.argv))
