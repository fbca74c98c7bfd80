#!/usr/bin/env python
"""An appeal's pages at 500, 5,000 and 50,000 addressees, on the real server.

    .venv/bin/python bench/appeal_pages.py                 # SQLite, in a temporary data dir
    .venv/bin/python bench/appeal_pages.py --database-url postgres://postgres@127.0.0.1:5432/postgres

One database with 50,000 verified organizations (500 in Kenya, 4,500 in Tanzania, 5,000 in each
of nine other countries), three public appeals sent to 500, 5,000 and 50,000 of them (a tenth
answered, a few public pledges) and three drafts whose send preview proposes as many; then the
real server (`internationale web`, one process) on 127.0.0.1, and, for each size, each page three
times (runs of --requests requests from --clients clients after a warm-up): the public page
signed out (kept, and with APPEAL_CACHE_SECONDS=0, computed each time, by a second server), the
issuer's and an addressee's page, the summary (first page, and one country's organizations that
have not answered), the send preview (first page, and one country's). Printed: the median
latency's min/median/max over the runs, requests per second, size, and how many times a minimal
view's latency (measured in the same run), with the load average before and after.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, databases, free_port, run, stop, wait_for, web_command  # noqa: E402
from bench.directory import measure_once  # noqa: E402

SIZES = {500: ["KE"], 5000: ["KE", "TZ"]}
OTHERS = ["UG", "RW", "ET", "GH", "ZA", "ZM", "ZW", "MZ", "MW"]  # 5,000 organizations each
SIZES[50000] = ["KE", "TZ", *OTHERS]


def load_pages(sizes: list[int]) -> None:
    """In the child: the organizations, the appeals and drafts of every size, and two sessions.
    Prints what the pages need as JSON."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from internationale.accounts.models import User
    from internationale.addressing.routing import Criteria
    from internationale.appeals.models import Pledge, PledgeSupport, Response
    from internationale.appeals.services import appeal_create, appeal_send, appeal_send_finish
    from internationale.organizations.models import Membership, Organization

    now = timezone.now()
    countries = ["KE"] * 500 + ["TZ"] * 4500 + [c for c in OTHERS for _ in range(5000)]
    countries = countries[: max(sizes)]
    Organization.objects.bulk_create(
        [
            Organization(name=f"Union {i:05}", slug=f"union-{i}", country=c, verified_at=now)
            for i, c in enumerate(countries)
        ],
        batch_size=2000,
    )
    issuer = Organization.objects.create(
        name="Issuer", slug="issuer", country="NG", verified_at=now
    )
    addressee = Organization.objects.get(slug="union-0")  # in Kenya: every appeal reaches it
    secretary, speaker = (
        User.objects.create(email="secretary@bench.example"),
        User.objects.create(email="speaker@bench.example"),
    )
    Membership.objects.create(user=secretary, organization=issuer, role="secretary")
    Membership.objects.create(user=speaker, organization=addressee, role="secretary")

    def session(user: User) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return str(store.session_key)

    def draft(title: str) -> object:
        return appeal_create(
            actor=secretary,
            organization=issuer,
            title=title,
            text="The port locked out **1,200** dockworkers on Monday. " * 20,
            language="en",
            situation="lockout",
            country="NG",
            urgency=1,
            asks_propaganda=True,
            asks_material_aid=True,
            aid_goods="Food parcels for the families of the locked-out workers.",
            visibility="public",
        )

    appeals = {}
    for size in sizes:
        codes = SIZES[size]
        appeal = draft(f"Lockout at the port, {size} addressees")
        appeal_send(actor=secretary, appeal=appeal, criteria=Criteria(countries=codes))
        # The worker's half of the send, here: the addressees recorded, the appeal open (its
        # delivery to the inboxes stays queued, unrun: the pages do not depend on it).
        appeal_send_finish(appeal_id=appeal.pk, sent_by=secretary.pk)
        answering = list(appeal.addressees.values_list("organization_id", flat=True)[::10])
        Response.objects.bulk_create(
            [Response(appeal=appeal, organization_id=o, kind="acknowledged") for o in answering],
            batch_size=2000,
        )
        for o in answering[:5]:
            pledge = Pledge.objects.create(
                appeal=appeal,
                organization_id=o,
                description="A statement in our paper and on our site.",
                public=True,
            )
            PledgeSupport.objects.create(pledge=pledge, form="propaganda")
            Response.objects.create(appeal=appeal, organization_id=o, kind="pledged", pledge=pledge)
        preview = draft(f"Second lockout, {size} proposed")
        appeals[size] = {"sent": appeal.pk, "draft": preview.pk, "countries": codes}
    print(
        json.dumps(
            {"appeals": appeals, "issuer": session(secretary), "addressee": session(speaker)}
        )
    )


