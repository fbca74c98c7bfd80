"""A meeting's agenda: ordered items, each with an optional rapporteur (a participant), an
optional time slot within the meeting, and documents (links and checked files).

Writes check "cooperation.change_agenda" (the host's admins and secretaries), validate, write in a
transaction that holds the meeting's row, with an audit entry on the meeting. Once the meeting's
minutes are frozen (minutes.py), the agenda they record is refused every change.
"""

import datetime
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import once, submitted
from internationale.core.services import require
from internationale.core.uploads import checked_document
from internationale.core.visibility import Access
from internationale.core.zones import local_moment
from internationale.organizations.models import Organization
from internationale.translation.detection import detected_language, language_unconfirmed

from .languages import versions_request
from .models import (
    AgendaDocument,
    AgendaItem,
    Invitation,
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesCorrection,
)


def _denied() -> str:
    return _("Only an admin or secretary of the host can change the agenda.")


ITEM_FIELDS = ("title", "description", "rapporteur", "start", "end")


# Reads -------------------------------------------------------------------------------------------


def participants(meeting: Meeting) -> set[int]:
    """The host and the organizations invited that have not declined."""
    invited = Invitation.objects.filter(meeting=meeting).exclude(status=Invitation.Status.DECLINED)
    return {meeting.organization_id, *invited.values_list("organization_id", flat=True)}


def participant_choices(meeting: Meeting) -> list[Organization]:
    return list(Organization.objects.filter(pk__in=participants(meeting)).order_by("name"))


def later_meetings(meeting: Meeting) -> QuerySet[Meeting]:
    """Where an item not reached may go, not cancelled: for an edition of a series, the later
    editions of the series; for another meeting, the meetings of the same host that start later."""
    later = Meeting.objects.filter(
        organization_id=meeting.organization_id,
        start_at__gt=meeting.start_at,
        cancelled_at__isnull=True,
    )
    if meeting.series_id is not None:
        later = later.filter(series_id=meeting.series_id)
    return later.order_by("start_at", "pk")


def agenda_list(access: Access[Meeting]) -> list[AgendaItem]:
    """The agenda of a meeting the viewer sees (`selectors.meeting_access`), in its order."""
    return list(
        AgendaItem.objects.filter(meeting=access.obj)
        .select_related("rapporteur")
        .prefetch_related("documents")
        .order_by("position", "pk")
    )


def agenda_item_get(access: Access[Meeting], pk: int) -> AgendaItem:
    item = AgendaItem.objects.select_related("rapporteur").filter(meeting=access.obj, pk=pk).first()
    if item is None:
        raise Http404
    item.meeting = access.obj
    return item


def agenda_document_get(access: Access[Meeting], pk: int) -> AgendaDocument:
    document = (
        AgendaDocument.objects.select_related("item")
        .filter(item__meeting=access.obj, pk=pk)
        .first()
    )
    if document is None:
        raise Http404
    document.item.meeting = access.obj
    return document


# Checks ------------------------------------------------------------------------------------------


def require_change(actor: ActorLike, meeting: Meeting) -> None:
    require(actor, "cooperation.change_agenda", meeting, _denied())


def require_not_frozen(meeting: Meeting) -> None:
    """Refuse any change to a meeting whose minutes are frozen. Call with the meeting's row
    held (`_locked`), so that freezing and the change never cross."""
    if Minutes.objects.filter(meeting=meeting, status=Minutes.Status.FROZEN).exists():
        raise ValidationError(
            _(
                "The minutes of this meeting are frozen: its agenda and minutes can no longer "
                "be changed."
            ),
            code="minutes_frozen",
        )


def check_item_language(meeting: Meeting, title: str, description: str, confirmed: bool) -> None:
    """An item's texts are the meeting's original, written in its language: when detection is
    sure of another (translation/detection.py), the host is asked to confirm (code
    "language_unconfirmed", on the description, or on the title without one) and nothing is
    written until then."""
    if confirmed or not meeting.language:
        return
    detected = detected_language([title, description], meeting.language)
    if detected:
        field = "description" if description else "title"
        raise language_unconfirmed(detected, meeting.language, field=field, fixed=True)


