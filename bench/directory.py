#!/usr/bin/env python
"""How fast the directory of organizations answers, with 1,000 to 100,000 organizations, on the
real server, with and without its cache.

    .venv/bin/python bench/directory.py                      # SQLite, in a temporary data dir
    .venv/bin/python bench/directory.py --organizations 100000 \
        --database-url postgres://postgres@127.0.0.1:5432/postgres

For each database: a fresh temporary data directory (and, for PostgreSQL, a temporary database
created next to the one in the URL, dropped at the end), migrations, the organizations with their
languages and sectors, then two real servers (`internationale web`, with one process each: the
cost of each page, not the machine's throughput, which bench/server.py measures) on free ports of
127.0.0.1: one with the directory's cache, one without (DIRECTORY_CACHE_SECONDS=0). Each
endpoint gets a warm-up, then three runs of a bounded number of requests from a pool of clients,
on each server in turn; the table gives the minimum, median and maximum of the three runs'
median latencies, and how many times slower than a minimal Django view served by the same server
in the same run.

These are figures, not pass/fail: see bench/README.md for how to read them.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, databases, free_port, run, stop, wait_for, web_command  # noqa: E402

# (label, path, authenticated): the API takes a token; the pages are read anonymously. "{cursor}"
# is the cursor of a page deep in the directory, read from the API before measuring.
ENDPOINTS = [
    ("minimal Django view", "/bench/minimal/", False),
    ("directory page", "/organizations/", False),
    ("page, country + kind", "/organizations/?country=BR&kind=union", False),
    (
        "page, region + sector + language",
        "/organizations/?region=Europe&sector=C&language=pt",
        False,
    ),
    ("page, one sector", "/organizations/?sector=C", False),
    ("page, search", "/organizations/?q=metal", False),
    ("page, search a common word", "/organizations/?q=union", False),
    ("page 40 of a common word", "/organizations/?q=union&page=40", False),
    ("page, search two words", "/organizations/?q=dock+lyon", False),
    ("page, search + country", "/organizations/?q=nurses&country=FR", False),
    ("page, last numbered page (40)", "/organizations/?page=40", False),
    ("API", "/api/v1/organizations", True),
    (
        "API, region + sector + language",
        "/api/v1/organizations?region=Europe&sector=C&language=pt",
        True,
    ),
    ("API, search", "/api/v1/organizations?q=metal", True),
    ("API, deep page by cursor", "/api/v1/organizations?cursor={cursor}", True),
    ("API, offset 10,000", "/api/v1/organizations?offset=10000", True),
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
    from internationale.core.actors import System
    from internationale.organizations.models import (
        Membership,
        Organization,
        OrganizationLanguage,
        OrganizationSector,
        organization_filter_text,
        organization_search_text,
    )
    from internationale.organizations.reference import _regions, sectors

    rng = random.Random(1864)  # the First International: the same directory every run
    countries = sorted(_regions())
    codes_all = sorted(sectors())
    kinds = list(Organization.Kind.values)
    now = timezone.now()
    organizations, chosen = [], []
    for i in range(count):
        city = rng.choice(CITIES)
        name = f"{rng.choice(TRADES)} {rng.choice(FORMS)} {city} {i}"
        org = Organization(
            name=name,
            slug=f"{slugify(name)[:60]}-{i}",
            kind=rng.choice(kinds),
            country=rng.choice(countries),
            city=city,
            description="A union of workers. " * 5,
            verified_at=now if rng.random() < 0.95 else None,
        )
        tags = rng.sample(LANGUAGES, rng.randint(1, 3))
        codes = rng.sample(codes_all, rng.randint(1, 2))
        # bulk_create does not call save(), which writes these, nor the languages' signals
        org.search_text = organization_search_text(org)
        org.filter_text = organization_filter_text(str(org.country), org.kind, tags, codes)
        organizations.append(org)
        chosen.append((tags, codes))
    Organization.objects.bulk_create(organizations, batch_size=1000)
    languages, sector_rows = [], []
    for org, (tags, codes) in zip(organizations, chosen, strict=True):
        languages += [OrganizationLanguage(organization=org, tag=tag) for tag in tags]
        sector_rows += [OrganizationSector(organization=org, code=code) for code in codes]
    OrganizationLanguage.objects.bulk_create(languages, batch_size=2000)
    OrganizationSector.objects.bulk_create(sector_rows, batch_size=2000)

    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum does soon after such a load: the planner's statistics, and the
        # visibility map that lets index-only scans skip the table.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    member = user_create(email="bench@example.org")
    org = Organization.objects.filter(verified_at__isnull=False).order_by("pk").first()
    Membership.objects.create(user=member, organization=org, role=Membership.Role.MEMBER)
    system = System(reason="benchmark")
    _token, raw = token_create(actor=system, user=member, organization=org, name="bench")
    print(json.dumps({"token": raw, "languages": len(languages), "sectors": len(sector_rows)}))


# Measuring the queries alone: run in a child process, like the loading --------------------------


def queries(args: argparse.Namespace) -> None:
    """Each endpoint's reads through the selectors themselves, in this process: what the database
    and the ORM cost, without HTTP, templates or serialization. Prints one JSON line."""
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from internationale.accounts.models import User
    from internationale.organizations import selectors
    from internationale.organizations.api import _after, cursor_of
    from internationale.organizations.views import DIRECTORY_COLUMNS

    anonymous, member = AnonymousUser(), User.objects.get(email="bench@example.org")
    size = 25
    deep = selectors.organization_page(viewer=member, limit=size, offset=10_000)
    cursor = cursor_of(deep.organizations[-1]) if deep.organizations else ""

    def reader(path: str, authenticated: bool) -> Any:
        from urllib.parse import parse_qsl

        query = dict(parse_qsl(urlsplit(path.replace("{cursor}", cursor)).query))
        page, offset, after = int(query.pop("page", 1)), int(query.pop("offset", 0)), None
        if "cursor" in query:
            after = _after(query.pop("cursor"))
        filters = selectors.DirectoryFilters(**query)
        if authenticated:  # the API: a page of model instances with languages and sectors
            return lambda: selectors.organization_page(
                viewer=member, filters=filters, limit=size, offset=offset, after=after
            )

        def html_page() -> Any:  # the page: the count, then the rows of the page's slice
            found = selectors.organization_found(viewer=anonymous, filters=filters)
            start = (min(page, 40) - 1) * size
            rows = selectors.directory_slice(found.organizations, start, start + size)
            return list(rows.values_list(*DIRECTORY_COLUMNS))

        return html_page

    results = {}
    for label, path, authenticated in ENDPOINTS:
        if label == BASELINE:
            continue
        read = reader(path, authenticated)
        read()  # warm-up
        medians = []
        for _run in range(args.runs):
            times = []
            for _i in range(args.requests):
                started = time.perf_counter()
                read()
                times.append((time.perf_counter() - started) * 1000)
            medians.append(statistics.median(times))
        medians.sort()
        results[label] = [medians[0], statistics.median(medians), medians[-1]]
    connection.close()
    print(json.dumps(results))


def print_queries(title: str, results: dict[str, list[float]]) -> None:
    print(f"\n{title}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    header = f"{'endpoint':<36} {'selectors ms min/med/max':>26}"
    print(header)
    print("-" * len(header))
    for label, (low, middle, high) in results.items():
        print(f"{label:<36} {f'{low:.1f}/{middle:.1f}/{high:.1f}':>26}")


# Measuring ---------------------------------------------------------------------------------------


def measure(base: str, path: str, headers: dict[str, str], args: argparse.Namespace) -> dict:
    """Three runs of at most `--requests` requests: the min, median and max of their medians."""
    runs = [measure_once(base, path, headers, args, warmup=i == 0) for i in range(args.runs)]
    if "missing" in runs[0]:
        return runs[0]
    medians = sorted(r["median"] for r in runs)
    return {
        "n": sum(r["n"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "min": medians[0],
        "median": statistics.median(medians),
        "max": medians[-1],
        "kb": runs[0]["kb"],
    }


def measure_once(
    base: str, path: str, headers: dict[str, str], args: argparse.Namespace, warmup: bool
) -> dict:
    import requests

    url = base + path
    sessions = [requests.Session() for _ in range(args.clients)]
    for session in sessions:
        session.headers.update(headers)
    first = sessions[0].get(url, timeout=60)
    if first.status_code != 200:
        return {"missing": f"HTTP {first.status_code}"}
    for i in range(args.warmup if warmup else 0):
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


def print_table(title: str, rows: list[tuple[str, dict, dict]]) -> None:
    cached_base = next(r for label, r, _u in rows if label == BASELINE)
    uncached_base = next(u for label, _r, u in rows if label == BASELINE)
    print(f"\n{title}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    header = (
        f"{'endpoint':<36} {'cached ms min/med/max':>22} {'x min.':>6} "
        f"{'uncached ms min/med/max':>24} {'x min.':>6} {'err':>4} {'KiB':>6}"
    )
    print(header)
    print("-" * len(header))

    def cell(r: dict, base: dict, width: int) -> str:
        if "missing" in r:
            return f"{'missing (' + r['missing'] + ')':>{width + 7}}"
        figures = f"{r['min']:.1f}/{r['median']:.1f}/{r['max']:.1f}"
        return f"{figures:>{width}} {r['median'] / base['median']:>5.1f}x"

    for label, cached, uncached in rows:
        errors = cached.get("errors", 0) + uncached.get("errors", 0)
        kb = cached.get("kb", uncached.get("kb", 0.0))
        print(
            f"{label:<36} {cell(cached, cached_base, 22)} {cell(uncached, uncached_base, 24)} "
            f"{errors:>4} {kb:>6.1f}"
        )


def start_server(env: dict[str, str], args: argparse.Namespace, log_name: str) -> tuple:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(Path(env["INTERNATIONALE_DATA_DIR"]) / log_name, "w")  # noqa: SIM115
    server = subprocess.Popen(
        web_command(port, args.threads),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for(base, server, log.name)
    return base, server, log


def stop_server(server: subprocess.Popen, log: Any) -> None:
    stop(server)
    log.close()


def deep_cursor(base: str, auth: dict[str, str], count: int) -> str:
    """The cursor of the page after the 10,000th organization (or the middle one, if fewer)."""
    import requests

    offset = min(10_000, count // 2)
    answer = requests.get(
        f"{base}/api/v1/organizations?offset={offset}", headers=auth, timeout=60
    ).json()
    return urlsplit(answer["next"]).query.split("cursor=", 1)[1]


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

    measured = run(
        [python, __file__, "--queries", "--runs", str(args.runs), "--requests", str(args.requests)],
        env,
    )
    print_queries(
        f"{database} · {args.organizations:,} organizations · the selectors alone, in one process"
        f" · {args.runs} runs of {args.requests} calls",
        json.loads(measured.strip().splitlines()[-1]),
    )

    servers = []
    try:
        servers.append(start_server(env, args, "server-cached.log"))
        uncached_env = env | {"DIRECTORY_CACHE_SECONDS": "0"}
        servers.append(start_server(uncached_env, args, "server-uncached.log"))
        auth = {"Authorization": f"Bearer {loaded['token']}"}
        cursor = deep_cursor(servers[0][0], auth, args.organizations)
        rows = []
        for label, path, authenticated in ENDPOINTS:
            headers = auth if authenticated else {}
            path = path.replace("{cursor}", cursor)
            cached = measure(servers[0][0], path, headers, args)
            uncached = measure(servers[1][0], path, headers, args)
            rows.append((label, cached, uncached))
        print_table(
            f"{database} · {args.organizations:,} organizations · 1 web process of {args.threads} threads"
            f" · {args.clients} clients · {args.runs} runs of up to {args.requests} requests",
            rows,
        )
    finally:
        for _base, server, log in servers:
            stop_server(server, log)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="also measure on this PostgreSQL server")
    parser.add_argument("--organizations", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100, help="per run, at most")
    parser.add_argument("--seconds", type=float, default=10, help="per run, at most")
    parser.add_argument("--runs", type=int, default=3, help="runs per endpoint and server")
    parser.add_argument("--warmup", type=int, default=20, help="requests before measuring")
    parser.add_argument("--clients", type=int, default=8, help="clients sending at once")
    parser.add_argument("--threads", type=int, default=8, help="the server's threads")
    parser.add_argument("--load", type=int, help=argparse.SUPPRESS)  # the child that loads
    parser.add_argument("--queries", action="store_true", help=argparse.SUPPRESS)  # and measures
    args = parser.parse_args()
    if args.load is not None:
        load(args.load)
        return
    if args.queries:
        queries(args)
        return

    for database, env in databases(args.database_url):
        bench(database, env, args)


if __name__ == "__main__":
    main()
