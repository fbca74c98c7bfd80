"""People who translate: asking for a version in one's language, volunteers for language pairs,
requests taken, translated or reviewed side by side with the original, and credited.

Whoever may read content may ask for it in another language (`translation_ask`): a machine version
is made at once in the background when a backend translates the pair, and a request goes to the
volunteers of the pair (a translation, or the review of the machine's version). A request is
shared no wider than its content: only volunteers who may read the original see it or may take
it, and they are told of it through those of their organizations that are in its audience alone
(an inbox is read by every person of the organization).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from typing import Any

from allauth.core import ratelimit
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.accounts.models import User
from internationale.core.actors import ActorLike, ViewerLike, person, user_of
from internationale.core.audit import audit
from internationale.core.idempotency import idempotent
from internationale.core.notices import notice_send
from internationale.core.services import require
from internationale.core.visibility import (
    NOTHING,
    is_confidential,
    is_visible,
    organizations_seeing,
)
from internationale.organizations.models import Membership
from internationale.organizations.reference import language_name, normalize_language

from .content import matching, primary, source_hash, versions_of
from .machine.engine import can_translate
from .models import LanguageVersion, TranslationRequest, Volunteer
from .registry import (
    Translatable,
    declaration,
    is_markdown,
    original_language,
    original_texts,
    translatable_models,
)
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


def _language(tag: str, field: str = "language") -> str:
    try:
        return normalize_language(tag)
    except ValueError:
        raise ValidationError(
            {field: ValidationError(_("Choose a language."), code="invalid")}
        ) from None


def _ask_fetch(pk: str) -> TranslationRequest | None:
    # The first ask of the same key asked nothing (""), or its request: as it is now.
    return TranslationRequest.objects.filter(pk=pk).first() if pk else None


@idempotent("translation.ask", fetch=_ask_fetch, identify=lambda asked: asked.pk if asked else "")
def translation_ask(
    *, actor: ActorLike, obj: Any, language: str, submission_key: str | None = None
) -> TranslationRequest | None:
    """Ask for `obj` in `language` (the caller read `obj` through its selector). A machine version
    is made when a backend can and there is none; a request for a person goes to the volunteers of
    the pair: to translate, or to review the machine's version. Asking again while a request is
    open joins it (returned as is). None when a person already wrote or reviewed a current
    version: there is nothing to ask for. With `submission_key` (the API's Idempotency-Key), the
    same ask sent again answers as the first time and is not counted against the limit again."""
    requester = person(actor)
    if requester is None or not is_visible(obj, actor):
        raise Http404
    require(actor, "translation.ask", obj)
    language = _language(language)
    source = original_language(obj)
    if primary(language) == primary(source):
        raise ValidationError(
            {"language": ValidationError(_("This is the original's language."), code="original")}
        )
    if not any(text.strip() for text in original_texts(obj).values()):
        # A statement before its adoption: nothing to translate yet.
        raise ValidationError(_("There is no text to translate yet."), code="no_text")
    found = matching(versions_of(obj), language)
    if found is not None and found.status != LanguageVersion.Status.MACHINE:
        return None
    _count_ask(requester)
    machine = found is not None or bool(machine_versions_request(obj, [language]))
    if declaration(obj).versions_rule:
        # Only some people write its versions (a statement's initiator): no volunteer is asked.
        return None
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
            audit(
                actor=actor,
                action="translation.request_ask",
                target=request,
                **_pair_params(request),
            )
            _announce(request, obj)
    except IntegrityError:  # asked at the same moment by someone else
        return TranslationRequest.objects.get(
            content_type=content_type,
            object_id=obj.pk,
            target_language=target,
            status__in=[TranslationRequest.Status.OPEN, TranslationRequest.Status.TAKEN],
        )
    return request


def ask_outcome(obj: Any, asked: TranslationRequest | None) -> tuple[str, str]:
    """What an ask did, for the one who asked: a level ("info", "success") and a sentence."""
    if asked is None and declaration(obj).versions_rule:
        return "info", _(
            "A machine translation is made when this server has a model for these languages; "
            "the versions people write are its authors' to write."
        )
    if asked is None:
        return "info", _("A person has already translated this into your language.")
    if asked.kind == TranslationRequest.Kind.TRANSLATE and not can_translate(
        asked.source_language, asked.target_language
    ):
        return "info", _(
            "No translation model on this server translates %(source)s into %(target)s: the "
            "volunteers who translate into this language are asked instead."
        ) % {"source": asked.source_language, "target": asked.target_language}
    return "success", _(
        "Asked for. A machine translation shows here as soon as it is made, and the "
        "volunteers who translate into this language are told."
    )


def _count_ask(requester: Any) -> None:
    """Count an ask against the person's limit (settings: ACCOUNT_RATE_LIMITS["translation_ask"],
    from TRANSLATION_ASKS_PER_HOUR), as the sign-in limits are counted: allauth's rate limits, in
    the cache every process shares. Refused, with nothing asked, once the limit is reached."""
    request = HttpRequest()  # the limit is per person: no address is read from it
    request.method = "POST"
    if not ratelimit.consume(request, action="translation_ask", user=requester):
        raise ValidationError(
            _(
                "You have asked for many translations in a short time: wait a while before "
                "asking for another. Nothing was asked."
            ),
            code="rate_limited",
        )


# Volunteers --------------------------------------------------------------------------------------


def same_language(field: str, tag: str) -> Q:
    """Rows whose `field` is the language of `tag` in any region or script: "pt" matches "pt" and
    "pt-BR"."""
    base = primary(tag)
    return Q(**{f"{field}__iexact": base}) | Q(**{f"{field}__istartswith": f"{base}-"})


def volunteers_of(source_language: str, target_language: str) -> QuerySet[Volunteer]:
    """The volunteers who translate from one language into another, whatever the regions."""
    return Volunteer.objects.filter(
        same_language("source_language", source_language),
        same_language("target_language", target_language),
    )


def volunteer_pairs(*, viewer: ViewerLike) -> QuerySet[Volunteer]:
    """The pairs the viewer volunteers for."""
    user = person(viewer)
    if user is None:
        return Volunteer.objects.none()
    return Volunteer.objects.filter(person=user)


def _pair_params(pair: Volunteer | TranslationRequest) -> dict[str, str]:
    return {"source_language": pair.source_language, "target_language": pair.target_language}


def _pair_fetch(pk: str) -> Volunteer:
    found = Volunteer.objects.filter(pk=pk).first()
    if found is None:  # removed since
        raise Http404
    return found


@idempotent("translation.volunteer", fetch=_pair_fetch)
def volunteer_add(
    *,
    actor: ActorLike,
    source_language: str,
    target_language: str,
    submission_key: str | None = None,
) -> Volunteer:
    """Volunteer to translate from `source_language` into `target_language`."""
    require(actor, "translation.volunteer")
    user = user_of(actor)
    source = _language(source_language, "source_language")
    target = _language(target_language, "target_language")
    if primary(source) == primary(target):
        raise ValidationError(
            {"target_language": ValidationError(_("Choose two different languages."), code="same")}
        )
    if volunteers_of(source, target).filter(person=user).exists():
        raise ValidationError(_("You already volunteer for this pair."), code="unique")
    try:
        with transaction.atomic():
            pair = Volunteer.objects.create(
                person=user, source_language=source, target_language=target
            )
            audit(
                actor=actor, action="translation.volunteer_add", target=pair, **_pair_params(pair)
            )
    except IntegrityError:  # the same pair sent twice at once
        raise ValidationError(_("You already volunteer for this pair."), code="unique") from None
    return pair


def volunteer_remove(*, actor: ActorLike, pk: Any) -> None:
    """Stop volunteering for one of one's pairs. The requests of the pair one had taken and not
    submitted go back to the other volunteers."""
    require(actor, "translation.volunteer")
    with transaction.atomic():
        pair = volunteer_pairs(viewer=actor).select_for_update().filter(pk=pk).first()
        if pair is None:
            raise Http404
        params = _pair_params(pair)
        audit(actor=actor, action="translation.volunteer_remove", target=pair, **params)
        pair.delete()
        if (
            not volunteers_of(params["source_language"], params["target_language"])
            .filter(person=user_of(actor))
            .exists()
        ):
            TranslationRequest.objects.filter(
                same_language("source_language", params["source_language"]),
                same_language("target_language", params["target_language"]),
                status=TranslationRequest.Status.TAKEN,
                taken_by=user_of(actor),
            ).update(status=TranslationRequest.Status.OPEN, taken_by=None, taken_at=None)


# Requests: who sees them --------------------------------------------------------------------------


def _readable(viewer: ViewerLike) -> Q:
    """Requests about content the viewer may read: one subquery per translatable model."""
    found = [
        Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=model._default_manager.visible_to(viewer).values("pk"),  # type: ignore[attr-defined]
        )
        for model in translatable_models()
    ]
    return reduce(operator.or_, found, NOTHING)


def _requests() -> QuerySet[TranslationRequest]:
    return TranslationRequest.objects.select_related("content_type", "requested_by", "taken_by")


def requests_open_for(*, viewer: ViewerLike) -> QuerySet[TranslationRequest]:
    """The open requests of the viewer's pairs about content the viewer may read, newest first."""
    pairs = [
        same_language("source_language", pair.source_language)
        & same_language("target_language", pair.target_language)
        for pair in volunteer_pairs(viewer=viewer)
    ]
    if not pairs:
        return TranslationRequest.objects.none()
    return _requests().filter(
        reduce(operator.or_, pairs), _readable(viewer), status=TranslationRequest.Status.OPEN
    )


