#!/usr/bin/env python3
"""Generate the harmless sample messages in this directory.

Every sample models a trait of the targeted e-mail attacks (標的型メール攻撃) described in the Japanese National
Police Agency's reports, but nothing here is dangerous: the "script" only echoes a line, the "executable" is a
sentence of English text, the zip holds a readme, and every domain is a reserved example domain.

The samples from zip-with-script.eml on model archive and document lures. They attach the harmless test fixtures in
../Tests/Fixtures/files/ (made by Tests/Fixtures/make_fixtures.sh and kept in git) as they are: the zips, LZH, 7z
and ISO hold only one-line echo scripts, a readme and a shortcut to `cmd.exe /c echo harmless`; the .docm's
"macro" is a line of text; the .exe is a real program that prints "hello" and nothing else.

The last four samples (international-affairs-spoofed.eml on) model sender spoofing and carry no attachment;
newsletter-dkim.eml is the DKIM fixture ../Tests/Fixtures/dkim/newsletter-signed.eml (made by make_dkim_fixtures.py
and kept in git) with our MX's trace fields on top, so its signature still verifies with that folder's keys.txt.

The output is deterministic (fixed dates, boundaries and Message-IDs, zip entries with fixed timestamps and no
compression, fixture bytes read from disk), so running this again produces byte-identical files. Messages use CRLF
line endings throughout.

    python3 make_samples.py          # (re)write the samples next to this script
    python3 make_samples.py --check  # exit 1 if any sample on disk differs from what would be written

Python 3 standard library only.
"""

import base64
import binascii
import io
import sys
import urllib.parse
import zipfile
from pathlib import Path

CRLF = b"\r\n"
HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "Tests" / "Fixtures" / "files"


# --------------------------------------------------------------------------------------------------------------
# Encoding helpers. Everything is built as bytes by hand so that the output is exactly what is written here.
# --------------------------------------------------------------------------------------------------------------

def iso2022jp(text):
    """Encode `text` as ISO-2022-JP the way Japanese Windows mailers do (CP50221-style).

    Python's iso2022_jp codec rejects the NEC row-13 characters (①, ㈱ …) that Outlook and most Japanese mailers
    send anyway, so the text is encoded as CP932 and each double-byte Shift_JIS pair is shifted to its JIS row and
    cell. Each line ends back in ASCII (ESC ( B), as RFC 1468 requires.
    """
    out = bytearray()
    for n, line in enumerate(text.split("\n")):
        if n:
            out += b"\n"
        sjis = line.encode("cp932")
        jis_mode = False
        i = 0
        while i < len(sjis):
            b = sjis[i]
            if b < 0x80:
                if jis_mode:
                    out += b"\x1b(B"
                    jis_mode = False
                out.append(b)
                i += 1
                continue
            if not (0x81 <= b <= 0x9F or 0xE0 <= b <= 0xEF):
                raise ValueError("%r: half-width katakana or IBM extension not supported here" % line[i:])
            s1, s2 = b, sjis[i + 1]
            i += 2
            row = (s1 - (0xC1 if s1 >= 0xE0 else 0x81)) * 2 + 0x21
            if s2 >= 0x9F:
                j1, j2 = row + 1, s2 - 0x7E
            else:
                j1, j2 = row, s2 - (0x20 if s2 >= 0x80 else 0x1F)
            assert 0x21 <= j1 <= 0x7E and 0x21 <= j2 <= 0x7E, (line, s1, s2)
            if not jis_mode:
                out += b"\x1b$B"
                jis_mode = True
            out += bytes([j1, j2])
        if jis_mode:
            out += b"\x1b(B"
    return bytes(out)


def encoded_word(text, charset):
    """One RFC 2047 B-encoded word."""
    raw = iso2022jp(text) if charset == "ISO-2022-JP" else text.encode(charset)
    return b"=?" + charset.encode("ascii") + b"?B?" + base64.b64encode(raw) + b"?="


def base64_lines(data, width=76):
    """Base64 body: lines of `width` characters, each followed by CRLF."""
    encoded = base64.b64encode(data)
    return b"".join(encoded[i:i + width] + CRLF for i in range(0, len(encoded), width))


