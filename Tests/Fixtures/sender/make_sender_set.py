#!/usr/bin/env python3
"""Write the labelled sender-spoofing set in this directory: NN-short-name.eml, labels.json, config.yaml, keys.txt.

Needs (no Debian package beyond python3):

    pip install dkimpy pynacl cryptography authres    # authres is what dkimpy's ARC sealing needs

    python3 make_sender_set.py          # (re)write the set; every DKIM and ARC result is checked with dkimpy
    python3 make_sender_set.py --check  # exit 1 if a file on disk differs from what would be written

The messages model the sender tricks of the targeted e-mail attacks in the National Police Agency's reports (a
From that claims a company or a ministry while the envelope comes from elsewhere, a Reply-To to free mail, a
display name holding another address, lookalike and homograph domains, forged Authentication-Results) next to the
genuine mail that trips naive rules (mailing lists that break DKIM, newsletters sent by an e-mail service provider,
calendar services, hosted mail whose Message-ID names the host, free-mail users writing as themselves).

Everything is a harmless text message between reserved example names, except: the free-mail providers (gmail.com,
yahoo.co.jp, outlook.jp), which a detector has to know by name, with obviously made-up local parts; and the
lookalike domains (examp1e.co.jp, example-co.jp, exarnple.co.jp, xn--...co.jp) and example.go.jp, which only mean
something under their real public suffix. IP addresses are from the documentation ranges.

Signatures are real: DKIM-Signature fields are made with the test keys of ../dkim (make_dkim_fixtures.py), ARC sets
with three more test keys written to keys/ here (the newsletter's DKIM key and two ARC keys); keys.txt here lists every key the set needs (the ../dkim keys plus
the ARC keys), in the same `name TXT-value` format. A trusted Authentication-Results that reports dkim=pass for a
domain with no test key (gmail.com, yahoo.co.jp ...) comes with no DKIM-Signature: the set fakes no signatures, and
the MX's result stands for its own verification. The output is deterministic (fixed dates and ids, fixed test keys,
t= pinned), so running the script again gives byte-identical files. CRLF line ends, 7-bit, lines of at most 78.
"""

import json
import logging
import sys
import types
from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
sys.dont_write_bytecode = True  # the imports below must leave no __pycache__ in the repository
sys.path.insert(0, str(HERE.parent / "dkim"))
sys.path.insert(0, str(ROOT / "Samples"))

import make_dkim_fixtures as dk  # noqa: E402  (the test keys, sign(), the RFC 6376 verifier)
from make_samples import iso2022jp  # noqa: E402  (CP50221-style ISO-2022-JP, as Japanese mailers send it)

import base64  # noqa: E402
import dkim  # noqa: E402

CRLF = b"\r\n"
LOG = logging.getLogger("make_sender_set")
LOG.addHandler(logging.NullHandler())
LOG.propagate = False

MX = "mx.example.co.jp"
MX_IP = "192.0.2.25"

# The newsletter's own signing key (its organisation is northwind.test, unrelated to ours).
NEWS_KEY = dk.TestKey("news", "news.northwind.test", "rsa", 2048)

ARC_KEYS = {
    "lists": dk.TestKey("arc", "lists.fossforum.test", "rsa", 2048),
    "forward": dk.TestKey("arc", "forward.relay.test", "rsa", 2048),
}


def all_keys_txt():
    return dk.keys_txt() + "".join("%s %s\n" % (k.name, k.record) for k in [NEWS_KEY, *ARC_KEYS.values(), MINATO_KEY]).encode("ascii")


# --------------------------------------------------------------------------------------------------------------
# Header helpers (all lines are str, 7-bit; a line starting with white space continues the field above).
# --------------------------------------------------------------------------------------------------------------

def words(text, charset="ISO-2022-JP", longest=60):
    """`text` as RFC 2047 B-words, each as long as fits in `longest` characters (each a complete encoded run, so
    an ISO-2022-JP word starts in JIS X 0208 when needed and ends back in ASCII)."""
    def word(part):
        raw = iso2022jp(part) if charset == "ISO-2022-JP" else part.encode(charset)
        return "=?%s?B?%s?=" % (charset, base64.b64encode(raw).decode("ascii"))

    out, start = [], 0
    while start < len(text):
        end = start + 1
        while end < len(text) and len(word(text[start:end + 1])) <= longest:
            end += 1
        out.append(word(text[start:end]))
        start = end
    return out


def field(name, text, charset="ISO-2022-JP", suffix=""):
    """A header field whose value is `text` as encoded words, one word per line, then `suffix` (e.g. an address)."""
    ws = words(text, charset)
    out = ["%s: %s" % (name, ws[0])] + [" " + w for w in ws[1:]]
    if suffix:
        if len(out[-1]) + 1 + len(suffix) <= 76:
            out[-1] += " " + suffix
        else:
            out.append(" " + suffix)
    return out


def mailbox(name, address, charset="ISO-2022-JP", header="From"):
    if all(ord(c) < 128 for c in name):
        return ["%s: %s <%s>" % (header, name, address)]
    return field(header, name, charset, "<%s>" % address)


def jis_body(text):
    return iso2022jp(text).replace(b"\n", CRLF)


def ascii_body(text):
    return text.encode("ascii").replace(b"\n", CRLF)


def lines(items):
    return b"".join(i.encode("ascii") + CRLF for i in items)


def stamp(date):
    return parsedate_to_datetime(date).strftime("%Y%m%d%H%M%S")


def date_at(date, seconds):
    return format_datetime(parsedate_to_datetime(date) + timedelta(seconds=seconds)) + " (JST)"


PLAIN_ASCII = ["MIME-Version: 1.0", "Content-Type: text/plain; charset=us-ascii",
               "Content-Transfer-Encoding: 7bit"]
PLAIN_JIS = ["MIME-Version: 1.0", "Content-Type: text/plain; charset=ISO-2022-JP",
             "Content-Transfer-Encoding: 7bit"]


def auth_results(*results, authserv=MX):
    """Authentication-Results: one result per line; a result given as a tuple is folded over several lines."""
    out = ["Authentication-Results: %s;" % authserv]
    for i, result in enumerate(results):
        parts = list(result) if isinstance(result, tuple) else [result]
        end = ";" if i < len(results) - 1 else ""
        out.append("\t" + parts[0] + (end if len(parts) == 1 else ""))
        for j, p in enumerate(parts[1:], 1):
            out.append("\t " + p + (end if j == len(parts) - 1 else ""))
    return out


def received_from(helo, rdns, ip):
    """The from clause of a Postfix Received field (HELO name, then reverse name and address), folded if long."""
    line = "Received: from %s (%s [%s])" % (helo, rdns, ip)
    return [line] if len(line) <= 78 else ["Received: from %s" % helo, "\t(%s [%s])" % (rdns, ip)]


def mx_received(date, helo, rdns, ip, mail_from, rcpt, qid, seconds=3, tls=True):
    """The first trusted hop: what mx.example.co.jp writes when it accepts the message from the Internet."""
    return [
        *received_from(helo, rdns, ip),
        "\tby %s (Postfix) with %s id %s" % (MX, "ESMTPS" if tls else "ESMTP", qid),
        "\t(envelope-from <%s>)" % mail_from,
        "\tfor <%s>; %s" % (rcpt, date_at(date, seconds)),
    ]


def delivered(date, rcpt, mail_from, helo, rdns, ip, qid, ar=(), extra_top=(), spf=None, tls=True):
    """Trace fields that our side adds, top first: Return-Path, the mailbox hop, [extra], the MX's result
    fields (Authentication-Results or Received-SPF), the MX's Received."""
    top = [
        "Return-Path: <%s>" % mail_from,
        "Received: from %s (%s [%s])" % (MX, MX, MX_IP),
        "\tby mbox.example.co.jp (Postfix) with LMTP id %sM" % qid,
        "\tfor <%s>; %s" % (rcpt, date_at(date, 5)),
    ]
    top += list(extra_top)
    top += list(ar)
    if spf:
        top += spf
    top += mx_received(date, helo, rdns, ip, mail_from, rcpt, qid, tls=tls)
    return top


def sender_received(date, helo_from, by, ip, seconds=1, proto="ESMTPSA", ident="submission"):
    """A Received field written before the message reached us (untrusted, but realistic)."""
    return [
        "Received: from %s ([%s])" % (helo_from, ip),
        "\tby %s with %s id %s;" % (by, proto, ident),
        "\t" + date_at(date, seconds),
    ]


def message(top, headers, body):
    return lines(top) + lines(headers) + CRLF + body


def sig_b8(signed, index=0):
    """The first 8 characters of b= of the DKIM-Signature at `index`, for header.b in Authentication-Results."""
    sigs, _, _ = dk.signatures_of(signed)
    return b"".join(sigs[index][b"b"].split())[:8].decode("ascii")


def dkim_sign(msg, key="rsa2048", h=None):
    return dk.sign(msg, dk.KEYS[key], include_headers=h or H_COMMON)


H_COMMON = ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"]


def arc_seal(msg, key, srv_id, date):
    """Prepend an ARC set (i=1) sealed with `key`; the message must carry srv_id's Authentication-Results."""
    headers = dkim.arc_sign(
        msg, key.selector.encode(), key.domain.encode(), key.pem, srv_id.encode(),
        include_headers=[b"from", b"to", b"subject", b"date", b"message-id", b"list-id", b"mime-version",
                         b"content-type"],
        timestamp=dk.epoch(date) + 2, logger=LOG, linesep=CRLF)
    assert len(headers) == 3, headers
    return b"".join(headers) + msg


# --------------------------------------------------------------------------------------------------------------
# The set. Each entry: number, slug, spoofed, kind, why; the function returns the message bytes.
# dkim = expected results of the DKIM signatures (top first), checked with dkimpy; arc = expected ARC chain result.
# --------------------------------------------------------------------------------------------------------------

SET = []


def entry(n, slug, spoofed, kind, why, dkim_results=(), arc=None, needs_config=False):
    """needs_config: a spoof only the configuration reveals (a partner's domain, a protected name); the labelled
    set's test leaves it out of the recall measured without configuration."""
    def register(make):
        SET.append(dict(n=n, slug=slug, spoofed=spoofed, kind=kind, why=why, make=make,
                        dkim=list(dkim_results), arc=arc, needs_config=needs_config))
        return make
    return register


SOUMU = "soumu@example.co.jp"

# ---------------------------------------------------------------- spoofed ----------------------------------------


@entry(1, "partner-envelope-unrelated", True, "envelope_mismatch",
       "From claims partner.example.com (keiri@) but the envelope sender (Return-Path, smtp.mailfrom) is "
       "bounce@mailer.bulksend.test, an unrelated organisational domain; SPF passes only for mailer.bulksend.test and "
       "there is no DKIM, so nothing ties the message to partner.example.com (dmarc=fail, p=none).")
def m01():
    date = "Mon, 2 Sep 2019 09:12:30 +0900"
    top = delivered(date, SOUMU, "bounce@mailer.bulksend.test", "mailer.bulksend.test", "mailer.bulksend.test",
                    "203.0.113.10", "46M01A0001",
                    ar=auth_results("spf=pass smtp.mailfrom=mailer.bulksend.test", "dkim=none (no signatures)",
                                    "dmarc=fail (p=none dis=none) header.from=partner.example.com"))
    return message(top, [
        *mailbox("株式会社パートナー 経理部", "keiri@partner.example.com"),
        *mailbox("総務部", SOUMU, header="To"),
        *field("Subject", "請求書送付のご案内"),
        "Date: " + date,
        "Message-ID: <20190902091230.7F3C@mailer.bulksend.test>",
        *PLAIN_JIS,
    ], jis_body("総務部 ご担当者様\n\nいつもお世話になっております。\n9月分の請求書についてご案内いたします。\n"
                "お振込先が変更となりましたので、本メールにてご連絡いたします。\n\n株式会社パートナー 経理部\n"))


@entry(2, "own-domain-envelope-unrelated", True, "envelope_mismatch",
       "From claims our own domain (総務部 <soumu@example.co.jp>) but the message came from outside with the "
       "envelope sender noreply@bulk.massmail.test; the trusted MX reports dmarc=fail for example.co.jp.")
def m02():
    date = "Mon, 2 Sep 2019 10:03:11 +0900"
    rcpt = "t-yamada@example.co.jp"
    top = delivered(date, rcpt, "noreply@bulk.massmail.test", "bulk.massmail.test", "bulk.massmail.test",
                    "203.0.113.11", "46M02A0002",
                    ar=auth_results("spf=pass smtp.mailfrom=bulk.massmail.test", "dkim=none (no signatures)",
                                    ("dmarc=fail (p=quarantine dis=quarantine)", "header.from=example.co.jp")))
    return message(top, [
        *mailbox("総務部", SOUMU),
        *mailbox("山田 太郎", rcpt, header="To"),
        *field("Subject", "【総務部】パスワード更新のお願い"),
        "Date: " + date,
        "Message-ID: <20190902100311.0002@bulk.massmail.test>",
        *PLAIN_JIS,
    ], jis_body("社員各位\n\nパスワードの有効期限が近づいています。\n下記の手順で更新してください。\n\n総務部\n"))


@entry(3, "reply-to-gmail", True, "reply_to_freemail",
       "From claims the president of partner.example.com but Reply-To sends the answer to a gmail.com account "
       "(the business e-mail compromise pattern); the envelope is forged to partner.example.com and the connecting "
       "host is not partner's (spf=softfail).")
