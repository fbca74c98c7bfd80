#!/usr/bin/env python
"""A joint statement of 200 paragraphs, 500 amendments and 150 participants, on the real server.

    .venv/bin/python bench/statements.py                    # SQLite, in a temporary data dir
    .venv/bin/python bench/statements.py --database-url postgres://postgres@127.0.0.1:5432/postgres

One database with 2,000 verified organizations; a statement initiated by one of them, to which
149 others are invited (150 participants), whose text has --paragraphs (200) paragraphs of about
60 words, and --versions (12) versions, each changing a few paragraphs of the one before (a
replaced paragraph, an inserted one, a deleted one, a few words changed); --amendments (500)
amendments from the participants spread over the paragraphs (most still open on the current
version, the others accepted, rejected or needing a rebase), and a comment on every fourth
paragraph. Positions are called on the latest version and two thirds of the participants have
answered.

Then the word-level comparison alone, in one process (versions 1 and the latest, every paragraph;
--runs runs of --calls calls, min/median/max of the runs' medians), and the real server
(`internationale web`, one process) on 127.0.0.1, each page --runs times (runs of --requests
requests from --clients clients after a warm-up) as the initiator's secretary: the statement page,
the amendments, the comparison of version 1 and the latest, and the API's. Printed: the median
latency's min/median/max over the runs, requests per second, size, and how many times a minimal
view's latency (measured in the same run), with the load average.
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
WORDS = [
    "workers",
    "union",
    "solidarity",
    "strike",
    "wages",
    "port",
    "dockers",
    "shift",
    "safety",
    "contract",
    "employer",
    "government",
    "rights",
    "freedom",
    "organize",
    "bargaining",
    "pension",
    "health",
    "leave",
    "transport",
    "struggle",
]


def load(args: argparse.Namespace) -> None:
    """In the child: the network, the statement, its versions, amendments, comments and
    positions, and the secretary's session. Prints what the pages need as JSON."""
    import datetime
    import random

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from internationale.accounts.models import User
    from internationale.organizations.models import Membership, Organization
    from internationale.statements.models import (
        Amendment,
        Comment,
        Participant,
        Position,
        Statement,
        Version,
    )

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
    initiator, invited = ids[0], ids[1:PARTICIPANTS]
    secretary = User.objects.create(email="secretary@bench.example")
    Membership.objects.create(user=secretary, organization_id=initiator, role="secretary")

    def sentence() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "."

    statement = Statement.objects.create(
        organization_id=initiator,
        title="For the right to strike in every port",
        language="en",
        status="positions",
        amendments_until=now + datetime.timedelta(days=10),
        positions_until=now + datetime.timedelta(days=20),
        min_agree=2,
    )
    for o in invited:
        Participant.objects.create(statement=statement, organization_id=o, supported_at=now)
    paragraphs = [sentence() for _ in range(args.paragraphs)]
    versions = []
    for number in range(1, args.versions + 1):
        if number > 1:
            paragraphs = list(paragraphs)
            paragraphs[rng.randrange(len(paragraphs))] = sentence()
            paragraphs.insert(rng.randrange(len(paragraphs)), sentence())
            del paragraphs[rng.randrange(len(paragraphs))]
            for _ in range(3):
                at = rng.randrange(len(paragraphs))
                words = paragraphs[at].split()
                words[rng.randrange(len(words))] = rng.choice(WORDS)
                paragraphs[at] = " ".join(words)
        versions.append(
            Version.objects.create(
                statement=statement,
                number=number,
                title=statement.title,
                paragraphs=paragraphs,
                note=f"Version {number}",
            )
        )
    latest = versions[-1]
    statement.current_version = statement.positions_version = latest
    statement.save(update_fields=["current_version", "positions_version"])
    statuses = ["open"] * 6 + ["accepted", "rejected", "needs_rebase", "merged"]
    Amendment.objects.bulk_create(
        [
            Amendment(
                statement=statement,
                version=latest if (status := rng.choice(statuses)) == "open" else versions[-2],
                paragraph=rng.randint(1, len(latest.paragraphs)),
                kind=rng.choice(["replace", "replace", "insert_after", "delete"]),
                text=sentence(),
                reason="Clearer and closer to what our members said.",
                organization_id=rng.choice(invited),
                status=status,
            )
            for _ in range(args.amendments)
        ],
        batch_size=1000,
    )
    Comment.objects.bulk_create(
        [
            Comment(
                statement=statement,
                version=latest,
                paragraph=p,
                organization_id=rng.choice(invited),
                text="We agree with the aim; the wording needs work.",
            )
            for p in range(1, len(latest.paragraphs) + 1, 4)
        ]
    )
    Position.objects.bulk_create(
        [
            Position(
                statement=statement,
                version=latest,
                organization_id=o,
                stance=rng.choice(["agree", "agree", "reservations", "stand_aside"]),
                text="Some of our members would word paragraph 3 differently.",
            )
            for o in invited[: len(invited) * 2 // 3]
        ]
    )

    store = SessionStore()
    store[SESSION_KEY] = str(secretary.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = secretary.get_session_auth_hash()
    store.create()
    print(
        json.dumps(
            {
                "statement": statement.pk,
                "latest": latest.number,
                "secretary": str(store.session_key),
            }
        )
    )


def time_diff(loaded: dict, args: argparse.Namespace) -> None:
    """In the child: versions 1 and the latest compared word by word, every paragraph, and
    rendered as the page does, --calls times per run. Prints the runs' medians as JSON."""
    import django

    django.setup()
    from internationale.statements.diff import compare, render
    from internationale.statements.models import Version

    first = Version.objects.get(statement_id=loaded["statement"], number=1)
    latest = Version.objects.get(statement_id=loaded["statement"], number=loaded["latest"])

    def once() -> int:
        compared = compare(first.paragraphs, latest.paragraphs)
        return sum(len(render(p.pieces)) for p in compared)

    once()
    medians = []
    for _run in range(args.runs):
        times = []
        for _call in range(args.calls):
            started = time.perf_counter()
            once()
            times.append((time.perf_counter() - started) * 1000)
        medians.append(statistics.median(times))
    changed = sum(1 for p in compare(first.paragraphs, latest.paragraphs) if p.op != "equal")
    print(
        json.dumps(
            {
                "medians": medians,
                "paragraphs": len(latest.paragraphs),
                "changed": changed,
            }
        )
    )


def endpoints(loaded: dict) -> list[tuple[str, str, str]]:
    pk, latest = loaded["statement"], loaded["latest"]
    return [
        ("minimal Django view", "/bench/minimal/", ""),
        ("minimal view, signed in", "/bench/minimal/", "secretary"),
        ("statement page", f"/statements/{pk}/", "secretary"),
        ("amendments, first page", f"/statements/{pk}/amendments/", "secretary"),
        ("amendments, page 5", f"/statements/{pk}/amendments/?page=5", "secretary"),
        ("compare 1 and latest", f"/statements/{pk}/compare/?from=1&to={latest}", "secretary"),
        ("versions", f"/statements/{pk}/versions/", "secretary"),
        ("API, one statement", f"/api/v1/statements/{pk}", "secretary"),
        ("API, compare", f"/api/v1/statements/{pk}/compare?from=1&to={latest}", "secretary"),
        ("API, consensus", f"/api/v1/statements/{pk}/consensus", "secretary"),
    ]


def bench(database: str, env: dict[str, str], args: argparse.Namespace) -> None:
    python = sys.executable
    print(f"\n== {database}: migrating, loading the statement ...", flush=True)
    started = time.perf_counter()
    run([python, "manage.py", "migrate", "-v0"], env)
    run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    flags = [f"--network={args.network}", f"--paragraphs={args.paragraphs}"]
    flags += [f"--versions={args.versions}", f"--amendments={args.amendments}"]
    output = run([python, __file__, "--load", *flags], env, timeout=1800)
    loaded = json.loads(output.strip().splitlines()[-1])
    loaded[""] = ""
    print(f"   loaded in {time.perf_counter() - started:.0f} s", flush=True)
    timed = json.loads(
        run(
            [python, __file__, "--time-diff", json.dumps(loaded)]
            + [f"--runs={args.runs}", f"--calls={args.calls}"],
            env,
        )
        .strip()
        .splitlines()[-1]
    )
    medians = sorted(timed["medians"])
    print(
        f"\n{database} · {PARTICIPANTS} participants, {timed['paragraphs']} paragraphs, "
        f"{args.amendments} amendments, {args.versions} versions · load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        f"   comparison of version 1 and {loaded['latest']} ({timed['changed']} paragraphs "
        f"changed), compared and rendered, {args.runs} runs of {args.calls} calls: "
        f"{medians[0]:.1f} / {statistics.median(medians):.1f} / {medians[-1]:.1f} ms "
        f"(min/median/max of the runs' medians)"
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
    parser.add_argument("--paragraphs", type=int, default=200, help="of the statement")
    parser.add_argument("--versions", type=int, default=12, help="of the statement")
    parser.add_argument("--amendments", type=int, default=500, help="of the statement")
    parser.add_argument("--runs", type=int, default=3, help="runs per page")
    parser.add_argument("--calls", type=int, default=20, help="comparisons per run")
    parser.add_argument("--requests", type=int, default=40, help="per page and run, at most")
    parser.add_argument("--seconds", type=float, default=20, help="per page and run, at most")
    parser.add_argument("--warmup", type=int, default=5, help="requests before each run")
    parser.add_argument("--clients", type=int, default=4, help="clients sending at once")
    parser.add_argument("--threads", type=int, default=8, help="the server's threads")
    parser.add_argument("--pages", default="", help="only the pages whose labels start so")
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--time-diff", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        load(args)
        return
    if args.time_diff:
        time_diff(json.loads(args.time_diff), args)
        return
    for database, env in databases(args.database_url):
        bench(database, env, args)


if __name__ == "__main__":
    main()
