#!/usr/bin/env python
"""How many requests `internationale serve` itself answers, with one web process and with one
per core, at 1, 8 and 32 clients at once.

    .venv/bin/python bench/server.py                      # SQLite, in a temporary data dir
    .venv/bin/python bench/server.py --database-url postgres://postgres@127.0.0.1:5432/postgres

For each database: a fresh temporary data directory (and, for PostgreSQL, a temporary database),
the demo network (`internationale demo`) and an API token for one of its secretaries, then the
real command, `internationale serve`, on a free port of 127.0.0.1: first with one web process,
then with --web-processes (default: one per core). Each endpoint is read by 1, 8 and 32 clients
at once, each client on its own keep-alive connection, for --seconds, --runs times; the table
gives requests per second and median latency as min / median / max over the runs, and how many
times the bare Django view's throughput is the page's, measured in the same run.

These are figures, not pass/fail: see bench/README.md for how to read them.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, databases, free_port, load_average, run, stop, wait_for  # noqa: E402

BARE = "bare view"
# (label, path, authenticated); the public appeal's path is found in the feed.
ENDPOINTS = [
    (BARE, "/bench/minimal/", False),
    ("home", "/", False),
    ("directory", "/organizations/", False),
    ("public appeal", "", False),
    ("feed", "/appeals/feed/", False),
    ("API: appeals list", "/api/v1/appeals", True),
]
CLIENTS = (1, 8, 32)


# The demo's API token: run in a child process, with the settings of the database measured ---


def prepare() -> None:
    import django

    django.setup()
    from internationale.accounts.models import User
    from internationale.accounts.services import token_create
    from internationale.organizations.models import Membership
    from internationale.web.demo import DEMO_SIGN_INS

    secretary = next(s for s in DEMO_SIGN_INS if s.role == "secretary")
    user = User.objects.get(email=secretary.email)
    membership = Membership.objects.filter(user=user).select_related("organization").first()
    assert membership is not None
    _token, raw = token_create(
        actor=user, user=user, organization=membership.organization, name="bench"
    )
    print(json.dumps({"token": raw}))


# The clients: processes of threads, so that the client is not held to one core by its GIL ------


def _client_process(
    port: int, path: str, headers: dict[str, str], threads: int, start: float, seconds: float
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client() -> None:
        nonlocal errors
        mine: list[float] = []
        failed = 0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.time() < start:
            time.sleep(0.001)
        end = start + seconds
        while True:
            began = time.perf_counter()
            if time.time() >= end:
                break
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                continue
            mine.append((time.perf_counter() - began) * 1000)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    pool = [threading.Thread(target=client) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return latencies, errors


def measure(
    port: int, path: str, headers: dict[str, str], clients: int, seconds: float
) -> dict[str, float]:
    processes = min(clients, os.cpu_count() or 1)
    shares = [
        clients // processes + (1 if i < clients % processes else 0) for i in range(processes)
    ]
    start = time.time() + 0.5  # every client starts at once, once all are connected
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = pool.starmap(
            _client_process, [(port, path, headers, share, start, seconds) for share in shares]
        )
    latencies = [ms for chunk, _errors in results for ms in chunk]
    return {
        "rps": len(latencies) / seconds,
        "median": statistics.median(latencies) if latencies else float("nan"),
        "errors": sum(errors for _chunk, errors in results),
    }


# The runs ------------------------------------------------------------------------------------


def serve(
    env: dict[str, str], processes: int, args: argparse.Namespace
) -> tuple[subprocess.Popen, int, Any]:
    port = free_port()
    log = open(Path(env["INTERNATIONALE_DATA_DIR"]) / f"serve-{processes}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "internationale.cli",
            "serve",
            f"--port={port}",
            f"--web-processes={processes}",
            f"--threads={args.threads}",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for(f"http://127.0.0.1:{port}", server, log.name)
    return server, port, log


def public_appeal(port: int) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/appeals/feed/")
    feed = connection.getresponse().read().decode()
    connection.close()
    found = re.search(r'<link href="https?://[^/"]+(/appeals/\d+/)"', feed)
    if not found:
        sys.exit("the feed lists no public appeal")
    return found[1]


def spread(values: list[float]) -> str:
    return f"{min(values):.0f} / {statistics.median(values):.0f} / {max(values):.0f}"


def spread_ms(values: list[float]) -> str:
    return f"{min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f}"


def bench_config(
    env: dict[str, str], processes: int, token: str, args: argparse.Namespace
) -> dict[tuple[str, int], list[dict[str, float]]]:
    server, port, log = serve(env, processes, args)
    try:
        paths = {label: path or public_appeal(port) for label, path, _auth in ENDPOINTS}
        auth = {"Authorization": f"Bearer {token}"}
        for label, _path, authenticated in ENDPOINTS:  # warm-up: caches, connections, imports
            measure(port, paths[label], auth if authenticated else {}, 2, 1)
        print(f"   {processes} web process(es): {load_average()} before")
        results: dict[tuple[str, int], list[dict[str, float]]] = {}
        for _run in range(args.runs):
            for clients in CLIENTS:
                for label, _path, authenticated in ENDPOINTS:
                    headers = auth if authenticated else {}
                    result = measure(port, paths[label], headers, clients, args.seconds)
                    results.setdefault((label, clients), []).append(result)
        print(f"   {processes} web process(es): {load_average()} after")
        return results
    finally:
        stop(server)
        log.close()


def print_table(title: str, results: dict[tuple[str, int], list[dict[str, float]]]) -> None:
    print(f"\n{title}")
    header = (
        f"{'endpoint':<20} {'clients':>7} {'req/s min / med / max':>24} "
        f"{'median ms min / med / max':>27} {'err':>4} {'x bare':>7}"
    )
    print(header)
    print("-" * len(header))
    for clients in CLIENTS:
        bare = statistics.median(r["rps"] for r in results[(BARE, clients)])
        for label, _path, _auth in ENDPOINTS:
            runs = results[(label, clients)]
            rps = [r["rps"] for r in runs]
            print(
                f"{label:<20} {clients:>7} {spread(rps):>24} "
                f"{spread_ms([r['median'] for r in runs]):>27} "
                f"{sum(int(r['errors']) for r in runs):>4} "
                f"{bare / statistics.median(rps):>6.1f}x"
            )


def print_comparison(
    processes: int,
    one: dict[tuple[str, int], list[dict[str, float]]],
    many: dict[tuple[str, int], list[dict[str, float]]],
) -> None:
    print(f"\nMedian req/s, 1 web process against {processes}")
    header = f"{'endpoint':<20} {'clients':>7} {'1 process':>10} {f'{processes} processes':>12} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for clients in CLIENTS:
        for label, _path, _auth in ENDPOINTS:
            a = statistics.median(r["rps"] for r in one[(label, clients)])
            b = statistics.median(r["rps"] for r in many[(label, clients)])
            print(f"{label:<20} {clients:>7} {a:>10.0f} {b:>12.0f} {b / a:>5.2f}x")


def bench(database: str, env: dict[str, str], args: argparse.Namespace) -> None:
    python = sys.executable
    print(f"\n== {database}: migrating and loading the demo network ...")
    run([python, "-m", "internationale.cli", "demo"], env)
    token = json.loads(run([python, __file__, "--prepare"], env).strip().splitlines()[-1])["token"]
    configs = sorted({1, args.web_processes})
    measured = {}
    for processes in configs:
        measured[processes] = bench_config(env, processes, token, args)
        print_table(
            f"{database} · internationale serve · {processes} web process(es) of {args.threads} "
            f"threads · {args.seconds:g} s per measurement · {args.runs} runs",
            measured[processes],
        )
    if len(configs) > 1:
        print_comparison(args.web_processes, measured[1], measured[args.web_processes])
    print(f"\n{load_average()} at the end")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="also measure on this PostgreSQL server")
    parser.add_argument(
        "--web-processes",
        type=int,
        default=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2,
        help="the web processes to compare with one (default: one per core)",
    )
    parser.add_argument("--threads", type=int, default=8, help="threads of each web process")
    parser.add_argument("--seconds", type=float, default=3, help="per measurement")
    parser.add_argument("--runs", type=int, default=3, help="of every measurement")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)  # the child
    args = parser.parse_args()
    if args.prepare:
        prepare()
        return
    print(f"{os.cpu_count()} cores; {load_average()} at the start")
    for database, env in databases(args.database_url):
        bench(database, env, args)


if __name__ == "__main__":
    main()
