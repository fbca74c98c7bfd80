#!/usr/bin/env python
"""The in-memory part of reading the library's vectors again (library/vectors.py, `_Vectors`),
without the database: 100,000 vectors (`--vectors`) put into the copy a process keeps, the way
main did until 2026-12-07 (a Python step per vector, copied below as the reference) and in bulk
(`_Vectors._put`, a chunk of CHUNK at a time), on the same data in one process. The database's
own read comes on top of both: bench/library_vectors_reload.py measures the whole.

    .venv/bin/python bench/library_vectors_put.py [--vectors 100000] [--runs 5]

Printed: min/median/max seconds of the runs, and the load average.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vectors", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    import numpy as np

    from internationale.library import vectors

    size = vectors.DIMENSIONS
    rng = np.random.default_rng(1864)
    data = [(pk, rng.random(size, dtype=np.float32).tobytes()) for pk in range(1, args.vectors + 1)]

    def per_row() -> np.ndarray:  # main at e273359, _Vectors._load
        rows: dict[int, int] = {}
        row_of = np.full(0, -1, dtype=np.int64)
        matrix = np.zeros((0, size), dtype=np.float32)
        for pk, blob in data:
            vector = np.frombuffer(bytes(blob), dtype=np.float32)
            row = rows.get(pk)
            if row is None:
                row = rows[pk] = len(rows)
                if row >= len(matrix):
                    grown = np.zeros((max(1024, 2 * len(matrix)), size), np.float32)
                    grown[: len(matrix)] = matrix
                    matrix = grown
                if pk >= len(row_of):
                    wider = np.full(max(1024, 2 * pk), -1, dtype=np.int64)
                    wider[: len(row_of)] = row_of
                    row_of = wider
                row_of[pk] = row
            matrix[row] = vector
        return matrix[: len(rows)]

    def in_bulk() -> np.ndarray:
        kept = vectors._Vectors()
        kept.matrix = np.zeros((len(data), size), np.float32)  # as refresh() sizes it
        for start in range(0, len(data), vectors.CHUNK):
            chunk = data[start : start + vectors.CHUNK]
            kept._put([pk for pk, _blob in chunk], [blob for _pk, blob in chunk])
        return kept.matrix[: kept.size]

    assert np.array_equal(per_row(), in_bulk())
    for name, way in (("per row (before)", per_row), ("in bulk (after)", in_bulk)):
        seconds = []
        for _run in range(args.runs):
            started = time.perf_counter()
            way()
            seconds.append(time.perf_counter() - started)
        one, five, fifteen = os.getloadavg()
        print(
            f"{name}: min {min(seconds):.3f} s, median {statistics.median(seconds):.3f} s, "
            f"max {max(seconds):.3f} s ({args.runs} runs, {args.vectors:,} vectors; "
            f"load average {one:.2f} {five:.2f} {fifteen:.2f})"
        )


if __name__ == "__main__":
    main()
