#!/usr/bin/env python
"""What the library's search across languages costs a process the first time it searches, and
after any vector was deleted (a document deleted): reading every vector again into the copy it
keeps in memory (library/vectors.py, `_Vectors.refresh`).

    .venv/bin/python bench/library_vectors_reload.py                  # SQLite, 100,000 documents
    .venv/bin/python bench/library_vectors_reload.py --code /path/to/other/checkout   # before
    .venv/bin/python bench/library_vectors_reload.py --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/library_vectors_reload.py --postgresql-only --database-url postgres://...

A fresh data directory (and a temporary PostgreSQL database), migrations, then the documents and
their vectors as bench/library_search.py loads them (`--texts` distinct texts computed by the
model). Then, in one process importing the platform from `--code` (this checkout by default, so
that two checkouts can be compared on the same data), `--runs` full reads into an empty copy.
Printed: min/median/max in seconds of the full read and of the database's read alone (the rows
iterated, nothing kept), the rows read, and the load average before and after. `--data-dir`
measures a SQLite data directory loaded before (by an earlier run's loading, or by
bench/library_search.py --load) instead of loading one.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

if os.environ.get("BENCH_CODE"):  # the measuring child: the platform of that checkout
    sys.path.insert(0, os.environ["BENCH_CODE"])
else:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, databases, environment, load_average, run  # noqa: E402


def measure(runs: int) -> None:
    import django

    django.setup()
    from internationale.library import vectors
    from internationale.library.models import DocumentVector

    seconds, read = [], []
    rows = 0
    for _run in range(runs):
        kept = vectors._Vectors()
        started = time.perf_counter()
        kept.refresh()
        seconds.append(time.perf_counter() - started)
        rows = kept.size if hasattr(kept, "size") else len(kept.rows)
        del kept
        # The database's read alone, the rows iterated as both ways read them.
        started = time.perf_counter()
        for _row in DocumentVector.objects.values_list("document_id", "vector").iterator(2000):
            pass
        read.append(time.perf_counter() - started)
    print(json.dumps({"seconds": seconds, "read": read, "rows": rows, "code": vectors.__file__}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="also measure on this PostgreSQL server")
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--texts", type=int, default=500, help="distinct texts (vectors)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--code", action="append", default=[], help="checkouts to compare (default: this one)"
    )
    parser.add_argument("--data-dir", help="a data directory loaded before (SQLite): no loading")
    parser.add_argument(
        "--postgresql-only",
        action="store_true",
        help="with --database-url: measure PostgreSQL alone (no SQLite loading before it)",
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # the child
    args = parser.parse_args()
    if args.measure:
        measure(args.runs)
        return
    python = sys.executable
    if args.data_dir:  # loaded before (SQLite): measured again as it is
        found = [("SQLite", environment(Path(args.data_dir)))]
    else:
        found = databases(args.database_url)
    for database, env in found:
        if args.postgresql_only and args.database_url and database == "SQLite":
            continue
        if not args.data_dir:
            print(f"\n== {database}: migrating and loading {args.documents:,} documents ...")
            run([python, "manage.py", "migrate", "-v0"], env)
            loader = [python, "bench/library_search.py", "--documents", str(args.documents)]
            run([*loader, "--texts", str(args.texts), "--load"], env, timeout=3600)
        for code in args.code or [str(ROOT)]:
            before = load_average()
            child = {**env, "BENCH_CODE": code, "PYTHONPATH": code}
            measured = json.loads(
                run([python, __file__, "--measure", "--runs", str(args.runs)], child)
                .strip()
                .splitlines()[-1]
            )
            s, r = measured["seconds"], measured["read"]
            print(
                f"{database} · {measured['rows']:,} vectors · {measured['code']}\n"
                f"   full read: min {min(s):.3f} s, median {statistics.median(s):.3f} s, "
                f"max {max(s):.3f} s ({args.runs} runs)\n"
                f"   the database's read alone: min {min(r):.3f} s, "
                f"median {statistics.median(r):.3f} s, max {max(r):.3f} s\n"
                f"   {before} before; {load_average()} after"
            )


if __name__ == "__main__":
    main()
