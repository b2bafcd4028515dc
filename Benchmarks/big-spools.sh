#!/usr/bin/env bash
# Issue #19's two spools that are too big for the test suite, measured: one mbox of 1,000,000 tiny messages and
# one mbox whose first message is 2 GB (a base64 attachment), followed by a small one. Each is batched into a
# fresh SQLite store with progress on; wall time and peak RSS come from /usr/bin/time. Memory must stay bounded
# (the 2 GB message is cut at --max-message-bytes, 256 MB by default, with limit_exceeded recorded), every message
# must be stored, and the run must end.
#   Benchmarks/big-spools.sh [WORKDIR]        (default Benchmarks/.work/big; needs about 2.5 GB of disk)
# Environment: SPEARSCAN=/path/to/spearscan (default .build/release/spearscan, else .build/debug/spearscan).
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-Benchmarks/.work/big}"
bin="${SPEARSCAN:-}"
[ -n "$bin" ] || { [ -x .build/release/spearscan ] && bin=.build/release/spearscan || bin=.build/debug/spearscan; }
mkdir -p "$work"
python3 - "$work" <<'PY'
import base64, os, sys
work = sys.argv[1]
tiny = os.path.join(work, "million.mbox")
if not os.path.exists(tiny):
    with open(tiny, "wb") as f:
        for i in range(1_000_000):
            f.write(b"From s%d@example.jp Mon Jun 10 09:00:00 2019\nFrom: s%d@sender%d.example\nTo: u%d@corp.example.co.jp\n"
                    b"Subject: note %d\nMessage-ID: <m%d@x>\nDate: Mon, 10 Jun 2019 09:00:00 +0900\n\nhello %d\n\n"
                    % (i % 97, i % 97, i % 13, i, i % 500, i, i % 1000))
big = os.path.join(work, "two-gigabytes.mbox")
if not os.path.exists(big):
    line = base64.b64encode(bytes(range(57))) + b"\n"
    with open(big, "wb") as f:
        f.write(b"From a@example.jp Mon Jun 10 09:00:00 2019\nFrom: a@example.jp\nTo: b@example.co.jp\nSubject: big\n"
                b"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
                b"--b\nContent-Type: application/zip; name=big.zip\nContent-Transfer-Encoding: base64\n\n")
        block = line * (1 << 14)
        for _ in range((2 << 30) // len(block) + 1):
            f.write(block)
        f.write(b"--b--\n\nFrom c@example.jp Mon Jun 10 09:00:01 2019\nFrom: c@example.jp\nTo: d@example.co.jp\nSubject: after\n\nhello\n")
PY
for spool in million two-gigabytes; do
    rm -f "$work/$spool.db" "$work/$spool.db-wal" "$work/$spool.db-shm"
    /usr/bin/time -f "$spool: %e s wall, peak RSS %M KB" "$bin" batch --offline --no-sender --progress \
        --db "$work/$spool.db" "$work/$spool.mbox" > "$work/$spool.out" 2> "$work/$spool.err" || true
    tail -1 "$work/$spool.err"
    head -2 "$work/$spool.out"
    echo "$spool: $(sqlite3 "$work/$spool.db" 'SELECT count(*) FROM messages') messages stored, $(sqlite3 "$work/$spool.db" 'SELECT count(*) FROM failures') failed"
done
