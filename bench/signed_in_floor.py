#!/usr/bin/env python
"""What a signed-in request costs before its page does anything: the session, the person and
their memberships, Django's way and the platform's (core/signed_in.py), side by side.

    .venv/bin/python bench/signed_in_floor.py            # SQLite, in a temporary data dir
    .venv/bin/python bench/signed_in_floor.py --database-url postgres://postgres@127.0.0.1:5432/postgres

For each database: a fresh data directory (and a temporary PostgreSQL database), migrations, one
verified organization with a secretary who is also a member of two others; then, in one process,
through Django's test client (no server: the CPU of the request alone), the minimal view
(/bench/minimal/) signed out, and signed in with each way of reading the floor, in turns:
`--runs` runs of `--requests` requests each. Printed per line: the CPU time of the request's
thread (`time.thread_time`, the database's own work included on SQLite, not PostgreSQL's
server) and the wall time, min/median/max of the runs' medians, the queries of one request, and
the ratio to the minimal view signed out; the load average before and after. `--profile` prints
cProfile's top functions for each way signed in.
"""

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import databases, load_average, run  # noqa: E402

DJANGO_WAY = {
    "SESSION_ENGINE": "django.contrib.sessions.backends.db",
    "middleware": "django.contrib.auth.middleware.AuthenticationMiddleware",
}
PLATFORM_WAY = {
    "SESSION_ENGINE": "internationale.core.signed_in",
    "middleware": "internationale.core.signed_in.AuthenticationMiddleware",
}


def measure(args: argparse.Namespace) -> None:
    """In the child, with the database's settings: prints one JSON line."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment
    from django.utils import timezone

    from internationale.accounts.models import User
    from internationale.organizations.models import Membership, Organization

    setup_test_environment()  # the test client's host, as in the tests
    user = User.objects.create_user(email="floor@example.org", password=None)  # force_login
    for i in range(3):
        organization = Organization.objects.create(
            name=f"Floor {i}", slug=f"floor-{i}", country="KE", verified_at=timezone.now()
        )
        Membership.objects.create(
            user=user, organization=organization, role="secretary" if i == 0 else "member"
        )

    def middleware(way: dict[str, str]) -> list[str]:
        platform, django_own = PLATFORM_WAY["middleware"], DJANGO_WAY["middleware"]
        return [
            way["middleware"] if name in (platform, django_own) else name
            for name in settings.MIDDLEWARE
        ]

    ways: dict[str, dict[str, str] | None] = {
        "minimal view, signed out": None,
        "signed in, Django's way": DJANGO_WAY,
        "signed in, the platform's": PLATFORM_WAY,
    }
    clients: dict[str, tuple[Any, Any]] = {}
    for label, way in ways.items():
        if way is None:
            clients[label] = (Client(), override_settings())
            continue
        overridden = override_settings(
            SESSION_ENGINE=way["SESSION_ENGINE"], MIDDLEWARE=middleware(way)
        )
        with overridden:
            client = Client()
            client.force_login(user)
        clients[label] = (client, overridden)

    results: dict[str, Any] = {label: {"cpu": [], "wall": []} for label in ways}
    for label, (client, overridden) in clients.items():
        with overridden:
            for _i in range(20):  # warm-up
                assert client.get("/bench/minimal/").status_code == 200
            with CaptureQueriesContext(connection) as captured:
                client.get("/bench/minimal/")
            results[label]["queries"] = len(captured.captured_queries)
            if args.profile and ways[label] is not None:
                profile = cProfile.Profile()
                profile.enable()
                for _i in range(200):
                    client.get("/bench/minimal/")
                profile.disable()
                text = io.StringIO()
                pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(25)
                results[label]["profile"] = text.getvalue()
    for _run in range(args.runs):
        for label, (client, overridden) in clients.items():  # in turns: the same moment for each
            with overridden:
                cpu, wall = [], []
                for _i in range(args.requests):
                    started_cpu, started = time.thread_time(), time.perf_counter()
                    client.get("/bench/minimal/")
                    cpu.append((time.thread_time() - started_cpu) * 1000)
                    wall.append((time.perf_counter() - started) * 1000)
            results[label]["cpu"].append(statistics.median(cpu))
            results[label]["wall"].append(statistics.median(wall))
    connection.close()
    print(json.dumps(results))


def spread(values: list[float]) -> str:
    values = sorted(values)
    return f"{values[0]:.2f} / {statistics.median(values):.2f} / {values[-1]:.2f}"


def report(database: str, results: dict[str, Any], args: argparse.Namespace, before: str) -> None:
    print(
        f"\n{database} · test client, one request at a time · {args.runs} runs of {args.requests}"
    )
    print(f"   {before} before")
    header = f"{'request':<28} {'CPU ms min/med/max':>22} {'wall ms min/med/max':>22} {'queries':>8} {'x min. (CPU)':>13}"
    print(header)
    print("-" * len(header))
    unit = statistics.median(results["minimal view, signed out"]["cpu"])
    for label, figures in results.items():
        ratio = statistics.median(figures["cpu"]) / unit
        print(
            f"{label:<28} {spread(figures['cpu']):>22} {spread(figures['wall']):>22}"
            f" {figures['queries']:>8} {ratio:>12.1f}x"
        )
    print(f"   {load_average()} after")
    for label, figures in results.items():
        if "profile" in figures:
            print(f"\n--- cProfile, {label}, 200 requests ---\n{figures['profile']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="also measure on this PostgreSQL server")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=300, help="per run and line")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # the child
    args = parser.parse_args()
    if args.measure:
        measure(args)
        return
    python = sys.executable
    for database, env in databases(args.database_url):
        run([python, "manage.py", "migrate", "-v0"], env)
        before = load_average()
        child = [python, __file__, "--measure", "--runs", str(args.runs)]
        child += ["--requests", str(args.requests)] + (["--profile"] if args.profile else [])
        output = run(child, env, timeout=1800)
        report(database, json.loads(output.strip().splitlines()[-1]), args, before)


if __name__ == "__main__":
    main()
