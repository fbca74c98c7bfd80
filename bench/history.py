#!/usr/bin/env python
"""What the worker's scheduled queries cost with a day's history and with a year's, and the prune.

    .venv/bin/python bench/history.py                      # SQLite, in a temporary data dir
    .venv/bin/python bench/history.py --database-url postgres://postgres@127.0.0.1:5432/postgres

For each database: a fresh temporary data directory (and, for PostgreSQL, a temporary database,
dropped at the end), migrations, then history bulk-inserted in two steps: 10,000 finished task
results, then up to `--rows` (1,000,000: about ten months of the scheduled tasks alone), with a
tenth as many e-mail records, notices and webhook deliveries, finished at times spread over the
past year, plus what is still to do (a few unsent e-mails, pending deliveries, waiting tasks).

Measured at each size, in one process, `--repeat` (5) times each (min, median, max):
- every query of core/history.py's list (the housekeeping's, the retries', the digest's, the
  escalation's and the prune's own batches), read to the end;
- one housekeeping tick of the worker, as its thread runs it every `WORKER_LEASE_SECONDS / 4`:
  the heartbeat, the tasks left running, the periodic tasks due, the silent heartbeats;
- the reference: one task result read by its primary key, the cheapest query there is.
Then, at the largest size: the tick without the index on the task results' status (as before
it existed); the prune (`prune_history`: its time, rows deleted, and the longest batch, the most
a writer waits on SQLite); and every query again, on the pruned history.
Figures, not pass/fail. Aim: each query and the tick cost the same at both sizes.
"""

import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.directory import environment, run, with_database  # noqa: E402

SMALL = 10_000
TASK_PATHS = [
    "internationale.core.notices.notices_redispatch",
    "internationale.notifications.tasks.retry_due_webhooks",
    "internationale.notifications.tasks.retry_unsent_emails",
    "internationale.appeals.tasks.escalate_due_appeals",
    "internationale.core.notices.notice_dispatch",
    "internationale.notifications.tasks.deliver_webhooks",
]


