"""Every query the worker runs on a schedule is served by an index, on the database the suite
runs on (SQLite or PostgreSQL): with a year of history behind it, it reads what it needs, not
the whole table (the list: core/history.py; the figures: bench/history.py)."""

import re

import pytest
from django.db import connection, models, transaction
from django.utils import timezone

from internationale.core.history import periodic_queries, prunables


def plan(queryset: models.QuerySet) -> list[str]:
    """The database's plan for `queryset`, one line per step."""
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return [row[-1] for row in cursor.fetchall()]
        # An empty table is read whole because that is cheapest: forbid it, and see whether an
        # index could serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def table_scans(lines: list[str]) -> list[str]:
    if connection.vendor == "sqlite":
        # "SCAN <table>" reads every row; "SEARCH ... USING INDEX" and a scan of an index
        # ("SCAN <table> USING INDEX <partial index>") do not.
        return [line for line in lines if re.fullmatch(r"\s*SCAN \w+( AS \w+)?\s*", line)]
    return [line for line in lines if "Seq Scan" in line]


def test_the_worker_pruning_e_mail_digests_webhooks_and_escalation_are_all_listed():
    names = set(periodic_queries())
    assert {
        "worker: tasks ready to run",
        "worker: tasks left running",
        "worker: periodic tasks waiting",
        "notices to dispatch again",
        "e-mails to send again",
        "e-mails kept for a digest",
        "webhook deliveries due",
        "appeals to escalate",
    } <= names
    assert {f"prune {name}" for name in prunables()} <= names
    assert {"task results", "notices", "e-mail records", "webhook deliveries"} <= set(prunables())


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(periodic_queries()))
def test_each_periodic_query_is_served_by_an_index(name):
    lines = plan(periodic_queries()[name](timezone.now()))
    assert not table_scans(lines), f"{name} reads its whole table:\n" + "\n".join(lines)
