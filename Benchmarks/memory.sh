#!/usr/bin/env bash
# Issue #15's memory per message, measured: peak RSS of `spearscan scan` on messages whose archives unpack to far
# more than they weigh, and on ordinary attachments, with one or more binaries side by side (a baseline first).
#
#   Benchmarks/memory.sh [BIN ...]        (default .build/release/spearscan)
#
# The messages (written to Benchmarks/.work/memory/ when missing, all benign: zeros and echo scripts):
#   nested-bomb.eml    a zip of 8 zips, each of 8 members of 8 MB of zeros (512 MB in all; the message's unpacking
#                      budget, 256 MB, cuts it, and says so)
#   wide-archive.eml   a zip of 64 members of 4 MB of zeros beside one script (256 MB: one archive, many members)
#   docx-pictures.eml  an OOXML document holding 40 MB of pictures (stored), which is classified, not unpacked
# Each binary scans each message three times; the table gives the lowest and highest peak RSS (KB) and wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
work=Benchmarks/.work/memory
mkdir -p "$work"
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=(.build/release/spearscan)

python3 - "$work" <<'PY'
import base64, io, os, sys, zipfile
work = sys.argv[1]

def zipped(members, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, (2019, 6, 10, 9, 0, 0)), data, compress_type=method)
    return buf.getvalue()

def message(path, filename, payload, ctype="application/zip"):
    if os.path.exists(path):
        return
    b64 = base64.encodebytes(payload)
    with open(path, "wb") as f:
        f.write(b"From: sender@example.jp\r\nTo: user@corp.example.co.jp\r\nSubject: memory\r\n"
                b"Date: Mon, 10 Jun 2019 09:00:00 +0900\r\nMessage-ID: <memory@example.jp>\r\nMIME-Version: 1.0\r\n"
                b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                b"--b\r\nContent-Type: " + ctype.encode() + b"; name=" + filename.encode() +
                b"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64.replace(b"\n", b"\r\n") + b"--b--\r\n")

zeros8 = bytes(8 << 20)
inner = zipped([(f"part{k}.bin", zeros8) for k in range(8)])
message(os.path.join(work, "nested-bomb.eml"), "nested.zip", zipped([(f"inner{k}.zip", inner) for k in range(8)]))
zeros4 = bytes(4 << 20)
message(os.path.join(work, "wide-archive.eml"), "wide.zip",
        zipped([(f"data{k:02}.bin", zeros4) for k in range(64)] + [("run.js", b'WScript.Echo("harmless");\r\n')]))
pictures = [(f"word/media/image{k}.png", os.urandom(1 << 20)) for k in range(40)]
docx = zipped([("[Content_Types].xml", b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
               ("_rels/.rels", b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'),
               ("word/document.xml", b'<?xml version="1.0"?><w:document/>')] + pictures, zipfile.ZIP_STORED)
message(os.path.join(work, "docx-pictures.eml"), "report.docx", docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
PY

printf '| binary | message | peak RSS MB (min-max of 3) | wall s (min-max) |\n|---|---|---:|---:|\n'
for bin in "${bins[@]}"; do
    for msg in nested-bomb wide-archive docx-pictures; do
        rss=() wall=()
        for _ in 1 2 3; do
            /usr/bin/time -o "$work/time.txt" -f '%M %e' "$bin" scan --offline --format json "$work/$msg.eml" > "$work/$msg.json" 2>&1 || true
            out=$(tail -1 "$work/time.txt")
            rss+=("${out% *}") wall+=("${out#* }")
        done
        r=$(printf '%s\n' "${rss[@]}" | sort -n | awk 'NR==1{a=$1} END{printf "%.0f-%.0f", a/1024, $1/1024}')
        w=$(printf '%s\n' "${wall[@]}" | sort -n | awk 'NR==1{a=$1} END{printf "%.2f-%.2f", a, $1}')
        printf '| %s | %s | %s | %s |\n' "$bin" "$msg" "$r" "$w"
    done
done
