"""The directory pages on without counting everything: the API by cursor (its `next` link), the
page by numbered pages over the first 1,000 found, and both say "more than 1,000" beyond."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from internationale.organizations import selectors
from internationale.organizations.models import (
    Organization,
    organization_filter_text,
    organization_search_text,
)
from internationale.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/organizations"


def walk(client, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Every slug the API lists, following `next` from the first page."""
    seen: list[str] = []
    url: str | None = f"{API}?{query}"
    while url:
        answer = client.get(url.removeprefix("http://testserver")).json()
        seen += [org["slug"] for org in answer["items"]]
        url = answer["next"]
    return seen


def many(count: int) -> None:
    now = timezone.now()
    orgs = [
        Organization(
            name=f"Union {n:04}", slug=f"u-{n}", kind="union", country="BR", verified_at=now
        )
        for n in range(count)
    ]
    for org in orgs:  # bulk_create does not call save(), which writes them
        org.search_text = organization_search_text(org)
        org.filter_text = organization_filter_text("BR", "union", [], [])
    Organization.objects.bulk_create(orgs)


@pytest.fixture
def same_names():  # type: ignore[no-untyped-def]
    """Seven organizations, three of them of one name: the order is by name, then by id."""
    for n, name in enumerate(["Bakers", "Dockers", "Dockers", "Dockers", "Cooks", "Aces", "Eel"]):
        OrganizationFactory(name=name, slug=f"org-{n}")


def test_the_next_links_walk_the_whole_directory_once_in_order(
    settings, client_for, mo, same_names
):
    settings.SITE_URL = "http://testserver"
    client = client_for(mo)
    everything = [o["slug"] for o in client.get(API, {"limit": 100}).json()["items"]]

    walked = walk(client, "limit=2")

    assert walked == everything  # no gap, no repeat, the same order
    assert walked[:6] == ["org-5", "org-0", "org-4", "org-1", "org-2", "org-3"]


def test_a_next_link_keeps_the_filters(settings, client_for, mo, same_names):
    settings.SITE_URL = "http://testserver"
    answer = client_for(mo).get(API, {"q": "dockers", "limit": 2}).json()
    assert "q=dockers" in answer["next"] and "cursor=" in answer["next"]
    assert answer["count"] == 3 and answer["count_capped"] is False
    assert walk(client_for(mo), "q=dockers&limit=2") == ["org-1", "org-2", "org-3"]


def test_organizations_added_while_paging_neither_repeat_nor_hide_others(
    settings, client_for, mo, same_names
):
    settings.SITE_URL = "http://testserver"
    client = client_for(mo)
    first = client.get(API, {"limit": 3}).json()
    OrganizationFactory(name="Abalone", slug="before")  # sorts before the page read
    OrganizationFactory(name="Zebra", slug="after")
    rest = walk(client, first["next"].split("?", 1)[1])

    shown = [o["slug"] for o in first["items"]] + rest
    assert len(shown) == len(set(shown))
    assert "before" not in shown and "after" in shown
    assert set(shown) >= {f"org-{n}" for n in range(7)}


@pytest.mark.parametrize(
    "cursor", ["nonsense", "", "WyJhIl0", "eyJhIjogMX0", "WyJhIiwgIjEiXQ", "%%%", "W251bGwsIDFd"]
)
def test_a_cursor_not_given_by_the_api_is_refused_clearly(client_for, mo, same_names, cursor):
    client = client_for(mo)
    before = client.get(API, {"limit": 100}).json()

    response = client.get(API, {"cursor": cursor or "=="})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "cursor": ["This cursor is not valid: use the next link of an earlier answer as it is."]
    }
    assert response.json()["detail"]
    assert client.get(API, {"limit": 100}).json() == before


def test_an_offset_goes_as_far_as_ten_thousand_and_no_further(client_for, mo, same_names):
    client = client_for(mo)
    assert client.get(API, {"offset": 10_000}).json()["items"] == []

    response = client.get(API, {"offset": 10_001})

    assert response.status_code == 400
    assert "next link" in response.json()["errors"]["offset"][0]
    assert client.get(API, {"offset": 1_000_000_000}).status_code == 400
    assert client.get(API, {"offset": 2, "cursor": "WyJhIiwgMV0"}).status_code == 400


def test_counts_stop_at_a_thousand_and_say_so(client_for, mo):
    many(1005)
    client = client_for(mo)

    answer = client.get(API).json()
    assert (answer["count"], answer["count_capped"]) == (1000, True)
    page = client.get("/organizations/").content.decode()
    assert "More than 1,000 organizations" in page
    assert "Page 1 of 40" in page

    narrow = client.get(API, {"q": "union 000"}).json()  # "0000" to "0009"
    assert (narrow["count"], narrow["count_capped"]) == (10, False)
    assert "10 organizations" in client.get("/organizations/?q=union+000").content.decode()


def test_the_last_numbered_page_says_how_to_find_the_others(client_for):
    many(1005)
    page = client_for().get("/organizations/?page=41").content.decode()  # past the last

    assert "Page 40 of 40" in page
    assert "Union 0999" in page and "Union 1000" not in page
    assert "Only the first 1,000 are listed" in page


def test_the_directory_costs_the_same_queries_at_any_depth(
    settings, client_for, mo, django_assert_max_num_queries
):
    settings.SITE_URL = "http://testserver"
    many(1005)
    client = client_for(mo)
    cursor = client.get(API, {"offset": 500}).json()["next"].split("?", 1)[1]
    # session, person, roles, count, page, languages, sectors
    with django_assert_max_num_queries(7):
        assert client.get(f"{API}?{cursor}").status_code == 200
    # session, person, roles, employers, count, page, languages and sectors
    with django_assert_max_num_queries(7):
        assert client.get("/organizations/?page=30&q=union").status_code == 200


