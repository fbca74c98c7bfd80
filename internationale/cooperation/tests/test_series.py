"""Series of meetings and their editions, through real requests to the pages and the API. The
Metalworkers of São Paulo (Sam speaks for them, Mo is a member) hold an annual international
meeting; the Korean Dockworkers (Kim speaks for them, Kit is a member) take part."""

import datetime
import json
import re
import zoneinfo

import pytest
from django.utils import timezone

from internationale.cooperation.models import Invitation, Meeting, Series
from internationale.cooperation.series import (
    next_edition_initial,
    series_create,
    series_next_edition,
)
from internationale.cooperation.services import meeting_create
from internationale.core.models import AuditEntry
from internationale.core.tests.concurrency import concurrently, needs_row_locks
from internationale.notifications.models import InboxEntry
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

SAO_PAULO = zoneinfo.ZoneInfo("America/Sao_Paulo")
API = "/api/v1"


def later(days: int = 30, hour: int = 10) -> datetime.datetime:
    day = timezone.now().astimezone(SAO_PAULO).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0))


@pytest.fixture
def first(sam, owner_org, other_org):  # type: ignore[no-untyped-def]
    """The meeting of this year: the Korean Dockworkers accepted; a third union declined; a
    fourth did not answer."""
    meeting = meeting_create(
        actor=sam,
        organization=owner_org,
        kind="multilateral",
        title="International Metalworkers' Meeting",
        start=later(),
        end=later(days=32, hour=17),
        time_zone="America/Sao_Paulo",
        place="São Bernardo do Campo",
        languages=["pt-BR", "es", "en"],
        visibility="network",
    )
    Invitation.objects.create(meeting=meeting, organization=other_org, status="accepted")
    Invitation.objects.create(
        meeting=meeting,
        organization=OrganizationFactory(name="Declining Union", slug="declining"),
        status="declined",
    )
    Invitation.objects.create(
        meeting=meeting, organization=OrganizationFactory(name="Silent Union", slug="silent")
    )
    return meeting


@pytest.fixture
def series(sam, first):  # type: ignore[no-untyped-def]
    return series_create(
        actor=sam, meeting=first, title="International Metalworkers' Meeting", period="yearly"
    )


def next_form(**changes):  # type: ignore[no-untyped-def]
    start = later(days=400)
    data = {
        "kind": "multilateral",
        "title": "International Metalworkers' Meeting 2",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "America/Sao_Paulo",
        "languages": "pt-BR, es, en",
        "visibility": "network",
        "carry_agenda": "on",  # ticked on the page, as long as the visibility is not wider
    }
    data.update(changes)
    return data


# Starting a series -------------------------------------------------------------------------------


def test_a_secretary_makes_a_meeting_the_first_edition_of_a_series(client_for, sam, first):
    client = client_for(sam)
    assert "Make this the first edition of a series" in client.get(f"/meetings/{first.pk}/").text
    response = client.post(
        f"/meetings/{first.pk}/series/",
        {"title": "International Metalworkers' Meeting", "period": "yearly"},
    )
    made = Series.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/meetings/series/{made.pk}/"
    first.refresh_from_db()
    assert first.series == made and first.edition == 1 and made.period == "yearly"
    page = client.get(f"/meetings/{first.pk}/").text
    assert "Edition 1 of International Metalworkers&#x27; Meeting" in page
    assert "Make this the first edition of a series" not in page
    assert AuditEntry.objects.for_target(first).filter(action="series.create").exists()


def test_a_member_cannot_start_a_series_and_nothing_changes(client_for, mo, first):
    response = client_for(mo).post(
        f"/meetings/{first.pk}/series/", {"title": "Ours now", "period": "yearly"}
    )
    assert response.status_code == 403 and not Series.objects.exists()
    assert "Make this the first edition" not in client_for(mo).get(f"/meetings/{first.pk}/").text


