"""Reading content in the reader's language: the shared mechanism every app uses.

`reading(obj, language)` gives what to show a reader: the version in their language when there is
one, else the original; with whether it is a machine's, outdated, and in which language the
original is. Pages use the template `translation/includes/reading_mark.html` to say so ("Machine
translation — show the original") and to offer to ask for one.

Callers have already checked that the viewer may read `obj` (its selector): versions share the
original's audience and are never fetched on their own.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType

from .models import LanguageVersion
from .registry import original_language, original_texts


def source_hash(texts: dict[str, str]) -> str:
    """The hash of an original's texts, recorded on each version made from them."""
    return hashlib.sha256(
        json.dumps(texts, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def primary(tag: str) -> str:
    """The language of a tag without region or script: "pt-BR" is "pt"."""
    return tag.split("-")[0].lower()


def versions_of(obj: Any) -> list[LanguageVersion]:
    return list(
        LanguageVersion.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("translated_by")
    )


@dataclass
class Reading:
    """What a reader is shown of one original."""

    texts: dict[str, str]
    language: str  # the language of `texts`
    original_language: str
    version: LanguageVersion | None = None  # None: the original
    outdated: bool = False
    # The languages it exists in, the original's first.
    languages: list[str] = field(default_factory=list)

    @property
    def is_original(self) -> bool:
        return self.version is None

    @property
    def by_machine(self) -> bool:
        return self.version is not None and self.version.by_machine

    def __getitem__(self, name: str) -> str:
        # KeyError for a name that is not one of the texts: templates then read the attribute
        # (`reading.version`, `reading.language`) instead of an empty text.
        return self.texts[name]


def matching(versions: list[LanguageVersion], language: str) -> LanguageVersion | None:
    """The version for `language`: the same tag first, else the same language in another region."""
    for version in versions:
        if version.language.lower() == language.lower():
            return version
    for version in versions:
        if primary(version.language) == primary(language):
            return version
    return None


def reading(
    obj: Any,
    language: str,
    *,
    original: bool = False,
    versions: list[LanguageVersion] | None = None,
) -> Reading:
    """What to show a reader of `language`: their version when there is one (and `original` was
    not asked for), else the original. `versions`: the original's versions, if already read."""
    texts = original_texts(obj)
    source = original_language(obj)
    found = versions if versions is not None else versions_of(obj)
    languages = [source, *[v.language for v in found if v.language != source]]
    chosen = None
    if not original and language and primary(language) != primary(source):
        chosen = matching(found, language)
    if chosen is None:
        return Reading(texts=texts, language=source, original_language=source, languages=languages)
    shown = {name: chosen.texts.get(name) or text for name, text in texts.items()}
    return Reading(
        texts=shown,
        language=chosen.language,
        original_language=source,
        version=chosen,
        outdated=chosen.source_hash != source_hash(texts),
        languages=languages,
    )
