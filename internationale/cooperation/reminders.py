"""Reminders of the tasks of agreements, sent by a periodic background task
(INTERNATIONALE_PERIODIC_TASKS): to the responsible organization, a week before the deadline, a
day before it, and once the deadline has passed.

Each reminder is a `TaskReminder` row, unique per task, threshold and deadline, written in the
same transaction as its notice: run twice, by two workers at once, or again after a worker died,
the task sends each reminder once. A task whose deadline moves is reminded of again for its new
deadline. Days are counted in UTC: a task is overdue from the day after its deadline.
"""

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django_tasks import task

from internationale.core.notices import notice_send

from .models import Task, TaskReminder

# Tasks read and reminded of per query; the loop ends when none is left to remind of.
BATCH = 200
WEEK, DAY = 7, 1


def _reminded(threshold: str) -> Exists:
    return Exists(
        TaskReminder.objects.filter(
            task=OuterRef("pk"), threshold=threshold, deadline=OuterRef("deadline")
        )
    )


def reminders_due(now: datetime.datetime) -> QuerySet[Task]:
    """The pending tasks with a deadline within a week or past, not reminded of at the threshold
    they have reached. Served by the (status, deadline) index."""
    today = now.astimezone(datetime.UTC).date()
    return (
        Task.objects.filter(
            status__in=Task.PENDING, deadline__lte=today + datetime.timedelta(days=WEEK)
        )
        .alias(
            week=_reminded(TaskReminder.Threshold.WEEK),
            day=_reminded(TaskReminder.Threshold.DAY),
            overdue=_reminded(TaskReminder.Threshold.OVERDUE),
        )
        .exclude(deadline__lt=today, overdue=True)
        .exclude(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=DAY), day=True)
        .exclude(deadline__gt=today + datetime.timedelta(days=DAY), week=True)
        .order_by("deadline", "pk")
    )


def threshold_of(deadline: datetime.date, today: datetime.date) -> str:
    if deadline < today:
        return TaskReminder.Threshold.OVERDUE
    if deadline <= today + datetime.timedelta(days=DAY):
        return TaskReminder.Threshold.DAY
    return TaskReminder.Threshold.WEEK


def _remind(item: Task, today: datetime.date, now: datetime.datetime) -> bool:
    threshold = threshold_of(item.deadline, today)
    params: dict[str, Any] = {"title": item.title, "deadline": item.deadline.isoformat()}
    try:
        with transaction.atomic():
            reminder = TaskReminder.objects.create(
                task=item, threshold=threshold, deadline=item.deadline, sent_at=now
            )
            if threshold == TaskReminder.Threshold.OVERDUE:
                kind = "task.overdue"
            else:
                kind = "task.due_soon"
                params["days"] = (item.deadline - today).days
            notice_send(
                kind=kind,
                source=reminder,
                organizations=[item.organization_id],
                params=params,
                sender=None,
            )
    except IntegrityError:
        # Another worker sent it a moment ago.
        return False
    return True


def remind(*, now: datetime.datetime | None = None) -> int:
    """Send the reminders due at `now`; returns how many were sent."""
    now = now or timezone.now()
    today = now.astimezone(datetime.UTC).date()
    sent = 0
    while True:
        batch = list(reminders_due(now)[:BATCH])
        if not batch:
            return sent
        sent += sum(_remind(item, today, now) for item in batch)


@task()
def send_task_reminders() -> int:
    """The periodic task: every reminder due now, each once."""
    return remind()
