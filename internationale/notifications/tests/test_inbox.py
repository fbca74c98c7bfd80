"""Inboxes: delivered once however often a task retries, read only by members, read per person."""

from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django_tasks_db.models import DBTaskResult

from internationale.appeals.tests.factories import AppealFactory
from internationale.core import notices
from internationale.core.models import Notice, Urgency
from internationale.core.notices import notice_dispatch
from internationale.core.worker import run_pending_tasks
from internationale.notifications.models import InboxEntry
from internationale.notifications.selectors import inbox_list, unread_counts
from internationale.notifications.services import inbox_mark_read, inbox_mark_unread

from .notices import notify


def test_dispatching_the_same_notice_twice_leaves_one_entry_per_organization(
    owner_org, other_org, sam, kim, run_tasks
):
    notice = notify(owner_org, other_org, owner_org.pk, at_once=False)
    assert run_tasks() == 2  # the inbox, then e-mail and webhooks
    Notice.objects.filter(pk=notice.pk).update(dispatched_at=None)  # as if it died half-way
    notice_dispatch.enqueue(notice.pk)
    run_tasks()
    assert sorted(InboxEntry.objects.values_list("organization__slug", flat=True)) == [
        "docks-kr",
        "metal-sp",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["kim@docks.example", "sam@metal.example"]


def test_every_inbox_is_filled_before_the_first_email_of_any_notice_is_written(
    owner_org, other_org, sam, kim
):
    first = notify(owner_org, at_once=False, title="First")
    second = notify(other_org, at_once=False, title="Second")

    run_pending_tasks(only="internationale.core.notices.notice_dispatch")

    assert sorted(InboxEntry.objects.values_list("title", flat=True)) == ["First", "Second"]
    assert mail.outbox == []
    rest = DBTaskResult.objects.filter(task_path="internationale.core.notices.notice_dispatch_rest")
    assert sorted(rest.values_list("priority", flat=True)) == [notices.LATER, notices.LATER]
    run_pending_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["kim@docks.example", "sam@metal.example"]
    assert not Notice.objects.filter(pk__in=[first.pk, second.pk], dispatched_at=None).exists()


def test_a_second_notice_about_the_same_thing_reaches_only_the_organizations_it_had_not(
    owner_org, other_org
):
    appeal = AppealFactory(visibility="public")
    first = notify(owner_org, source=appeal)
    second = notify(owner_org, other_org, source=appeal)
    entries = InboxEntry.objects.about(appeal)
    assert sorted(entries.values_list("organization_id", "notice_id")) == sorted(
        [(owner_org.pk, first.pk), (other_org.pk, second.pk)]
    )


def test_the_inbox_is_read_only_by_the_organizations_members(
    owner_org, ana, mo, olu, kim, nell, oscar
):
    notify(owner_org, title="Strike fund")
    for member in (ana, mo, olu):
        assert [e.title for e in inbox_list(viewer=member, organization=owner_org)] == [
            "Strike fund"
        ]
    for outsider in (kim, nell, oscar, AnonymousUser()):
        assert list(inbox_list(viewer=outsider, organization=owner_org)) == []
        assert unread_counts(viewer=outsider, organizations=[owner_org]) == {}


def test_urgent_entries_come_first(owner_org, mo):
    notify(owner_org, title="Routine")
    notify(owner_org, title="Arrests", urgency=Urgency.EMERGENCY)
    notify(owner_org, title="Later routine")
    assert [e.title for e in inbox_list(viewer=mo, organization=owner_org)] == [
        "Arrests",
        "Later routine",
        "Routine",
    ]


def test_reading_an_entry_marks_it_read_for_that_person_only(owner_org, other_org, ana, mo):
    for n in range(3):
        notify(owner_org, title=f"News {n}")
    entries = list(inbox_list(viewer=mo, organization=owner_org))
    inbox_mark_read(actor=mo, entries=entries[:2])
    inbox_mark_read(actor=mo, entries=entries[:1])  # reading again changes nothing

    assert [e.is_read for e in inbox_list(viewer=mo, organization=owner_org)] == [
        True,
        True,
        False,
    ]
    assert not any(e.is_read for e in inbox_list(viewer=ana, organization=owner_org))
    assert [e.title for e in inbox_list(viewer=mo, organization=owner_org, unread_only=True)] == [
        "News 0"
    ]
    assert unread_counts(viewer=mo, organizations=[owner_org, other_org]) == {owner_org.pk: 1}
    assert unread_counts(viewer=ana, organizations=[owner_org]) == {owner_org.pk: 3}

    inbox_mark_unread(actor=mo, entry=entries[0])
    assert unread_counts(viewer=mo, organizations=[owner_org]) == {owner_org.pk: 2}


def test_nothing_unread_means_no_count(owner_org, mo):
    assert unread_counts(viewer=mo, organizations=[owner_org]) == {}