def quoted_printable(text, width=76):
    """Quoted-printable UTF-8 body with CRLF hard line breaks and `=` soft breaks (never inside an =XX escape)."""
    out = bytearray()
    for line in text.split("\n"):
        tokens = []
        data = line.encode("utf-8")
        for k, b in enumerate(data):
            last = k == len(data) - 1
            if b == 0x3D or b > 0x7E or (b < 0x20 and b != 0x09) or (last and b in (0x20, 0x09)):
                tokens.append(b"=%02X" % b)
            else:
                tokens.append(bytes([b]))
        current = b""
        for t in tokens:
            if len(current) + len(t) > width - 1:  # leave room for the soft-break "="
                out += current + b"=" + CRLF
                current = b""
            current += t
        out += current + CRLF
    return bytes(out)


def lines(*items):
    """Header or body lines (str is ASCII-only, bytes as is), each followed by CRLF."""
    out = bytearray()
    for item in items:
        out += (item.encode("ascii") if isinstance(item, str) else item) + CRLF
    return bytes(out)


def text_lines(text):
    """A plain ASCII text with CRLF line ends."""
    return text.encode("ascii").replace(b"\n", CRLF)


# --------------------------------------------------------------------------------------------------------------
# Harmless payloads.
# --------------------------------------------------------------------------------------------------------------

def harmless_zip():
    """A real, tiny zip archive holding readme.txt; stored (no compression) with a fixed timestamp."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        info = zipfile.ZipInfo("readme.txt", date_time=(2019, 6, 10, 9, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        info.create_system = 0  # MS-DOS, so the bytes do not depend on the platform running this script
        info.external_attr = 0
        archive.writestr(info, b"harmless sample\r\n")
    return buffer.getvalue()


def minimal_pdf():
    """A minimal valid PDF 1.4 with one empty A4 page, written by hand with a correct xref table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset  # each entry is exactly 20 bytes
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def fixture(name):
    """The bytes of a test fixture, attached as they are."""
    path = FIXTURES / name
    if not path.is_file():
        raise SystemExit("make_samples.py: %s is missing; run `bash Tests/Fixtures/make_fixtures.sh` first" % path)
    return path.read_bytes()


# --------------------------------------------------------------------------------------------------------------
# The samples.
# --------------------------------------------------------------------------------------------------------------

def order_confirmation_lure():
    """NPA order-confirmation lure: ISO-2022-JP everything, 注文書.xls.js (a JScript posing as a spreadsheet)."""
    boundary = "----=_NextPart_000_0001_01D520F1.7A3B2C10"
    body = (
        "株式会社エグザンプル\n"
        "総務部 ご担当者様\n"
        "\n"
        "いつもお世話になっております。\n"
        "先日ご注文いただきました商品につきまして、\n"
        "注文内容の確認をお願いいたします。\n"
        "\n"
        "① 添付の注文書を開き、内容をご確認ください。\n"
        "② 相違がございましたら、本メールにご返信ください。\n"
        "\n"
        "何卒よろしくお願いいたします。\n"
        "\n"
        "ショップ・エグザンプル 受注センター\n"
    )
    name = encoded_word("注文書.xls.js", "ISO-2022-JP")
    return b"".join([
        lines(
            "Return-Path: <order@shop.example>",
            "Message-ID: <20190612103107.5F2A@shop.example>",
            "Date: Wed, 12 Jun 2019 10:31:07 +0900",
            b"From: " + encoded_word("ショップ・エグザンプル", "ISO-2022-JP"),
            b" " + encoded_word("受注センター", "ISO-2022-JP") + b" <order@shop.example>",
            b"To: " + encoded_word("総務部", "ISO-2022-JP") + b" <soumu@example.co.jp>",
            # Two adjacent encoded words (each a complete ISO-2022-JP run); the folding white space between them
            # is not part of the decoded subject, which is 注文内容の確認.
            b"Subject: " + encoded_word("注文内容", "ISO-2022-JP"),
            b" " + encoded_word("の確認", "ISO-2022-JP"),
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed;",
            ' boundary="%s"' % boundary,
            "X-Mailer: Sample Mailer 1.0",
            "",
            "This is a multi-part message in MIME format.",
            "",
            "--" + boundary,
            "Content-Type: text/plain; charset=ISO-2022-JP",
            "Content-Transfer-Encoding: 7bit",
            "",
        ),
        iso2022jp(body).replace(b"\n", CRLF),
        lines(
            "",
            "--" + boundary,
            "Content-Type: application/octet-stream;",
            b' name="' + name + b'"',
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment;",
            b' filename="' + name + b'"',
            "",
        ),
        base64_lines(b'WScript.Echo("spearscan sample: harmless");\r\n'),
        lines(
            "",
            "--" + boundary + "--",
        ),
    ])


