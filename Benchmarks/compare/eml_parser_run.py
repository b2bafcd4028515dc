#!/usr/bin/env python3
"""eml-parser (PyPI `eml-parser`) over a spool: the library Python users reach for to turn mail into JSON.

    python3 Benchmarks/compare/eml_parser_run.py --jobs 2 --out /tmp/emlp.jsonl SPOOL/eml

EmlParser with its default options: parse_attachments=True, which decodes every attachment and hashes it (MD5,
SHA-1, SHA-256, SHA-512) and runs its own magic-less extension/type guess; URLs, IPs, domains and the
Received chain are extracted too. It neither unpacks archives nor uses libmagic, so it does less than spearscan
or python_pipeline.py; include_attachment_data stays False (it would only add base64 copies to the output).
One JSON line per message; a multiprocessing Pool of --jobs workers (default 2), as in python_pipeline.py.
"""

import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

import eml_parser  # noqa: E402

_parser = None


def init() -> None:
    global _parser
    _parser = eml_parser.EmlParser()  # defaults: parse_attachments=True (decoded + hashed)


def scan(path: str) -> dict:
    try:
        raw = Path(path).read_bytes()
        out = _parser.decode_email_bytes(raw)
        out["file"] = path
        out["sha256"] = hashlib.sha256(raw).hexdigest()
        return out
    except Exception as e:  # keep going, as a batch job must
        return {"file": path, "error": f"{type(e).__name__}: {e}"[:200]}


def main() -> None:
    args = common.standard_args(__doc__.split("\n\n")[0]).parse_args()
    common.run(init, scan, args)


if __name__ == "__main__":
    main()