# Once submitted minutes change, those who attended have at least this long to read them again
# before the deadline may freeze them.
REVIEW_TIME = datetime.timedelta(days=3)


def reopen_review(meeting: Meeting) -> None:
    """After a change to the agenda or minutes of a meeting whose minutes are submitted: the
    approvals given go (they were given to another text), and the deadline leaves at least
    REVIEW_TIME to read the new one. With the meeting's row held."""
    minutes = Minutes.objects.filter(meeting=meeting, status=Minutes.Status.SUBMITTED).first()
    if minutes is None:
        return
    MinutesApproval.objects.filter(minutes=minutes).delete()
    earliest = timezone.now() + REVIEW_TIME
    if minutes.approval_deadline is None or minutes.approval_deadline < earliest:
        minutes.approval_deadline = earliest
        minutes.save(update_fields=["approval_deadline"])


def open_for_change(meeting: Meeting) -> Meeting:
    """Refuse a change once the minutes are frozen; else reopen their review when submitted."""
    require_not_frozen(meeting)
    reopen_review(meeting)
    return meeting


def require_no_open_correction(item: AgendaItem) -> None:
    if MinutesCorrection.objects.filter(item=item, status=MinutesCorrection.Status.OPEN).exists():
        raise ValidationError(
            _("A correction to this item's minutes is open: answer it first."),
            code="correction_open",
        )