def m03():
    date = "Tue, 3 Sep 2019 08:45:00 +0900"
    top = delivered(date, SOUMU, "yamamoto@partner.example.com", "partner.example.com", "unknown",
                    "203.0.113.45", "46M03A0003",
                    ar=auth_results("spf=softfail smtp.mailfrom=partner.example.com", "dkim=none (no signatures)",
                                    "dmarc=fail (p=none dis=none) header.from=partner.example.com"))
    return message(top, [
        *mailbox("代表取締役 山本", "yamamoto@partner.example.com"),
        "Reply-To: example.yamamoto.ceo@gmail.com",
        *mailbox("総務部", SOUMU, header="To"),
        *field("Subject", "至急のお願い"),
        "Date: " + date,
        "Message-ID: <20190903084500.0003@partner.example.com>",
        *PLAIN_JIS,
    ], jis_body("お疲れ様です。\n\n至急ご相談したい件があります。\n外出中のため、このメールにご返信ください。\n\n山本\n"))


@entry(4, "reply-to-yahoo-co-jp", True, "reply_to_freemail",
       "From claims 人事部 of our own domain but Reply-To is a yahoo.co.jp address; the message came from an "
       "outside host (spf=fail, dmarc=fail for example.co.jp).")
def m04():
    date = "Tue, 3 Sep 2019 13:20:40 +0900"
    rcpt = "h-sato@example.co.jp"
    top = delivered(date, rcpt, "jinji@example.co.jp", "example.co.jp", "unknown", "203.0.113.46", "46M04A0004",
                    ar=auth_results("spf=fail smtp.mailfrom=example.co.jp", "dkim=none (no signatures)",
                                    ("dmarc=fail (p=quarantine dis=quarantine)", "header.from=example.co.jp")))
    return message(top, [
        *mailbox("人事部", "jinji@example.co.jp"),
        "Reply-To: jinji.example.co.jp@yahoo.co.jp",
        *mailbox("佐藤 花子", rcpt, header="To"),
        *field("Subject", "人事評価シートの提出について"),
        "Date: " + date,
        "Message-ID: <20190903132040.0004@example.co.jp>",
        *PLAIN_JIS,
    ], jis_body("佐藤様\n\n人事評価シートは本メールへの返信で提出してください。\n\n人事部\n"))


@entry(5, "reply-to-outlook-jp", True, "reply_to_freemail",
       "From claims the sales department of partner.example.com, asking to change the bank account, and Reply-To "
       "is an outlook.jp free-mail address; sent from a host outside partner's network (spf=softfail).")
def m05():
    date = "Wed, 4 Sep 2019 16:02:09 +0900"
    rcpt = "keiri@example.co.jp"
    top = delivered(date, rcpt, "sales@partner.example.com", "mail.partner.example.com", "unknown",
                    "203.0.113.47", "46M05A0005",
                    ar=auth_results("spf=softfail smtp.mailfrom=partner.example.com", "dkim=none (no signatures)",
                                    "dmarc=fail (p=none dis=none) header.from=partner.example.com"))
    return message(top, [
        "From: Partner Sales <sales@partner.example.com>",
        "Reply-To: Partner Sales <partner-sales.example@outlook.jp>",
        "To: keiri@example.co.jp",
        "Subject: Change of bank account for payment",
        "Date: " + date,
        "Message-ID: <20190904160209.0005@partner.example.com>",
        *PLAIN_ASCII,
    ], ascii_body("Dear customer,\n\nOur bank account has changed. Please reply to this message and we will\n"
                  "send you the new account details for the September payment.\n\nPartner Sales\n"))


@entry(6, "display-name-address", True, "display_name_address",
       "The display name is \"soumu@example.co.jp\" (our own address) but the real address is x@mail.vpsrent.test; "
       "mail programs that show only the name show our own domain.")
def m06():
    date = "Thu, 5 Sep 2019 09:30:00 +0900"
    rcpt = "t-yamada@example.co.jp"
    top = delivered(date, rcpt, "x@mail.vpsrent.test", "mail.vpsrent.test", "mail.vpsrent.test", "203.0.113.12",
                    "46M06A0006",
                    ar=auth_results("spf=pass smtp.mailfrom=mail.vpsrent.test", "dkim=none (no signatures)",
                                    "dmarc=none (p=none dis=none) header.from=mail.vpsrent.test"))
    return message(top, [
        'From: "soumu@example.co.jp" <x@mail.vpsrent.test>',
        "To: t-yamada@example.co.jp",
        *field("Subject", "【重要】システム更新のお知らせ"),
        "Date: " + date,
        "Message-ID: <20190905093000.0006@mail.vpsrent.test>",
        *PLAIN_JIS,
    ], jis_body("社員各位\n\n本日18時よりメールシステムを更新します。\n\n総務部\n"))


@entry(7, "display-name-address-encoded", True, "display_name_address",
       "The display name, hidden in a UTF-8 encoded word, reads 総務部 soumu@example.co.jp while the address is "
       "notice@notice.alert-center.test: the other address only appears after RFC 2047 decoding.")
def m07():
    date = "Thu, 5 Sep 2019 11:11:11 +0900"
    rcpt = "h-sato@example.co.jp"
    top = delivered(date, rcpt, "notice@notice.alert-center.test", "notice.alert-center.test", "notice.alert-center.test",
                    "203.0.113.13", "46M07A0007",
                    ar=auth_results("spf=pass smtp.mailfrom=notice.alert-center.test", "dkim=none (no signatures)",
                                    "dmarc=none (p=none dis=none) header.from=notice.alert-center.test"))
    return message(top, [
        *field("From", "総務部 soumu@example.co.jp", "UTF-8", "<notice@notice.alert-center.test>"),
        "To: h-sato@example.co.jp",
        *field("Subject", "給与明細の確認", "UTF-8"),
        "Date: " + date,
        "Message-ID: <20190905111111.0007@notice.alert-center.test>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: base64",
    ], b"".join(base64.b64encode(chunk) + CRLF for chunk in _chunks(
        "佐藤様\r\n\r\n今月の給与明細を確認してください。\r\n\r\n総務部\r\n".encode("utf-8"), 57)))


def _chunks(data, size):
    return [data[i:i + size] for i in range(0, len(data), size)]


@entry(8, "display-name-partner-address", True, "display_name_address",
       "The display name holds the partner's address (keiri@partner.example.com) while the mail comes from "
       "invoice@billing.paydesk.test, which has nothing to do with partner.example.com.")
def m08():
    date = "Fri, 6 Sep 2019 10:00:00 +0900"
    rcpt = "keiri@example.co.jp"
    top = delivered(date, rcpt, "invoice@billing.paydesk.test", "billing.paydesk.test", "billing.paydesk.test",
                    "203.0.113.14", "46M08A0008",
                    ar=auth_results("spf=pass smtp.mailfrom=billing.paydesk.test", "dkim=none (no signatures)",
                                    "dmarc=none (p=none dis=none) header.from=billing.paydesk.test"))
    return message(top, [
        'From: "Keiri (keiri@partner.example.com)" <invoice@billing.paydesk.test>',
        "To: keiri@example.co.jp",
        "Subject: Invoice 2019-09",
        "Date: " + date,
        "Message-ID: <20190906100000.0008@billing.paydesk.test>",
        *PLAIN_ASCII,
    ], ascii_body("Hello,\n\nThe invoice for September is ready. Please confirm the amount by reply.\n\n"
                  "Keiri\n"))


def lookalike(n, domain, date, ip, subject, rcpt="t-yamada@example.co.jp"):
    top = delivered(date, rcpt, "soumu@" + domain, "mail." + domain, "mail." + domain, ip, "46M%02dA%04d" % (n, n),
                    ar=auth_results("spf=pass smtp.mailfrom=" + domain, "dkim=none (no signatures)",
                                    "dmarc=none (p=none dis=none) header.from=" + domain))
    return message(top, [
        *mailbox("総務部", "soumu@" + domain),
        "To: " + rcpt,
        *field("Subject", subject),
        "Date: " + date,
        "Message-ID: <%s.%04d@%s>" % (stamp(date), n, domain),
        *PLAIN_JIS,
    ], jis_body("社員各位\n\n%sの件、社内ページで手続きをお願いします。\n\n総務部\n" % subject))


@entry(9, "lookalike-digit-one", True, "lookalike",
       "From 総務部 <soumu@examp1e.co.jp>: the letter l of example.co.jp replaced by the digit 1. The lookalike "
       "domain has its own SPF (spf=pass), so only the lookalike check catches it.")
def m09():
    return lookalike(9, "examp1e.co.jp", "Mon, 9 Sep 2019 09:01:00 +0900", "203.0.113.21", "年末調整の手続き")


@entry(10, "lookalike-hyphen", True, "lookalike",
       "From soumu@example-co.jp: the dot between example and co.jp replaced by a hyphen (a different registrable "
       "domain under .jp) to imitate example.co.jp.")
def m10():
    return lookalike(10, "example-co.jp", "Mon, 9 Sep 2019 09:02:00 +0900", "203.0.113.22", "健康診断の予約")


@entry(11, "lookalike-rn", True, "lookalike",
       "From soumu@exarnple.co.jp: \"rn\" in place of \"m\" imitates example.co.jp (rn and m look alike in most "
       "fonts).")
def m11():
    return lookalike(11, "exarnple.co.jp", "Mon, 9 Sep 2019 09:03:00 +0900", "203.0.113.23", "社内規程の改定")


HOMOGRAPH_A = "xn--" + "ex\u0430mple".encode("punycode").decode("ascii") + ".co.jp"   # Cyrillic а (U+0430)
HOMOGRAPH_E = "xn--" + "exampl\u0435".encode("punycode").decode("ascii") + ".co.jp"   # Cyrillic е (U+0435)


@entry(12, "idn-homograph-cyrillic-a", True, "lookalike",
       "From soumu@%s, the IDN exаmple.co.jp whose а is CYRILLIC SMALL LETTER A (U+0430): displayed as "
       "example.co.jp, a different domain." % HOMOGRAPH_A)
def m12():
    return lookalike(12, HOMOGRAPH_A, "Mon, 9 Sep 2019 09:04:00 +0900", "203.0.113.24", "アカウント確認のお願い")


@entry(13, "idn-homograph-cyrillic-e", True, "lookalike",
       "From soumu@%s, the IDN examplе.co.jp whose last е is CYRILLIC SMALL LETTER IE (U+0435): a homograph of "
       "example.co.jp." % HOMOGRAPH_E)
def m13():
    return lookalike(13, HOMOGRAPH_E, "Mon, 9 Sep 2019 09:05:00 +0900", "203.0.113.25", "メールボックス容量の警告")


@entry(14, "tld-swap", True, "lookalike",
       "From 総務部 <soumu@example.jp>: the registrable name example with .jp instead of .co.jp, pretending to be "
       "our own example.co.jp (protected name 総務部 from an unprotected domain as well).")
def m14():
    return lookalike(14, "example.jp", "Mon, 9 Sep 2019 09:06:00 +0900", "203.0.113.26", "社員名簿の更新")


@entry(15, "protected-domain-as-subdomain", True, "lookalike",
       "From keiri@partner.example.com.invoice.docsend.test: the protected domain partner.example.com is only the "
       "left part of a host under docsend.test, the real organisational domain.", needs_config=True)
def m15():
    date = "Tue, 10 Sep 2019 15:40:00 +0900"
    dom = "partner.example.com.invoice.docsend.test"
    rcpt = "keiri@example.co.jp"
    top = delivered(date, rcpt, "keiri@" + dom, "invoice.docsend.test", "invoice.docsend.test", "203.0.113.27",
                    "46M15A0015",
                    ar=auth_results("spf=pass smtp.mailfrom=" + dom, "dkim=none (no signatures)",
                                    ("dmarc=none (p=none dis=none)", "header.from=" + dom)))
    return message(top, [
        *mailbox("株式会社パートナー 経理部", "keiri@" + dom),
        "To: " + rcpt,
        *field("Subject", "お支払い期日のご連絡"),
        "Date: " + date,
        "Message-ID: <20190910154000.0015@invoice.docsend.test>",
        *PLAIN_JIS,
    ], jis_body("経理ご担当者様\n\nお支払い期日が近づいております。\n\n株式会社パートナー 経理部\n"))


@entry(16, "ar-dmarc-fail", True, "auth_fail",
       "Everything in the headers looks like partner.example.com (From, Return-Path, HELO, Message-ID), but the "
       "connecting host 203.0.113.48 has no reverse name and is not partner's: the trusted MX reports "
       "spf=softfail and dmarc=fail. Only Authentication-Results (and the HELO/reverse mismatch) give it away.")
def m16():
    date = "Wed, 11 Sep 2019 09:15:00 +0900"
    rcpt = "kobai@example.co.jp"
    top = delivered(date, rcpt, "tanaka@partner.example.com", "mail.partner.example.com", "unknown",
                    "203.0.113.48", "46M16A0016",
                    ar=auth_results("spf=softfail smtp.mailfrom=partner.example.com", "dkim=none (no signatures)",
                                    "dmarc=fail (p=none dis=none) header.from=partner.example.com"))
    return message(top, [
        *mailbox("株式会社パートナー 田中", "tanaka@partner.example.com"),
        *mailbox("購買部", rcpt, header="To"),
        *field("Subject", "見積書送付の件"),
        "Date: " + date,
        "Message-ID: <20190911091500.0016@partner.example.com>",
        *PLAIN_JIS,
    ], jis_body("購買部 ご担当者様\n\nお見積りの件、ダウンロードページからご確認ください。\n\n田中\n"))


@entry(17, "ar-spf-fail", True, "auth_fail",
       "From accounts@mail.clientcorp.test, whose SPF ends in -all; the trusted MX reports spf=fail (hard fail) for "
       "the connecting host. mail.clientcorp.test publishes no DMARC, so dmarc=none.")