def test_a_series_needs_a_title_and_a_known_period(client_for, sam, first):
    response = client_for(sam).post(
        f"/meetings/{first.pk}/series/", {"title": " ", "period": "monthly"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "period"}
    assert not Series.objects.exists()


def test_a_meeting_of_a_series_leads_to_its_series_instead_of_starting_another(
    client_for, sam, series, first
):
    response = client_for(sam).get(f"/meetings/{first.pk}/series/")
    assert response.status_code == 302 and response["Location"] == f"/meetings/series/{series.pk}/"


# The next edition --------------------------------------------------------------------------------


def test_the_next_edition_is_prefilled_from_the_last_a_year_later(client_for, sam, series, first):
    response = client_for(sam).get(f"/meetings/series/{series.pk}/next/")
    form = response.context["form"]
    assert response.status_code == 200
    assert form["kind"].value() == "multilateral"
    assert form["title"].value() == "International Metalworkers' Meeting"
    assert form["place"].value() == "São Bernardo do Campo"
    assert form["languages"].value() == "pt-BR, es, en"
    assert form["visibility"].value() == "network"
    start = first.start_at.astimezone(SAO_PAULO)
    assert form["start"].value() == start.replace(year=start.year + 1, tzinfo=None)
    assert "edition 2" in response.text


def test_saving_the_next_edition_invites_who_took_part_in_the_last(
    client_for, sam, kim, series, first, other_org, work_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sam).post(f"/meetings/series/{series.pk}/next/", next_form())
    second = Meeting.objects.get(edition=2)
    assert response.status_code == 302 and response["Location"] == f"/meetings/{second.pk}/"
    assert second.series == series and second.organization == first.organization
    invited = dict(
        Invitation.objects.filter(meeting=second).values_list("organization__slug", "status")
    )
    # The accepted and the silent are invited again, the declining one is not.
    assert invited == {"docks-kr": "invited", "silent": "invited"}
    work_off()
    assert InboxEntry.objects.filter(organization=other_org, kind="meeting.invited").exists()
    answer = client_for(kim).get(f"{API}/meetings/{second.pk}/invitations").json()
    mine = next(i for i in answer["items"] if i["organization"]["slug"] == "docks-kr")
    assert mine["codes"] == ["previous_edition"]
    assert mine["reasons"] == ["took part in the previous edition"]
    assert AuditEntry.objects.for_target(second).filter(action="series.edition").exists()


def test_the_next_edition_starts_with_the_last_ones_agenda_without_its_minutes_or_slots(
    client_for, sam, series, first, other_org
):
    from internationale.cooperation.agenda import agenda_item_add
    from internationale.cooperation.minutes import minutes_record

    declining = Invitation.objects.get(meeting=first, organization__slug="declining")
    report = agenda_item_add(
        actor=sam,
        meeting=first,
        title="Reports from the plants",
        rapporteur=other_org,
        start=later(hour=10),
        end=later(hour=12),
    )
    agenda_item_add(actor=sam, meeting=first, title="Pensions", description="The new law.")
    minutes_record(actor=sam, item=report, text="Three plants closed this year.")
    # A rapporteur who declined does not report at the next edition.
    declining.status = "accepted"
    declining.save()
    item = agenda_item_add(
        actor=sam, meeting=first, title="Solidarity fund", rapporteur=declining.organization
    )
    Invitation.objects.filter(pk=declining.pk).update(status="declined")
    assert item.rapporteur == declining.organization

    client_for(sam).post(f"/meetings/series/{series.pk}/next/", next_form())
    second = Meeting.objects.get(edition=2)
    carried = [
        (i.title, i.description, i.rapporteur_id, i.starts_at, i.minutes)
        for i in second.agenda_items.order_by("position")
    ]
    assert carried == [
        ("Reports from the plants", "", other_org.pk, None, ""),
        ("Pensions", "The new law.", None, None, ""),
        ("Solidarity fund", "", None, None, ""),
    ]
    # The last edition keeps its own.
    assert first.agenda_items.get(title="Reports from the plants").minutes


def test_the_open_tasks_of_the_last_edition_are_on_the_next_ones_agenda(
    client_for, sam, kim, series, first, owner_org, other_org
):
    from internationale.cooperation.agreements import (
        agreement_create,
        task_complete,
        task_create,
        task_set_status,
    )

    # The first edition was held a month ago, and adopted an agreement with three tasks.
    shift = first.start_at - (timezone.now() - datetime.timedelta(days=30))
    Meeting.objects.filter(pk=first.pk).update(
        start_at=first.start_at - shift, end_at=first.end_at - shift
    )
    first.refresh_from_db()
    agreement = agreement_create(
        actor=sam,
        meeting=first,
        title="Joint campaign on plant closures",
        text="We campaign together.",
        parties=[owner_org.pk, other_org.pk],
        adopted_on=first.start_at.date(),
    )
    soon = timezone.now().date() + datetime.timedelta(days=20)
    started = task_create(
        actor=sam, agreement=agreement, title="Leaflet", organization=other_org, deadline=soon
    )
    task_set_status(actor=kim, task=started, status="in_progress")
    task_create(
        actor=sam, agreement=agreement, title="Survey", organization=owner_org, deadline=soon
    )
    done = task_create(
        actor=sam, agreement=agreement, title="Letter", organization=other_org, deadline=soon
    )
    task_complete(actor=kim, task=done, evidence_text="Sent on Monday.")

    client_for(sam).post(f"/meetings/series/{series.pk}/next/", next_form())
    second = Meeting.objects.get(edition=2)
    item = second.agenda_items.get()
    assert item.title == "Open tasks from edition 1"
    assert item.description.splitlines() == [
        f"Leaflet: Korean Dockworkers, by {soon.isoformat()}",
        f"Survey: Metalworkers of São Paulo, by {soon.isoformat()}",
    ]


def carry_box(page: str) -> str:
    """The page's checkbox "Carry over the agenda"."""
    found = re.search(r'<input[^>]*name="carry_agenda"[^>]*>', page)
    assert found is not None
    return found[0]


def _agenda_and_open_task(sam, first, owner_org, other_org):  # type: ignore[no-untyped-def]
    """The first edition's agenda holds one item, and its agreement one open task."""
    from internationale.cooperation.agenda import agenda_item_add
    from internationale.cooperation.agreements import agreement_create, task_create

    agenda_item_add(actor=sam, meeting=first, title="Closure of the Osasco plant")
    shift = first.start_at - (timezone.now() - datetime.timedelta(days=30))
    Meeting.objects.filter(pk=first.pk).update(
        start_at=first.start_at - shift, end_at=first.end_at - shift
    )
    first.refresh_from_db()
    agreement = agreement_create(
        actor=sam,
        meeting=first,
        title="Joint campaign",
        text="We campaign together.",
        parties=[owner_org.pk, other_org.pk],
        adopted_on=first.start_at.date(),
    )
    task_create(
        actor=sam,
        agreement=agreement,
        title="Talk to the Osasco works council",
        organization=other_org,
        deadline=timezone.now().date() + datetime.timedelta(days=20),
    )


def test_a_wider_next_edition_lists_what_it_would_publish_and_carries_nothing_unasked(
    client_for, sam, series, first, owner_org, other_org
):
    _agenda_and_open_task(sam, first, owner_org, other_org)
    client = client_for(sam)
    url = f"/meetings/series/{series.pk}/next/"
    page = client.get(url).text
    assert "What carries over" in page and "Closure of the Osasco plant" in page
    assert "checked" in carry_box(page)
    # The last edition was seen by the network; the next one would be public.
    asked = client.post(url, next_form(visibility="public"))
    assert asked.status_code == 200 and not Meeting.objects.filter(edition=2).exists()
    text = asked.text
    assert "Published more widely" in text
    assert '<li dir="auto">Closure of the Osasco plant</li>' in text
    assert '<li dir="auto">Talk to the Osasco works council</li>' in text
    assert "checked" not in carry_box(text)
    assert 'name="reviewed" value="public"' in text
    # Planned as it stands: no agenda, the participants invited all the same.
    response = client.post(url, next_form(visibility="public", reviewed="public", carry_agenda=""))
    second = Meeting.objects.get(edition=2)
    assert response["Location"] == f"/meetings/{second.pk}/"
    assert second.visibility == "public" and not second.agenda_items.exists()
    assert second.invitations.filter(organization=other_org).exists()
    assert "Talk to the Osasco" not in client_for(None).get(f"/meetings/{second.pk}/").text
    entry = AuditEntry.objects.get(action="series.edition")
    assert entry.data["agenda"] is False


def test_the_host_may_carry_the_agenda_to_a_wider_edition_once_told(
    client_for, sam, series, first, owner_org, other_org
):
    _agenda_and_open_task(sam, first, owner_org, other_org)
    url = f"/meetings/series/{series.pk}/next/"
    client_for(sam).post(url, next_form(visibility="public", reviewed="public"))
    second = Meeting.objects.get(edition=2)
    assert [i.title for i in second.agenda_items.order_by("position")] == [
        "Closure of the Osasco plant",
        "Open tasks from edition 1",
    ]
    assert "Talk to the Osasco" in client_for(None).get(f"/meetings/{second.pk}/").text


def test_a_next_edition_no_wider_carries_over_at_once_unless_unticked(
    client_for, sam, series, first, owner_org, other_org
):
    _agenda_and_open_task(sam, first, owner_org, other_org)
    url = f"/meetings/series/{series.pk}/next/"
    # Narrower (addressed after network): no question asked.
    response = client_for(sam).post(url, next_form(visibility="addressed"))
    assert response.status_code == 302
    assert Meeting.objects.get(edition=2).agenda_items.count() == 2
    response = client_for(sam).post(url, next_form(visibility="addressed", carry_agenda=""))
    assert response.status_code == 302
    assert not Meeting.objects.get(edition=3).agenda_items.exists()


@pytest.mark.parametrize(
    ("visibility", "carry", "carried"),
    [
        ("public", None, False),  # wider: not unless asked
        ("public", True, True),
        ("network", None, True),  # the same: unless refused
        ("addressed", False, False),
    ],
)
def test_the_api_carries_the_agenda_to_a_wider_edition_only_when_asked(
    client_for, sam, series, first, owner_org, other_org, visibility, carry, carried
):
    _agenda_and_open_task(sam, first, owner_org, other_org)
    client = client_for(sam)
    data = {"visibility": visibility} | ({} if carry is None else {"carry_agenda": carry})
    made = post(client, f"/series/{series.pk}/next-edition", data)
    assert made.status_code == 201
    agenda = client.get(f"{API}/meetings/{made.json()['id']}/agenda").json()
    assert ("Talk to the Osasco works council" in json.dumps(agenda)) is carried
    assert ("Closure of the Osasco plant" in json.dumps(agenda)) is carried


def test_the_api_refuses_a_carry_agenda_that_is_not_a_boolean(client_for, sam, series):
    made = post(client_for(sam), f"/series/{series.pk}/next-edition", {"carry_agenda": "perhaps"})
    assert made.status_code in (400, 422) and "carry_agenda" in made.text
    assert Meeting.objects.filter(series=series).count() == 1


def test_each_edition_links_to_the_previous_and_the_next(client_for, sam, kim, series, first):
    client_for(sam).post(f"/meetings/series/{series.pk}/next/", next_form())
    second = Meeting.objects.get(edition=2)
    page_two = client_for(kim).get(f"/meetings/{second.pk}/").text
    assert "Edition 2 of" in page_two and f'href="/meetings/{first.pk}/" rel="prev"' in page_two
    page_one = client_for(kim).get(f"/meetings/{first.pk}/").text
    assert f'href="/meetings/{second.pk}/" rel="next"' in page_one
    listing = client_for(kim).get(f"/meetings/series/{series.pk}/").text
    assert listing.index("Edition 2") < listing.index("Edition 1")
    assert "Prepare the next edition" not in listing


def test_a_next_edition_in_the_past_is_refused_and_nothing_is_planned(client_for, sam, series):
    response = client_for(sam).post(
        f"/meetings/series/{series.pk}/next/",
        next_form(start="2020-01-01T09:00", end="2020-01-01T17:00"),
    )
    assert response.status_code == 200
    assert "start" in response.context["form"].errors
    assert not Meeting.objects.filter(edition=2).exists()


def test_a_series_shows_each_reader_only_the_editions_they_may_see(client_for, sam, series, first):
    client_for(sam).post(f"/meetings/series/{series.pk}/next/", next_form(visibility="addressed"))
    newcomer = OrganizationFactory(name="Newcomers", slug="newcomers")
    reader = MembershipFactory(organization=newcomer, role="member").user
    # The first edition is for the network: a member of any verified organization sees it, not the
    # second, which is for its participants.
    listing = client_for(reader).get(f"/meetings/series/{series.pk}/").text
    assert "Edition 1" in listing and "Edition 2" not in listing


def test_a_biennial_series_moves_two_years_and_29_february_becomes_the_28th(sam, first):
    made = series_create(actor=sam, meeting=first, title="Congress", period="biennial")
    first.start_at = datetime.datetime(2028, 2, 29, 9, tzinfo=SAO_PAULO)
    first.end_at = datetime.datetime(2028, 2, 29, 17, tzinfo=SAO_PAULO)
    initial = next_edition_initial(made, first)
    assert initial["start"] == datetime.datetime(2030, 2, 28, 9, tzinfo=SAO_PAULO).replace(
        tzinfo=None
    )


# The API -----------------------------------------------------------------------------------------


def post(client, path, data, **headers):  # type: ignore[no-untyped-def]
    return client.post(
        f"{API}{path}", data=json.dumps(data), content_type="application/json", headers=headers
    )


def test_the_api_starts_a_series_and_prepares_its_next_edition(client_for, sam, kim, first):
    client = client_for(sam)
    made = post(client, f"/meetings/{first.pk}/series", {"title": "IMM", "period": "yearly"})
    assert made.status_code == 201
    series_id = made.json()["id"]
    assert made.json()["editions"][0]["edition"] == 1
    second = post(client, f"/series/{series_id}/next-edition", {}, **{"Idempotency-Key": "k1"})
    assert second.status_code == 201
    data = second.json()
    assert data["edition"] == 2 and data["series"] == series_id
    start = first.start_at.astimezone(SAO_PAULO)
    assert data["start_local"].startswith(str(start.year + 1))
    again = post(client, f"/series/{series_id}/next-edition", {}, **{"Idempotency-Key": "k1"})
    assert again.status_code == 201 and again.json()["id"] == data["id"]
    assert Meeting.objects.filter(series_id=series_id).count() == 2
    seen = client_for(kim).get(f"{API}/series/{series_id}").json()
    assert [e["edition"] for e in seen["editions"]] == [2, 1]


def test_the_api_refuses_a_bad_period_and_a_second_series(client_for, sam, series, first):
    client = client_for(sam)
    bad = post(client, f"/meetings/{first.pk}/series", {"title": "IMM", "period": "monthly"})
    assert bad.status_code == 400 and "period" in bad.json()["errors"]
    again = post(client, f"/meetings/{first.pk}/series", {"title": "IMM", "period": "yearly"})
    assert again.status_code == 400 and "already edition 1" in again.json()["detail"]
    assert Series.objects.count() == 1


def test_the_api_refuses_a_next_edition_in_the_past(client_for, sam, series):
    answer = post(
        client_for(sam),
        f"/series/{series.pk}/next-edition",
        {"start": "2020-01-01T09:00:00", "end": "2020-01-01T17:00:00"},
    )
    assert answer.status_code == 400 and "start" in answer.json()["errors"]
    assert not Meeting.objects.filter(edition=2).exists()


def test_an_organization_removed_takes_its_series_and_their_editions_with_it(sam, series, first):
    first.organization.delete()
    assert not Series.objects.exists() and not Meeting.objects.exists()


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_next_editions_prepared_at_the_same_moment_are_numbered_one_after_the_other(
    sam, ana, series
):
    outcomes = concurrently(
        *(
            (lambda who=who: series_next_edition(actor=who, series=series, title="Next"))
            for who in (sam, ana, sam)
        )
    )
    assert all(isinstance(o, Meeting) for o in outcomes), outcomes
    assert sorted(o.edition for o in outcomes) == [2, 3, 4]


def test_the_api_asks_to_confirm_the_language_of_a_next_edition_described_in_another(
    client_for, sam, series, first
):
    english = "The union asks the company to keep every job at the plant and to open its accounts."
    portuguese = (
        "O sindicato pede à empresa que mantenha todos os empregos na fábrica e abra as contas."
    )
    text = english if first.language.startswith("pt") else portuguese
    client = client_for(sam)
    refused = post(client, f"/series/{series.pk}/next-edition", {"description": text})
    assert refused.status_code == 400 and refused.json()["code"] == "language_unconfirmed"
    assert Meeting.objects.filter(series=series).count() == 1
    body = {"description": text, "language_confirmed": True}
    made = post(client, f"/series/{series.pk}/next-edition", body)
    assert made.status_code == 201
    assert Meeting.objects.get(pk=made.json()["id"]).description == text