def rfc2231_japanese_name():
    """Invoice lure whose only attachment name is an RFC 2231 UTF-8 continuation: 請求書_2019年6月分.pdf.exe."""
    boundary = "=_spearscan_sample_0002_5d0b2f40"
    body = (
        "経理ご担当者様\n"
        "\n"
        "お世話になっております。\n"
        "2019年6月分の請求書を添付にてお送りいたします。\n"
        "お手数ですが、添付ファイルを開いてご確認のうえ、期日までにお支払いください。\n"
        "\n"
        "※本メールは送信専用アドレスから送信しています。\n"
        "\n"
        "エグザンプル商事株式会社 経理部\n"
    )

    def ext_value(text):
        # RFC 2231 extended value: attribute-chars stay as they are, everything else is %XX.
        return urllib.parse.quote(text.encode("utf-8"), safe="_.-").encode("ascii")

    return b"".join([
        lines(
            "Message-ID: <5d0b2f40.0002@billing.example.net>",
            "Date: Thu, 20 Jun 2019 17:05:42 +0900",
            b"From: " + encoded_word("エグザンプル商事 経理部", "UTF-8"),
            " <billing@billing.example.net>",
            b"To: " + encoded_word("経理部", "UTF-8") + b" <keiri@example.co.jp>",
            b"Subject: " + encoded_word("【請求書送付】2019年6月分", "UTF-8"),
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed;",
            ' boundary="%s"' % boundary,
            "",
            "--" + boundary,
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
        ),
        quoted_printable(body),
        lines(
            "--" + boundary,
            # No name= parameter: only the RFC 2231 filename below names the part.
            "Content-Type: application/octet-stream",
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment;",
            b" filename*0*=UTF-8''" + ext_value("請求書_2019年") + b";",
            b" filename*1*=" + ext_value("6月分.pdf.exe"),
            "",
        ),
        base64_lines(b"This is a harmless spearscan sample, not a program.\r\n"),
        lines(
            "--" + boundary + "--",
        ),
    ])


