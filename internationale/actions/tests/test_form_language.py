"""A day of action's call is checked against the language detected in it, as appeals, statements
and library documents are (translation/detection.py): the caller is told which language was found
and confirms theirs, and nothing is written until then."""

import json

import pytest

from internationale.actions.models import DayOfAction

from .test_calling import prepare
from .world import the_date

pytestmark = pytest.mark.django_db

PORTUGUESE = (
    "Todos os locais da Meridian Freight param no mesmo dia para exigir a readmissão dos "
    "trabalhadores despedidos."
)


def test_a_call_declared_english_but_written_in_portuguese_is_prepared_only_once_confirmed(
    client_for, sam, owner_org
):
    data = {
        "organization": owner_org.slug,
        "title": "Global day at Meridian Freight",
        "language": "en",
        "date": the_date().isoformat(),
        "text": PORTUGUESE,
        "called_visibility": "network",
    }
    refused = client_for(sam).post("/days/new/", data)
    assert refused.status_code == 200
    assert "seems to be written in Portuguese, not in English" in refused.text
    assert 'type="checkbox" name="language_confirmed"' in refused.text
    assert not DayOfAction.objects.exists()
    confirmed = client_for(sam).post("/days/new/", {**data, "language_confirmed": "on"})
    assert confirmed.status_code == 302
    assert DayOfAction.objects.get().language == "en"


def test_a_call_changed_into_another_language_is_saved_only_once_confirmed(
    client_for, sam, owner_org
):
    day = prepare(sam, owner_org)
    client = client_for(sam)

    def patch(body):  # type: ignore[no-untyped-def]
        return client.patch(
            f"/api/v1/days/{day.pk}", data=json.dumps(body), content_type="application/json"
        )

    refused = patch({"text": PORTUGUESE})
    assert refused.status_code == 400
    assert (refused.json()["code"], refused.json()["detected"]) == ("language_unconfirmed", "pt")
    day.refresh_from_db()
    assert day.text != PORTUGUESE
    assert patch({"text": PORTUGUESE, "language_confirmed": True}).status_code == 200
    day.refresh_from_db()
    assert (day.text, day.language) == (PORTUGUESE, "en")
