#!/usr/bin/env bash
# Reproduces the Performance table of README.md: release builds, then
#  1. in-process single-core throughput of parse + decode + hash on base64-heavy mail (spearscan-bench);
#  2. wall time of `spearscan scan` on a 50 KB message, start-up included (hyperfine when installed);
#  3. sender scoring without DNS, per message (median, p99), over Samples/ and the sender and DKIM fixtures.
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release --package-path .. --product spearscan >/dev/null
swift build -c release >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
taskset -c 0 .build/release/spearscan-bench --write-small "$work/50k.eml"
bin=../.build/release/spearscan
if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 5 --runs 50 -i "$bin scan --format json $work/50k.eml" --export-markdown /dev/stdout 2>/dev/null | tail -n 1
else
    start=$(date +%s%N); for _ in $(seq 50); do "$bin" scan --format json "$work/50k.eml" >/dev/null || true; done; end=$(date +%s%N)
    echo "spearscan scan, 50 KB message, start-up included: $(( (end - start) / 50000000 )).$(( ((end - start) / 500000) % 100 )) ms mean of 50 runs"
fi
taskset -c 0 .build/release/spearscan-bench --sender
