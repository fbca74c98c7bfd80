"""Run calls at the same moment, each in its own thread and database connection."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

# On SQLite, immediate transactions serialize writers, and the test database is in memory:
# races between row locks are a PostgreSQL matter (DATABASE_URL=postgres://...).
needs_row_locks = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="row-lock races are checked on PostgreSQL"
)


def concurrently(*calls: Callable[[], Any]) -> list[Any]:
    """Each call's result, or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[i] = call()
        except Exception as exc:
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
