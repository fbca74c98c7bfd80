"""History that would grow forever, pruned on a schedule; and every query the worker runs on one.

Two lists, filled by each app from its `ready()` (core imports no app):

- **What may be pruned** (`register_prunable`): rows that served their purpose (finished tasks,
  e-mails sent, notices dispatched, webhook deliveries done, expired sessions...) and the setting
  that says how many days they are kept. `prune_history`, queued daily by the worker, deletes
  those older than that, in batches of `PRUNE_BATCH` rows, each batch its own short transaction:
  on SQLite the web waits at most one batch to write, never the whole prune. A retention of 0
  days keeps everything. What is still to do (a task not run, an e-mail not sent, a notice not
  dispatched, a delivery still pending) is never among them.
- **Every query a periodic task or the worker's housekeeping runs** (`register_periodic_query`):
  each must be served by an index, so that it costs the same with a year of history as with a
  day's; a test reads each one's plan on the running database
  (core/tests/test_periodic_queries.py), and bench/history.py measures them with 10,000 and
  1,000,000 rows of history.
"""

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger("internationale.history")

# Rows deleted per transaction, and the pause between two, so that writers get their turn.
PRUNE_BATCH = 500
PRUNE_PAUSE = 0.02

QueryBuilder = Callable[[datetime.datetime], models.QuerySet]


@dataclass(frozen=True)
class Prunable:
    name: str
    # The rows that may go, given the cutoff: those finished before it.
    rows: QueryBuilder
    # The setting that gives how many days they are kept; None: they go once past the cutoff
    # they carry themselves (an expired session), which is then `now`.
    retention_setting: str | None

    def cutoff(self, now: datetime.datetime) -> datetime.datetime | None:
        """The time before which rows go, or None when the retention keeps everything."""
        if self.retention_setting is None:
            return now
        days = int(getattr(settings, self.retention_setting))
        return now - datetime.timedelta(days=days) if days > 0 else None

    def batch(self, cutoff: datetime.datetime) -> models.QuerySet:
        """The primary keys of the next batch to delete: no ordering, so the database reads the
        index on the cutoff's column and stops at the batch's size."""
        return self.rows(cutoff).order_by().values_list("pk", flat=True)[:PRUNE_BATCH]


_PRUNABLE: dict[str, Prunable] = {}
_PERIODIC: dict[str, QueryBuilder] = {}


def register_prunable(name: str, *, rows: QueryBuilder, retention_setting: str | None) -> None:
    """Declare history that may be pruned: `rows(cutoff)` are the rows finished before `cutoff`,
    kept `settings.<retention_setting>` days. Their batch query is a periodic query too."""
    prunable = Prunable(name=name, rows=rows, retention_setting=retention_setting)
    _PRUNABLE[name] = prunable
    register_periodic_query(f"prune {name}", prunable.batch)


def register_periodic_query(name: str, build: QueryBuilder) -> None:
    """Declare a query that runs on a schedule, whatever the size of the history: `build(now)`
    returns it, built by the same function the task calls."""
    _PERIODIC[name] = build


def prunables() -> dict[str, Prunable]:
    return dict(_PRUNABLE)


def periodic_queries() -> dict[str, QueryBuilder]:
    return dict(_PERIODIC)


def prune(prunable: Prunable, now: datetime.datetime | None = None) -> int:
    """Delete, batch by batch, the rows of `prunable` past their retention. Returns how many."""
    cutoff = prunable.cutoff(now or timezone.now())
    if cutoff is None:
        return 0
    deleted = 0
    while True:
        pks = list(prunable.batch(cutoff))
        if not pks:
            break
        model = prunable.rows(cutoff).model
        with transaction.atomic():
            # By primary key alone: with the rows' condition too, a database may choose to read
            # that condition's index, all of the history before the cutoff, for every batch. A
            # row past its cutoff stays past it (a task finished, an e-mail sent...).
            _count, by_model = model._base_manager.filter(pk__in=pks).delete()
        deleted += by_model.get(model._meta.label, 0)
        if len(pks) < PRUNE_BATCH:
            break
        time.sleep(PRUNE_PAUSE)
    return deleted


@task()
def prune_history() -> dict[str, int]:
    """Scheduled, daily: prune every history past its retention. Returns how many rows of each."""
    now = timezone.now()
    pruned = {name: prune(prunable, now) for name, prunable in _PRUNABLE.items()}
    pruned["expired cache entries"] = prune_expired_cache(now)
    if any(pruned.values()):
        logger.info("pruned %s", ", ".join(f"{n}: {c}" for n, c in pruned.items() if c))
    return pruned


def prune_expired_cache(now: datetime.datetime) -> int:
    """Delete the shared cache's expired entries (Django's database cache drops them only when it
    is full): the sign-in limits' counters name addresses, which are kept no longer than needed."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache
    from django.db import connections, router

    cache = caches["default"]
    if not isinstance(cache, DatabaseCache):
        return 0
    db = router.db_for_write(cache.cache_model_class)
    connection = connections[db]
    table = connection.ops.quote_name(cache._table)  # type: ignore[attr-defined]
    with transaction.atomic(using=db), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE expires < %s",  # noqa: S608 - the table's name is ours
            [connection.ops.adapt_datetimefield_value(now.replace(microsecond=0))],
        )
        return max(cursor.rowcount, 0)


def register_core() -> None:
    """Core's own history and periodic queries: task results, notices, submission keys,
    sessions; the worker's housekeeping."""
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    from . import worker
    from .models import Notice, SubmissionKey
    from .notices import undispatched_notices

    register_prunable(
        "task results",
        rows=lambda cutoff: DBTaskResult.objects.filter(
            status__in=worker.FINISHED, finished_at__lt=cutoff
        ),
        retention_setting="INTERNATIONALE_TASK_RESULT_RETENTION_DAYS",
    )
    register_prunable(
        "notices",
        rows=lambda cutoff: Notice.objects.filter(dispatched_at__lt=cutoff),
        retention_setting="INTERNATIONALE_NOTICE_RETENTION_DAYS",
    )
    register_prunable(
        "submission keys",
        rows=lambda cutoff: SubmissionKey.objects.filter(created_at__lt=cutoff),
        retention_setting="INTERNATIONALE_SUBMISSION_KEY_RETENTION_DAYS",
    )
    register_prunable(
        "expired sessions",
        rows=lambda now: Session.objects.filter(expire_date__lt=now),
        retention_setting=None,
    )
    register_periodic_query("worker: tasks ready to run", lambda now: worker.ready_tasks())
    register_periodic_query("worker: tasks left running", worker.tasks_left_running)
    register_periodic_query(
        "worker: periodic tasks waiting",
        lambda now: worker.periodic_tasks_waiting(
            [path for path, _every in settings.INTERNATIONALE_PERIODIC_TASKS]
        ),
    )
    register_periodic_query("worker: silent heartbeats", worker.silent_heartbeats)
    register_periodic_query("notices to dispatch again", undispatched_notices)
