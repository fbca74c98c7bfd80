#!/usr/bin/env python
"""Sending an appeal to 500, 5,000 and 50,000 organizations: how long the send request takes, how
soon every inbox is filled, what the worker holds in memory, and how a write elsewhere fares
meanwhile.

    .venv/bin/python bench/appeals.py                      # SQLite, in a temporary data dir
    .venv/bin/python bench/appeals.py --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/appeals.py --sizes 500,5000 --runs 3 --workers 2

For each database: a fresh temporary data directory (and, for PostgreSQL, a temporary database,
dropped at the end), migrations, then the largest size of verified organizations, each with a
secretary who is e-mailed (bench/mail.py: rendered, then dropped), spread over three countries so
that one, two or all three of them choose each size; an issuing organization; and a "probe"
organization, to which a first appeal is sent.

Then, as in production: the real server (`internationale web`, one process) and `--workers` background workers
(`internationale worker`), each its own process. For each size, `--runs` times:
1. a draft is created through the API, and sent through the API (`POST /api/v1/appeals/{id}/send`,
   over HTTP on 127.0.0.1): the **send** time is what the issuer waits for;
2. the database is polled (every 0.1 s) until the appeal is open (its addressees recorded:
   **open**), then until every addressee has its inbox entry (**filled**), both timed from the
   send's start, and, for sizes up to `--wait-upto` (5,000), until no task is left (the e-mails:
   **done**); above it the next run starts at once, its inboxes ahead of the e-mails still
   queued (they run at a lower priority);
3. meanwhile, a client pledges on the probe appeal (`POST /api/v1/appeals/{id}/pledges`) every
   0.2 s: a write on another appeal, whose latency tells how long the fan-out makes a web
   request wait (SQLite has one writer at a time);
4. the workers' peak memory (VmHWM of /proc/<pid>/status; the workers are started afresh for
   each size).
Before that, the same pledge and a bare view (`/bench/minimal/`) with nothing else running: the
reference. Figures, not pass/fail: min / median / max over the runs, the load average beside them.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, databases, free_port, run, wait_for, web_command  # noqa: E402

# Where the organizations of each size are: the first 500 in Kenya, the next 4,500 in Tanzania,
# the rest in Uganda. A size is sent to the countries that hold it.
COUNTRIES = [(500, "KE"), (5_000, "TZ"), (10**9, "UG")]


def countries_for(size: int) -> list[str]:
    chosen = []
    for upto, code in COUNTRIES:
        chosen.append(code)
        if size <= upto:
            break
    return chosen


# Loading: a child process, with the settings of the database being measured ----------------------


def load(count: int) -> None:
    import django

    django.setup()
    from django.utils import timezone

    from internationale.accounts.models import User
    from internationale.accounts.services import token_create
    from internationale.addressing.routing import Criteria
    from internationale.appeals.services import appeal_create, appeal_send, appeal_send_finish
    from internationale.core.actors import System
    from internationale.organizations.models import Membership, Organization

    now = timezone.now()
    organizations = []
    for i in range(count):
        country = next(code for upto, code in COUNTRIES if i < upto)
        organizations.append(
            Organization(
                name=f"Dockworkers {i}", slug=f"docks-{i}", country=country, verified_at=now
            )
        )
    Organization.objects.bulk_create(organizations, batch_size=2000)
    issuer = Organization.objects.create(
        name="Issuer", slug="issuer", country="NG", verified_at=now
    )
    probe = Organization.objects.create(name="Probe", slug="probe", country="GH", verified_at=now)
    orgs = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    users = User.objects.bulk_create(
        [User(email=f"secretary{i}@bench.example") for i in range(len(orgs))], batch_size=2000
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, organization_id=o, role="secretary")
            for u, o in zip(users, orgs, strict=True)
        ],
        batch_size=2000,
    )
    secretary = Membership.objects.get(organization=issuer).user
    prober = Membership.objects.get(organization=probe).user
    system = System(reason="bench")
    _t, issuer_token = token_create(actor=system, user=secretary, organization=issuer, name="b")
    _t, probe_token = token_create(actor=system, user=prober, organization=probe, name="b")
    target = appeal_create(
        actor=secretary,
        organization=issuer,
        title="The probe's appeal",
        text="Pledged on during the fan-out.",
        language="en",
        situation="lockout",
        country="NG",
        asks_propaganda=True,
    )
    appeal_send(actor=secretary, appeal=target, criteria=Criteria(add=[probe.pk]))
    appeal_send_finish(appeal_id=target.pk)
    print(
        json.dumps(
            {"issuer": issuer_token, "probe": probe_token, "target": target.pk, "slug": "issuer"}
        )
    )


# Driving: a child process too (it polls the database), which starts the server and the workers --


class Probe(threading.Thread):
    """Pledges on the probe appeal every `every` seconds until stopped; keeps the latencies."""

    def __init__(self, base: str, token: str, target: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        import requests

        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.url = f"{base}/api/v1/appeals/{target}/pledges"
        self.every, self.latencies, self.errors, self.last_error = every, [], 0, ""
        self.starts: list[float] = []  # when each pledge was posted (perf_counter)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            started = time.perf_counter()
            self.starts.append(started)
            answer = self.session.post(
                self.url, json={"forms": ["propaganda"], "description": "A statement."}, timeout=60
            )
            self.latencies.append(time.perf_counter() - started)
            # A pledge refused (4xx) writes nothing: it would time a read, not a write.
            if not 200 <= answer.status_code < 400:
                self.errors += 1
                self.last_error = f"{answer.status_code}: {answer.text[:300]}"
            self.stopped.wait(max(0.0, self.every - (time.perf_counter() - started)))

    def stop(self) -> list[float]:
        self.stopped.set()
        self.join()
        return self.latencies


def peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def spread(values: list[float], unit: str = "", scale: float = 1.0, fmt: str = ".0f") -> str:
    if not values:
        return "-"
    low, mid, high = (v * scale for v in (min(values), statistics.median(values), max(values)))
    return f"{low:{fmt}} / {mid:{fmt}} / {high:{fmt}}{unit}"


def drive(  # noqa: C901 (one sequence of steps, in order)
    sizes: list[int], runs: int, workers: int, tokens: dict, wait_upto: int, pauses: list[int]
) -> None:
    import django

    django.setup()
    import requests
    from django.db import close_old_connections
    from django_tasks_db.models import DBTaskResult

    python = sys.executable
    env = dict(os.environ)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    data_dir = Path(env["INTERNATIONALE_DATA_DIR"])
    log = open(data_dir / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        web_command(port, 4),
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    issuer = requests.Session()
    issuer.headers["Authorization"] = f"Bearer {tokens['issuer']}"

    def start_workers(pause: int | None = None) -> list[subprocess.Popen]:
        with_pause = env if pause is None else env | {"SQLITE_GIVE_WAY_MS": str(pause)}
        return [
            subprocess.Popen(
                [python, "-m", "internationale.cli", "worker"],
                cwd=ROOT,
                env=with_pause,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
            for _ in range(workers)
        ]

    def stop(processes: list[subprocess.Popen]) -> None:
        for p in processes:
            p.send_signal(signal.SIGTERM)
        for p in processes:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()

    def settled() -> bool:
        close_old_connections()
        return not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()

    try:
        wait_for(base, server, log.name)
        # The reference, nothing else running: the bare view, and the probe's pledge alone.
        minimal = []
        for _ in range(30):
            started = time.perf_counter()
            requests.get(base + "/bench/minimal/", timeout=30)
            minimal.append(time.perf_counter() - started)
        probe = Probe(base, tokens["probe"], tokens["target"], every=0.05)
        probe.start()
        time.sleep(3)
        alone = probe.stop()
        if probe.errors:  # a refused pledge writes nothing: the figures would not be a write's
            sys.exit(f"the probe's pledge was refused {probe.errors} times: {probe.last_error}")
        print(f"   load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
        print(f"   bare view (GET /bench/minimal/)      {spread(minimal, ' ms', 1000, '.1f')}")
        print(f"   a pledge, nothing else running       {spread(alone, ' ms', 1000, '.1f')}")
        # Its answers are notices to the issuer: let a worker deliver them before measuring.
        pool = start_workers()
        while not settled():
            time.sleep(0.2)
        stop(pool)

        sqlite = "DATABASE_URL" not in env
        for size in sizes:
            for pause in pauses if sqlite and pauses else [None]:
                pool = start_workers(pause)
                if pause is not None:
                    print(
                        f"\n   the worker's pause after each task (SQLITE_GIVE_WAY_MS): {pause} ms"
                    )
                time.sleep(2)  # the workers' start-up (Django, the first look for tasks)
                measure_size(size, runs, base, tokens, issuer, settled, log.name, size <= wait_upto)
                peaks = [peak_mib(p.pid) for p in pool]
                stop(pool)
                print(
                    f"     worker peak memory (VmHWM)   {' + '.join(f'{p:.0f}' for p in peaks)} MiB"
                )
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def measure_size(size, runs, base, tokens, issuer, settled, log, wait) -> None:  # type: ignore[no-untyped-def]
    """Send `runs` appeals to `size` organizations, one after the other, and print the figures.
    `wait`: wait for every task (the e-mails) before the next run, and time it."""
    from django.db import close_old_connections

    from internationale.appeals.models import Addressee, Appeal
    from internationale.notifications.models import InboxEntry

    countries = countries_for(size)
    figures: dict[str, list[float]] = {k: [] for k in ("send", "open", "filled", "done")}
    during: list[float] = []
    recording: list[float] = []  # pledges posted while the addressees were being recorded
    delivering: list[float] = []  # and after, while the inboxes were being filled
    loads, errors = [], 0
    for n in range(runs):
        created = issuer.post(
            f"{base}/api/v1/organizations/{tokens['slug']}/appeals",
            json={
                "title": f"Lockout at port {size}-{n}",
                "text": "Locked out.",
                "language": "en",
                "situation": "lockout",
                "country": "NG",
                "urgency": 1,
                "asks_propaganda": True,
            },
            timeout=60,
        )
        pk = created.json()["id"]
        probe = Probe(base, tokens["probe"], tokens["target"])
        probe.start()
        started = time.perf_counter()
        sent = issuer.post(
            f"{base}/api/v1/appeals/{pk}/send", json={"countries": countries}, timeout=600
        )
        figures["send"].append(time.perf_counter() - started)
        if sent.status_code != 200:
            sys.exit(f"the send answered {sent.status_code}: {sent.text[:500]}")
        opened = filled = None
        appeal = Appeal.objects.get(pk=pk)
        while filled is None:
            close_old_connections()
            now = time.perf_counter() - started
            if opened is None and Appeal.objects.filter(pk=pk, status="open").exists():
                opened = now
            if opened is not None and InboxEntry.objects.about(appeal).count() >= size:
                filled = now
            if now > 600:
                sys.exit(f"not filled after 10 minutes: see {log}")
            time.sleep(0.1)
        latencies = probe.stop()
        during += latencies
        for at, latency in zip(probe.starts, latencies, strict=True):
            (recording if at - started < (opened or 0.0) else delivering).append(latency)
        errors += probe.errors
        if probe.errors:
            print(f"     a pledge refused: {probe.last_error}")
        while wait and not settled():
            time.sleep(0.2)
        if wait:
            figures["done"].append(time.perf_counter() - started)
        count = Addressee.objects.filter(appeal_id=pk).count()
        if count != size:
            sys.exit(f"{count} addressees, not {size}")
        figures["open"].append(opened or 0.0)
        figures["filled"].append(filled)
        loads.append(os.getloadavg()[0])
    rates = [size / f for f in figures["filled"]]
    print(f"\n   {size:,} addressees ({'+'.join(countries)}), {runs} runs, min / median / max")
    print(f"     send request (HTTP)          {spread(figures['send'], ' ms', 1000)}")
    print(f"     open (addressees recorded)   {spread(figures['open'], ' s', 1, '.2f')}")
    print(f"     every inbox filled           {spread(figures['filled'], ' s', 1, '.2f')}")
    print(f"     entries per second           {spread(rates)}")
    done = spread(figures["done"], " s", 1, ".2f") if wait else "not waited for (lower priority)"
    print(f"     all tasks done (e-mails)     {done}")
    print(f"     a pledge meanwhile           {spread(during, ' ms', 1000, '.1f')}"
          f"  ({len(during)} pledges, {errors} not 2xx/3xx)")  # fmt: skip
    slow = sum(latency > 0.2 for latency in during)
    print(f"       while recording            {spread(recording, ' ms', 1000, '.1f')}")
    print(f"       while filling the inboxes  {spread(delivering, ' ms', 1000, '.1f')}")
    print(f"       over 200 ms                {slow} of {len(during)}")
    print(f"     load average (1 min)         {spread(loads, '', 1, '.2f')}", flush=True)


def bench(database: str, env: dict[str, str], args: argparse.Namespace) -> None:
    python = sys.executable
    largest = max(args.sizes)
    print(f"\n== {database}: migrating and loading {largest:,} organizations ...", flush=True)
    started = time.perf_counter()
    run([python, "manage.py", "migrate", "-v0"], env)
    tokens = run([python, __file__, "--load", str(largest)], env, timeout=1800)
    print(
        f"   loaded in {time.perf_counter() - started:.0f} s; {args.workers} worker(s)", flush=True
    )
    subprocess.run(
        [python, __file__, "--drive", tokens.strip().splitlines()[-1],
         "--sizes", ",".join(map(str, args.sizes)), "--runs", str(args.runs),
         "--workers", str(args.workers), "--wait-upto", str(args.wait_upto),
         "--give-way-ms", ",".join(map(str, args.give_way_ms))],
        cwd=ROOT, env=env, check=True, timeout=7200,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="also measure on this PostgreSQL server")
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--sizes", default="500,5000,50000", type=lambda s: [int(x) for x in s.split(",")]
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--wait-upto",
        type=int,
        default=5000,
        help="for sizes up to this, wait for the e-mails before the next run, and time them",
    )
    parser.add_argument(
        "--give-way-ms",
        default=[],
        type=lambda s: [int(x) for x in s.split(",") if x],
        help="on SQLite, measure with each of these pauses of the worker after a task "
        "(SQLITE_GIVE_WAY_MS), one after the other; by default the setting's",
    )
    parser.add_argument("--load", type=int, help=argparse.SUPPRESS)  # the child that loads
    parser.add_argument("--drive", help=argparse.SUPPRESS)  # the child that measures
    args = parser.parse_args()
    if args.load is not None:
        load(args.load)
        return
    if args.drive is not None:
        drive(
            args.sizes,
            args.runs,
            args.workers,
            json.loads(args.drive),
            args.wait_upto,
            args.give_way_ms,
        )
        return
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for database, env in databases(args.database_url):
        if database == "SQLite" and args.skip_sqlite:
            continue
        bench(database, env, args)


if __name__ == "__main__":
    main()
