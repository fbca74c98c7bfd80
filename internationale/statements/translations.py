"""Versions of an adopted statement in other languages: the shared language versions
(translation.LanguageVersion) of its adopted text, named "title", "paragraph.1", "paragraph.2"...
(Statement.translatable_texts). The original (the drafting language) stays authoritative.

Machines make versions when the statement is adopted, in the languages of the organizations that
took part, and when an organization signs it afterwards, in that organization's languages, for
the pairs a backend on the server translates (`machine_versions_for`). Those who speak for the
initiator enter versions by hand, correct and remove them: a version entered is a person's, a
machine's version corrected is reviewed by a person; either names who did it. A version has as
many paragraphs as the adopted text, in one language other than the original, one per language.
"""

from collections.abc import Iterable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.services import require
from internationale.organizations.models import OrganizationLanguage
from internationale.organizations.reference import normalize_language
from internationale.translation.content import source_hash
from internationale.translation.models import LanguageVersion
from internationale.translation.services import machine_versions_request

from .models import Statement
from .services import clean_paragraphs


def _refusal() -> str:
    return _(
        "Only an admin or secretary of the initiating organization can enter language versions."
    )


def language_versions(statement: Statement) -> "QuerySet[LanguageVersion]":
    """The statement's versions in other languages, by language. The caller has read the
    statement through its selector: versions follow it."""
    return LanguageVersion.objects.filter(
        content_type=ContentType.objects.get_for_model(Statement), object_id=statement.pk
    ).select_related("translated_by")


def texts_of(title: str, paragraphs: Sequence[str]) -> dict[str, str]:
    """A version's texts, named as Statement.translatable_texts names the original's."""
    texts = {"title": title}
    for number, paragraph in enumerate(paragraphs, start=1):
        texts[f"paragraph.{number}"] = paragraph
    return texts


def paragraphs_of(version: LanguageVersion) -> list[str]:
    """A version's paragraphs, in order."""
    numbered = sorted(
        (int(name.split(".", 1)[1]), text)
        for name, text in version.texts.items()
        if name.startswith("paragraph.") and name.split(".", 1)[1].isdigit()
    )
    return [text for _number, text in numbered]


def machine_versions_for(statement: Statement, organizations: Iterable[int]) -> list[str]:
    """Ask for machine versions of the adopted statement in the languages of `organizations`
    (ids), made in the background after the current transaction commits, for the pairs a backend
    on this server translates. Returns the languages asked for."""
    if statement.status != Statement.Status.ADOPTED:
        return []
    tags = OrganizationLanguage.objects.filter(organization__in=list(organizations)).values_list(
        "tag", flat=True
    )
    return machine_versions_request(statement, set(tags))


def _adopted_paragraphs(statement: Statement) -> list[str]:
    version = statement.adopted_version()
    if version is None:
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
) -> LanguageVersion:
    """A version of the adopted statement in `language`, written by the actor. It takes the place
    of a machine's version in that language; one a person wrote or reviewed is changed instead."""
    require(actor, "statements.translate_statement", statement, _refusal())
    tag = _language(statement, language)
    title, cleaned = _clean(statement, title, paragraphs)
    existing = language_versions(statement).filter(language__iexact=tag).first()
    if existing is not None and existing.status != LanguageVersion.Status.MACHINE:
        raise _duplicate()
    try:
        with transaction.atomic():
            if existing is not None:
                LanguageVersion.objects.filter(pk=existing.pk).delete()
            version = LanguageVersion.objects.create(
                content_type=ContentType.objects.get_for_model(Statement),
                object_id=statement.pk,
                language=tag,
                texts=texts_of(title, cleaned),
                status=LanguageVersion.Status.HUMAN,
                source_hash=source_hash(statement.translatable_texts()),
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
    return version


def translation_change(
    *, actor: ActorLike, translation: LanguageVersion, title: str, paragraphs: Sequence[str]
) -> LanguageVersion:
    """New wording for a version in another language (its language stays), credited to the
    actor: a machine's version corrected becomes reviewed by a person, a person's stays so."""
    statement = Statement.objects.select_related("current_version", "organization").get(
        pk=translation.object_id
    )
    require(actor, "statements.translate_statement", statement, _refusal())
    title, cleaned = _clean(statement, title, paragraphs)
    with transaction.atomic():
        locked = LanguageVersion.objects.select_for_update().get(pk=translation.pk)
        if locked.status == LanguageVersion.Status.MACHINE:
            locked.status = LanguageVersion.Status.REVIEWED
        locked.texts = texts_of(title, cleaned)
        locked.source_hash = source_hash(statement.translatable_texts())
        locked.translated_by = person(actor)
        locked.save(update_fields=["texts", "status", "source_hash", "translated_by", "updated_at"])
        audit(
            actor=actor,
            action="statement.translation_change",
            target=statement,
            organization=statement.organization,
            title=statement.title,
            language=locked.language,
            status=locked.status,
        )
    return locked


def translation_remove(*, actor: ActorLike, translation: LanguageVersion) -> None:
    statement = Statement.objects.select_related("organization").get(pk=translation.object_id)
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
        # One by one, not by a queryset: the public page follows the delete's signal.
        for found in LanguageVersion.objects.filter(pk=translation.pk):
            found.delete()