def locked(meeting: Meeting) -> Meeting:
    """The meeting's row, held until the transaction ends: changes to its agenda and minutes
    happen one after the other."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _rapporteur(meeting: Meeting, organization: Organization | None) -> Organization | None:
    if organization is not None and organization.pk not in participants(meeting):
        raise ValidationError(
            {
                "rapporteur": ValidationError(
                    _(
                        "The rapporteur must take part in the meeting: the host, or an "
                        "organization invited that has not declined."
                    ),
                    code="not_a_participant",
                )
            }
        )
    return organization


def _aware(when: datetime.datetime, meeting: Meeting, field: str) -> datetime.datetime:
    """A local time of the meeting's zone, or an aware time as it is. A local time the clocks
    skip there is refused; of one they show twice, the first is meant (a slot's or a deadline's
    hour that night is rare, and the earlier reading never makes one late)."""
    if timezone.is_naive(when):
        return local_moment(when, zoneinfo.ZoneInfo(meeting.time_zone), fold=0, field=field)
    return when


def _slot(
    meeting: Meeting, start: datetime.datetime | None, end: datetime.datetime | None
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """A time slot within the meeting, both ends given, or none."""
    if start is None and end is None:
        return None, None
    if start is None or end is None:
        field = "start" if start is None else "end"
        raise ValidationError(
            {
                field: ValidationError(
                    _("A time slot has a start and an end: give both, or neither."),
                    code="slot_incomplete",
                )
            }
        )
    starts_at, ends_at = _aware(start, meeting, "start"), _aware(end, meeting, "end")
    if ends_at <= starts_at:
        raise ValidationError(
            {
                "end": ValidationError(
                    _("The end must come after the start."), code="end_before_start"
                )
            }
        )
    if starts_at < meeting.start_at or ends_at > meeting.end_at:
        raise ValidationError(
            {
                "start": ValidationError(
                    _("The time slot must lie within the meeting."), code="slot_outside"
                )
            }
        )
    return starts_at, ends_at


# Writes ------------------------------------------------------------------------------------------


def agenda_item_add(
    *,
    actor: ActorLike,
    meeting: Meeting,
    title: str,
    description: str = "",
    rapporteur: Organization | None = None,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    language_confirmed: bool = False,
    submission_key: str | None = None,
) -> AgendaItem:
    """An item at the end of the agenda. Its texts in another language than the meeting's are
    refused until the host confirms them (`language_confirmed`, check_item_language)."""
    content = submitted(locals())
    require(actor, "cooperation.change_agenda", meeting, _denied())
    starts_at, ends_at = _slot(meeting, start, end)
    item = AgendaItem(
        meeting=meeting,
        position=0,
        title=(title or "").strip(),
        description=(description or "").strip(),
        rapporteur=_rapporteur(meeting, rapporteur),
        starts_at=starts_at,
        ends_at=ends_at,
    )
    item.full_clean(exclude=["position"])
    check_item_language(meeting, item.title, item.description, language_confirmed)

    @transaction.atomic
    def create() -> AgendaItem:
        open_for_change(locked(meeting))
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"]
        item.position = (last or 0) + 1
        item.save()
        audit(
            actor=actor,
            action="agenda.add",
            target=meeting,
            organization=meeting.organization,
            title=meeting.title,
            item=item.title,
        )
        versions_request(meeting)
        return item

    created, _new = once(
        user=person(actor),
        scope="cooperation.agenda_item_add",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: AgendaItem.objects.get(pk=pk),
    )
    return created


def agenda_item_edit(
    *, actor: ActorLike, item: AgendaItem, language_confirmed: bool = False, **fields: Any
) -> AgendaItem:
    """Change an item; fields left out keep their value. A slot is given whole (start and end).
    A title or description changed into another language than the meeting's is refused until the
    host confirms it (`language_confirmed`, check_item_language)."""
    meeting = item.meeting
    require(actor, "cooperation.change_agenda", meeting, _denied())
    unknown = sorted(set(fields) - set(ITEM_FIELDS))
    if unknown:
        raise TypeError(f"not editable: {unknown}")
    with transaction.atomic():
        open_for_change(locked(meeting))
        current = AgendaItem.objects.select_for_update().get(pk=item.pk)
        values: dict[str, Any] = {}
        for name in ("title", "description"):
            if name in fields:
                values[name] = (fields[name] or "").strip()
        if "rapporteur" in fields:
            values["rapporteur_id"] = getattr(
                _rapporteur(meeting, fields["rapporteur"]), "pk", None
            )
        if "start" in fields or "end" in fields:
            values["starts_at"], values["ends_at"] = _slot(
                meeting,
                fields.get("start", current.starts_at),
                fields.get("end", current.ends_at),
            )
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        if not changed:
            return current
        for name in changed:
            setattr(current, name, values[name])
        current.full_clean()
        if {"title", "description"} & set(changed):
            check_item_language(meeting, current.title, current.description, language_confirmed)
        current.save()
        audit(
            actor=actor,
            action="agenda.change",
            target=meeting,
            organization=meeting.organization,
            title=meeting.title,
            item=current.title,
            # What changed (title, description, rapporteur, slot): federation sends the
            # meeting's `Event` again only when it shows it (federation/meetings.py).
            fields=sorted(changed),
        )
        if {"title", "description"} & set(changed):
            versions_request(meeting)
    return current


def agenda_item_remove(*, actor: ActorLike, item: AgendaItem) -> None:
    """Remove an item, with its documents and minutes."""
    meeting = item.meeting
    require(actor, "cooperation.change_agenda", meeting, _denied())
    with transaction.atomic():
        open_for_change(locked(meeting))
        require_no_open_correction(item)
        files = [d.file for d in AgendaDocument.objects.filter(item=item).exclude(file="")]

        def delete_files() -> None:
            for stored in files:
                stored.delete(save=False)

        transaction.on_commit(delete_files)
        AgendaItem.objects.filter(pk=item.pk).delete()
        audit(
            actor=actor,
            action="agenda.remove",
            target=meeting,
            organization=meeting.organization,
            title=meeting.title,
            item=item.title,
        )
        versions_request(meeting)


def agenda_item_shift(*, actor: ActorLike, item: AgendaItem, direction: str) -> AgendaItem:
    """Move an item one place up or down the agenda; at the top (or bottom) it stays."""
    meeting = item.meeting
    require(actor, "cooperation.change_agenda", meeting, _denied())
    if direction not in ("up", "down"):
        raise ValidationError(
            {"direction": ValidationError(_("Choose up or down."), code="invalid")}
        )
    with transaction.atomic():
        open_for_change(locked(meeting))
        items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        swap = index - 1 if direction == "up" else index + 1
        if not 0 <= swap < len(items):
            return items[index]
        items[index], items[swap] = items[swap], items[index]
        for position, other in enumerate(items, start=1):
            other.position = position
        AgendaItem.objects.bulk_update(items, ["position"])
        audit(
            actor=actor,
            action="agenda.reorder",
            target=meeting,
            organization=meeting.organization,
            title=meeting.title,
            item=item.title,
        )
        return items[swap]


def agenda_item_move(*, actor: ActorLike, item: AgendaItem, target: Meeting) -> AgendaItem:
    """Move an item not reached, with its documents, to the end of the agenda of a later meeting
    of the same host (`later_meetings`). Its time slot stays behind; its rapporteur goes with it
    if that organization takes part in the later meeting too."""
    meeting = item.meeting
    require(actor, "cooperation.change_agenda", meeting, _denied())
    if not later_meetings(meeting).filter(pk=target.pk).exists():
        raise ValidationError(
            {
                "meeting": ValidationError(
                    _("Choose a later meeting of the same host."), code="not_a_later_meeting"
                )
            }
        )
    with transaction.atomic():
        # The two rows in the order of their ids, as every change holds them: never a deadlock.
        for held in sorted([meeting, target], key=lambda m: m.pk):
            open_for_change(locked(held))
        current = AgendaItem.objects.select_for_update().get(pk=item.pk)
        require_no_open_correction(current)
        if current.minutes.strip():
            raise ValidationError(
                _("This item has minutes: it was reached, and stays with its meeting."),
                code="item_reached",
            )
        last = AgendaItem.objects.filter(meeting=target).aggregate(last=Max("position"))["last"]
        current.meeting = target
        current.position = (last or 0) + 1
        current.starts_at = current.ends_at = None
        if current.rapporteur_id and current.rapporteur_id not in participants(target):
            current.rapporteur = None
        current.save()
        audit(
            actor=actor,
            action="agenda.move",
            target=meeting,
            organization=meeting.organization,
            title=meeting.title,
            item=current.title,
            to=target.title,
            to_id=target.pk,
        )
        versions_request(meeting)
        versions_request(target)
    return current


def agenda_document_add(
    *,
    actor: ActorLike,
    item: AgendaItem,
    title: str,
    link: str = "",
    file: UploadedFile | None = None,
) -> AgendaDocument:
    """Attach a link or a file (checked by its size and content, core/uploads.py) to an item."""
    meeting = item.meeting
    require(actor, "cooperation.change_agenda", meeting, _denied())
    link = (link or "").strip()
    if bool(link) == bool(file):
        raise ValidationError(
            {
                "link": ValidationError(
                    _("Give a link or a file, one of the two."), code="link_or_file"
                )
            }
        )
    if file is not None:
        try:
            file = checked_document(file)
        except ValidationError as error:
            raise ValidationError({"file": error}) from None
    document = AgendaDocument(
        item=item, title=(title or "").strip(), link=link, added_by=person(actor)
    )
    document.full_clean(exclude=["file"])
    with transaction.atomic():
        open_for_change(locked(meeting))
        if file is not None:
            document.file.save(file.name or "document", file, save=False)
        document.save()
        audit(
            actor=actor,
            action="agenda.document",
            target=meeting,
            organization=meeting.organization,
            title=meeting.title,
            item=item.title,
            document=document.title,
        )
        versions_request(meeting)  # its title is one of the meeting's texts (languages.py)
    return document


def agenda_document_remove(*, actor: ActorLike, document: AgendaDocument) -> None:
    meeting = document.item.meeting
    require(actor, "cooperation.change_agenda", meeting, _denied())
    with transaction.atomic():
        open_for_change(locked(meeting))
        AgendaDocument.objects.filter(pk=document.pk).delete()
        if document.file:
            transaction.on_commit(lambda: document.file.delete(save=False))
        audit(
            actor=actor,
            action="agenda.document_remove",
            target=meeting,
            organization=meeting.organization,
            title=meeting.title,
            item=document.item.title,
            document=document.title,
        )
        versions_request(meeting)