def forwarded_with_attachment():
    """A forward: the original message, with a zip attachment, travels as a message/rfc822 part."""
    outer_boundary = "=_spearscan_sample_0003_outer"
    inner_boundary = "=_spearscan_sample_0003_inner"
    subject = "国際情勢に関する資料"
    zip_name = encoded_word("国際情勢に関する資料.zip", "UTF-8")
    inner = b"".join([
        lines(
            "Message-ID: <20190701090512.0003@mail.example>",
            "Date: Mon, 1 Jul 2019 09:05:12 +0900",
            b"From: " + encoded_word("研究会 事務局", "UTF-8") + b" <jimukyoku@mail.example>",
            b"To: " + encoded_word("佐藤 花子", "UTF-8") + b" <h-sato@example.co.jp>",
            b"Subject: " + encoded_word(subject, "UTF-8"),
            "MIME-Version: 1.0",
            'Content-Type: multipart/mixed; boundary="%s"' % inner_boundary,
            "",
            "--" + inner_boundary,
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
        ),
        base64_lines((
            "佐藤様\n"
            "\n"
            "先日の研究会でお話しした国際情勢に関する資料を添付いたします。\n"
            "ご査収のほど、よろしくお願いいたします。\n"
            "\n"
            "研究会 事務局\n"
        ).encode("utf-8").replace(b"\n", CRLF)),
        lines(
            "--" + inner_boundary,
            "Content-Type: application/zip;",
            b' name="' + zip_name + b'"',
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment;",
            b' filename="' + zip_name + b'"',
            "",
        ),
        base64_lines(harmless_zip()),
        lines(
            "--" + inner_boundary + "--",
        ),
    ])
    return b"".join([
        lines(
            "Message-ID: <20190701101530.0003@example.co.jp>",
            "Date: Mon, 1 Jul 2019 10:15:30 +0900",
            b"From: " + encoded_word("佐藤 花子", "UTF-8") + b" <h-sato@example.co.jp>",
            b"To: " + encoded_word("鈴木 一郎", "UTF-8") + b" <i-suzuki@example.co.jp>",
            b"Subject: Fwd: " + encoded_word(subject, "UTF-8"),
            "MIME-Version: 1.0",
            'Content-Type: multipart/mixed; boundary="%s"' % outer_boundary,
            "",
            "--" + outer_boundary,
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
        ),
        base64_lines((
            "鈴木さん\n"
            "\n"
            "研究会の事務局から届いた資料を転送します。\n"
            "\n"
            "佐藤\n"
        ).encode("utf-8").replace(b"\n", CRLF)),
        lines(
            "--" + outer_boundary,
            "Content-Type: message/rfc822",
            'Content-Disposition: attachment; filename="fwd.eml"',
            "",
        ),
        inner,
        lines(
            "",
            "--" + outer_boundary + "--",
        ),
    ])


def uuencoded_attachment():
    """A single-part text/plain message carrying a uuencoded invoice.txt between two paragraphs of prose."""
    payload = text_lines(
        "INVOICE (sample)\n"
        "\n"
        "This file is a harmless spearscan sample. It is plain text and contains no\n"
        "program, macro or link. Item: 1 x example widget, 1,000 JPY.\n"
    )
    block = bytearray(b"begin 644 invoice.txt" + CRLF)
    for i in range(0, len(payload), 45):
        block += binascii.b2a_uu(payload[i:i + 45], backtick=True).rstrip(b"\n") + CRLF
    block += binascii.b2a_uu(b"", backtick=True).rstrip(b"\n") + CRLF  # the zero-length line: "`"
    block += b"end" + CRLF
    return b"".join([
        lines(
            "Message-ID: <20190709142203.0004@legacy.example.com>",
            "Date: Tue, 9 Jul 2019 14:22:03 +0900",
            "From: Legacy Billing <billing@legacy.example.com>",
            "To: accounts@example.co.jp",
            "Subject: Invoice for June",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=us-ascii",
            "Content-Transfer-Encoding: 7bit",
            "",
            "Hello,",
            "",
            "Our old mail system still sends files uuencoded inside the message text.",
            "The invoice for June follows.",
            "",
        ),
        bytes(block),
        lines(
            "",
            "If your mail program does not show an attachment, save this message and",
            "decode it with uudecode.",
            "",
            "Regards,",
            "Legacy Billing",
        ),
    ])


def missing_final_boundary():
    """multipart/mixed whose closing delimiter (--boundary--) never comes: the message ends after the base64."""
    boundary = "=_spearscan_sample_0005_unclosed"
    return b"".join([
        lines(
            "Message-ID: <20190715083000.0005@reports.example.com>",
            "Date: Mon, 15 Jul 2019 08:30:00 +0900",
            "From: Reports <reports@reports.example.com>",
            "To: analyst@example.co.jp",
            "Subject: Monthly report",
            "MIME-Version: 1.0",
            'Content-Type: multipart/mixed; boundary="%s"' % boundary,
            "",
            "--" + boundary,
            "Content-Type: text/plain; charset=us-ascii",
            "Content-Transfer-Encoding: 7bit",
            "",
            "The monthly report is attached.",
            "",
            "--" + boundary,
            'Content-Type: application/pdf; name="report.pdf"',
            "Content-Transfer-Encoding: base64",
            'Content-Disposition: attachment; filename="report.pdf"',
            "",
        ),
        base64_lines(minimal_pdf()),
        # Deliberately no "--boundary--" line.
    ])


