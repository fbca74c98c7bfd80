"""The background worker: django-tasks-db's worker, plus what a platform needs around it.

- A heartbeat, so that tasks held by a worker that died (killed, machine lost) are run again:
  a RUNNING task whose worker has not been seen for WORKER_LEASE_SECONDS goes back to READY; a
  worker starting on a machine gives back at once those of that machine's workers whose process
  is gone.
  Every task is idempotent, so running one again is safe.
- Periodic tasks (INTERNATIONALE_PERIODIC_TASKS), queued when due unless one is already waiting.
- Tasks run beside the queue (INTERNATIONALE_WORKER_BESIDE_TASKS): short ones whose delay users
  see (the public count of a campaign), run by a thread of their own when due, so that a long task
  under way (a batch of e-mails, a delivery) never holds them back: queued, a count waited up to
  half a minute behind one.
- On SQLite, a pause after a task once it has worked 25 ms since the last (`core.db.give_way`), so
  that a web request waiting to write is not kept waiting by a run of tasks: one fan-out is a
  hundred tasks one after the other.
- A warm-up at start: the URL configuration and the views it imports are loaded before the first
  task, not by it (a delivery links to what it delivers).

Every query of the housekeeping is served by an index (core/history.py lists them), so it costs
the same however many finished tasks the table holds.
"""

import logging
import os
import socket
import threading
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from internationale.core.db import give_way
from internationale.core.models import WorkerHeartbeat

logger = logging.getLogger("internationale.worker")

ACTIVE = [TaskResultStatus.READY, TaskResultStatus.RUNNING]
FINISHED = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]


def ready_tasks() -> QuerySet[DBTaskResult]:
    """The next task to run, as django-tasks-db's worker loop asks for it (all queues)."""
    return DBTaskResult.objects.ready().filter(backend_name="default")[:1]


def tasks_left_running(now: datetime) -> QuerySet[DBTaskResult]:
    """Tasks running for longer than a lease: their worker may have stopped."""
    lease = timedelta(seconds=settings.INTERNATIONALE_WORKER_LEASE_SECONDS)
    return (
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
        .filter(Q(started_at__lt=now - lease) | Q(started_at__isnull=True))
        .order_by()
    )


def periodic_tasks_waiting(paths: list[str]) -> QuerySet[DBTaskResult, str]:
    """The task paths among `paths` of which one is waiting to run or running."""
    return (
        DBTaskResult.objects.filter(status__in=ACTIVE, task_path__in=paths)
        .order_by()
        .values_list("task_path", flat=True)
    )


def silent_heartbeats(now: datetime) -> QuerySet[WorkerHeartbeat]:
    """Heartbeats of workers gone for a day: forgotten."""
    return WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1))


