#!/usr/bin/env bash
# The benchmark suite of issue #7, one command:
#
#   Benchmarks/suite.sh --count 20000            # build spearscan (release), make the spool if missing, measure all
#
# On one generated spool (Benchmarks/spool/make_spool.py) it measures, one after the other so they never share the
# 2 cores: the floor (cat and sha256sum over the .eml files), the Python pipeline (stdlib email + python-magic +
# libarchive-c), eml-parser, ripmime, spearscan batch into SQLite (--jobs 2), spearscan batch to JSON lines
# without a store (when the build has it), and spearscan scan latency per message (p50/p99, one process per
# message). Wall seconds and peak RSS come from /usr/bin/time -f '%e %M'. It prints one table and writes it to
# Benchmarks/results/latest.md. A tool that is missing (no release binary yet, no `batch` command, ripmime not
# installed) is reported as n/a; the suite carries on.
#
# Options:
#   --count N          messages in the spool (default 20000)
#   --seed S           generator seed (default 1)
#   --spool DIR        where the spool lives (default Benchmarks/.work/spool-N-sS; generated when missing)
#   --jobs J           workers for every parallel tool (default 2)
#   --latency-sample K messages timed one by one with `spearscan scan` (default 200)
#   --no-build         do not run `swift build -c release` (use the binary that is there)
#   --skip-slow        skip the Python pipeline and eml-parser (quick runs while working on spearscan)
#   --memory-flat M    also run spearscan batch over a second spool of M messages (e.g. 100000) and report
#                      peak RSS of both runs (memory must not grow with the spool)
#   --timeout SECS     per-tool time limit (default 7200)
#   --pairs K          issue #5's target measured K times back to back: sha256sum, then spearscan batch into
#                      SQLite, over the same files (default 3). This shared machine's speed drifts by ±25 % within
#                      minutes, so each pair is compared on its own and the median ratio is reported.
#   --accuracy N       issue #13's accuracy step, run by default right after the build: a labelled spool of N
#                      messages (default 3000; 0 skips it) in Benchmarks/.work/accuracy-N-sS, spearscan batch
#                      --format jsonl --offline without a store over it, then spool/evaluate.py: per-message
#                      precision/recall of the verdicts, false-alarm rate, not_inspected by kind, sender-spoof
#                      precision/recall by technique, every miss and false alarm. Written to
#                      Benchmarks/results/accuracy.txt and accuracy.json. Then the same batch into a fresh store
#                      (results/raw/accuracy.db), which learns from the spool at its end (issue #14: MX operators,
#                      correspondents, their names), and evaluate.py --db over it: accuracy-spool.txt and .json;
#                      both figures ("one message" and "with spool learning") are printed side by side.
#   --accuracy-only    the build and the accuracy step only (no speed measurements)
#   --accuracy-spool D where the labelled spool lives (default Benchmarks/.work/accuracy-N-sS; made when missing)
#   --baseline BIN     issue #15's rule (no result may change): also batch the spool with BIN (e.g. a release build
#                      of the commit before an optimisation) and compare its store with this build's, row by row
#                      (Benchmarks/store_identity.py); the --jobs 1 store is always compared. Results in
#                      Benchmarks/results/store-identity.txt.
#   --no-identity      skip those comparisons
#   --dns-pairs K      issue #15's live-DNS target: Benchmarks/dns/serve.py serves the spool's zones (DKIM keys, DMARC,
#                      SPF with includes, a and mx; dnsmasq behind a proxy adding --dns-delay ms, default 20, to each
#                      answer), then K alternated pairs of spearscan batch --offline and batch --dns-server into SQLite
#                      (default 3; 0 skips); with --baseline, the baseline binary with DNS once more. Results in
#                      Benchmarks/results/dns.txt and the table.
#   --dns-delay MS     the round trip the DNS proxy adds (default 20)
#
# Needs: python3 (3.11), pip install -r Benchmarks/compare/requirements.txt, apt-get install -y ripmime time.
# Environment: SPEARSCAN=/path/to/spearscan uses that binary instead of .build/release/spearscan.
# Output: Benchmarks/results/latest.md, raw logs in Benchmarks/results/raw/ (not committed).
set -euo pipefail

