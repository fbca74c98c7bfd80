"""The API on meetings, through real requests. The Metalworkers of São Paulo (Sam speaks for them,
Mo is a member) host; the Korean Dockworkers (Kim speaks for them, Kit is a member) are invited."""

import datetime
import json
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone

from internationale.accounts.services import token_create
from internationale.addressing.routing import Criteria
from internationale.cooperation.models import Delegate, Invitation, Meeting
from internationale.cooperation.services import invitation_accept, meeting_create, meeting_invite
from internationale.core.actors import System
from internationale.core.models import AuditEntry
from internationale.core.tests.clocks import next_change
from internationale.core.tests.concurrency import concurrently, needs_row_locks
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import OrganizationFactory

API = "/api/v1"


def local(days: int = 30, hour: int = 10) -> str:
    day = timezone.now().date() + datetime.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02}:00:00"


def body(**changes):  # type: ignore[no-untyped-def]
    data = {
        "kind": "bilateral",
        "title": "Plant closures",
        "start": local(),
        "end": local(hour=13),
        "time_zone": "America/Sao_Paulo",
        "languages": ["pt-BR", "ko"],
    }
    data.update(changes)
    return data


def post(client, path, data):  # type: ignore[no-untyped-def]
    return client.post(f"{API}{path}", data=json.dumps(data), content_type="application/json")


def with_token(user, organization):  # type: ignore[no-untyped-def]
    _token, raw = token_create(
        actor=System(reason="test"), user=user, organization=organization, name="test"
    )
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def meeting(sam, owner_org, other_org):  # type: ignore[no-untyped-def]
    start = datetime.datetime.fromisoformat(local())
    meeting = meeting_create(
        actor=sam,
        organization=owner_org,
        kind="bilateral",
        title="Plant closures",
        start=start,
        end=start + datetime.timedelta(hours=3),
        time_zone="America/Sao_Paulo",
    )
    meeting_invite(actor=sam, meeting=meeting, criteria=Criteria(add=[other_org.pk]))
    return meeting


def test_a_meeting_is_planned_at_the_local_time_of_its_zone(client_for, sam):
    response = post(client_for(sam), "/organizations/metal-sp/meetings", body())
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert answer["start_local"] == local() + "-03:00"
    assert answer["start"].startswith(local(hour=13)[:13])  # 10:00 in São Paulo is 13:00 UTC
    assert answer["time_zone"] == "America/Sao_Paulo" and answer["visibility"] == "addressed"
    assert answer["host"] == {"slug": "metal-sp", "name": "Metalworkers of São Paulo"}
    assert Meeting.objects.get().languages == ["pt-BR", "ko"]


def test_a_time_with_an_offset_is_kept_as_that_instant(client_for, sam):
    response = post(
        client_for(sam),
        "/organizations/metal-sp/meetings",
        body(start=local() + "+09:00", end=local(hour=12) + "+09:00"),
    )
    assert response.status_code == 201
    start = Meeting.objects.get().start_at.astimezone(zoneinfo.ZoneInfo("Asia/Seoul"))
    assert start.hour == 10


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"end": local(hour=9)}, "end", "The end must come after the start."),
        ({"time_zone": "Europe/Atlantis"}, "time_zone", "not a known time zone"),
        ({"start": local(-1), "end": local(-1, 12)}, "start", "The start must be in the future."),
        ({"kind": "delegation", "sender": "docks-kr"}, "sender", "which organization sends"),
        ({"kind": "delegation", "sender": "nowhere", "receiver": "metal-sp"}, "sender", "nowhere"),
        ({"kind": "party"}, "kind", ""),
        ({"start": "tomorrow"}, "start", ""),
    ],
)
def test_bad_meetings_are_refused_by_field_and_change_nothing(
    client_for, sam, other_org, changes, field, code
):
    response = post(client_for(sam), "/organizations/metal-sp/meetings", body(**changes))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors and code in " ".join(errors[field]), errors
    assert not Meeting.objects.exists() and not AuditEntry.objects.exists()


def test_a_member_or_observer_cannot_host_even_with_a_token(mo, olu, owner_org):
    for person in (mo, olu):
        response = post(with_token(person, owner_org), "/organizations/metal-sp/meetings", body())
        assert response.status_code == 404
    assert not Meeting.objects.exists()


def test_the_list_and_the_detail_are_for_the_participants(client_for, kit, nell, meeting):
    listed = client_for(kit).get(f"{API}/meetings").json()
    assert [m["id"] for m in listed["items"]] == [meeting.pk] and listed["count"] == 1
    assert client_for(nell).get(f"{API}/meetings").json()["items"] == []
    assert client_for(kit).get(f"{API}/meetings/{meeting.pk}").json()["title"] == "Plant closures"
    assert client_for(nell).get(f"{API}/meetings/{meeting.pk}").status_code == 404


def test_inviting_says_why_each_organization_is_invited(client_for, sam, meeting, other_org):
    OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")
    client = client_for(sam)
    preview = post(client, f"/meetings/{meeting.pk}/invitations/preview", {"add": ["ports-nl"]})
    assert preview.json() == [
        {
            "organization": {"slug": "ports-nl", "name": "Dutch Port Union"},
            "country": "NL",
            "reasons": ["added by hand"],
            "codes": ["manual"],
            "invited": False,
        }
    ]
    created = post(client, f"/meetings/{meeting.pk}/invitations", {"add": ["ports-nl"]})
    assert created.status_code == 201
    assert [(i["organization"]["slug"], i["status"]) for i in created.json()] == [
        ("ports-nl", "invited")
    ]
    invitations = client.get(f"{API}/meetings/{meeting.pk}/invitations").json()["items"]
    assert [i["organization"]["slug"] for i in invitations] == ["ports-nl", "docks-kr"]
    again = post(client, f"/meetings/{meeting.pk}/invitations", {"add": ["ports-nl"]})
    assert again.status_code == 400 and "invited already" in again.json()["detail"]
    unknown = post(client, f"/meetings/{meeting.pk}/invitations", {"add": ["nowhere"]})
    assert unknown.status_code == 400 and "add" in unknown.json()["errors"]
    assert meeting.invitations.count() == 2