def time_first_previews(loaded: dict, sizes: list[int], runs: int) -> None:
    """In the child: the send preview's first page with nothing kept (what an issuer waits for
    on first choosing the criteria), through Django's test client, `runs` times per size.
    Prints {size: [ms, ...]} as JSON."""
    import django

    django.setup()
    from django.test import Client

    from internationale.addressing import preview

    client = Client(SERVER_NAME="127.0.0.1")
    client.cookies["sessionid"] = loaded["issuer"]
    timings: dict[int, list[float]] = {}
    for size in sizes:
        a = loaded["appeals"][str(size)]
        url = f"/appeals/{a['draft']}/send/?preview=1&" + "&".join(
            f"countries={c}" for c in a["countries"]
        )
        for _ in range(runs):
            preview.answers.clear()
            started = time.perf_counter()
            if client.get(url).status_code != 200:
                sys.exit(f"the preview answered HTTP {client.get(url).status_code}")
            timings.setdefault(size, []).append((time.perf_counter() - started) * 1000)
    print(json.dumps(timings))


def page_endpoints(loaded: dict, size: int) -> list[tuple[str, str, str]]:
    """(label, path, who) for one size; who: "" (signed out), "issuer" or "addressee"."""
    a = loaded["appeals"][str(size)]
    sent, draft = a["sent"], a["draft"]
    preview = f"/appeals/{draft}/send/?preview=1&" + "&".join(
        f"countries={c}" for c in a["countries"]
    )
    return [
        ("minimal Django view", "/bench/minimal/", ""),
        ("public page, signed out (kept)", f"/appeals/{sent}/", ""),
        ("issuer's page", f"/appeals/{sent}/", "issuer"),
        ("addressee's page", f"/appeals/{sent}/", "addressee"),
        ("summary, page 1", f"/appeals/{sent}/summary/", "issuer"),
        (
            "summary, Kenya, no answer yet",
            f"/appeals/{sent}/summary/?country=KE&answer=none",
            "issuer",
        ),
        ("send preview, page 1", preview, "issuer"),
        ("send preview, Kenya", preview + "&country=KE", "issuer"),
    ]


UNCACHED = [
    ("minimal Django view", "/bench/minimal/", ""),
    ("public page, signed out (not kept)", "", ""),
]


