"""The page of a public appeal is kept for signed-out readers, who all see the same: every change to
what it shows shows at once, nothing personal is kept, and signed-in readers never get it.

These tests commit (transaction=True): inside a transaction nothing is kept."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from internationale.aid.services import contribution_confirm, contribution_declare
from internationale.appeals import public_page
from internationale.appeals.services import (
    appeal_post_update,
    appeal_resolve,
    pledge_create,
)
from internationale.core import versions
from internationale.core.models import SharedVersion

from .factories import AppealFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def public(owner_org, sam, other_org, send):
    """A public appeal by the Metalworkers, sent to the Korean dockworkers."""
    draft = AppealFactory(
        organization=owner_org,
        created_by=sam,
        visibility="public",
        title="Lockout at the Anchieta plant",
        asks_material_aid=True,
    )
    return send(draft, sam, add=[other_org.pk])


def _read(client, appeal):  # type: ignore[no-untyped-def]
    response = client.get(reverse("appeal_detail", args=[appeal.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_signed_out_readers_get_the_kept_page_in_one_query(public, django_assert_max_num_queries):
    assert "Lockout at the Anchieta plant" in _read(Client(), public)
    with django_assert_max_num_queries(1):  # the appeal's version, nothing else
        assert "Lockout at the Anchieta plant" in _read(Client(), public)


def test_within_a_second_the_kept_page_reads_nothing(
    public, monkeypatch, django_assert_num_queries
):
    """Each process trusts the version it read for a second (PUBLIC_PAGE_VERSION_MS): a page read
    many times a second reads its version once a second."""
    now = [1000.0]
    monkeypatch.setattr(versions, "clock", lambda: now[0])
    _read(Client(), public)
    now[0] += 0.9
    with django_assert_num_queries(0):
        assert "Lockout at the Anchieta plant" in _read(Client(), public)
    now[0] += 0.2
    with django_assert_num_queries(1):  # the version, read again
        assert "Lockout at the Anchieta plant" in _read(Client(), public)


def test_an_update_shows_at_once_to_signed_out_readers(public, sam):
    _read(Client(), public)
    appeal_post_update(actor=sam, appeal=public, text="The workers occupy the gate.")
    assert "The workers occupy the gate." in _read(Client(), public)


def test_a_public_pledge_shows_at_once_and_a_confidential_one_never(
    public, sam, kim, other_org, client_for
):
    _read(Client(), public)
    pledge_create(
        actor=kim,
        appeal=public,
        organization=other_org,
        forms=["sympathy"],
        description="Letters from every branch of our union.",
        public=True,
    )
    assert "Letters from every branch of our union." in _read(Client(), public)
    pledge_create(
        actor=kim,
        appeal=public,
        organization=other_org,
        forms=["material_aid"],
        description="A transfer from our strike fund.",
        amount=Decimal("750"),
        currency="EUR",
    )
    # The issuer reads the confidential pledge first: it never reaches the kept page.
    assert "A transfer from our strike fund." in _read(client_for(sam), public)
    page = _read(Client(), public)
    assert "A transfer from our strike fund." not in page
    assert "750" not in page


def test_the_outcome_shows_at_once_to_signed_out_readers(public, sam):
    _read(Client(), public)
    appeal_resolve(actor=sam, appeal=public, outcome="won", report="All 1,200 are back at work.")
    page = _read(Client(), public)
    assert "All 1,200 are back at work." in page
    assert "Outcome: Won" in page


def test_aid_confirmed_shows_at_once_to_signed_out_readers(public, sam, kim, other_org):
    pledge = pledge_create(
        actor=kim,
        appeal=public,
        organization=other_org,
        forms=["material_aid"],
        description="A transfer from our strike fund.",
        amount=Decimal("500"),
        currency="EUR",
        public=True,
    )
    contribution = contribution_declare(
        actor=kim, pledge=pledge, amount=Decimal("200"), currency="EUR"
    )
    assert "200.00" not in _main(_read(Client(), public))
    contribution_confirm(actor=sam, contribution=contribution)
    assert "200.00" in _main(_read(Client(), public))


def test_an_appeal_no_longer_public_is_no_longer_served(public, sam):
    _read(Client(), public)
    public.visibility = "network"
    public.save()
    assert Client().get(reverse("appeal_detail", args=[public.pk])).status_code == 404


def test_a_write_in_another_process_shows_here_within_a_second(public, monkeypatch):
    """Another process's write reaches this one through the version row alone: what this process
    kept is read again within a second of the row's change, and not before it changes."""
    now = [1000.0]
    monkeypatch.setattr(versions, "clock", lambda: now[0])
    _read(Client(), public)
    row = SharedVersion.objects.get(key=f"appeal:{public.pk}")
    # Another process changes the title with its own writes: here, the row and the data alone.
    type(public).objects.filter(pk=public.pk).update(title="Lockout ended at Anchieta")
    assert "Lockout at the Anchieta plant" in _read(Client(), public)  # kept: no write seen
    SharedVersion.objects.filter(pk=row.pk).update(value=row.value + 1)
    # This process trusts the version it read for a second (INTERNATIONALE_PUBLIC_PAGE_VERSION_MS).
    now[0] += 0.5
    assert "Lockout at the Anchieta plant" in _read(Client(), public)
    now[0] += 0.6
    assert "Lockout ended at Anchieta" in _read(Client(), public)


def test_signed_in_readers_never_get_the_kept_page(public, sam, kim, client_for):
    _read(Client(), public)
    issuer = _read(client_for(sam), public)
    assert "Post an update" in issuer
    assert "sam@metal.example" not in _read(Client(), public)
    addressee = _read(client_for(kim), public)
    assert "Answer this appeal" in addressee
    for anonymous in (_read(Client(), public), _read(Client(), public)):
        assert "Post an update" not in anonymous
        assert "Answer this appeal" not in anonymous
        assert "Sign in" in anonymous


def test_each_signed_out_reader_gets_a_csrf_token_of_its_own(public):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    _read(first, public)
    page = _read(second, public)
    assert "csrfmiddlewaretoken" not in _main(page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    # The kept page's reader changes the language with the token of its own page.
    answer = second.post(
        reverse("set_language"),
        {"language": "fr", "next": "/", "csrfmiddlewaretoken": token.group(1)},
    )
    assert answer.status_code == 302


def test_times_show_in_each_reader_s_time_zone(public):
    public.refresh_from_db()
    tokyo, lima = Client(), Client()
    tokyo.cookies["tz"] = "Asia/Tokyo"
    lima.cookies["tz"] = "America/Lima"
    in_tokyo, in_lima = _main(_read(tokyo, public)), _main(_read(lima, public))
    assert in_tokyo != in_lima  # the deadline and the times of the timeline


def test_the_page_kept_is_dropped_when_caching_is_off(public, settings):
    settings.INTERNATIONALE_APPEAL_CACHE_SECONDS = 0
    _read(Client(), public)
    assert not public_page.pages.cache.entries
