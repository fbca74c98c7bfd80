"""The appeal's page for the issuer's people and an addressee's, in process (Django's test client,
no server), against the minimal view signed out and signed in, through the same middleware in the
same run.

    PYTHONPATH=$PWD .venv/bin/pytest -p no:cacheprovider -p no:xdist -s bench/appeal_inprocess.py
    BENCH_PROFILE=1 ...   # and cProfile's top functions of each page (BENCH_N requests)
    BENCH_HTML=path ...   # and write each page's HTML (CSRF tokens blanked), to compare versions

An appeal to the network by the Metalworkers (Sam, their secretary), sent to the Korean
dockworkers (Kim, their secretary) and 20 more organizations, with 25 pledges and answers;
committed (inside a transaction nothing is kept), read warm. For each path, --n (BENCH_N, 300)
requests a run, three runs: the CPU time of the request's thread (`time.thread_time`, SQLite's own
work included) and the wall time, min/median/max of the runs' means, the queries of one warm
request, the ratio of the CPU median to the minimal view's signed out; the load average.
"""

import functools
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection
from django.template.base import Template
from django.test import override_settings
from django.test.utils import _TestState

from internationale.appeals.tests.conftest import send  # noqa: F401 -- fixture
from internationale.conftest import client_for, kim, other_org, owner_org, sam  # noqa: F401

N = int(os.environ.get("BENCH_N", "300"))


def _counted(queries: list[str], run, sql, *args):  # type: ignore[no-untyped-def]
    queries.append(sql)
    return run(sql, *args)


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF="bench.urls_bench")
def test_signed_in_appeal_page_in_process(  # type: ignore[no-untyped-def]
    sam,  # noqa: F811
    kim,  # noqa: F811
    owner_org,  # noqa: F811
    other_org,  # noqa: F811
    send,  # noqa: F811
    client_for,  # noqa: F811
    monkeypatch,
):
    from django.urls import reverse

    from internationale.appeals import public_page
    from internationale.appeals.models import Pledge, PledgeSupport, Response
    from internationale.appeals.tests.factories import AppealFactory
    from internationale.organizations.tests.factories import OrganizationFactory

    # As a server renders: without the test environment's signal at each template rendered
    # (and the test client's copy of every context it sends).
    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)
    public_page.pages.clear()
    public_page.fragments.clear()
    draft = AppealFactory(
        organization=owner_org,
        created_by=sam,
        visibility="network",
        title="Lockout at the Anchieta plant",
        asks_material_aid=True,
    )
    extra = [OrganizationFactory().pk for _ in range(20)]
    appeal = send(draft, sam, add=[other_org.pk, *extra])
    for n, pk in enumerate(extra[:25]):
        pledge = Pledge.objects.create(
            appeal=appeal, organization_id=pk, description=f"Statement {n}", public=True
        )
        PledgeSupport.objects.create(pledge=pledge, form="propaganda")
        Response.objects.create(appeal=appeal, organization_id=pk, kind="pledged", pledge=pledge)
    page = reverse("appeal_detail", args=[appeal.pk])
    readers = {
        "minimal view": (client_for(None), "/bench/minimal/"),
        "minimal view, signed in": (client_for(sam), "/bench/minimal/"),
        "issuer's page": (client_for(sam), page),
        "addressee's page": (client_for(kim), page),
    }
    results = {}
    profile = os.environ.get("BENCH_PROFILE")
    html_to = os.environ.get("BENCH_HTML")
    for name, (client, path) in readers.items():
        for _ in range(20):
            assert client.get(path).status_code == 200
        queries: list[str] = []
        with connection.execute_wrapper(functools.partial(_counted, queries)):
            answer = client.get(path)
        if html_to and path == page:
            html = re.sub(
                r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]*"',
                r"\1-",
                answer.content.decode(),
            )
            Path(html_to).mkdir(parents=True, exist_ok=True)
            (Path(html_to) / f"{name.split(chr(39))[0]}.html").write_text(html)
        runs = []
        for _ in range(3):
            cpu, wall = time.thread_time(), time.perf_counter()
            for _ in range(N):
                client.get(path)
            runs.append(
                ((time.thread_time() - cpu) * 1000 / N, (time.perf_counter() - wall) * 1000 / N)
            )
        results[name] = (runs, len(queries))
        if profile:
            import cProfile
            import io
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(N):
                client.get(path)
            profiler.disable()
            stem = name.split(chr(39))[0].replace(" ", "-").replace(",", "")
            profiler.dump_stats(Path(tempfile.gettempdir()) / f"appeal-{stem}.prof")
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(
                int(os.environ.get("BENCH_PROFILE_LINES", "45"))
            )
            stats.sort_stats("tottime").print_stats(30)
            print(f"\n== {name}\n{out.getvalue()}")
    base = statistics.median(cpu for cpu, _ in results["minimal view"][0])
    print(f"\nin process ({connection.vendor}), {N} requests per run, 3 runs")
    print(
        f"{'path':24} {'CPU ms min / med / max':>24} {'wall ms min / med / max':>24} {'SQL':>4} {'x min.':>7}"
    )
    for name, (runs, count) in results.items():
        cpu = sorted(c for c, _ in runs)
        wall = sorted(w for _, w in runs)
        print(
            f"{name:24} {cpu[0]:6.2f} / {cpu[1]:5.2f} / {cpu[2]:5.2f}"
            f" {wall[0]:8.2f} / {wall[1]:5.2f} / {wall[2]:5.2f} {count:4} {cpu[1] / base:6.1f}x"
        )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average {load} ({os.cpu_count()} cores)")
