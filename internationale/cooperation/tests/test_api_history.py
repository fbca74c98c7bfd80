"""The history of a relation through the API, with API tokens, as a client meets it. The
Metalworkers of São Paulo (Sam speaks for them, Mo is a member) hosted a meeting three days ago
that the Korean Dockworkers (Kim speaks for them) took part in, and adopted an agreement there;
the Dockworkers also received a delegation from São Paulo and pledged support to one of its
appeals. Nell belongs to no organization."""

import datetime
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone

from internationale.accounts.services import token_create
from internationale.cooperation.agreements import agreement_create, task_create
from internationale.cooperation.models import Invitation, Meeting
from internationale.cooperation.services import meeting_create
from internationale.core.actors import System
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory


def with_token(user, organization) -> Client:  # type: ignore[no-untyped-def]
    _token, raw = token_create(
        actor=System(reason="test"), user=user, organization=organization, name="test"
    )
    return Client(headers={"Authorization": f"Bearer {raw}"})


def history_path(organization, other) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/organizations/{organization.slug}/relations/{other.slug}/history"


def local_day(meeting: Meeting) -> datetime.date:
    return meeting.start_at.astimezone(zoneinfo.ZoneInfo("America/Sao_Paulo")).date()


def held(sam, owner_org, other_org, title: str, days_ago: int, **fields) -> Meeting:  # type: ignore[no-untyped-def]
    """A meeting hosted by São Paulo `days_ago` days ago, that the Dockworkers took part in."""
    start = (timezone.now() + datetime.timedelta(days=20)).replace(tzinfo=None)
    meeting = meeting_create(
        actor=sam,
        organization=owner_org,
        title=title,
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="America/Sao_Paulo",
        **{"kind": "bilateral", **fields},
    )
    when = timezone.now() - datetime.timedelta(days=days_ago)
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=when, end_at=when + datetime.timedelta(hours=2)
    )
    Invitation.objects.update_or_create(
        meeting=meeting, organization=other_org, defaults={"status": Invitation.Status.ACCEPTED}
    )
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def relation(sam, owner_org, other_org):  # type: ignore[no-untyped-def]
    from internationale.appeals.models import Appeal
    from internationale.appeals.tests.factories import AppealFactory, PledgeFactory

    meeting = held(sam, owner_org, other_org, "Port campaign", 3)
    held(
        sam,
        owner_org,
        other_org,
        "Visit to Busan",
        10,
        kind="delegation",
        sender=owner_org,
        receiver=other_org,
    )
    agreement = agreement_create(
        actor=sam,
        meeting=meeting,
        title="Joint leaflet",
        text="We print a joint leaflet.",
        parties=[owner_org, other_org],
        adopted_on=local_day(meeting),
    )
    task_create(
        actor=sam,
        agreement=agreement,
        title="Translate the leaflet",
        organization=other_org,
        deadline=timezone.now().date() + datetime.timedelta(days=20),
    )
    appeal = AppealFactory(
        organization=owner_org, title="Lockout at Santos", status=Appeal.Status.OPEN
    )
    appeal.addressees.create(organization=other_org)
    PledgeFactory(appeal=appeal, organization=other_org)
    elsewhere = AppealFactory(organization=other_org, title="Strike in Busan")
    PledgeFactory(appeal=elsewhere, organization=OrganizationFactory())
    return agreement


