"""The page of an adopted public statement, and its printable layout, are kept for signed-out
readers, who all see the same: every new signature, declined signature and language version shows
at once (a machine's made in the background too), each reader's language is its own page, nothing
personal is kept, and signed-in readers never get it.

The Metalworkers of São Paulo (Sam speaks for them) adopted a public statement with the Korean
Dockworkers (Kim speaks for them); the Dutch Port Union (Dirk speaks for it) signs it afterwards.
These tests commit (transaction=True): inside a transaction nothing is kept."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internationale.core import versions
from internationale.core.models import SharedVersion, Visibility
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory
from internationale.statements import public_page
from internationale.statements.models import Signature, Statement
from internationale.translation.content import source_hash
from internationale.translation.models import LanguageVersion

from .publication_world import adopted

pytestmark = pytest.mark.django_db(transaction=True)

FRENCH = "Pour le droit de grève"


@pytest.fixture(autouse=True)
def _forget_kept_pages():
    """Pages kept by an earlier test are not this one's (its database may reuse their ids)."""
    public_page.pages.clear()


@pytest.fixture
def statement(sam, owner_org, other_org):
    return adopted(sam, owner_org, other_org)


@pytest.fixture
def ports(db):
    return OrganizationFactory(name="Dutch Port Union", slug="ports-nl", country="NL")


@pytest.fixture
def dirk(ports):
    return MembershipFactory(
        organization=ports, role=Membership.Role.SECRETARY, user__email="dirk@ports.example"
    ).user


def _read(client, path, **headers):  # type: ignore[no-untyped-def]
    response = client.get(path, **headers)
    assert response.status_code == 200, path
    return response.content.decode()


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _page(statement, query=""):  # type: ignore[no-untyped-def]
    return f"/statements/{statement.pk}/{query}"


def _print(statement, query=""):  # type: ignore[no-untyped-def]
    return f"/statements/{statement.pk}/print/{query}"


def _translate(client, statement, language="fr", title=FRENCH):  # type: ignore[no-untyped-def]
    text = "Premier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième paragraphe."
    response = client.post(
        f"/statements/{statement.pk}/translations/new/",
        {"language": language, "title": title, "text": text},
    )
    assert response.status_code == 302


