"""Versions of an adopted statement in other languages, entered by hand by those who speak for
the initiator: added, changed and removed. The original (the drafting language) stays
authoritative; a version has the adopted title's and paragraphs' counterparts, as many paragraphs
as the adopted text, in one language other than the original, one per language."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.services import require
from internationale.organizations.reference import normalize_language

from .models import Statement, Translation
from .services import clean_paragraphs


def _refusal() -> str:
    return _(
        "Only an admin or secretary of the initiating organization can enter language versions."
    )


def _adopted_paragraphs(statement: Statement) -> list[str]:
    version = statement.current_version
    if statement.status != Statement.Status.ADOPTED or version is None or not version.is_adopted:
        raise ValidationError(
            _("Only an adopted statement has versions in other languages."), code="not_adopted"
        )
    return list(version.paragraphs)


def _clean(statement: Statement, title: str, paragraphs: Sequence[str]) -> tuple[str, list[str]]:
    adopted = _adopted_paragraphs(statement)
    errors: dict[str, ValidationError] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = ValidationError(_("Give the title in this language."), code="required")
    elif len(title) > 200:
        errors["title"] = ValidationError(
            _("A title has at most %(n)s characters.") % {"n": 200}, code="max_length"
        )
    cleaned: list[str] = []
    try:
        cleaned = clean_paragraphs(paragraphs)
    except ValidationError as error:
        errors |= error.error_dict  # type: ignore[arg-type]
    else:
        if len(cleaned) != len(adopted):
            errors["paragraphs"] = ValidationError(
                _(
                    "The adopted text has %(adopted)s paragraphs; this version has %(given)s. "
                    "Give one paragraph for each, in the same order."
                )
                % {"adopted": len(adopted), "given": len(cleaned)},
                code="paragraph_count",
            )
    if errors:
        raise ValidationError(errors)
    return title, cleaned


def _language(statement: Statement, language: str) -> str:
    try:
        tag = normalize_language(language or "")
    except ValueError:
        raise ValidationError(
            {
                "language": ValidationError(
                    _("Give the language as a language tag, such as fr, ar or pt-BR."),
                    code="invalid_language",
                )
            }
        ) from None
    if tag.lower() == statement.language.lower():
        raise ValidationError(
            {
                "language": ValidationError(
                    _("This is the original's language: the original is the adopted text."),
                    code="original_language",
                )
            }
        )
    return tag


def _duplicate() -> ValidationError:
    return ValidationError(
        {
            "language": ValidationError(
                _("This statement already has a version in this language: change that one."),
                code="duplicate_language",
            )
        }
    )


def translation_add(
    *,
    actor: ActorLike,
    statement: Statement,
    language: str,
    title: str,
    paragraphs: Sequence[str],
) -> Translation:
    """A version of the adopted statement in `language`."""
    require(actor, "statements.translate_statement", statement, _refusal())
    tag = _language(statement, language)
    title, cleaned = _clean(statement, title, paragraphs)
    if Translation.objects.filter(statement=statement, language__iexact=tag).exists():
        raise _duplicate()
    try:
        with transaction.atomic():
            translation = Translation.objects.create(
                statement=statement,
                language=tag,
                title=title,
                paragraphs=cleaned,
                translated_by=person(actor),
            )
            audit(
                actor=actor,
                action="statement.translation_add",
                target=statement,
                organization=statement.organization,
                title=statement.title,
                language=tag,
            )
    except IntegrityError:
        # Another request added this language at the same moment.
        raise _duplicate() from None
    return translation


def translation_change(
    *, actor: ActorLike, translation: Translation, title: str, paragraphs: Sequence[str]
) -> Translation:
    """New wording for a version in another language (its language stays)."""
    statement = translation.statement
    require(actor, "statements.translate_statement", statement, _refusal())
    title, cleaned = _clean(statement, title, paragraphs)
    with transaction.atomic():
        locked = Translation.objects.select_for_update().get(pk=translation.pk)
        locked.title, locked.paragraphs = title, cleaned
        locked.translated_by = person(actor)
        locked.save(update_fields=["title", "paragraphs", "translated_by", "updated_at"])
        audit(
            actor=actor,
            action="statement.translation_change",
            target=statement,
            organization=statement.organization,
            title=statement.title,
            language=locked.language,
        )
    return locked


def translation_remove(*, actor: ActorLike, translation: Translation) -> None:
    statement = translation.statement
    require(actor, "statements.translate_statement", statement, _refusal())
    with transaction.atomic():
        audit(
            actor=actor,
            action="statement.translation_remove",
            target=statement,
            organization=statement.organization,
            title=statement.title,
            language=translation.language,
        )
        Translation.objects.filter(pk=translation.pk).delete()