# --------------------------------------------------------------------------------------------------------------
# Archive and document lures: they attach the test fixtures from ../Tests/Fixtures/files/.
# --------------------------------------------------------------------------------------------------------------

def single_attachment(headers, body_headers, body, attachment_headers, payload, boundary):
    """multipart/mixed: one text part (already encoded, CRLF) and one base64 attachment."""
    return b"".join([
        lines(*headers),
        lines(
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed;",
            ' boundary="%s"' % boundary,
            "",
            "--" + boundary,
            *body_headers,
            "",
        ),
        body,
        lines(
            "",
            "--" + boundary,
            *attachment_headers,
            "",
        ),
        base64_lines(payload),
        lines(
            "",
            "--" + boundary + "--",
        ),
    ])


def jis_body(text):
    return iso2022jp(text).replace(b"\n", CRLF)


JIS_TEXT = ("Content-Type: text/plain; charset=ISO-2022-JP", "Content-Transfer-Encoding: 7bit")


def zip_with_script():
    """Invoice lure: 請求書.zip (a real zip) holding hello.js, a one-line JScript, and readme.txt."""
    name = encoded_word("請求書.zip", "ISO-2022-JP")
    return single_attachment(
        headers=(
            "Message-ID: <20190801091502.0006@billing.example>",
            "Date: Thu, 1 Aug 2019 09:15:02 +0900",
            b"From: " + encoded_word("経理部", "ISO-2022-JP") + b" <keiri@billing.example>",
            b"To: " + encoded_word("総務部", "ISO-2022-JP") + b" <soumu@example.co.jp>",
            b"Subject: " + encoded_word("請求書の送付", "ISO-2022-JP"),
        ),
        body_headers=JIS_TEXT,
        body=jis_body(
            "総務部 ご担当者様\n"
            "\n"
            "いつもお世話になっております。\n"
            "7月分の請求書を送付いたします。\n"
            "添付の圧縮ファイルを展開し、内容をご確認ください。\n"
            "\n"
            "エグザンプル商事 経理部\n"
        ),
        attachment_headers=(
            "Content-Type: application/x-zip-compressed;",
            b' name="' + name + b'"',
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment;",
            b' filename="' + name + b'"',
        ),
        payload=fixture("simple.zip"),
        boundary="----=_NextPart_000_0006_01D54840.2B1C9E00",
    )


def password_zip():
    """A ZipCrypto zip whose password the message itself gives, on its own line: パスワード：abc123."""
    name = encoded_word("資料.zip", "ISO-2022-JP")
    return single_attachment(
        headers=(
            "Message-ID: <20190805140733.0007@mail.example>",
            "Date: Mon, 5 Aug 2019 14:07:33 +0900",
            b"From: " + encoded_word("研究会 事務局", "ISO-2022-JP"),
            " <jimukyoku@mail.example>",
            b"To: " + encoded_word("佐藤 花子", "ISO-2022-JP") + b" <h-sato@example.co.jp>",
            b"Subject: " + encoded_word("国際情勢に関する資料", "ISO-2022-JP"),
        ),
        body_headers=JIS_TEXT,
        body=jis_body(
            "佐藤様\n"
            "\n"
            "お世話になっております。\n"
            "国際情勢に関する資料をお送りいたします。\n"
            "添付ファイルはパスワードで保護しております。\n"
            "\n"
            "パスワード：abc123\n"
            "\n"
            "よろしくお願いいたします。\n"
            "研究会 事務局\n"
        ),
        attachment_headers=(
            "Content-Type: application/x-zip-compressed;",
            b' name="' + name + b'"',
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment;",
            b' filename="' + name + b'"',
        ),
        payload=fixture("zipcrypto.zip"),
        boundary="=_spearscan_sample_0007_password",
    )


