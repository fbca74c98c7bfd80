"""Writes on agreements and their tasks. Each checks its rule, validates, writes in a transaction
with its audit entry, and tells the organization concerned through a notice (core/notices.py).

An agreement is recorded by those who speak for the meeting's host, between two or more of the
meeting's participants (the host and the organizations that accepted their invitation), adopted
on a day of the meeting or after it. Its tasks are created and changed by the host's speakers,
each for one of the agreement's parties; the responsible organization's speakers follow them:
progress, notes, evidence, done or dropped. A done or dropped task is closed: nothing changes it.
"""

import datetime
import zoneinfo
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import once, submitted
from internationale.core.notices import notice_send
from internationale.core.services import require
from internationale.organizations.models import Organization

from .models import Agreement, AgreementParty, Invitation, Meeting, Task, TaskNote


def participants(meeting: Meeting) -> list[Organization]:
    """The organizations taking part in the meeting: its host and those that accepted."""
    accepted = Invitation.objects.filter(meeting=meeting, status=Invitation.Status.ACCEPTED).values(
        "organization_id"
    )
    return list(
        Organization.objects.filter(pk__in=accepted).exclude(pk=meeting.organization_id)
    ) + [meeting.organization]


def _local_day(meeting: Meeting, when: datetime.datetime) -> datetime.date:
    return when.astimezone(zoneinfo.ZoneInfo(meeting.time_zone)).date()


def _clean_parties(meeting: Meeting, parties: Sequence[Any]) -> list[Organization]:
    wanted = list(dict.fromkeys(getattr(p, "pk", p) for p in parties))
    taking_part = {o.pk: o for o in participants(meeting)}
    strangers = [pk for pk in wanted if pk not in taking_part]
    if strangers:
        raise ValidationError(
            {
                "parties": ValidationError(
                    _(
                        "The parties of an agreement take part in its meeting: the host and the "
                        "organizations that accepted."
                    ),
                    code="not_a_participant",
                )
            }
        )
    if len(wanted) < 2:
        raise ValidationError(
            {
                "parties": ValidationError(
                    _("An agreement has at least two parties."), code="too_few_parties"
                )
            }
        )
    return [taking_part[pk] for pk in wanted]


def agreement_create(
    *,
    actor: ActorLike,
    meeting: Meeting,
    title: str,
    text: str,
    parties: Sequence[Any],
    adopted_on: datetime.date,
    submission_key: str | None = None,
) -> Agreement:
    """Record an agreement adopted at the meeting between `parties` (organizations or ids)."""
    content = submitted(locals())
    require(
        actor,
        "cooperation.record_agreement",
        meeting,
        _("Only an admin or secretary of the host can record an agreement."),
    )
    members = _clean_parties(meeting, parties)
    first_day = _local_day(meeting, meeting.start_at)
    if adopted_on < first_day or adopted_on > _local_day(meeting, timezone.now()):
        raise ValidationError(
            {
                "adopted_on": ValidationError(
                    _(
                        "An agreement is adopted on a day of the meeting or after it, not later "
                        "than today."
                    ),
                    code="adopted_on_invalid",
                )
            }
        )
    agreement = Agreement(
        meeting=meeting,
        title=(title or "").strip(),
        text=(text or "").strip(),
        adopted_on=adopted_on,
        created_by=person(actor),
    )
    agreement.full_clean()

    @transaction.atomic
    def create() -> Agreement:
        agreement.save()
        AgreementParty.objects.bulk_create(
            [AgreementParty(agreement=agreement, organization=o) for o in members]
        )
        audit(
            actor=actor,
            action="agreement.create",
            target=agreement,
            organization=meeting.organization,
            title=agreement.title,
            parties=len(members),
        )
        notice_send(
            kind="agreement.recorded",
            source=agreement,
            organizations=[o.pk for o in members if o.pk != meeting.organization_id],
            params={"host": meeting.organization.name, "title": agreement.title},
            sender=meeting.organization,
        )
        return agreement

    created, _new = once(
        user=person(actor),
        scope="cooperation.agreement_create",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: Agreement.objects.get(pk=pk),
    )
    return created


def _responsible(agreement: Agreement, organization: Any) -> Organization:
    pk = getattr(organization, "pk", organization)
    found = Organization.objects.filter(
        pk=pk, pk__in=AgreementParty.objects.filter(agreement=agreement).values("organization_id")
    ).first()
    if found is None:
        raise ValidationError(
            {
                "organization": ValidationError(
                    _("A task is for one of the agreement's parties."), code="not_a_party"
                )
            }
        )
    return found


def _clean_deadline(agreement: Agreement, deadline: datetime.date) -> None:
    if deadline < agreement.adopted_on:
        raise ValidationError(
            {
                "deadline": ValidationError(
                    _("The deadline cannot come before the agreement was adopted."),
                    code="deadline_before_adoption",
                )
            }
        )


def _tell_assigned(task: Task) -> None:
    notice_send(
        kind="task.assigned",
        source=task,
        organizations=[task.organization_id],
        params={"title": task.title, "deadline": task.deadline.isoformat()},
        sender=task.agreement.meeting.organization_id,
    )


