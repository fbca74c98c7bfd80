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
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from internationale.organizations.reference import normalize_language

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
        # Templates look names up as keys first: a name that is no text must raise KeyError, so
        # that `reading.version` or `reading.by_machine` reach the attribute.
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


# The API's side: `?lang=` and the `translation` object, the same for every app -------------------


def reader_language(lang: str | None) -> str:
    """The language asked for with `?lang=` in its standard form; empty for the original. A tag
    that is not one: ValidationError on `lang` (code "invalid_language")."""
    if not lang:
        return ""
    try:
        return normalize_language(lang)
    except ValueError:
        raise ValidationError(
            {
                "lang": ValidationError(
                    _("“%(tag)s” is not a valid BCP 47 language tag.") % {"tag": lang},
                    code="invalid_language",
                )
            }
        ) from None


def translation_of(shown: Reading) -> dict[str, Any]:
    """The API's `translation` object: in which language the texts are, made how, whether the
    original changed since, and the original's language."""
    return {
        "language": shown.language,
        "status": shown.version.status if shown.version is not None else "original",
        "outdated": shown.outdated,
        "original_language": shown.original_language,
    }
