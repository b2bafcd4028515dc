#!/usr/bin/env python3
"""ripmime (Debian package `ripmime`) over a spool: the classic C tool that unpacks a message's MIME parts to files.

    python3 Benchmarks/compare/ripmime_run.py --jobs 2 --out /tmp/ripmime.jsonl SPOOL/eml

ripmime reads one message per process, so it is run once per file, the way users script it: a fresh temporary
directory per message, `ripmime -i FILE -d DIR --paranoid` started from an argument list (never a shell, so no
file name is ever interpreted; --paranoid reduces the names ripmime writes to 7-bit safe characters), then every
file it wrote is hashed (SHA-256) here so that the job matches "decode and hash each attachment". No archive unpacking, no classification. --no-hash measures ripmime alone.
Workers: a thread pool of --jobs threads, each waiting on one ripmime process at a time (the work is in the child
processes, so threads are enough and cost nothing).
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

RIPMIME = shutil.which("ripmime")


def scan(path: str, do_hash: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="ripmime-") as d:
        # The path comes from our own sorted walk and is passed as one argv item; ripmime has no "--".
        p = subprocess.run([RIPMIME, "-i", path, "-d", d, "--paranoid"], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
        files = []
        for root, _, names in os.walk(d):
            for n in sorted(names):
                fp = os.path.join(root, n)
                rec = {"name": os.fsencode(n).decode("utf-8", "replace"), "size": os.path.getsize(fp)}
                if do_hash:
                    with open(fp, "rb") as f:
                        rec["sha256"] = hashlib.file_digest(f, "sha256").hexdigest()
                files.append(rec)
        out = {"file": path, "parts": files}
        if p.returncode != 0:
            out["error"] = f"ripmime exit {p.returncode}: {p.stderr.decode(errors='replace')[:150]}"
        return out


def main() -> None:
    ap = common.standard_args(__doc__.split("\n\n")[0])
    ap.add_argument("--no-hash", action="store_true", help="only run ripmime, do not hash what it writes")
    args = ap.parse_args()
    if not RIPMIME:
        sys.exit("ripmime_run.py: ripmime not found; apt-get install -y ripmime")
    files = common.message_files(args.paths)
    total = sum(os.path.getsize(f) for f in files)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    start, failed = time.perf_counter(), 0
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        for rec in ex.map(lambda f: scan(f, not args.no_hash), files):
            failed += "error" in rec
            out.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
    if out is not sys.stdout:
        out.close()
    print(f"{len(files)} messages, {total} bytes, {failed} failed, {time.perf_counter() - start:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