def lzh_sjis():
    """An LZH archive, still common in Japan, whose member name 請求書.js is stored in Shift_JIS."""
    name = encoded_word("資料.lzh", "Shift_JIS")
    return single_attachment(
        headers=(
            "Message-ID: <20190807101010.0008@old.example>",
            "Date: Wed, 7 Aug 2019 10:10:10 +0900",
            b"From: " + encoded_word("営業部 田中", "ISO-2022-JP"),
            " <tanaka@old.example>",
            b"To: " + encoded_word("総務部", "ISO-2022-JP") + b" <soumu@example.co.jp>",
            b"Subject: " + encoded_word("資料送付の件", "ISO-2022-JP"),
        ),
        body_headers=JIS_TEXT,
        body=jis_body(
            "総務部 ご担当者様\n"
            "\n"
            "お世話になっております。\n"
            "ご依頼の資料をLZH形式で圧縮してお送りします。\n"
            "\n"
            "営業部 田中\n"
        ),
        attachment_headers=(
            "Content-Type: application/octet-stream;",
            b' name="' + name + b'"',
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment;",
            b' filename="' + name + b'"',
        ),
        payload=fixture("sjis.lzh"),
        boundary="=_spearscan_sample_0008_lzh",
    )


def sevenzip():
    """A 7-Zip archive (LZMA2) holding hello.js."""
    return single_attachment(
        headers=(
            "Message-ID: <20190809083000.0009@partners.example.com>",
            "Date: Fri, 9 Aug 2019 08:30:00 +0900",
            "From: Partner Relations <relations@partners.example.com>",
            "To: procurement@example.co.jp",
            "Subject: Updated contract documents",
        ),
        body_headers=("Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: 7bit"),
        body=text_lines(
            "Hello,\n"
            "\n"
            "Please find the updated contract documents attached as a 7z archive.\n"
            "\n"
            "Partner Relations\n"
        ),
        attachment_headers=(
            'Content-Type: application/x-7z-compressed; name="documents.7z"',
            "Content-Transfer-Encoding: base64",
            'Content-Disposition: attachment; filename="documents.7z"',
        ),
        payload=fixture("sample.7z"),
        boundary="=_spearscan_sample_0009_7z",
    )


def iso_shortcut():
    """An ISO 9660 image (which escapes mark-of-the-web) holding a shortcut to cmd.exe and a readme."""
    return single_attachment(
        headers=(
            "Message-ID: <20190813171205.0010@invoices.example.com>",
            "Date: Tue, 13 Aug 2019 17:12:05 +0900",
            "From: Invoices <invoices@invoices.example.com>",
            "To: accounts@example.co.jp",
            "Subject: Invoice 2019 - payment overdue",
        ),
        body_headers=("Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: 7bit"),
        body=text_lines(
            "Dear customer,\n"
            "\n"
            "Your invoice is overdue. Open the attached file to see the details.\n"
            "\n"
            "Invoices Department\n"
        ),
        attachment_headers=(
            'Content-Type: application/octet-stream; name="Invoice_2019.iso"',
            "Content-Transfer-Encoding: base64",
            'Content-Disposition: attachment; filename="Invoice_2019.iso"',
        ),
        payload=fixture("hello.iso"),
        boundary="=_spearscan_sample_0010_iso",
    )


def macro_document():
    """A macro-enabled Word document, 見積書.docm (its vbaProject.bin is a line of text, not VBA)."""
    name = encoded_word("見積書.docm", "UTF-8")
    return single_attachment(
        headers=(
            "Message-ID: <20190820113344.0011@sales.example>",
            "Date: Tue, 20 Aug 2019 11:33:44 +0900",
            b"From: " + encoded_word("エグザンプル販売 営業部", "ISO-2022-JP"),
            " <sales@sales.example>",
            b"To: " + encoded_word("購買部", "ISO-2022-JP") + b" <kobai@example.co.jp>",
            b"Subject: " + encoded_word("お見積りの件", "ISO-2022-JP"),
        ),
        body_headers=JIS_TEXT,
        body=jis_body(
            "購買部 ご担当者様\n"
            "\n"
            "お世話になっております。\n"
            "ご依頼のお見積書を添付いたします。\n"
            "表示されない場合は「コンテンツの有効化」をクリックしてください。\n"
            "\n"
            "エグザンプル販売 営業部\n"
        ),
        attachment_headers=(
            "Content-Type: application/vnd.ms-word.document.macroEnabled.12;",
            b' name="' + name + b'"',
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment;",
            b' filename="' + name + b'"',
        ),
        payload=fixture("macro.docm"),
        boundary="=_spearscan_sample_0011_docm",
    )


