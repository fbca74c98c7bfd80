"""A meeting in several languages (translation/): its title, description, agenda and minutes are
one original, written in the meeting's `language`, with versions in other languages made by a
machine or by people. Versions have no audience of their own: they are read through the meeting,
by whoever may read it (its selector).

The original's texts, by name: "title", "description", "agenda.<item id>.title",
"agenda.<item id>.description", "document.<document id>.title" (the titles of the documents
attached to the items) and, once the minutes are submitted, "minutes.<item id>" (Markdown).
Draft minutes are the host's own: they are never part of the texts, so that no version holds them.

Machine versions are asked for in the languages of the participants (the host and the
organizations invited that have not declined) and the meeting's working languages, when a backend
translates the pair: when the agenda or its documents change, when organizations are invited, when the minutes are
submitted for approval and when they are frozen. A version already current is not made again, and
no sentence is translated twice (translation/machine/engine.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from internationale.organizations.models import OrganizationLanguage
from internationale.organizations.reference import normalize_language
from internationale.translation.content import Reading, reading
from internationale.translation.services import machine_versions_request

if TYPE_CHECKING:
    from .models import AgendaItem, Meeting


def meeting_texts(
    meeting: Meeting,
    items: Sequence[AgendaItem] | None = None,
    minutes_status: str | None = None,
) -> dict[str, str]:
    """The original's texts, in reading order. `items` (the agenda, in its order; their
    documents prefetched or not) and `minutes_status`: when the caller has read them already."""
    from .models import AgendaItem, Minutes

    if items is None:
        items = list(
            AgendaItem.objects.filter(meeting=meeting)
            .only("pk", "title", "description", "minutes")
            .order_by("position", "pk")
        )
    if minutes_status is None:
        minutes_status = (
            Minutes.objects.filter(meeting=meeting).values_list("status", flat=True).first()
            or Minutes.Status.DRAFT
        )
    texts = {"title": meeting.title}
    if meeting.description:
        texts["description"] = meeting.description
    titles = _document_titles(meeting, items)
    for item in items:
        texts[f"agenda.{item.pk}.title"] = item.title
        if item.description:
            texts[f"agenda.{item.pk}.description"] = item.description
        for pk, title in titles.get(item.pk, []):
            texts[f"document.{pk}.title"] = title
    if minutes_status != Minutes.Status.DRAFT:
        for item in items:
            if item.minutes:
                texts[f"minutes.{item.pk}"] = item.minutes
    return texts


def _prefetched_documents(item: AgendaItem) -> list[Any] | None:
    cache = getattr(item, "_prefetched_objects_cache", {})
    return list(cache["documents"]) if "documents" in cache else None


def _document_titles(meeting: Meeting, items: Sequence[AgendaItem]) -> dict[int, list[tuple]]:
    """The titles of the items' documents, by item: (document id, title), in their order. From
    the items' prefetched documents when they all have them, else in one query."""
    from .models import AgendaDocument

    found: dict[int, list[tuple]] = {}
    prefetched = [_prefetched_documents(item) for item in items]
    if all(documents is not None for documents in prefetched):
        for item, documents in zip(items, prefetched, strict=True):
            found[item.pk] = [(d.pk, d.title) for d in documents or []]
        return found
    rows = (
        AgendaDocument.objects.filter(item__meeting=meeting)
        .order_by("id")
        .values_list("item_id", "pk", "title")
    )
    for item_id, pk, title in rows:
        found.setdefault(item_id, []).append((pk, title))
    return found


# The original's language -------------------------------------------------------------------------


def host_language(organization_id: int, working: Sequence[str] = ()) -> str:
    """The language a host writes in when it does not say: its first language, else the
    meeting's first working language, else the server's."""
    first = (
        OrganizationLanguage.objects.filter(organization_id=organization_id)
        .order_by("id")
        .values_list("tag", flat=True)
        .first()
    )
    return first or (working[0] if working else settings.LANGUAGE_CODE)


def clean_language(tag: str) -> str:
    try:
        return normalize_language(tag)
    except ValueError:
        raise ValidationError(
            {
                "language": ValidationError(
                    _("“%(tag)s” is not a valid BCP 47 language tag.") % {"tag": tag},
                    code="invalid_language",
                )
            }
        ) from None


# Reading -----------------------------------------------------------------------------------------


def meeting_reading(
    meeting: Meeting,
    language: str,
    *,
    original: bool = False,
    items: Sequence[AgendaItem] | None = None,
    minutes_status: str | None = None,
) -> Reading:
    """What a reader of `language` is shown of a meeting they may read (its selector). `items`
    (its whole agenda, in order) and `minutes_status`: when the caller has read them already. The
    meeting, the items and their prefetched documents take the texts shown: they are for showing,
    never saved."""
    from .models import AgendaItem

    if items is None:
        items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))
    texts = meeting_texts(meeting, items, minutes_status)
    meeting.translatable_texts = lambda: texts  # type: ignore[method-assign]
    try:
        shown = reading(meeting, language, original=original)
    finally:
        del meeting.translatable_texts
    meeting.title = shown.texts["title"]
    meeting.description = shown.texts.get("description", "")
    for item in items:
        item.title = shown.texts[f"agenda.{item.pk}.title"]
        item.description = shown.texts.get(f"agenda.{item.pk}.description", "")
        if f"minutes.{item.pk}" in shown.texts:
            item.minutes = shown.texts[f"minutes.{item.pk}"]
        for document in _prefetched_documents(item) or []:
            document.title = shown.texts.get(f"document.{document.pk}.title", document.title)
    return shown


# Machine versions --------------------------------------------------------------------------------


def participant_languages(meeting: Meeting) -> list[str]:
    from .agenda import participants

    tags: Iterable[str] = OrganizationLanguage.objects.filter(
        organization_id__in=participants(meeting)
    ).values_list("tag", flat=True)
    return list(dict.fromkeys([*tags, *meeting.languages]))


def versions_request(meeting: Meeting) -> list[str]:
    """Ask for the meeting's machine versions in its participants' languages, made after the
    current transaction commits. Returns the languages asked for."""
    if meeting.is_cancelled:
        return []
    return machine_versions_request(meeting, participant_languages(meeting))
