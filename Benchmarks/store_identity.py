#!/usr/bin/env python3
"""Are two spearscan stores the same answers, row by row?

    python3 Benchmarks/store_identity.py BEFORE.db AFTER.db [--show N]

Issue #15's rule: no optimisation may change a result. Two batches over the same spool (before and after a
change, or with --jobs 1 and --jobs 2) must leave identical stores: every table, every row, every column but the
moments a run stamps (columns ending in `_at`, and the same keys inside the stored report JSON). Rows are compared
as sorted multisets, so the order SQLite returns them in does not matter; ids must match, since they are what
campaigns and findings point at.

Prints one line per table ("identical", or how many rows differ and the first N of them) and exits 0 when
every table is identical, 1 when any differs, 2 on a usage error or a store that cannot be read.
"""
import argparse
import json
import sqlite3
import sys


def stamped(column):
    return column.endswith("_at")


def scrub(value):
    """A stored report JSON without the times a run stamps into it."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if not stamped(k)}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def normalised(column, value):
    if column.endswith("_json") and isinstance(value, str):
        try:
            return json.dumps(scrub(json.loads(value)), sort_keys=True, ensure_ascii=False)
        except ValueError:
            return value
    return value


def dump(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    tables = {}
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        columns = [row[1] for row in db.execute(f"SELECT * FROM pragma_table_info('{table}')") if not stamped(row[1])]
        if not columns:
            continue
        quoted = ", ".join(f'"{c}"' for c in columns)
        rows = [tuple(normalised(c, v) for c, v in zip(columns, row)) for row in db.execute(f'SELECT {quoted} FROM "{table}"')]
        tables[table] = (columns, sorted(rows, key=repr))
    db.close()
    return tables


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--show", type=int, default=3, help="rows shown per differing table (default 3)")
    args = parser.parse_args()
    try:
        a, b = dump(args.before), dump(args.after)
    except sqlite3.Error as error:
        print(f"store_identity.py: {error}", file=sys.stderr)
        return 2
    same = True
    for table in sorted(set(a) | set(b)):
        if table not in a or table not in b:
            print(f"{table}: only in {'the first' if table in a else 'the second'} store")
            same = False
            continue
        (ca, ra), (cb, rb) = a[table], b[table]
        if ca != cb:
            print(f"{table}: columns differ: {ca} vs {cb}")
            same = False
            continue
        if ra == rb:
            print(f"{table}: identical ({len(ra)} rows)")
            continue
        same = False
        sa, sb = set(map(repr, ra)), set(map(repr, rb))
        only_a = [r for r in ra if repr(r) not in sb]
        only_b = [r for r in rb if repr(r) not in sa]
        print(f"{table}: {len(ra)} vs {len(rb)} rows, {len(only_a)} only in the first, {len(only_b)} only in the second")
        for label, rows in (("-", only_a), ("+", only_b)):
            for row in rows[: args.show]:
                text = ", ".join(f"{c}={v!r}"[:200] for c, v in zip(ca, row))
                print(f"  {label} {text}")
    print("stores identical" if same else "stores DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