def m17():
    date = "Wed, 11 Sep 2019 14:00:00 +0900"
    rcpt = "keiri@example.co.jp"
    top = delivered(date, rcpt, "accounts@mail.clientcorp.test", "mail.clientcorp.test", "unknown", "203.0.113.49",
                    "46M17A0017",
                    ar=auth_results("spf=fail smtp.mailfrom=mail.clientcorp.test", "dkim=none (no signatures)",
                                    "dmarc=none (p=none dis=none) header.from=mail.clientcorp.test"))
    return message(top, [
        "From: Client Corp Accounts <accounts@mail.clientcorp.test>",
        "To: keiri@example.co.jp",
        "Subject: Overdue payment reminder",
        "Date: " + date,
        "Message-ID: <20190911140000.0017@mail.clientcorp.test>",
        *PLAIN_ASCII,
    ], ascii_body("Hello,\n\nOur records show an overdue payment. Please confirm by reply.\n\nAccounts\n"))


def message_id(msgid):
    """Message-ID, on a continuation line when it is long (as Exchange writes it)."""
    line = "Message-ID: <%s>" % msgid
    return [line] if len(line) <= 78 else ["Message-ID:", " <%s>" % msgid]


def partner_signed(date, msgid, subject, body_text, to_name, rcpt, sender=("株式会社パートナー 田中",
                   "tanaka@partner.example.com"), extra=(), h=None):
    """A message from partner.example.com, DKIM-signed with d=example.com (the parent domain, aligned)."""
    msg = message([], [
        *mailbox(*sender),
        *mailbox(to_name, rcpt, header="To"),
        *field("Subject", subject),
        "Date: " + date,
        *message_id(msgid),
        *extra,
        *PLAIN_JIS,
    ], jis_body(body_text))
    return dkim_sign(msg, h=h)


@entry(18, "forged-ar-above-real", True, "forged_auth_results",
       "Two Authentication-Results claim the trusted authserv-id mx.example.co.jp. The upper one (forged) says "
       "dkim=pass; the one the MX wrote says dkim=fail (the body of a message once signed by example.com was "
       "changed). The MX writes one result per message, so disagreeing trusted results mean forgery: take the "
       "worst, never simply the topmost.", dkim_results=["fail"])
def m18():
    date = "Thu, 12 Sep 2019 10:20:00 +0900"
    rcpt = "kobai@example.co.jp"
    signed = partner_signed(date, "20190912102000.0018@partner.example.com", "発注内容のご確認",
                            "購買部 ご担当者様\n\n発注内容をご確認ください。\n\n田中\n", "購買部", rcpt)
    b8 = sig_b8(signed)
    changed = signed.replace(jis_body("発注内容をご確認ください。\n"),
                             jis_body("発注内容は次のページでご確認ください。\n"))
    assert changed != signed
    forged = auth_results(("dkim=pass header.d=example.com header.s=rsa2048", "header.b=" + b8),
                          "dmarc=pass (p=none dis=none) header.from=partner.example.com")
    real = auth_results("spf=softfail smtp.mailfrom=partner.example.com",
                        ("dkim=fail (body hash did not verify) header.d=example.com", "header.s=rsa2048 header.b=" + b8),
                        "dmarc=fail (p=none dis=none) header.from=partner.example.com")
    top = delivered(date, rcpt, "tanaka@partner.example.com", "mail.partner.example.com", "unknown",
                    "203.0.113.50", "46M18A0018", extra_top=forged, ar=real)
    return lines(top) + changed


@entry(19, "forged-ar-below-mx", True, "forged_auth_results",
       "The sender wrote its own 'Authentication-Results: mx.example.co.jp; ... pass' into the message; it sits "
       "below the Received field of mx.example.co.jp, so it was there before the message reached us and is not "
       "trusted. The MX's own result (above its Received) says dmarc=fail for example.co.jp.")
def m19():
    date = "Thu, 12 Sep 2019 16:45:00 +0900"
    rcpt = "t-yamada@example.co.jp"
    top = delivered(date, rcpt, "info@mail.vpsrent.test", "mail.vpsrent.test", "mail.vpsrent.test", "203.0.113.51",
                    "46M19A0019",
                    ar=auth_results("spf=pass smtp.mailfrom=mail.vpsrent.test", "dkim=none (no signatures)",
                                    ("dmarc=fail (p=quarantine dis=quarantine)", "header.from=example.co.jp")))
    return message(top, [
        *auth_results("spf=pass smtp.mailfrom=example.co.jp", "dkim=pass header.d=example.co.jp",
                      "dmarc=pass (p=quarantine dis=none) header.from=example.co.jp"),
        *mailbox("情報システム部", "joho@example.co.jp"),
        "To: " + rcpt,
        *field("Subject", "セキュリティ更新の適用"),
        "Date: " + date,
        "Message-ID: <20190912164500.0019@mail.vpsrent.test>",
        *PLAIN_JIS,
    ], jis_body("社員各位\n\nセキュリティ更新を本日中に適用してください。\n\n情報システム部\n"))


@entry(20, "untrusted-ar-pass", True, "forged_auth_results",
       "An Authentication-Results from authserv-id relay.openrelay.test (not trusted) claims dkim=pass and dmarc=pass "
       "for partner.example.com; it must be ignored. The trusted MX sees the envelope at relay.openrelay.test, "
       "unrelated to the From domain, and dmarc=fail.")
def m20():
    date = "Fri, 13 Sep 2019 11:00:00 +0900"
    rcpt = "keiri@example.co.jp"
    top = delivered(date, rcpt, "out@relay.openrelay.test", "relay.openrelay.test", "relay.openrelay.test",
                    "203.0.113.52", "46M20A0020",
                    ar=auth_results("spf=pass smtp.mailfrom=relay.openrelay.test", "dkim=none (no signatures)",
                                    "dmarc=fail (p=none dis=none) header.from=partner.example.com"))
    return message(top, [
        *auth_results("dkim=pass header.d=partner.example.com",
                      "dmarc=pass header.from=partner.example.com", authserv="relay.openrelay.test"),
        *sender_received(date, "client", "relay.openrelay.test", "203.0.113.152"),
        *mailbox("株式会社パートナー 経理部", "keiri@partner.example.com"),
        "To: " + rcpt,
        *field("Subject", "振込先変更のお知らせ"),
        "Date: " + date,
        "Message-ID: <20190913110000.0020@relay.openrelay.test>",
        *PLAIN_JIS,
    ], jis_body("経理ご担当者様\n\n振込先口座を変更いたしました。\n新しい口座はご返信いただいた方にお知らせします。\n"))


@entry(21, "message-id-unrelated", True, "message_id_mismatch",
       "From and Return-Path say partner.example.com, but the Message-ID was made on vps77.hosting.example and the "
       "connecting host is vps77.hosting.example (spf=softfail): the message was written by a rented server, not "
       "partner's mail system.")
def m21():
    date = "Fri, 13 Sep 2019 17:30:00 +0900"
    rcpt = "kobai@example.co.jp"
    top = delivered(date, rcpt, "tanaka@partner.example.com", "vps77.hosting.example", "vps77.hosting.example",
                    "203.0.113.77", "46M21A0021",
                    ar=auth_results("spf=softfail smtp.mailfrom=partner.example.com", "dkim=none (no signatures)",
                                    "dmarc=fail (p=none dis=none) header.from=partner.example.com"))
    return message(top, [
        *mailbox("株式会社パートナー 田中", "tanaka@partner.example.com"),
        "To: " + rcpt,
        *field("Subject", "納品書の送付"),
        "Date: " + date,
        "Message-ID: <a81f29c4e0b7.20190913173000@vps77.hosting.example>",
        "X-Mailer: PHPMailer 6.0.7",
        *PLAIN_JIS,
    ], jis_body("購買部 ご担当者様\n\n納品書をお送りします。\n\n田中\n"))


@entry(22, "international-affairs-gov", True, "envelope_mismatch",
       "The 国際情勢に関する資料 lure: From claims a ministry-looking example.go.jp, the envelope sender is on "
       "mail.vpsrent.test, Reply-To is a gmail.com account, and the Message-ID is mail.vpsrent.test's. A first, "
       "harmless message that asks for a reply (やり取り型).")
def m22():
    date = "Tue, 17 Sep 2019 10:10:10 +0900"
    rcpt = "h-sato@example.co.jp"
    top = delivered(date, rcpt, "sender01@mail.vpsrent.test", "mail.vpsrent.test", "mail.vpsrent.test",
                    "203.0.113.53", "46M22A0022",
                    ar=auth_results("spf=pass smtp.mailfrom=mail.vpsrent.test", "dkim=none (no signatures)",
                                    "dmarc=none (p=none dis=none) header.from=example.go.jp"))
    return message(top, [
        *mailbox("国際情勢研究室", "kenkyu@example.go.jp"),
        "Reply-To: example.kokusai.kenkyu@gmail.com",
        *mailbox("佐藤 花子", rcpt, header="To"),
        *field("Subject", "国際情勢に関する資料"),
        "Date: " + date,
        "Message-ID: <20190917101010.0022@mail.vpsrent.test>",
        *PLAIN_JIS,
    ], jis_body("佐藤様\n\n突然のご連絡失礼いたします。\n国際情勢に関する資料をお送りしたく存じます。\n"
                "ご都合のよい送付先を本メールへの返信でお知らせください。\n\n国際情勢研究室\n"))


@entry(23, "protected-name-example-bank", True, "protected_name",
       "The display name is Example Bank, a protected name, but the address is security@notice-bank.alertmail.test; "
       "authentication passes for that unrelated domain, so only the protected-name check catches it.", needs_config=True)
def m23():
    date = "Wed, 18 Sep 2019 07:55:00 +0900"
    rcpt = "t-yamada@example.co.jp"
    dom = "notice-bank.alertmail.test"
    top = delivered(date, rcpt, "bounce@" + dom, dom, dom, "203.0.113.54", "46M23A0023",
                    ar=auth_results("spf=pass smtp.mailfrom=" + dom, "dkim=none (no signatures)",
                                    "dmarc=pass (p=none dis=none) header.from=" + dom))
    return message(top, [
        "From: Example Bank <security@%s>" % dom,
        "To: " + rcpt,
        "Subject: Example Bank: please verify your account",
        "Date: " + date,
        "Message-ID: <20190918075500.0023@%s>" % dom,
        *PLAIN_ASCII,
    ], ascii_body("Dear customer,\n\nWe noticed unusual activity. Please sign in and verify your account.\n\n"
                  "Example Bank\n"))


@entry(24, "protected-name-freemail", True, "protected_name",
       "The display name is 総務部 (a protected name) and the local part spells our domain, but the address is a "
       "gmail.com account. Gmail authenticates it (spf, dkim and dmarc pass for gmail.com): authentication proves "
       "the free-mail account, not 総務部.", needs_config=True)
def m24():
    date = "Wed, 18 Sep 2019 12:34:56 +0900"
    rcpt = "t-yamada@example.co.jp"
    addr = "soumu.example.co.jp@gmail.com"
    top = delivered(date, rcpt, addr, "mail-sor-f41.gmail.example", "mail-sor-f41.gmail.example", "198.51.100.141",
                    "46M24A0024",
                    ar=auth_results("spf=pass smtp.mailfrom=gmail.com", "dkim=pass header.d=gmail.com",
                                    "dmarc=pass (p=none dis=none) header.from=gmail.com"))
    return message(top, [
        *mailbox("総務部", addr),
        "To: " + rcpt,
        *field("Subject", "社内アンケートのお願い"),
        "Date: " + date,
        "Message-ID: <CAExample0024soumu@mail.gmail.com>",
        *PLAIN_JIS,
    ], jis_body("社員各位\n\n社内アンケートへのご協力をお願いします。\n回答は本メールへの返信でお送りください。\n\n総務部\n"))


# ---------------------------------------------------------------- genuine ----------------------------------------

PARTNER_IP = "198.51.100.20"


def partner_delivered(date, rcpt, signed, qid, mail_from="tanaka@partner.example.com", extra_ar=()):
    b8 = sig_b8(signed)
    return delivered(date, rcpt, mail_from, "mail.partner.example.com", "mail.partner.example.com", PARTNER_IP,
                     qid, ar=auth_results(
                         "spf=pass smtp.mailfrom=partner.example.com",
                         ("dkim=pass header.d=example.com header.s=rsa2048", "header.b=" + b8),
                         "dmarc=pass (p=none dis=none) header.from=partner.example.com", *extra_ar))


@entry(25, "partner-aligned-pass", False, "company",
       "Ordinary mail from partner.example.com: Return-Path on the same domain, sent from partner's mail server, "
       "DKIM signed by example.com (the parent, aligned), and the trusted MX reports spf, dkim and dmarc pass.",
       dkim_results=["pass"])
def m25():
    date = "Mon, 2 Sep 2019 11:00:00 +0900"
    rcpt = "kobai@example.co.jp"
    signed = partner_signed(date, "20190902110000.0025@partner.example.com", "お打ち合わせ日程のご相談",
                            "購買部 ご担当者様\n\nいつもお世話になっております。\n来週のお打ち合わせの日程をご相談させてください。\n\n"
                            "株式会社パートナー 田中\n", "購買部", rcpt)
    return lines(partner_delivered(date, rcpt, signed, "46M25A0025")) + signed


@entry(26, "internal-soumu", False, "company",
       "Internal mail from 総務部 <soumu@example.co.jp> (the protected name from the protected domain), submitted "
       "inside our network and passed through mx.example.co.jp: spf and dmarc pass for example.co.jp.")
def m26():
    date = "Mon, 2 Sep 2019 13:00:00 +0900"
    rcpt = "all-staff@example.co.jp"
    top = delivered(date, rcpt, SOUMU, "smtp.example.co.jp", "smtp.example.co.jp", "192.0.2.30", "46M26A0026",
                    ar=auth_results("spf=pass smtp.mailfrom=example.co.jp", "dkim=none (no signatures)",
                                    ("dmarc=pass (p=quarantine dis=none)", "header.from=example.co.jp")), tls=False)
    return message(top, [
        *sender_received(date, "pc123.office.example.co.jp", "smtp.example.co.jp", "192.0.2.123"),
        *mailbox("総務部", SOUMU),
        *mailbox("社員各位", rcpt, header="To"),
        *field("Subject", "防災訓練のお知らせ"),
        "Date: " + date,
        "Message-ID: <20190902130000.0026@example.co.jp>",
        *PLAIN_JIS,
    ], jis_body("社員各位\n\n9月20日(金)14時より防災訓練を行います。\n\n総務部\n"))


