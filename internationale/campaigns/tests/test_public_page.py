"""The page of a launched campaign is kept for signed-out readers, who all see the same: the count
changes it when the counting task adds a batch, nothing personal is kept (signers by first name
and country alone, no CSRF token), and the text is read in the reader's language, the original
marked. These tests commit (transaction=True): inside a transaction nothing is kept."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internationale.campaigns import public_page
from internationale.campaigns.counting import count_all
from internationale.campaigns.models import Signature
from internationale.campaigns.signing import confirmation_token, signature_confirm
from internationale.campaigns.tests.signers import campaign_sign
from internationale.translation.content import source_hash
from internationale.translation.models import LanguageVersion

from .helpers import launched

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _forget_kept_pages():
    public_page.pages.clear()


@pytest.fixture
def campaign(sam, owner_org):
    return launched(sam, owner_org)


def _read(client, path, **headers):  # type: ignore[no-untyped-def]
    response = client.get(path, **headers)
    assert response.status_code == 200, path
    return response.content.decode()


def _sign(campaign, name, email, country, shown=True):  # type: ignore[no-untyped-def]
    signed = campaign_sign(
        campaign=campaign,
        first_name=name,
        last_name="Secretlastname",
        email=email,
        country=country,
        city="Secretcity",
        show_publicly=shown,
    )
    signature_confirm(token=confirmation_token(signed.signature))


def test_the_second_signed_out_read_is_one_query_at_most_and_the_count_shows_at_once(campaign):
    path = f"/campaigns/{campaign.pk}/"
    reader = Client()
    first = _read(reader, path)
    assert "0 signatures" in first
    # At most the version's query: none while the process trusts the version it read
    # (PUBLIC_PAGE_VERSION_MS), one once it reads it again.
    with CaptureQueriesContext(connection) as queries:
        _read(reader, path)
    assert len(queries) <= 1
    _sign(campaign, "Lucía", "lucia@correo.example", "ES")
    _sign(campaign, "Min-jun", "minjun@mail.example", "KR", shown=False)
    # Confirmed, not yet counted: the kept page is unchanged until the counting task's batch.
    assert "0 signatures" in _read(reader, path)
    count_all()
    page = _read(Client(), path)
    assert "2 signatures" in page
    assert "Lucía" in page and "Spain" in page
    assert "Min-jun" not in page


def test_nothing_personal_is_kept(campaign):
    _sign(campaign, "Lucía", "lucia@correo.example", "ES")
    count_all()
    page = _read(Client(), f"/campaigns/{campaign.pk}/")
    # The kept content: the page's own (the site's header around it, with its token, is not).
    kept = page[page.index('<article class="campaign">') :]
    assert "Lucía" in kept
    for personal in ("Secretlastname", "Secretcity", "lucia@correo.example", "csrfmiddlewaretoken"):
        assert personal not in kept
    assert Signature.objects.get().client_hash == ""  # no address given: none kept


def test_the_text_is_read_in_the_readers_language_with_the_original_marked(campaign):
    LanguageVersion.objects.create(
        content_type=ContentType.objects.get_for_model(campaign),
        object_id=campaign.pk,
        language="es",
        texts={"title": "Libertad para Ana Souza", "text": "Exigimos la libertad de Ana."},
        status="machine",
        source_hash=source_hash({"title": campaign.title, "text": campaign.text}),
    )
    spanish = _read(Client(), f"/campaigns/{campaign.pk}/", HTTP_ACCEPT_LANGUAGE="es")
    assert "Libertad para Ana Souza" in spanish
    assert "?original=1" in spanish
    original = _read(Client(), f"/campaigns/{campaign.pk}/?original=1", HTTP_ACCEPT_LANGUAGE="es")
    assert "Free Ana Souza" in original
    english = _read(Client(), f"/campaigns/{campaign.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Free Ana Souza" in english


def test_signed_in_readers_never_get_the_kept_page(campaign, sam, client_for):
    _read(Client(), f"/campaigns/{campaign.pk}/")
    page = _read(client_for(sam), f"/campaigns/{campaign.pk}/")
    assert "Invite co-sponsors" in page


def test_the_public_api_read_is_kept_and_shows_the_count_and_a_change(campaign, sam):
    path = f"/api/v1/campaigns/{campaign.pk}/public"
    reader = Client()
    first = reader.get(path)
    assert first.status_code == 200
    assert first.json()["signatures"] == 0
    # Kept: at most the version's query.
    with CaptureQueriesContext(connection) as queries:
        assert reader.get(path).json() == first.json()
    assert len(queries) <= 1
    _sign(campaign, "Lucía", "lucia@correo.example", "ES")
    count_all()
    after = Client().get(path).json()
    assert after["signatures"] == 1
    assert after["signers"] == [{"first_name": "Lucía", "country": "ES"}]
    campaign.title = "Free Ana Souza now"
    campaign.save()
    assert Client().get(path).json()["title"] == "Free Ana Souza now"


def test_the_public_api_read_of_a_bad_language_or_a_missing_campaign_is_refused(campaign):
    assert Client().get(f"/api/v1/campaigns/{campaign.pk}/public?lang=%%%").status_code == 400
    assert Client().get(f"/api/v1/campaigns/{campaign.pk + 99}/public").status_code == 404


def _token_of(page):  # type: ignore[no-untyped-def]
    import re

    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    tokens |= set(re.findall(r'"X-CSRFToken": "([^"]+)"', page))
    assert len(tokens) == 1, tokens
    return tokens.pop()


def test_signed_out_readers_get_the_whole_page_kept_each_with_its_own_csrf_token(campaign):
    from internationale.core.cache import CSRF_PLACEHOLDER

    path = f"/campaigns/{campaign.pk}/"
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    one = first.get(path)
    with CaptureQueriesContext(connection) as queries:
        two = second.get(path)
    assert len(queries) <= 1  # the version's, at most: the frame is kept too
    token_one, token_two = _token_of(one.content.decode()), _token_of(two.content.decode())
    assert CSRF_PLACEHOLDER not in one.content.decode() + two.content.decode()
    # Each reader's token is theirs (its cookie's secret): the language switcher works for both.
    assert token_one != token_two
    for reader, token in ((first, token_one), (second, token_two)):
        answer = reader.post(
            reverse("set_language"), {"language": "es", "csrfmiddlewaretoken": token}
        )
        assert answer.status_code == 302
    assert one.content.decode().replace(token_one, "") == two.content.decode().replace(
        token_two, ""
    )
    # No nonce in the policy: the same header for both.
    assert one["Content-Security-Policy"] == two["Content-Security-Policy"]
    assert "nonce" not in one["Content-Security-Policy"]


def test_the_whole_kept_page_shows_a_change_and_a_message_is_never_kept(campaign, sam, client_for):
    path = f"/campaigns/{campaign.pk}/"
    assert "0 signatures" in _read(Client(), path)
    _sign(campaign, "Lucía", "lucia@correo.example", "ES")
    count_all()
    assert "1 signature" in _read(Client(), path)
    # A query the page does not know: rendered for the reader, its own address in the switcher.
    tagged = _read(Client(), path + "?utm_source=mail")
    assert f'value="/campaigns/{campaign.pk}/?utm_source=mail"' in tagged
    # Signed in: the page is theirs, their name's menu and actions.
    mine = _read(client_for(sam), path)
    assert "Sign out" in mine and "Invite co-sponsors" in mine
    assert "Sign out" not in _read(Client(), path)
