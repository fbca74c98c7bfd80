"""An agenda item is written in its meeting's language (the original its versions translate): the
pages and the API check its texts against the language detected in them, the host is told which
it found and confirms, and nothing is written until then. The meeting of the Metalworkers of São
Paulo is in Portuguese (Brazil), their first language."""

import json

import pytest

from internationale.cooperation.models import AgendaItem, Meeting

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


# A meeting's own title and description, and its minutes --------------------------------------

MEETING = {
    "organization": "metal-sp",
    "kind": "seminar",
    "title": "Job security",
    "start": "2030-03-01T09:00",
    "end": "2030-03-01T17:00",
    "time_zone": "America/Sao_Paulo",
    "visibility": "addressed",
}


def test_a_meeting_declared_portuguese_but_described_in_english_is_planned_only_once_confirmed(
    client_for, sam, owner_org
):
    data = {**MEETING, "language": "pt-BR", "description": ENGLISH}
    refused = client_for(sam).post("/meetings/new/", data)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "seems to be written in English, not in Portuguese (Brazil)" in page
    assert 'type="checkbox" name="language_confirmed"' in page
    assert not Meeting.objects.exists()
    confirmed = client_for(sam).post("/meetings/new/", {**data, "language_confirmed": "on"})
    assert confirmed.status_code == 302
    assert Meeting.objects.get().language == "pt-BR"


def test_a_meeting_whose_language_is_left_out_takes_the_one_detected_in_its_texts(
    client_for, sam, owner_org
):
    created = client_for(sam).post("/meetings/new/", {**MEETING, "description": ENGLISH})
    assert created.status_code == 302
    assert Meeting.objects.get().language == "en"


def test_a_meeting_described_again_in_another_language_is_changed_only_once_confirmed(
    client_for,
    sam,
    meeting,  # noqa: F811
):
    client = client_for(sam)
    path = f"/api/v1/meetings/{meeting.pk}"

    def patch(body):  # type: ignore[no-untyped-def]
        return client.patch(path, data=json.dumps(body), content_type="application/json")

    refused = patch({"description": ENGLISH})
    assert refused.status_code == 400
    assert (refused.json()["code"], refused.json()["detected"]) == ("language_unconfirmed", "en")
    meeting.refresh_from_db()
    assert meeting.description == ""
    assert patch({"description": ENGLISH, "language_confirmed": True}).status_code == 200
    meeting.refresh_from_db()
    assert (meeting.description, meeting.language) == (ENGLISH, "pt-BR")


def test_the_api_asks_to_confirm_a_new_meetings_language(client_for, sam, owner_org):
    client = client_for(sam)
    body = {**MEETING, "language": "pt-BR", "description": ENGLISH}
    del body["organization"]
    path = "/api/v1/organizations/metal-sp/meetings"
    refused = client.post(path, data=json.dumps(body), content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "language_unconfirmed"
    assert not Meeting.objects.exists()
    body["language_confirmed"] = True
    created = client.post(path, data=json.dumps(body), content_type="application/json")
    assert created.status_code == 201


def test_minutes_in_another_language_than_the_meetings_are_recorded_only_once_confirmed(
    client_for,
    sam,
    meeting,  # noqa: F811
    item,  # noqa: F811
):
    url = f"/meetings/{meeting.pk}/minutes/{item.pk}/edit/"
    refused = client_for(sam).post(url, {"text": ENGLISH})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "seems to be written in English, not in Portuguese (Brazil), the language" in page
    assert 'type="checkbox" name="language_confirmed"' in page
    item.refresh_from_db()
    assert item.minutes == ""
    # In the meeting's language, nothing is asked; in another, once confirmed.
    assert client_for(sam).post(url, {"text": PORTUGUESE}).status_code == 302
    confirmed = client_for(sam).post(url, {"text": ENGLISH, "language_confirmed": "on"})
    assert confirmed.status_code == 302
    item.refresh_from_db()
    assert item.minutes == ENGLISH


def test_the_api_asks_to_confirm_the_language_of_minutes_too(
    client_for,
    sam,
    meeting,  # noqa: F811
    item,  # noqa: F811
):
    client = client_for(sam)
    path = f"/api/v1/meetings/{meeting.pk}/minutes/items/{item.pk}"
    refused = client.patch(
        path, data=json.dumps({"text": ENGLISH}), content_type="application/json"
    )
    assert refused.status_code == 400
    assert (refused.json()["code"], refused.json()["detected"]) == ("language_unconfirmed", "en")
    assert "seems to be written in English" in refused.json()["errors"]["text"][0]
    kept = client.patch(
        path,
        data=json.dumps({"text": ENGLISH, "language_confirmed": True}),
        content_type="application/json",
    )
    assert kept.status_code == 200