def timed(function, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Milliseconds of each of `repeat` runs of `function`, after one to warm up."""
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


class History:
    """Fills the tables with finished history, spread over the past year, in batches."""

    def __init__(self) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone

        from internationale.accounts.models import User
        from internationale.notifications.models import Webhook
        from internationale.organizations.models import Organization

        self.now = timezone.now()
        self.random = random.Random(1)
        # A few thousand distinct times, shared by the rows (the inserts prepare each once).
        self.times = sorted(
            self.now - datetime.timedelta(seconds=self.random.uniform(0, 365 * 86400))
            for _ in range(5000)
        )
        organization = Organization.objects.create(name="Bench", slug="bench", country="KE")
        self.webhook = Webhook.objects.create(
            organization=organization,
            url="https://hooks.example/in",
            secret="whsec_YmVuY2g=",  # noqa: S106
        )
        self.users = [
            u.pk
            for u in User.objects.bulk_create(
                [User(email=f"person{i}@bench.example") for i in range(100)]
            )
        ]
        self.content_type = ContentType.objects.get_for_model(Organization).pk
        self.organization = organization.pk
        self.tasks = self.others = 0

    def when(self) -> object:
        return self.random.choice(self.times)

    def fill(self, tasks: int) -> None:
        from django.db import transaction
        from django_tasks_db.models import DBTaskResult

        from internationale.core.db import insert_rows
        from internationale.core.models import Notice
        from internationale.notifications.models import EmailNotification, WebhookDelivery

        args, returned, workers = {"args": [], "kwargs": {}}, 0, ["worker"]
        while self.tasks < tasks:
            count = min(20_000, tasks - self.tasks)
            rows = []
            for _ in range(count):
                at = self.when()
                status = "FAILED" if self.random.random() < 0.01 else "SUCCESSFUL"
                rows.append(
                    (uuid.uuid4(), status, at, at, at, args, 0, self.random.choice(TASK_PATHS),
                     workers, "default", "default", at, returned, "", "")
                )  # fmt: skip
            with transaction.atomic():
                insert_rows(
                    DBTaskResult,
                    ("id", "status", "enqueued_at", "started_at", "finished_at", "args_kwargs",
                     "priority", "task_path", "worker_ids", "queue_name", "backend_name",
                     "run_after", "return_value", "exception_class_path", "traceback"),
                    rows,
                )  # fmt: skip
            self.tasks += count
        while self.others < tasks // 10:
            count = min(20_000, tasks // 10 - self.others)
            first = self.others
            emails, notices, deliveries = [], [], []
            for i in range(first, first + count):
                at = self.when()
                emails.append((self.users[i % 100], f"inbox:{i}", "Subject", False, at, at, at))
                notices.append(
                    ("appeal.received", self.content_type, i, {}, "", [self.organization],
                     0, at, at)
                )  # fmt: skip
                status = "failed" if i % 50 == 0 else "delivered"
                deliveries.append(
                    (self.webhook.pk, f"inbox:{i}", "appeal.received", {}, status, 1, "", at, at)
                )
            with transaction.atomic():
                insert_rows(
                    EmailNotification,
                    ("user", "event_key", "subject", "digest", "claimed_at", "sent_at",
                     "created_at"),
                    emails,
                )  # fmt: skip
                insert_rows(
                    Notice,
                    ("kind", "source_type", "source_id", "params", "summary",
                     "organization_ids", "urgency", "created_at", "dispatched_at"),
                    notices,
                )  # fmt: skip
                insert_rows(
                    WebhookDelivery,
                    ("webhook", "event_key", "event", "payload", "status", "attempts",
                     "last_error", "created_at", "delivered_at"),
                    deliveries,
                )  # fmt: skip
            self.others += count

    def still_to_do(self) -> None:
        """What the periodic queries look for: a few unsent e-mails of the last day, pending
        deliveries, a waiting task."""
        from internationale.core.db import insert_rows
        from internationale.notifications.models import EmailNotification, WebhookDelivery

        recent = self.now - datetime.timedelta(hours=2)
        insert_rows(
            EmailNotification,
            ("user", "event_key", "subject", "digest", "created_at"),
            [(self.users[i], f"inbox:todo{i}", "Subject", i % 2 == 0, recent) for i in range(50)],
        )
        insert_rows(
            WebhookDelivery,
            ("webhook", "event_key", "event", "payload", "status", "attempts", "last_error",
             "created_at", "next_attempt_at"),
            [(self.webhook.pk, f"inbox:todo{i}", "appeal.received", {}, "pending", 1, "", recent,
              recent) for i in range(20)],
        )  # fmt: skip


def analyze() -> None:
    """PostgreSQL's autovacuum gathers statistics as rows arrive; a bulk load outruns it."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def housekeeping_tick():  # type: ignore[no-untyped-def]
    """One pass of PlatformWorker._housekeeping's loop, every periodic task due."""
    from django.db import transaction
    from django.utils import timezone

    from internationale.core.worker import (
        PlatformWorker,
        queue_due_periodic,
        requeue_orphans,
        silent_heartbeats,
    )

    worker = PlatformWorker(
        queue_names=["*"], excluded_queue_names=[], interval=1, batch=True,
        backend_name="default", startup_delay=False, max_tasks=None, worker_id="bench",
    )  # fmt: skip

    def tick() -> None:
        with transaction.atomic():
            worker.beat()
        requeue_orphans()
        queue_due_periodic({})
        silent_heartbeats(timezone.now()).delete()

    return tick


def queries(repeat: int) -> dict[str, list[float]]:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from internationale.core.history import periodic_queries

    some = DBTaskResult.objects.order_by().values_list("pk", flat=True).first()
    figures = {"reference: one task by its key": timed(
        lambda: DBTaskResult.objects.filter(pk=some).exists(), repeat
    )}  # fmt: skip
    figures["housekeeping tick"] = timed(housekeeping_tick(), repeat)
    for name, build in sorted(periodic_queries().items()):
        figures[name] = timed(lambda build=build: list(build(timezone.now())), repeat)
    return figures


def tick_without_index(repeat: int) -> list[float]:
    """The housekeeping tick as it was before the index on the task results' status."""
    from django.db import connection

    table = "django_tasks_database_dbtaskresult"
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX tasks_status_finished")
    analyze()
    try:
        return timed(housekeeping_tick(), repeat)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX tasks_status_finished ON {table} (status, finished_at)")
        analyze()


def prune() -> dict[str, object]:
    from internationale.core import history

    batches: list[float] = []
    last = [time.perf_counter()]
    real_sleep = time.sleep

    def pause(seconds: float) -> None:  # called after each full batch
        now = time.perf_counter()
        batches.append((now - last[0]) * 1000)
        real_sleep(seconds)
        last[0] = time.perf_counter()

    history.time.sleep = pause  # type: ignore[attr-defined]
    try:
        started = time.perf_counter()
        pruned = history.prune_history.call()
        seconds = time.perf_counter() - started
    finally:
        history.time.sleep = real_sleep  # type: ignore[attr-defined]
    return {
        "seconds": seconds,
        "pruned": pruned,
        "batches": len(batches),
        "batch_ms": [min(batches), statistics.median(batches), max(batches)] if batches else [],
    }


def measure(rows: int, repeat: int) -> None:
    import django

    django.setup()
    from django.db import connection

    history = History()
    result: dict[str, object] = {"vendor": connection.vendor}
    for size in sorted({min(SMALL, rows), rows}):
        started = time.perf_counter()
        history.fill(size)
        if size == min(SMALL, rows):
            history.still_to_do()
        analyze()
        result[f"fill {size}"] = time.perf_counter() - started
        result[str(size)] = queries(repeat)
    result["tick without the status index"] = tick_without_index(repeat)
    result["prune"] = prune()
    analyze()
    result["pruned"] = queries(repeat)
    print(json.dumps(result))


def spread(times: list[float]) -> str:
    return f"{min(times):7.2f} {statistics.median(times):7.2f} {max(times):7.2f}"


def report(database: str, result: dict, rows: int) -> None:
    sizes = [str(s) for s in sorted({min(SMALL, rows), rows})]
    small, large = result[sizes[0]], result[sizes[-1]]
    reference = statistics.median(large["reference: one task by its key"])
    print(f"   filled in {sum(v for k, v in result.items() if k.startswith('fill ')):.0f} s")
    header = f"   {'query (ms: min median max)':40} {int(sizes[0]):>9,} rows"
    header += f"{int(sizes[-1]):>17,} rows      x ref   after prune"
    print(header)
    for name in small:
        after = result["pruned"][name]
        ratio = statistics.median(large[name]) / reference if reference else float("inf")
        print(
            f"   {name:40} {spread(small[name])}   {spread(large[name])}  {ratio:7.1f}"
            f"   {statistics.median(after):7.2f}"
        )
    print(
        f"   {'housekeeping tick, without the index':40} {'':23}   "
        f"{spread(result['tick without the status index'])}"
    )
    pruned = result["prune"]
    counts = ", ".join(f"{n}: {c:,}" for n, c in pruned["pruned"].items() if c)
    print(f"   prune: {pruned['seconds']:.1f} s, {pruned['batches']} full batches ({counts})")
    if pruned["batch_ms"]:
        low, mid, high = pruned["batch_ms"]
        print(f"   one batch (a writer waits at most this): {low:.1f} / {mid:.1f} / {high:.1f} ms")


def bench(database: str, env: dict[str, str], args: argparse.Namespace) -> None:
    python = sys.executable
    print(f"\n== {database}: migrating ...", flush=True)
    run([python, "manage.py", "migrate", "-v0"], env)
    print(f"   load average before: {os.getloadavg()}", flush=True)
    command = [python, __file__, "--measure", str(args.rows), "--repeat", str(args.repeat)]
    result = json.loads(run(command, env, timeout=7200).strip().splitlines()[-1])
    print(f"   load average after:  {os.getloadavg()}")
    report(database, result, args.rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="also measure on this PostgreSQL server")
    parser.add_argument("--rows", type=int, default=1_000_000, help="task results at most")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # the child that measures
    args = parser.parse_args()
    if args.measure is not None:
        measure(args.measure, args.repeat)
        return
    data_dir = Path(tempfile.mkdtemp(prefix="internationale-bench-"))
    try:
        bench("SQLite", environment(data_dir), args)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    if args.database_url:
        import secrets

        import psycopg

        name = f"internationale_bench_{secrets.token_hex(4)}"
        with psycopg.connect(args.database_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        data_dir = Path(tempfile.mkdtemp(prefix="internationale-bench-"))
        try:
            bench("PostgreSQL", environment(data_dir, with_database(args.database_url, name)), args)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
            with psycopg.connect(args.database_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
