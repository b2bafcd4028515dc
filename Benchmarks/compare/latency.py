#!/usr/bin/env python3
"""Single-message latency of a command, one process per message (start-up included, as a mail filter or an
analyst's shell would see it): `latency.py --sample 200 --out FILE -- CMD ARGS... {}` over the files of a spool.

The sample is deterministic: every k-th file of the sorted list, so reruns time the same messages. Prints and
writes one JSON object: n, p50_ms, p99_ms, mean_ms, max_ms, failures, peak_rss_kb (largest child).
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402


def percentile(xs: list[float], q: float) -> float:
    """Nearest-rank percentile: no interpolation, so p99 of 200 samples is the 2nd slowest."""
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(-(-q * len(s) // 100)) - 1))
    return s[k]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", type=int, default=200)
    ap.add_argument("--out", default="-")
    ap.add_argument("--path", action="append", required=True, help="spool directory or file (repeatable)")
    ap.add_argument("cmd", nargs=argparse.REMAINDER, help="-- command; {} is replaced by the message path")
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    files = common.message_files(args.path)
    step = max(1, len(files) // args.sample)
    sample = files[::step][:args.sample]
    times, failures = [], 0
    for f in sample:
        argv = [f if a == "{}" else a for a in cmd]
        t0 = time.perf_counter_ns()
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter_ns() - t0) / 1e6)
        failures += p.returncode not in (0, 1)  # spearscan scan: 0 clean, 1 suspicious, 2 unreadable, other: crash
    res = {"n": len(times), "p50_ms": round(percentile(times, 50), 2), "p99_ms": round(percentile(times, 99), 2),
           "mean_ms": round(sum(times) / len(times), 2), "max_ms": round(max(times), 2), "failures": failures,
           "peak_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}
    text = json.dumps(res)
    print(text)
    if args.out != "-":
        Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
