#!/usr/bin/env python
"""What a search by meaning pays for its query: the query embedded by the model (its first ask)
against its vector kept in the process (asked again), library/vectors.py's `_QueryVectors`.

    DJANGO_SETTINGS_MODULE=internationale.settings.test PYTHONPATH=. \
        .venv/bin/python bench/library_query_vectors.py

No database is read: the model and the kept vectors alone. 3 runs of 20 queries, each asked
twice (a text the process has not seen, then the same); the minimum, median and maximum of the
runs' medians, with the load average.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

QUERIES = [
    "strike at the factory",
    "health and safety",
    "workers",
    "solidarity with the dockworkers",
    "wages and prices",
]


def main() -> None:
    django.setup()
    from internationale.library import vectors

    vectors.embed_query("warm-up")  # the model loaded
    first_runs, again_runs = [], []
    for run in range(3):
        vectors.forget()
        first, again = [], []
        for n, query in enumerate(QUERIES * 4):
            text = f"{query} {run} {n}"  # never asked before in this process
            started = time.perf_counter()
            vectors._query_vectors.vector(text, "person:1")
            first.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            vectors._query_vectors.vector(text, "person:1")
            again.append((time.perf_counter() - started) * 1000)
        first_runs.append(statistics.median(first))
        again_runs.append(statistics.median(again))
    print("load average", Path("/proc/loadavg").read_text().split()[:3])
    for label, runs in (("embedded (first ask)", first_runs), ("kept (asked again)", again_runs)):
        runs.sort()
        print(f"{label:<22} {runs[0]:.3f}/{statistics.median(runs):.3f}/{runs[-1]:.3f} ms")


if __name__ == "__main__":
    main()
