"""Reports back: what happened at a local action, told by its organization once the action has
started, with its participants (as the organization reports them), its outcome, links to press
coverage and photos; the callers' approval of the aggregated report, which publishes it to the
library once every caller approved.

A report before its action starts is refused, and one for a withdrawn action. Participants are
from 0 to 10,000,000. Photos go through the platform's upload checks (core/uploads.py), as the
evidence of pledges does: decoded and encoded again, so that their EXIF data (the GPS position,
the camera, the time) never reaches the storage. The faces in them are the reporting
organization's responsibility: the form says so.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, System, person
from internationale.core.audit import audit
from internationale.core.idempotency import once, submitted
from internationale.core.notices import notice_send
from internationale.core.predicates import SPEAKING_ROLES, organizations_of
from internationale.core.services import require
from internationale.core.uploads import IMAGE_FORMATS, image_without_metadata
from internationale.library import services as library
from internationale.library.models import Document
from internationale.organizations.models import Organization
from internationale.organizations.reference import normalize_language

from . import rules_reports  # noqa: F401  (the rules checked here)
from .local import clean_participants
from .models import DayOfAction, LocalAction, Report, ReportApproval, ReportPhoto
from .rules import callers_of

MAX_PRESS_LINKS = 10
MAX_PHOTOS = 10
PHOTO_MAX_BYTES = 10 * 1024 * 1024
# Photos are scaled down to this many pixels wide and high: enough for a report, light to read.
PHOTO_MAX_SIDE = 2400


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def clean_press_links(links: Sequence[str] | str | None) -> list[str]:
    """The addresses of press coverage, one a line or a list: http(s) only, at most ten."""
    if links is None:
        return []
    if isinstance(links, str):
        links = links.splitlines()
    if not isinstance(links, (list, tuple)) or not all(isinstance(x, str) for x in links):
        raise _error("press_links", _("Give the links as a list of addresses."), "invalid")
    cleaned = list(dict.fromkeys(x.strip() for x in links if x.strip()))
    if len(cleaned) > MAX_PRESS_LINKS:
        raise _error(
            "press_links",
            _("Give at most %(n)d links to press coverage.") % {"n": MAX_PRESS_LINKS},
            "too_many",
        )
    check = URLValidator(schemes=["http", "https"])
    for link in cleaned:
        try:
            if len(link) > 500:
                raise ValidationError("too long")
            check(link)
        except ValidationError:
            raise _error(
                "press_links",
                _("“%(link)s” is not a web address (http:// or https://).") % {"link": link[:80]},
                "invalid_link",
            ) from None
    return cleaned


def checked_photo(upload: UploadedFile) -> UploadedFile:
    """A photo as it is stored: a still JPEG, PNG, GIF or WebP of at most 10 MB, encoded again
    without its metadata and scaled down to PHOTO_MAX_SIDE pixels at most; else ValidationError."""
    if upload.size and upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The photo is too large: at most %(size)s."),
            code="file_too_large",
            params={"size": filesizeformat(PHOTO_MAX_BYTES)},
        )
    try:
        return image_without_metadata(upload, formats=IMAGE_FORMATS, max_side=PHOTO_MAX_SIDE)
    except ValidationError as error:
        if error.code == "image_invalid":
            raise ValidationError(
                _("This file is not a photo: give a JPEG, PNG, GIF or WebP image."),
                code="image_invalid",
            ) from None
        raise


def _clean_language(language: str) -> str:
    if not language:
        return ""
    try:
        return normalize_language(language)
    except ValueError:
        raise _error(
            "language", _("Give the language as a language tag, such as en or ko."), "invalid"
        ) from None


def _require_reportable(action: LocalAction) -> None:
    if action.cancelled_at is not None:
        raise ValidationError(_("A withdrawn action has no report."), code="action_withdrawn")
    if timezone.now() < action.start_at:
        raise ValidationError(
            _("Report back once the action has started."), code="action_not_started"
        )


def report_submit(
    *,
    actor: ActorLike,
    action: LocalAction,
    text: str,
    outcome: str,
    participants: int | None = None,
    press_links: Sequence[str] | str | None = None,
    language: str = "",
    photos: Sequence[tuple[UploadedFile, str]] = (),
    submission_key: str | None = None,
) -> Report:
    """Report back on `action`, or change its report (one per action): for those who speak for
    the action's organization, once the action has started. Photos given are added (each
    checked and stripped of its metadata). The callers are told of a new report."""
    arguments = dict(locals())
    content = submitted({**arguments, "photos": [(getattr(f, "name", ""), c) for f, c in photos]})
    require(
        actor,
        "actions.report_action",
        action,
        _("Only an admin or secretary of the action's organization can report back on it."),
    )
    _require_reportable(action)
    if outcome not in Report.Outcome.values:
        raise _error("outcome", _("Choose an outcome from the list."), "invalid_choice")
    text = (text or "").strip()
    if not text:
        raise _error("text", _("Say what happened."), "required")
    links = clean_press_links(press_links)
    count = clean_participants(participants, field="participants")
    language = _clean_language(language)
    existing = Report.objects.filter(action=action).first()
    if len(photos) + (existing.photos.count() if existing else 0) > MAX_PHOTOS:
        raise _error(
            "photos", _("A report has at most %(n)d photos.") % {"n": MAX_PHOTOS}, "too_many"
        )
    checked = []
    for upload, caption in photos:
        try:
            checked.append((checked_photo(upload), (caption or "").strip()[:300]))
        except ValidationError as error:
            raise ValidationError({"photos": error}) from None
    report = existing or Report(action=action, created_by=person(actor))
    report.text, report.outcome, report.participants = text, outcome, count
    report.press_links, report.language = links, language or report.language
    report.full_clean(exclude=["action"] if existing is None else None)
    day = action.day

    @transaction.atomic
    def save() -> Report:
        new = report.pk is None
        report.save()
        for file, caption in checked:
            ReportPhoto.objects.create(
                report=report,
                file=file,
                caption=caption,
                size=file.size or 0,
                added_by=person(actor),
            )
        audit(
            actor=actor,
            action="report.submit" if new else "report.change",
            target=report,
            organization=action.organization,
            title=day.title,
            city=action.city,
        )
        republish(day)
        if new:
            notice_send(
                kind="day.reported",
                source=action,
                organizations=sorted(callers_of(day) - {action.organization_id}),
                params={
                    "organization": action.organization.name,
                    "city": action.city,
                    "title": day.title,
                    "participants": count,
                },
                sender=action.organization,
            )
        return report

    if existing is not None:
        return save()
    created, _new = once(
        user=person(actor),
        scope="actions.report_submit",
        key=submission_key,
        submitted=content,
        create=save,
        fetch=lambda pk: Report.objects.get(pk=pk),
    )
    return created


def report_photo_add(
    *, actor: ActorLike, report: Report, upload: UploadedFile, caption: str = ""
) -> ReportPhoto:
    """Add a photo to a report (checked and stripped of its metadata): for those who speak for
    the action's organization, at most MAX_PHOTOS a report."""
    action = report.action
    require(
        actor,
        "actions.report_action",
        action,
        _("Only an admin or secretary of the action's organization can add photos."),
    )
    if report.photos.count() >= MAX_PHOTOS:
        raise _error(
            "photo", _("A report has at most %(n)d photos.") % {"n": MAX_PHOTOS}, "too_many"
        )
    try:
        file = checked_photo(upload)
    except ValidationError as error:
        raise ValidationError({"photo": error}) from None
    with transaction.atomic():
        photo = ReportPhoto.objects.create(
            report=report,
            file=file,
            caption=(caption or "").strip()[:300],
            size=file.size or 0,
            added_by=person(actor),
        )
        audit(
            actor=actor,
            action="report.photo_add",
            target=report,
            organization=action.organization,
            title=action.day.title,
            city=action.city,
        )
    return photo


