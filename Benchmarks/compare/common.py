"""Shared bits of the comparator runners: finding the message files and running a function over them on N worker
processes with ordered JSON-lines output. Kept tiny so that each runner reads as "what a Python user would write"."""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path
from typing import Callable, Iterable


def message_files(paths: Iterable[str]) -> list[str]:
    """Every regular file under the given paths (a tree of .eml files or a Maildir's cur/ and new/), sorted, so
    every tool sees the same files in the same order. Maildir's tmp/ is skipped, as mail readers do."""
    out: list[str] = []
    for p in paths:
        if os.path.isfile(p):
            out.append(p)
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if d != "tmp")
            out += [os.path.join(root, f) for f in sorted(files)]
    return out


def standard_args(description: str) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("paths", nargs="+", help="message files or directories (eml tree, Maildir)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2, the machine's cores)")
    ap.add_argument("--out", default="-", help="JSON lines output file (default stdout)")
    return ap


def run(worker_init: Callable[[], None] | None, per_file: Callable[[str], dict], args) -> None:
    """Map per_file over the files on args.jobs processes (imap keeps input order) and write one JSON line each.
    Prints a one-line summary (messages, bytes, seconds) on stderr."""
    files = message_files(args.paths)
    total = sum(os.path.getsize(f) for f in files)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    start = time.perf_counter()
    failed = 0
    if args.jobs <= 1:
        if worker_init:
            worker_init()
        results = map(per_file, files)
        pool = None
    else:
        pool = mp.get_context("fork").Pool(args.jobs, initializer=worker_init)
        results = pool.imap(per_file, files, chunksize=8)
    for rec in results:
        failed += 1 if "error" in rec else 0
        out.write(json.dumps(rec, ensure_ascii=False, default=str, sort_keys=True) + "\n")
    if pool:
        pool.close()
        pool.join()
    secs = time.perf_counter() - start
    if out is not sys.stdout:
        out.close()
    print(f"{len(files)} messages, {total} bytes, {failed} failed, {secs:.2f} s", file=sys.stderr)
