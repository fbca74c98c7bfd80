"""Reads for publication: the adopted statements a reader may see, the language versions of one
(the original, authoritative, and those entered by hand), and which one a reader reads.

Every list is filtered through Statement.objects.visible_to: the public reads the public ones, the
network's people those of the network too, the participants those they took part in."""

from dataclasses import dataclass
from functools import lru_cache

import langcodes
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import get_language

from internationale.core.actors import ViewerLike
from internationale.organizations.reference import language_name, normalize_language

from .models import Statement, Translation

# Scripts written right to left.
RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand", "Samr"})


@lru_cache(maxsize=1024)
def direction(tag: str) -> str:
    """ "rtl" for a language written right to left (Arabic, Hebrew, Persian, Urdu...), else "ltr"."""
    try:
        script = langcodes.Language.get(tag).maximize().script
    except (LookupError, ValueError):
        return "ltr"
    return "rtl" if script in RTL_SCRIPTS else "ltr"


def published_list(*, viewer: ViewerLike) -> QuerySet[Statement]:
    """The adopted statements the viewer may read, the latest adopted first."""
    return (
        Statement.objects.visible_to(viewer)
        .filter(status=Statement.Status.ADOPTED)
        .select_related("organization", "current_version")
        .order_by("-adopted_at", "-pk")
    )


def public_list() -> QuerySet[Statement]:
    """The adopted statements anyone may read: what the feed holds."""
    return published_list(viewer=AnonymousUser())


@dataclass(frozen=True)
class Reading:
    """The statement's text in one language: the original (authoritative) or a version entered by
    hand."""

    language: str
    title: str
    paragraphs: list[str]
    original: bool

    @property
    def name(self) -> str:
        return language_name(self.language)

    @property
    def dir(self) -> str:
        return direction(self.language)


def translation_list(statement: Statement) -> list[Translation]:
    """The versions in other languages of a statement the reader sees: they follow it."""
    return list(Translation.objects.filter(statement=statement).order_by("language"))


def readings(statement: Statement, translations: list[Translation]) -> list[Reading]:
    """The adopted text in every language it has, the reader's own language first if it has it,
    then the original, then the others by tag. Empty if the statement is not adopted."""
    version = statement.current_version
    if statement.status != Statement.Status.ADOPTED or version is None or not version.is_adopted:
        return []
    found = [Reading(statement.language, version.title, list(version.paragraphs), True)]
    found += [Reading(t.language, t.title, list(t.paragraphs), False) for t in translations]
    mine = _primary(get_language() or "")
    first = [r for r in found if _primary(r.language) == mine][:1]
    return first + [r for r in found if r not in first]


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def reading_chosen(found: list[Reading], asked: str | None) -> Reading | None:
    """The reading asked for with `?lang=`, if the statement has it (any spelling of the tag),
    else None: the page shows the original."""
    if not asked:
        return None
    try:
        tag = normalize_language(asked)
    except ValueError:
        return None
    return next((r for r in found if r.language.lower() == tag.lower()), None)