def report_photo_remove(*, actor: ActorLike, photo: ReportPhoto) -> None:
    """Remove a photo of a report (its file too): for those who speak for the action's
    organization."""
    action = photo.report.action
    require(
        actor,
        "actions.report_action",
        action,
        _("Only an admin or secretary of the action's organization can remove its photos."),
    )
    with transaction.atomic():
        audit(
            actor=actor,
            action="report.photo_remove",
            target=photo.report,
            organization=action.organization,
            title=action.day.title,
            city=action.city,
        )
        photo.file.delete(save=False)
        photo.delete()


def approvals(day: DayOfAction) -> dict[int, ReportApproval]:
    return {a.organization_id: a for a in ReportApproval.objects.filter(day=day)}


def report_approve(*, actor: ActorLike, day: DayOfAction, organization: Organization) -> bool:
    """`organization`, one of the callers, approves the aggregated report; once every caller
    approved, it is published to the library as a report-back document of the calling
    organization, for the day's readers. True when this approval published it."""
    require(
        actor,
        "actions.approve_report",
        day,
        _("Only an admin or secretary of a caller can approve the report."),
    )
    callers = callers_of(day)
    if organization.pk not in callers or organization.pk not in organizations_of(
        actor, SPEAKING_ROLES
    ):
        raise _error("organization", _("Name a caller you speak for."), "not_speaking")
    if day.report_published_at is not None:
        raise ValidationError(_("The report is already published."), code="published")
    if not Report.objects.filter(action__day=day, action__cancelled_at__isnull=True).exists():
        raise ValidationError(
            _("There is no report back yet: the report is approved once there is one."),
            code="no_report",
        )
    with transaction.atomic():
        locked = DayOfAction.objects.select_for_update().get(pk=day.pk)
        _row, created = ReportApproval.objects.get_or_create(
            day=locked, organization=organization, defaults={"approved_by": person(actor)}
        )
        if created:
            audit(
                actor=actor,
                action="day.report_approve",
                target=locked,
                organization=organization,
                title=locked.title,
            )
        if set(approvals(locked)) >= callers and locked.report_published_at is None:
            _publish(locked)
            day.report_published_at = locked.report_published_at
            day.report_document_id = locked.report_document_id
            return True
    return False


