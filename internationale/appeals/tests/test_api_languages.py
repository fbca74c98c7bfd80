"""The API reads appeals in a language (`?lang=`), detects the language of what is written, and
asks for a confirmation when the declared language is not the one detected."""

import json

import pytest

from internationale.appeals.models import Appeal, AppealUpdate

from .factories import AppealFactory
from .test_appeal_languages import TEXT, TITLE

pytestmark = pytest.mark.django_db

FIELDS = {"situation": "strike", "country": "BR", "asks_propaganda": True}


def post(client, url, data):  # type: ignore[no-untyped-def]
    return client.post(url, data=json.dumps(data), content_type="application/json")


@pytest.fixture
def greve(owner_org, sam, other_org, send, work_off):
    draft = AppealFactory(
        organization=owner_org, created_by=sam, title=TITLE, text=TEXT, language="pt-BR"
    )
    appeal = send(draft, sam, add=[other_org.pk])
    work_off()
    return appeal


def test_an_appeal_read_in_english_says_a_machine_translated_it(greve, kim, client_for):
    body = client_for(kim).get(f"/api/v1/appeals/{greve.pk}?lang=en").json()
    assert body["title"] != TITLE and "strike" in body["text"].lower()
    assert body["translation"] == {
        "language": "en",
        "status": "machine",
        "outdated": False,
        "original_language": "pt-BR",
    }
    assert body["language"] == "pt-BR"  # the original's
    original = client_for(kim).get(f"/api/v1/appeals/{greve.pk}?lang=en&original=true").json()
    assert original["title"] == TITLE and original["translation"]["status"] == "original"
    plain = client_for(kim).get(f"/api/v1/appeals/{greve.pk}").json()
    assert plain["title"] == TITLE and plain["translation"] is None


def test_the_timeline_read_in_english(
    greve, sam, kim, client_for, work_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with_update = post(
            client_for(sam),
            f"/api/v1/appeals/{greve.pk}/updates",
            {"text": "A fábrica foi ocupada pelos trabalhadores."},
        )
    assert with_update.status_code == 201, with_update.json()
    assert with_update.json()["language"] == "pt-BR"
    work_off()
    items = client_for(kim).get(f"/api/v1/appeals/{greve.pk}/updates?lang=en").json()["items"]
    posted = next(item for item in items if item["kind"] == "update")
    assert "occupied" in posted["text"].lower()
    assert posted["translation"]["status"] == "machine"


def test_a_bad_language_tag_is_refused(greve, kim, client_for):
    response = client_for(kim).get(f"/api/v1/appeals/{greve.pk}?lang=not a tag!")
    assert response.status_code == 400
    assert "lang" in response.json()["errors"]


def test_an_appeal_declared_english_but_written_in_portuguese_waits_for_confirmation(
    sam, owner_org, client_for
):
    url = f"/api/v1/organizations/{owner_org.slug}/appeals"
    fields = {**FIELDS, "title": TITLE, "text": TEXT, "language": "en"}
    refused = post(client_for(sam), url, fields)
    assert refused.status_code == 400
    body = refused.json()
    assert (body["code"], body["detected"]) == ("language_unconfirmed", "pt")
    assert "Portuguese" in body["errors"]["language"][0]
    assert not Appeal.objects.exists()  # nothing saved

    confirmed = post(client_for(sam), url, {**fields, "language_confirmed": True})
    assert confirmed.status_code == 201
    assert Appeal.objects.get().language == "en"


def test_the_language_left_out_is_detected(sam, owner_org, client_for):
    url = f"/api/v1/organizations/{owner_org.slug}/appeals"
    created = post(client_for(sam), url, {**FIELDS, "title": TITLE, "text": TEXT})
    assert created.status_code == 201, created.json()
    assert created.json()["language"] == "pt"


def test_an_update_in_another_language_than_declared_waits_for_confirmation(greve, sam, client_for):
    url = f"/api/v1/appeals/{greve.pk}/updates"
    english = "The workers occupied the factory on Monday and ask for your support."
    refused = post(client_for(sam), url, {"text": english})
    assert refused.status_code == 400 and refused.json()["code"] == "language_unconfirmed"
    assert not AppealUpdate.objects.filter(kind="update").exists()
    assert post(client_for(sam), url, {"text": english, "language": "en"}).status_code == 201


def test_a_draft_changed_into_another_language_than_declared_waits_for_confirmation(
    sam, owner_org, client_for
):
    draft = AppealFactory(
        organization=owner_org, created_by=sam, title=TITLE, text=TEXT, language="pt-BR"
    )
    url = f"/api/v1/appeals/{draft.pk}"
    english = "The workers of the factory have been on strike since Monday against the layoffs."

    def patch(data):  # type: ignore[no-untyped-def]
        return client_for(sam).patch(url, data=json.dumps(data), content_type="application/json")

    refused = patch({"text": english})
    assert refused.status_code == 400 and refused.json()["code"] == "language_unconfirmed"
    draft.refresh_from_db()
    assert draft.text == TEXT  # nothing changed
    assert patch({"text": english, "language_confirmed": True}).status_code == 200
    draft.refresh_from_db()
    assert (draft.text, draft.language) == (english, "pt-BR")
    # A change that touches no text is not asked about.
    assert patch({"urgency": 2}).status_code == 200
