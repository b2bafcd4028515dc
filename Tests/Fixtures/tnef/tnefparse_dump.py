#!/usr/bin/env python3
"""Prints what tnefparse (PyPI, 1.4.0) extracts from a TNEF file, one attachment per line:
`<kind>\t<name as UTF-8 hex>\t<data hex>`, kind `file` or `embedded` (an embedded message: its nested stream).

Usage: tnefparse_dump.py FILE. The cross-check test in TNEFTests.swift compares this with SpearUnpack's reader.
"""
import sys

from tnefparse.tnef import TNEF


def main():
    with open(sys.argv[1], "rb") as f:
        tnef = TNEF(f.read(), do_checksum=True)
    for a in tnef.attachments:
        name = a.long_filename()
        if isinstance(name, list):
            name = name[0]
        if isinstance(name, bytes):
            name = name.decode("utf-8", "replace")
        name = (name or "").rstrip("\x00")
        data = a.data
        if isinstance(data, list):
            data = data[0]
        kind = "embedded" if hasattr(a, "embed") else "file"
        print(f"{kind}\t{name.encode('utf-8').hex()}\t{bytes(data).hex()}")


if __name__ == "__main__":
    main()
