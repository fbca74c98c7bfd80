"""The meeting pages, through real requests. The Metalworkers of São Paulo (Sam speaks for them,
Mo is a member, Olu an observer) host; the Korean Dockworkers (Kim speaks for them, Kit is a
member) are invited; Nell belongs to no organization."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from internationale.accounts.tests.factories import UserFactory
from internationale.cooperation.models import (
    AgendaDocument,
    AgendaItem,
    Agreement,
    Delegate,
    Invitation,
    Meeting,
)
from internationale.cooperation.services import meeting_create
from internationale.core.models import AuditEntry
from internationale.core.tests.clocks import next_change
from internationale.notifications.models import InboxEntry
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import OrganizationFactory, RelationFactory

SAO_PAULO = zoneinfo.ZoneInfo("America/Sao_Paulo")


def later(days: int = 30, hour: int = 10) -> datetime.datetime:
    """A local time in São Paulo, `days` ahead."""
    day = timezone.now().astimezone(SAO_PAULO).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0))


def form(**changes):  # type: ignore[no-untyped-def]
    data = {
        "organization": "metal-sp",
        "kind": "bilateral",
        "title": "Plant closures in the ABC region",
        "description": "Coordinating our answer to the closures.",
        "start": later().strftime("%Y-%m-%dT%H:%M"),
        "end": later(hour=13).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "America/Sao_Paulo",
        "place": "Rua do Carmo 12, São Paulo",
        "languages": "pt-BR, ko",
        "visibility": "addressed",
    }
    data.update(changes)
    return data


def plan(sam, owner_org, **fields):  # type: ignore[no-untyped-def]
    values = {
        "kind": "bilateral",
        "title": "Plant closures in the ABC region",
        "start": later(),
        "end": later(hour=13),
        "time_zone": "America/Sao_Paulo",
    }
    values.update(fields)
    return meeting_create(actor=sam, organization=owner_org, **values)


@pytest.fixture
def meeting(sam, owner_org, other_org):  # type: ignore[no-untyped-def]
    meeting = plan(sam, owner_org)
    Invitation.objects.create(meeting=meeting, organization=other_org)
    return meeting


def errors_of(response) -> dict:  # type: ignore[no-untyped-def]
    return {name: list(errs) for name, errs in response.context["form"].errors.items()}


# Planning ----------------------------------------------------------------------------------------


def test_a_secretary_plans_a_meeting_at_its_local_time(client_for, sam, owner_org):
    response = client_for(sam).post("/meetings/new/", form())
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.organization == owner_org and meeting.time_zone == "America/Sao_Paulo"
    assert meeting.start_at == later().replace(tzinfo=SAO_PAULO)
    assert meeting.languages == ["pt-BR", "ko"] and meeting.visibility == "addressed"
    assert AuditEntry.objects.for_target(meeting).get().action == "meeting.create"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"end": later(hour=9).strftime("%Y-%m-%dT%H:%M")}, "end", "after the start"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "not a known time zone"),
        ({"start": later(-2).strftime("%Y-%m-%dT%H:%M")}, "start", "in the future"),
        ({"languages": "not a tag!"}, "languages", "not a valid BCP 47"),
        ({"kind": "delegation"}, "sender", "which organization sends"),
    ],
)
def test_a_meeting_that_cannot_be_is_refused_with_a_clear_error(
    client_for, sam, owner_org, changes, field, words
):
    response = client_for(sam).post("/meetings/new/", form(**changes))
    assert response.status_code == 200
    messages = " ".join(" ".join(e) for e in errors_of(response).values())
    assert words in messages, errors_of(response)
    assert not Meeting.objects.exists() and not AuditEntry.objects.exists()


def test_a_delegation_visit_names_both_sides_and_invites_the_other(
    client_for, sam, owner_org, other_org, work_off, django_capture_on_commit_callbacks
):
    data = form(kind="delegation", visit="receives", counterpart="docks-kr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sam).post("/meetings/new/", data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.sender, meeting.receiver) == (other_org, owner_org)
    assert list(meeting.invitations.values_list("organization", flat=True)) == [other_org.pk]
    work_off()
    assert InboxEntry.objects.filter(organization=other_org, kind="meeting.invited").exists()


def test_members_observers_and_unverified_organizations_host_nothing(
    client_for, mo, olu, uma, nell
):
    for person in (mo, olu, uma, nell):
        assert client_for(person).get("/meetings/new/").status_code == 403
        assert client_for(person).post("/meetings/new/", form()).status_code == 403
    assert not Meeting.objects.exists()


def test_a_member_cannot_host_for_an_organization_by_naming_it(client_for, sam, kit):
    # Kit is a member of the Dockworkers: naming them as host is not a choice offered to him.
    response = client_for(kit).post("/meetings/new/", form(organization="docks-kr"))
    assert response.status_code == 403
    assert not Meeting.objects.exists()


# Reading -----------------------------------------------------------------------------------------


def test_the_list_shows_meetings_to_come_first_then_those_over(
    client_for, sam, kim, owner_org, meeting
):
    soon = plan(sam, owner_org, title="Soon", start=later(2), end=later(2, 12))
    over = Meeting.objects.create(
        organization=owner_org,
        kind="seminar",
        title="Last year: seminar",
        start_at=timezone.now() - datetime.timedelta(days=300),
        end_at=timezone.now() - datetime.timedelta(days=299),
        time_zone="UTC",
    )
    page = client_for(sam).get("/meetings/").content.decode()
    assert page.index(soon.title) < page.index(meeting.title) < page.index(over.title)
    # Kim's organization is invited to one of them only.
    page = client_for(kim).get("/meetings/").content.decode()
    assert meeting.title in page and "Soon" not in page


def test_the_list_says_when_there_is_no_meeting(client_for, kit):
    page = client_for(kit).get("/meetings/").content.decode()
    assert "host no meeting and are invited to none" in page


def test_the_list_is_paginated_in_a_fixed_number_of_queries(
    client_for, sam, owner_org, django_assert_max_num_queries
):
    for day in range(25):
        Meeting.objects.create(
            organization=owner_org,
            kind="bilateral",
            title=f"Meeting {day:02}",
            start_at=timezone.now() + datetime.timedelta(days=day + 1),
            end_at=timezone.now() + datetime.timedelta(days=day + 1, hours=2),
            time_zone="UTC",
        )
    client = client_for(sam)
    with django_assert_max_num_queries(7):
        first = client.get("/meetings/").content.decode()
    assert "Meeting 00" in first and "Meeting 24" not in first and "Page 1 of 2" in first
    assert "Meeting 24" in client.get("/meetings/?page=2").content.decode()


def test_the_detail_shows_the_times_in_the_readers_zone_and_the_meetings(client_for, kim, meeting):
    kim.time_zone = "Asia/Seoul"
    kim.save()
    page = client_for(kim).get(f"/meetings/{meeting.pk}/").content.decode()
    seoul = meeting.start_at.astimezone(zoneinfo.ZoneInfo("Asia/Seoul"))
    assert f'<time datetime="{seoul.isoformat()}">' in page and "10 p.m." in page
    assert "(Asia/Seoul)" in page
    # And on the clocks of São Paulo, where it is held.
    assert "10 a.m." in page and "(America/Sao_Paulo)" in page


def test_another_organizations_meeting_is_not_found(client_for, sam, kim, nell, owner_org):
    private = plan(sam, owner_org, title="Among ourselves")
    for person in (kim, nell, None):
        assert client_for(person).get(f"/meetings/{private.pk}/").status_code == 404
    assert client_for(kim).get(f"/meetings/{private.pk}/answer/").status_code == 404
    assert client_for(kim).get(f"/meetings/{private.pk}/invite/").status_code == 404


# Inviting ----------------------------------------------------------------------------------------


def test_inviting_shows_why_each_organization_is_proposed(
    client_for, sam, owner_org, other_org, work_off, django_capture_on_commit_callbacks
):
    meeting = plan(sam, owner_org)
    RelationFactory(proposer=owner_org, partner=other_org, kind="fraternal")
    third = OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")
    client = client_for(sam)
    page = client.get(
        f"/meetings/{meeting.pk}/invite/?preview=1&relations=on&add=ports-nl"
    ).content.decode()
    assert "Korean Dockworkers" in page and "fraternal" in page.lower()
    assert "Dutch Port Union" in page and "added by hand" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/meetings/{meeting.pk}/invite/", {"relations": "on", "add": "ports-nl"}
        )
    assert response.status_code == 302
    invited = {i.organization_id: i for i in meeting.invitations.all()}
    assert set(invited) == {other_org.pk, third.pk}
    assert invited[third.pk].reasons == [["manual", {}]]
    work_off()
    assert InboxEntry.objects.filter(kind="meeting.invited").count() == 2
    # Invited again by the same criteria: nothing new, said clearly.
    again = client.post(f"/meetings/{meeting.pk}/invite/", {"relations": "on", "add": "ports-nl"})
    assert "invited already" in " ".join(again.context["form"].non_field_errors())
    assert meeting.invitations.count() == 2


def test_a_bilateral_meeting_proposes_no_one_before_the_host_names_its_other_side(
    client_for, sam, owner_org, other_org
):
    RelationFactory(proposer=owner_org, partner=other_org, kind="fraternal")
    client = client_for(sam)
    bilateral = client.get(f"/meetings/{plan(sam, owner_org).pk}/invite/")
    assert bilateral.context["proposals"] == []
    assert not bilateral.context["form"]["relations"].value()
    # A wider meeting starts from the sector and the partners, as an appeal does.
    forum = client.get(f"/meetings/{plan(sam, owner_org, kind='forum').pk}/invite/")
    assert forum.context["form"]["relations"].value()
    assert [p.organization_id for p in forum.context["proposals"]] == [other_org.pk]


def test_only_the_hosts_speakers_invite(client_for, mo, kim, meeting):
    assert client_for(mo).get(f"/meetings/{meeting.pk}/invite/").status_code == 403
    assert (
        client_for(kim).post(f"/meetings/{meeting.pk}/invite/", {"add": "metal-sp"}).status_code
        == 403
    )
    assert meeting.invitations.count() == 1


# Answering ---------------------------------------------------------------------------------------


def test_the_invited_organization_accepts_naming_its_delegates(
    client_for,
    sam,
    kim,
    kit,
    other_org,
    owner_org,
    meeting,
    work_off,
    django_capture_on_commit_callbacks,
):
    kits = Membership.objects.get(user=kit)
    client = client_for(kim)
    page = client.get(f"/meetings/{meeting.pk}/answer/").content.decode()
    assert kit.email in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/meetings/{meeting.pk}/answer/",
            {"organization": "docks-kr", "answer": "accept", "delegates": [kits.pk]},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(meeting=meeting)
    assert invitation.status == "accepted"
    assert [d.membership for d in invitation.delegates.all()] == [kits]
    work_off()
    entry = InboxEntry.objects.get(organization=owner_org, kind="meeting.answered")
    assert "Korean Dockworkers will take part" in entry.title
    detail = client_for(sam).get(f"/meetings/{meeting.pk}/").content.decode()
    assert (kit.name or kit.email) in detail and "Accepted" in detail


def test_accepting_twice_is_refused_and_changes_nothing(client_for, kim, kit, meeting):
    kits = Membership.objects.get(user=kit)
    data = {"organization": "docks-kr", "answer": "accept", "delegates": [kits.pk]}
    client = client_for(kim)
    client.post(f"/meetings/{meeting.pk}/answer/", data)
    kims = Membership.objects.get(user=kim)
    again = client.post(
        f"/meetings/{meeting.pk}/answer/", {**data, "delegates": [kims.pk], "note": "Again"}
    )
    assert again.status_code == 200
    assert "already accepted" in " ".join(again.context["form"].non_field_errors())
    invitation = Invitation.objects.get(meeting=meeting)
    assert invitation.note == "" and [d.membership for d in invitation.delegates.all()] == [kits]
    assert AuditEntry.objects.filter(action="meeting.accept").count() == 1


def test_delegates_must_be_the_organizations_people(client_for, kim, sam, meeting):
    sams = Membership.objects.get(user=sam)
    response = client_for(kim).post(
        f"/meetings/{meeting.pk}/answer/",
        {"organization": "docks-kr", "answer": "accept", "delegates": [sams.pk]},
    )
    assert response.status_code == 200 and "delegates" in errors_of(response)
    response = client_for(kim).post(
        f"/meetings/{meeting.pk}/answer/", {"organization": "docks-kr", "answer": "accept"}
    )
    assert "at least one delegate" in " ".join(errors_of(response)["delegates"])
    assert Invitation.objects.get(meeting=meeting).status == "invited"
    assert not Delegate.objects.exists()


def test_members_and_observers_do_not_answer_for_their_organization(
    client_for, kit, mo, olu, meeting
):
    kits = Membership.objects.get(user=kit)
    data = {"organization": "docks-kr", "answer": "accept", "delegates": [kits.pk]}
    for person in (kit, mo, olu):
        assert client_for(person).get(f"/meetings/{meeting.pk}/answer/").status_code == 403
        assert client_for(person).post(f"/meetings/{meeting.pk}/answer/", data).status_code == 403
    assert Invitation.objects.get(meeting=meeting).status == "invited"


def test_declining_after_accepting_asks_to_confirm(client_for, kim, kit, meeting):
    kits = Membership.objects.get(user=kit)
    client = client_for(kim)
    client.post(
        f"/meetings/{meeting.pk}/answer/",
        {"organization": "docks-kr", "answer": "accept", "delegates": [kits.pk]},
    )
    page = client.get(f"/meetings/{meeting.pk}/answer/").content.decode()
    assert "withdraw our acceptance" in page
    unconfirmed = client.post(
        f"/meetings/{meeting.pk}/answer/", {"organization": "docks-kr", "answer": "decline"}
    )
    assert "confirm" in errors_of(unconfirmed)
    assert Invitation.objects.get(meeting=meeting).status == "accepted"
    confirmed = client.post(
        f"/meetings/{meeting.pk}/answer/",
        {"organization": "docks-kr", "answer": "decline", "confirm": "on", "note": "Strike."},
    )
    assert confirmed.status_code == 302
    invitation = Invitation.objects.get(meeting=meeting)
    assert invitation.status == "declined" and invitation.note == "Strike."
    assert not invitation.delegates.exists()


def test_the_detail_reads_invitations_and_delegates_in_a_fixed_number_of_queries(
    client_for, sam, meeting, django_assert_max_num_queries
):
    for n in range(6):
        org = OrganizationFactory(name=f"Union {n}", slug=f"union-{n}")
        invitation = Invitation.objects.create(meeting=meeting, organization=org, status="accepted")
        for _person in range(3):
            membership = Membership.objects.create(
                organization=org, user=UserFactory(), role="member"
            )
            Delegate.objects.create(invitation=invitation, membership=membership)
    # Its agenda, with documents, and its agreements, with their parties: read in fixed queries.
    for n in range(4):
        item = AgendaItem.objects.create(meeting=meeting, position=n + 1, title=f"Item {n}")
        AgendaDocument.objects.create(item=item, title=f"Notes {n}", link="https://example.org/")
        agreement = Agreement.objects.create(
            meeting=meeting, title=f"Agreement {n}", text="…", adopted_on=meeting.start_at.date()
        )
        agreement.parties.add(meeting.organization)
    client = client_for(sam)
    # And its versions in other languages, in one query (languages.py).
    with django_assert_max_num_queries(12):
        page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Union 5" in page and page.count("<li>") >= 18
    assert "Notes 3" in page and "Agreement 3" in page


def test_each_organizations_audit_log_words_what_it_did(client_for, ana, kai, kim, kit, meeting):
    kits = Membership.objects.get(user=kit)
    client_for(kim).post(
        f"/meetings/{meeting.pk}/answer/",
        {"organization": "docks-kr", "answer": "accept", "delegates": [kits.pk]},
    )
    host = client_for(ana).get("/organizations/metal-sp/audit/").content.decode()
    assert "Meeting planned" in host and "Plant closures in the ABC region" in host
    invited = client_for(kai).get("/organizations/docks-kr/audit/").content.decode()
    assert "Korean Dockworkers accepted, with 1 delegate" in invited


# Local times the clocks skip or show twice ---------------------------------------------------------

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def berlin(date: datetime.date, hour: int, minute: int = 0) -> str:
    return datetime.datetime.combine(date, datetime.time(hour, minute)).strftime("%Y-%m-%dT%H:%M")


def test_a_meeting_at_a_time_the_clocks_skip_is_refused_saying_so(client_for, sam, owner_org):
    spring = next_change(BERLIN, forward=True)
    response = client_for(sam).post(
        "/meetings/new/",
        form(start=berlin(spring, 2, 30), end=berlin(spring, 5), time_zone="Europe/Berlin"),
    )
    assert response.status_code == 200
    assert "the clocks go forward over it" in " ".join(errors_of(response)["start"])
    assert not Meeting.objects.exists()


def test_a_meeting_at_a_time_the_clocks_show_twice_asks_which_then_takes_the_one_chosen(
    client_for, sam, owner_org
):
    autumn = next_change(BERLIN, forward=False)
    times = form(start=berlin(autumn, 2, 30), end=berlin(autumn, 5), time_zone="Europe/Berlin")
    response = client_for(sam).post("/meetings/new/", times)
    assert response.status_code == 200
    message = " ".join(errors_of(response)["start"])
    assert "happens twice" in message and "UTC+02:00" in message and "UTC+01:00" in message
    assert not Meeting.objects.exists()

    response = client_for(sam).post("/meetings/new/", {**times, "start_fold": "1"})
    assert response.status_code == 302, errors_of(response)
    start = Meeting.objects.get().start_at
    # The second 02:30, after the clocks went back to winter time: 01:30 UTC.
    assert (start.astimezone(datetime.UTC).hour, start.minute) == (1, 30)