def freemail(n, date, name, addr, provider_host, ip, subject, body, reply_to=None, charset="ISO-2022-JP",
             msgid=None):
    rcpt = "t-yamada@example.co.jp"
    domain = addr.split("@")[1]
    top = delivered(date, rcpt, addr, provider_host, provider_host, ip, "46M%02dA%04d" % (n, n),
                    ar=auth_results("spf=pass smtp.mailfrom=" + domain, "dkim=pass header.d=" + domain,
                                    "dmarc=pass (p=none dis=none) header.from=" + domain))
    return message(top, [
        *mailbox(name, addr),
        *(["Reply-To: " + reply_to] if reply_to else []),
        "To: " + rcpt,
        *(field("Subject", subject) if charset == "ISO-2022-JP" else ["Subject: " + subject]),
        "Date: " + date,
        "Message-ID: <%s>" % (msgid or "%s.%04d@%s" % (stamp(date), n, domain)),
        *(PLAIN_JIS if charset == "ISO-2022-JP" else PLAIN_ASCII),
    ], jis_body(body) if charset == "ISO-2022-JP" else ascii_body(body))


@entry(27, "gmail-self", False, "freemail_self",
       "A private gmail.com user writing as themself: From, Return-Path and the authenticated domain are all "
       "gmail.com, and the display name is a person's name, not a protected one.")
def m27():
    return freemail(27, "Tue, 3 Sep 2019 21:10:00 +0900", "山田 一郎", "example.ichiro.yamada@gmail.com",
                    "mail-sor-f65.gmail.example", "198.51.100.165", "同窓会のご案内",
                    "山田太郎様\n\nご無沙汰しております。\n来月の同窓会のご案内です。\n\n山田一郎\n",
                    msgid="CAExample0027ichiro@mail.gmail.com")


@entry(28, "yahoo-co-jp-self", False, "freemail_self",
       "A yahoo.co.jp user writing as themself, with Reply-To the same yahoo.co.jp address: a Reply-To to free "
       "mail is only suspicious when From claims a company.")
def m28():
    return freemail(28, "Wed, 4 Sep 2019 20:00:00 +0900", "佐藤 花子", "example_hanako_sato@yahoo.co.jp",
                    "mail.yahoo.example", "198.51.100.166", "講演会の件",
                    "山田様\n\n先日の講演会ではありがとうございました。\n資料の件、よろしくお願いいたします。\n\n佐藤\n",
                    reply_to="example_hanako_sato@yahoo.co.jp")


@entry(29, "outlook-jp-self", False, "freemail_self",
       "An outlook.jp user writing as themself (English): From and envelope on outlook.jp, authenticated by the "
       "provider.")
def m29():
    return freemail(29, "Thu, 5 Sep 2019 19:30:00 +0900", "Kenji Ito", "example.kenji.ito@outlook.jp",
                    "mail.outlook.example", "198.51.100.167", "Re: seminar next week",
                    "Hello Taro,\n\nThank you for the invitation. I will attend the seminar next week.\n\nKenji\n",
                    charset="us-ascii")


ML_FOOTER_JIS = "\n--\nexample-ml メーリングリスト\n配信停止: example-ml-leave@lists.fossforum.test\n"


def list_copy(signed, tag, footer, list_headers, top_name=b"Subject: "):
    """What a mailing list does to a post: adds [tag] to Subject, a footer to the body and its own headers."""
    head, body = signed.split(CRLF + CRLF, 1)
    out = []
    for line in head.split(CRLF):
        if line.startswith(top_name):
            line = top_name + tag.encode("ascii") + CRLF + b" " + line[len(top_name):]  # folded, as lists do
        out.append(line)
    return lines(list_headers) + CRLF.join(out) + CRLF + CRLF + body + footer


@entry(30, "mailing-list-broken-dkim", False, "mailing_list",
       "A post by tanaka@partner.example.com through the example-ml list on lists.fossforum.test: Return-Path is the "
       "list's bounce address, Sender is the list owner, Reply-To the list, List-Id/List-Post are present and the "
       "Subject has the [example-ml:00123] tag. The list's tag and footer broke the author's DKIM signature "
       "(dkim=fail, dmarc=fail with p=none): expected for a list, not spoofing.", dkim_results=["fail"])
def m30():
    date = "Fri, 6 Sep 2019 12:00:00 +0900"
    rcpt = "t-yamada@example.co.jp"
    post = partner_signed(date, "20190906120000.0030@partner.example.com", "勉強会の資料について",
                          "皆様\n\n来週の勉強会の資料を共有フォルダに置きました。\n\n株式会社パートナー 田中\n",
                          "example-ml", "example-ml@lists.fossforum.test")
    b8 = sig_b8(post)
    copy = list_copy(post, "[example-ml:00123]", jis_body(ML_FOOTER_JIS), [
        *received_from("mail.partner.example.com", "mail.partner.example.com", "198.51.100.20"),
        "\tby lists.fossforum.test (Postfix) with ESMTPS id 4LST00030",
        "\tfor <example-ml@lists.fossforum.test>; " + date_at(date, 1),
        "Sender: example-ml-owner@lists.fossforum.test",
        "Reply-To: example-ml@lists.fossforum.test",
        "List-Id: example-ml <example-ml.lists.fossforum.test>",
        "List-Post: <mailto:example-ml@lists.fossforum.test>",
        "List-Help: <mailto:example-ml-request@lists.fossforum.test?subject=help>",
        "List-Unsubscribe: <mailto:example-ml-leave@lists.fossforum.test>",
        "List-Archive: <https://lists.fossforum.test/archives/example-ml/>",
        "Precedence: list",
        "Errors-To: example-ml-bounces@lists.fossforum.test",
        "X-Mailman-Version: 2.1.29",
    ])
    top = delivered(date, rcpt, "example-ml-bounces@lists.fossforum.test", "lists.fossforum.test", "lists.fossforum.test",
                    "198.51.100.30", "46M30A0030",
                    ar=auth_results("spf=pass smtp.mailfrom=lists.fossforum.test",
                                    ("dkim=fail (body hash did not verify) header.d=example.com",
                                     "header.s=rsa2048 header.b=" + b8),
                                    "dmarc=fail (p=none dis=none) header.from=partner.example.com"))
    return lines(top) + copy


@entry(31, "mailing-list-munged-from", False, "mailing_list",
       "A Google-Groups-style list that rewrites From for DMARC: the display name is \"'tanaka@partner.example.com' "
       "via example-ml\" (another address in the name!) and the address is the list's. List-Id, List-Post, Sender "
       "and X-Original-From show it is the list relaying a member's post; spf and dmarc pass for the list domain.")
def m31():
    date = "Fri, 6 Sep 2019 15:20:00 +0900"
    rcpt = "t-yamada@example.co.jp"
    top = delivered(date, rcpt, "example-ml+bncBAAA0031@groups.circlemail.test", "mail-groups.circlemail.test",
                    "mail-groups.circlemail.test", "198.51.100.31", "46M31A0031",
                    ar=auth_results("spf=pass smtp.mailfrom=groups.circlemail.test", "dkim=none (no signatures)",
                                    "dmarc=pass (p=none dis=none) header.from=groups.circlemail.test"))
    return message(top, [
        "From: \"'tanaka@partner.example.com' via example-ml\"",
        " <example-ml@groups.circlemail.test>",
        "X-Original-From: tanaka@partner.example.com",
        "Reply-To: tanaka@partner.example.com",
        "Sender: example-ml@groups.circlemail.test",
        "To: example-ml <example-ml@groups.circlemail.test>",
        "Subject: [example-ml] Study group slides",
        "Date: " + date,
        "Message-ID: <20190906152000.0031@partner.example.com>",
        "List-Id: <example-ml.groups.circlemail.test>",
        "List-Post: <mailto:example-ml@groups.circlemail.test>",
        "List-Unsubscribe: <mailto:example-ml+unsubscribe@groups.circlemail.test>",
        "Precedence: list",
        "Mailing-list: list example-ml@groups.circlemail.test;",
        " contact example-ml+owners@groups.circlemail.test",
        *PLAIN_ASCII,
    ], ascii_body("Hello all,\n\nThe slides for the study group are on the shared drive.\n\nTanaka\n\n--\n"
                  "You received this message because you are subscribed to example-ml.\n"))


@entry(32, "mailing-list-fml-japanese", False, "mailing_list",
       "A Japanese fml-style list (ml.kenkyukai.test): Subject tag [example-jp:01234], X-ML-Name, X-Mail-Count, "
       "Return-Path on the list's admin address, Reply-To the list. The author's domain (member.kenkyukai.test) differs "
       "from the envelope only because the list resends it.")
def m32():
    date = "Mon, 9 Sep 2019 18:00:00 +0900"
    rcpt = "t-yamada@example.co.jp"
    top = delivered(date, rcpt, "example-jp-admin@ml.kenkyukai.test", "ml.kenkyukai.test", "ml.kenkyukai.test",
                    "198.51.100.32", "46M32A0032",
                    ar=auth_results("spf=pass smtp.mailfrom=ml.kenkyukai.test", "dkim=none (no signatures)",
                                    "dmarc=none (p=none dis=none) header.from=member.kenkyukai.test"))
    return message(top, [
        *sender_received(date, "mail.member.kenkyukai.test", "ml.kenkyukai.test", "198.51.100.132", proto="ESMTP",
                         ident="x8J9F0aa01234"),
        *mailbox("鈴木 次郎", "suzuki@member.kenkyukai.test"),
        "Reply-To: example-jp@ml.kenkyukai.test",
        "To: example-jp@ml.kenkyukai.test",
        "Subject: [example-jp:01234]",
        " " + words("次回例会のお知らせ")[0],
        "Date: " + date,
        "Message-ID: <20190909180000.0032@member.kenkyukai.test>",
        "X-ML-Name: example-jp",
        "X-Mail-Count: 01234",
        "X-ML-Info: If you have a question, send e-mail with the body",
        ' "# help" (without quotes) to the address example-jp-ctl@ml.kenkyukai.test',
        "List-Id: example-jp.ml.kenkyukai.test",
        "List-Post: <mailto:example-jp@ml.kenkyukai.test>",
        "Precedence: bulk",
        "Lines: 5",
        *PLAIN_JIS,
    ], jis_body("会員各位\n\n次回の例会は10月5日(土)です。\n\n鈴木\n"))


@entry(33, "mailing-list-arc", False, "mailing_list",
       "A Mailman 3 list (lists.fossforum.test) that seals with ARC: the footer broke the author's DKIM (dkim=fail, "
       "dmarc=fail p=none), but the list's ARC set (cv=none, i=1) records dkim=pass on arrival at the list and the "
       "trusted MX reports arc=pass. The list's own Authentication-Results (authserv-id lists.fossforum.test) is not "
       "trusted, only carried.", dkim_results=["fail"], arc="pass")
def m33():
    date = "Tue, 10 Sep 2019 09:40:00 +0900"
    rcpt = "t-yamada@example.co.jp"
    post = partner_signed(date, "20190910094000.0033@partner.example.com", "議事録の共有",
                          "皆様\n\n先日の会議の議事録を共有します。\n\n株式会社パートナー 田中\n",
                          "users", "users@lists.fossforum.test")
    b8 = sig_b8(post)
    arrived = lines([
        *auth_results("spf=pass smtp.mailfrom=partner.example.com",
                      ("dkim=pass header.d=example.com header.s=rsa2048", "header.b=" + b8),
                      "dmarc=pass (p=none dis=none) header.from=partner.example.com",
                      authserv="lists.fossforum.test"),
        *received_from("mail.partner.example.com", "mail.partner.example.com", "198.51.100.20"),
        "\tby lists.fossforum.test (Postfix) with ESMTPS id 4LST00033",
        "\tfor <users@lists.fossforum.test>; " + date_at(date, 1),
    ]) + post
    head, body = arrived.split(CRLF + CRLF, 1)
    relayed = (lines([
        "List-Id: users <users.lists.fossforum.test>",
        "List-Post: <mailto:users@lists.fossforum.test>",
        "List-Unsubscribe: <mailto:users-leave@lists.fossforum.test>",
        "Sender: users-bounces@lists.fossforum.test",
        "Precedence: list",
    ]) + head + CRLF + CRLF + body + ascii_body("_______________________________________________\n"
                                                "users mailing list -- users@lists.fossforum.test\n"))
    sealed = arc_seal(relayed, ARC_KEYS["lists"], "lists.fossforum.test", date)
    top = delivered(date, rcpt, "users-bounces@lists.fossforum.test", "lists.fossforum.test", "lists.fossforum.test",
                    "198.51.100.33", "46M33A0033",
                    ar=auth_results("spf=pass smtp.mailfrom=lists.fossforum.test",
                                    ("dkim=fail (body hash did not verify) header.d=example.com",
                                     "header.s=rsa2048 header.b=" + b8),
                                    "dmarc=fail (p=none dis=none) header.from=partner.example.com",
                                    "arc=pass (i=1) smtp.remote-ip=198.51.100.33"))
    return lines(top) + sealed


