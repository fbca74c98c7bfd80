"""The readiness of a multilateral meeting, through real requests. The Metalworkers of São Paulo
(Sam speaks for them, Mo is a member) host a congress; the Korean Dockworkers (Kim speaks for
them, Kit is a member) and three other unions take part; one more declined."""

import datetime
import json
import zoneinfo

import pytest
from django.utils import timezone

from internationale.cooperation.models import Invitation, Meeting
from internationale.cooperation.readiness import months_before, readiness_of
from internationale.cooperation.services import invitation_accept, meeting_create
from internationale.organizations.models import Membership, Relation
from internationale.organizations.tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    RelationFactory,
)

SAO_PAULO = zoneinfo.ZoneInfo("America/Sao_Paulo")
API = "/api/v1"


def later(days: int = 60, hour: int = 10) -> datetime.datetime:
    day = timezone.now().astimezone(SAO_PAULO).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0))


def held(  # type: ignore[no-untyped-def]
    host,
    guest,
    *,
    days_ago: int,
    kind: str = "bilateral",
    status: str = "accepted",
    visibility: str = "network",
):
    """A meeting of `host` with `guest`, `days_ago` days ago, written as it was recorded then."""
    start = timezone.now() - datetime.timedelta(days=days_ago)
    meeting = Meeting.objects.create(
        organization=host,
        kind=kind,
        visibility=visibility,
        title=f"{host.name} and {guest.name}",
        start_at=start,
        end_at=start + datetime.timedelta(hours=2),
        time_zone="America/Sao_Paulo",
    )
    Invitation.objects.create(meeting=meeting, organization=guest, status=status)
    return meeting


@pytest.fixture
def unions(db):  # type: ignore[no-untyped-def]
    return {
        slug: OrganizationFactory(name=name, slug=slug)
        for slug, name in [
            ("chem-de", "Chemical Workers of Germany"),
            ("rail-za", "Rail Workers of South Africa"),
            ("text-bd", "Textile Workers of Bangladesh"),
            ("no-thanks", "Union That Declined"),
        ]
    }


@pytest.fixture
def congress(sam, owner_org, other_org, unions):  # type: ignore[no-untyped-def]
    meeting = meeting_create(
        actor=sam,
        organization=owner_org,
        kind="congress",
        title="Metalworkers' congress",
        start=later(),
        end=later(days=62, hour=17),
        time_zone="America/Sao_Paulo",
        languages=["pt-BR", "en"],
    )
    Invitation.objects.create(meeting=meeting, organization=other_org, status="accepted")
    for slug in ("chem-de", "rail-za", "text-bd"):
        Invitation.objects.create(meeting=meeting, organization=unions[slug])
    Invitation.objects.create(meeting=meeting, organization=unions["no-thanks"], status="declined")
    return meeting


def test_pairs_have_met_at_a_bilateral_meeting_or_through_an_active_relation(
    congress, sam, kim, owner_org, other_org, unions
):
    chem, rail, text = unions["chem-de"], unions["rail-za"], unions["text-bd"]
    held(owner_org, other_org, days_ago=100)  # met
    held(chem, rail, days_ago=30, kind="delegation")  # met
    held(owner_org, text, days_ago=500)  # too long ago
    held(other_org, text, days_ago=20, status="declined")  # did not take place for both
    cancelled = held(other_org, rail, days_ago=15)  # cancelled: did not take place
    Meeting.objects.filter(pk=cancelled.pk).update(cancelled_at=cancelled.start_at)
    # Met, but among themselves only: known to the dockworkers' people, not to Sam.
    held(other_org, rail, days_ago=12, visibility="addressed")
    held(owner_org, unions["no-thanks"], days_ago=10)  # a pair with one that declined
    RelationFactory(proposer=text, partner=chem)  # accepted: met
    RelationFactory(
        proposer=rail, partner=text, status=Relation.Status.ENDED, decided_at=timezone.now()
    )  # ended this month: active in the last 12 months
    RelationFactory(
        proposer=other_org,
        partner=chem,
        status=Relation.Status.ENDED,
        decided_at=timezone.now() - datetime.timedelta(days=400),
    )  # ended too long ago
    RelationFactory(proposer=other_org, partner=rail, status=Relation.Status.PROPOSED)

    ready = readiness_of(congress, sam)
    assert [o.slug for o in ready.participants] == [
        "chem-de", "docks-kr", "metal-sp", "rail-za", "text-bd"
    ]  # fmt: skip
    assert (ready.pairs, ready.ready) == (10, 4)
    missing = {(a.slug, b.slug) for a, b in ready.missing()}
    assert missing == {
        ("chem-de", "docks-kr"),
        ("chem-de", "metal-sp"),
        ("docks-kr", "rail-za"),
        ("docks-kr", "text-bd"),
        ("metal-sp", "rail-za"),
        ("metal-sp", "text-bd"),
    }
    # Kim's union took part in the meeting with the rail workers: to its people, they have met.
    assert readiness_of(congress, kim).ready == 5


