"""E-mail notifications: sent once to those who speak for an organization, retried when mail fails."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from internationale.core.models import Notice
from internationale.core.notices import notice_dispatch
from internationale.notifications.models import EmailNotification, InboxEntry
from internationale.notifications.tasks import retry_unsent_emails

from .notices import notify

UNREACHABLE = "internationale.notifications.tests.mail_backends.UnreachableMailServer"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def deliver():
    def deliver(*organizations, title="Lockout at the port of Busan"):  # type: ignore[no-untyped-def]
        return notify(*organizations, title=title, at_once=False)

    return deliver


def redispatch(notice: Notice) -> None:
    """Dispatch the notice again, as after a worker died before marking it dispatched."""
    Notice.objects.filter(pk=notice.pk).update(dispatched_at=None)
    notice_dispatch.enqueue(notice.pk)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_secretaries_and_admins_are_emailed_once_even_when_the_task_runs_twice(
    owner_org, other_org, ana, sam, mo, olu, kim, kit, deliver, run_tasks, settings
):
    notice = deliver(owner_org, other_org)
    assert run_tasks() == 2  # the inbox, then e-mail and webhooks
    redispatch(notice)
    assert run_tasks() == 2
    # Members and observers read the inbox; only those who speak for it are e-mailed.
    assert recipients() == ["ana@metal.example", "kim@docks.example", "sam@metal.example"]
    to_sam = next(m for m in mail.outbox if m.to == ["sam@metal.example"])
    assert to_sam.subject == "[Metalworkers of São Paulo] Lockout at the port of Busan"
    assert f"{settings.SITE_URL}{notice.source.get_absolute_url()}" in to_sam.body


def test_each_new_inbox_entry_is_emailed(owner_org, sam, deliver, run_tasks):
    deliver(owner_org, title="First")
    deliver(owner_org, title="Second")
    run_tasks()
    assert sorted(m.subject for m in mail.outbox) == [
        "[Metalworkers of São Paulo] First",
        "[Metalworkers of São Paulo] Second",
    ]


def test_a_deactivated_secretary_is_not_emailed(owner_org, ana, sam, deliver, run_tasks):
    sam.is_active = False
    sam.save()
    deliver(owner_org)
    run_tasks()
    assert recipients() == ["ana@metal.example"]


def test_a_failing_mail_server_fails_nothing_and_the_mail_goes_out_on_the_next_run(
    owner_org, ana, sam, deliver, run_tasks, settings
):
    settings.EMAIL_BACKEND = UNREACHABLE
    notice = deliver(owner_org)
    run_tasks()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert mail.outbox == []
    assert EmailNotification.objects.filter(sent_at__isnull=True).count() == 2

    settings.EMAIL_BACKEND = LOCMEM
    redispatch(notice)
    run_tasks()
    redispatch(notice)
    run_tasks()
    assert recipients() == ["ana@metal.example", "sam@metal.example"]
    assert not EmailNotification.objects.filter(sent_at__isnull=True).exists()


def test_mail_that_failed_is_sent_by_the_periodic_safety_net(
    owner_org, ana, deliver, run_tasks, settings
):
    settings.EMAIL_BACKEND = UNREACHABLE
    deliver(owner_org, title="Recent")
    deliver(owner_org, title="Too old")
    deliver(owner_org, title="Just now")
    run_tasks()
    now = timezone.now()

    def emails_of(title: str):  # type: ignore[no-untyped-def]
        entry = InboxEntry.objects.get(title=title)
        return EmailNotification.objects.filter(event_key=f"inbox:{entry.pk}")

    emails_of("Recent").update(created_at=now - datetime.timedelta(minutes=10))
    emails_of("Too old").update(created_at=now - datetime.timedelta(days=2))

    settings.EMAIL_BACKEND = LOCMEM
    retry_unsent_emails.enqueue()
    run_tasks()
    # The one from ten minutes ago goes out; one given up after a day, and one perhaps still
    # being sent by its own task, are left alone.
    assert [m.subject for m in mail.outbox] == ["[Metalworkers of São Paulo] Recent"]
    retry_unsent_emails.enqueue()
    run_tasks()
    assert len(mail.outbox) == 1
