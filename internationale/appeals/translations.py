"""Appeals in several languages (translation/): an appeal, its updates and the report on its
outcome are read in the reader's language when a version exists, and an appeal sent to
organizations of other languages gets machine versions in their languages when a backend on this
server can make them: at its send, when more organizations receive it, when it is escalated, when
an update is posted and when it is resolved.

The language its author declares is checked against the language detected in what they wrote
(translation/detection.py): when they differ, the author is shown the detected one and confirms
before anything is saved (`language_unconfirmed`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils.translation import gettext as _

from internationale.organizations.models import OrganizationLanguage
from internationale.translation.content import Reading, reading
from internationale.translation.detection import check_language, detect
from internationale.translation.models import LanguageVersion
from internationale.translation.services import machine_versions_request

from .models import Addressee, Appeal, AppealUpdate

# Machine versions -------------------------------------------------------------------------------


def addressed_languages(appeal: Appeal) -> list[str]:
    """The languages of the organizations the appeal was sent to, each once: one query."""
    return list(
        OrganizationLanguage.objects.filter(
            organization_id__in=Addressee.objects.filter(appeal=appeal).values("organization_id")
        )
        .order_by()
        .values_list("tag", flat=True)
        .distinct()
    )


def versions_request(appeal: Appeal, *, updates: Iterable[AppealUpdate] | None = None) -> None:
    """Ask for machine versions of the appeal (and of `updates`, by default those of its updates
    that have a text) in the languages of its addressees, made in the background after the
    current transaction commits, for the pairs a backend translates. Versions already current are
    not made again (translation/services.py)."""
    languages = addressed_languages(appeal)
    if not languages:
        return
    machine_versions_request(appeal, languages)
    if updates is None:
        updates = AppealUpdate.objects.filter(appeal=appeal).exclude(text="")
    for update in updates:
        if update.text:
            machine_versions_request(update, languages)


# Reading ----------------------------------------------------------------------------------------


@dataclass
class Readings:
    """What a reader of `language` is shown of an appeal and of its updates: their versions in
    that language when there are (and the original was not asked for), else the originals."""

    appeal: Reading
    language: str
    original: bool
    update_versions: dict[int, list[LanguageVersion]] = field(default_factory=dict)

    def of(self, update: AppealUpdate) -> Reading:
        return reading(
            update,
            self.language,
            original=self.original,
            versions=self.update_versions.get(update.pk, []),
        )


def readings(appeal: Appeal, language: str, *, original: bool = False) -> Readings:
    """The appeal and its updates as a reader of `language` reads them: the versions of all of
    them in one query."""
    # The content types by name, joined rather than looked up: no query of its own, even in a
    # process that has not read them yet.
    wanted = Q(
        content_type__app_label="appeals", content_type__model="appeal", object_id=appeal.pk
    ) | Q(
        content_type__app_label="appeals",
        content_type__model="appealupdate",
        object_id__in=AppealUpdate.objects.filter(appeal=appeal).values("pk"),
    )
    own: list[LanguageVersion] = []
    of_updates: dict[int, list[LanguageVersion]] = {}
    # Kept in the page's parts for every reader: of a translator, the name alone is read (the
    # mark credits them by it), never their address or the rest of their account.
    found = (
        LanguageVersion.objects.filter(wanted)
        .annotate(model=F("content_type__model"))
        .select_related("translated_by")
        .only(*[f.name for f in LanguageVersion._meta.concrete_fields], "translated_by__name")
    )
    for version in found:
        if version.model == "appeal":  # type: ignore[attr-defined]
            own.append(version)
        else:
            of_updates.setdefault(version.object_id, []).append(version)
    return Readings(
        appeal=reading(appeal, language, original=original, versions=own),
        language=language,
        original=original,
        update_versions=of_updates,
    )


# Detection --------------------------------------------------------------------------------------


def language_of(texts: Iterable[str], declared: str, *, confirmed: bool) -> str:
    """The language of what an author wrote: the declared one, unless detection finds another
    and the author did not confirm it (ValidationError, code "language_unconfirmed"); the
    detected one when none was declared (ValidationError, code "language_required", when nothing
    could be detected)."""
    texts = list(texts)
    if not declared:
        found, _certainty = detect("\n".join(texts))
        if not found:
            raise ValidationError(
                {
                    "language": ValidationError(
                        _("Say which language the text is written in."), code="language_required"
                    )
                }
            )
        return found
    check_language(texts, declared, confirmed=confirmed)
    return declared
