"""The background worker: tasks of a worker that died are run again; periodic tasks are queued."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from internationale.core.models import WorkerHeartbeat
from internationale.core.worker import (
    PlatformWorker,
    housekeeping_interval,
    queue_due_periodic,
    requeue_of_the_dead_here,
    requeue_orphans,
)
from internationale.notifications.tests.notices import notify

RETRY_WEBHOOKS = "internationale.notifications.tasks.retry_due_webhooks"


@pytest.fixture
def lease(settings):
    settings.INTERNATIONALE_WORKER_LEASE_SECONDS = 60
    return datetime.timedelta(seconds=60)


@pytest.fixture
def notification_held_by(owner_org, sam, django_capture_on_commit_callbacks):
    """A notice's dispatch task (which e-mails Sam), claimed by a worker `minutes_ago`."""

    def held(worker_id: str, minutes_ago: float = 5) -> DBTaskResult:
        notify(owner_org, title="Strike!", at_once=False)
        task = DBTaskResult.objects.get()
        task.claim(worker_id)
        DBTaskResult.objects.filter(pk=task.pk).update(
            started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
        )
        return task

    return held


def beat(worker_id: str, seconds_ago: float) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        seen_at=now - datetime.timedelta(seconds=seconds_ago),
        started_at=now - datetime.timedelta(hours=1),
    )


def test_a_task_left_running_by_a_worker_that_died_is_run_again(
    lease, notification_held_by, run_tasks
):
    task = notification_held_by("dead-worker")
    beat("dead-worker", seconds_ago=300)
    assert run_tasks() == 0  # still RUNNING: no other worker would touch it

    assert requeue_orphans() == 1
    task.refresh_from_db()
    assert (task.status, task.started_at) == ("READY", None)
    assert run_tasks() == 2  # the dispatch, then its e-mail and webhooks
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert [m.to for m in mail.outbox] == [["sam@metal.example"]]


def test_a_task_of_a_worker_that_never_beat_is_run_again(lease, notification_held_by):
    notification_held_by("vanished")
    assert requeue_orphans() == 1


def test_a_long_task_held_by_a_live_worker_is_left_alone(lease, notification_held_by, run_tasks):
    task = notification_held_by("busy-worker", minutes_ago=30)
    beat("busy-worker", seconds_ago=5)
    assert requeue_orphans() == 0
    task.refresh_from_db()
    assert task.status == "RUNNING"
    assert mail.outbox == []


def test_a_task_started_moments_ago_is_not_taken_from_its_worker(lease, notification_held_by):
    notification_held_by("quiet-worker", minutes_ago=0.2)
    assert requeue_orphans() == 0


def test_a_running_worker_beats_and_its_tasks_are_left_alone(lease, notification_held_by, db):
    worker = PlatformWorker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=1,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker-on-this-host",
    )
    worker.beat()
    first = WorkerHeartbeat.objects.get(worker_id="worker-on-this-host")
    notification_held_by("worker-on-this-host", minutes_ago=10)
    worker.beat()
    again = WorkerHeartbeat.objects.get(worker_id="worker-on-this-host")
    assert again.seen_at > first.seen_at
    assert again.started_at == first.started_at
    assert requeue_orphans() == 0


def test_a_periodic_task_is_queued_once_when_due(settings, run_tasks):
    settings.INTERNATIONALE_PERIODIC_TASKS = [(RETRY_WEBHOOKS, 60)]
    last_run: dict[str, float] = {}
    queue_due_periodic(last_run)
    queue_due_periodic(last_run)  # not due again yet
    assert DBTaskResult.objects.filter(task_path=RETRY_WEBHOOKS).count() == 1

    queue_due_periodic({})  # another worker: due, but one is already waiting
    assert DBTaskResult.objects.filter(task_path=RETRY_WEBHOOKS).count() == 1

    run_tasks()
    last_run[RETRY_WEBHOOKS] -= 61  # a minute later
    queue_due_periodic(last_run)
    assert list(
        DBTaskResult.objects.filter(task_path=RETRY_WEBHOOKS)
        .order_by("enqueued_at")
        .values_list("status", flat=True)
    ) == ["SUCCESSFUL", "READY"]


def test_every_configured_periodic_task_can_be_queued_and_run(settings, run_tasks):
    queue_due_periodic({})
    paths = {path for path, _every in settings.INTERNATIONALE_PERIODIC_TASKS}
    assert set(DBTaskResult.objects.values_list("task_path", flat=True)) == paths
    assert run_tasks() == len(paths)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_the_housekeeping_wakes_as_often_as_the_most_frequent_periodic_task(settings):
    settings.INTERNATIONALE_WORKER_LEASE_SECONDS = 60
    settings.INTERNATIONALE_PERIODIC_TASKS = [(RETRY_WEBHOOKS, 60)]
    assert housekeeping_interval() == 15  # the heartbeat's: a quarter of the lease
    settings.INTERNATIONALE_PERIODIC_TASKS = [(RETRY_WEBHOOKS, 60), (RETRY_WEBHOOKS + "x", 5)]
    assert housekeeping_interval() == 5  # else that task would be queued every 15 s


def test_a_worker_starting_gives_back_at_once_the_tasks_of_a_dead_worker_of_its_machine(
    lease, notification_held_by
):
    """Killed and restarted, the worker runs what the dead one held now, not after its lease; a
    worker of the machine whose process lives keeps its tasks."""
    import os
    import socket
    import subprocess
    import sys

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],  # noqa: S603
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(gone.stdout)
    task = notification_held_by("killed-worker", minutes_ago=0.1)
    now = timezone.now()
    host = socket.gethostname()[:200]
    WorkerHeartbeat.objects.create(
        worker_id="killed-worker", seen_at=now, started_at=now, pid=dead_pid, host=host
    )
    WorkerHeartbeat.objects.create(
        worker_id="living-worker", seen_at=now, started_at=now, pid=os.getpid(), host=host
    )
    assert requeue_orphans() == 0  # within its lease, and its heartbeat is fresh

    assert requeue_of_the_dead_here("new-worker") == 1
    task.refresh_from_db()
    assert (task.status, task.started_at) == ("READY", None)
    assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {"living-worker"}


def test_a_starting_worker_leaves_the_tasks_of_a_living_worker_of_its_machine(
    lease, notification_held_by
):
    import os
    import socket

    task = notification_held_by("living-worker", minutes_ago=0.1)
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="living-worker",
        seen_at=now,
        started_at=now,
        pid=os.getpid(),
        host=socket.gethostname()[:200],
    )
    assert requeue_of_the_dead_here("new-worker") == 0
    task.refresh_from_db()
    assert task.status == "RUNNING"
