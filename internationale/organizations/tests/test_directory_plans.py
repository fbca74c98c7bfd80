"""The directory's search lists the same organizations in the same order whichever way the
database reads them: sorting the matches of its index of words (rare words), or walking the
directory's order and testing each row (common words: on PostgreSQL when its statistics say
so, on SQLite when its index counts them). Checked against the words themselves, read here."""

import re

import pytest
from django.db import connection, transaction
from django.utils import timezone

from internationale.core import search
from internationale.core.search import words
from internationale.organizations import selectors
from internationale.organizations.models import (
    Organization,
    organization_filter_text,
    organization_search_text,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/organizations"
TRADES = ["Bakers", "Cooks", "Dockers", "Miners", "Nurses", "Teachers", "Weavers"]


def directory() -> None:
    """1,400 organizations: "union" in 1,100 names spread over the order, "metalworkers" at the
    beginning of 250 names that lie together, "aardvark" in three (one of them last), two
    countries, two kinds, one in twenty not verified."""
    now = timezone.now()
    orgs = []
    for n in range(1400):
        if n < 1100:
            name = f"{TRADES[n % len(TRADES)]} Union {n:04}"
        elif n < 1350:
            name = f"Metalworkers {n:04}"
        elif n < 1397:
            name = f"{TRADES[n % len(TRADES)]} Guild {n:04}"
        else:
            name = ["Aardvark Bakers", "Cooks of the Aardvark", "Zebra Aardvark"][n - 1397]
        country, kind = ("FR", "union") if n % 3 else ("BR", "party")
        org = Organization(
            name=name,
            slug=f"o-{n}",
            kind=kind,
            country=country,
            city="Lyon" if n % 4 == 0 else "Recife",
            verified_at=None if n % 20 == 7 else now,
        )
        org.search_text = organization_search_text(org)
        org.filter_text = organization_filter_text(country, kind, [], [])
        orgs.append(org)
    Organization.objects.bulk_create(orgs)
    if connection.vendor == "postgresql":
        # What autovacuum does after such a load: the statistics the plan is chosen from.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE organizations_organization")
    search.forget_statistics()


def expected(query: str, country: str = "", network: bool = False) -> list[str]:
    """The slugs a reader should find (the network sees unverified organizations too): every
    word of the query begins a word of the name or city, in the directory's order (the
    database's, by name then id)."""
    wanted = words(query)
    visible = Organization.objects.all()
    if not network:
        visible = visible.filter(verified_at__isnull=False)
    found = [
        org.pk
        for org in visible
        if all(
            any(have.startswith(word) for have in words(f"{org.name} {org.city}"))
            for word in wanted
        )
        and (not country or org.country == country)
    ]
    ordered = Organization.objects.filter(pk__in=found).order_by("name", "pk")
    return list(ordered.values_list("slug", flat=True))


def every_page(client, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    url: str | None = f"{API}?{query}&limit=100"
    while url:
        answer = client.get(url.removeprefix("http://testserver")).json()
        seen += [org["slug"] for org in answer["items"]]
        url = answer["next"]
    return seen


@pytest.mark.parametrize("plan", ["sorted", "walked"])
def test_common_and_rare_words_list_the_same_organizations_in_the_same_order_either_way(
    settings, client, client_for, mo, monkeypatch, plan
):
    settings.SITE_URL = "http://testserver"
    settings.INTERNATIONALE_DIRECTORY_CACHE_SECONDS = 0  # each plan computes its own answers
    walking = plan == "walked"
    # Sorted whatever the count or estimate, or walked for any word the statistics know.
    monkeypatch.setattr(selectors, "SORTED_AT_MOST", 0 if walking else 10**9)
    monkeypatch.setattr(selectors, "SORTED_AT_MOST_POSTGRESQL", 0 if walking else 10**9)
    directory()
    api = client_for(mo)

    for query, country in [
        ("union", ""),
        ("metal", ""),
        ("aardvark", ""),
        ("union lyon", ""),
        ("union", "FR"),
    ]:
        params = f"q={query.replace(' ', '+')}" + (f"&country={country}" if country else "")
        want = expected(query, country, network=True)
        answer = api.get(f"{API}?{params}").json()
        counted = (min(len(want), 1000), len(want) > 1000)
        assert (answer["count"], answer["count_capped"]) == counted, query
        assert every_page(api, params) == want, query
        deep = api.get(f"{API}?{params}&offset=975&limit=25").json()["items"]
        assert [org["slug"] for org in deep] == want[975:1000], query

        public = expected(query, country)
        page = client.get(f"/organizations/?{params}&page=2").content.decode()
        assert all(f'href="/organizations/{slug}/"' in page for slug in public[25:50]), query
        assert all(f'href="/organizations/{slug}/"' not in page for slug in public[50:51]), query


def test_on_postgresql_a_common_word_walks_the_order_and_a_rare_one_sorts_its_matches(
    monkeypatch,
):
    """PostgreSQL's planner cannot estimate a word's beginning: the directory estimates it from
    the statistics of the stored vectors, walks the order for "union" (1,100 of 1,400, over the
    bound) with a test no index answers, and sorts the matches of "aardvark" and of "metal"
    (250, under it)."""
    if connection.vendor != "postgresql":
        pytest.skip("the plans of PostgreSQL")
    from django.contrib.auth.models import AnonymousUser

    monkeypatch.setattr(selectors, "SORTED_AT_MOST_POSTGRESQL", 500)
    directory()

    def sql(query: str) -> str:
        found = selectors.organization_found(
            viewer=AnonymousUser(), filters=selectors.DirectoryFilters(q=query)
        )
        return str(found.organizations.query)

    assert "IS TRUE" in sql("union")
    assert "'union' | 'union':*" in sql("union")  # the planner knows how many: it walks
    assert "IS TRUE" not in sql("aardvark")
    assert "IS TRUE" not in sql("metal")
    estimate = search.estimated_matches(
        "union", table="organizations_organization", column="search_text"
    )
    assert estimate is not None and 900 < estimate < 1300


def _plan(queryset) -> str:  # type: ignore[no-untyped-def]
    """PostgreSQL's plan for `queryset`, a table read whole forbidden: 1,400 rows are cheapest
    read whole, so this asks whether an index could serve, as on a larger table."""
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    "filters",
    [{"q": "aardvark"}, {"q": "aardvark", "country": "FR"}],
    ids=["rare word", "word and country"],
)
def test_on_postgresql_a_sorted_search_reads_its_matches_from_an_index_not_the_whole_table(
    monkeypatch, filters
):
    """A search that sorts its matches (one the statistics call rare) finds them in the GIN index
    of the words (organizations 0011), then reads only those rows: no scan of the table, nor a
    walk of the whole order. (Words that 17 % of these 1,400 names match, or filters a third
    match, are read through the index of `verified_at` here, which at this size costs less.)"""
    if connection.vendor != "postgresql":
        pytest.skip("the plans of PostgreSQL")
    from django.contrib.auth.models import AnonymousUser

    monkeypatch.setattr(selectors, "SORTED_AT_MOST_POSTGRESQL", 10**9)
    directory()
    found = selectors.organization_found(
        viewer=AnonymousUser(), filters=selectors.DirectoryFilters(**filters)
    )
    plan = _plan(found.organizations.prefetch_related(None))
    assert "Seq Scan on organizations_organization" not in plan, plan
    assert re.search(r"Bitmap Index Scan on organization_(search|filter)_vector", plan), plan


def test_on_postgresql_organizations_saved_in_bulk_are_in_the_index_of_words_at_once():
    """No list of new words waits beside the GIN indexes for every search to read whole until a
    VACUUM (organizations 0014): after 1,400 organizations saved at once, there is none to merge."""
    if connection.vendor != "postgresql":
        pytest.skip("the indexes of PostgreSQL")
    directory()
    with connection.cursor() as cursor:
        for index in ("organization_search_vector", "organization_filter_vector"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            assert cursor.fetchone()[0] == 0, index
