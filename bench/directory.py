#!/usr/bin/env python
"""How fast the directory of organizations answers, with 10,000 organizations, on the real server.

    .venv/bin/python bench/directory.py                      # SQLite, in a temporary data dir
    .venv/bin/python bench/directory.py --database-url postgres://postgres@127.0.0.1:5432/postgres

For each database: a fresh temporary data directory (and, for PostgreSQL, a temporary database
created next to the one in the URL, dropped at the end), migrations, 10,000 organizations with
their languages and sectors, then the real server (`internationale web`, with one process: the
cost of each page, not the machine's throughput, which bench/server.py measures) on a free port
of 127.0.0.1. Each endpoint gets a warm-up, then a bounded number of requests from a
pool of clients; the table gives median and 95th-percentile latency, requests per second, and
how many times slower than a minimal Django view served by the same server in the same run.

These are figures, not pass/fail: see bench/README.md for how to read them.
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, databases, free_port, run, stop, wait_for  # noqa: E402

# (label, path, authenticated): the API takes a token; the pages are read anonymously.
ENDPOINTS = [
    ("minimal Django view", "/bench/minimal/", False),
    ("directory page", "/organizations/", False),
    ("directory page, country + kind", "/organizations/?country=BR&kind=union", False),
    (
        "directory page, region + sector + language",
        "/organizations/?region=Europe&sector=C&language=pt",
        False,
    ),
    ("directory page, search", "/organizations/?q=metal", False),
    ("directory page, page 40", "/organizations/?page=40", False),
    ("directory API", "/api/v1/organizations", True),
    (
        "directory API, region + sector + language",
        "/api/v1/organizations?region=Europe&sector=C&language=pt",
        True,
    ),
]
BASELINE = "minimal Django view"


# Loading: run in a child process, with the settings of the database being measured ----------


TRADES = [
    "Metalworkers",
    "Dockworkers",
    "Teachers",
    "Nurses",
    "Miners",
    "Garment Workers",
    "Railworkers",
    "Farmworkers",
    "Bank Employees",
    "Drivers",
    "Builders",
    "Electricians",
    "Seafarers",
    "Textile Workers",
    "Domestic Workers",
    "Journalists",
    "Riders",
    "Postal Workers",
    "Chemical Workers",
    "Hotel Workers",
]
FORMS = ["Union of", "Federation of", "Syndicate of", "Association of", "Workers' Party of"]
CITIES = ["Lagos", "Lyon", "Busan", "Recife", "Porto", "Dhaka", "Turin", "Durban", "Lima", "Oslo"]
LANGUAGES = ["en", "es", "fr", "ar", "pt", "pt-BR", "de", "ko", "ja", "ru", "sw", "hi", "tr", "pl"]


def load(count: int) -> None:
    import django

    django.setup()
    from django.utils import timezone
    from django.utils.text import slugify

    from internationale.accounts.services import token_create, user_create
    from internationale.organizations.models import (
        Membership,
        Organization,
        OrganizationLanguage,
        OrganizationSector,
    )
    from internationale.organizations.reference import _regions, sectors

    rng = random.Random(1864)  # the First International: the same directory every run
    countries = sorted(_regions())
    codes = sorted(sectors())
    kinds = list(Organization.Kind.values)
    now = timezone.now()
    organizations = []
    for i in range(count):
        city = rng.choice(CITIES)
        name = f"{rng.choice(TRADES)} {rng.choice(FORMS)} {city} {i}"
        organizations.append(
            Organization(
                name=name,
                slug=f"{slugify(name)[:60]}-{i}",
                kind=rng.choice(kinds),
                country=rng.choice(countries),
                city=city,
                description="A union of workers. " * 5,
                verified_at=now if rng.random() < 0.95 else None,
            )
        )
    Organization.objects.bulk_create(organizations, batch_size=1000)
    languages, sector_rows = [], []
    for org in Organization.objects.only("pk"):
        for tag in rng.sample(LANGUAGES, rng.randint(1, 3)):
            languages.append(OrganizationLanguage(organization=org, tag=tag))
        for code in rng.sample(codes, rng.randint(1, 2)):
            sector_rows.append(OrganizationSector(organization=org, code=code))
    OrganizationLanguage.objects.bulk_create(languages, batch_size=2000)
    OrganizationSector.objects.bulk_create(sector_rows, batch_size=2000)

    member = user_create(email="bench@example.org")
    org = Organization.objects.filter(verified_at__isnull=False).order_by("pk").first()
    Membership.objects.create(user=member, organization=org, role=Membership.Role.MEMBER)
    _token, raw = token_create(actor=member, user=member, organization=org, name="bench")
    print(json.dumps({"token": raw, "languages": len(languages), "sectors": len(sector_rows)}))


# Measuring ---------------------------------------------------------------------------------------


def measure(base: str, path: str, headers: dict[str, str], args: argparse.Namespace) -> dict:
    import requests

    url = base + path
    sessions = [requests.Session() for _ in range(args.clients)]
    for session in sessions:
        session.headers.update(headers)
    first = sessions[0].get(url, timeout=60)
    if first.status_code != 200:
        return {"missing": f"HTTP {first.status_code}"}
    for i in range(args.warmup):
        sessions[i % args.clients].get(url, timeout=60)

    lock = threading.Lock()
    issued = 0
    deadline = time.perf_counter() + args.seconds

    def client(k: int) -> list[tuple[float, int, int]]:
        nonlocal issued
        samples = []
        while True:
            with lock:
                if issued >= args.requests or time.perf_counter() > deadline:
                    return samples
                issued += 1
            started = time.perf_counter()
            response = sessions[k].get(url, timeout=60)
            samples.append(
                (time.perf_counter() - started, response.status_code, len(response.content))
            )

    started = time.perf_counter()
    with ThreadPoolExecutor(args.clients) as pool:
        samples = [s for chunk in pool.map(client, range(args.clients)) for s in chunk]
    wall = time.perf_counter() - started
    latencies = sorted(s[0] * 1000 for s in samples)
    return {
        "n": len(samples),
        "errors": sum(1 for s in samples if s[1] != 200),
        "median": statistics.median(latencies),
        "p95": statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else latencies[0],
        "rps": len(samples) / wall,
        "kb": statistics.median(s[2] for s in samples) / 1024,
    }


def print_table(title: str, rows: list[tuple[str, str, dict]]) -> None:
    baseline = next(r for label, _p, r in rows if label == BASELINE)
    print(f"\n{title}")
    header = f"{'endpoint':<44} {'n':>5} {'err':>4} {'median ms':>10} {'p95 ms':>8} {'req/s':>7} {'KiB':>6} {'x minimal':>10}"
    print(header)
    print("-" * len(header))
    for label, _path, r in rows:
        if "missing" in r:
            print(f"{label:<44} {'missing (' + r['missing'] + ')':>56}")
            continue
        ratio = r["median"] / baseline["median"] if "median" in baseline else float("nan")
        print(
            f"{label:<44} {r['n']:>5} {r['errors']:>4} {r['median']:>10.1f} {r['p95']:>8.1f} "
            f"{r['rps']:>7.0f} {r['kb']:>6.1f} {ratio:>9.1f}x"
        )


def bench(database: str, env: dict[str, str], args: argparse.Namespace) -> None:
    python = sys.executable
    print(f"\n== {database}: migrating and loading {args.organizations:,} organizations ...")
    started = time.perf_counter()
    run([python, "manage.py", "migrate", "-v0"], env)
    run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    loaded = json.loads(
        run([python, __file__, "--load", str(args.organizations)], env).strip().splitlines()[-1]
    )
    print(
        f"   loaded in {time.perf_counter() - started:.1f} s "
        f"({loaded['languages']:,} languages, {loaded['sectors']:,} sectors)"
    )

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(Path(env["INTERNATIONALE_DATA_DIR"]) / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            python,
            "-m",
            "internationale.cli",
            "web",
            f"--port={port}",
            "--processes=1",
            f"--threads={args.threads}",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(base, server, log.name)
        auth = {"Authorization": f"Bearer {loaded['token']}"}
        rows = []
        for label, path, authenticated in ENDPOINTS:
            result = measure(base, path, auth if authenticated else {}, args)
            rows.append((label, path, result))
        print_table(
            f"{database} · {args.organizations:,} organizations · 1 web process of "
            f"{args.threads} threads · {args.clients} clients · up to {args.requests} requests per endpoint",
            rows,
        )
    finally:
        stop(server)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="also measure on this PostgreSQL server")
    parser.add_argument("--organizations", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300, help="per endpoint, at most")
    parser.add_argument("--seconds", type=float, default=30, help="per endpoint, at most")
    parser.add_argument("--warmup", type=int, default=20, help="requests before measuring")
    parser.add_argument("--clients", type=int, default=8, help="clients sending at once")
    parser.add_argument("--threads", type=int, default=8, help="the server's threads")
    parser.add_argument("--load", type=int, help=argparse.SUPPRESS)  # the child that loads
    args = parser.parse_args()
    if args.load is not None:
        load(args.load)
        return

    for database, env in databases(args.database_url):
        bench(database, env, args)


if __name__ == "__main__":
    main()
