"""Deleting translatable content deletes its language versions and the requests for them: by
itself, with what it belongs to (an appeal's updates), or with its organization. Migration 0002
deletes those an earlier deletion left behind."""

import pytest
from django.contrib.contenttypes.models import ContentType

from internationale.appeals.models import Appeal, AppealUpdate
from internationale.appeals.tests.factories import AppealFactory
from internationale.core.tests.test_visibility_agreement import BUILDERS
from internationale.library import services as library
from internationale.library.models import Document
from internationale.translation.models import LanguageVersion, TranslationRequest
from internationale.translation.registry import translatable_models


def _translate(obj):  # type: ignore[no-untyped-def]
    LanguageVersion.objects.create(
        original=obj, language="fr", texts={}, status="machine", source_hash="x"
    )
    TranslationRequest.objects.create(
        original=obj, source_language="en", target_language="fr", kind="review"
    )


def _left(model):  # type: ignore[no-untyped-def]
    content_type = ContentType.objects.get_for_model(model)
    return (
        LanguageVersion.objects.filter(content_type=content_type).count(),
        TranslationRequest.objects.filter(content_type=content_type).count(),
    )


def test_every_translatable_model_is_walked():
    assert set(translatable_models()) <= set(BUILDERS)


@pytest.mark.django_db
@pytest.mark.parametrize("model", translatable_models(), ids=lambda m: m._meta.label)
def test_deleting_content_deletes_its_versions_and_requests(model, owner_org, other_org):
    BUILDERS[model](owner_org, other_org)
    rows = list(model._default_manager.order_by("pk"))
    assert len(rows) >= 2
    for row in rows:
        _translate(row)
    kept, *deleted = rows
    for row in deleted:
        row.delete()
    assert _left(model) == (1, 1)  # the content still there keeps its own
    assert LanguageVersion.objects.get(content_type__model=model._meta.model_name).object_id == (
        kept.pk
    )


@pytest.mark.django_db
def test_deleting_an_organization_deletes_its_appeals_and_their_updates_versions(
    owner_org, other_org
):
    mine, theirs = AppealFactory(organization=owner_org), AppealFactory(organization=other_org)
    for appeal in (mine, theirs):
        _translate(appeal)
        update = AppealUpdate.objects.create(appeal=appeal, kind="update", text="Still on strike")
        _translate(update)
    owner_org.delete()
    assert _left(Appeal) == (1, 1) and _left(AppealUpdate) == (1, 1)
    assert TranslationRequest.objects.filter(object_id=theirs.pk).exists()


@pytest.mark.django_db
def test_deleting_a_library_document_deletes_the_requests_for_it(sam, owner_org):
    document = library.document_create(
        actor=sam,
        organization=owner_org,
        kind="news",
        title="Greve em Santos",
        body="Os trabalhadores estão em greve desde segunda-feira.",
        language="pt",
        visibility="public",
    )
    _translate(document)
    library.document_delete(actor=sam, document=document)
    assert _left(Document) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_the_migration_deletes_what_deleted_content_left_behind(migrate, owner_org):
    old = migrate(("translation", "0001_initial"))
    kept = AppealFactory(organization=owner_org)
    gone = AppealFactory(organization=owner_org)
    appeals = ContentType.objects.get_for_model(Appeal)
    old_version = old.get_model("translation", "LanguageVersion")
    old_request = old.get_model("translation", "TranslationRequest")
    for appeal_id in (kept.pk, gone.pk):
        old_version.objects.create(
            content_type_id=appeals.pk,
            object_id=appeal_id,
            language="fr",
            texts={},
            status="machine",
            source_hash="x",
        )
        old_request.objects.create(
            content_type_id=appeals.pk,
            object_id=appeal_id,
            source_language="en",
            target_language="fr",
            kind="review",
        )
    # Deleted as it was before the content took its versions with it.
    Appeal.objects.filter(pk=gone.pk)._raw_delete(Appeal.objects.db)
    # A row of a model the database no longer has is kept: nothing is deleted on a guess.
    unknown = ContentType.objects.create(app_label="gone", model="removed")
    old_version.objects.create(
        content_type_id=unknown.pk,
        object_id=1,
        language="fr",
        texts={},
        status="machine",
        source_hash="x",
    )
    migrate()
    assert list(
        LanguageVersion.objects.filter(content_type=appeals).values_list("object_id", flat=True)
    ) == [kept.pk]
    assert list(TranslationRequest.objects.values_list("object_id", flat=True)) == [kept.pk]
    assert LanguageVersion.objects.filter(content_type=unknown).exists()
