#!/usr/bin/env python3
"""Per-message accuracy of spearscan's verdicts against a spool's labels (issue #13). Standard library only.

    python3 Benchmarks/spool/make_spool.py --count 3000 --seed 1 --out /tmp/spool --formats eml
    spearscan batch --no-store --format jsonl --offline /tmp/spool/eml > /tmp/spool.jsonl
    python3 Benchmarks/spool/evaluate.py /tmp/spool/labels.jsonl /tmp/spool.jsonl [--json summary.json]
    # with spool learning (issue #14): a batch into a fresh store, which learns at its end, then the store
    spearscan batch --offline --db /tmp/spool.db /tmp/spool/eml
    python3 Benchmarks/spool/evaluate.py /tmp/spool/labels.jsonl --db /tmp/spool.db [--json summary.json]

LABELS is make_spool.py's labels.jsonl (one line per message: eml path relative to DIR/eml, sha256 of the raw
bytes, kind, technique, headers_show, learn, ...). JSONL is spearscan's output, one object per message; STORE a
spearscan SQLite store (messages.sha256, status, spoofed, source; the findings rows as the reasons). Either is
joined to the labels by sha256, else by the last two components of `source` (NNN/NNNNNN.eml).

It prints:
  * malicious detection: precision and recall of verdict.status == "suspicious" against kind == malicious, and how
    malicious_nosignal fared (no technical signal: a link, or a zip locked with a password that is nowhere);
  * the false-alarm rate: the share of benign messages (every kind but malicious*, spoofed, forwarded_report)
    called suspicious (target <= 0.5 %); forwarded_report (a user forwarding a lure to the security desk) is
    counted on its own: flagging it is correct;
  * not_inspected by kind;
  * sender spoofing: precision and recall of sender.spoofed == true over the spoofs whose headers show them
    (targets: precision >= 0.98, recall >= 0.95), by kind and by technique;
  * the same over all spoofs, those only a spool's history shows included (targets: precision >= 0.98, recall
    >= 0.90), by `learn` (null: one message shows it; trust, correspondents, names: what learning adds);
  * every miss and every false alarm (sha256, eml, kind/technique, reasons), grouped by cause.
Exit status 0 always (it reports, it does not judge).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from collections import Counter, defaultdict

ATTACK = {"malicious", "malicious_nosignal", "spoofed"}
NOT_BENIGN = ATTACK | {"forwarded_report"}
TARGETS = {"false_alarm_rate_max": 0.005, "spoof_precision_min": 0.98, "spoof_recall_min": 0.95,
           "spoof_all_precision_min": 0.98, "spoof_all_recall_min": 0.90}
# labels.jsonl `learn`: what a spool's history adds to one message (issue #14); None: one message shows it.
LEARN = [None, "trust", "correspondents", "names"]
LEARN_WHAT = {None: "one message", "trust": "learned MX operator", "correspondents": "learned correspondents",
              "names": "learned correspondent names"}


def rel_of(source: str | None) -> str | None:
    if not source:
        return None
    parts = source.replace("\\", "/").split("/")
    return "/".join(parts[-2:]) if len(parts) >= 2 else parts[-1]


def reason_text(x) -> str:
    if isinstance(x, str):
        return x
    if isinstance(x, dict):
        for k in ("id", "code", "reason", "kind"):
            if k in x:
                return str(x[k])
    return json.dumps(x, ensure_ascii=False, sort_keys=True)


def reason_ids(rec: dict) -> list[str]:
    v = rec.get("verdict") or {}
    rs = v.get("reasons") or []
    return [reason_text(x) for x in rs]


def status_of(rec: dict) -> tuple[str, bool]:
    """(status, fell_back): verdict.status when the build writes it, else suspicious true -> suspicious."""
    v = rec.get("verdict")
    if isinstance(v, dict) and v.get("status") in ("suspicious", "not_inspected", "clean"):
        return v["status"], False
    if "error" in rec and not v:
        return "error", False
    susp = (v.get("suspicious") if isinstance(v, dict) else None)
    if susp is None:
        susp = rec.get("suspicious")
    return ("suspicious" if susp else "clean"), True


def spoof_of(rec: dict):
    s = rec.get("sender")
    return s.get("spoofed") if isinstance(s, dict) else None


def indicator_ids(rec: dict) -> list[str]:
    s = rec.get("sender")
    if not isinstance(s, dict):
        return []
    return [str(i.get("id")) for i in s.get("indicators") or [] if isinstance(i, dict)]


def open_store(path: str) -> sqlite3.Connection:
    """The store, read-only when SQLite allows it (a WAL store without its -shm file needs a writable open)."""
    try:
        db = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
        db.execute("SELECT 1 FROM messages LIMIT 1")
        return db
    except sqlite3.OperationalError:
        return sqlite3.connect(path)


def columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}


def ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.4f}"


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.2f} %"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("labels", help="labels.jsonl written by make_spool.py")
    ap.add_argument("jsonl", nargs="?", help="spearscan batch --format jsonl output ('-' for standard input)")
    ap.add_argument("--db", metavar="STORE", help="read the verdicts from a spearscan SQLite store instead (after a batch "
                    "with the store, so with what it learned): messages.status/spoofed/sha256/source, findings as reasons")
    ap.add_argument("--json", dest="json_out", help="also write the summary (numbers and lists) as JSON here")
    ap.add_argument("--max-list", type=int, default=200, help="at most this many lines per list printed (default 200)")
    args = ap.parse_args()
    if (args.jsonl is None) == (args.db is None):
        ap.error("give either JSONL (spearscan batch --format jsonl output) or --db STORE")
    if args.db and not Path(args.db).is_file():
        ap.error(f"no store at {args.db}")

    labels: list[dict] = []
    by_sha: dict[str, int] = {}
    by_rel: dict[str, int] = {}
    with open(args.labels, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                lab = json.loads(line)
                by_sha.setdefault(lab["sha256"], len(labels))
                by_rel[lab["eml"]] = len(labels)
                labels.append(lab)

    # Only what the summary needs is kept of each output line (memory stays small on a big spool).
    got: dict[int, dict] = {}
    unmatched = fallback = dup = 0
    db = None

    def label_of(sha, source):
        """The label index of an output: by the raw SHA-256, else by NNN/NNNNNN.eml in its source."""
        i = by_sha.get(sha or "")
        return by_rel.get(rel_of(source) or "") if i is None else i

    if args.db:
        db = open_store(args.db)
        for mid, sha, st, sp, source in db.execute("SELECT id, sha256, status, spoofed, source FROM messages ORDER BY id"):
            i = label_of(sha, source)
            if i is None:
                unmatched += 1
                continue
            if i in got:
                dup += 1
                continue
            got[i] = {"status": st or "clean", "reasons": [], "not_inspected": [], "spoofed": None if sp is None else bool(sp),
                      "indicators": [], "findings": [], "db_id": mid}
    else:
        src = sys.stdin if args.jsonl == "-" else open(args.jsonl, encoding="utf-8", errors="replace")
        for line in src:
            line = line.strip()
            if not line or not line.startswith("{"):
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                unmatched += 1
                continue
            i = label_of(rec.get("sha256"), rec.get("source") or rec.get("path") or rec.get("file"))
            if i is None:
                unmatched += 1
                continue
            if i in got:
                # A batch with a store writes a message again after PPAP or rescoring: the later line supersedes.
                dup += 1
                fallback -= got[i].get("_fallback", 0)
            st, fb = status_of(rec)
            fallback += fb
            v = rec.get("verdict") if isinstance(rec.get("verdict"), dict) else {}
            got[i] = {"status": st, "reasons": reason_ids(rec), "not_inspected": [reason_text(x) for x in v.get("not_inspected") or []],
                      "spoofed": spoof_of(rec), "indicators": indicator_ids(rec),
                      "findings": sorted({str(x.get("id")) for x in rec.get("findings") or [] if isinstance(x, dict)}),
                      "_fallback": fb}
        if src is not sys.stdin:
            src.close()

    def load_findings(ix) -> None:
        """--db: the findings rows of these messages as their reasons (evidence; not_inspected when the row says so)."""
        if db is None:
            return
        want = {got[i]["db_id"]: i for i in ix if i in got}
        if not want:
            return
        kind = "kind" if "kind" in columns(db, "findings") else "'evidence'"  # findings.kind: schema 2 on
        ids = sorted(want)
        for k in range(0, len(ids), 500):
            chunk = ids[k:k + 500]
            q = (f"SELECT message_id, finding_id, evidence, {kind} FROM findings "
                 f"WHERE message_id IN ({','.join('?' * len(chunk))}) ORDER BY message_id, rowid")
            for mid, fid, ev, fkind in db.execute(q, chunk):
                g = got[want[mid]]
                (g["not_inspected"] if fkind == "not_inspected" else g["reasons"]).append(str(fid))
                g.setdefault("evidence", []).append(f"{fid}: {ev}")
        for i in want.values():
            got[i]["findings"] = sorted(set(got[i]["reasons"]))

    def row(i: int) -> dict:
        lab, g = labels[i], got.get(i, {})
        return {"sha256": lab["sha256"], "eml": lab["eml"], "kind": lab["kind"], "technique": lab.get("technique"),
                "variant": lab.get("variant"), "payload": lab.get("payload"), "origin": lab.get("origin"), "learn": lab.get("learn"),
                "status": g.get("status", "missing"), "reasons": g.get("reasons", []), "not_inspected": g.get("not_inspected", []),
                "spoofed": g.get("spoofed"), "indicators": g.get("indicators", []), "findings": g.get("findings", []),
                **({"evidence": g.get("evidence", [])} if db is not None else {})}

    n = len(labels)
    missing = [i for i in range(n) if i not in got]
    status_by_kind: dict[str, Counter] = defaultdict(Counter)
    for i, lab in enumerate(labels):
        status_by_kind[lab["kind"]][got[i]["status"] if i in got else "missing"] += 1

    flagged = [i for i in got if got[i]["status"] == "suspicious"]
    mal = [i for i, l in enumerate(labels) if l["kind"] == "malicious"]
    tp = [i for i in mal if i in got and got[i]["status"] == "suspicious"]
    fn = [i for i in mal if i not in got or got[i]["status"] != "suspicious"]
    flagged_attack = [i for i in flagged if labels[i]["kind"] in NOT_BENIGN]
    benign = [i for i, l in enumerate(labels) if l["kind"] not in NOT_BENIGN]
    benign_seen = [i for i in benign if i in got]
    false_alarms = [i for i in benign_seen if got[i]["status"] == "suspicious"]
    fa_by_origin: dict[str, Counter] = defaultdict(Counter)
    for i in benign_seen:
        c = fa_by_origin[labels[i].get("origin") or "?"]
        c["n"] += 1
        c["suspicious"] += got[i]["status"] == "suspicious"
    nosig = [i for i, l in enumerate(labels) if l["kind"] == "malicious_nosignal"]
    fwd = [i for i, l in enumerate(labels) if l["kind"] == "forwarded_report"]
    ni_by_kind = {k: c.get("not_inspected", 0) for k, c in sorted(status_by_kind.items())}

    # Spoofing: positives are spoofs whose header shows them; negatives every message with no spoof label.
    spoof_pos = [i for i, l in enumerate(labels) if l.get("technique") and l.get("headers_show") is True]
    spoof_hidden = [i for i, l in enumerate(labels) if l.get("technique") and l.get("headers_show") is False]
    no_spoof = [i for i, l in enumerate(labels) if not l.get("technique")]
    s_tp = [i for i in spoof_pos if i in got and got[i]["spoofed"] is True]
    s_fn = [i for i in spoof_pos if not (i in got and got[i]["spoofed"] is True)]
    s_fp = [i for i in no_spoof if i in got and got[i]["spoofed"] is True]
    s_fp_benign = [i for i in s_fp if labels[i]["kind"] not in NOT_BENIGN]
    s_null = sum(1 for i in got if got[i]["spoofed"] is None)
    by_tech: dict[str, Counter] = defaultdict(Counter)
    for i in spoof_pos + spoof_hidden:
        l = labels[i]
        key = l["technique"] + ("" if l["headers_show"] else " (headers do not show it)")
        by_tech[key]["n"] += 1
        by_tech[key]["flagged"] += i in got and got[i]["spoofed"] is True
        by_tech[key]["suspicious"] += i in got and got[i]["status"] == "suspicious"
    spoof_by_kind: dict[str, Counter] = defaultdict(Counter)
    for i, l in enumerate(labels):
        c = spoof_by_kind[l["kind"]]
        c["n"] += 1
        c["labelled_spoof_shown"] += i in spoof_pos
        c["spoofed_true"] += i in got and got[i]["spoofed"] is True

    # All spoofs, those only a spool's history shows included; the same negatives.
    spoof_all = spoof_pos + spoof_hidden
    a_tp = [i for i in spoof_all if i in got and got[i]["spoofed"] is True]
    a_fn = [i for i in spoof_all if not (i in got and got[i]["spoofed"] is True)]
    hidden_fn = [i for i in spoof_hidden if not (i in got and got[i]["spoofed"] is True)]
    by_learn: dict[str, Counter] = {}
    for v in LEARN:
        c = by_learn["null" if v is None else v] = Counter()
        for i in spoof_all:
            if labels[i].get("learn") == v:
                c["n"] += 1
                c["spoofed_true"] += i in got and got[i]["spoofed"] is True
                c["suspicious"] += i in got and got[i]["status"] == "suspicious"
                c["headers_show"] += labels[i].get("headers_show") is True
    for c in by_learn.values():
        c["recall"] = ratio(c["spoofed_true"], c["n"])
    load_findings(set(fn) | set(false_alarms) | set(nosig) | set(s_fn) | set(s_fp) | set(hidden_fn) | set(missing))

    summary = {
        "input": {"store": args.db} if args.db else {"jsonl": args.jsonl},
        "messages": n, "outputs_matched": len(got), "outputs_unmatched": unmatched, "outputs_duplicate": dup,
        "labels_without_output": len(missing),
        "status_fallback": fallback,
        "status_fallback_note": ("verdict.status missing in %d outputs: suspicious=true read as 'suspicious', else 'clean'" % fallback) if fallback else None,
        "malicious": {"n": len(mal), "tp": len(tp), "fn": len(fn), "flagged_total": len(flagged),
                      "precision": ratio(len(tp), len(flagged)),
                      "precision_counting_all_attacks": ratio(len(flagged_attack), len(flagged)),
                      "recall": ratio(len(tp), len(mal))},
        "malicious_nosignal": {"n": len(nosig), "status": dict(status_by_kind.get("malicious_nosignal", {}))},
        "forwarded_report": {"n": len(fwd), "status": dict(status_by_kind.get("forwarded_report", {}))},
        "benign": {"n": len(benign), "scanned": len(benign_seen), "suspicious": len(false_alarms),
                   "false_alarm_rate": ratio(len(false_alarms), len(benign_seen)),
                   "target_max": TARGETS["false_alarm_rate_max"],
                   "by_kind": {k: dict(c) for k, c in sorted(status_by_kind.items()) if k not in NOT_BENIGN},
                   "by_origin": {k: {**c, "rate": ratio(c["suspicious"], c["n"])} for k, c in sorted(fa_by_origin.items())}},
        "not_inspected_by_kind": ni_by_kind,
        "status_by_kind": {k: dict(c) for k, c in sorted(status_by_kind.items())},
        "spoof": {"positives_headers_show": len(spoof_pos), "tp": len(s_tp), "fn": len(s_fn), "fp": len(s_fp),
                  "fp_on_benign": len(s_fp_benign),
                  "precision": ratio(len(s_tp), len(s_tp) + len(s_fp)),
                  "precision_benign_only": ratio(len(s_tp), len(s_tp) + len(s_fp_benign)),
                  "recall": ratio(len(s_tp), len(spoof_pos)),
                  "targets": {"precision_min": TARGETS["spoof_precision_min"], "recall_min": TARGETS["spoof_recall_min"]},
                  "hidden_spoofs": len(spoof_hidden),
                  "hidden_spoofs_flagged": sum(1 for i in spoof_hidden if i in got and got[i]["spoofed"] is True),
                  "spoofed_null": s_null,
                  "by_technique": {k: dict(c) for k, c in sorted(by_tech.items())},
                  "by_kind": {k: dict(c) for k, c in sorted(spoof_by_kind.items())}},
        "spoof_all": {"positives": len(spoof_all), "headers_show": len(spoof_pos), "headers_do_not_show": len(spoof_hidden),
                      "tp": len(a_tp), "fn": len(a_fn), "fp": len(s_fp), "fp_on_benign": len(s_fp_benign),
                      "precision": ratio(len(a_tp), len(a_tp) + len(s_fp)),
                      "precision_benign_only": ratio(len(a_tp), len(a_tp) + len(s_fp_benign)),
                      "recall": ratio(len(a_tp), len(spoof_all)),
                      "targets": {"precision_min": TARGETS["spoof_all_precision_min"], "recall_min": TARGETS["spoof_all_recall_min"]},
                      "by_learn": {k: dict(c) for k, c in by_learn.items()}},
        "lists": {"malicious_missed": [row(i) for i in fn],
                  "false_alarms": [row(i) for i in false_alarms],
                  "nosignal": [row(i) for i in nosig],
                  "spoof_missed": [row(i) for i in s_fn],
                  "spoof_false_alarms": [row(i) for i in s_fp],
                  "hidden_spoof_missed": [row(i) for i in hidden_fn],
                  "missing_output": [row(i) for i in missing]},
    }

    out = []
    p = out.append
    unit = "store rows" if db is not None else "outputs"
    p(f"spearscan accuracy over {n} labelled messages ({len(got)} {unit} matched, {unmatched} unmatched, {len(missing)} labels without output)")
    if db is not None:
        p(f"from the store {args.db} (verdicts as stored after the batch's learning; reasons: its findings rows; no sender indicators)")
    if fallback:
        p(f"NOTE: verdict.status missing in {fallback} outputs: read suspicious=true as 'suspicious', everything else as 'clean'"
          " (no not_inspected status from this build)")
    m = summary["malicious"]
    p("")
    p(f"malicious (n={m['n']}): recall {fmt(m['recall'])} ({m['tp']}/{m['n']}); precision {fmt(m['precision'])} "
      f"({m['tp']}/{m['flagged_total']} flagged); precision counting spoofed/nosignal/forwarded reports as correct "
      f"{fmt(m['precision_counting_all_attacks'])}")
    p(f"malicious_nosignal (n={len(nosig)}): {dict(status_by_kind.get('malicious_nosignal', {}))}")
    p(f"forwarded_report (n={len(fwd)}, flagging is correct): {dict(status_by_kind.get('forwarded_report', {}))}")
    b = summary["benign"]
    p(f"benign called suspicious: {b['suspicious']}/{b['scanned']} = {pct(b['false_alarm_rate'])} (target <= 0.50 %)")
    p("  by origin (campaign-*/ordinary/big: the campaign generator's mail; office: the four organisations' labelled mail): "
      + "; ".join(f"{k} {c['suspicious']}/{c['n']} = {pct(ratio(c['suspicious'], c['n']))}" for k, c in sorted(fa_by_origin.items())))
    p("")
    p("status by kind:")
    stats = ["suspicious", "not_inspected", "clean", "error", "missing"]
    p(f"  {'kind':22s}" + "".join(f"{s:>14s}" for s in stats) + f"{'total':>8s}")
    for k, c in sorted(status_by_kind.items()):
        p(f"  {k:22s}" + "".join(f"{c.get(s, 0):>14d}" for s in stats) + f"{sum(c.values()):>8d}")
    p("")
    s = summary["spoof"]
    p(f"sender spoofing over spoofs whose headers show them (n={s['positives_headers_show']}): "
      f"precision {fmt(s['precision'])} (target >= 0.98), recall {fmt(s['recall'])} (target >= 0.95); "
      f"TP {s['tp']}, FN {s['fn']}, FP {s['fp']} ({s['fp_on_benign']} on benign mail; precision over benign only {fmt(s['precision_benign_only'])})")
    p(f"  spoofs the headers do not show: {s['hidden_spoofs']}, flagged {s['hidden_spoofs_flagged']}; sender.spoofed null in {s_null} outputs")
    p("  by technique:        n  spoofed=true  suspicious")
    for k, c in sorted(by_tech.items()):
        p(f"    {k:48s} {c['n']:4d} {c['flagged']:6d} {c['suspicious']:10d}")
    p("  by kind (spoofed=true / labelled spoofs shown / messages):")
    for k, c in sorted(spoof_by_kind.items()):
        p(f"    {k:22s} {c['spoofed_true']:5d} / {c['labelled_spoof_shown']:4d} / {c['n']:5d}")
    a = summary["spoof_all"]
    p("")
    p(f"sender spoofing over all spoofs (n={a['positives']}, {a['headers_do_not_show']} of them not shown by the headers): "
      f"precision {fmt(a['precision'])} (target >= 0.98), recall {fmt(a['recall'])} (target >= 0.90); "
      f"TP {a['tp']}, FN {a['fn']}, FP {a['fp']} ({a['fp_on_benign']} on benign mail; precision over benign only {fmt(a['precision_benign_only'])})")
    p("  by learn (what shows it):                       n  spoofed=true  suspicious  recall")
    for v in LEARN:
        k = "null" if v is None else v
        c = by_learn[k]
        p(f"    {k + ' (' + LEARN_WHAT[v] + ')':44s} {c['n']:4d} {c['spoofed_true']:6d} {c['suspicious']:10d}    {fmt(c['recall'])}")

    def listing(title: str, rows: list[int], cause) -> None:
        p("")
        p(f"{title}: {len(rows)}")
        groups: dict[str, list[int]] = defaultdict(list)
        for i in rows:
            groups[cause(i)].append(i)
        shown = 0
        for g, ix in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            p(f"  [{len(ix)}] {g}")
            for i in ix:
                if shown >= args.max_list:
                    break
                r = row(i)
                p(f"      {r['sha256'][:16]} {r['eml']} {r['kind']}/{r['technique'] or r['payload'] or r.get('variant') or r['origin']}"
                  f" status={r['status']} reasons={','.join(r['reasons']) or '-'}"
                  + (f" not_inspected={','.join(r['not_inspected'])}" if r['not_inspected'] else "")
                  + (f" sender={','.join(r['indicators'])}" if r['indicators'] else ""))
                for ev in r.get("evidence", [])[:6]:  # --db: what each finding says
                    p(f"          {ev[:160]}")
                shown += 1
        if shown < len(rows):
            p(f"  ... {len(rows) - shown} more in --json")

    listing("malicious missed (by payload / status)", fn,
            lambda i: f"payload={labels[i].get('payload') or labels[i].get('origin')} status={got.get(i, {}).get('status', 'missing')}")
    listing("false alarms on benign mail (by kind / first reason)", false_alarms,
            lambda i: f"{labels[i]['kind']}: {(got[i]['reasons'] or ['(no reason)'])[0]}")
    listing("spoofs missed (by technique / variant)", s_fn,
            lambda i: f"{labels[i]['technique']} variant={labels[i].get('variant')}")
    listing("spoof false alarms (by kind / indicators)", s_fp,
            lambda i: f"{labels[i]['kind']}: {','.join(got[i]['indicators'] if db is None else got[i]['reasons'][:1]) or '-'}")
    listing("spoofs the headers do not show, missed (by learn / technique)", hidden_fn,
            lambda i: f"learn={labels[i].get('learn')} {labels[i]['technique']} variant={labels[i].get('variant')}")
    print("\n".join(out))
    if db is not None:
        db.close()
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as f:
            json.dump(summary, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