def newsletter(date, msgid, subject, body, charset="us-ascii", issue="0001"):
    """A newsletter from news.northwind.test sent by the ESP esp.example, DKIM-signed by news.northwind.test."""
    msg = message([], [
        *mailbox("Example News" if charset == "us-ascii" else "エグザンプル通信", "news@news.northwind.test"),
        "To: t-yamada@example.co.jp",
        *(["Subject: " + subject] if charset == "us-ascii" else field("Subject", subject)),
        "Date: " + date,
        "Message-ID: <%s>" % msgid,
        "List-Id: Example News <monthly.news.northwind.test>",
        "List-Unsubscribe: <https://esp.example/u/%s>," % issue,
        " <mailto:unsubscribe-%s@bounce.esp.example>" % issue,
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        "Feedback-ID: %s:news:esp.example" % issue,
        *(PLAIN_ASCII if charset == "us-ascii" else PLAIN_JIS),
    ], ascii_body(body) if charset == "us-ascii" else jis_body(body))
    return dk.sign(msg, NEWS_KEY, include_headers=[
        "From", "To", "Subject", "Date", "Message-ID", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post",
        "MIME-Version", "Content-Type"])


def esp_delivered(date, rcpt, signed, qid, bounce, extra=()):
    return delivered(date, rcpt, bounce, "mta1.esp.example", "mta1.esp.example", "198.51.100.34", qid,
                     ar=auth_results("spf=pass smtp.mailfrom=bounce.esp.example",
                                     ("dkim=pass header.d=news.northwind.test header.s=news",
                                      "header.b=" + sig_b8(signed)),
                                     "dmarc=pass (p=none dis=none) header.from=news.northwind.test", *extra))


@entry(34, "newsletter-esp", False, "newsletter",
       "A newsletter from news.northwind.test sent by an e-mail service provider: Return-Path on bounce.esp.example "
       "and a Message-ID of the ESP (both unrelated to the From domain), but DKIM is signed by news.northwind.test "
       "(aligned, dmarc=pass), with List-Id, List-Unsubscribe and List-Unsubscribe-Post.", dkim_results=["pass"])
def m34():
    date = "Wed, 11 Sep 2019 08:00:00 +0900"
    signed = newsletter(date, "0001.1568156400.a1@mta1.esp.example", "Example News - September 2019",
                        "Example News - September 2019\n\n- The autumn seminar schedule is online.\n"
                        "- Our office is closed on 23 September.\n\nUnsubscribe: https://esp.example/u/0001\n")
    return lines(esp_delivered(date, "t-yamada@example.co.jp", signed, "46M34A0034",
                               "bounce-0001-t-yamada=example.co.jp@bounce.esp.example")) + signed


@entry(35, "newsletter-esp-japanese", False, "newsletter",
       "The same ESP's Japanese issue (ISO-2022-JP display name and subject): envelope on bounce.esp.example, "
       "DKIM pass for news.northwind.test, list headers present.", dkim_results=["pass"])
def m35():
    date = "Fri, 11 Oct 2019 08:00:00 +0900"
    signed = newsletter(date, "0002.1570748400.a1@mta1.esp.example", "エグザンプル通信 10月号",
                        "エグザンプル通信 10月号\n\n・秋のセミナーの日程を掲載しました。\n\n配信停止はこちら: "
                        "https://esp.example/u/0002\n", charset="ISO-2022-JP", issue="0002")
    return lines(esp_delivered(date, "t-yamada@example.co.jp", signed, "46M35A0035",
                               "bounce-0002-t-yamada=example.co.jp@bounce.esp.example")) + signed


@entry(36, "newsletter-forwarded-arc", False, "newsletter",
       "The September newsletter reaching us through a forwarding address at forward.relay.test, which seals it "
       "with ARC (ARC-Authentication-Results: spf=pass, dkim=pass, dmarc=pass). SPF fails at our MX because the "
       "forwarder is not the ESP, but the news.northwind.test DKIM signature survives (dmarc=pass) and arc=pass.",
       dkim_results=["pass"], arc="pass")
def m36():
    date = "Wed, 11 Sep 2019 08:00:00 +0900"
    signed = newsletter(date, "0001.1568156400.b7@mta1.esp.example", "Example News - September 2019",
                        "Example News - September 2019\n\n- The autumn seminar schedule is online.\n"
                        "- Our office is closed on 23 September.\n\nUnsubscribe: https://esp.example/u/0001\n")
    b8 = sig_b8(signed)
    at_forwarder = lines([
        *auth_results("spf=pass smtp.mailfrom=bounce.esp.example",
                      ("dkim=pass header.d=news.northwind.test header.s=news", "header.b=" + b8),
                      "dmarc=pass (p=none dis=none) header.from=news.northwind.test",
                      authserv="forward.relay.test"),
        *received_from("mta1.esp.example", "mta1.esp.example", "198.51.100.34"),
        "\tby forward.relay.test (Postfix) with ESMTPS id 4FWD00036",
        "\tfor <t.yamada@forward.relay.test>; " + date_at(date, 1),
    ]) + signed
    sealed = arc_seal(at_forwarder, ARC_KEYS["forward"], "forward.relay.test", date)
    rcpt = "t-yamada@example.co.jp"
    bounce = "bounce-0001-t.yamada=forward.relay.test@bounce.esp.example"
    top = delivered(date, rcpt, bounce, "forward.relay.test", "forward.relay.test", "198.51.100.36",
                    "46M36A0036",
                    ar=auth_results("spf=fail smtp.mailfrom=bounce.esp.example",
                                    ("dkim=pass header.d=news.northwind.test header.s=news", "header.b=" + b8),
                                    "dmarc=pass (p=none dis=none) header.from=news.northwind.test",
                                    "arc=pass (i=1) smtp.remote-ip=198.51.100.36"))
    return lines(top) + sealed


ICS = (
    "BEGIN:VCALENDAR\n"
    "PRODID:-//Example//Calendar 1.0//EN\n"
    "VERSION:2.0\n"
    "METHOD:REQUEST\n"
    "BEGIN:VEVENT\n"
    "UID:20190919T100000-0037@partner.example.com\n"
    "DTSTAMP:20190912T010000Z\n"
    "DTSTART:20190919T010000Z\n"
    "DTEND:20190919T020000Z\n"
    "SUMMARY:Project review\n"
    "ORGANIZER;CN=Tanaka:mailto:tanaka@partner.example.com\n"
    "ATTENDEE;RSVP=TRUE;CN=Taro Yamada:mailto:t-yamada@example.co.jp\n"
    "LOCATION:Meeting room A\n"
    "END:VEVENT\n"
    "END:VCALENDAR\n"
)


def invitation(date, msgid, uid_suffix, extra=()):
    boundary = "=_spearscan_sender_invite_" + uid_suffix
    ics = ICS.replace("0037", uid_suffix)
    msg = message([], [
        "From: Tanaka <tanaka@partner.example.com>",
        *extra,
        "To: Taro Yamada <t-yamada@example.co.jp>",
        "Subject: Invitation: Project review @ Thu 19 Sep 2019 10:00 - 11:00 (JST)",
        "Date: " + date,
        "Message-ID: <%s>" % msgid,
        "MIME-Version: 1.0",
        'Content-Type: multipart/alternative; boundary="%s"' % boundary,
    ], lines([
        "--" + boundary,
        "Content-Type: text/plain; charset=us-ascii",
        "Content-Transfer-Encoding: 7bit",
        "",
        "You have been invited to: Project review",
        "When: Thu 19 Sep 2019 10:00 - 11:00 (JST)",
        "Where: Meeting room A",
        "",
        "--" + boundary,
        "Content-Type: text/calendar; charset=us-ascii; method=REQUEST",
        "Content-Transfer-Encoding: 7bit",
        "",
    ]) + ascii_body(ics) + lines(["", "--" + boundary + "--"]))
    return dkim_sign(msg, h=["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"] +
                     [e.split(":")[0] for e in extra if not e.startswith(" ")])


@entry(37, "calendar-invitation", False, "calendar",
       "A calendar invitation (multipart/alternative with text/calendar; method=REQUEST) sent directly by the "
       "organiser at partner.example.com: aligned envelope, DKIM pass, dmarc=pass.", dkim_results=["pass"])
def m37():
    date = "Thu, 12 Sep 2019 10:00:00 +0900"
    signed = invitation(date, "20190912100000.0037@partner.example.com", "0037")
    return lines(partner_delivered(date, "t-yamada@example.co.jp", signed, "46M37A0037")) + signed


@entry(38, "calendar-service-invitation", False, "calendar",
       "An invitation sent by a calendar service on the organiser's behalf: From is the organiser at "
       "partner.example.com, Sender and Return-Path are on calendar.schedulr.test (unrelated), but the message is "
       "DKIM-signed by example.com, aligned with From, so dmarc=pass.", dkim_results=["pass"])
def m38():
    date = "Thu, 12 Sep 2019 10:30:00 +0900"
    signed = invitation(date, "calendar-0038-20190912@calendar.schedulr.test", "0038",
                        extra=["Sender: Calendar <calendar-notification@calendar.schedulr.test>",
                               "Reply-To: Tanaka <tanaka@partner.example.com>"])
    rcpt = "t-yamada@example.co.jp"
    top = delivered(date, rcpt, "invitations-bounce@calendar.schedulr.test", "mail.calendar.schedulr.test",
                    "mail.calendar.schedulr.test", "198.51.100.38", "46M38A0038",
                    ar=auth_results("spf=pass smtp.mailfrom=calendar.schedulr.test",
                                    ("dkim=pass header.d=example.com header.s=rsa2048",
                                     "header.b=" + sig_b8(signed)),
                                    "dmarc=pass (p=none dis=none) header.from=partner.example.com"))
    return lines(top) + signed


@entry(39, "notification-internal-noreply", False, "notification",
       "An automated workflow notice from no-reply@workflow.example.co.jp: From, Return-Path, HELO and Message-ID "
       "all on our own domain, spf and dmarc pass.")
def m39():
    date = "Fri, 13 Sep 2019 09:00:00 +0900"
    rcpt = "t-yamada@example.co.jp"
    dom = "workflow.example.co.jp"
    top = delivered(date, rcpt, "no-reply@" + dom, dom, dom, "192.0.2.40", "46M39A0039",
                    ar=auth_results("spf=pass smtp.mailfrom=" + dom, "dkim=none (no signatures)",
                                    ("dmarc=pass (p=quarantine dis=none)", "header.from=" + dom)))
    return message(top, [
        *mailbox("ワークフロー", "no-reply@" + dom),
        "To: " + rcpt,
        *field("Subject", "【承認依頼】出張申請 No.1234"),
        "Date: " + date,
        "Message-ID: <wf-1234-20190913090000@%s>" % dom,
        "Auto-Submitted: auto-generated",
        *PLAIN_JIS,
    ], jis_body("山田様\n\n出張申請 No.1234 の承認依頼が届いています。\n社内ポータルから確認してください。\n\n"
                "※このメールは送信専用です。\n"))


@entry(40, "notification-saas-noreply", False, "notification",
       "A service status notice from no-reply@status.uptimely.test with Return-Path bounces@status.uptimely.test and a "
       "Message-ID on the same domain: aligned, spf and dmarc pass.")
def m40():
    date = "Sat, 14 Sep 2019 03:15:00 +0900"
    rcpt = "t-yamada@example.co.jp"
    dom = "status.uptimely.test"
    top = delivered(date, rcpt, "bounces@" + dom, "out." + dom, "out." + dom, "198.51.100.40", "46M40A0040",
                    ar=auth_results("spf=pass smtp.mailfrom=" + dom, "dkim=none (no signatures)",
                                    "dmarc=pass (p=reject dis=none) header.from=" + dom))
    return message(top, [
        "From: Example Status <no-reply@%s>" % dom,
        "To: " + rcpt,
        "Subject: [Resolved] Delayed e-mail delivery",
        "Date: " + date,
        "Message-ID: <incident-0913.resolved@%s>" % dom,
        "Auto-Submitted: auto-generated",
        *PLAIN_ASCII,
    ], ascii_body("The incident 'Delayed e-mail delivery' has been resolved.\n\n"
                  "This is an automated message; replies are not read.\n"))


@entry(41, "japanese-company-iso2022jp", False, "company",
       "Japanese business mail from partner.example.com with ISO-2022-JP display names, subject and body; aligned "
       "envelope, DKIM pass, dmarc=pass.", dkim_results=["pass"])
def m41():
    date = "Tue, 17 Sep 2019 14:00:00 +0900"
    rcpt = "kobai@example.co.jp"
    signed = partner_signed(date, "20190917140000.0041@partner.example.com", "【ご案内】新製品説明会のお知らせ",
                            "購買部 ご担当者様\n\n平素より格別のお引き立てを賜り、厚く御礼申し上げます。\n"
                            "新製品説明会を下記のとおり開催いたします。\n\n日時：10月8日(火) 14時〜16時\n\n"
                            "株式会社パートナー 営業部 鈴木\n", "購買部 御中", rcpt,
                            sender=("株式会社パートナー 営業部 鈴木", "suzuki@partner.example.com"))
    return lines(partner_delivered(date, rcpt, signed, "46M41A0041",
                                   mail_from="suzuki@partner.example.com")) + signed


@entry(42, "company-reply-to-shared-mailbox", False, "company",
       "From a person at partner.example.com with Reply-To the department's shared mailbox on the same domain: a "
       "different Reply-To address is not suspicious when it is in the same organisation.", dkim_results=["pass"])
def m42():
    date = "Wed, 18 Sep 2019 10:00:00 +0900"
    rcpt = "kobai@example.co.jp"
    signed = partner_signed(date, "20190918100000.0042@partner.example.com", "ご注文ありがとうございます",
                            "購買部 ご担当者様\n\nご注文を承りました。\nお問い合わせは営業部共通アドレスまでお願いします。\n\n"
                            "株式会社パートナー 山田\n", "購買部", rcpt,
                            sender=("株式会社パートナー 山田", "yamada@partner.example.com"),
                            extra=["Reply-To: " + " ".join(words("営業部")) + " <eigyo@partner.example.com>"],
                            h=H_COMMON + ["Reply-To"])
    return lines(partner_delivered(date, rcpt, signed, "46M42A0042", mail_from="yamada@partner.example.com")) + signed