def double_extension_pe():
    """A real PE program (it prints "hello") named 請求書.pdf.exe, the name as an RFC 2047 UTF-8 word."""
    name = encoded_word("請求書.pdf.exe", "UTF-8")
    return single_attachment(
        headers=(
            "Message-ID: <20190826090101.0012@billing.example.net>",
            "Date: Mon, 26 Aug 2019 09:01:01 +0900",
            b"From: " + encoded_word("エグザンプル商事 経理部", "UTF-8"),
            " <billing@billing.example.net>",
            b"To: " + encoded_word("経理部", "UTF-8") + b" <keiri@example.co.jp>",
            b"Subject: " + encoded_word("【請求書送付】2019年8月分", "UTF-8"),
        ),
        body_headers=("Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"),
        body=quoted_printable(
            "経理ご担当者様\n"
            "\n"
            "2019年8月分の請求書(PDF)を添付にてお送りいたします。\n"
            "\n"
            "エグザンプル商事株式会社 経理部\n"
        ),
        attachment_headers=(
            "Content-Type: application/octet-stream;",
            b' name="' + name + b'"',
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment;",
            b' filename="' + name + b'"',
        ),
        payload=fixture("hello.exe"),
        boundary="=_spearscan_sample_0012_pe",
    )


# --------------------------------------------------------------------------------------------------------------
# Sender samples: who really sent the message. They carry no attachment and no Authentication-Results, so their
# verdicts come from the headers alone and, for the newsletter, from verifying its DKIM signature.
# --------------------------------------------------------------------------------------------------------------

DKIM_FIXTURES = HERE.parent / "Tests" / "Fixtures" / "dkim"


def mx_trace(return_path, helo, rdns, ip, queue_id, rcpt, date):
    """Return-Path and the Received field that our MX (mx.example.co.jp) writes, with the envelope sender."""
    return (
        "Return-Path: <%s>" % return_path,
        "Received: from %s (%s [%s])" % (helo, rdns, ip),
        "\tby mx.example.co.jp (Postfix) with ESMTPS id %s" % queue_id,
        "\t(envelope-from <%s>)" % return_path,
        "\tfor <%s>; %s" % (rcpt, date),
    )


def international_affairs_spoofed():
    """「国際情勢に関する資料」 from a ministry-looking example.go.jp; envelope elsewhere, Reply-To free mail."""
    return b"".join([
        lines(
            *mx_trace("sender01@mail.example.net", "mail.example.net", "mail.example.net", "203.0.113.53",
                      "46M22S0013", "h-sato@example.co.jp", "Tue, 17 Sep 2019 10:10:13 +0900 (JST)"),
            "Message-ID: <20190917101010.0013@mail.example.net>",
            "Date: Tue, 17 Sep 2019 10:10:10 +0900",
            b"From: " + encoded_word("国際情勢調査室", "ISO-2022-JP") + b" <chosa@example.go.jp>",
            "Reply-To: example.kokusai.chosa@yahoo.co.jp",
            b"To: " + encoded_word("佐藤 花子", "ISO-2022-JP") + b" <h-sato@example.co.jp>",
            b"Subject: " + encoded_word("国際情勢に関する資料", "ISO-2022-JP"),
            "MIME-Version: 1.0",
            *JIS_TEXT,
            "",
        ),
        jis_body(
            "佐藤様\n"
            "\n"
            "突然のご連絡失礼いたします。\n"
            "国際情勢に関する資料をお送りしたく存じます。\n"
            "ご都合のよい送付先を、本メールへの返信でお知らせください。\n"
            "\n"
            "国際情勢調査室\n"
        ),
    ])