def report_approval_withdraw(
    *, actor: ActorLike, day: DayOfAction, organization: Organization
) -> bool:
    """`organization`, one of the callers, takes back its approval of the aggregated report: the
    report goes back to where it was before that approval. If every caller had approved, it was
    published: its document is deleted from the library (with its language versions) and the
    callers are told; approving again publishes it anew. Who may approve may withdraw, for a
    caller they speak for. True when this withdrawal took the report out of the library."""
    require(
        actor,
        "actions.approve_report",
        day,
        _("Only an admin or secretary of a caller can withdraw an approval of the report."),
    )
    if organization.pk not in callers_of(day) or organization.pk not in organizations_of(
        actor, SPEAKING_ROLES
    ):
        raise _error("organization", _("Name a caller you speak for."), "not_speaking")
    with transaction.atomic():
        locked = DayOfAction.objects.select_for_update().get(pk=day.pk)
        approval = ReportApproval.objects.filter(day=locked, organization=organization).first()
        if approval is None:
            raise _error(
                "organization",
                _("This organization has not approved the report: there is nothing to withdraw."),
                "not_approved",
            )
        was_published = locked.report_published_at is not None
        approval.delete()
        audit(
            actor=actor,
            action="day.report_approval_withdraw",
            target=locked,
            organization=organization,
            title=locked.title,
        )
        if was_published:
            _unpublish(locked)
        day.report_published_at = locked.report_published_at
        day.report_document_id = locked.report_document_id
    return was_published


def _unpublish(day: DayOfAction) -> None:
    """The report as it was before it was published: no document in the library."""
    document = day.report_document
    if document is not None:  # else deleted from the library by its organization already
        library.document_delete(
            actor=System(reason="an approval of the report of a day of action withdrawn"),
            document=document,
        )
    day.report_document = None
    day.report_published_at = None
    day.save(update_fields=["report_document", "report_published_at", "updated_at"])
    notice_send(
        kind="day.report_unpublished",
        source=day,
        organizations=sorted(callers_of(day)),
        params={"title": day.title},
        sender=None,
    )


def _aggregated(day: DayOfAction) -> tuple[str, str]:
    """The published report's summary and text (Markdown), in the day's language."""
    from .aggregate import aggregate_markdown, day_aggregate

    with translation.override(day.language):
        found = day_aggregate(day=day)
        return found.summary(), aggregate_markdown(found)


def republish(day: DayOfAction) -> None:
    """Once the report is published, a report sent or changed later, or an action withdrawn,
    changes its library document too (its machine versions are then made again): the
    document says what the reports say now."""
    if day.report_document_id is None:
        return
    summary, body = _aggregated(day)
    document = Document.objects.filter(pk=day.report_document_id).first()
    if document is None:  # deleted from the library by its organization: left deleted
        return
    library.document_update(
        actor=System(reason="report of a day of action changed after its publication"),
        document=document,
        summary=summary,
        body=body,
        language_confirmed=True,
    )


def _publish(day: DayOfAction) -> None:
    summary, body = _aggregated(day)
    with translation.override(day.language):
        document = library.document_create(
            actor=System(reason="report of a day of action approved by its callers"),
            organization=day.organization,
            kind="report_back",
            title=_("Report: %(title)s") % {"title": day.title},
            language=day.language,
            summary=summary,
            body=body,
            visibility=day.visibility,
            tags=["day-of-action"],
            language_confirmed=True,
        )
    day.report_document = document
    day.report_published_at = timezone.now()
    day.save(update_fields=["report_document", "report_published_at", "updated_at"])
    notice_send(
        kind="day.report_published",
        source=day,
        organizations=sorted(callers_of(day)),
        params={"title": day.title},
        sender=None,
    )


def photo_get(*, report: Report, pk: int) -> ReportPhoto:
    found = ReportPhoto.objects.filter(report=report, pk=pk).first()
    if found is None:
        raise Http404
    return found


def report_of(action: LocalAction) -> Report | None:
    return Report.objects.filter(action=action).prefetch_related("photos").first()