@pytest.mark.parametrize("path", [_page, _print])
def test_the_second_signed_out_read_is_one_query_and_shows_the_same(
    statement, path, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as first_read:
        first = _read(Client(), path(statement))
    assert "For the right to strike" in first
    assert "Korean Dockworkers" in first
    assert len(first_read) > 1
    with django_assert_max_num_queries(1):  # the statement's version, nothing else
        second = _read(Client(), path(statement))
    assert _main(second) == _main(first)


def test_a_new_signature_shows_at_once(statement, dirk, client_for):
    assert "Dutch Port Union" not in _read(Client(), _page(statement))
    assert "Dutch Port Union" not in _read(Client(), _print(statement))
    signed = client_for(dirk).post(
        f"/statements/{statement.pk}/signatures/add/", {"organization": "ports-nl"}
    )
    assert signed.status_code == 302
    assert "Dutch Port Union" in _read(Client(), _page(statement))
    assert "Dutch Port Union" in _read(Client(), _print(statement))


def test_a_declined_signature_goes_at_once(statement, dirk, sam, client_for):
    client_for(dirk).post(
        f"/statements/{statement.pk}/signatures/add/", {"organization": "ports-nl"}
    )
    assert "Dutch Port Union" in _read(Client(), _page(statement))
    assert "Dutch Port Union" in _read(Client(), _print(statement))
    signature = Signature.objects.get(organization__slug="ports-nl")
    declined = client_for(sam).post(
        f"/statements/{statement.pk}/signatures/{signature.pk}/decline/",
        {"reason": "Not a union."},
    )
    assert declined.status_code == 302
    assert "Dutch Port Union" not in _read(Client(), _page(statement))
    assert "Dutch Port Union" not in _read(Client(), _print(statement))


def test_a_language_version_shows_at_once_whichever_way_it_is_asked_for(statement, sam, client_for):
    # Asked for before it exists: the page kept for `?lang=fr` shows the original.
    assert FRENCH not in _read(Client(), _page(statement, "?lang=fr"))
    assert FRENCH not in _read(Client(), _page(statement))
    _translate(client_for(sam), statement)
    assert FRENCH in _read(Client(), _page(statement, "?lang=fr"))
    assert FRENCH in _read(Client(), _page(statement, "?lang=FR"))
    assert FRENCH in _read(Client(), _print(statement, "?lang=fr"))
    # Listed among the language versions on the page in the original too.
    assert 'hreflang="fr"' in _read(Client(), _page(statement))
    changed = client_for(sam).post(
        f"/statements/{statement.pk}/translations/fr/edit/",
        {
            "title": "Pour le droit de grève, partout",
            "text": "Un.\n\nDeux.\n\nTrois.",
        },
    )
    assert changed.status_code == 302
    assert "Pour le droit de grève, partout" in _read(Client(), _page(statement, "?lang=fr"))
    removed = client_for(sam).post(f"/statements/{statement.pk}/translations/fr/remove/")
    assert removed.status_code == 302
    assert "droit de grève" not in _read(Client(), _page(statement, "?lang=fr"))
    assert 'hreflang="fr"' not in _read(Client(), _page(statement))


def test_a_version_made_in_the_background_shows_at_once_in_its_readers_language(statement, sam):
    """The machine's version is written by a worker (another process), through the model: the
    kept pages follow it, each reader's language its own page; the reviewer is never kept."""
    english = _main(_read(Client(), _page(statement)))
    assert FRENCH not in _main(_read(Client(), _page(statement), HTTP_ACCEPT_LANGUAGE="fr"))
    version = LanguageVersion.objects.create(
        content_type=ContentType.objects.get_for_model(Statement),
        object_id=statement.pk,
        language="fr",
        texts={
            "title": FRENCH,
            "paragraph.1": "Un.",
            "paragraph.2": "Deux.",
            "paragraph.3": "Trois.",
        },
        status="machine",
        source_hash=source_hash(statement.translatable_texts()),
        backend="argos",
    )
    french = _main(_read(Client(), _page(statement), HTTP_ACCEPT_LANGUAGE="fr"))
    assert FRENCH in french and 'href="?original=1"' in french
    assert FRENCH in _read(Client(), _print(statement), HTTP_ACCEPT_LANGUAGE="fr")
    assert FRENCH not in _main(
        _read(Client(), _page(statement, "?original=1"), HTTP_ACCEPT_LANGUAGE="fr")
    )
    # The English reader's page is its own, and reads the original as before.
    assert _main(_read(Client(), _page(statement))).count(FRENCH) == english.count(FRENCH)
    sam.name = "Sam Oliveira"
    sam.save(update_fields=["name"])
    version.status, version.translated_by = "reviewed", sam
    version.texts = {**version.texts, "paragraph.1": "Premier."}
    version.save()
    french = _main(_read(Client(), _page(statement), HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Premier." in french and "Sam Oliveira" not in french


def test_each_language_version_asked_for_is_its_own_page(statement, sam, client_for):
    _translate(client_for(sam), statement)
    original = _main(_read(Client(), _page(statement)))
    french = _main(_read(Client(), _page(statement, "?lang=fr")))
    unknown = _main(_read(Client(), _page(statement, "?lang=not%20a%20tag")))
    assert FRENCH in french
    assert FRENCH not in original
    assert unknown == original


def test_signed_in_readers_never_get_the_kept_page(statement, sam, kim, client_for):
    _read(Client(), _page(statement))
    initiator = _read(client_for(sam), _page(statement))
    assert "Add a version in another language" in initiator
    assert 'id="drafting-heading"' in initiator
    participant = _read(client_for(kim), _page(statement))
    assert 'id="positions-heading"' in participant
    assert 'id="drafting-heading"' in participant
    for anonymous in (_read(Client(), _page(statement)), _read(Client(), _page(statement))):
        assert "Add a version in another language" not in anonymous
        assert 'id="drafting-heading"' not in anonymous
        assert 'id="positions-heading"' not in anonymous
        assert "Sign in" in anonymous
        assert "Sign out" not in anonymous


def test_nothing_personal_is_kept(statement, sam, kim, dirk, client_for):
    client_for(dirk).post(
        f"/statements/{statement.pk}/signatures/add/", {"organization": "ports-nl"}
    )
    _translate(client_for(sam), statement)
    # Signed-in readers first, then signed-out ones, on every page kept.
    for reader in (client_for(sam), client_for(kim), Client()):
        for path in (_page(statement), _page(statement, "?lang=fr"), _print(statement)):
            _read(reader, path)
    kept = [str(page.content) for _, page in public_page.pages.cache.entries.values()]
    assert len(kept) == 3
    for content in kept:
        assert "csrfmiddlewaretoken" not in content
        for person in (sam, kim, dirk):
            assert person.email not in content
            assert person.name not in content
        assert "Sign out" not in content
        assert "Dutch Port Union" in content


def test_each_signed_out_reader_gets_a_csrf_token_of_its_own(statement):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    _read(first, _page(statement))
    page = _read(second, _page(statement))
    assert "csrfmiddlewaretoken" not in _main(page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    answer = second.post(
        reverse("set_language"),
        {"language": "fr", "next": "/", "csrfmiddlewaretoken": token.group(1)},
    )
    assert answer.status_code == 302


def test_times_show_in_each_reader_s_time_zone(statement):
    tokyo, lima = Client(), Client()
    tokyo.cookies["tz"] = "Asia/Tokyo"
    lima.cookies["tz"] = "America/Lima"
    in_tokyo = _main(_read(tokyo, _page(statement)))
    in_lima = _main(_read(lima, _page(statement)))
    assert in_tokyo != in_lima  # the date of adoption


def test_a_statement_no_longer_public_is_no_longer_served(statement):
    _read(Client(), _page(statement))
    _read(Client(), _print(statement))
    statement.visibility = Visibility.NETWORK
    statement.save(update_fields=["visibility"])
    assert Client().get(_page(statement)).status_code == 404
    assert Client().get(_print(statement)).status_code == 404


def test_a_write_in_another_process_shows_here_within_a_second(statement, monkeypatch):
    """Another process's write reaches this one through the version row alone, within a second."""
    now = [1000.0]
    monkeypatch.setattr(versions, "clock", lambda: now[0])
    _read(Client(), _page(statement))
    row = SharedVersion.objects.get(key=f"statement:{statement.pk}")
    Statement.objects.filter(pk=statement.pk).update(title="For the right to organize")
    assert "For the right to strike" in _read(Client(), _page(statement))  # kept: no write seen
    SharedVersion.objects.filter(pk=row.pk).update(value=row.value + 1)
    # This process trusts the version it read for a second (INTERNATIONALE_PUBLIC_PAGE_VERSION_MS).
    now[0] += 0.5
    assert "For the right to strike" in _read(Client(), _page(statement))
    now[0] += 0.6
    assert "For the right to organize" in _read(Client(), _page(statement))


def test_nothing_is_kept_when_caching_is_off(statement, settings):
    settings.INTERNATIONALE_STATEMENT_CACHE_SECONDS = 0
    _read(Client(), _page(statement))
    _read(Client(), _print(statement))
    assert not public_page.pages.cache.entries