class Server:
    """The real server (`internationale web`, one process) on a free port of
    127.0.0.1, stopped on leaving."""

    def __init__(self, env: dict[str, str], threads: int) -> None:
        import subprocess

        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(Path(env["INTERNATIONALE_DATA_DIR"]) / f"server-{port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            web_command(port, threads),
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def __enter__(self) -> "Server":
        wait_for(self.base, self.process, self.log.name)
        return self

    def __exit__(self, *exc: object) -> None:
        stop(self.process)
        self.log.close()


def runs(
    base: str, endpoints: list[tuple[str, str, str]], loaded: dict, args: argparse.Namespace
) -> list[tuple[str, list[dict]]]:
    """Each endpoint --runs times, in turn; the minimal view's median of the same run is kept
    with each result as its reference."""
    results: dict[str, list[dict]] = {label: [] for label, _p, _w in endpoints}
    for _run in range(args.runs):
        minimal = None
        for label, path, who in endpoints:
            headers = {"Cookie": f"sessionid={loaded[who]}"} if who else {}
            r = measure_once(base, path, headers, args, warmup=True)
            if label == "minimal Django view":
                minimal = r.get("median")
            r["minimal"] = minimal
            results[label].append(r)
    return list(results.items())


def print_runs(title: str, rows: list[tuple[str, list[dict]]]) -> None:
    import statistics

    print(f"\n{title}")
    header = (
        f"{'page':<36} {'median ms min/med/max':>24} {'req/s (median)':>15} {'KiB':>7} "
        f"{'x minimal min/med/max':>24}"
    )
    print(header)
    print("-" * len(header))
    for label, results in rows:
        if any("missing" in r for r in results):
            print(f"{label:<36} missing ({next(r['missing'] for r in results if 'missing' in r)})")
            continue
        medians = sorted(r["median"] for r in results)
        ratios = sorted(r["median"] / r["minimal"] for r in results)
        rps = statistics.median(r["rps"] for r in results)
        kb = statistics.median(r["kb"] for r in results)
        errors = sum(r["errors"] for r in results)
        print(
            f"{label:<36} {medians[0]:>7.1f} {statistics.median(medians):>7.1f} {medians[-1]:>8.1f} "
            f"{rps:>15.0f} {kb:>7.1f} {ratios[0]:>7.1f} {statistics.median(ratios):>7.1f} "
            f"{ratios[-1]:>7.1f}x" + (f"   {errors} errors" if errors else "")
        )


def bench_pages(database: str, env: dict[str, str], args: argparse.Namespace) -> None:
    import os

    python = sys.executable
    print(f"\n== {database}: migrating, loading organizations and appeals ...", flush=True)
    started = time.perf_counter()
    run([python, "manage.py", "migrate", "-v0"], env)
    run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    loaded = json.loads(
        run([python, __file__, "--load-pages", args.sizes], env, timeout=1800)
        .strip()
        .splitlines()[-1]
    )
    loaded[""] = ""
    print(f"   loaded in {time.perf_counter() - started:.0f} s", flush=True)
    print(f"   load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    sizes = [int(s) for s in args.sizes.split(",")]
    with Server(env, args.threads) as server:
        for size in sizes:
            rows = runs(server.base, page_endpoints(loaded, size), loaded, args)
            print_runs(
                f"{database} · {size:,} addressees · {args.runs} runs of up to {args.requests} "
                f"requests, {args.clients} clients · load average "
                f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
                rows,
            )
    firsts = json.loads(
        run(
            [python, __file__, "--first-previews", json.dumps(loaded), "--sizes", args.sizes],
            env,
        )
        .strip()
        .splitlines()[-1]
    )
    print(f"\n{database} · send preview, nothing kept (routing afresh), test client, one at a time")
    for size, timings in firsts.items():
        low, mid, high = sorted(timings)[0], sorted(timings)[len(timings) // 2], max(timings)
        print(f"   {int(size):>6,} proposed: {low:7.0f} {mid:7.0f} {high:7.0f} ms (min/median/max)")
    uncached = env | {"APPEAL_CACHE_SECONDS": "0"}
    with Server(uncached, args.threads) as server:
        sent = loaded["appeals"][str(sizes[-1])]["sent"]
        endpoints = [
            (UNCACHED[0][0], UNCACHED[0][1], ""),
            (UNCACHED[1][0], f"/appeals/{sent}/", ""),
        ]
        print_runs(
            f"{database} · APPEAL_CACHE_SECONDS=0 · load average "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
            runs(server.base, endpoints, loaded, args),
        )
    print(f"   load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="also measure on this PostgreSQL server")
    parser.add_argument("--sizes", default="500,5000,50000", help="addressees")
    parser.add_argument("--runs", type=int, default=3, help="runs per page")
    parser.add_argument("--requests", type=int, default=40, help="per page and run, at most")
    parser.add_argument("--seconds", type=float, default=20, help="per page and run, at most")
    parser.add_argument("--warmup", type=int, default=5, help="requests before each run")
    parser.add_argument("--clients", type=int, default=4, help="clients sending at once")
    parser.add_argument("--threads", type=int, default=8, help="the server's threads")
    parser.add_argument("--load-pages", help=argparse.SUPPRESS)  # the child that loads
    parser.add_argument("--first-previews", help=argparse.SUPPRESS)  # the child that times
    args = parser.parse_args()
    if args.first_previews:
        sizes = [int(size) for size in args.sizes.split(",")]
        time_first_previews(json.loads(args.first_previews), sizes, args.runs)
        return
    if args.load_pages:
        load_pages([int(size) for size in args.load_pages.split(",")])
        return
    for database, env in databases(args.database_url):
        bench_pages(database, env, args)


if __name__ == "__main__":
    main()
