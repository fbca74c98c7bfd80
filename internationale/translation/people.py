"""People who translate: asking for a version in one's language, volunteers for language pairs,
requests taken, translated or reviewed side by side with the original, and credited.

Whoever may read content may ask for it in another language (`translation_ask`): a machine version
is made at once in the background when a backend translates the pair, and a request goes to the
volunteers of the pair (a translation, or the review of the machine's version). A request is
shared no wider than its content: only volunteers who may read the original are told of it, see
it, or may take it.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, ViewerLike, person
from internationale.organizations.reference import normalize_language

from .content import matching, primary, versions_of
from .models import LanguageVersion, TranslationRequest
from .registry import Translatable, original_language
from .services import machine_versions_request


def content_get(*, viewer: ViewerLike, label: str, pk: Any) -> Any:
    """The translatable content named "<app_label>.<model>" with this id, if the viewer may read
    it; Http404 for anything else (unknown, not translatable, not theirs)."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
    if not isinstance(getattr(model, "translatable", None), Translatable):
        raise Http404
    try:
        return model._default_manager.visible_to(viewer).get(pk=int(pk))  # type: ignore[attr-defined]
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def content_label(obj: Any) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def _language(tag: str) -> str:
    try:
        return normalize_language(tag)
    except ValueError:
        raise ValidationError(
            {"language": ValidationError(_("Choose a language."), code="invalid")}
        ) from None


def translation_ask(*, actor: ActorLike, obj: Any, language: str) -> TranslationRequest | None:
    """Ask for `obj` in `language` (the caller read `obj` through its selector). A machine version
    is made when a backend can and there is none; a request for a person goes to the volunteers of
    the pair: to translate, or to review the machine's version. Asking again while a request is
    open joins it (returned as is). None when a person already wrote or reviewed a current
    version: there is nothing to ask for."""
    requester = person(actor)
    if requester is None:
        raise Http404
    language = _language(language)
    source = original_language(obj)
    if primary(language) == primary(source):
        raise ValidationError(
            {"language": ValidationError(_("This is the original's language."), code="original")}
        )
    found = matching(versions_of(obj), language)
    if found is not None and found.status != LanguageVersion.Status.MACHINE:
        return None
    machine = found is not None or bool(machine_versions_request(obj, [language]))
    content_type = ContentType.objects.get_for_model(obj)
    target = found.language if found is not None else language
    existing = TranslationRequest.objects.filter(
        content_type=content_type,
        object_id=obj.pk,
        target_language=target,
        status__in=[TranslationRequest.Status.OPEN, TranslationRequest.Status.TAKEN],
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            request = TranslationRequest.objects.create(
                content_type=content_type,
                object_id=obj.pk,
                source_language=source,
                target_language=target,
                kind=TranslationRequest.Kind.REVIEW
                if machine
                else TranslationRequest.Kind.TRANSLATE,
                requested_by=requester,
            )
    except IntegrityError:  # asked at the same moment by someone else
        return TranslationRequest.objects.get(
            content_type=content_type,
            object_id=obj.pk,
            target_language=target,
            status__in=[TranslationRequest.Status.OPEN, TranslationRequest.Status.TAKEN],
        )
    return request
