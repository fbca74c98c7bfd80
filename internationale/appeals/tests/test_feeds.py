"""The Atom feeds of public appeals, read as a feed reader reads them: through real requests, the
XML parsed and checked for what Atom requires. Sam (secretary of the Metalworkers of São Paulo)
sends public appeals to the Korean dockworkers; the readers are anonymous."""

import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses only the platform's own output

import pytest
from django.conf import settings
from django.test import Client
from django.utils.http import http_date

from internationale.appeals.models import Appeal
from internationale.organizations.models import OrganizationSector

from .factories import AppealFactory

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEEDS = ["/appeals/feed/", "/appeals/feed/country/BR/", "/appeals/feed/sector/C/"]


def atom(response) -> ET.Element:  # type: ignore[no-untyped-def]
    """The feed parsed, after checking what RFC 4287 requires of a feed and of each entry."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - the platform's own output
    assert feed.tag == f"{ATOM}feed"
    for element in ["id", "title", "updated"]:
        assert (feed.findtext(f"{ATOM}{element}") or "").strip(), element
    for entry in feed.iter(f"{ATOM}entry"):
        for element in ["id", "title", "updated"]:
            assert (entry.findtext(f"{ATOM}{element}") or "").strip(), element
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None
    return feed


def entries(feed: ET.Element) -> dict[str, ET.Element]:
    return {entry.findtext(f"{ATOM}title") or "": entry for entry in feed.iter(f"{ATOM}entry")}


@pytest.fixture
def public(owner_org, other_org, sam, send):
    """A public appeal in Portuguese from Brazil, by an organization in manufacturing (C)."""
    OrganizationSector.objects.create(organization=owner_org, code="C")
    return send(
        AppealFactory(organization=owner_org, visibility="public", title="Free the Anchieta five"),
        sam,
        add=[other_org.pk],
    )


def test_each_feed_has_its_own_absolute_id_and_links_to_itself(public):
    reader = Client()
    ids = []
    for url in FEEDS:
        feed = atom(reader.get(url))
        ids.append(feed.findtext(f"{ATOM}id"))
        assert feed.findtext(f"{ATOM}id") == settings.SITE_URL + url
        assert feed.find(f"{ATOM}link[@rel='self']").get("href") == settings.SITE_URL + url  # type: ignore[union-attr]
        entry = entries(feed)["Free the Anchieta five"]
        assert entry.findtext(f"{ATOM}id") == f"{settings.SITE_URL}/appeals/{public.pk}/"
    assert len(set(ids)) == 3
    # The list page each feed stands for: filtered like the feed.
    links = [
        atom(reader.get(url)).find(f"{ATOM}link[@rel='alternate']").get("href")  # type: ignore[union-attr]
        for url in FEEDS
    ]
    assert links == [
        f"{settings.SITE_URL}/appeals/",
        f"{settings.SITE_URL}/appeals/?country=BR",
        f"{settings.SITE_URL}/appeals/?sector=C",
    ]


def test_ids_and_links_come_from_the_site_url_whatever_host_the_request_names(public, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://solidarity.example.org"
    for url in FEEDS:
        response = Client().get(url, HTTP_HOST="attacker.example")
        feed = atom(response)
        assert b"attacker.example" not in response.content
        assert feed.findtext(f"{ATOM}id") == f"https://solidarity.example.org{url}"
        entry = entries(feed)["Free the Anchieta five"]
        assert entry.findtext(f"{ATOM}id") == f"https://solidarity.example.org/appeals/{public.pk}/"
        assert entry.find(f"{ATOM}link").get("href") == entry.findtext(f"{ATOM}id")  # type: ignore[union-attr]


def test_entries_say_the_language_each_appeal_is_written_in(
    public, owner_org, other_org, sam, send
):
    send(
        AppealFactory(
            organization=owner_org, visibility="public", title="부당해고 철회", language="ko"
        ),
        sam,
        add=[other_org.pk],
    )
    feed = atom(Client().get("/appeals/feed/"))
    assert feed.get(XML_LANG) == "en"  # the feed's own words: its title, categories
    by_title = entries(feed)
    assert by_title["Free the Anchieta five"].get(XML_LANG) == "pt-BR"
    assert by_title["부당해고 철회"].get(XML_LANG) == "ko"


def test_a_reader_asking_again_with_the_validators_gets_not_modified_until_an_appeal_changes(
    public, django_assert_max_num_queries
):
    reader = Client()
    first = reader.get("/appeals/feed/country/BR/")
    atom(first)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert last_modified == http_date(public.updated_at.timestamp())

    with django_assert_max_num_queries(1):  # the validators, not the feed
        again = reader.get("/appeals/feed/country/BR/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    since = reader.get("/appeals/feed/country/BR/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert since.status_code == 304 and since.content == b""
    earlier = http_date(public.updated_at.timestamp() - 3600)
    assert (
        reader.get("/appeals/feed/country/BR/", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    )
    # Each feed has its own validators.
    assert reader.get("/appeals/feed/", HTTP_IF_NONE_MATCH=etag).status_code == 200

    public.title = "Free the Anchieta six"
    public.save()
    changed = reader.get("/appeals/feed/country/BR/", HTTP_IF_NONE_MATCH=etag)
    assert "Free the Anchieta six" in entries(atom(changed))
    assert changed["ETag"] != etag


def test_an_appeal_leaving_the_feed_changes_its_validators(public, owner_org, other_org, sam, send):
    newer = send(
        AppealFactory(organization=owner_org, visibility="public", title="Newer"),
        sam,
        add=[other_org.pk],
    )
    reader = Client()
    etag = reader.get("/appeals/feed/")["ETag"]
    # No longer public, its change time untouched: the feed is no longer the same.
    Appeal.objects.filter(pk=newer.pk).update(visibility="network")
    changed = reader.get("/appeals/feed/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert "Newer" not in entries(atom(changed))


def test_an_empty_feed_is_valid_and_answers_not_modified_too(db):
    reader = Client()
    first = reader.get("/appeals/feed/country/KR/")
    assert entries(atom(first)) == {}
    again = reader.get("/appeals/feed/country/KR/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_country_and_sector_codes_in_feed_addresses_are_read_in_either_case(public):
    reader = Client()
    for lower, upper in [
        ("/appeals/feed/country/br/", "/appeals/feed/country/BR/"),
        ("/appeals/feed/sector/c/", "/appeals/feed/sector/C/"),
    ]:
        feed = atom(reader.get(lower))
        assert "Free the Anchieta five" in entries(feed)
        assert feed.findtext(f"{ATOM}id") == settings.SITE_URL + upper
    for unknown in [
        "/appeals/feed/country/zz/",
        "/appeals/feed/country/BRA/",
        "/appeals/feed/sector/Z/",
        "/appeals/feed/sector/1/",
    ]:
        assert reader.get(unknown).status_code == 404, unknown


def _alternates(page: str) -> list[str]:
    head = page.split("</head>")[0]
    return re.findall(
        r'<link rel="alternate" type="application/atom\+xml"[^>]* href="([^"]+)"', head
    )


def test_a_filtered_list_of_appeals_offers_the_feed_of_the_same_appeals(public):
    reader = Client()
    assert _alternates(reader.get("/appeals/").content.decode()) == ["/appeals/feed/"]
    assert _alternates(reader.get("/appeals/?country=BR&status=open").content.decode()) == [
        "/appeals/feed/country/BR/"
    ]
    by_sector = reader.get("/appeals/?sector=C").content.decode()
    assert _alternates(by_sector) == ["/appeals/feed/sector/C/"]
    assert "Free the Anchieta five" in by_sector
    assert "Free the Anchieta five" not in reader.get("/appeals/?sector=H").content.decode()
    both = reader.get("/appeals/?country=BR&sector=C").content.decode()
    assert _alternates(both) == ["/appeals/feed/country/BR/", "/appeals/feed/sector/C/"]
