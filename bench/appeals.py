#!/usr/bin/env python
"""How long issuing an appeal to 5,000 organizations takes, and how fast its fan-out runs.

    .venv/bin/python bench/appeals.py                      # SQLite, in a temporary data dir
    .venv/bin/python bench/appeals.py --database-url postgres://postgres@127.0.0.1:5432/postgres

For each database: a fresh temporary data directory (and, for PostgreSQL, a temporary database,
dropped at the end), migrations, then `--addressees` (5,000) verified organizations, each with a
secretary who is e-mailed (to Django's in-memory mailbox), and one issuing organization.

Measured, in one process, through the service (`appeals.services.appeal_send`, which the page
and the API call after parsing): not through HTTP, so the figure excludes the request's own
overhead (about a millisecond; see bench/directory.py's "minimal Django view"):
1. send: routing (the preview's queries), the addressee rows, the audit entry and the queued
   delivery tasks, committed: what a send request waits for;
2. fan-out: the database worker (`internationale.core.worker.run_pending_tasks`, as production
   runs it) until no task is left: every inbox entry, and every notification e-mail task;
3. entries per second of the fan-out;
4. the send once more, for a second draft, through the whole HTTP stack (the send page's POST with
   Django's test client, logged in): what the issuer waits for, before the redirect.
Figures, not pass/fail. Aim: send < 300 ms, fan-out > 2,000 entries/s.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import databases, run  # noqa: E402


def measure(count: int) -> None:
    import django

    django.setup()
    from django.core import mail
    from django.utils import timezone

    from internationale.accounts.models import User
    from internationale.addressing.routing import Criteria
    from internationale.appeals.services import appeal_create, appeal_send
    from internationale.core.worker import run_pending_tasks
    from internationale.notifications.models import InboxEntry
    from internationale.organizations.models import Membership, Organization

    now = timezone.now()
    Organization.objects.bulk_create(
        [
            Organization(name=f"Dockworkers {i}", slug=f"docks-{i}", country="KE", verified_at=now)
            for i in range(count)
        ],
        batch_size=1000,
    )
    issuer = Organization.objects.create(
        name="Issuer", slug="issuer", country="NG", verified_at=now
    )
    users = User.objects.bulk_create(
        [User(email=f"secretary{i}@bench.example") for i in range(count + 1)], batch_size=1000
    )
    orgs = list(Organization.objects.order_by("pk"))
    Membership.objects.bulk_create(
        [
            Membership(user=u, organization=o, role="secretary")
            for u, o in zip(users, orgs, strict=True)
        ],
        batch_size=1000,
    )
    secretary = Membership.objects.get(organization=issuer).user
    appeal = appeal_create(
        actor=secretary,
        organization=issuer,
        title="Lockout at the port",
        text="Locked out.",
        language="en",
        situation="lockout",
        country="NG",
        urgency=1,
        asks_propaganda=True,
    )
    started = time.perf_counter()
    appeal_send(actor=secretary, appeal=appeal, criteria=Criteria(countries=["KE"]))
    send = time.perf_counter() - started
    mail.outbox = []
    started = time.perf_counter()
    tasks = 0
    while ran := run_pending_tasks():
        tasks += ran
    fan_out = time.perf_counter() - started
    entries = InboxEntry.objects.about(appeal).count()

    # The same send through the whole HTTP stack: the send page's POST (middleware, session, form,
    # the service, the view's count of addressees and its redirect), for a second draft.
    from django.test import Client
    from django.urls import reverse

    second = appeal_create(
        actor=secretary,
        organization=issuer,
        title="Lockout at the second port",
        text="Locked out again.",
        language="en",
        situation="lockout",
        country="NG",
        urgency=1,
        asks_propaganda=True,
    )
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(secretary)
    url = reverse("appeal_send", args=[second.pk])
    started = time.perf_counter()
    answer = client.post(url, {"countries": "KE"})
    http = time.perf_counter() - started
    second.refresh_from_db()
    if answer.status_code != 302 or second.status == second.Status.DRAFT:
        sys.exit(f"the send page answered HTTP {answer.status_code} and did not send")
    print(
        json.dumps(
            {
                "send_ms": send * 1000,
                "send_http_ms": http * 1000,
                "fan_out_s": fan_out,
                "entries": entries,
                "tasks": tasks,
                "emails": len(mail.outbox),
            }
        )
    )


def bench(database: str, env: dict[str, str], count: int) -> None:
    python = sys.executable
    print(f"\n== {database}: migrating ...", flush=True)
    run([python, "manage.py", "migrate", "-v0"], env)
    result = json.loads(
        run([python, __file__, "--measure", str(count)], env).strip().splitlines()[-1]
    )
    rate = result["entries"] / result["fan_out_s"] if result["fan_out_s"] else float("inf")
    print(f"   send (service, committed):   {result['send_ms']:8.1f} ms   (aim < 300 ms)")
    print(f"   send (HTTP POST, test client):{result['send_http_ms']:8.1f} ms   (aim < 300 ms)")
    print(
        f"   fan-out (worker, all tasks): {result['fan_out_s']:8.2f} s    "
        f"{result['tasks']} tasks, {result['entries']:,} inbox entries, {result['emails']:,} e-mails"
    )
    print(f"   entries per second:          {rate:8.0f}      (aim > 2,000)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="also measure on this PostgreSQL server")
    parser.add_argument("--addressees", type=int, default=5000)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # the child that measures
    args = parser.parse_args()
    if args.measure is not None:
        measure(args.measure)
        return
    for database, env in databases(args.database_url):
        bench(database, env, args.addressees)


if __name__ == "__main__":
    main()
