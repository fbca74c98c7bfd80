"""History pruned on a schedule: what has served its purpose goes after its retention, what is
still to do stays, whatever its age; and the web can write between the batches."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from internationale.core import history
from internationale.core.history import prunables, prune_history
from internationale.core.models import Notice, SubmissionKey
from internationale.core.notices import notices_redispatch
from internationale.notifications.models import (
    EmailNotification,
    InboxEntry,
    Webhook,
    WebhookDelivery,
)
from internationale.notifications.tests.notices import notify

PRUNE = "internationale.core.history.prune_history"


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def retention(settings):
    settings.INTERNATIONALE_TASK_RESULT_RETENTION_DAYS = 14
    settings.INTERNATIONALE_EMAIL_RETENTION_DAYS = 90
    settings.INTERNATIONALE_NOTICE_RETENTION_DAYS = 30
    settings.INTERNATIONALE_WEBHOOK_DELIVERY_RETENTION_DAYS = 30
    settings.INTERNATIONALE_SUBMISSION_KEY_RETENTION_DAYS = 30
    return settings


def task_result(status: str, **times: datetime.datetime) -> DBTaskResult:
    """A task result of the given status, with the given times."""
    result = notices_redispatch.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(status=status, **times)
    return DBTaskResult.objects.get(pk=result.id)


def remaining(queryset, *rows) -> set:  # type: ignore[no-untyped-def]
    return set(queryset.filter(pk__in=[row.pk for row in rows]).values_list("pk", flat=True))


def test_pruning_is_scheduled_daily(settings):
    assert (PRUNE, 24 * 3600) in settings.INTERNATIONALE_PERIODIC_TASKS


def test_finished_tasks_go_after_their_retention_and_tasks_still_to_run_never(
    db, retention, run_tasks
):
    old_done = task_result("SUCCESSFUL", finished_at=days_ago(15))
    old_failed = task_result("FAILED", finished_at=days_ago(15))
    recent_done = task_result("SUCCESSFUL", finished_at=days_ago(13))
    waiting = task_result("READY", enqueued_at=days_ago(400))
    running = task_result("RUNNING", started_at=days_ago(400))

    assert history.prune(prunables()["task results"]) == 2

    assert remaining(DBTaskResult.objects, old_done, old_failed, recent_done, waiting, running) == {
        recent_done.pk,
        waiting.pk,
        running.pk,
    }


def test_sent_emails_go_after_their_retention_and_unsent_ones_never(db, retention, sam):
    def email(key: str, **fields) -> EmailNotification:  # type: ignore[no-untyped-def]
        return EmailNotification.objects.create(user=sam, event_key=key, subject="x", **fields)

    old_sent = email("inbox:1", sent_at=days_ago(91))
    recent_sent = email("inbox:2", sent_at=days_ago(89))
    never_sent = email("inbox:3", claimed_at=days_ago(400))
    for_digest = email("inbox:4", digest=True)
    EmailNotification.objects.filter(pk__in=[never_sent.pk, for_digest.pk]).update(
        created_at=days_ago(400)
    )

    assert history.prune(prunables()["e-mail records"]) == 1

    assert remaining(EmailNotification.objects, old_sent, recent_sent, never_sent, for_digest) == {
        recent_sent.pk,
        never_sent.pk,
        for_digest.pk,
    }


def test_dispatched_notices_go_after_their_retention_and_the_inbox_keeps_its_entries(
    retention, owner_org, sam, client_for
):
    old = notify(owner_org, title="Lockout at the port of Busan")
    recent = notify(owner_org, title="Strike at the Santos terminal")
    undispatched = notify(owner_org, title="Arrests in Incheon", at_once=False)
    Notice.objects.filter(pk=old.pk).update(dispatched_at=days_ago(31))
    Notice.objects.filter(pk=recent.pk).update(dispatched_at=days_ago(29))
    Notice.objects.filter(pk=undispatched.pk).update(created_at=days_ago(400))

    assert history.prune(prunables()["notices"]) == 1

    assert remaining(Notice.objects, old, recent, undispatched) == {recent.pk, undispatched.pk}
    entry = InboxEntry.objects.get(title="Lockout at the port of Busan")
    assert entry.notice_id is None
    page = client_for(sam).get(reverse("inbox", args=[owner_org.slug]))
    assert "Lockout at the port of Busan" in page.content.decode()


def test_webhook_deliveries_done_go_after_their_retention_and_pending_ones_never(
    retention, owner_org
):
    hook = Webhook.objects.create(
        organization=owner_org, url="https://example.org/hook", secret="whsec_c2VjcmV0"
    )

    def delivery(key: str, status: str, age: float) -> WebhookDelivery:
        row = WebhookDelivery.objects.create(
            webhook=hook, event_key=key, event="appeal.received", payload={}, status=status
        )
        WebhookDelivery.objects.filter(pk=row.pk).update(created_at=days_ago(age))
        return row

    delivered = delivery("inbox:1", WebhookDelivery.Status.DELIVERED, 31)
    failed = delivery("inbox:2", WebhookDelivery.Status.FAILED, 31)
    pending = delivery("inbox:3", WebhookDelivery.Status.PENDING, 400)
    recent = delivery("inbox:4", WebhookDelivery.Status.DELIVERED, 29)

    assert history.prune(prunables()["webhook deliveries"]) == 2

    assert remaining(WebhookDelivery.objects, delivered, failed, pending, recent) == {
        pending.pk,
        recent.pk,
    }


def test_submission_keys_go_after_their_retention_and_expired_sessions_go(retention, sam):
    old = SubmissionKey.objects.create(user=sam, scope="appeal", key="a")
    recent = SubmissionKey.objects.create(user=sam, scope="appeal", key="b")
    SubmissionKey.objects.filter(pk=old.pk).update(created_at=days_ago(31))
    expired, live = SessionStore(), SessionStore()
    expired.set_expiry(-60)
    expired.create()
    live.create()

    assert history.prune(prunables()["submission keys"]) == 1
    assert history.prune(prunables()["expired sessions"]) == 1

    assert remaining(SubmissionKey.objects, old, recent) == {recent.pk}
    assert set(Session.objects.values_list("session_key", flat=True)) == {live.session_key}


def test_expired_entries_of_the_shared_cache_go_such_as_sign_in_counters_naming_an_address(db):
    from django.core.cache import cache

    cache.set("allauth:rl:account:login_failed:10/m/ip:ip:203.0.113.7", [1.0], timeout=60)
    cache.set("still-counting", [1.0], timeout=60)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE internationale_cache SET expires = %s WHERE cache_key LIKE %s",
            [connection.ops.adapt_datetimefield_value(days_ago(1)), "%203.0.113.7%"],
        )

    assert history.prune_expired_cache(timezone.now()) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM internationale_cache")
        assert [key for (key,) in cursor.fetchall()] == [":1:still-counting"]


def test_a_retention_of_zero_days_keeps_everything(retention, sam):
    retention.INTERNATIONALE_EMAIL_RETENTION_DAYS = 0
    EmailNotification.objects.create(
        user=sam, event_key="inbox:1", subject="x", sent_at=days_ago(4000)
    )

    assert history.prune(prunables()["e-mail records"]) == 0
    assert EmailNotification.objects.count() == 1


def test_rows_go_in_batches_each_its_own_delete(retention, sam, monkeypatch):
    monkeypatch.setattr(history, "PRUNE_BATCH", 2)
    monkeypatch.setattr(history, "PRUNE_PAUSE", 0)
    for n in range(5):
        EmailNotification.objects.create(
            user=sam, event_key=f"inbox:{n}", subject="x", sent_at=days_ago(100)
        )

    with CaptureQueriesContext(connection) as queries:
        assert history.prune(prunables()["e-mail records"]) == 5

    deletes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 3  # 2, 2 and 1 rows
    assert not EmailNotification.objects.exists()


def test_the_worker_runs_the_prune_as_a_task(retention, run_tasks):
    old_done = task_result("SUCCESSFUL", finished_at=days_ago(15))

    prune_history.enqueue()
    assert run_tasks() == 1

    assert not DBTaskResult.objects.filter(pk=old_done.pk).exists()
    ran = DBTaskResult.objects.get(task_path=PRUNE)
    assert (ran.status, ran.return_value["task results"]) == ("SUCCESSFUL", 1)
