"""Searching the library: by words in any language a document exists in, across languages by
meaning, and never beyond what the reader may read, counts included."""

import pytest
from django.contrib.contenttypes.models import ContentType

from internationale.library.models import Document, DocumentAddressee, DocumentFile
from internationale.library.search import COUNTED_AT_MOST, document_search
from internationale.translation.models import LanguageVersion

pytestmark = pytest.mark.django_db

GREVE = "Os trabalhadores da fábrica estão em greve desde segunda-feira. Pedimos o vosso apoio."


def titles(page):  # type: ignore[no-untyped-def]
    return [document.title for document in page.documents]


def test_words_find_a_document_by_their_beginning_without_accents(publish, owner_org, nell):
    publish(owner_org, "Greve na fábrica", GREVE, language="pt")
    publish(owner_org, "Annual accounts", "The accounts were approved.")
    page = document_search(nell, "fabrica trabalh", across_languages=False)
    assert titles(page) == ["Greve na fábrica"] and page.count == 1


def test_the_best_match_comes_first(publish, owner_org, nell):
    publish(owner_org, "Dockers' news", "A word on wages, among many other things said here.")
    publish(owner_org, "Wages", "Wages, wages and wages: the wages campaign.")
    assert titles(document_search(nell, "wages", across_languages=False))[0] == "Wages"


def test_outsiders_never_find_nor_count_private_or_addressed_documents(
    publish, owner_org, other_org, unverified_org, nell, kim, sam, uma
):
    publish(owner_org, "Strike fund public", "strike fund")
    publish(owner_org, "Strike fund network", "strike fund", visibility="network")
    publish(owner_org, "Strike fund private", "strike fund", visibility="private")
    addressed = publish(owner_org, "Strike fund addressed", "strike fund", visibility="addressed")
    DocumentAddressee.objects.create(document=addressed, organization=other_org)

    def found(viewer):  # type: ignore[no-untyped-def]
        page = document_search(viewer, "strike fund")
        return page.count, sorted(titles(page))

    assert found(None) == (1, ["Strike fund public"])
    assert found(nell) == (1, ["Strike fund public"])
    assert found(uma) == (1, ["Strike fund public"])
    assert found(kim) == (
        3,
        ["Strike fund addressed", "Strike fund network", "Strike fund public"],
    )
    assert found(sam)[0] == 4


def test_an_english_query_finds_a_portuguese_document_by_meaning(publish, owner_org, nell):
    greve = publish(owner_org, "Greve na fábrica", GREVE, language="pt")
    publish(owner_org, "Bolo de chocolate", "Uma receita de bolo de chocolate para a festa.")
    page = document_search(nell, "workers on strike")
    assert titles(page) == ["Greve na fábrica"]
    assert page.by_meaning == {greve.pk}
    # Not by its words: the Portuguese text has none of the query's.
    assert document_search(nell, "workers on strike", across_languages=False).count == 0


def test_a_query_with_no_meaning_near_any_document_finds_nothing(publish, owner_org, nell):
    publish(owner_org, "Greve na fábrica", GREVE, language="pt")
    assert document_search(nell, "xyzzy").count == 0


def test_a_private_document_is_never_found_by_meaning_by_outsiders(publish, owner_org, nell, mo):
    publish(owner_org, "Greve na fábrica", GREVE, language="pt", visibility="private")
    assert document_search(nell, "workers on strike").count == 0
    assert document_search(mo, "workers on strike").count == 1


def test_a_changed_document_is_found_by_its_new_words_and_no_more_by_the_old(
    publish, owner_org, nell, work_off, django_capture_on_commit_callbacks
):
    document = publish(owner_org, "Campaign", "For higher wages.")
    with django_capture_on_commit_callbacks(execute=True):
        document.body = "For better pensions."
        document.save()
    work_off()
    assert titles(document_search(nell, "pensions", across_languages=False)) == ["Campaign"]
    assert document_search(nell, "wages", across_languages=False).count == 0


def test_a_language_version_is_found_by_its_words_and_forgotten_when_deleted(
    publish, owner_org, nell
):
    document = publish(owner_org, "Greve na fábrica", GREVE, language="pt")
    version = LanguageVersion.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=document.pk,
        language="en",
        texts={"title": "Strike at the factory", "body": "The workers are on strike."},
        status="human",
        source_hash="x",
    )
    assert titles(document_search(nell, "factory strike", across_languages=False)) == [
        "Greve na fábrica"
    ]
    version.texts = {"title": "Walkout at the plant", "body": "The workers walked out."}
    version.save()
    assert document_search(nell, "walkout", across_languages=False).count == 1
    assert document_search(nell, "factory strike", across_languages=False).count == 0
    version.delete()
    assert document_search(nell, "walkout", across_languages=False).count == 0


