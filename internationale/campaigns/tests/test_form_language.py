"""A campaign's title and text are checked against the language detected in them, as appeals,
statements and library documents are (translation/detection.py): the organizer is told which
language was found and confirms theirs, and nothing is written until then."""

import json

import pytest

from internationale.campaigns.models import Campaign

from .helpers import make_campaign
from .test_organizer import form

pytestmark = pytest.mark.django_db

PORTUGUESE = (
    "Exigimos a libertação imediata de Ana Souza, presa por defender os trabalhadores da fábrica."
)


def test_a_campaign_declared_english_but_written_in_portuguese_is_prepared_only_once_confirmed(
    client_for, sam
):
    refused = client_for(sam).post("/campaigns/new/", form(text=PORTUGUESE))
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "seems to be written in Portuguese, not in English" in page
    assert 'type="checkbox" name="language_confirmed"' in page
    assert not Campaign.objects.exists()
    confirmed = client_for(sam).post(
        "/campaigns/new/", form(text=PORTUGUESE, language_confirmed="on")
    )
    assert confirmed.status_code == 302
    assert Campaign.objects.get().language == "en"


def test_the_api_asks_to_confirm_a_campaigns_language_when_its_text_changes(
    client_for, sam, owner_org
):
    campaign = make_campaign(sam, owner_org)
    client = client_for(sam)

    def patch(body):  # type: ignore[no-untyped-def]
        return client.patch(
            f"/api/v1/campaigns/{campaign.pk}",
            data=json.dumps(body),
            content_type="application/json",
        )

    refused = patch({"text": PORTUGUESE})
    assert refused.status_code == 400
    assert (refused.json()["code"], refused.json()["detected"]) == ("language_unconfirmed", "pt")
    campaign.refresh_from_db()
    assert campaign.text != PORTUGUESE
    # Saying which language it is in is enough; so is confirming the one given.
    assert patch({"text": PORTUGUESE, "language": "pt"}).status_code == 200
    assert (
        patch({"title": "Libertem Ana", "language": "en", "language_confirmed": True}).status_code
        == 200
    )