@entry(43, "display-name-is-own-address", False, "company",
       "The display name is an address, but it is the sender's own (\"tanaka@partner.example.com\" "
       "<tanaka@partner.example.com>), as mail programs write when no name is set: not deception.",
       dkim_results=["pass"])
def m43():
    date = "Thu, 19 Sep 2019 09:05:00 +0900"
    rcpt = "kobai@example.co.jp"
    msg = message([], [
        'From: "tanaka@partner.example.com" <tanaka@partner.example.com>',
        "To: kobai@example.co.jp",
        *field("Subject", "Re: 見積書送付の件"),
        "Date: " + date,
        "Message-ID: <20190919090500.0043@partner.example.com>",
        "In-Reply-To: <20190918170000.k0001@example.co.jp>",
        "References: <20190918170000.k0001@example.co.jp>",
        *PLAIN_JIS,
    ], jis_body("ご確認ありがとうございます。\n承知いたしました。\n\n田中\n"))
    signed = dkim_sign(msg)
    return lines(partner_delivered(date, rcpt, signed, "46M43A0043")) + signed


@entry(44, "hosted-mail-message-id", False, "company",
       "partner.example.com's mail is hosted: the Message-ID names the hosting provider's server "
       "(...prod.mailhost.example), unrelated to From, and the message leaves from the host's outbound servers, "
       "but the envelope is partner's, SPF includes the host, and DKIM (example.com) passes: dmarc=pass.",
       dkim_results=["pass"])
def m44():
    date = "Fri, 20 Sep 2019 11:45:00 +0900"
    rcpt = "kobai@example.co.jp"
    msgid = "TY2PR01MB3456A1B2C3D4E5F6A7B8@TY2PR01MB3456.jpnprd01.prod.mailhost.example"
    signed = partner_signed(date, msgid, "打ち合わせ資料の送付",
                            "購買部 ご担当者様\n\n打ち合わせ資料をお送りいたします。\n\n株式会社パートナー 田中\n",
                            "購買部", rcpt)
    top = delivered(date, rcpt, "tanaka@partner.example.com", "JPN01-TY2-obe.outbound.mailhost.example",
                    "mail-ty2jpn01on2101.outbound.mailhost.example", "198.51.100.44", "46M44A0044",
                    ar=auth_results("spf=pass smtp.mailfrom=partner.example.com",
                                    ("dkim=pass header.d=example.com header.s=rsa2048",
                                     "header.b=" + sig_b8(signed)),
                                    "dmarc=pass (p=none dis=none) header.from=partner.example.com"))
    return lines(top) + signed


IDN_LEGIT = "xn--" + "例示商事".encode("punycode").decode("ascii") + ".example"


@entry(45, "idn-domain-legit", False, "company",
       "A company whose domain is an IDN, 例示商事.example (%s): all one script, like no protected domain, and "
       "aligned and authenticated. An xn-- label alone is not a lookalike." % IDN_LEGIT)
def m45():
    date = "Mon, 23 Sep 2019 10:00:00 +0900"
    rcpt = "t-yamada@example.co.jp"
    top = delivered(date, rcpt, "info@" + IDN_LEGIT, "mail." + IDN_LEGIT, "mail." + IDN_LEGIT, "198.51.100.45",
                    "46M45A0045",
                    ar=auth_results("spf=pass smtp.mailfrom=" + IDN_LEGIT, "dkim=none (no signatures)",
                                    ("dmarc=pass (p=none dis=none)", "header.from=" + IDN_LEGIT)))
    return message(top, [
        *mailbox("例示商事 お客様窓口", "info@" + IDN_LEGIT),
        "To: " + rcpt,
        *field("Subject", "展示会ご来場のお礼"),
        "Date: " + date,
        "Message-ID: <20190923100000.0045@%s>" % IDN_LEGIT,
        *PLAIN_JIS,
    ], jis_body("山田様\n\n先日は展示会にご来場いただき、ありがとうございました。\n\n例示商事\n"))


@entry(46, "internal-forward", False, "company",
       "A colleague forwards an outside message internally (Fwd:): From, envelope and Message-ID on example.co.jp, "
       "spf and dmarc pass. The forwarded text quotes another sender, which is not the sender of this message.")
def m46():
    date = "Tue, 24 Sep 2019 09:30:00 +0900"
    rcpt = "t-yamada@example.co.jp"
    top = delivered(date, rcpt, "i-suzuki@example.co.jp", "smtp.example.co.jp", "smtp.example.co.jp",
                    "192.0.2.30", "46M46A0046",
                    ar=auth_results("spf=pass smtp.mailfrom=example.co.jp", "dkim=none (no signatures)",
                                    ("dmarc=pass (p=quarantine dis=none)", "header.from=example.co.jp")), tls=False)
    return message(top, [
        *sender_received(date, "pc124.office.example.co.jp", "smtp.example.co.jp", "192.0.2.124"),
        *mailbox("鈴木 一郎", "i-suzuki@example.co.jp"),
        *mailbox("山田 太郎", rcpt, header="To"),
        *field("Subject", "Fwd: 展示会ご来場のお礼"),
        "Date: " + date,
        "Message-ID: <20190924093000.0046@example.co.jp>",
        *PLAIN_JIS,
    ], jis_body("山田さん\n\n例示商事さんからのお礼メールを転送します。\n\n---------- 転送メッセージ ----------\n"
                "From: 例示商事 お客様窓口\n件名: 展示会ご来場のお礼\n\n先日は展示会にご来場いただき、"
                "ありがとうございました。\n"))


@entry(47, "partner-reply-in-thread", False, "company",
       "A reply from partner.example.com in an existing thread (In-Reply-To and References point at our own "
       "message): aligned envelope, DKIM pass, dmarc=pass.", dkim_results=["pass"])
def m47():
    date = "Wed, 25 Sep 2019 15:10:00 +0900"
    rcpt = "kobai@example.co.jp"
    signed = partner_signed(date, "20190925151000.0047@partner.example.com", "Re: 納期のご確認",
                            "購買部 ご担当者様\n\n納期は10月10日で承知いたしました。\n\n株式会社パートナー 田中\n",
                            "購買部", rcpt,
                            extra=["In-Reply-To: <20190925100000.k0002@example.co.jp>",
                                   "References: <20190925100000.k0002@example.co.jp>"])
    return lines(partner_delivered(date, rcpt, signed, "46M47A0047")) + signed


@entry(48, "sender-on-behalf", False, "company",
       "A secretary sends for the manager: From is the manager, Sender the secretary, both at partner.example.com; "
       "aligned envelope (the secretary's), DKIM pass, dmarc=pass.", dkim_results=["pass"])
def m48():
    date = "Thu, 26 Sep 2019 10:00:00 +0900"
    rcpt = "kobai@example.co.jp"
    signed = partner_signed(date, "20190926100000.0048@partner.example.com", "ご挨拶",
                            "購買部 ご担当者様\n\n10月より営業部長に着任いたしました。\n今後ともよろしくお願い申し上げます。\n\n"
                            "株式会社パートナー 営業部長 高橋\n", "購買部", rcpt,
                            sender=("株式会社パートナー 営業部長 高橋", "takahashi@partner.example.com"),
                            extra=["Sender: hisho@partner.example.com"], h=H_COMMON + ["Sender"])
    return lines(partner_delivered(date, rcpt, signed, "46M48A0048", mail_from="hisho@partner.example.com")) + signed


# --------------------------------------------------------------------------------------------------------------
# Without configuration (49-71): what one message shows. The recipients' organisations are fictitious Japanese
# ones, each with its own border MX: 港商事 (minato-shoji.co.jp, mx.minato-shoji.co.jp 192.0.2.61) and 翼大学
# (tsubasa-u.ac.jp, mx.tsubasa-u.ac.jp 192.0.2.71; in 70 and 71 mx1 -> filter -> mbox). Nothing in config.yaml
# names them: lookalikes of them are caught because the message is addressed to them, and their border MX's
# Authentication-Results count because they stand above its Received (the entry-hop position).
# --------------------------------------------------------------------------------------------------------------

MINATO = "minato-shoji.co.jp"
TSUBASA = "tsubasa-u.ac.jp"
BORDER_IP = {MINATO: "192.0.2.61", TSUBASA: "192.0.2.71"}
# 港商事 signs its own mail, also that of its recruiting domain minato-shoji.jp (67).
MINATO_KEY = dk.TestKey("sel1", MINATO, "rsa", 2048)


def org_received(org, date, helo, rdns, ip, mail_from, rcpt, qid, mx=None):
    return [
        *received_from(helo, rdns, ip),
        "\tby %s (Postfix) with ESMTPS id %s" % (mx or "mx." + org, qid),
        "\t(envelope-from <%s>)" % mail_from,
        "\tfor <%s>; %s" % (rcpt, date_at(date, 3)),
    ]


def org_delivered(org, date, rcpt, mail_from, helo, rdns, ip, qid, ar=(), below=()):
    """What the recipient organisation's own servers add, top first: Return-Path, the mailbox hop (LMTP from the
    border MX), the border MX's Authentication-Results (`ar`, authserv-id mx.<org>) and its Received; then `below`,
    anything that was already in the message when it arrived."""
    mx = "mx." + org
    return [
        "Return-Path: <%s>" % mail_from,
        "Received: from %s (%s [%s])" % (mx, mx, BORDER_IP[org]),
        "\tby mbox.%s (Postfix) with LMTP id %sM" % (org, qid),
        "\tfor <%s>; %s" % (rcpt, date_at(date, 5)),
        *ar,
        *org_received(org, date, helo, rdns, ip, mail_from, rcpt, qid),
        *below,
    ]


def multi_hop(date, rcpt, mail_from, helo, rdns, ip, qid, ar, below=()):
    """翼大学's three hops: mx1 (Internet-facing) -> filter (writes the Authentication-Results) -> mbox."""
    org = TSUBASA
    return [
        "Return-Path: <%s>" % mail_from,
        "Received: from filter.%s (filter.%s [10.20.0.5])" % (org, org),
        "\tby mbox.%s (Postfix) with LMTP id %sM" % (org, qid),
        "\tfor <%s>; %s" % (rcpt, date_at(date, 6)),
        *ar,
        "Received: from mx1.%s (mx1.%s [10.20.0.2])" % (org, org),
        "\tby filter.%s (Postfix) with ESMTP id %sF" % (org, qid),
        "\tfor <%s>; %s" % (rcpt, date_at(date, 4)),
        *org_received(org, date, helo, rdns, ip, mail_from, rcpt, qid, mx="mx1." + org),
        *below,
    ]


def freemail_ar(org, domain):
    return auth_results("spf=pass smtp.mailfrom=" + domain, "dkim=pass header.d=" + domain,
                        "dmarc=pass (p=none dis=none) header.from=" + domain, authserv="mx." + org)


def plain_message(top, headers, body, jis=True):
    return message(top, [*headers, *(PLAIN_JIS if jis else PLAIN_ASCII)], jis_body(body) if jis else ascii_body(body))


# ---------------------------------------------------------------- display names ------------------------------


@entry(49, "display-name-address-freemail-pass", True, "display_name_address",
       "The display name holds info@kokusai-joho.go.jp (a ministry-looking address) but the mail comes from a "
       "docomo.ne.jp account. The recipient's border MX reports spf, dkim and dmarc pass for docomo.ne.jp: that "
       "proves the free-mail account, not the name.")
def m49():
    date = "Tue, 1 Oct 2019 10:00:00 +0900"
    rcpt, sender = "k-ito@" + TSUBASA, "kokusai.joho.desk@docomo.ne.jp"
    top = org_delivered(TSUBASA, date, rcpt, sender, "mfsmax.docomo.example", "mfsmax.docomo.example",
                        "198.51.100.91", "47M49A0049", ar=freemail_ar(TSUBASA, "docomo.ne.jp"))
    return plain_message(top, [
        'From: "info@kokusai-joho.go.jp (Kokusai Joho)"',
        " <%s>" % sender,
        "To: " + rcpt,
        *field("Subject", "国際情勢に関する意見交換のお願い"),
        "Date: " + date,
        "Message-ID: <20191001100000.0049@docomo.example>",
    ], "伊藤先生\n\n国際情勢に関する意見交換をお願いしたく、ご連絡いたしました。\nご都合をお知らせください。\n")


@entry(50, "display-name-address-encoded-gmail", True, "display_name_address",
       "A UTF-8 encoded display name reads 港商事 経理部 keiri@minato-shoji.co.jp (the recipient's own accounts "
       "department) while the address is a gmail.com account; gmail authenticates it.")
def m50():
    date = "Tue, 1 Oct 2019 11:00:00 +0900"
    rcpt, sender = "h-kimura@" + MINATO, "minato.keiri.desk@gmail.com"
    top = org_delivered(MINATO, date, rcpt, sender, "mail-sor-f41.gmail.example", "mail-sor-f41.gmail.example",
                        "198.51.100.92", "47M50A0050", ar=freemail_ar(MINATO, "gmail.com"))
    return plain_message(top, [
        *field("From", "港商事 経理部 keiri@minato-shoji.co.jp", "UTF-8", "<%s>" % sender),
        "To: " + rcpt,
        *field("Subject", "振込先変更のご連絡"),
        "Date: " + date,
        "Message-ID: <CAF0050example@mail.gmail.example>",
    ], "木村様\n\n経理部です。振込先口座が変更になりました。\n本メールに返信してください。\n")


@entry(51, "display-name-fullwidth-at", True, "display_name_address",
       "The ISO-2022-JP display name 総務課 soumu＠minato-shoji.co.jp writes the at sign full-width (＠, U+FF20), "
       "so a search for \"@\" misses it; mail programs show it as the recipient's own 総務課. The address is an "
       "outlook.jp account.")
