"""Reads for publication: the adopted statements a reader may see, the language versions of one
(the original, authoritative, and the shared language versions, translations.py), and which one
a reader reads: their language's when it has one (translation.content.reading).

Every list is filtered through Statement.objects.visible_to: the public reads the public ones, the
network's people those of the network too, the participants those they took part in."""

import copy
from dataclasses import dataclass, replace
from functools import lru_cache

import langcodes
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import get_language

from internationale.core.actors import ViewerLike
from internationale.organizations.reference import language_name, normalize_language
from internationale.translation.content import Reading as ContentReading
from internationale.translation.content import primary, reading
from internationale.translation.models import LanguageVersion

from . import translations
from .models import Statement

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
    """The statement's text in one language: the original (authoritative) or a version in another
    language, a machine's or a person's (`status`, LanguageVersion.Status; "" for the original)."""

    language: str
    title: str
    paragraphs: list[str]
    original: bool
    status: str = ""
    # The translation.content.Reading behind it, for the mark that says whose it is.
    shown: ContentReading | None = None

    @property
    def name(self) -> str:
        return language_name(self.language)

    @property
    def dir(self) -> str:
        return direction(self.language)

    @property
    def by_machine(self) -> bool:
        return self.status == LanguageVersion.Status.MACHINE


@dataclass(frozen=True)
class Mark:
    """What the reading mark (translation/includes/reading_mark.html) says of the text shown:
    whose it is, and the original one click away. Given to the template apart from the texts,
    whose names a template would look up first."""

    version: LanguageVersion | None
    by_machine: bool
    outdated: bool
    original_language: str
    languages: list[str]


def mark_of(shown: ContentReading) -> Mark:
    return Mark(
        shown.version, shown.by_machine, shown.outdated, shown.original_language, shown.languages
    )


def translation_list(statement: Statement) -> list[LanguageVersion]:
    """The versions in other languages of a statement the reader sees: they follow it."""
    return list(translations.language_versions(statement).order_by("language"))


def readings(statement: Statement, versions: list[LanguageVersion]) -> list[Reading]:
    """The adopted text in every language it has, the reader's own language first if it has it,
    then the original, then the others by tag. Empty if the statement is not adopted."""
    version = statement.adopted_version()
    if version is None:
        return []
    found = [Reading(statement.language, version.title, list(version.paragraphs), True)]
    found += [
        Reading(
            v.language,
            v.texts.get("title") or version.title,
            translations.paragraphs_of(v),
            False,
            v.status,
        )
        for v in versions
    ]
    mine = primary(get_language() or "")
    first = [r for r in found if primary(r.language) == mine][:1]
    return first + [r for r in found if r not in first]


def _asked(asked: str | None) -> str:
    try:
        return normalize_language(asked or "")
    except ValueError:
        return ""


def reading_shown(
    statement: Statement,
    versions: list[LanguageVersion],
    *,
    asked: str | None,
    original: bool = False,
    anonymous: bool = False,
) -> Reading | None:
    """What a reader reads of the adopted text (translation.content.reading): the version asked
    for with `?lang=` (any spelling of the tag), else the one in the reader's language, else the
    original; the original when asked for (`original`). None if the statement is not adopted.
    For a signed-out reader (`anonymous`), whose page is kept for every other, the version names
    no person."""
    if statement.adopted_version() is None:
        return None
    language = _asked(asked) or get_language() or ""
    shown = reading(statement, language, original=original, versions=versions)
    if shown.version is not None and anonymous:
        unnamed = copy.copy(shown.version)
        unnamed.translated_by = None
        shown = replace(shown, version=unnamed)
    count = len(shown.texts) - 1
    return Reading(
        shown.language,
        shown["title"],
        [shown[f"paragraph.{n}"] for n in range(1, count + 1)],
        shown.is_original,
        shown.version.status if shown.version is not None else "",
        shown,
    )
