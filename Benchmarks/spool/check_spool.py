#!/usr/bin/env python3
"""Sanity checks for a spool written by make_spool.py (stdlib only):

    python3 Benchmarks/spool/check_spool.py /tmp/spool [--pipeline python_pipeline.jsonl]

* the eml tree, the Maildir and the mboxrd file hold the same N messages byte for byte (the mbox is split on
  "From " lines and its >From escapes undone, so this also checks the escaping round-trips);
* every message parses with the stdlib email package, every text part decodes in its declared charset, and
  every Subject decodes;
* truth.json agrees with the files (counts, campaign recipients taken from the headers);
* with --pipeline FILE (the JSON lines of Benchmarks/compare/python_pipeline.py over DIR/eml): no file hash at
  any depth (attachment or archive member) and no decoded text part links two truth groups (a campaign, or one
  ordinary message), apart from the hashes listed under recurring_benign. This is what makes truth.json exact.
Exits non-zero with a message on the first class of failure; prints a short summary otherwise.
"""

import email
import email.policy
import json
import re
import sys
from email.utils import getaddresses
from pathlib import Path


def split_mboxrd(data: bytes) -> list[bytes]:
    """Messages of an mboxrd file: split at line-start 'From ', drop the separator line and the blank line the
    writer added, and remove one '>' from every ^>+From line."""
    out = []
    starts = [0] + [m.start() + 1 for m in re.finditer(rb"\nFrom ", data)]
    for a, b in zip(starts, starts[1:] + [len(data)]):
        chunk = data[a:b]
        body = chunk[chunk.index(b"\n") + 1:]
        assert body.endswith(b"\n\n"), "message not followed by a blank line"
        body = body[:-1]
        body = re.sub(rb"(?m)^>(>*From )", rb"\1", body)
        out.append(body)
    return out


def cross_links(root: Path, truth: dict, pipeline: Path) -> list[str]:
    recurring = {r["sha256"] for r in truth["recurring_benign"]}
    group = {str(root / r["eml"]): r["campaign"] or f"ordinary:{r['index']}" for r in truth["messages"]}
    seen: dict[str, set] = {}
    def walk(items, g):
        for a in items:
            if a["sha256"] not in recurring and a["size"] > 0:
                seen.setdefault(a["sha256"], set()).add(g)
            walk(a.get("members", []), g)
    for line in pipeline.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        g = group[str(Path(r["file"]))]
        walk(r.get("attachments", []), g)
        for t in r.get("texts", []):
            seen.setdefault("text:" + t["sha256"], set()).add(g)
    bad = [f"{h} links {sorted(gs)[:4]}" for h, gs in sorted(seen.items()) if len(gs) > 1]
    print(f"cross-link check: {len(seen)} distinct hashes, {len(bad)} link two truth groups")
    return bad


def main() -> int:
    root = Path(sys.argv[1])
    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    recs = truth["messages"]
    problems = []
    emls = [(root / r["eml"]).read_bytes() for r in recs]
    if len(list((root / "eml").rglob("*.eml"))) != len(recs):
        problems.append("eml tree holds a different number of files than truth.json")
    if (root / "maildir").exists():
        md = sorted(p for sub in ("cur", "new") for p in (root / "maildir" / sub).iterdir())
        if len(md) != len(recs):
            problems.append(f"maildir holds {len(md)} messages, truth {len(recs)}")
        for r, raw in zip(recs, emls):
            if (root / r["maildir"]).read_bytes() != raw:
                problems.append(f"maildir copy of {r['eml']} differs")
                break
    if (root / "spool.mbox").exists():
        data = (root / "spool.mbox").read_bytes()
        msgs = split_mboxrd(data)
        if len(msgs) != len(recs):
            problems.append(f"mbox splits into {len(msgs)} messages, truth {len(recs)}")
        elif any(a != b for a, b in zip(msgs, emls)):
            problems.append("an mbox message differs from its eml after unescaping")
        escaped = len(re.findall(rb"(?m)^>+From ", data))
        print(f"mbox: {len(msgs)} messages, {escaped} escaped From lines")
    parts = attachments = 0
    for r, raw in zip(recs, emls):
        m = email.message_from_bytes(raw, policy=email.policy.default)
        if m.defects and r["kind"] != "sloppy_mime":  # sloppy_mime is broken on purpose (labels.jsonl says how)
            problems.append(f"{r['eml']}: defects {m.defects}")
        str(m["subject"])
        for p in m.walk():
            parts += 1
            if p.get_content_maintype() == "text":
                p.get_content()  # raises on an undecodable charset
            elif not p.is_multipart():
                attachments += 1
                p.get_payload(decode=True)
        rcpt = {a.lower() for _, a in getaddresses(
            [str(v) for h in ("to", "cc", "bcc", "delivered-to", "x-original-to") for v in m.get_all(h, [])]) if "@" in a}
        if rcpt != set(r["recipients"]):
            problems.append(f"{r['eml']}: recipients in headers {sorted(rcpt)} != truth {r['recipients']}")
    for cid, c in truth["campaigns"].items():
        union = set()
        for rel in c["messages"]:
            union |= set(recs[int(Path(rel).stem)]["recipients"])
        if len(union) != c["distinct_recipients"]:
            problems.append(f"campaign {cid}: {len(union)} recipients in messages, truth says {c['distinct_recipients']}")
    if len(sys.argv) > 3 and sys.argv[2] == "--pipeline":
        problems += cross_links(root, truth, Path(sys.argv[3]))
    for p in problems[:20]:
        print("PROBLEM:", p)
    print(f"{len(recs)} messages, {parts} MIME parts, {attachments} leaf non-text parts, "
          f"{len(truth['campaigns'])} campaigns, {len(truth['bulk_campaigns'])} bulk; problems: {len(problems)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