def m51():
    date = "Tue, 1 Oct 2019 13:00:00 +0900"
    rcpt, sender = "h-kimura@" + MINATO, "soumu.minato@outlook.jp"
    top = org_delivered(MINATO, date, rcpt, sender, "mail.outlook.example", "mail.outlook.example",
                        "198.51.100.93", "47M51A0051", ar=freemail_ar(MINATO, "outlook.jp"))
    return plain_message(top, [
        *mailbox("総務課 soumu＠minato-shoji.co.jp", sender),
        "To: " + rcpt,
        *field("Subject", "社内アンケートのお願い"),
        "Date: " + date,
        "Message-ID: <TY0051example@outlook.example>",
    ], "社員各位\n\n総務課です。社内アンケートへの回答をお願いします。\n")


@entry(52, "display-name-other-freemail-account", True, "display_name_address",
       "The display name is yamada.taro.tsubasa@gmail.com, the address yamada.tar0.tsubasa@gmail.com: the same "
       "provider, but another account (a digit zero for the o). Two free-mail accounts are two people, not one "
       "organisation.")
def m52():
    date = "Wed, 2 Oct 2019 09:00:00 +0900"
    rcpt, sender = "k-ito@" + TSUBASA, "yamada.tar0.tsubasa@gmail.com"
    top = org_delivered(TSUBASA, date, rcpt, sender, "mail-sor-f52.gmail.example", "mail-sor-f52.gmail.example",
                        "198.51.100.94", "47M52A0052", ar=freemail_ar(TSUBASA, "gmail.com"))
    return plain_message(top, [
        'From: "yamada.taro.tsubasa@gmail.com" <%s>' % sender,
        "To: " + rcpt,
        "Subject: Re: draft of the joint paper",
        "Date: " + date,
        "Message-ID: <CAF0052example@mail.gmail.example>",
    ], "Dear Prof. Ito,\n\nPlease open the revised draft from the link in my next mail.\n\nTaro\n", jis=False)


@entry(53, "freemail-person-honest", False, "freemail_self",
       "A private gmail.com user whose display name is their own name (山田 太郎), writing to a professor: "
       "everything is gmail.com and authenticated by the recipient's border MX.")
def m53():
    date = "Wed, 2 Oct 2019 10:00:00 +0900"
    rcpt, sender = "k-ito@" + TSUBASA, "taro.yamada.example@gmail.com"
    top = org_delivered(TSUBASA, date, rcpt, sender, "mail-sor-f53.gmail.example", "mail-sor-f53.gmail.example",
                        "198.51.100.95", "47M53A0053", ar=freemail_ar(TSUBASA, "gmail.com"))
    return plain_message(top, [
        *mailbox("山田 太郎", sender),
        "To: " + rcpt,
        *field("Subject", "研究室訪問のお願い"),
        "Date: " + date,
        "Message-ID: <CAF0053example@mail.gmail.example>",
    ], "伊藤先生\n\n来月、研究室を見学させていただけないでしょうか。\n\n山田 太郎\n")


@entry(54, "freemail-name-is-own-address", False, "freemail_self",
       "A yahoo.co.jp user whose mail program puts the address itself in the display name "
       "(\"hanako.suzuki.example@yahoo.co.jp\" <hanako.suzuki.example@yahoo.co.jp>): the same address, not "
       "deception.")
def m54():
    date = "Wed, 2 Oct 2019 11:00:00 +0900"
    rcpt, sender = "k-ito@" + TSUBASA, "hanako.suzuki.example@yahoo.co.jp"
    top = org_delivered(TSUBASA, date, rcpt, sender, "sonic.yahoo.example", "sonic.yahoo.example",
                        "198.51.100.96", "47M54A0054", ar=freemail_ar(TSUBASA, "yahoo.co.jp"))
    return plain_message(top, [
        'From: "%s" <%s>' % (sender, sender),
        "To: " + rcpt,
        *field("Subject", "講演会の資料について"),
        "Date: " + date,
        "Message-ID: <0054.example@sonic.yahoo.example>",
    ], "伊藤先生\n\n講演会の資料を拝見しました。ありがとうございました。\n\n鈴木\n")


@entry(55, "share-notification-via-service", False, "notification",
       "A file-sharing notice: the service writes \"k.sato@minato-shoji.co.jp via FileBox\" from its own "
       "no-reply@notify.filebox.test, with Reply-To the person who shared. The address in the name is the service "
       "naming who acted; the service's domain is authenticated (spf, dkim, dmarc pass at the border MX).")
def m55():
    date = "Thu, 3 Oct 2019 09:30:00 +0900"
    rcpt, dom = "k-ito@" + TSUBASA, "notify.filebox.test"
    top = org_delivered(TSUBASA, date, rcpt, "bounces@" + dom, "out." + dom, "out." + dom, "198.51.100.55",
                        "47M55A0055", ar=auth_results(
                            "spf=pass smtp.mailfrom=" + dom, "dkim=pass header.d=" + dom,
                            "dmarc=pass (p=reject dis=none) header.from=" + dom, authserv="mx." + TSUBASA))
    return plain_message(top, [
        'From: "k.sato@minato-shoji.co.jp via FileBox" <no-reply@%s>' % dom,
        "Reply-To: k.sato@minato-shoji.co.jp",
        "To: " + rcpt,
        "Subject: k.sato@minato-shoji.co.jp shared \"2019-10 estimate.xlsx\"",
        " with you",
        "Date: " + date,
        "Message-ID: <share-0055@%s>" % dom,
        "Auto-Submitted: auto-generated",
    ], "k.sato@minato-shoji.co.jp shared a file with you: 2019-10 estimate.xlsx\n\nOpen it in FileBox.\n",
        jis=False)


@entry(56, "calendar-service-on-behalf", False, "calendar",
       "An invitation a calendar service sends for the organiser at minato-shoji.co.jp: Sender, Return-Path and "
       "Message-ID are the service's (unrelated to From), but the recipient's border MX reports dkim=pass for "
       "minato-shoji.co.jp and dmarc=pass; its result is trusted by position (above its own Received), "
       "without configuration.")
def m56():
    date = "Thu, 3 Oct 2019 10:30:00 +0900"
    rcpt, svc = "k-ito@" + TSUBASA, "calendar.schedulr.test"
    top = org_delivered(TSUBASA, date, rcpt, "invitations-bounce@" + svc, "mail." + svc, "mail." + svc,
                        "198.51.100.38", "47M56A0056", ar=auth_results(
                            "spf=pass smtp.mailfrom=" + svc, "dkim=pass header.d=minato-shoji.co.jp header.s=sel1",
                            "dmarc=pass (p=none dis=none) header.from=minato-shoji.co.jp", authserv="mx." + TSUBASA))
    ics = ICS.replace("partner.example.com", MINATO).replace("t-yamada@example.co.jp", rcpt) \
        .replace("Tanaka", "Kato").replace("tanaka@", "m.kato@").replace("0037", "0056")
    return message(top, [
        "From: Kato Minoru <m.kato@%s>" % MINATO,
        "Sender: Calendar <calendar-notification@%s>" % svc,
        "To: Ito Kenji <%s>" % rcpt,
        "Subject: Invitation: Project review @ Thu Oct 10, 2019 10:00",
        "Date: " + date,
        "Message-ID: <calendar-0056-20191003@%s>" % svc,
        "MIME-Version: 1.0",
        "Content-Type: text/calendar; charset=us-ascii; method=REQUEST",
        "Content-Transfer-Encoding: 7bit",
    ], ascii_body(ics))


# ---------------------------------------------------------------- lookalikes of the recipient ----------------


def recipient_lookalike(n, org, domain, date, ip, subject, rcpt, name="経理部", local="keiri", extra=()):
    """A lookalike of the recipient's organisation with its own SPF and DMARC (all pass at the border MX)."""
    top = org_delivered(org, date, rcpt, local + "@" + domain, "mail." + domain, "mail." + domain, ip,
                        "47M%02dA%04d" % (n, n), ar=auth_results(
                            "spf=pass smtp.mailfrom=" + domain, "dkim=none (no signatures)",
                            ("dmarc=pass (p=none dis=none)", "header.from=" + domain), authserv="mx." + org))
    return plain_message(top, [
        *mailbox(name, local + "@" + domain),
        *extra,
        "To: " + rcpt,
        *field("Subject", subject),
        "Date: " + date,
        "Message-ID: <%s.%04d@%s>" % (stamp(date), n, domain),
    ], "各位\n\n%sの件、添付の手順で対応をお願いします。\n\n%s\n" % (subject, name))


@entry(57, "lookalike-recipient-rn", True, "lookalike",
       "From keiri@rninato-shoji.co.jp to staff of minato-shoji.co.jp: \"rn\" for \"m\" imitates the recipient's "
       "own organisation. The lookalike domain authenticates itself (spf and dmarc pass); nothing is configured.")
def m57():
    return recipient_lookalike(57, MINATO, "rninato-shoji.co.jp", "Mon, 7 Oct 2019 09:00:00 +0900",
                               "203.0.113.57", "経費精算システムの更新", "h-kimura@" + MINATO)


@entry(58, "lookalike-recipient-digit", True, "lookalike",
       "From keiri@minat0-shoji.co.jp: the digit zero for the letter o of the recipient's minato-shoji.co.jp.")
def m58():
    return recipient_lookalike(58, MINATO, "minat0-shoji.co.jp", "Mon, 7 Oct 2019 09:10:00 +0900",
                               "203.0.113.58", "請求書の再発行", "h-kimura@" + MINATO)


@entry(59, "lookalike-recipient-doubled-letter", True, "lookalike",
       "From keiri@minnato-shoji.co.jp: a doubled n in the recipient's minato-shoji.co.jp.")
def m59():
    return recipient_lookalike(59, MINATO, "minnato-shoji.co.jp", "Mon, 7 Oct 2019 09:20:00 +0900",
                               "203.0.113.59", "支払予定表の確認", "h-kimura@" + MINATO)


@entry(60, "lookalike-recipient-dropped-letter", True, "lookalike",
       "From keiri@minato-shoj.jp: the last letter of the recipient's name dropped, under .jp instead of .co.jp.")
def m60():
    return recipient_lookalike(60, MINATO, "minato-shoj.jp", "Mon, 7 Oct 2019 09:30:00 +0900",
                               "203.0.113.60", "口座情報の更新", "h-kimura@" + MINATO)


@entry(61, "lookalike-recipient-hyphenated-tld", True, "lookalike",
       "From gakumu@tsubasa-u-ac-jp.net to a professor of tsubasa-u.ac.jp: the university's whole domain with "
       "its dots turned into hyphens, under .net.")
def m61():
    return recipient_lookalike(61, TSUBASA, "tsubasa-u-ac-jp.net", "Mon, 7 Oct 2019 10:00:00 +0900",
                               "203.0.113.61", "科研費書類の提出", "k-ito@" + TSUBASA, name="学務課", local="gakumu")


@entry(62, "lookalike-recipient-tld-swap-reply-to", True, "lookalike",
       "From 経理部 <keiri@minato-shoji.jp> (the recipient's name under .jp instead of .co.jp) with Reply-To a "
       "gmail.com account: a lookalike From plus replies to free mail.")
def m62():
    return recipient_lookalike(62, MINATO, "minato-shoji.jp", "Mon, 7 Oct 2019 10:10:00 +0900", "203.0.113.62",
                               "至急のお振込について", "h-kimura@" + MINATO,
                               extra=["Reply-To: minato.keiri.jp@gmail.com"])


HOMOGRAPH_O = "xn--" + "minat\u043e-shoji".encode("punycode").decode("ascii") + ".co.jp"  # Cyrillic о (U+043E)


@entry(63, "lookalike-recipient-homograph", True, "lookalike",
       "From keiri@%s, the IDN minatо-shoji.co.jp whose о is CYRILLIC SMALL LETTER O (U+043E): displayed as the "
       "recipient's own minato-shoji.co.jp." % HOMOGRAPH_O)
def m63():
    return recipient_lookalike(63, MINATO, HOMOGRAPH_O, "Mon, 7 Oct 2019 10:20:00 +0900", "203.0.113.63",
                               "パスワードの有効期限", "h-kimura@" + MINATO)


@entry(64, "internal-recipient-org", False, "company",
       "Internal mail of 港商事: 総務課 <soumu@minato-shoji.co.jp> to all staff, submitted inside and passed "
       "through the border MX (spf and dmarc pass). The From domain is the recipient's own organisation: internal, "
       "not a lookalike.")
def m64():
    date = "Tue, 8 Oct 2019 09:00:00 +0900"
    rcpt = "all-staff@" + MINATO
    top = org_delivered(MINATO, date, rcpt, "soumu@" + MINATO, "smtp." + MINATO, "smtp." + MINATO, "192.0.2.62",
                        "47M64A0064", ar=auth_results(
                            "spf=pass smtp.mailfrom=" + MINATO, "dkim=none (no signatures)",
                            ("dmarc=pass (p=quarantine dis=none)", "header.from=" + MINATO), authserv="mx." + MINATO),
                        below=sender_received(date, "pc12.office." + MINATO, "smtp." + MINATO, "192.0.2.112"))
    return plain_message(top, [
        *mailbox("総務課", "soumu@" + MINATO),
        *mailbox("全社員", rcpt, header="To"),
        *field("Subject", "健康診断のお知らせ"),
        "Date: " + date,
        "Message-ID: <20191008090000.0064@%s>" % MINATO,
    ], "社員各位\n\n10月の健康診断の日程をお知らせします。\n\n総務課\n")


@entry(65, "distinct-similar-org", False, "company",
       "港産業 (minato-sangyo.co.jp) writes to 港商事 (minato-shoji.co.jp): both names start with minato, but "
       "they are different organisations, far apart (no visual swap, several edits), aligned and authenticated.")
