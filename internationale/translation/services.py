"""Writes of language versions. Machine versions are made in the background (tasks.py); the
versions people write or review go through people.py, which checks who may."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .content import primary, source_hash
from .machine.engine import can_translate, translate_texts
from .models import LanguageVersion
from .registry import is_markdown, original_language, original_texts


def machine_versions_request(obj: Any, languages: Iterable[str]) -> list[str]:
    """Ask for machine versions of `obj` in `languages`, made in the background after the current
    transaction commits, for those a backend can make. Returns the languages asked for.

    One task waits at most per original and language: a language a waiting task already covers
    is not queued again (tasks.enqueue_once). The task reads the original when it runs, so an
    original changed several times before then is translated once, as it is last."""
    from .tasks import enqueue_once

    source = original_language(obj)
    wanted = sorted(
        {
            primary(language)
            for language in languages
            if language and primary(language) != primary(source) and can_translate(source, language)
        }
    )
    if wanted:
        content_type = ContentType.objects.get_for_model(obj)
        transaction.on_commit(lambda: enqueue_once(content_type.pk, obj.pk, wanted))
    return wanted


def machine_version_make(obj: Any, language: str) -> LanguageVersion | None:
    """Make (or remake, when outdated) the machine version of `obj` in `language`. A version a
    person wrote or reviewed is never replaced by a machine's: None then, and when it is current."""
    texts = original_texts(obj)
    digest = source_hash(texts)
    content_type = ContentType.objects.get_for_model(obj)
    existing = LanguageVersion.objects.filter(
        content_type=content_type, object_id=obj.pk, language=language
    ).first()
    if existing is not None and (
        existing.status != LanguageVersion.Status.MACHINE or existing.source_hash == digest
    ):
        return None
    markdown = [name for name in texts if is_markdown(obj, name)]
    translated, backend = translate_texts(texts, original_language(obj), language, markdown)
    version, _created = LanguageVersion.objects.update_or_create(
        content_type=content_type,
        object_id=obj.pk,
        language=language,
        defaults={
            "texts": translated,
            "status": LanguageVersion.Status.MACHINE,
            "source_hash": digest,
            "backend": backend,
            "translated_by": None,
        },
    )
    return version


def versions_given(obj: Any, given: dict[str, dict[str, str]]) -> list[LanguageVersion]:
    """Record the versions of `obj` that came with it from its author's server (an appeal
    received from another server with its title and text in several languages), by language,
    as current versions of its original, in the languages it has none in yet (the original's own
    is not one). Who made them is not said: they are marked as machine versions, so that a
    reader is never told a person wrote what a machine may have, and people here may review them."""
    source = original_language(obj)
    content_type = ContentType.objects.get_for_model(obj)
    existing = set(
        LanguageVersion.objects.filter(content_type=content_type, object_id=obj.pk).values_list(
            "language", flat=True
        )
    )
    digest = source_hash(original_texts(obj))
    return LanguageVersion.objects.bulk_create(
        LanguageVersion(
            content_type=content_type,
            object_id=obj.pk,
            language=language,
            texts=texts,
            status=LanguageVersion.Status.MACHINE,
            source_hash=digest,
        )
        for language, texts in given.items()
        if language != source and language not in existing
    )
