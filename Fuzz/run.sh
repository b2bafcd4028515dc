#!/usr/bin/env bash
# Builds the libFuzzer targets with AddressSanitizer and runs one of them.
#   Fuzz/run.sh TARGET [SECONDS]     TARGET: tnef or mime; SECONDS default 60
# Seeds: Tests/Fixtures/tnef and MimeKit's TNEF files for tnef; Samples/ and ../shared/corpus messages for mime.
# Crashes, hangs (over 10 s) and inputs over 2 GB of memory are written to Fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")"
target="${1:?usage: Fuzz/run.sh tnef|mime [SECONDS]}"
seconds="${2:-60}"
# Each target starts libFuzzer from the `<module>_main` entry point SwiftPM links (LLVMFuzzerRunDriver).
swift build -c release --scratch-path .build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
    -Xswiftc -g --product "fuzz-$target" >&2
work=".work/$target"
mkdir -p "$work/corpus" artifacts
case "$target" in
    tnef) seeds=(../Tests/Fixtures/tnef ../../shared/corpus/jstedfast-MimeKit/UnitTests/TestData/tnef) ;;
    mime) seeds=(../Samples ../../shared/corpus/jstedfast-MimeKit/UnitTests/TestData/messages ../../shared/corpus/apache-james-mime4j) ;;
    *) echo "run.sh: unknown target $target" >&2; exit 64 ;;
esac
existing=()
for s in "${seeds[@]}"; do [ -d "$s" ] && existing+=("$s"); done
".build/release/fuzz-$target" "$work/corpus" "${existing[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=1048576 -artifact_prefix=artifacts/ -print_final_stats=1
