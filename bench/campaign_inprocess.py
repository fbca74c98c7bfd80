"""The public campaign page and the public API read, in process (Django's test client, no server),
signed out, against a bare view through the same middleware in the same run.

    PYTHONPATH=$PWD .venv/bin/pytest -p no:cacheprovider -s bench/campaign_inprocess.py

Creates a launched campaign with a few confirmed, counted signatures in a test database
(committed: inside a transaction nothing is kept), then for each path times --n requests, three
runs, and prints min/median/max of the per-request milliseconds, the queries of one warm request,
the ratio against the bare view, and the load average.
"""

import functools
import os
import statistics
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings

from internationale.conftest import owner_org, sam  # noqa: F401 -- fixtures

N = int(os.environ.get("BENCH_N", "300"))


def _counted(queries: list[str], run, sql, *args):  # type: ignore[no-untyped-def]
    queries.append(sql)
    return run(sql, *args)


def _statements(name: str, call) -> list[str]:  # type: ignore[no-untyped-def]
    """The SQL statements of one call (printed with BENCH_SQL=1)."""
    queries: list[str] = []
    with connection.execute_wrapper(functools.partial(_counted, queries)):
        call()
    if os.environ.get("BENCH_SQL"):
        print(f"\n== {name}: {len(queries)} statements", *queries, sep="\n  ")
    return queries