def test_the_text_of_a_file_is_searched(publish, owner_org, nell):
    document = publish(owner_org, "Annual report", "See the attached file.")
    file = DocumentFile.objects.create(
        document=document, name="report.pdf", text="Membership grew by a quarter in Recife."
    )
    assert titles(document_search(nell, "recife", across_languages=False)) == ["Annual report"]
    file.delete()
    assert document_search(nell, "recife", across_languages=False).count == 0


def test_kind_and_language_narrow_the_search(publish, owner_org, nell):
    publish(owner_org, "Wages news", "wages", kind="news")
    publish(owner_org, "Wages theory", "wages", kind="theory")
    publish(owner_org, "Salários", "wages", kind="news", language="pt-BR")
    assert titles(document_search(nell, "wages", kind="theory")) == ["Wages theory"]
    assert titles(document_search(nell, "wages", language="pt")) == ["Salários"]


def test_a_query_without_words_finds_nothing(publish, owner_org, nell):
    publish(owner_org, "Wages", "wages")
    assert document_search(nell, "  ?! ").count == 0


def test_counts_stop_at_the_cap_and_pages_follow_each_other(owner_org, nell, settings):
    Document.objects.bulk_create(
        Document(
            organization=owner_org,
            kind="news",
            title=f"Bulletin {n}",
            language="en",
            visibility="public",
            search_text=f"bulletin {n}",
        )
        for n in range(COUNTED_AT_MOST + 5)
    )
    page = document_search(nell, "bulletin", across_languages=False, limit=10)
    assert (page.count, page.more, len(page.documents)) == (COUNTED_AT_MOST, True, 10)
    second = document_search(nell, "bulletin", across_languages=False, limit=10, offset=10)
    assert not {d.pk for d in page.documents} & {d.pk for d in second.documents}


def test_a_vector_is_computed_again_only_when_the_original_changed(
    publish, owner_org, work_off, django_capture_on_commit_callbacks
):
    from internationale.library.models import DocumentVector

    document = publish(owner_org, "Greve na fábrica", GREVE, language="pt")
    first = DocumentVector.objects.get(document=document)
    with django_capture_on_commit_callbacks(execute=True):
        document.visibility = "network"
        document.save()
    assert work_off() == 0  # nothing to compute: the text did not change
    with django_capture_on_commit_callbacks(execute=True):
        document.title = "A greve terminou"
        document.save()
    assert work_off() == 1
    second = DocumentVector.objects.get(document=document)
    assert second.source_hash != first.source_hash and second.vector != first.vector


def test_without_vectors_only_words_find(publish, owner_org, nell, settings):
    settings.INTERNATIONALE_LIBRARY_VECTORS = False
    publish(owner_org, "Greve na fábrica", GREVE, language="pt")
    assert document_search(nell, "workers on strike").count == 0
    assert document_search(nell, "greve").count == 1


def test_the_vectors_kept_in_memory_follow_vectors_added_changed_and_deleted(owner_org, settings):
    """The copy each process keeps (vectors._Vectors), read in bulk: a vector computed since is
    added, one computed again replaces the old, and one deleted leaves it (read all again)."""
    import datetime

    import numpy as np
    from django.utils import timezone

    from internationale.library import vectors
    from internationale.library.models import DocumentVector

    settings.INTERNATIONALE_LIBRARY_VECTORS = False  # the vectors below, not the model's
    axes = np.eye(vectors.DIMENSIONS, dtype=np.float32)
    documents = [
        Document.objects.create(organization=owner_org, kind="news", title=f"D{n}", language="en")
        for n in range(3)
    ]
    earlier = timezone.now() - datetime.timedelta(minutes=5)
    for n, document in enumerate(documents[:2]):
        DocumentVector.objects.create(document=document, vector=axes[n].tobytes())
    DocumentVector.objects.update(computed_at=earlier)
    kept = vectors._Vectors()
    ids = [d.pk for d in documents]
    known, scores = kept.scores(axes[1], ids)
    assert known == ids[:2] and scores.tolist() == [0.0, 1.0]

    DocumentVector.objects.filter(document=documents[0]).update(
        vector=axes[1].tobytes(), computed_at=timezone.now()
    )
    DocumentVector.objects.create(document=documents[2], vector=(axes[1] * 0.5).tobytes())
    known, scores = kept.scores(axes[1], ids)
    assert known == ids and scores.tolist() == [1.0, 1.0, 0.5]

    DocumentVector.objects.filter(document=documents[1]).delete()
    known, scores = kept.scores(axes[1], list(reversed(ids)))
    assert known == [ids[2], ids[0]] and scores.tolist() == [0.5, 1.0]
