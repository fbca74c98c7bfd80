#!/usr/bin/env python
"""The readiness of a congress of 150 organizations (11,175 pairs), on the real server.

    .venv/bin/python bench/readiness.py                    # SQLite, in a temporary data dir
    .venv/bin/python bench/readiness.py --database-url postgres://postgres@127.0.0.1:5432/postgres

One database with --network (2,000) verified organizations; a congress 60 days ahead, hosted by
one of them, to which 149 others are invited (most accepted, some not answered yet) and 5 more
declined: 150 participants. Around it, a realistic history (a fixed random seed): over the past two
years, --meetings (3,000) bilateral meetings and delegation visits between participants (a tenth
declined) and as many between other organizations of the network, and --relations (2,000)
relations between participants (three quarters accepted, the rest ended at some time over the past
two years or still proposed). About a third of the pairs have met.

Then the selector, in one process (`readiness_of` and a page of missing pairs: --runs runs of
--calls calls, min/median/max of the runs' medians), and the real server (`internationale web`,
one process) on 127.0.0.1, each page --runs times (runs of --requests requests from --clients
clients after a warm-up) as the host's secretary: the readiness page (its first page of missing
pairs, a page deep in them, one organization's), and the API (first 100 missing pairs, and the
offset 5,000). Printed: the median latency's min/median/max over the runs, requests per second,
size, and how many times a minimal view's latency (measured in the same run), with the load
average.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.appeal_pages import Server, print_runs, runs  # noqa: E402
from bench.common import databases, run  # noqa: E402

PARTICIPANTS = 150
DECLINED = 5


def load(args: argparse.Namespace) -> None:
    """In the child: the network, the congress and its history, and the secretary's session.
    Prints what the pages need as JSON."""
    import datetime
    import random

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from internationale.accounts.models import User
    from internationale.cooperation.models import Invitation, Meeting
    from internationale.organizations.models import Membership, Organization, Relation

    rng = random.Random(1)
    now = timezone.now()
    Organization.objects.bulk_create(
        [
            Organization(
                name=f"Union {i:05}",
                slug=f"union-{i}",
                country=rng.choice(["BR", "KR", "DE", "ZA", "IN", "FR"]),
                verified_at=now,
            )
            for i in range(args.network)
        ],
        batch_size=2000,
    )
    ids = list(Organization.objects.order_by("id").values_list("id", flat=True))
    host, invited, declined = (
        ids[0],
        ids[1:PARTICIPANTS],
        ids[PARTICIPANTS : PARTICIPANTS + DECLINED],
    )
    participants, others = ids[:PARTICIPANTS], ids[PARTICIPANTS + DECLINED :]
    secretary = User.objects.create(email="secretary@bench.example")
    Membership.objects.create(user=secretary, organization_id=host, role="secretary")
    start = now + datetime.timedelta(days=60)
    congress = Meeting.objects.create(
        organization_id=host,
        kind="congress",
        title="International congress",
        start_at=start,
        end_at=start + datetime.timedelta(days=3),
        time_zone="America/Sao_Paulo",
    )
    Invitation.objects.bulk_create(
        [
            Invitation(
                meeting=congress,
                organization_id=o,
                status="accepted" if rng.random() < 0.8 else "invited",
            )
            for o in invited
        ]
        + [Invitation(meeting=congress, organization_id=o, status="declined") for o in declined]
    )

    def history(pool: list[int], count: int) -> None:
        meetings, pairs = [], []
        for _ in range(count):
            a, b = rng.sample(pool, 2)
            at = now - datetime.timedelta(days=rng.uniform(0, 730))
            meetings.append(
                Meeting(
                    organization_id=a,
                    kind="bilateral" if rng.random() < 0.8 else "delegation",
                    title="Bilateral meeting",
                    start_at=at,
                    end_at=at + datetime.timedelta(hours=3),
                    time_zone="UTC",
                )
            )
            pairs.append(b)
        made = Meeting.objects.bulk_create(meetings, batch_size=2000)
        Invitation.objects.bulk_create(
            [
                Invitation(
                    meeting=m,
                    organization_id=b,
                    status="accepted" if rng.random() < 0.9 else "declined",
                )
                for m, b in zip(made, pairs, strict=True)
            ],
            batch_size=2000,
        )

    history(participants, args.meetings)
    history(others, args.meetings)
    relations, seen = [], set()
    while len(relations) < args.relations:
        a, b = rng.sample(participants, 2)
        if (a, b) in seen:
            continue
        seen.add((a, b))
        roll = rng.random()
        status = "accepted" if roll < 0.75 else "ended" if roll < 0.9 else "proposed"
        relations.append(
            Relation(
                proposer_id=a,
                partner_id=b,
                kind="fraternal",
                status=status,
                decided_at=now - datetime.timedelta(days=rng.uniform(0, 730)),
            )
        )
    Relation.objects.bulk_create(relations, batch_size=2000)

    store = SessionStore()
    store[SESSION_KEY] = str(secretary.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = secretary.get_session_auth_hash()
    store.create()
    print(
        json.dumps(
            {
                "congress": congress.pk,
                "participant": Organization.objects.get(pk=invited[0]).slug,
                "secretary": str(store.session_key),
            }
        )
    )


def time_selector(loaded: dict, args: argparse.Namespace) -> None:
    """In the child: the readiness computed and a page of missing pairs taken, as the page and
    the API do, --calls times per run. Prints the runs' medians and the figures as JSON."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from internationale.accounts.models import User
    from internationale.cooperation.models import Meeting
    from internationale.cooperation.readiness import readiness_of

    meeting = Meeting.objects.get(pk=loaded["congress"])
    secretary = User.objects.get(email="secretary@bench.example")

    def once() -> object:
        ready = readiness_of(meeting, secretary)
        return ready.missing()[:50], ready.ready

    once()
    with CaptureQueriesContext(connection) as queries:
        once()
    medians = []
    for _run in range(args.runs):
        times = []
        for _call in range(args.calls):
            started = time.perf_counter()
            once()
            times.append((time.perf_counter() - started) * 1000)
        medians.append(statistics.median(times))
    ready = readiness_of(meeting, secretary)
    print(
        json.dumps(
            {
                "medians": medians,
                "queries": len(queries),
                "participants": len(ready.participants),
                "pairs": ready.pairs,
                "ready": ready.ready,
            }
        )
    )


