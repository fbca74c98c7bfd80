"""The issuer's summary and the send preview stay small however many organizations an appeal
goes to: the figures first, counted by the database (or over routing's one list), then a page of
organizations, of one country or one answer if the issuer chooses."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from internationale.appeals.models import Response
from internationale.core.worker import run_pending_tasks
from internationale.organizations.models import Organization

from .factories import SEND_TASK


@pytest.fixture(autouse=True)
def _small_pages(settings):
    settings.INTERNATIONALE_ADDRESSEE_PAGE_SIZE = 10


def _organizations(country: str, count: int, prefix: str) -> list[Organization]:
    now = timezone.now()
    return Organization.objects.bulk_create(
        [
            Organization(
                name=f"{prefix} {i:03}",
                slug=f"{prefix.lower()}-{i}",
                country=country,
                kind="union",
                verified_at=now,
            )
            for i in range(count)
        ]
    )


@pytest.fixture
def wide(draft, sam, send):
    """The draft sent to 25 Kenyan and 5 Tanzanian organizations; 3 Kenyan ones acknowledged,
    one Tanzanian one declined."""
    kenya = _organizations("KE", 25, "Dockers")
    tanzania = _organizations("TZ", 5, "Miners")
    appeal = send(draft, sam, countries=["KE", "TZ"])
    for organization in kenya[:3]:
        Response.objects.create(appeal=appeal, organization=organization, kind="acknowledged")
    Response.objects.create(appeal=appeal, organization=tanzania[0], kind="declined", reason="No")
    return appeal


def _names(page: str) -> list[str]:
    return re.findall(r"<td>((?:Dockers|Miners) \d{3}) <span", page)


def test_the_summary_counts_by_country_and_lists_a_page_of_organizations(wide, client_for, sam):
    page = client_for(sam).get(f"/appeals/{wide.pk}/summary/").content.decode()
    assert "<dt>Organizations asked</dt><dd>30</dd>" in page
    assert "<dt>Organizations that answered</dt><dd>4</dd>" in page
    assert re.search(r">Kenya</a></th><td>25</td><td>3</td>", page)
    assert re.search(r">Tanzania</a></th><td>5</td><td>1</td>", page)
    assert "30 organizations." in page
    assert len(_names(page)) == 10
    assert "Page 1 of 3" in page
    second = client_for(sam).get(f"/appeals/{wide.pk}/summary/?page=2").content.decode()
    assert len(_names(second)) == 10
    assert not set(_names(second)) & set(_names(page))


def test_the_summary_lists_the_organizations_of_one_country_or_one_answer(wide, client_for, sam):
    client = client_for(sam)
    tanzania = client.get(f"/appeals/{wide.pk}/summary/?country=TZ").content.decode()
    assert sorted(_names(tanzania)) == [f"Miners {i:03}" for i in range(5)]
    acknowledged = client.get(f"/appeals/{wide.pk}/summary/?answer=acknowledged").content
    assert sorted(_names(acknowledged.decode())) == [f"Dockers {i:03}" for i in range(3)]
    assert "3 organizations." in acknowledged.decode()
    nobody = client.get(f"/appeals/{wide.pk}/summary/?country=KE&answer=declined").content
    assert "0 organizations." in nobody.decode() and not _names(nobody.decode())
    silent_everywhere = client.get(f"/appeals/{wide.pk}/summary/?answer=none").content.decode()
    assert "26 organizations." in silent_everywhere
    assert "Page 1 of 3" in silent_everywhere
    silent = client.get(f"/appeals/{wide.pk}/summary/?country=TZ&answer=none").content.decode()
    assert sorted(_names(silent)) == [f"Miners {i:03}" for i in range(1, 5)]
    assert "4 organizations." in silent
    # The form says what is shown, with labels, and works without script.
    assert re.search(r'<label for="id_country">Country:?</label>', silent)
    assert '<option value="TZ" selected>Tanzania (5)</option>' in silent


def test_a_filter_the_summary_does_not_know_is_refused_and_everything_shown(wide, client_for, sam):
    page = client_for(sam).get(f"/appeals/{wide.pk}/summary/?country=FR&answer=maybe")
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("Select a valid choice") == 2
    assert "30 organizations." in text


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["summary/", "summary/?country=KE&answer=none&page=2"])
def test_the_summary_reads_as_many_queries_for_5_addressees_as_for_50(
    path, draft, sam, send, client_for, django_assert_max_num_queries
):
    few = _organizations("KE", 5, "Dockers")
    appeal = send(draft, sam, countries=["KE"])
    client = client_for(sam)
    with django_assert_max_num_queries(15):
        small = _queries(client, f"/appeals/{appeal.pk}/{path}")
    Response.objects.create(appeal=appeal, organization=few[0], kind="acknowledged")
    for organization in _organizations("KE", 45, "Welders"):
        appeal.addressees.create(organization=organization, reasons=[["manual", {}]])
        Response.objects.create(appeal=appeal, organization=organization, kind="pledged")
    assert appeal.addressees.count() == 50
    with django_assert_max_num_queries(15):
        large = _queries(client, f"/appeals/{appeal.pk}/{path}")
    assert large == small


def test_an_organization_that_moves_is_counted_and_listed_under_its_new_country(
    wide, client_for, sam
):
    from internationale.organizations.models import Membership
    from internationale.organizations.services import organization_update
    from internationale.organizations.tests.factories import MembershipFactory

    moving = Organization.objects.get(name="Dockers 024")
    admin = MembershipFactory(organization=moving, role=Membership.Role.ADMIN).user
    organization_update(actor=admin, organization=moving, country="UG")

    page = client_for(sam).get(f"/appeals/{wide.pk}/summary/").content.decode()
    assert re.search(r">Kenya</a></th><td>24</td><td>3</td>", page)
    assert re.search(r">Uganda</a></th><td>1</td><td>0</td>", page)
    uganda = client_for(sam).get(f"/appeals/{wide.pk}/summary/?country=UG").content.decode()
    assert _names(uganda) == ["Dockers 024"]
    assert '<span class="meta">Uganda</span>' in uganda


def test_organizations_added_by_hand_or_passed_on_are_counted_under_their_country(
    wide, client_for, sam, kim, other_org
):
    from internationale.appeals.services import appeal_add_addressees, appeal_pass

    appeal_add_addressees(actor=sam, appeal=wide, organizations=[other_org])
    ghana = _organizations("GH", 1, "Weavers")[0]
    appeal_pass(actor=kim, appeal=wide, organization=other_org, to=ghana)

    page = client_for(sam).get(f"/appeals/{wide.pk}/summary/").content.decode()
    assert "<dt>Organizations asked</dt><dd>32</dd>" in page
    assert re.search(r">South Korea</a></th><td>1</td><td>1</td>", page)
    assert re.search(r">Ghana</a></th><td>1</td><td>0</td>", page)


def test_the_summary_names_countries_in_the_readers_language(wide, client_for, sam):
    page = (
        client_for(sam)
        .get(f"/appeals/{wide.pk}/summary/?country=TZ", HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    assert '<span class="meta">Tanzanie</span>' in page
    english = client_for(sam).get(f"/appeals/{wide.pk}/summary/?country=TZ").content.decode()
    assert '<span class="meta">Tanzania</span>' in english


# The send preview -------------------------------------------------------------------------------


def test_the_preview_counts_everyone_and_shows_a_page(draft, sam, client_for):
    _organizations("KE", 25, "Dockers")
    _organizations("TZ", 5, "Miners")
    url = f"/appeals/{draft.pk}/send/?preview=1&countries=KE&countries=TZ"
    page = client_for(sam).get(url).content.decode()
    assert "Preview: 30 organizations" in page
    assert '<th scope="row">Kenya</th><td>25</td>' in page
    assert '<th scope="row">in Tanzania</th><td>5</td>' in page
    assert page.count('name="remove" value=') == 10
    assert "Page 1 of 3" in page
    assert "Send to 30 organizations" in page
    tanzania = client_for(sam).get(url + "&country=TZ").content.decode()
    assert "5 organizations shown" in tanzania
    assert re.findall(r'<label for="remove-\d+">(Miners \d+)</label>', tanzania) == [
        f"Miners {i:03}" for i in range(5)
    ]


def test_organizations_left_out_on_a_page_are_left_out_of_the_send(draft, sam, client_for):
    kenya = _organizations("KE", 25, "Dockers")
    client = client_for(sam)
    url = f"/appeals/{draft.pk}/send/?preview=1&countries=KE&remove={kenya[0].pk}"
    page = client.get(url + f"&remove={kenya[1].pk}").content.decode()
    assert "Preview: 23 organizations" in page
    assert '<th scope="row">Kenya</th><td>23</td>' in page
    assert "2 organizations left out by hand." in page
    # Previewing again (another page, another tick) keeps each left out once.
    criteria = page.split('<form method="get" class="stack" novalidate>', 1)[1].split("</form>")[0]
    assert len(re.findall(r'type="hidden" name="remove"', criteria)) == 2
    # Sending posts the criteria, with every organization left out, whatever page was shown.
    posted = re.search(r'<form method="post" class="stack">(.*?)</form>', page, re.S)
    assert posted is not None
    fields = re.findall(r'name="(\w+)" value="([^"]*)"', posted.group(1))
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    assert client.post(f"/appeals/{draft.pk}/send/", data).status_code == 302
    run_pending_tasks(only=SEND_TASK)  # the worker records the addressees
    assert draft.addressees.count() == 23
    assert not draft.addressees.filter(organization__in=kenya[:2]).exists()


def test_the_preview_reads_as_many_queries_for_5_organizations_as_for_50(draft, sam, client_for):
    client = client_for(sam)
    url = f"/appeals/{draft.pk}/send/?preview=1&countries=KE&sector=on&page=2"
    _organizations("KE", 5, "Dockers")
    small = _queries(client, url)
    _organizations("KE", 45, "Welders")
    large = _queries(client, url)
    assert large == small


# The API: the preview and the answers, a page at a time -----------------------------------------


def test_the_api_preview_answers_a_page_and_counts_everyone(draft, sam, client_for):
    _organizations("KE", 25, "Dockers")
    _organizations("TZ", 5, "Miners")
    client = client_for(sam)
    url = f"/api/v1/appeals/{draft.pk}/addressees/preview"
    criteria = '{"countries": ["KE", "TZ"]}'
    pages = [
        client.post(f"{url}?limit=12&offset={offset}", criteria, content_type="application/json")
        for offset in (0, 12, 24)
    ]
    assert [p.status_code for p in pages] == [200, 200, 200]
    assert [p.json()["count"] for p in pages] == [30, 30, 30]
    names = [item["organization"]["name"] for p in pages for item in p.json()["items"]]
    assert [len(p.json()["items"]) for p in pages] == [12, 12, 6]
    assert sorted(names) == [f"Dockers {i:03}" for i in range(25)] + [
        f"Miners {i:03}" for i in range(5)
    ]
    default = client.post(url, criteria, content_type="application/json").json()
    assert len(default["items"]) == 25  # the API's page size, as for every other list
    assert default["items"][0] == pages[0].json()["items"][0]
    assert {item["country"] for item in default["items"]} <= {"KE", "TZ"}
    refused = client.post(f"{url}?limit=1000", criteria, content_type="application/json")
    assert refused.status_code == 400 and "limit" in refused.json()["errors"]


def test_the_api_lists_the_answers_a_page_at_a_time_in_as_many_queries_for_5_as_for_50(
    wide, sam, client_for
):
    client = client_for(sam)
    url = f"/api/v1/appeals/{wide.pk}/responses?limit=3&offset=2"

    def read() -> tuple[dict, int]:  # type: ignore[type-arg]
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(url)
        assert answer.status_code == 200
        return answer.json(), len(queries)

    few, small = read()
    assert few["count"] == 4 and len(few["items"]) == 2
    for organization in _organizations("KE", 46, "Welders"):
        wide.addressees.create(organization=organization, reasons=[["manual", {}]])
        Response.objects.create(appeal=wide, organization=organization, kind="acknowledged")
    many, large = read()
    assert many["count"] == 50 and len(many["items"]) == 3
    assert many["items"][:2] == few["items"]  # oldest first: the first answers stay in place
    assert large == small


# The appeal's own page --------------------------------------------------------------------------


def test_the_appeals_page_shows_the_latest_answers_and_counts_them_all(
    draft, sam, kim, other_org, send, client_for
):
    kenya = _organizations("KE", 30, "Dockers")
    appeal = send(draft, sam, countries=["KE"], add=[other_org.pk])
    # The Korean dockworkers acknowledged first; thirty answers came after theirs.
    Response.objects.create(appeal=appeal, organization=other_org, kind="acknowledged")
    for organization in kenya:
        Response.objects.create(appeal=appeal, organization=organization, kind="acknowledged")
    issuer = client_for(sam).get(f"/appeals/{appeal.pk}/").content.decode()
    assert "The latest 20 of 31 answers." in issuer
    assert "Every answer, counted, in the summary" in issuer
    assert issuer.count("· Acknowledged</li>") == 20
    assert "Dockers 029" in issuer and "Dockers 009" not in issuer
    # Kim's acknowledgement is not among the latest shown: the page still knows it was given.
    addressee = client_for(kim).get(f"/appeals/{appeal.pk}/").content.decode()
    assert "Answer this appeal" in addressee
    assert "Acknowledge receipt" not in addressee
    assert "Every answer, counted, in the summary" not in addressee


def test_answers_are_counted_per_day_in_the_readers_time_zone(draft, sam, mo, send):
    import datetime

    from internationale.appeals.selectors import appeal_access, issuer_summary

    organizations = _organizations("KE", 3, "Dockers")
    appeal = send(draft, sam, countries=["KE"])
    utc = datetime.UTC
    for organization, at in zip(
        organizations,
        [
            datetime.datetime(2026, 3, 1, 18, 20, tzinfo=utc),  # 23:50 in Kolkata: 1 March
            datetime.datetime(2026, 3, 1, 18, 40, tzinfo=utc),  # 00:10 in Kolkata: 2 March
            datetime.datetime(2026, 3, 1, 23, 0, tzinfo=utc),
        ],
        strict=True,
    ):
        response = Response.objects.create(
            appeal=appeal, organization=organization, kind="acknowledged"
        )
        Response.objects.filter(pk=response.pk).update(created_at=at)
    with timezone.override("Asia/Kolkata"):
        kolkata = issuer_summary(appeal_access(viewer=mo, pk=appeal.pk)).response_timeline
    with timezone.override("UTC"):
        london = issuer_summary(appeal_access(viewer=mo, pk=appeal.pk)).response_timeline
    assert kolkata == [(datetime.date(2026, 3, 1), 1), (datetime.date(2026, 3, 2), 2)]
    assert london == [(datetime.date(2026, 3, 1), 3)]