@pytest.mark.parametrize("query", ["q=union", "country=BR&kind=union", "region=Americas"])
def test_a_word_or_filter_that_most_match_lists_them_in_order_all_the_way(
    settings, client_for, mo, query
):
    # Over 1,000 matches: the database walks the order and tests each row, instead of sorting
    # every match; the order and the pages are the same.
    settings.SITE_URL = "http://testserver"
    many(1005)
    client = client_for(mo)

    answer = client.get(f"{API}?{query}").json()
    assert (answer["count"], answer["count_capped"]) == (1000, True)
    # The unions, and with the filters, the Metalworkers of São Paulo, in Brazil too, before them.
    first = [] if query == "q=union" else ["metal-sp"]
    assert walk(client, f"{query}&limit=100") == first + [f"u-{n}" for n in range(1005)]

    page = client.get(f"/organizations/?{query}&page=2").content.decode()
    assert "More than 1,000 organizations" in page
    start = 25 - len(first)
    assert f"Union {start:04}" in page and f"Union {start + 24:04}" in page
    assert f"Union {start - 1:04}" not in page and f"Union {start + 25:04}" not in page


def test_a_search_is_counted_from_the_index_of_words_up_to_the_bound(client):
    """Over a thousand matches, the page says "more than 1,000"; an unverified one is not
    counted for a signed-out reader. On SQLite the count joins the index of words (it stops at
    the bound) instead of listing every match in an `IN` first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    many(1002)
    OrganizationFactory(name="Union of the unverified", slug="unverified", verified_at=None)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/organizations/", {"q": "union"}).content.decode()
    assert "More than 1,000 organizations" in page
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts
    if connection.vendor == "sqlite":
        assert all("IN (SELECT rowid" not in sql for sql in counts)
    found = selectors.organization_found(
        viewer=AnonymousUser(), filters=selectors.DirectoryFilters(q="union 0001")
    )
    assert (found.count, found.more) == (1, False)
    hidden = selectors.organization_found(
        viewer=AnonymousUser(), filters=selectors.DirectoryFilters(q="unverified")
    )
    assert (hidden.count, hidden.more) == (0, False)


@pytest.mark.parametrize("sorted_at_most", [10_000, 1_000])
def test_a_search_that_many_match_lists_the_same_pages_sorted_or_walked(
    settings, client_for, mo, monkeypatch, sorted_at_most
):
    """Over 1,000 matches, a search's matches are sorted when the index holds up to
    SORTED_AT_MOST of them (the words that begin names lie together in the order, where a walk
    would cross half of the directory), and the order is walked beyond: the pages are the same
    either way, and the count still stops at 1,000."""
    from django.db import connection

    settings.SITE_URL = "http://testserver"
    settings.INTERNATIONALE_DIRECTORY_CACHE_SECONDS = 0  # each way computes its own answers
    monkeypatch.setattr(selectors, "SORTED_AT_MOST", sorted_at_most)
    many(1005)
    OrganizationFactory(name="Aardvark Union", slug="aardvark")  # first, by a later word
    client = client_for(mo)

    answer = client.get(API, {"q": "union"}).json()
    assert (answer["count"], answer["count_capped"]) == (1000, True)
    assert [o["slug"] for o in answer["items"]] == ["aardvark"] + [f"u-{n}" for n in range(24)]
    assert walk(client, "q=union&limit=100") == ["aardvark"] + [f"u-{n}" for n in range(1005)]
    page = client.get("/organizations/?q=union&page=3").content.decode()
    assert "Union 0049" in page and "Union 0073" in page
    assert "Union 0048" not in page and "Union 0074" not in page
    # The same through the selectors themselves, whatever a process keeps between requests.
    found = selectors.organization_found(
        viewer=AnonymousUser(), filters=selectors.DirectoryFilters(q="union")
    )
    rows = selectors.directory_slice(found.organizations, 25, 50)
    assert [org.slug for org in rows] == [f"u-{n}" for n in range(24, 49)]
    if connection.vendor == "sqlite":
        # The walk's test, `+<id> IN (…)`, keeps SQLite from reading the rows by the matches.
        walked = re.search(r'\+\S*"id" IN', str(found.organizations.query)) is not None
        assert walked == (sorted_at_most < 1006)


def test_a_page_of_the_api_lists_each_organization_s_languages_and_sectors(client_for, mo):
    """The API reads a page's languages (in the order given) and sectors (by code) in one query,
    and answers them as the organization's own page does."""
    from internationale.organizations.models import OrganizationLanguage, OrganizationSector

    org = OrganizationFactory(
        name="Aardvark Dockers", slug="aardvark", languages=["pt-BR", "en", "fr"]
    )
    for code in ["H", "C"]:
        OrganizationSector.objects.create(organization=org, code=code)
    cooks = OrganizationFactory(name="Aardvark Cooks", slug="cooks")
    OrganizationLanguage.objects.filter(organization=cooks).delete()
    client = client_for(mo)

    items = client.get(API, {"q": "aardvark"}).json()["items"]
    assert [(o["slug"], o["languages"], o["sectors"]) for o in items] == [
        ("cooks", [], []),
        ("aardvark", ["pt-BR", "en", "fr"], ["C", "H"]),
    ]
    alone = client.get(f"{API}/aardvark").json()
    assert (alone["languages"], alone["sectors"]) == (["pt-BR", "en", "fr"], ["C", "H"])
