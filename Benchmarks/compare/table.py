#!/usr/bin/env python3
"""Turns the suite's raw rows into the one table of issue #7, printed and written as Markdown.

    table.py ROWS.tsv SPOOL_DIR OUT.md [LATENCY.json] [MEMFLAT.tsv] [PAIRS.tsv]

ROWS.tsv: tool<TAB>seconds<TAB>peak_rss_kb<TAB>status<TAB>note, one per measured tool (status "ok", "n/a" or
"failed"). Rates use the spool's message count and the total size of its .eml files. The ratio column is
spearscan batch's rate divided by the tool's: "20.0x" means spearscan did 20 times the messages per second.
PAIRS.tsv: sha256sum seconds<TAB>spearscan batch seconds, one line per back-to-back pair (issue #5's target).
"""

import json
import os
import platform
import sys
import time
from pathlib import Path


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1048576:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    try:  # a shared machine: say how busy it was, since every rate here depends on it
        load = "/".join(Path("/proc/loadavg").read_text().split()[:3])
        load = f", load average {load} (1/5/15 min) at the end"
    except OSError:
        load = ""
    return f"{os.cpu_count()} cores ({cpu}){mem}, Linux {platform.release()}, Python {platform.python_version()}{load}"


def main() -> None:
    rows_path, spool, out_md = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    latency = Path(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else None
    memflat = Path(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5] else None
    pairs = Path(sys.argv[6]) if len(sys.argv) > 6 and sys.argv[6] else None
    truth = json.loads((spool / "truth.json").read_text(encoding="utf-8"))
    n = truth["count"]
    mb = sum(f.stat().st_size for f in (spool / "eml").rglob("*.eml")) / 1e6
    rows = []
    for line in rows_path.read_text().splitlines():
        tool, secs, rss, status, note = (line.split("\t") + [""] * 5)[:5]
        rows.append({"tool": tool, "secs": float(secs) if status == "ok" else None,
                     "rss": int(rss) / 1024 if status == "ok" and rss.isdigit() else None, "status": status, "note": note})
    ref = next((r for r in rows if r["tool"].startswith("spearscan batch") and r["secs"]), None)
    header = ["tool", "messages/s", "MB/s", "peak RSS MB", "spearscan batch vs tool", "seconds", "note"]
    table = []
    for r in rows:
        if r["secs"]:
            rate, mbs = n / r["secs"], mb / r["secs"]
            ratio = f"{(n / ref['secs']) / rate:.2f}x" if ref else "n/a"
            table.append([r["tool"], f"{rate:,.0f}", f"{mbs:,.1f}", f"{r['rss']:,.0f}" if r["rss"] is not None else "n/a",
                          ratio, f"{r['secs']:.3f}", r["note"]])
        else:
            table.append([r["tool"], "n/a", "n/a", "n/a", "n/a", "n/a", r["note"] or r["status"]])
    widths = [max(len(str(row[i])) for row in [header] + table) for i in range(len(header))]
    def fmt(row):
        return "  ".join(str(c).ljust(w) if i in (0, 6) else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
    lines = [fmt(header), fmt(["-" * w for w in widths])] + [fmt(r) for r in table]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    summary = (f"Spool: {n:,} messages, {mb:,.1f} MB of .eml (seed {truth['seed']}, {len(truth['campaigns'])} campaigns); "
               f"machine: {machine()}; {when}.")
    print(summary)
    print("\n".join(lines))
    md = ["# Benchmark results", "", summary, "",
          "| " + " | ".join(header) + " |", "|" + "|".join("---" if i in (0, 6) else "---:" for i in range(len(header))) + "|"]
    md += ["| " + " | ".join(str(c) for c in r) + " |" for r in table]
    if latency and latency.exists() and latency.stat().st_size:
        lat = json.loads(latency.read_text())
        s = (f"spearscan scan, one process per message, start-up included: p50 {lat['p50_ms']} ms, p99 {lat['p99_ms']} ms "
             f"over {lat['n']} messages (mean {lat['mean_ms']} ms, failures {lat['failures']}, peak RSS {lat['peak_rss_kb'] / 1024:.0f} MB)")
    else:
        s = "spearscan scan latency: n/a (no release binary)"
    print(s)
    md += ["", s]
    if memflat and memflat.exists():
        mlines = [ln.split("\t") for ln in memflat.read_text().splitlines() if ln]
        print("memory flatness (spearscan batch peak RSS):", ", ".join(f"{c} messages: {r}" for c, r in mlines))
        md += ["", "Memory flatness, spearscan batch peak RSS: " + ", ".join(f"{c} messages: {r}" for c, r in mlines)]
    if pairs and pairs.exists():
        ratios, parts = [], []
        for ln in pairs.read_text().splitlines():
            sha, batch = (float(x) for x in ln.split("\t"))
            ratios.append((mb / batch) / (mb / sha))
            parts.append(f"sha256sum {mb / sha:,.1f} MB/s, batch {mb / batch:,.1f} MB/s: {ratios[-1]:.2f}")
        median = sorted(ratios)[len(ratios) // 2]
        s = (f"Issue #5 target (batch into SQLite ≥ 0.5 × sha256sum MB/s), {len(ratios)} back-to-back pairs: "
             + "; ".join(parts) + f". Median ratio {median:.2f} ({'met' if median >= 0.5 else 'not met'}).")
        print(s)
        md += ["", s]
    md += ["", "Rates are messages (and MB of .eml) per wall-clock second on a warm page cache; peak RSS is the largest"
           " single process (`/usr/bin/time -f %M`), not the sum over worker processes. Reproduce with"
           " `Benchmarks/suite.sh --count " + str(n) + " --seed " + str(truth["seed"]) + "`."]
    out_md.parent.mkdir(parents=True, exist_ok=True)
    out_md.write_text("\n".join(md) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