def test_the_page_shows_the_share_the_missing_pairs_and_the_grid(
    client_for, mo, congress, owner_org, other_org
):
    held(owner_org, other_org, days_ago=100)
    response = client_for(mo).get(f"/meetings/{congress.pk}/readiness/")
    page = response.text
    assert response.status_code == 200
    assert "1 of 10 pairs have met (10 %)" in page and "9 pairs have not met" in page
    assert "Chemical Workers of Germany – Korean Dockworkers" in page
    assert '<th scope="row">Korean Dockworkers</th>' in page and page.count("not yet") == 18
    # Mo is a member: no proposal in the organization's name.
    assert "Propose a bilateral meeting" not in page


def test_the_meeting_page_links_to_the_readiness_for_its_participants_only(
    client_for, kit, congress, unions
):
    assert "/readiness/" in client_for(kit).get(f"/meetings/{congress.pk}/").text
    declined = MembershipFactory(organization=unions["no-thanks"], role="secretary").user
    assert client_for(declined).get(f"/meetings/{congress.pk}/readiness/").status_code == 404


def test_a_bilateral_meeting_has_no_readiness(client_for, sam, owner_org, other_org):
    meeting = meeting_create(
        actor=sam,
        organization=owner_org,
        kind="bilateral",
        title="Plant closures",
        start=later(),
        end=later(hour=13),
        time_zone="America/Sao_Paulo",
    )
    assert client_for(sam).get(f"/meetings/{meeting.pk}/readiness/").status_code == 404


def test_one_organizations_missing_pairs_can_be_shown_alone(client_for, kim, congress):
    page = client_for(kim).get(f"/meetings/{congress.pk}/readiness/?organization=docks-kr").text
    assert page.count("Propose a bilateral meeting<span") == 4
    assert "Chemical Workers of Germany – Rail Workers" not in page


def test_a_secretary_proposes_a_bilateral_meeting_and_the_pair_becomes_ready_once_accepted(
    client_for, kim, kit, sam, congress, other_org
):
    page = client_for(kim).get(f"/meetings/{congress.pk}/readiness/").text
    link = f"/meetings/{congress.pk}/readiness/propose/?organization=docks-kr&amp;partner=metal-sp"
    assert link in page
    form = client_for(kim).get(link.replace("&amp;", "&"))
    initial = form.context["form"]
    assert initial["time_zone"].value() == "America/Sao_Paulo"
    proposed_start = initial["start"].value()
    assert proposed_start < congress.start_at.astimezone(SAO_PAULO).replace(tzinfo=None)
    data = {
        "title": initial["title"].value(),
        "start": proposed_start.strftime("%Y-%m-%dT%H:%M"),
        "end": initial["end"].value().strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "America/Sao_Paulo",
        "visibility": "addressed",
    }
    response = client_for(kim).post(link.replace("&amp;", "&"), data)
    assert response.status_code == 302
    bilateral = Meeting.objects.get(kind="bilateral")
    assert bilateral.organization == other_org and bilateral.start_at < congress.start_at
    assert list(bilateral.invitations.values_list("organization__slug", flat=True)) == ["metal-sp"]
    assert readiness_of(congress, sam).ready == 0  # proposed, not yet accepted
    invitation_accept(
        actor=sam,
        meeting=bilateral,
        organization=congress.organization,
        delegates=[Membership.objects.get(user=sam).pk],
    )
    assert readiness_of(congress, sam).ready == 1