def test_the_history_of_a_relation_lists_meetings_delegations_agreements_and_appeals(
    mo, owner_org, other_org, relation, settings
):
    settings.SITE_URL = "https://internationale.example"
    response = with_token(mo, owner_org).get(history_path(owner_org, other_org))
    assert response.status_code == 200, response.json()
    assert "no-store" in response["Cache-Control"]
    answer = response.json()
    assert answer["organization"] == {"slug": "metal-sp", "name": "Metalworkers of São Paulo"}
    assert answer["other"] == {"slug": "docks-kr", "name": "Korean Dockworkers"}
    assert [m["title"] for m in answer["meetings"]] == ["Port campaign"]
    [visit] = answer["delegations"]
    assert visit["title"] == "Visit to Busan"
    assert (visit["sender"]["slug"], visit["receiver"]["slug"]) == ("metal-sp", "docks-kr")
    [agreement] = answer["agreements"]
    assert agreement["title"] == "Joint leaflet"
    assert {p["slug"] for p in agreement["parties"]} == {"metal-sp", "docks-kr"}
    assert agreement["share"] == {"total": 1, "done": 0, "dropped": 0, "overdue": 0, "percent": 0}
    [task] = agreement["tasks"]
    assert task["title"] == "Translate the leaflet" and task["status"] == "open"
    assert task["organization"]["slug"] == "docks-kr"
    [appeals] = answer["exchanges"]
    assert appeals["source"] == "appeals"
    [pledge] = appeals["exchanges"]
    assert pledge["title"] == "Lockout at Santos"
    assert pledge["what"].startswith("Korean Dockworkers pledged support")
    assert pledge["url"].startswith("https://internationale.example/appeals/")
    assert "Strike in Busan" not in response.content.decode()


def test_the_other_side_reads_the_same_history_from_its_own_organization(
    kim, owner_org, other_org, relation
):
    answer = with_token(kim, other_org).get(history_path(other_org, owner_org)).json()
    assert answer["organization"]["slug"] == "docks-kr"
    assert [m["title"] for m in answer["meetings"]] == ["Port campaign"]
    assert [a["title"] for a in answer["agreements"]] == ["Joint leaflet"]


def test_the_history_is_not_found_but_by_the_first_organizations_people(
    kim, nell, mo, owner_org, other_org, relation
):
    # Kim speaks for the partner, not for the organization named first.
    response = with_token(kim, other_org).get(history_path(owner_org, other_org))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}
    # Mo's token speaks for São Paulo: his membership elsewhere does not count through it.
    MembershipFactory(organization=other_org, user=mo, role=Membership.Role.ADMIN)
    assert with_token(mo, owner_org).get(history_path(other_org, owner_org)).status_code == 404
    assert with_token(mo, other_org).get(history_path(other_org, owner_org)).status_code == 200
    # An unknown organization, or the same one twice.
    client = with_token(mo, owner_org)
    assert client.get("/api/v1/organizations/metal-sp/relations/nowhere/history").status_code == 404
    assert client.get(history_path(owner_org, owner_org)).status_code == 404
    # Signed in to nothing, or not at all.
    nobody = Client()
    nobody.force_login(nell)
    assert nobody.get(history_path(owner_org, other_org)).status_code == 404
    assert Client().get(history_path(owner_org, other_org)).status_code == 401


def test_each_list_of_the_history_keeps_the_latest_as_its_page_does(
    sam, mo, owner_org, other_org, relation, monkeypatch
):
    monkeypatch.setattr("internationale.cooperation.history.LIMIT", 2)
    held(sam, owner_org, other_org, "Wage talks", 20)
    held(sam, owner_org, other_org, "Founding meeting", 400)
    answer = with_token(mo, owner_org).get(history_path(owner_org, other_org)).json()
    assert [m["title"] for m in answer["meetings"]] == ["Port campaign", "Wage talks"]
    browser = Client()
    browser.force_login(mo)
    text = browser.get(f"/meetings/relations/{owner_org.slug}/{other_org.slug}/").content.decode()
    assert "Wage talks" in text and "Founding meeting" not in text


def test_the_history_reads_a_fixed_number_of_queries(
    sam, mo, owner_org, other_org, relation, django_assert_max_num_queries
):
    for n in range(5):
        meeting = held(sam, owner_org, other_org, f"Meeting {n}", 30 + n)
        agreement = agreement_create(
            actor=sam,
            meeting=meeting,
            title=f"Agreement {n}",
            text="Agreed.",
            parties=[owner_org, other_org],
            adopted_on=local_day(meeting),
        )
        for m in range(3):
            task_create(
                actor=sam,
                agreement=agreement,
                title=f"Task {n}.{m}",
                organization=owner_org,
                deadline=timezone.now().date() + datetime.timedelta(days=20),
            )
    client = with_token(mo, owner_org)
    with django_assert_max_num_queries(15):
        answer = client.get(history_path(owner_org, other_org)).json()
    assert len(answer["agreements"]) == 6
    assert sum(len(a["tasks"]) for a in answer["agreements"]) == 16
