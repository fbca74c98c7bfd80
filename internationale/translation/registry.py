"""Which content is translatable: one declaration per model, every decision derived from it.

A model declares `translatable = Translatable(fields=("title", "body"))`; its original's texts are
those fields (or, for content whose texts are computed, what its `translatable_texts()` method
returns: a statement's adopted paragraphs). The original's language is in the field `language`
(a BCP 47 tag). The model must be shared content (core/visibility.Shared): a version is read only
through its original, by whoever may read the original.

The declaration gives the model two generic relations, `language_versions` and
`translation_requests`: deleting the content (by itself, or with its organization, its appeal, its
meeting) deletes its versions and the requests for them, in the same transaction and in batches,
as Django deletes any related rows. Nothing of it stays behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class Translatable:
    """fields: the names of the original's texts, in reading order.
    language: the field holding the original's language.
    markdown: the texts that are Markdown (translated with their structure kept); the others are
        plain (a title).
    versions_rule: for content whose versions only some people may write (a statement's, by its
        initiator), the rule they must pass; volunteers are then not asked for it (machine
        versions only), and a submission by anyone else is refused.
    """

    fields: tuple[str, ...]
    language: str = "language"
    markdown: tuple[str, ...] = ()
    versions_rule: str = ""

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        """Called by Django for the model declaring it: the declaration stays readable as
        `Model.translatable`, and the model gets its versions and requests as generic
        relations (no column: no migration)."""
        from django.contrib.contenttypes.fields import GenericRelation

        setattr(cls, name, self)
        if cls._meta.abstract:
            return
        cls.add_to_class("language_versions", GenericRelation("translation.LanguageVersion"))
        cls.add_to_class("translation_requests", GenericRelation("translation.TranslationRequest"))


def declaration(model: type[models.Model] | models.Model) -> Translatable:
    found = getattr(model, "translatable", None)
    if not isinstance(found, Translatable):
        raise LookupError(f"{model} is not translatable")
    return found


def translatable_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if isinstance(getattr(model, "translatable", None), Translatable)
    ]


def original_texts(obj: Any) -> dict[str, str]:
    """The original's texts by name, in reading order."""
    computed = getattr(obj, "translatable_texts", None)
    if callable(computed):
        return dict(computed())
    return {name: str(getattr(obj, name) or "") for name in declaration(obj).fields}


def original_language(obj: Any) -> str:
    return str(getattr(obj, declaration(obj).language) or "")


def is_markdown(obj: Any, name: str) -> bool:
    markdown = declaration(obj).markdown
    return name in markdown or any(name.startswith(f"{prefix}.") for prefix in markdown)
