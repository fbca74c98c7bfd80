"""The demo's meetings: a yearly world meeting held once and coming again, prepared bilaterally,
each answered as the tour shows it."""

import pytest
from django.utils import timezone

from internationale.accounts.demo import demo_email
from internationale.cooperation.demo import MEETING_TITLES
from internationale.cooperation.models import Invitation, Meeting, Task
from internationale.notifications.models import InboxEntry
from internationale.web.demo import DEMO_PASSWORD, load_demo


@pytest.fixture
def demo(db):
    assert load_demo() is True


def meeting(key: str) -> Meeting:
    return Meeting.objects.get(title=MEETING_TITLES[key])


def test_the_world_meeting_was_held_once_and_its_next_edition_is_planned(demo):
    now = timezone.now()
    last, nxt = meeting("world_last"), meeting("world_next")
    assert last.end_at < now < nxt.start_at
    assert last.organization.slug == nxt.organization.slug == "sintlog"
    answers = dict(last.invitations.values_list("organization__slug", "status"))
    assert answers == {
        "ndpwu": "accepted",
        "klwu": "accepted",
        "gtl": "accepted",
        "fmtl": "accepted",
        "sea": "declined",
    }
    # The next edition of the series: those who took part are invited again; two have
    # accepted, with their delegates, two have still to answer.
    assert (last.series, last.edition, nxt.edition) == (nxt.series, 1, 2)
    upcoming = {i.organization.slug: i for i in nxt.invitations.select_related("organization")}
    assert sorted(upcoming) == ["fmtl", "gtl", "klwu", "ndpwu"]
    assert all(i.reasons == [["previous_edition", {"edition": 1}]] for i in upcoming.values())
    assert sorted(i.status for i in upcoming.values()) == ["accepted"] * 2 + ["invited"] * 2
    # The first edition's minutes were approved by all who came, and are frozen; the second
    # edition's agenda starts from the same items.
    assert last.minutes.status == "frozen"
    assert [i.title for i in nxt.agenda_items.order_by("position")][:3] == [
        i.title for i in last.agenda_items.order_by("position")
    ]
    # Its agreement's tasks in every state; the next edition's agenda lists those still open.
    tasks = Task.objects.filter(agreement__meeting=last)
    assert set(tasks.values_list("status", flat=True)) == set(Task.Status.values)
    assert tasks.filter(status="open", deadline__lt=timezone.now().date()).exists()
    assert [i.title for i in nxt.agenda_items.order_by("position")][-1] == (
        "Open tasks from edition 1"
    )
    assert all(i.delegates.exists() for i in nxt.invitations.filter(status="accepted"))


def test_every_demo_invitation_waits_in_its_inbox_and_no_delivery_is_left_to_e_mail(demo):
    invitations = Invitation.objects.all()
    assert invitations.count() >= 10
    assert not invitations.filter(delivered_at__isnull=True).exists()
    for invitation in invitations:
        assert InboxEntry.objects.filter(
            organization_id=invitation.organization_id, kind="meeting.invited"
        ).exists()


def test_the_documented_secretary_sees_the_meetings_of_her_union(demo, client):
    assert client.login(email=demo_email("ana"), password=DEMO_PASSWORD)
    page = client.get("/meetings/").content.decode()
    for key in ("world_next", "visit_santos", "santos_tangier"):
        assert MEETING_TITLES[key] in page
    # Lagos and Busan's bilateral meeting is theirs alone.
    assert MEETING_TITLES["lagos_busan"] not in page