def newsletter_dkim():
    """The DKIM fixture newsletter-signed.eml as delivered: our MX's trace fields on top, the signed part as is."""
    path = DKIM_FIXTURES / "newsletter-signed.eml"
    if not path.is_file():
        raise SystemExit("make_samples.py: %s is missing; run Tests/Fixtures/dkim/make_dkim_fixtures.py" % path)
    return lines(
        *mx_trace("bounce-0001@bounce.news.example.net", "mail.news.example.net", "mail.news.example.net",
                  "198.51.100.60", "46M04S0014", "t-yamada@example.co.jp", "Wed, 4 Sep 2019 08:00:03 +0900 (JST)"),
    ) + path.read_bytes()


def display_name_deception():
    """A display name that is our own address, in front of an unrelated address."""
    return b"".join([
        lines(
            *mx_trace("x@mail.example.net", "mail.example.net", "mail.example.net", "203.0.113.12", "46M05S0015",
                      "t-yamada@example.co.jp", "Thu, 5 Sep 2019 09:30:03 +0900 (JST)"),
            "Message-ID: <20190905093000.0015@mail.example.net>",
            "Date: Thu, 5 Sep 2019 09:30:00 +0900",
            'From: "soumu@example.co.jp" <x@mail.example.net>',
            b"To: " + encoded_word("山田 太郎", "ISO-2022-JP") + b" <t-yamada@example.co.jp>",
            b"Subject: " + encoded_word("【重要】アカウント確認", "ISO-2022-JP"),
            b" " + encoded_word("のお願い", "ISO-2022-JP"),
            "MIME-Version: 1.0",
            *JIS_TEXT,
            "",
        ),
        jis_body(
            "社員各位\n"
            "\n"
            "メールアカウントの確認をお願いします。\n"
            "本メールに返信し、氏名と内線番号をお知らせください。\n"
            "\n"
            "総務部\n"
        ),
    ])


def lookalike_domain():
    """From 総務部 at examp1e.co.jp (digit one for the letter l), imitating example.co.jp."""
    return b"".join([
        lines(
            *mx_trace("soumu@examp1e.co.jp", "mail.examp1e.co.jp", "mail.examp1e.co.jp", "203.0.113.21",
                      "46M09S0016", "t-yamada@example.co.jp", "Mon, 9 Sep 2019 09:01:03 +0900 (JST)"),
            "Message-ID: <20190909090100.0016@examp1e.co.jp>",
            "Date: Mon, 9 Sep 2019 09:01:00 +0900",
            b"From: " + encoded_word("総務部", "ISO-2022-JP") + b" <soumu@examp1e.co.jp>",
            b"To: " + encoded_word("山田 太郎", "ISO-2022-JP") + b" <t-yamada@example.co.jp>",
            b"Subject: " + encoded_word("年末調整の手続き", "ISO-2022-JP"),
            "MIME-Version: 1.0",
            *JIS_TEXT,
            "",
        ),
        jis_body(
            "社員各位\n"
            "\n"
            "年末調整の手続きを開始します。\n"
            "社内ページの案内に従って、期日までに手続きしてください。\n"
            "\n"
            "総務部\n"
        ),
    ])


SAMPLES = {
    "order-confirmation-lure.eml": order_confirmation_lure,
    "rfc2231-japanese-name.eml": rfc2231_japanese_name,
    "forwarded-with-attachment.eml": forwarded_with_attachment,
    "uuencoded-attachment.eml": uuencoded_attachment,
    "missing-final-boundary.eml": missing_final_boundary,
    "zip-with-script.eml": zip_with_script,
    "password-zip.eml": password_zip,
    "lzh-sjis.eml": lzh_sjis,
    "sevenzip.eml": sevenzip,
    "iso-shortcut.eml": iso_shortcut,
    "macro-document.eml": macro_document,
    "double-extension-pe.eml": double_extension_pe,
    "international-affairs-spoofed.eml": international_affairs_spoofed,
    "newsletter-dkim.eml": newsletter_dkim,
    "display-name-deception.eml": display_name_deception,
    "lookalike-domain.eml": lookalike_domain,
}


def main(argv):
    check = "--check" in argv[1:]
    stale = []
    for filename, make in SAMPLES.items():
        data = make()
        path = HERE / filename
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(filename)
        else:
            path.write_bytes(data)
            print("wrote %s (%d bytes)" % (filename, len(data)))
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