def test_accepting_names_delegates_among_the_organizations_people(client_for, kim, kit, meeting):
    kits = Membership.objects.get(user=kit)
    response = post(
        client_for(kim),
        f"/meetings/{meeting.pk}/answer",
        {"answer": "accept", "delegates": [kits.pk], "note": "Two of us."},
    )
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["status"] == "accepted" and answer["note"] == "Two of us."
    assert answer["delegates"] == [{"id": kits.pk, "name": kit.name or kit.email}]


def test_accepting_twice_is_refused_and_keeps_the_first_answer(client_for, kim, kit, meeting):
    kits, kims = Membership.objects.get(user=kit), Membership.objects.get(user=kim)
    client = client_for(kim)
    post(client, f"/meetings/{meeting.pk}/answer", {"answer": "accept", "delegates": [kits.pk]})
    again = post(
        client, f"/meetings/{meeting.pk}/answer", {"answer": "accept", "delegates": [kims.pk]}
    )
    assert again.status_code == 400 and "already accepted" in again.json()["detail"]
    assert list(Delegate.objects.values_list("membership", flat=True)) == [kits.pk]


def test_delegates_from_another_organization_are_refused(client_for, kim, sam, meeting):
    sams = Membership.objects.get(user=sam)
    for delegates in ([sams.pk], [], [999999]):
        response = post(
            client_for(kim),
            f"/meetings/{meeting.pk}/answer",
            {"answer": "accept", "delegates": delegates},
        )
        assert response.status_code == 400 and "delegates" in response.json()["errors"]
    assert Invitation.objects.get(meeting=meeting).status == "invited"
    assert not AuditEntry.objects.filter(action="meeting.accept").exists()


def test_a_member_with_a_token_cannot_answer_for_the_organization(kit, other_org, meeting):
    kits = Membership.objects.get(user=kit)
    response = post(
        with_token(kit, other_org),
        f"/meetings/{meeting.pk}/answer",
        {"answer": "accept", "delegates": [kits.pk]},
    )
    assert response.status_code == 403
    assert Invitation.objects.get(meeting=meeting).status == "invited"


def test_another_organizations_meeting_is_not_found(client_for, kim, sam, owner_org):
    start = datetime.datetime.fromisoformat(local())
    ours = meeting_create(
        actor=sam,
        organization=owner_org,
        kind="seminar",
        title="Among ourselves",
        start=start,
        end=start + datetime.timedelta(hours=1),
        time_zone="UTC",
    )
    client = client_for(kim)
    assert client.get(f"{API}/meetings/{ours.pk}").status_code == 404
    assert client.get(f"{API}/meetings/{ours.pk}/invitations").status_code == 404
    assert post(client, f"/meetings/{ours.pk}/answer", {"answer": "decline"}).status_code == 404
    assert (
        post(client, f"/meetings/{ours.pk}/invitations", {"add": ["docks-kr"]}).status_code == 404
    )
    assert not ours.invitations.exists()


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_the_same_moment_record_one(kim, kai, kit, meeting):
    kits = Membership.objects.get(user=kit)
    outcomes = concurrently(
        *(
            (
                lambda who=who: invitation_accept(
                    actor=who, meeting=meeting, organization=kits.organization, delegates=[kits.pk]
                )
            )
            for who in (kim, kai, kim, kai)
        )
    )
    accepted = [o for o in outcomes if isinstance(o, Invitation)]
    assert len(accepted) == 1, outcomes
    assert AuditEntry.objects.filter(action="meeting.accept").count() == 1
    assert Delegate.objects.count() == 1


def test_the_same_plan_sent_twice_with_its_key_plans_one_meeting(client_for, sam):
    client = client_for(sam)

    def send(data):  # type: ignore[no-untyped-def]
        return client.post(
            f"{API}/organizations/metal-sp/meetings",
            data=json.dumps(data),
            content_type="application/json",
            headers={"Idempotency-Key": "plan-1"},
        )

    first, again = send(body()), send(body())
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert send(body(title="Another")).status_code == 409
    assert Meeting.objects.count() == 1


def test_a_local_time_the_clocks_show_twice_needs_its_fold_and_one_they_skip_is_refused(
    client_for, sam
):
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    spring, autumn = next_change(berlin, forward=True), next_change(berlin, forward=False)
    skipped = post(
        client_for(sam),
        "/organizations/metal-sp/meetings",
        body(start=f"{spring}T02:30:00", end=f"{spring}T05:00:00", time_zone="Europe/Berlin"),
    )
    assert skipped.status_code == 400, skipped.json()
    assert "clocks go forward" in json.dumps(skipped.json())
    twice = body(start=f"{autumn}T02:30:00", end=f"{autumn}T05:00:00", time_zone="Europe/Berlin")
    unsaid = post(client_for(sam), "/organizations/metal-sp/meetings", twice)
    assert unsaid.status_code == 400 and "happens twice" in json.dumps(unsaid.json())
    assert not Meeting.objects.exists()
    first = post(client_for(sam), "/organizations/metal-sp/meetings", {**twice, "start_fold": 0})
    assert first.status_code == 201, first.json()
    assert first.json()["start_local"].endswith("02:30:00+02:00")
