#!/usr/bin/env bash
# Builds the libFuzzer targets (AddressSanitizer, release) and runs them.
#   Fuzz/run.sh TARGET [SECONDS]     one target for SECONDS (default 60); TARGET is one of the names below
#   Fuzz/run.sh --smoke [SECONDS]    every target for SECONDS each (default 30), two at a time, with a fixed seed
#                                    (FUZZ_SEED, default 1): what CI runs
#   Fuzz/run.sh --build              build only
#   Fuzz/run.sh --list               the target names
# Extra libFuzzer flags go in FUZZ_FLAGS (e.g. FUZZ_FLAGS="-jobs=2 -workers=2"). FUZZ_BIN=DIR runs the binaries
# in DIR without building (copy them there for runs of hours, so that a rebuild does not replace them). Each target keeps its growing
# corpus in Fuzz/.work/TARGET/corpus, seeded from Samples/, the test fixtures, ../shared/corpus and the seeds
# make_seeds.py writes. Crashes, property violations, hangs (over 10 s) and inputs that need over 2 GB are written
# to Fuzz/artifacts/TARGET-*; a target that finds one exits non-zero, and so does this script.
set -euo pipefail
cd "$(dirname "$0")"
targets=(mime header transfer unpack tnef classify dkim spf authres dns mbox gzip scan password learn indicators filelinks milter)
shared=../../shared/corpus

build() {  # build [TARGET]: every target, or one
    # SwiftPM keeps the build plan of the path dependency (the spearscan package) and does not notice source files
    # added to it since: an incremental build then fails with "cannot find type" for the new file's types. The plan
    # is remade from scratch (a second) when it is missing; the objects stay and the build stays incremental.
    rm -f .build/release.yaml
    swift build -c release --scratch-path .build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
        -Xswiftc -enable-testing -Xswiftc -g ${1:+--product "fuzz-$1"} >&2
}

known() { local t; for t in "${targets[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }

seeds() {  # seeds TARGET: the seed directories that exist
    local dirs
    case "$1" in
        mime|scan) dirs=(../Samples ../Tests/Fixtures/dkim ../Tests/Fixtures/sender "$shared/jstedfast-MimeKit/UnitTests/TestData/messages"
                         "$shared/apache-james-mime4j" "$shared/GNOME-gmime") ;;
        header|transfer|spf|dns|mbox|gzip|password|milter) dirs=(.work/seeds/"$1") ;;
        indicators) dirs=(.work/seeds/indicators ../Samples) ;;
        filelinks) dirs=(.work/seeds/filelinks) ;;
        unpack|classify) dirs=(../Tests/Fixtures/files) ;;
        tnef) dirs=(../Tests/Fixtures/tnef "$shared/jstedfast-MimeKit/UnitTests/TestData/tnef") ;;
        dkim) dirs=(../Tests/Fixtures/dkim) ;;
        authres) dirs=(../Tests/Fixtures/sender ../Tests/Fixtures/dkim ../Samples) ;;
        learn) dirs=(.work/seeds/learn ../Tests/Fixtures/sender ../Samples) ;;
    esac
    for d in "${dirs[@]}"; do [ -d "$d" ] && echo "$d"; done
}

dictionary() {
    case "$1" in
        mime|header|transfer|mbox|scan|password) echo dict/mime.dict ;;
        unpack|classify|tnef|gzip) echo dict/archive.dict ;;
        dkim|spf|authres|learn) echo dict/sender.dict ;;
        indicators) echo dict/indicators.dict ;;
        filelinks) echo dict/filelinks.dict ;;
        *) echo "" ;;
    esac
}

run() {  # run TARGET SECONDS
    local target=$1 seconds=$2 dict
    local work=".work/$target"
    mkdir -p "$work/corpus" artifacts
    dict=$(dictionary "$target")
    mapfile -t dirs < <(seeds "$target")
    local flags=()
    read -ra flags <<<"${FUZZ_FLAGS:-}"
    "${FUZZ_BIN:-.build/release}/fuzz-$target" "$work/corpus" "${dirs[@]}" ${dict:+-dict="$dict"} -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -max_len=1048576 -artifact_prefix="artifacts/$target-" -print_final_stats=1 \
        "${flags[@]}" 2>"$work/last.log" || { echo "fuzz-$target: FAILED (Fuzz/$work/last.log, Fuzz/artifacts/)" >&2; tail -40 "$work/last.log" >&2; return 1; }
    local runs cov
    runs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$work/last.log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -ao 'cov: [0-9]*' "$work/last.log" | tail -1 | grep -o '[0-9]*' || echo "?")
    echo "fuzz-$target: ${seconds} s, $runs executions, coverage $cov edges, no crash" >&2
}

usage="usage: Fuzz/run.sh TARGET [SECONDS] | --smoke [SECONDS] | --build | --list (targets: ${targets[*]})"
mode="${1:-}"
case "$mode" in
    --list) printf '%s\n' "${targets[@]}"; exit 0 ;;
    --build|--smoke) ;;
    *) known "$mode" || { echo "run.sh: $usage" >&2; exit 64; } ;;
esac
# Leaks are errors, except one inside Foundation's Process (lsan.supp says why).
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# A fuzzer left running when this script is stopped would hold a core for its whole time: stop them with it.
trap 'jobs -p | xargs -r kill 2>/dev/null' EXIT
python3 make_seeds.py .work/seeds
case "$mode" in
    --build) build ;;
    --smoke)
        build
        seconds="${2:-30}"
        status=0
        # A fixed seed: CI replays the same mutations on every run, so it catches a broken harness or a
        # regression, and a new finding comes from a long run (random seeds), not as a failure of an unrelated change.
        FUZZ_FLAGS="-seed=${FUZZ_SEED:-1} ${FUZZ_FLAGS:-}"
        # Two at a time (the machine has two cores).
        for ((k = 0; k < ${#targets[@]}; k += 2)); do
            run "${targets[k]}" "$seconds" & first=$!
            if ((k + 1 < ${#targets[@]})); then run "${targets[k + 1]}" "$seconds" & second=$!; else second=""; fi
            wait "$first" || status=1
            [ -n "$second" ] && { wait "$second" || status=1; }
        done
        exit $status ;;
    *) [ -n "${FUZZ_BIN:-}" ] || build "$mode"; run "$mode" "${2:-60}" ;;
esac