def requests_mine(*, viewer: ViewerLike) -> QuerySet[TranslationRequest]:
    """The requests the viewer asked for or took, about content they may still read."""
    user = person(viewer)
    if user is None:
        return TranslationRequest.objects.none()
    return _requests().filter(Q(requested_by=user) | Q(taken_by=user), _readable(viewer))


def request_get(*, viewer: ViewerLike, pk: Any) -> TranslationRequest:
    """A request the viewer may see (that is, whose content they may read); Http404 otherwise."""
    try:
        found = _requests().get(pk=int(pk))
    except (TranslationRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if person(viewer) is None or not is_visible_safe(found, viewer):
        raise Http404
    return found


def is_visible_safe(request: TranslationRequest, viewer: ViewerLike) -> bool:
    original = request.original
    return original is not None and is_visible(original, viewer)


@dataclass
class Work:
    """What a translator works from: the original's texts (in reading order) and their hash, and
    a draft for each (the machine's version when reviewing, else empty)."""

    texts: dict[str, str]
    source_hash: str
    draft: dict[str, str]
    markdown: set[str]


def request_work(request: TranslationRequest) -> Work:
    """The work of a request the caller may see (request_get)."""
    obj = request.original
    texts = original_texts(obj)
    version = matching(versions_of(obj), request.target_language)
    draft = dict(version.texts) if version is not None else {}
    return Work(
        texts=texts,
        source_hash=source_hash(texts),
        draft={name: str(draft.get(name) or "") for name in texts},
        markdown={name for name in texts if is_markdown(obj, name)},
    )


# Requests: what volunteers and requesters do ------------------------------------------------------


def _locked(request: TranslationRequest) -> TranslationRequest:
    return _requests().select_for_update(of=("self",)).get(pk=request.pk)


def refuse_unless(actor: ActorLike, perm: str, request: TranslationRequest) -> None:
    """Who may not read the content is told the request does not exist; who may, but may not do
    this, is told why."""
    if not is_visible_safe(request, actor):
        raise Http404
    if perm in ("translation.take_request", "translation.submit_request"):
        message = _(
            "Only volunteers who translate from %(source)s into %(target)s may do this: add "
            "this pair on your volunteer page first."
        ) % {
            "source": language_name(request.source_language),
            "target": language_name(request.target_language),
        }
        if perm == "translation.submit_request" and request.taken_by_id != getattr(
            person(actor), "pk", None
        ):
            message = _("Only the volunteer who took this request may submit it.")
    elif perm == "translation.release_request":
        message = _("Only the volunteer who took this request may give it back.")
    else:
        message = _("Only the person who asked for this translation may withdraw it.")
    require(actor, perm, request, message=message)


STATUS_REFUSALS = {
    TranslationRequest.Status.TAKEN: lambda: _("Another volunteer has already taken this request."),
    TranslationRequest.Status.DONE: lambda: _("This request is done already."),
    TranslationRequest.Status.WITHDRAWN: lambda: _("This request was withdrawn."),
    TranslationRequest.Status.OPEN: lambda: _("No one has taken this request yet."),
}


def _refuse_status(
    request: TranslationRequest, *allowed: str, actor: ActorLike | None = None
) -> None:
    if (
        request.status == TranslationRequest.Status.TAKEN
        and TranslationRequest.Status.TAKEN not in allowed
        and actor is not None
        and request.taken_by_id == getattr(person(actor), "pk", None)
    ):
        raise ValidationError(_("You have taken this request already."), code="taken")
    if request.status not in allowed:
        refusal = STATUS_REFUSALS[TranslationRequest.Status(request.status)]
        raise ValidationError(refusal(), code=request.status)


def request_take(*, actor: ActorLike, request: TranslationRequest) -> TranslationRequest:
    """Take an open request of one's pair: no one else may take it until it is given back. The
    row is locked, so of two volunteers taking it at once, the second is told it is taken."""
    with transaction.atomic():
        locked = _locked(request)
        refuse_unless(actor, "translation.take_request", locked)
        _refuse_status(locked, TranslationRequest.Status.OPEN, actor=actor)
        locked.status = TranslationRequest.Status.TAKEN
        locked.taken_by = user_of(actor)
        locked.taken_at = timezone.now()
        locked.save(update_fields=["status", "taken_by", "taken_at", "updated_at"])
        audit(actor=actor, action="translation.request_take", target=locked, **_pair_params(locked))
        if locked.requested_by_id is not None and locked.original is not None:
            notice_send(
                kind="translation.taken",
                source=locked,
                people=audience_people(locked.original, [locked.requested_by_id]),
                params=_pair_params(locked),
            )
    return locked


def request_release(*, actor: ActorLike, request: TranslationRequest) -> TranslationRequest:
    """Give back a request one took: it is open to the pair's volunteers again."""
    with transaction.atomic():
        locked = _locked(request)
        refuse_unless(actor, "translation.release_request", locked)
        _refuse_status(locked, TranslationRequest.Status.TAKEN)
        locked.status = TranslationRequest.Status.OPEN
        locked.taken_by = None
        locked.taken_at = None
        locked.save(update_fields=["status", "taken_by", "taken_at", "updated_at"])
        audit(
            actor=actor, action="translation.request_release", target=locked, **_pair_params(locked)
        )
    return locked


def request_withdraw(*, actor: ActorLike, request: TranslationRequest) -> TranslationRequest:
    """Withdraw one's own request while it is open or taken."""
    with transaction.atomic():
        locked = _locked(request)
        refuse_unless(actor, "translation.withdraw_request", locked)
        _refuse_status(locked, TranslationRequest.Status.OPEN, TranslationRequest.Status.TAKEN)
        locked.status = TranslationRequest.Status.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        audit(
            actor=actor,
            action="translation.request_withdraw",
            target=locked,
            **_pair_params(locked),
        )
    return locked


# The longest text a translation may have, against the original's: room for languages that need
# more words, and no more.
MAX_TEXT = 200_000


def _checked_texts(work: Work, texts: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, list[ValidationError]] = {}
    for name in texts:
        if name not in work.texts:
            errors.setdefault(name, []).append(
                ValidationError(_("The original has no text of this name."), code="unknown")
            )
    cleaned: dict[str, str] = {}
    for name, original in work.texts.items():
        value = texts.get(name)
        value = value.strip() if isinstance(value, str) else ""
        if original.strip() and not value:
            errors.setdefault(name, []).append(
                ValidationError(_("Translate this text too."), code="required")
            )
        elif len(value) > MAX_TEXT:
            errors.setdefault(name, []).append(
                ValidationError(_("This text is too long."), code="max_length")
            )
        cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def request_submit(
    *,
    actor: ActorLike,
    request: TranslationRequest,
    texts: dict[str, Any],
    source_hash: str = "",
) -> LanguageVersion:
    """Submit the translation of a request one took: the version in the request's language is
    written (reviewed, when it was a machine's; else by a person), credited to the translator, as
    a translation of the original's texts as they are now; the requester is told.

    `source_hash`: the hash of the original's texts the translator worked from (request_work).
    When the original changed since, the submission is refused: it would be recorded as
    translating texts the translator never saw."""
    with transaction.atomic():
        locked = _locked(request)
        refuse_unless(actor, "translation.submit_request", locked)
        _refuse_status(locked, TranslationRequest.Status.TAKEN)
        original = locked.original
        rule = declaration(original).versions_rule if original is not None else ""
        if rule:
            require(actor, rule, original, _("Only its authors may write its versions."))
        work = request_work(locked)
        if source_hash and source_hash != work.source_hash:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: ValidationError(
                        _(
                            "The original has changed since you opened it: read it again and "
                            "check your translation before submitting."
                        ),
                        code="outdated",
                    )
                }
            )
        cleaned = _checked_texts(work, texts)
        reviewed = locked.kind == TranslationRequest.Kind.REVIEW
        content_type = locked.content_type
        existing = (
            LanguageVersion.objects.select_for_update()
            .filter(
                content_type=content_type,
                object_id=locked.object_id,
                language=locked.target_language,
            )
            .first()
        )
        version = existing or LanguageVersion(
            content_type=content_type, object_id=locked.object_id, language=locked.target_language
        )
        version.texts = cleaned
        version.status = (
            LanguageVersion.Status.REVIEWED if reviewed else LanguageVersion.Status.HUMAN
        )
        version.source_hash = work.source_hash
        if not reviewed:
            version.backend = ""
        version.translated_by = user_of(actor)
        version.full_clean(exclude=["content_type", "object_id", "language"])
        version.save()
        locked.status = TranslationRequest.Status.DONE
        locked.done_at = timezone.now()
        locked.save(update_fields=["status", "done_at", "updated_at"])
        audit(
            actor=actor,
            action="translation.request_submit",
            target=locked,
            status=version.status,
            **_pair_params(locked),
        )
        if locked.requested_by_id is not None:
            notice_send(
                kind="translation.done",
                source=locked,
                people=audience_people(original, [locked.requested_by_id]),
                params={"target_language": locked.target_language, "status": version.status},
            )
    return version