def test_a_proposal_after_the_multilateral_meeting_is_refused_and_nothing_is_planned(
    client_for, kim, congress
):
    link = f"/meetings/{congress.pk}/readiness/propose/?organization=docks-kr&partner=metal-sp"
    after = later(days=70)
    response = client_for(kim).post(
        link,
        {
            "title": "Too late",
            "start": after.strftime("%Y-%m-%dT%H:%M"),
            "end": after.replace(hour=12).strftime("%Y-%m-%dT%H:%M"),
            "time_zone": "America/Sao_Paulo",
            "visibility": "addressed",
        },
    )
    assert response.status_code == 200 and "start" in response.context["form"].errors
    assert not Meeting.objects.filter(kind="bilateral").exists()


def test_a_member_cannot_propose_in_the_organizations_name(client_for, kit, congress):
    link = f"/meetings/{congress.pk}/readiness/propose/?organization=docks-kr&partner=metal-sp"
    assert client_for(kit).get(link).status_code == 403


def test_a_proposal_with_an_organization_that_does_not_take_part_is_not_found(
    client_for, kim, congress
):
    link = f"/meetings/{congress.pk}/readiness/propose/?organization=docks-kr&partner=no-thanks"
    assert client_for(kim).get(link).status_code == 404


def test_the_page_reads_a_fixed_number_of_queries_and_hides_the_grid_beyond_30(
    client_for, sam, congress, owner_org, django_assert_max_num_queries
):
    client = client_for(sam)
    client.get(f"/meetings/{congress.pk}/readiness/")
    for n in range(40):
        org = OrganizationFactory(name=f"Union {n:02}", slug=f"union-x{n}")
        Invitation.objects.create(meeting=congress, organization=org, status="accepted")
        if n % 2:
            held(org, owner_org, days_ago=10 + n)
            RelationFactory(proposer=org, partner=congress.invitations.first().organization)
    with django_assert_max_num_queries(12):
        page = client.get(f"/meetings/{congress.pk}/readiness/").text
    assert "45 participants" in page and "Every pair" not in page
    assert "Page 1 of" in page


def test_months_before_keeps_the_day_or_takes_the_end_of_a_shorter_month():
    when = datetime.datetime(2027, 3, 31, 9, tzinfo=datetime.UTC)
    assert months_before(when) == datetime.datetime(2026, 3, 31, 9, tzinfo=datetime.UTC)
    assert months_before(when, 1) == datetime.datetime(2027, 2, 28, 9, tzinfo=datetime.UTC)


# The API -----------------------------------------------------------------------------------------


def test_the_api_gives_the_summary_and_the_missing_pairs_by_page(
    client_for, kim, congress, owner_org, other_org
):
    held(owner_org, other_org, days_ago=100)
    client = client_for(kim)
    first = client.get(f"{API}/meetings/{congress.pk}/readiness?limit=4").json()
    assert first["participants"] == 5 and first["pairs"] == 10 and first["ready"] == 1
    assert first["share"] == 0.1 and first["count"] == 9 and len(first["items"]) == 4
    rest = client.get(f"{API}/meetings/{congress.pk}/readiness?limit=4&offset=8").json()
    assert len(rest["items"]) == 1
    assert rest["items"][0] == {
        "organization": {"slug": "rail-za", "name": "Rail Workers of South Africa"},
        "partner": {"slug": "text-bd", "name": "Textile Workers of Bangladesh"},
    }
    own = client.get(f"{API}/meetings/{congress.pk}/readiness?organization=docks-kr").json()
    assert own["count"] == 3 and {p["organization"]["slug"] for p in own["items"]} == {"docks-kr"}


def test_the_api_refuses_a_bad_page_or_organization_with_field_errors(client_for, kim, congress):
    client = client_for(kim)
    far = client.get(f"{API}/meetings/{congress.pk}/readiness?offset=20000")
    assert far.status_code == 400 and "offset" in json.dumps(far.json()["errors"])
    stranger = client.get(f"{API}/meetings/{congress.pk}/readiness?organization=no-thanks")
    assert stranger.status_code == 400 and "organization" in stranger.json()["errors"]
