"""Inboxes: delivered once however often a task retries, read only by members, read per person."""

from django.contrib.auth.models import AnonymousUser
from django_tasks_db.models import DBTaskResult

from internationale.core.models import Urgency
from internationale.notifications.models import InboxEntry
from internationale.notifications.selectors import inbox_list, unread_counts
from internationale.notifications.services import inbox_deliver, inbox_mark_read, inbox_mark_unread

NOTIFY = "internationale.notifications.tasks.notify_organizations"


def test_delivering_the_same_thing_twice_leaves_one_entry_and_notifies_once(
    owner_org, other_org, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            inbox_deliver(
                organizations=[owner_org, other_org, owner_org.pk],
                kind="appeal.received",
                title="Lockout at the port of Busan",
                key="appeal:1",
            )
    assert sorted(InboxEntry.objects.values_list("organization__slug", flat=True)) == [
        "docks-kr",
        "metal-sp",
    ]
    assert DBTaskResult.objects.filter(task_path=NOTIFY).count() == 1


def test_a_second_delivery_reaches_only_the_organizations_that_had_not_got_it(
    owner_org, other_org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = inbox_deliver(organizations=[owner_org], kind="news", title="News", key="n:1")
        second = inbox_deliver(
            organizations=[owner_org, other_org], kind="news", title="News", key="n:1"
        )
    assert (first, second) == ([owner_org.pk], [other_org.pk])
    queued = DBTaskResult.objects.filter(task_path=NOTIFY).order_by("enqueued_at")
    assert [r.args_kwargs["args"][0] for r in queued] == [[owner_org.pk], [other_org.pk]]


def test_the_inbox_is_read_only_by_the_organizations_members(
    owner_org, ana, mo, olu, kim, nell, oscar
):
    inbox_deliver(organizations=[owner_org], kind="news", title="Strike fund", key="k:1")
    for member in (ana, mo, olu):
        assert [e.title for e in inbox_list(viewer=member, organization=owner_org)] == [
            "Strike fund"
        ]
    for outsider in (kim, nell, oscar, AnonymousUser()):
        assert list(inbox_list(viewer=outsider, organization=owner_org)) == []
        assert unread_counts(viewer=outsider, organizations=[owner_org]) == {}


def test_urgent_entries_come_first(owner_org, mo):
    inbox_deliver(organizations=[owner_org], kind="news", title="Routine", key="k:1")
    inbox_deliver(
        organizations=[owner_org],
        kind="appeal",
        title="Arrests",
        key="k:2",
        urgency=Urgency.EMERGENCY,
    )
    inbox_deliver(organizations=[owner_org], kind="news", title="Later routine", key="k:3")
    assert [e.title for e in inbox_list(viewer=mo, organization=owner_org)] == [
        "Arrests",
        "Later routine",
        "Routine",
    ]


def test_reading_an_entry_marks_it_read_for_that_person_only(owner_org, other_org, ana, mo):
    for n in range(3):
        inbox_deliver(organizations=[owner_org], kind="news", title=f"News {n}", key=f"k:{n}")
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
