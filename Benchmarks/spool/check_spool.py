#!/usr/bin/env python3
"""Sanity checks for a spool written by make_spool.py (stdlib only):

    python3 Benchmarks/spool/check_spool.py /tmp/spool

* the eml tree, the Maildir and the mboxrd file hold the same N messages byte for byte (the mbox is split on
  "From " lines and its >From escapes undone, so this also checks the escaping round-trips);
* every message parses with the stdlib email package, every text part decodes in its declared charset, and
  every Subject decodes;
* truth.json agrees with the files (counts, campaign recipients taken from the headers).
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
        if m.defects:
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
    for p in problems[:20]:
        print("PROBLEM:", p)
    print(f"{len(recs)} messages, {parts} MIME parts, {attachments} leaf non-text parts, "
          f"{len(truth['campaigns'])} campaigns, {len(truth['bulk_campaigns'])} bulk; problems: {len(problems)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
