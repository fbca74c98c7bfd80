"""The rules on meetings, role by role: hosting needs a speaking role in a verified organization;
inviting, a speaking role in the host; answering, a speaking role in the organization invited.
Members and observers read and do nothing else."""

import datetime

import pytest
from django.utils import timezone

from internationale.cooperation.models import Invitation, Meeting
from internationale.core.actors import Person


@pytest.fixture
def meeting(owner_org, other_org):  # type: ignore[no-untyped-def]
    start = timezone.now() + datetime.timedelta(days=10)
    meeting = Meeting.objects.create(
        organization=owner_org,
        kind="bilateral",
        title="Plant closures",
        start_at=start,
        end_at=start + datetime.timedelta(hours=2),
        time_zone="UTC",
    )
    Invitation.objects.create(meeting=meeting, organization=other_org)
    return meeting


def holders(perm, obj, people):  # type: ignore[no-untyped-def]
    return {name for name, user in people.items() if Person(user).has_perm(perm, obj)}


@pytest.fixture
def people(ana, sam, mo, olu, kim, kai, kit, uma, nell, oscar):  # type: ignore[no-untyped-def]
    return {
        "ana": ana, "sam": sam, "mo": mo, "olu": olu, "kim": kim, "kai": kai, "kit": kit,
        "uma": uma, "nell": nell, "oscar": oscar,
    }  # fmt: skip


def test_who_hosts_for_an_organization(people, owner_org, unverified_org):
    assert holders("cooperation.host_meeting", owner_org, people) == {"ana", "sam"}
    assert holders("cooperation.host_meeting", unverified_org, people) == set()


def test_who_invites_and_who_answers(people, meeting):
    assert holders("cooperation.invite_to_meeting", meeting, people) == {"ana", "sam"}
    assert holders("cooperation.answer_meeting", meeting, people) == {"kim", "kai"}
    invitation = meeting.invitations.get()
    assert holders("cooperation.answer_invitation", invitation, people) == {"kim", "kai"}


def test_who_sees_a_meeting_for_its_participants(people, meeting):
    seen = holders("cooperation.view_meeting", meeting, people)
    assert seen == {"ana", "sam", "mo", "olu", "kim", "kai", "kit"}
    meeting.visibility = "network"
    assert holders("cooperation.view_meeting", meeting, people) == seen | {"oscar"}