def requeue_orphans(now=None) -> int:  # type: ignore[no-untyped-def]
    """Give back tasks whose worker stopped beating. Returns how many."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.INTERNATIONALE_WORKER_LEASE_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - lease).values_list("worker_id", flat=True)
    )
    requeued = 0
    for result in tasks_left_running(now).only("id", "worker_ids", "started_at"):
        holder = result.worker_ids[-1] if result.worker_ids else None
        if holder in alive:
            continue
        # Conditional update: only if still RUNNING by the same worker, so two sweepers agree.
        requeued += DBTaskResult.objects.filter(
            pk=result.pk, status="RUNNING", started_at=result.started_at
        ).update(status="READY", started_at=None)
    if requeued:
        logger.warning("re-queued %d task(s) left running by a worker that stopped", requeued)
    return requeued


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def requeue_of_the_dead_here(me: str) -> int:
    """At a worker's start: give back at once the tasks of workers of this machine whose process
    is gone (killed, crashed), rather than after their lease: a worker restarted after a kill
    then runs them now (the count of signatures, due every few seconds, was held for a whole
    lease). A pid the machine reused looks alive: its tasks wait for the lease, as before.
    Returns how many."""
    host = socket.gethostname()[:200]
    dead = {
        worker_id
        for worker_id, pid in WorkerHeartbeat.objects.filter(host=host)
        .exclude(worker_id=me)
        .values_list("worker_id", "pid")
        if pid and not _process_alive(pid)
    }
    if not dead:
        return 0
    requeued = 0
    for result in (
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
        .order_by()
        .only("id", "worker_ids", "started_at")
    ):
        if result.worker_ids and result.worker_ids[-1] in dead:
            requeued += DBTaskResult.objects.filter(
                pk=result.pk, status="RUNNING", started_at=result.started_at
            ).update(status="READY", started_at=None)
    WorkerHeartbeat.objects.filter(worker_id__in=dead).delete()
    if requeued:
        logger.warning("re-queued %d task(s) of a worker of this machine that died", requeued)
    return requeued


def queue_due_periodic(last_run: dict[str, float]) -> None:
    due = []
    for path, every in settings.INTERNATIONALE_PERIODIC_TASKS:
        if time.monotonic() - last_run.get(path, -1e9) < every:
            continue
        last_run[path] = time.monotonic()
        due.append(path)
    if not due:
        return
    waiting = set(periodic_tasks_waiting(due))
    for path in due:
        if path not in waiting:
            import_string(path).enqueue()


def run_due_beside(last_run: dict[str, float]) -> float:
    """Run the tasks beside the queue that are due, in this thread (each one's failure logged,
    the others run); returns how long until the next is due."""
    now = time.monotonic()
    wait = 60.0
    for path, every in settings.INTERNATIONALE_WORKER_BESIDE_TASKS:
        if now - last_run.get(path, -1e9) >= every:
            last_run[path] = now
            try:
                import_string(path).call()
            except Exception:
                logger.exception("task %s, run beside the queue, failed; trying again", path)
        wait = min(wait, max(0.0, last_run[path] + every - time.monotonic()))
    return wait


def housekeeping_interval() -> float:
    """How often the housekeeping runs: a quarter of the lease (the heartbeat), or as often as the
    most frequent periodic task (the count of signatures: every 5 s), since periodic tasks are
    queued by the housekeeping: woken every 15 s, it queued a task of every 5 s every 15 s."""
    periods = [float(every) for _path, every in settings.INTERNATIONALE_PERIODIC_TASKS]
    return max(1.0, min([settings.INTERNATIONALE_WORKER_LEASE_SECONDS / 4, *periods]))


def warm_up() -> None:
    """Load what the first tasks would otherwise load while a send waits for them: the URL
    configuration, with the views and apps it imports (links are reversed through it)."""
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 (read for its side effect: the resolver filled)


class PlatformWorker(Worker):
    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self._stop = threading.Event()

    def beat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"seen_at": now, "pid": os.getpid(), "host": socket.gethostname()[:200]},
            create_defaults={
                "seen_at": now,
                "started_at": now,
                "pid": os.getpid(),
                "host": socket.gethostname()[:200],
            },
        )

    def _housekeeping(self) -> None:
        last_run: dict[str, float] = {}
        interval = housekeeping_interval()
        while not self._stop.is_set():
            try:
                close_old_connections()
                with transaction.atomic():
                    self.beat()
                requeue_orphans()
                queue_due_periodic(last_run)
                silent_heartbeats(timezone.now()).delete()
            except Exception:
                logger.exception("worker housekeeping failed; trying again")
            self._stop.wait(interval)
        connections.close_all()  # this thread's own

    def _beside(self) -> None:
        last_run: dict[str, float] = {}
        while not self._stop.is_set():
            close_old_connections()
            self._stop.wait(run_due_beside(last_run))
        connections.close_all()  # this thread's own

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        give_way(db_task_result._state.db or "default")

    def run(self) -> None:
        warm_up()
        self.beat()
        requeue_of_the_dead_here(self.worker_id)
        threads = [threading.Thread(target=self._housekeeping, name="housekeeping", daemon=True)]
        if settings.INTERNATIONALE_WORKER_BESIDE_TASKS:
            threads.append(threading.Thread(target=self._beside, name="beside", daemon=True))
        for thread in threads:
            thread.start()
        try:
            super().run()
        finally:
            self._stop.set()
            for thread in threads:  # each finishes what it runs and closes its connection
                thread.join(timeout=30)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


def run_worker(*, batch: bool = False, interval: float = 1.0, worker_id: str | None = None) -> None:
    """Run a worker until stopped. SIGTERM or Ctrl+C let the task under way finish first; a
    second one stops at once (the task is then run again by the next worker, after its lease)."""
    from django.utils.crypto import get_random_string

    worker = PlatformWorker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=None,
        worker_id=worker_id or get_random_string(32),
    )
    worker.configure_signals()
    try:
        worker.run()
    finally:
        worker.reset_signals()


def run_pending_tasks(*, only: str | None = None) -> int:
    """Run every task that is ready now (or only those of the task whose path is `only`), in this
    process, and return how many ran: for the command line and for tests, which go through the
    same worker code as production.

    Tasks are claimed and run as the worker's loop does (`claim`, then `Worker.run_task`), but
    without its connection recycling: `close_old_connections` would close a PostgreSQL
    connection that is inside a transaction, as a caller's or a test's may be.
    """
    worker = Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="inline",
    )
    ran = 0
    while True:
        tasks = DBTaskResult.objects.ready().filter(backend_name=worker.backend_name)
        if only is not None:
            tasks = tasks.filter(task_path=only)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(worker.worker_id)
        if task_result is None:
            return ran
        worker.run_task(task_result)
        ran += 1
