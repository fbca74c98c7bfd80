"""Starting a statement checks the drafting language given against the one detected in its text,
on the page and through the API: the author is told which it found and confirms, and nothing is
started until then."""

import pytest

from internationale.statements.models import Statement

from .test_drafting_api import body, send
from .test_drafting_views import form

pytestmark = pytest.mark.django_db

# The default drafting language of the forms is English; this text is Portuguese.
PORTUGUESE = [
    "O direito de greve é um direito fundamental de todos os trabalhadores.",
    "Condenamos as prisões de dirigentes sindicais no porto de Santos.",
]


def test_a_portuguese_draft_given_as_english_starts_only_once_confirmed(client_for, sam, other_org):
    data = form(text="\n\n".join(PORTUGUESE))
    refused = client_for(sam).post("/statements/new/", data)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "seems to be written in Portuguese, not in English" in page
    assert 'type="checkbox" name="language_confirmed"' in page
    assert "The language I gave is right" in page
    assert not Statement.objects.exists()

    confirmed = client_for(sam).post("/statements/new/", {**data, "language_confirmed": "on"})
    assert confirmed.status_code == 302
    assert Statement.objects.get().language == "en"


def test_the_api_asks_to_confirm_the_drafting_language_too(client_for, sam, other_org):
    client = client_for(sam)
    refused = send(
        client, "post", "/organizations/metal-sp/statements", body(paragraphs=PORTUGUESE)
    )
    assert refused.status_code == 400
    assert "seems to be written in Portuguese" in refused.json()["errors"]["language"][0]
    assert (refused.json()["code"], refused.json()["detected"]) == ("language_unconfirmed", "pt")
    assert not Statement.objects.exists()
    confirmed = send(
        client,
        "post",
        "/organizations/metal-sp/statements",
        body(paragraphs=PORTUGUESE, language_confirmed=True),
    )
    assert confirmed.status_code == 201
    assert Statement.objects.get().language == "en"