COUNT=20000 SEED=1 SPOOL="" JOBS=2 SAMPLE=200 BUILD=1 SKIP_SLOW=0 MEMFLAT=0 TMO=7200 PAIRS=3 ACC_COUNT=3000 ACC_ONLY=0 ACC=""
IDENTITY=1 BASELINE="" DNS_PAIRS=3 DNS_DELAY=20
while [ $# -gt 0 ]; do
    case "$1" in
        --count) COUNT=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --spool) SPOOL=$2; shift 2 ;;
        --jobs) JOBS=$2; shift 2 ;;
        --latency-sample) SAMPLE=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --skip-slow) SKIP_SLOW=1; shift ;;
        --memory-flat) MEMFLAT=$2; shift 2 ;;
        --timeout) TMO=$2; shift 2 ;;
        --pairs) PAIRS=$2; shift 2 ;;
        --accuracy) ACC_COUNT=$2; shift 2 ;;
        --accuracy-only) ACC_ONLY=1; shift ;;
        --accuracy-spool) ACC=$2; shift 2 ;;
        --baseline) BASELINE=$2; shift 2 ;;
        --no-identity) IDENTITY=0; shift ;;
        --dns-pairs) DNS_PAIRS=$2; shift 2 ;;
        --dns-delay) DNS_DELAY=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
        *) echo "suite.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$BENCH")"
