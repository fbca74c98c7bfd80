"""An agenda item is written in its meeting's language (the original its versions translate): the
pages and the API check its texts against the language detected in them, the host is told which
it found and confirms, and nothing is written until then. The meeting of the Metalworkers of São
Paulo is in Portuguese (Brazil), their first language."""

import json

import pytest

from internationale.cooperation.models import AgendaItem

from .test_agenda import dutch_org, item, meeting  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

ENGLISH = "The union asks the company to keep every job at the plant and to open its accounts."
PORTUGUESE = (
    "O sindicato pede à empresa que mantenha todos os empregos na fábrica e abra as contas."
)


def test_an_item_in_english_on_a_portuguese_agenda_is_added_only_once_confirmed(
    client_for,
    sam,
    meeting,  # noqa: F811
):
    url = f"/meetings/{meeting.pk}/agenda/new/"
    data = {"title": "Job security", "description": ENGLISH}
    refused = client_for(sam).post(url, data)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "seems to be written in English, not in Portuguese (Brazil), the language" in page
    assert 'type="checkbox" name="language_confirmed"' in page
    assert "written in the meeting&#x27;s language" in page
    assert not AgendaItem.objects.exists()

    confirmed = client_for(sam).post(url, {**data, "language_confirmed": "on"})
    assert confirmed.status_code == 302
    assert AgendaItem.objects.get().description == ENGLISH


def test_an_item_changed_into_another_language_is_saved_only_once_confirmed(
    client_for,
    sam,
    meeting,  # noqa: F811
    item,  # noqa: F811
):
    url = f"/meetings/{meeting.pk}/agenda/{item.pk}/edit/"
    data = {"title": item.title, "description": ENGLISH}
    refused = client_for(sam).post(url, data)
    assert refused.status_code == 200
    assert 'type="checkbox" name="language_confirmed"' in refused.content.decode()
    item.refresh_from_db()
    assert item.description == ""
    assert client_for(sam).post(url, {**data, "language_confirmed": "on"}).status_code == 302
    item.refresh_from_db()
    assert item.description == ENGLISH
    # In the meeting's language, nothing is asked.
    assert client_for(sam).post(url, {**data, "description": PORTUGUESE}).status_code == 302


def test_the_api_asks_to_confirm_the_language_of_an_item_too(
    client_for,
    sam,
    meeting,  # noqa: F811
    item,  # noqa: F811
):
    client = client_for(sam)

    def send(method, path, body):  # type: ignore[no-untyped-def]
        return getattr(client, method)(
            f"/api/v1/meetings/{meeting.pk}/agenda{path}",
            data=json.dumps(body),
            content_type="application/json",
        )

    refused = send("post", "", {"title": "Job security", "description": ENGLISH})
    assert refused.status_code == 400
    assert "seems to be written in English" in refused.json()["errors"]["description"][0]
    assert (refused.json()["code"], refused.json()["detected"]) == ("language_unconfirmed", "en")
    assert AgendaItem.objects.count() == 1
    added = send(
        "post", "", {"title": "Job security", "description": ENGLISH, "language_confirmed": True}
    )
    assert added.status_code == 201
    changed = send("patch", f"/{item.pk}", {"description": ENGLISH})
    assert changed.status_code == 400
    item.refresh_from_db()
    assert item.description == ""
    confirmed = send("patch", f"/{item.pk}", {"description": ENGLISH, "language_confirmed": True})
    assert confirmed.status_code == 200
    item.refresh_from_db()
    assert item.description == ENGLISH