def endpoints(loaded: dict) -> list[tuple[str, str, str]]:
    pk, one = loaded["congress"], loaded["participant"]
    return [
        ("minimal Django view", "/bench/minimal/", ""),
        ("minimal view, signed in", "/bench/minimal/", "secretary"),
        ("page, first missing pairs", f"/meetings/{pk}/readiness/", "secretary"),
        ("page 100 of missing pairs", f"/meetings/{pk}/readiness/?page=100", "secretary"),
        ("page, one organization", f"/meetings/{pk}/readiness/?organization={one}", "secretary"),
        ("API, 100 missing pairs", f"/api/v1/meetings/{pk}/readiness?limit=100", "secretary"),
        (
            "API, offset 5,000",
            f"/api/v1/meetings/{pk}/readiness?limit=100&offset=5000",
            "secretary",
        ),
    ]


def bench(database: str, env: dict[str, str], args: argparse.Namespace) -> None:
    python = sys.executable
    print(f"\n== {database}: migrating, loading the congress and its history ...", flush=True)
    started = time.perf_counter()
    run([python, "manage.py", "migrate", "-v0"], env)
    run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    flags = [f"--network={args.network}", f"--meetings={args.meetings}"]
    flags.append(f"--relations={args.relations}")
    output = run([python, __file__, "--load", *flags], env, timeout=1800)
    loaded = json.loads(output.strip().splitlines()[-1])
    loaded[""] = ""
    print(f"   loaded in {time.perf_counter() - started:.0f} s", flush=True)
    timed = json.loads(
        run(
            [python, __file__, "--time-selector", json.dumps(loaded)]
            + [f"--runs={args.runs}", f"--calls={args.calls}"],
            env,
        )
        .strip()
        .splitlines()[-1]
    )
    medians = sorted(timed["medians"])
    print(
        f"\n{database} · {timed['participants']} participants, {timed['pairs']:,} pairs, "
        f"{timed['ready']:,} have met ({timed['ready'] / timed['pairs']:.0%}) · "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        f"   selector (readiness_of + a page of missing pairs), {args.runs} runs of {args.calls} "
        f"calls: {medians[0]:.1f} / {statistics.median(medians):.1f} / {medians[-1]:.1f} ms "
        f"(min/median/max of the runs' medians), {timed['queries']} queries"
    )
    with Server(env, args.threads) as server:
        rows = runs(server.base, endpoints(loaded), loaded, args)
        print_runs(
            f"{database} · {args.runs} runs of up to {args.requests} requests, {args.clients} "
            f"clients · load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
            rows,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="also measure on this PostgreSQL server")
    parser.add_argument("--network", type=int, default=2000, help="organizations in all")
    parser.add_argument("--meetings", type=int, default=3000, help="bilateral, per group")
    parser.add_argument("--relations", type=int, default=2000, help="between participants")
    parser.add_argument("--runs", type=int, default=3, help="runs per page")
    parser.add_argument("--calls", type=int, default=20, help="selector calls per run")
    parser.add_argument("--requests", type=int, default=40, help="per page and run, at most")
    parser.add_argument("--seconds", type=float, default=20, help="per page and run, at most")
    parser.add_argument("--warmup", type=int, default=5, help="requests before each run")
    parser.add_argument("--clients", type=int, default=4, help="clients sending at once")
    parser.add_argument("--threads", type=int, default=8, help="the server's threads")
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--time-selector", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.pages = ""  # every page (appeal_pages.runs filters by label)
    if args.load:
        load(args)
        return
    if args.time_selector:
        time_selector(json.loads(args.time_selector), args)
        return
    for database, env in databases(args.database_url):
        bench(database, env, args)


if __name__ == "__main__":
    main()