def task_create(
    *,
    actor: ActorLike,
    agreement: Agreement,
    title: str,
    organization: Any,
    deadline: datetime.date,
    description: str = "",
    submission_key: str | None = None,
) -> Task:
    """A task of the agreement for one of its parties, which is told."""
    content = submitted(locals())
    require(
        actor,
        "cooperation.add_task",
        agreement,
        _("Only an admin or secretary of the host can add tasks to the agreement."),
    )
    responsible = _responsible(agreement, organization)
    _clean_deadline(agreement, deadline)
    task = Task(
        agreement=agreement,
        title=(title or "").strip(),
        description=(description or "").strip(),
        organization=responsible,
        deadline=deadline,
        created_by=person(actor),
    )
    task.full_clean()

    @transaction.atomic
    def create() -> Task:
        task.save()
        audit(
            actor=actor,
            action="task.create",
            target=task,
            organization=agreement.meeting.organization,
            title=task.title,
            responsible=responsible.name,
        )
        _tell_assigned(task)
        return task

    created, _new = once(
        user=person(actor),
        scope="cooperation.task_create",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: Task.objects.get(pk=pk),
    )
    return created


def _require_pending(task: Task) -> None:
    if not task.is_pending:
        raise ValidationError(
            _("This task is %(status)s: it can no longer be changed.")
            % {"status": task.get_status_display().lower()},
            code="task_closed",
        )


def _locked(task: Task) -> Task:
    """The task's row, locked, still pending."""
    current = Task.objects.select_for_update().select_related("agreement__meeting").get(pk=task.pk)
    _require_pending(current)
    return current


TASK_EDITABLE = ("title", "description", "organization", "deadline")


def task_edit(*, actor: ActorLike, task: Task, **fields: Any) -> Task:
    """Change what the host said of a pending task. A new responsible organization is told; a new
    deadline is reminded of again (reminders.py)."""
    require(
        actor,
        "cooperation.change_task",
        task,
        _("Only an admin or secretary of the host can change the task."),
    )
    unknown = sorted(set(fields) - set(TASK_EDITABLE))
    if unknown:
        raise TypeError(f"not editable: {unknown}")
    _require_pending(task)
    if "organization" in fields:
        fields["organization"] = _responsible(task.agreement, fields["organization"])
    if "deadline" in fields:
        _clean_deadline(task.agreement, fields["deadline"])
    for name in ("title", "description"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    with transaction.atomic():
        current = _locked(task)
        changed = [name for name, value in fields.items() if getattr(current, name) != value]
        if not changed:
            return current
        for name in changed:
            setattr(current, name, fields[name])
        current.full_clean()
        current.save()
        audit(
            actor=actor,
            action="task.change",
            target=current,
            organization=current.agreement.meeting.organization,
            title=current.title,
            fields=changed,
        )
        if "organization" in changed:
            _tell_assigned(current)
    return current


def task_set_status(
    *, actor: ActorLike, task: Task, status: str, reason: str = "", note: str = ""
) -> Task:
    """Mark a pending task open or in progress, or drop it, which needs a reason. Done is
    `task_complete`, with evidence."""
    require(
        actor,
        "cooperation.act_on_task",
        task,
        _("Only an admin or secretary of the responsible organization can act on the task."),
    )
    _require_pending(task)
    allowed = (Task.Status.OPEN, Task.Status.IN_PROGRESS, Task.Status.DROPPED)
    if status not in allowed:
        raise ValidationError(
            {
                "status": ValidationError(
                    _("Choose open, in progress or dropped; a task is done with evidence."),
                    code="invalid_status",
                )
            }
        )
    reason = (reason or "").strip()
    if status == Task.Status.DROPPED and not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Say why the task is dropped."), code="reason_required")}
        )
    with transaction.atomic():
        current = _locked(task)
        if current.status == status:
            return current
        current.status = status
        if status == Task.Status.DROPPED:
            current.drop_reason = reason
            current.closed_at = timezone.now()
        current.save()
        audit(
            actor=actor,
            action="task.status",
            target=current,
            organization=current.organization,
            title=current.title,
            status=status,
        )
    return current


def task_complete(
    *,
    actor: ActorLike,
    task: Task,
    evidence_text: str = "",
    evidence_link: str = "",
    evidence_file: File | None = None,
) -> Task:
    """Mark the task done, with evidence: a text, a link or a file (checked as a pledge's,
    core/uploads.py). The host is told."""
    require(
        actor,
        "cooperation.act_on_task",
        task,
        _("Only an admin or secretary of the responsible organization can act on the task."),
    )
    _require_pending(task)
    if not ((evidence_text or "").strip() or evidence_link or evidence_file):
        raise ValidationError(
            _("Show what was done: a text, a link or a file."), code="evidence_required"
        )
    with transaction.atomic():
        current = _locked(task)
        current.evidence_text = (evidence_text or "").strip()
        current.evidence_link = evidence_link or ""
        if evidence_file is not None:
            current.evidence_file = evidence_file
        current.status = Task.Status.DONE
        current.closed_at = timezone.now()
        current.full_clean()
        current.save()
        audit(
            actor=actor,
            action="task.complete",
            target=current,
            organization=current.organization,
            title=current.title,
        )
        host = current.agreement.meeting.organization_id
        notice_send(
            kind="task.done",
            source=current,
            organizations=[host] if host != current.organization_id else [],
            params={"organization": current.organization.name, "title": current.title},
            sender=current.organization,
        )
    return current


def task_note_add(*, actor: ActorLike, task: Task, text: str) -> TaskNote:
    """A dated note on the task's progress, by its responsible organization."""
    require(
        actor,
        "cooperation.act_on_task",
        task,
        _("Only an admin or secretary of the responsible organization can act on the task."),
    )
    _require_pending(task)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ValidationError(_("Write the note."), code="text_required")})
    note = TaskNote(task=task, text=text, author=person(actor))
    note.full_clean()
    with transaction.atomic():
        note.save()
        audit(
            actor=actor,
            action="task.note",
            target=task,
            organization=task.organization,
            title=task.title,
        )
    return note