def _profile(name: str, call) -> None:  # type: ignore[no-untyped-def]
    """cProfile's top functions of N calls (BENCH_PROFILE=1); the stats kept in the temp dir."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(N):
        call()
    profiler.disable()
    profiler.dump_stats(Path(tempfile.gettempdir()) / f"campaign-{name.split()[0]}.prof")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(int(os.environ.get("BENCH_PROFILE_LINES", "45")))
    stats.sort_stats("tottime").print_stats(30)
    print(f"\n== {name}\n{out.getvalue()}")


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF="bench.urls_bench")
def test_campaign_reads_in_process(sam, owner_org):  # type: ignore[no-untyped-def]  # noqa: F811
    from internationale.campaigns import public_page
    from internationale.campaigns.counting import count_all
    from internationale.campaigns.signing import confirmation_token, signature_confirm
    from internationale.campaigns.tests.helpers import launched
    from internationale.campaigns.tests.signers import campaign_sign

    public_page.pages.clear()
    campaign = launched(sam, owner_org)
    for i in range(20):
        signed = campaign_sign(
            campaign=campaign,
            first_name=f"Signer{i}",
            email=f"s{i}@mail.example",
            country="ES",
            show_publicly=True,
        )
        signature_confirm(token=confirmation_token(signed.signature))
    count_all()
    paths = {
        "bare view": "/bench/minimal/",
        "campaign page": f"/campaigns/{campaign.pk}/",
        "API public read": f"/api/v1/campaigns/{campaign.pk}/public",
    }
    client = Client()
    results = {}
    for name, path in paths.items():
        for _ in range(20):
            assert client.get(path).status_code == 200
        queries: list[str] = []
        with connection.execute_wrapper(functools.partial(_counted, queries)):
            client.get(path)
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            for _ in range(N):
                client.get(path)
            runs.append((time.perf_counter() - start) * 1000 / N)
        results[name] = (runs, len(queries))
    bare = statistics.median(results["bare view"][0])
    print(f"\nin process, {N} requests per run, 3 runs, signed out")
    print(f"{'path':18} {'ms min / med / max':>24} {'queries':>8} {'x bare':>7}")
    for name, (runs, queries) in results.items():
        low, mid, high = min(runs), statistics.median(runs), max(runs)
        print(f"{name:18} {low:7.2f} / {mid:6.2f} / {high:6.2f} {queries:8} {mid / bare:6.1f}x")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average {load} ({os.cpu_count()} cores)")


@pytest.mark.django_db(transaction=True)
def test_confirmation_emails_in_process(sam, owner_org, settings):  # type: ignore[no-untyped-def]  # noqa: F811
    """BENCH_SIGNATURES signatures signed (committed: what they queue on commit is queued), then
    the worker's loop run until nothing is queued; three rounds. Printed: the tasks queued, the
    e-mails sent (locmem backend), the seconds the worker took."""
    from django.core import mail
    from django_tasks_db.models import DBTaskResult

    from internationale.campaigns.signing import signature_receive
    from internationale.campaigns.tests.helpers import launched
    from internationale.core.worker import run_pending_tasks

    n = int(os.environ.get("BENCH_SIGNATURES", "200"))
    settings.INTERNATIONALE_CAMPAIGN_CONFIRMATION_ENQUEUE_SECONDS = 1.0  # the server's (tests: 0)
    campaign = launched(sam, owner_org)
    rounds = []
    for r in range(3):
        DBTaskResult.objects.all().delete()
        mail.outbox = []
        for i in range(n):
            signature_receive(
                campaign=campaign, first_name="S", email=f"r{r}s{i}@x.example", country="BR"
            )
        queued = DBTaskResult.objects.count()
        start = time.perf_counter()
        while run_pending_tasks():
            pass
        rounds.append((time.perf_counter() - start, queued, len(mail.outbox)))
    times = sorted(t for t, _, _ in rounds)
    print(f"\nconfirmation e-mails in process, {n} signatures, 3 rounds")
    print(f"tasks queued {[q for _, q, _ in rounds]}, e-mails sent {[m for _, _, m in rounds]}")
    print(f"worker s min / med / max: {times[0]:.2f} / {times[1]:.2f} / {times[2]:.2f}")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average {load} ({os.cpu_count()} cores)")


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF="bench.urls_bench")
def test_campaign_signing_in_process(sam, owner_org, settings):  # type: ignore[no-untyped-def]  # noqa: F811
    """Signing through the public API in process, signed out, against the bare view in the same
    run: --n (BENCH_N) signatures per run, each a new address from a client address of its own (as
    a flood behind a proxy arrives: the limits per address stay at their defaults), three runs;
    printed: min/median/max ms per request, the SQL statements of one signature (the request's),
    the ratio to the bare view; then the worker's time to screen, write and e-mail them (what the
    request leaves to it), per signature, and its statements per signature."""
    from django.core import mail
    from django_tasks_db.models import DBTaskResult

    from internationale.campaigns import public_page
    from internationale.campaigns.tests.helpers import launched
    from internationale.core.worker import run_pending_tasks

    settings.INTERNATIONALE_CAMPAIGN_CONFIRMATION_ENQUEUE_SECONDS = 1.0  # the server's (tests: 0)
    settings.INTERNATIONALE_CAMPAIGN_INTAKE_ENQUEUE_SECONDS = 1.0
    public_page.pages.clear()
    campaign = launched(sam, owner_org)
    sign = f"/api/v1/campaigns/{campaign.pk}/signatures"
    client = Client()
    serial = iter(range(10**9))

    def signature() -> None:
        n = next(serial)
        answer = client.post(
            sign,
            {"first_name": "S", "email": f"s{n}@d{n % 1000}.example", "country": "BR"},
            content_type="application/json",
            REMOTE_ADDR=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
        )
        assert answer.status_code == 202, answer.content

    def bare() -> None:
        assert client.get("/bench/minimal/").status_code == 200

    results = {}
    cpus: dict[str, list[float]] = {}
    worker = []
    for name, call in (("bare view", bare), ("sign (API POST)", signature)):
        for _ in range(20):
            call()
        queries = _statements(name, call)
        runs, cpu = [], []
        for _ in range(3):
            start, thread = time.perf_counter(), time.thread_time()
            for _ in range(N):
                call()
            runs.append((time.perf_counter() - start) * 1000 / N)
            cpu.append((time.thread_time() - thread) * 1000 / N)
            if name != "bare view":
                # What the requests left to the worker: screened, written, e-mailed.
                mail.outbox = []
                done: list[str] = []
                start = time.perf_counter()
                with connection.execute_wrapper(functools.partial(_counted, done)):
                    while run_pending_tasks():
                        pass
                worker.append(((time.perf_counter() - start) * 1000 / N, len(done) / N))
                DBTaskResult.objects.all().delete()
        results[name] = (runs, len(queries))
        cpus[name] = cpu
        if os.environ.get("BENCH_PROFILE"):
            _profile(name, call)
    base = statistics.median(results["bare view"][0])
    print(f"\nsigning in process, {N} requests per run, 3 runs, signed out")
    print(f"{'path':18} {'ms min / med / max':>24} {'SQL':>5} {'x bare':>7}")
    for name, (runs, queries) in results.items():
        low, mid, high = min(runs), statistics.median(runs), max(runs)
        print(f"{name:18} {low:7.2f} / {mid:6.2f} / {high:6.2f} {queries:5} {mid / base:6.1f}x")
    # The CPU of the request's thread (SQLite's own work included): what the load moves least.
    cpu_base = statistics.median(cpus["bare view"])
    for name, cpu in cpus.items():
        low, mid, high = min(cpu), statistics.median(cpu), max(cpu)
        print(
            f"{name + ', CPU':18} {low:7.2f} / {mid:6.2f} / {high:6.2f} {'':5} {mid / cpu_base:6.1f}x"
        )
    times = sorted(t for t, _ in worker)
    statements = sorted(q for _, q in worker)
    print(
        f"worker, per signature: ms min / med / max {times[0]:.2f} / {times[1]:.2f} / "
        f"{times[2]:.2f}, SQL statements {statements[1]:.1f}"
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average {load} ({os.cpu_count()} cores)")