SPOOL="${SPOOL:-$BENCH/.work/spool-$COUNT-s$SEED}"
RAW="$BENCH/results/raw"
BIN="${SPEARSCAN:-$REPO/.build/release/spearscan}"  # SPEARSCAN=/path/to/binary overrides
TIME=/usr/bin/time
mkdir -p "$RAW"
ROWS="$RAW/rows.tsv"
# Nothing from an earlier run may end up in this run's table or be mistaken for its logs.
rm -f "$RAW"/*.time "$RAW"/*.out "$RAW"/*.err "$RAW"/*.jsonl "$RAW/latency.json" "$RAW/memflat.tsv" "$RAW/pairs.tsv" "$RAW"/bench.db* \
    "$RAW"/accuracy.db*
: > "$ROWS"

[ -x "$TIME" ] || { echo "suite.sh: $TIME missing: apt-get install -y time" >&2; exit 2; }

# --- 1. spearscan release build ----------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
    if command -v swift >/dev/null; then
        echo "== swift build -c release" >&2
        (cd "$REPO" && swift build -c release --product spearscan) >"$RAW/build.log" 2>&1 \
            || echo "suite.sh: release build failed (see $RAW/build.log); spearscan rows will be n/a" >&2
    else
        echo "suite.sh: swift not found; spearscan rows will be n/a" >&2
    fi
fi

# --- 2. the spool ------------------------------------------------------------------------------------------------
make_spool() {  # make_spool COUNT DIR [FORMATS]; a spool from before labels.jsonl (or its `learn` field) existed is made again
    if [ ! -f "$2/truth.json" ] || [ ! -f "$2/labels.jsonl" ] || ! head -n 1 "$2/labels.jsonl" | grep -q '"learn"'; then
        echo "== make_spool.py --count $1 --seed $SEED --out $2" >&2
        rm -rf "$2"
        python3 "$BENCH/spool/make_spool.py" --count "$1" --seed "$SEED" --out "$2" --formats "${3:-maildir,mbox,eml}"
    fi
}
# --- 2a. accuracy (issue #13): labelled spool -> spearscan batch jsonl -> evaluate.py ---------------------------------
if [ "$ACC_COUNT" != 0 ]; then
    ACC="${ACC:-$BENCH/.work/accuracy-$ACC_COUNT-s$SEED}"
    make_spool "$ACC_COUNT" "$ACC" eml
    if [ -x "$BIN" ] && acc_help=$("$BIN" batch --help 2>&1); then
        nostore=(--no-db)
        if grep -q -- '--no-store' <<<"$acc_help"; then nostore=(--no-store); fi
        acc_off=()
        if grep -q -- '--offline' <<<"$acc_help"; then acc_off=(--offline); fi
        echo "== accuracy: spearscan batch ${nostore[*]} --format jsonl ${acc_off[*]} over $ACC_COUNT labelled messages" >&2
        rc=0
        "$BIN" batch "${nostore[@]}" --format jsonl "${acc_off[@]}" --jobs "$JOBS" --no-progress "$ACC/eml" \
            >"$RAW/accuracy.jsonl" 2>"$RAW/accuracy.err" || rc=$?
        acc_one="" acc_spool=""
        if [ "$rc" -le 1 ]; then
            python3 "$BENCH/spool/evaluate.py" "$ACC/labels.jsonl" "$RAW/accuracy.jsonl" --json "$BENCH/results/accuracy.json" \
                | tee "$BENCH/results/accuracy.txt" | sed -n '1,60p'
            echo "suite.sh: accuracy written to $BENCH/results/accuracy.txt (and .json)" >&2
            acc_one="$BENCH/results/accuracy.json"
        else
            echo "suite.sh: accuracy: spearscan batch failed (exit $rc; see $RAW/accuracy.err)" >&2
        fi
        # With spool learning (issue #14): the same messages into a fresh store; the batch learns at its end (MX
        # operators, correspondents, their names) and judges again what that changes; evaluate.py reads the store.
        rm -f "$RAW/accuracy.db" "$RAW/accuracy.db-wal" "$RAW/accuracy.db-shm" \
            "$BENCH/results/accuracy-spool.txt" "$BENCH/results/accuracy-spool.json"
        echo "== accuracy: spearscan batch --db ${acc_off[*]} (a store: spool learning) over $ACC_COUNT labelled messages" >&2
        rc=0
        "$BIN" batch --db "$RAW/accuracy.db" "${acc_off[@]}" --jobs "$JOBS" --no-progress "$ACC/eml" \
            >"$RAW/accuracy-db.out" 2>"$RAW/accuracy-db.err" || rc=$?
        if [ "$rc" -le 1 ] && [ -f "$RAW/accuracy.db" ]; then
            python3 "$BENCH/spool/evaluate.py" "$ACC/labels.jsonl" --db "$RAW/accuracy.db" --json "$BENCH/results/accuracy-spool.json" \
                >"$BENCH/results/accuracy-spool.txt"
            echo "suite.sh: accuracy with spool learning written to $BENCH/results/accuracy-spool.txt (and .json)" >&2
            acc_spool="$BENCH/results/accuracy-spool.json"
        else
            echo "suite.sh: accuracy: spearscan batch --db failed (exit $rc; see $RAW/accuracy-db.err)" >&2
        fi
        python3 - "$acc_one" "$acc_spool" <<'PY'
import json, sys
rows = [("one message (--no-store, jsonl)", sys.argv[1]), ("with spool learning (--db)", sys.argv[2])]
f = lambda x: "n/a" if x is None else f"{x:.4f}"
pc = lambda x: "n/a" if x is None else f"{100 * x:.2f} %"
print("\naccuracy, one message vs with spool learning:")
print(f"  {'':34s}{'spoofs shown P / R':>20s}{'all spoofs P / R':>20s}{'benign suspicious':>19s}{'malicious R':>13s}   all-spoof recall by learn")
for name, path in rows:
    if not path:
        print(f"  {name:34s}{'n/a':>20s}")
        continue
    s = json.load(open(path, encoding="utf-8"))
    sp, sa = s["spoof"], s.get("spoof_all", {})
    bl = sa.get("by_learn", {})
    learn = ", ".join(f"{k} {bl[k].get('spoofed_true', 0)}/{bl[k].get('n', 0)}" for k in ("null", "trust", "correspondents", "names") if k in bl)
    print(f"  {name:34s}{f(sp['precision']) + ' / ' + f(sp['recall']):>20s}{f(sa.get('precision')) + ' / ' + f(sa.get('recall')):>20s}"
          f"{pc(s['benign']['false_alarm_rate']):>19s}{f(s['malicious']['recall']):>13s}   {learn}")
print(f"  {'targets':34s}{'>= 0.98 / >= 0.95':>20s}{'>= 0.98 / >= 0.90':>20s}{'<= 0.50 %':>19s}")
PY
    else
        echo "suite.sh: accuracy: no $BIN with a batch command; skipped" >&2
    fi
fi
[ "$ACC_ONLY" = 1 ] && exit 0

make_spool "$COUNT" "$SPOOL"
EML="$SPOOL/eml"

# --- 3. measuring --------------------------------------------------------------------------------------------------
# measure NAME NOTE CMD...: run CMD under /usr/bin/time (peak RSS of the largest process) with a time limit,
# stdout to a log, and append a row. Wall time comes from date +%s%N around it (time's %e has 10 ms steps). A non-zero exit is "failed", except for spearscan, whose exit
# status 1 means "something suspicious found".
measure() {
    local name=$1 note=$2; shift 2
    local slug; slug=$(echo "$name" | tr -c 'A-Za-z0-9\n' '_')
    echo "== $name" >&2
    local rc=0 t0 t1 secs rss
    t0=$(date +%s%N)
    "$TIME" -f '%e %M' -o "$RAW/$slug.time" timeout "$TMO" "$@" >"$RAW/$slug.out" 2>"$RAW/$slug.err" || rc=$?
    t1=$(date +%s%N)
    if [ "$rc" = 0 ] || { [ "$rc" = 1 ] && [[ "$name" == spearscan* ]]; }; then
        read -r _ rss < <(tail -n 1 "$RAW/$slug.time")
        secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
        printf '%s\t%s\t%s\tok\t%s\n' "$name" "$secs" "$rss" "$note" >>"$ROWS"
    else
        echo "suite.sh: $name failed (exit $rc; see $RAW/$slug.err)" >&2
        printf '%s\t\t\tfailed\texit %s: %s\n' "$name" "$rc" "$note" >>"$ROWS"
    fi
}
na() { printf '%s\t\t\tn/a\t%s\n' "$1" "$2" >>"$ROWS"; echo "== $1: n/a ($2)" >&2; }

# The file list every floor tool reads: sorted, NUL-separated, made once (outside the timing).
LIST="$RAW/files.list0"
(cd "$EML" && find . -type f -name '*.eml' -print0 | sort -z) >"$LIST"
# Warm the page cache once so that every tool reads from memory, not from disk.
(cd "$EML" && xargs -0 cat <"$LIST" >/dev/null)

measure "cat" "floor: read every file" bash -c 'cd "$1" && xargs -0 cat <"$2" >/dev/null' _ "$EML" "$LIST"
measure "sha256sum" "floor: one process" bash -c 'cd "$1" && xargs -0 sha256sum <"$2" >/dev/null' _ "$EML" "$LIST"
measure "sha256sum -P $JOBS" "floor: xargs -P $JOBS" bash -c 'cd "$1" && xargs -0 -P "$3" -n 500 sha256sum <"$2" >/dev/null' _ "$EML" "$LIST" "$JOBS"

if [ "$SKIP_SLOW" = 0 ]; then
    measure "python pipeline" "email+python-magic+libarchive-c, Pool($JOBS)" \
        python3 "$BENCH/compare/python_pipeline.py" --jobs "$JOBS" --out "$RAW/python_pipeline.jsonl" "$EML"
    if python3 -c 'import eml_parser' 2>/dev/null; then
        measure "eml-parser" "defaults (attachments decoded+hashed, no unpacking), Pool($JOBS)" \
            python3 "$BENCH/compare/eml_parser_run.py" --jobs "$JOBS" --out "$RAW/eml_parser.jsonl" "$EML"
    else
        na "eml-parser" "pip install eml-parser"
    fi
else
    na "python pipeline" "--skip-slow"
    na "eml-parser" "--skip-slow"
fi
if command -v ripmime >/dev/null; then
    measure "ripmime" "one process per message, parts hashed, $JOBS at a time" \
        python3 "$BENCH/compare/ripmime_run.py" --jobs "$JOBS" --out "$RAW/ripmime.jsonl" "$EML"
else
    na "ripmime" "apt-get install -y ripmime"
fi

# spearscan: only what this build has. `batch` is issue #5's command; until it exists the rows say n/a.
has_batch=0 batch_help=""
if [ -x "$BIN" ] && batch_help=$("$BIN" batch --help 2>&1); then has_batch=1; fi
offline=()
if [ "$has_batch" = 1 ] && grep -q -- '--offline' <<<"$batch_help"; then offline=(--offline); fi  # no DNS in a benchmark
if [ "$has_batch" = 1 ]; then
    rm -f "$RAW/bench.db" "$RAW/bench.db-wal" "$RAW/bench.db-shm"
    measure "spearscan batch (SQLite)" "--db, --jobs $JOBS" "$BIN" batch --db "$RAW/bench.db" --jobs "$JOBS" "${offline[@]}" "$EML"
    if grep -q -- '--no-db' <<<"$batch_help" && grep -q -- 'jsonl' <<<"$batch_help"; then
        measure "spearscan batch (jsonl)" "--format jsonl --no-db, --jobs $JOBS" \
            "$BIN" batch --format jsonl --no-db --jobs "$JOBS" "${offline[@]}" "$EML"
        # Issue #20: one set of linking rules, so the report from the store and the report from the JSON Lines
        # (in-memory campaigns) must be the same, with and without near-identical families.
        # PPAP pairing and spool learning (rescoring) are steps of the store alone (JSON Lines without a store are
        # written as each message is scanned), so the store compared is one made without them.
        jl="$RAW/spearscan_batch__jsonl_.out"
        parity="$RAW/bench.db"
        if grep -q -- '--ppap-window' <<<"$batch_help"; then
            parity="$RAW/parity.db"
            rm -f "$parity" "$parity-wal" "$parity-shm"
            no_learn=()
            if grep -q -- '--no-learn' <<<"$batch_help"; then no_learn=(--no-learn); fi
            "$BIN" batch --db "$parity" --ppap-window 0 "${no_learn[@]}" --jobs "$JOBS" "${offline[@]}" "$EML" >/dev/null 2>&1 || true
        fi
        if [ -s "$jl" ] && [ -f "$parity" ]; then
            : > "$BENCH/results/linker-parity.txt"
            for v in "" "--scope all" "--link-similar" "--scope all --link-similar"; do
                # shellcheck disable=SC2086
                if cmp -s <("$BIN" report --db "$parity" --format json $v) <("$BIN" report --input "$jl" --format json $v); then
                    echo "report --db = report --input ${v:-(defaults)}: identical" >>"$BENCH/results/linker-parity.txt"
                else
                    echo "report --db = report --input ${v:-(defaults)}: DIFFERENT" >>"$BENCH/results/linker-parity.txt"
                    echo "suite.sh: the store and the JSON Lines report disagree (${v:-defaults}): the two campaign indexes diverged" >&2
                fi
            done
        fi
    else
        na "spearscan batch (jsonl)" "this build has no --format jsonl --no-db"
    fi
else
    na "spearscan batch (SQLite)" "no $BIN with a batch command"
    na "spearscan batch (jsonl)" "no $BIN with a batch command"
fi
if [ -x "$BIN" ]; then
    scan_offline=()
    if "$BIN" scan --help 2>&1 | grep -q -- '--offline'; then scan_offline=(--offline); fi
    echo "== spearscan scan latency ($SAMPLE messages, one process each)" >&2
    python3 "$BENCH/compare/latency.py" --sample "$SAMPLE" --out "$RAW/latency.json" --path "$EML" \
        -- "$BIN" scan --format json "${scan_offline[@]}" {} >/dev/null || echo "suite.sh: latency run failed" >&2
fi

# --- 2c. issue #15's rule: no result may change. The store of the SQLite batch above (--jobs J) against one made
# with --jobs 1, and against one made by a baseline binary (--baseline BIN, e.g. a release build of the commit
# before an optimisation): Benchmarks/store_identity.py compares them row by row.
if [ "$has_batch" = 1 ] && [ -f "$RAW/bench.db" ] && [ "$IDENTITY" = 1 ]; then
    : >"$BENCH/results/store-identity.txt"
    identity() {  # identity LABEL BINARY JOBS
        local db="$RAW/identity.db"
        rm -f "$db" "$db-wal" "$db-shm"
        echo "== store identity: $1" >&2
        local rc=0
        "$2" batch --db "$db" --jobs "$3" "${offline[@]}" --no-progress "$EML" >/dev/null 2>"$RAW/identity.err" || rc=$?
        if [ "$rc" -gt 1 ]; then
            echo "$1: batch failed (exit $rc)" >>"$BENCH/results/store-identity.txt"
            return
        fi
        { echo "== $1"; python3 "$BENCH/store_identity.py" "$db" "$RAW/bench.db" || true; } >>"$BENCH/results/store-identity.txt"
        rm -f "$db" "$db-wal" "$db-shm"
    }
    identity "--jobs 1 vs --jobs $JOBS (this build)" "$BIN" 1
    [ -n "$BASELINE" ] && identity "baseline $BASELINE vs this build" "$BASELINE" "$JOBS"
    grep -E '^(==|stores)' "$BENCH/results/store-identity.txt" >&2
fi

# --- 3a. issue #5's target: spearscan batch into SQLite at least half of sha256sum's MB/s, measured back to back -----
if [ "$has_batch" = 1 ] && [ "$PAIRS" -gt 0 ]; then
    : >"$RAW/pairs.tsv"
    for i in $(seq "$PAIRS"); do
        echo "== pair $i/$PAIRS: sha256sum, then spearscan batch (SQLite)" >&2
        t0=$(date +%s%N)
        (cd "$EML" && xargs -0 sha256sum <"$LIST" >/dev/null)
        t1=$(date +%s%N)
        rm -f "$RAW/pair.db" "$RAW/pair.db-wal" "$RAW/pair.db-shm"
        rc=0
        "$BIN" batch --db "$RAW/pair.db" --jobs "$JOBS" "${offline[@]}" --no-progress "$EML" >/dev/null 2>"$RAW/pair.err" || rc=$?
        t2=$(date +%s%N)
        if [ "$rc" -le 1 ]; then
            awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.3f\t%.3f\n", (b - a) / 1e9, (c - b) / 1e9 }' >>"$RAW/pairs.tsv"
        else
            echo "suite.sh: pair $i: spearscan batch failed (exit $rc; see $RAW/pair.err)" >&2
        fi
    done
    rm -f "$RAW/pair.db" "$RAW/pair.db-wal" "$RAW/pair.db-shm"
fi

# --- 3c. issue #15's live-DNS target: batch with DNS at most 1.2x the time of --offline ----------------------------
rm -f "$RAW/dns.tsv"
if [ "$has_batch" = 1 ] && [ "$DNS_PAIRS" -gt 0 ] && [ -x /usr/sbin/dnsmasq ] && grep -q -- '--dns-server' <<<"$batch_help"; then
    echo "== live DNS: serve.py (delay $DNS_DELAY ms), $DNS_PAIRS pairs of batch --offline / --dns-server" >&2
    python3 "$BENCH/dns/serve.py" --spool "$EML" --delay-ms "$DNS_DELAY" >"$RAW/dns-serve.out" 2>"$RAW/dns-serve.err" &
    dns_pid=$!
    for _ in $(seq 100); do grep -q '^PORT' "$RAW/dns-serve.out" 2>/dev/null && break; sleep 0.2; done
    dns_port=$(awk '/^PORT/ { print $2 }' "$RAW/dns-serve.out")
    if [ -n "$dns_port" ]; then
        : >"$RAW/dns.tsv"
        dns_batch() {  # dns_batch BINARY ARGS...: prints wall seconds; the summary goes to dns-batch.out
            local bin=$1; shift
            rm -f "$RAW/dns.db" "$RAW/dns.db-wal" "$RAW/dns.db-shm"
            local t0 t1 rc=0
            t0=$(date +%s%N)
            "$bin" batch --db "$RAW/dns.db" --jobs "$JOBS" --no-progress "$@" "$EML" >"$RAW/dns-batch.out" 2>&1 || rc=$?
            t1=$(date +%s%N)
            [ "$rc" -le 1 ] || echo "suite.sh: dns batch failed (exit $rc)" >&2
            awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
        }
        for i in $(seq "$DNS_PAIRS"); do
            off=$(dns_batch "$BIN" --offline)
            on=$(dns_batch "$BIN" --dns-server "127.0.0.1:$dns_port")
            printf '%s\t%s\t%s\n' "$off" "$on" "$(grep '^dns: ' "$RAW/dns-batch.out" | head -n 1)" >>"$RAW/dns.tsv"
        done
        if [ -n "$BASELINE" ]; then
            base=$(dns_batch "$BASELINE" --dns-server "127.0.0.1:$dns_port")
            printf 'baseline\t%s\n' "$base" >>"$RAW/dns.tsv"
        fi
        rm -f "$RAW/dns.db" "$RAW/dns.db-wal" "$RAW/dns.db-shm"
        python3 - "$RAW/dns.tsv" "$DNS_DELAY" "$(awk '/^PORT/ { print $4 }' "$RAW/dns-serve.out")" "$BENCH/results/dns.txt" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
pairs = [r for r in rows if r[0] != "baseline"]
base = [float(r[1]) for r in rows if r[0] == "baseline"]
ratios = [float(on) / float(off) for off, on, *_ in pairs]
out = [f"Live DNS (issue #15): dnsmasq serving {sys.argv[3]} records of the spool's domains, {sys.argv[2]} ms added to every answer.",
       "offline s\tdns s\tratio\tthe batch's dns line"]
out += [f"{off}\t{on}\t{float(on) / float(off):.2f}\t{rest[0] if rest else ''}" for off, on, *rest in pairs]
out.append(f"median ratio {statistics.median(ratios):.2f} (target <= 1.2)")
if base:
    out.append(f"baseline binary with DNS: {base[0]:.3f} s ({base[0] / statistics.median(float(p[0]) for p in pairs):.2f}x this build's --offline)")
open(sys.argv[4], "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY
    else
        echo "suite.sh: dns/serve.py did not start (see $RAW/dns-serve.err)" >&2
    fi
    kill "$dns_pid" 2>/dev/null || true
    wait "$dns_pid" 2>/dev/null || true
fi

# --- 3b. stage costs in process: MIME parse MB/s, scan p50/p99 without process start-up, unpack+classify per file --
BENCHBIN="$BENCH/.build/release/spearscan-bench"
if [ "$BUILD" = 1 ]; then
    # The benchmark package goes stale when the parent package changes (its cached source lists miss new files).
    rm -f "$BENCH/.build/build.db" "$BENCH/.build/release.yaml" "$BENCH/.build/release/description.json"
    (cd "$BENCH" && swift build -c release --product spearscan-bench) >&2 || echo "suite.sh: spearscan-bench did not build" >&2
fi
rm -f "$RAW/stages.txt"
if [ -x "$BENCHBIN" ]; then
    echo "== spearscan stage costs (spearscan-bench --spool, 1,000 messages)" >&2
    "$BENCHBIN" --spool "$EML" --sample 1000 >"$RAW/stages.txt" 2>&1 || echo "suite.sh: stage bench failed" >&2
    if "$BENCHBIN" --stages /nonexistent 2>&1 | grep -q '^stages:'; then  # a bench that has the breakdown
        echo "== spearscan per-stage breakdown (spearscan-bench --stages, 5,000 messages under 15 KB, one core)" >&2
        taskset -c 0 "$BENCHBIN" --stages "$EML" --sample 5000 >>"$RAW/stages.txt" 2>&1 || echo "suite.sh: stage breakdown failed" >&2
    fi
fi

# --- 4. memory flatness: the same batch over a bigger spool --------------------------------------------------------
if [ "$MEMFLAT" != 0 ]; then
    if [ "$has_batch" = 1 ]; then
        BIG="$BENCH/.work/spool-$MEMFLAT-s$SEED"
        make_spool "$MEMFLAT" "$BIG" eml
        : >"$RAW/memflat.tsv"
        for spool in "$SPOOL" "$BIG"; do
            rm -f "$RAW/flat.db" "$RAW/flat.db-wal" "$RAW/flat.db-shm"
            rc=0
            "$TIME" -f '%e %M' -o "$RAW/flat.time" timeout "$TMO" "$BIN" batch --db "$RAW/flat.db" --jobs "$JOBS" "${offline[@]}" "$spool/eml" \
                >/dev/null 2>"$RAW/flat.err" || rc=$?
            n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["count"])' "$spool/truth.json")
            read -r secs rss < <(tail -n 1 "$RAW/flat.time")
            if [ "$rc" -le 1 ]; then
                printf '%s\t%s MB (%s s)\n' "$n" "$((rss / 1024))" "$secs" >>"$RAW/memflat.tsv"
            else
                printf '%s\tfailed (exit %s)\n' "$n" "$rc" >>"$RAW/memflat.tsv"
            fi
        done
        rm -f "$RAW/flat.db" "$RAW/flat.db-wal" "$RAW/flat.db-shm"
    else
        printf 'n/a\tno batch command\n' >"$RAW/memflat.tsv"
    fi
fi

# --- 5. the table ----------------------------------------------------------------------------------------------------
python3 "$BENCH/compare/table.py" "$ROWS" "$SPOOL" "$BENCH/results/latest.md" "$RAW/latency.json" \
    "$([ -f "$RAW/memflat.tsv" ] && echo "$RAW/memflat.tsv")" "$([ -s "$RAW/pairs.tsv" ] && echo "$RAW/pairs.tsv")"
if [ -s "$RAW/dns.tsv" ] && [ -f "$BENCH/results/dns.txt" ]; then
    { echo; echo '```'; cat "$BENCH/results/dns.txt"; echo '```'; } >>"$BENCH/results/latest.md"
fi
if [ -s "$RAW/stages.txt" ]; then
    { echo; echo "Stage costs in process, one core (\`spearscan-bench --spool\`):"; echo; echo '```'; cat "$RAW/stages.txt"; echo '```'; } \
        >>"$BENCH/results/latest.md"
    cat "$RAW/stages.txt"
fi
echo "suite.sh: table written to $BENCH/results/latest.md" >&2