def m65():
    date = "Tue, 8 Oct 2019 10:00:00 +0900"
    rcpt, dom = "h-kimura@" + MINATO, "minato-sangyo.co.jp"
    top = org_delivered(MINATO, date, rcpt, "sales@" + dom, "mail." + dom, "mail." + dom, "198.51.100.65",
                        "47M65A0065", ar=auth_results(
                            "spf=pass smtp.mailfrom=" + dom, "dkim=pass header.d=" + dom,
                            "dmarc=pass (p=none dis=none) header.from=" + dom, authserv="mx." + MINATO))
    return plain_message(top, [
        *mailbox("港産業 営業部", "sales@" + dom),
        "To: " + rcpt,
        *field("Subject", "新製品のご案内"),
        "Date: " + date,
        "Message-ID: <20191008100000.0065@%s>" % dom,
    ], "木村様\n\n港産業の営業部です。新製品のご案内をお送りします。\n")


@entry(66, "subdomain-of-recipient-org", False, "company",
       "A laboratory's own server (mail.bio.tsubasa-u.ac.jp) writes to a professor of the same university: the "
       "From domain bio.tsubasa-u.ac.jp is inside the recipient's organisation, so it is not a lookalike.")
def m66():
    date = "Tue, 8 Oct 2019 11:00:00 +0900"
    rcpt, dom = "k-ito@" + TSUBASA, "bio." + TSUBASA
    top = org_delivered(TSUBASA, date, rcpt, "seminar@" + dom, "mail." + dom, "mail." + dom, "192.0.2.80",
                        "47M66A0066", ar=auth_results(
                            "spf=pass smtp.mailfrom=" + dom, "dkim=none (no signatures)",
                            "dmarc=pass (p=none dis=none) header.from=" + dom, authserv="mx." + TSUBASA))
    return plain_message(top, [
        *mailbox("生命科学研究室", "seminar@" + dom),
        "To: " + rcpt,
        *field("Subject", "セミナー開催のお知らせ"),
        "Date: " + date,
        "Message-ID: <20191008110000.0066@%s>" % dom,
    ], "各位\n\n次回のセミナーは10月15日です。\n")


@entry(67, "sister-domain-dkim-vouched", False, "company",
       "港商事's recruiting domain minato-shoji.jp writes to its own staff: minato-shoji.jp is a TLD swap of the "
       "recipient's minato-shoji.co.jp, but the message carries a DKIM signature of minato-shoji.co.jp that "
       "verifies, so the organisation it resembles sent it itself.", dkim_results=["pass"])
def m67():
    date = "Tue, 8 Oct 2019 13:00:00 +0900"
    rcpt, dom = "h-kimura@" + MINATO, "minato-shoji.jp"
    msg = plain_message([], [
        *mailbox("港商事 採用チーム", "recruit@" + dom),
        "To: " + rcpt,
        *field("Subject", "社員紹介制度のご案内"),
        "Date: " + date,
        "Message-ID: <20191008130000.0067@%s>" % dom,
    ], "社員各位\n\n採用チームです。社員紹介制度についてご案内します。\n")
    signed = dk.sign(msg, MINATO_KEY, include_headers=H_COMMON)
    top = org_delivered(MINATO, date, rcpt, "recruit@" + dom, "mail." + dom, "mail." + dom, "198.51.100.67",
                        "47M67A0067", ar=auth_results(
                            "spf=pass smtp.mailfrom=" + dom,
                            ("dkim=pass header.d=minato-shoji.co.jp header.s=sel1", "header.b=" + sig_b8(signed)),
                            "dmarc=pass (p=none dis=none) header.from=" + dom, authserv="mx." + MINATO))
    return lines(top) + signed


# ---------------------------------------------------------------- Authentication-Results by position --------


@entry(68, "forged-ar-below-border", True, "forged_auth_results",
       "From 学務課 <gakumu@tsubasa-u.ac.jp> (the recipient's own university) from an outside host. The sender "
       "wrote 'Authentication-Results: mx.tsubasa-u.ac.jp; ... dmarc=pass' below its own Received, under the "
       "border MX's Received; the border MX's real result above its Received says spf=fail, dmarc=fail.")
def m68():
    date = "Wed, 9 Oct 2019 09:00:00 +0900"
    rcpt, sender = "k-ito@" + TSUBASA, "gakumu@" + TSUBASA
    forged = [*auth_results("spf=pass smtp.mailfrom=" + TSUBASA, "dkim=pass header.d=" + TSUBASA,
                            "dmarc=pass (p=reject dis=none) header.from=" + TSUBASA, authserv="mx." + TSUBASA),
              *sender_received(date, "localhost", "vps68.hosting.example", "127.0.0.1", proto="ESMTP",
                               ident="68A")]
    top = org_delivered(TSUBASA, date, rcpt, sender, "mail." + TSUBASA, "vps68.hosting.example", "203.0.113.68",
                        "47M68A0068", ar=auth_results(
                            "spf=fail smtp.mailfrom=" + TSUBASA, "dkim=none (no signatures)",
                            ("dmarc=fail (p=reject dis=reject)", "header.from=" + TSUBASA), authserv="mx." + TSUBASA),
                        below=forged)
    return plain_message(top, [
        *mailbox("学務課", sender),
        "To: " + rcpt,
        *field("Subject", "成績入力システムの認証更新"),
        "Date: " + date,
        "Message-ID: <20191009090000.0068@%s>" % TSUBASA,
    ], "伊藤先生\n\n成績入力システムの認証を更新してください。\n\n学務課\n")


@entry(69, "forged-ar-milter-position", True, "forged_auth_results",
       "Sent straight to 港商事's MX from a rented server, with a forged 'Authentication-Results: "
       "mx.minato-shoji.co.jp; ... dmarc=pass' as the top header of the message, so it lands directly below the "
       "border MX's Received (where some milters write) - and the border MX writes no result of its own. "
       "Trust by position is strictly above the entry hop, so the forgery counts for nothing; From claims "
       "kaigai-bussan.co.jp while the envelope and Message-ID are mail.vpsrent.test's, and replies go to gmail.com. "
       "Believed, the forged dmarc=pass would offset the envelope and leave only the Reply-To.")
def m69():
    date = "Wed, 9 Oct 2019 10:00:00 +0900"
    rcpt, mail_from = "h-kimura@" + MINATO, "info@mail.vpsrent.test"
    forged = auth_results("spf=pass smtp.mailfrom=kaigai-bussan.co.jp", "dkim=pass header.d=kaigai-bussan.co.jp",
                          "dmarc=pass (p=reject dis=none) header.from=kaigai-bussan.co.jp", authserv="mx." + MINATO)
    top = org_delivered(MINATO, date, rcpt, mail_from, "mail.vpsrent.test", "mail.vpsrent.test", "203.0.113.69",
                        "47M69A0069", below=forged)
    return plain_message(top, [
        *mailbox("海外物産 営業部", "sales@kaigai-bussan.co.jp"),
        "Reply-To: kaigai.sales.desk@gmail.com",
        "To: " + rcpt,
        *field("Subject", "見積依頼の件"),
        "Date: " + date,
        "Message-ID: <20191009100000.0069@mail.vpsrent.test>",
    ], "木村様\n\n見積書をダウンロードページからご確認ください。\n\n海外物産 営業部\n")


@entry(70, "multi-hop-internal-genuine", False, "company",
       "Support mail of kaigai-bussan.co.jp sent through a help-desk service (envelope and Message-ID on "
       "deskflow.test, unrelated to From) to 翼大学, whose mail passes three of its own hosts: mx1 (from the "
       "Internet), filter (which writes the Authentication-Results: dkim=pass for kaigai-bussan.co.jp, "
       "dmarc=pass), mbox. The filter's result stands above the entry hop: trusted by position.")
def m70():
    date = "Thu, 10 Oct 2019 09:00:00 +0900"
    rcpt, mail_from = "k-ito@" + TSUBASA, "bounce+0070@mail.deskflow.test"
    top = multi_hop(date, rcpt, mail_from, "out.mail.deskflow.test", "out.mail.deskflow.test", "198.51.100.70",
                    "47M70A0070", ar=auth_results(
                        "spf=pass smtp.mailfrom=mail.deskflow.test",
                        "dkim=pass header.d=kaigai-bussan.co.jp header.s=desk",
                        "dmarc=pass (p=none dis=none) header.from=kaigai-bussan.co.jp",
                        authserv="filter." + TSUBASA))
    return plain_message(top, [
        *mailbox("海外物産 サポート", "support@kaigai-bussan.co.jp"),
        "To: " + rcpt,
        *field("Subject", "[#0070] お問い合わせありがとうございます"),
        "Date: " + date,
        "Message-ID: <ticket-0070@mail.deskflow.test>",
    ], "伊藤様\n\nお問い合わせを受け付けました。担当者よりご連絡いたします。\n")


@entry(71, "multi-hop-forged-below", True, "forged_auth_results",
       "The same three hops of 翼大学, but the message claims kaigai-bussan.co.jp from a rented server: the "
       "filter's real result says spf=fail, dmarc=fail; below the entry hop (mx1's Received) the sender wrote a "
       "Received 'by mx1.tsubasa-u.ac.jp' and an 'Authentication-Results: filter.tsubasa-u.ac.jp; dmarc=pass' of "
       "its own.")
def m71():
    date = "Thu, 10 Oct 2019 10:00:00 +0900"
    rcpt, mail_from = "k-ito@" + TSUBASA, "sales@kaigai-bussan.co.jp"
    forged = [*auth_results("spf=pass smtp.mailfrom=kaigai-bussan.co.jp", "dkim=pass header.d=kaigai-bussan.co.jp",
                            "dmarc=pass (p=reject dis=none) header.from=kaigai-bussan.co.jp",
                            authserv="filter." + TSUBASA),
              "Received: from mail.kaigai-bussan.co.jp",
              "\t(mail.kaigai-bussan.co.jp [198.51.100.71])",
              "\tby mx1.%s (Postfix) with ESMTPS id 47M71FAKE" % TSUBASA,
              "\tfor <%s>; %s" % (rcpt, date_at(date, 1))]
    top = multi_hop(date, rcpt, mail_from, "mail.kaigai-bussan.co.jp", "unknown", "203.0.113.71", "47M71A0071",
                    ar=auth_results("spf=fail smtp.mailfrom=kaigai-bussan.co.jp", "dkim=none (no signatures)",
                                    "dmarc=fail (p=reject dis=reject) header.from=kaigai-bussan.co.jp",
                                    authserv="filter." + TSUBASA), below=forged)
    return plain_message(top, [
        *mailbox("海外物産 営業部", mail_from),
        "To: " + rcpt,
        *field("Subject", "共同研究契約書の送付"),
        "Date: " + date,
        "Message-ID: <20191010100000.0071@kaigai-bussan.co.jp>",
    ], "伊藤先生\n\n契約書をお送りします。リンクからご確認ください。\n\n海外物産\n")


# --------------------------------------------------------------------------------------------------------------
# Output.
# --------------------------------------------------------------------------------------------------------------

CONFIG = """\
# spearscan sender-stage configuration for the labelled set in this directory (see README.md).
# Only Authentication-Results written by these authserv-ids are believed; any other is carried, not trusted.
trusted_authserv_ids: [mx.example.co.jp]
# Our internal mailbox server: it receives from the MX over LMTP and writes the topmost Received. Without it, trust
# would end at that Received and no Authentication-Results of the MX would count.
trusted_relays: [mbox.example.co.jp]
# Our own and our partner's domains: lookalikes of these, and mail claiming them without alignment, are spoofing.
protected_domains: [example.co.jp, partner.example.com]
# Display names that only mail from a protected domain may use.
protected_names: ["総務部", "Example Bank"]
"""


def build():
    files = {}
    for key in [NEWS_KEY, *ARC_KEYS.values(), MINATO_KEY]:
        files[key.pem_filename] = key.pem
    files["keys.txt"] = all_keys_txt()
    records = dk.records_from_keys_txt(files["keys.txt"])
    dnsfunc = dk.dnsfunc_for(records)
    labels = {}
    problems = []
    numbers = [e["n"] for e in SET]
    assert numbers == list(range(1, len(SET) + 1)), numbers
    for e in SET:
        name = "%02d-%s.eml" % (e["n"], e["slug"])
        data = e["make"]()
        dk.check_message(name, data)
        files[name] = data
        got = [s["result"] for s in dk.describe(data, records)]
        if got != e["dkim"]:
            problems.append("%s: DKIM %r, expected %r" % (name, got, e["dkim"]))
        if e["arc"] or b"ARC-Seal:" in data:
            cv, _, reason = dkim.arc_verify(data, logger=LOG, dnsfunc=dnsfunc)
            arc = (cv or b"none").decode()
            if arc != e["arc"]:
                problems.append("%s: ARC %s (%s), expected %s" % (name, arc, reason, e["arc"]))
        label = {"spoofed": e["spoofed"], "why": e["why"], "kind": e["kind"]}
        if e["dkim"]:
            label["dkim"] = e["dkim"]
        if e["arc"]:
            label["arc"] = e["arc"]
        if e["needs_config"]:
            label["needs_config"] = True
        labels[name] = label
    if problems:
        raise SystemExit("make_sender_set.py: expectations not met:\n  " + "\n  ".join(problems))
    files["labels.json"] = (json.dumps(labels, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    files["config.yaml"] = CONFIG.encode("utf-8")
    return files


def main(argv):
    check = "--check" in argv[1:]
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
    spoofed = sum(1 for e in SET if e["spoofed"])
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    print("%s %d messages (%d spoofed, %d genuine), labels.json, config.yaml, keys.txt" % (
        "checked" if check else "wrote", len(SET), spoofed, len(SET) - spoofed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