def audience_people(obj: Any, people: Iterable[int] | QuerySet[Any]) -> list[int]:
    """Of `people`, the active ones who may read `obj`: whoever it is public to; else the people
    of the organizations in its audience (an addressed appeal: the people of the organizations it
    was addressed to, and of its author). The persons a notice about it may reach, one by one."""
    if not is_confidential(obj):
        return sorted(
            User.objects.filter(pk__in=people, is_active=True).values_list("pk", flat=True)
        )
    rows = list(
        Membership.objects.filter(user_id__in=people, user__is_active=True).values_list(
            "user_id", "organization_id", "organization__verified_at"
        )
    )
    seeing = organizations_seeing(obj, {org: verified is not None for _u, org, verified in rows})
    return sorted({user for user, org, _verified in rows if org in seeing})


def _announce(request: TranslationRequest, obj: Any) -> None:
    """Tell each volunteer of the request's pair who may read the content, in their own inbox and
    by e-mail as they chose (the notice says which pair, never what the content is)."""
    volunteers = (
        volunteers_of(request.source_language, request.target_language)
        .exclude(person_id=request.requested_by_id)
        .values("person_id")
    )
    people = audience_people(obj, volunteers)
    if people:
        notice_send(
            kind="translation.request",
            source=request,
            people=people,
            params={**_pair_params(request), "kind": request.kind},
        )


def content_url(request: TranslationRequest) -> str:
    """The page of a request's content (its request's page, if the content is gone)."""
    original: Any = request.original
    return str(original.get_absolute_url()) if original is not None else request.get_absolute_url()
