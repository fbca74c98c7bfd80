"""Reads of documents for their list, their feeds, their addressees and the weekly digest: each
filtered by the viewer's audience (core/visibility.py) before anything else, so that nothing a
viewer may not read is listed or counted."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404

from internationale.core.actors import ViewerLike
from internationale.organizations.models import Organization
from internationale.translation.content import matching, primary
from internationale.translation.models import LanguageVersion

from .models import DigestChoice, Document, DocumentAddressee, DocumentFile, Tag


@dataclass(frozen=True)
class DocumentFilters:
    kind: str = ""
    language: str = ""
    organization: str = ""  # slug
    tag: str = ""  # slug


def _language_q(language: str) -> Q:
    return Q(language=language) | Q(language__startswith=f"{language}-")


def document_list(
    *, viewer: ViewerLike, filters: DocumentFilters | None = None
) -> QuerySet[Document]:
    """The documents the viewer may read, the newest first, filtered."""
    filters = filters or DocumentFilters()
    documents = Document.objects.visible_to(viewer)
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.language:
        # "pt" finds "pt" and "pt-BR".
        documents = documents.filter(_language_q(filters.language))
    if filters.organization:
        documents = documents.filter(organization__slug=filters.organization)
    if filters.tag:
        documents = documents.filter(tags__slug=filters.tag)
    return (
        documents.select_related("organization")
        .prefetch_related("tags")
        .defer("body", "search_text")
        .order_by("-created_at", "-id")
    )


def document_get(*, viewer: ViewerLike, pk: int) -> Document:
    """The document, if the viewer may read it; 404 otherwise."""
    document = (
        Document.objects.visible_to(viewer).select_related("organization").filter(pk=pk).first()
    )
    if document is None:
        raise Http404
    return document


def document_file_get(*, viewer: ViewerLike, document: Document, pk: int) -> DocumentFile:
    found = DocumentFile.objects.visible_to(viewer).filter(document=document, pk=pk).first()
    if found is None:
        raise Http404
    return found


def document_addressees(document: Document) -> QuerySet[DocumentAddressee]:
    return DocumentAddressee.objects.filter(document=document).select_related("organization")


def addressed_ids(document: Document) -> set[int]:
    return set(
        DocumentAddressee.objects.filter(document=document).values_list(
            "organization_id", flat=True
        )
    )


def filter_choices(*, viewer: ViewerLike) -> tuple[list[Tag], list[Organization]]:
    """The tags and the organizations the list may be filtered by: those of documents the viewer
    may read, so that no choice reveals a document the viewer may not know of."""
    readable = Document.objects.visible_to(viewer).values("pk")
    tags = list(Tag.objects.filter(documents__in=readable).distinct().order_by("name"))
    organizations = list(
        Organization.objects.filter(documents__in=readable).distinct().order_by("name")
    )
    return tags, organizations


def digest_choice_of(person: ViewerLike) -> DigestChoice:
    """The person's digest choice; a new, unsaved one (no digest) when they made none."""
    return DigestChoice.objects.filter(person=person).first() or DigestChoice(person=person)  # type: ignore[misc]


def digest_documents(
    *, viewer: ViewerLike, choice: DigestChoice, since: datetime.datetime, until: datetime.datetime
) -> QuerySet[Document]:
    """The documents added in [since, until) that the person may read, of the kinds and
    languages they chose."""
    documents = Document.objects.visible_to(viewer).filter(
        created_at__gte=since, created_at__lt=until
    )
    if choice.kinds:
        documents = documents.filter(kind__in=choice.kinds)
    if choice.languages:
        wanted = Q(pk__in=[])
        for language in choice.languages:
            wanted |= _language_q(language)
        documents = documents.filter(wanted)
    return (
        documents.select_related("organization")
        .defer("body", "search_text")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class Shown:
    """A document's title and summary as a list shows them to a reader: from the version in the
    reader's language when there is one, else the original's."""

    title: str
    summary: str
    language: str
    by_machine: bool


def shown_in(documents: Sequence[Document], language: str) -> list[Document]:
    """The documents, each with `shown` (Shown) for a reader of `language`: one query for all of
    their versions."""
    ids = [d.pk for d in documents]
    versions: dict[int, list[LanguageVersion]] = {pk: [] for pk in ids}
    if ids and language:
        for version in LanguageVersion.objects.filter(
            content_type=ContentType.objects.get_for_model(Document), object_id__in=ids
        ).only("object_id", "language", "texts", "status"):
            versions[version.object_id].append(version)
    for document in documents:
        chosen = None
        if language and primary(language) != primary(document.language):
            chosen = matching(versions[document.pk], language)
        texts = chosen.texts if chosen is not None else {}
        document.shown = Shown(  # type: ignore[attr-defined]
            title=texts.get("title") or document.title,
            summary=texts.get("summary") or document.summary,
            language=chosen.language if chosen is not None else document.language,
            by_machine=chosen is not None and chosen.by_machine,
        )
    return list(documents)
