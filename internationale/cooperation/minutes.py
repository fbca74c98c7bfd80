"""A meeting's minutes: recorded per agenda item by the host, submitted for approval with a
deadline, approved by each participant that attended (its invitation accepted), or corrected on
one item's minutes through a proposal the host accepts (its text applied) or rejects (with a
reason).

The minutes freeze once every participant that attended has approved, or once the deadline has
passed, and in both cases no correction is open: on the approval (or answer) that completes them,
or by the periodic task `freeze_due_minutes` for deadlines. Frozen, nothing in them or in the
agenda changes again. A change of the text by the host after submission (an edit, or a correction
accepted) removes the approvals given: they approved another text.
"""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from internationale.core.actors import ActorLike, System, person
from internationale.core.audit import audit
from internationale.core.notices import notice_send
from internationale.core.services import require
from internationale.core.visibility import Access
from internationale.core.zones import local_moment
from internationale.organizations.models import Organization
from internationale.translation.detection import check_language

from .agenda import locked, reopen_review, require_not_frozen
from .languages import versions_request
from .models import (
    AgendaItem,
    Invitation,
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesCorrection,
)


def _host_only() -> str:
    return _("Only an admin or secretary of the host can record the minutes.")


def _participants_only() -> str:
    return _("Only an admin or secretary of an organization invited can approve the minutes.")


# Reads -------------------------------------------------------------------------------------------


def attended(meeting: Meeting) -> list[int]:
    """The participants whose approval the minutes need: the organizations that accepted."""
    return list(
        Invitation.objects.filter(meeting=meeting, status=Invitation.Status.ACCEPTED)
        .order_by("organization_id")
        .values_list("organization_id", flat=True)
    )


def minutes_of(meeting: Meeting) -> Minutes:
    """The meeting's minutes, a draft with nothing in it if none was recorded yet (unsaved)."""
    found = Minutes.objects.filter(meeting=meeting).first()
    return found or Minutes(meeting=meeting)


def minutes_get(access: Access[Meeting]) -> Minutes:
    """The minutes of a meeting the viewer sees: a draft is the host's own (404 for others)."""
    minutes = minutes_of(access.obj)
    if minutes.status == Minutes.Status.DRAFT and not access.owner:
        raise Http404
    minutes.meeting = access.obj
    return minutes


def correction_list(minutes: Minutes) -> list[MinutesCorrection]:
    if minutes.pk is None:
        return []
    return list(
        MinutesCorrection.objects.filter(minutes=minutes)
        .select_related("item", "organization")
        .order_by("-pk")
    )


def approval_list(minutes: Minutes) -> list[MinutesApproval]:
    if minutes.pk is None:
        return []
    return list(MinutesApproval.objects.filter(minutes=minutes).select_related("organization"))


def correction_get(minutes: Minutes, pk: int) -> MinutesCorrection:
    found = (
        MinutesCorrection.objects.filter(minutes_id=minutes.pk, pk=pk)
        .select_related("item", "organization")
        .first()
    )
    if found is None:
        raise Http404
    found.minutes = minutes
    return found


# Checks ------------------------------------------------------------------------------------------


def _held(meeting: Meeting) -> Minutes:
    """The meeting's row held and its minutes, created as a draft when missing; refused when
    frozen."""
    locked(meeting)
    require_not_frozen(meeting)
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    return minutes


def _require_submitted(minutes: Minutes) -> None:
    if minutes.status != Minutes.Status.SUBMITTED:
        raise ValidationError(
            _("The minutes have not been submitted for approval yet."),
            code="minutes_not_submitted",
        )


def _require_attended(meeting: Meeting, organization: Organization) -> None:
    if organization.pk not in attended(meeting):
        raise ValidationError(
            _(
                "%(organization)s did not take part in this meeting (its invitation is not "
                "accepted): it does not approve or correct the minutes."
            )
            % {"organization": organization.name},
            code="did_not_attend",
        )


def _reset_approvals(actor: ActorLike, minutes: Minutes) -> None:
    reopen_review(minutes.meeting)
    minutes.refresh_from_db(fields=["approval_deadline"])


def _freeze_if_complete(actor: ActorLike, minutes: Minutes, now: datetime.datetime) -> bool:
    """Freeze submitted minutes with no open correction that every participant that attended has
    approved, or whose deadline has passed. Inside the transaction holding the meeting's row."""
    if minutes.status != Minutes.Status.SUBMITTED:
        return False
    if minutes.meeting.organization.remote_actor_url:
        return False  # a meeting of another server: its host freezes its minutes there
    if MinutesCorrection.objects.filter(
        minutes=minutes, status=MinutesCorrection.Status.OPEN
    ).exists():
        return False
    meeting = minutes.meeting
    needed = set(attended(meeting))
    approved = set(
        MinutesApproval.objects.filter(minutes=minutes).values_list("organization_id", flat=True)
    )
    deadline_passed = minutes.approval_deadline is not None and minutes.approval_deadline <= now
    if not (deadline_passed or (needed and needed <= approved)):
        return False
    _freeze(actor, minutes, now, len(needed & approved), len(needed))
    return True


def minutes_frozen_by_host(*, actor: ActorLike, meeting: Meeting) -> bool:
    """The host of a meeting of another server froze its minutes there (its server says so):
    frozen here, as the last approval freezes a local meeting's; False when they are not
    submitted here (a draft, or frozen already)."""
    require(actor, "cooperation.record_minutes", meeting, _host_only())
    now = timezone.now()
    with transaction.atomic():
        minutes = _held(meeting)
        minutes.meeting = meeting
        if minutes.status != Minutes.Status.SUBMITTED:
            return False
        needed = set(attended(meeting))
        approved = set(
            MinutesApproval.objects.filter(minutes=minutes).values_list(
                "organization_id", flat=True
            )
        )
        _freeze(actor, minutes, now, len(needed & approved), len(needed))
    return True


def _freeze(
    actor: ActorLike, minutes: Minutes, now: datetime.datetime, approved: int, took_part: int
) -> None:
    meeting = minutes.meeting
    minutes.status = Minutes.Status.FROZEN
    minutes.frozen_at = now
    minutes.save(update_fields=["status", "frozen_at", "updated_at"])
    audit(
        actor=actor,
        action="minutes.freeze",
        target=meeting,
        organization=meeting.organization,
        title=meeting.title,
        approved=approved,
        attended=took_part,
    )
    everyone = Invitation.objects.filter(meeting=meeting).exclude(status=Invitation.Status.DECLINED)
    notice_send(
        kind="minutes.frozen",
        source=minutes,
        organizations=[
            meeting.organization_id,
            *everyone.values_list("organization_id", flat=True),
        ],
        params={"title": meeting.title},
        sender=meeting.organization,
    )
    # Approved: the minutes as frozen, in the participants' languages (languages.py).
    versions_request(meeting)


# Writes ------------------------------------------------------------------------------------------


def minutes_record(
    *, actor: ActorLike, item: AgendaItem, text: str, language_confirmed: bool = False
) -> AgendaItem:
    """Record (or change) the minutes of one agenda item. After submission, approvals given are
    removed: they approved another text. Minutes are written in the meeting's language: a text
    that detection finds in another is refused until the host confirms it
    (`language_confirmed`, translation/detection.py)."""
    meeting = item.meeting
    require(actor, "cooperation.record_minutes", meeting, _host_only())
    text = (text or "").strip()
    check_language([text], meeting.language, confirmed=language_confirmed, field="text", fixed=True)
    with transaction.atomic():
        minutes = _held(meeting)
        current = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if current.minutes == text:
            return current
        current.minutes = text
        current.save(update_fields=["minutes", "updated_at"])
        _reset_approvals(actor, minutes)
        audit(
            actor=actor,
            action="minutes.record",
            target=meeting,
            organization=meeting.organization,
            title=meeting.title,
            item=current.title,
        )
        if minutes.status != Minutes.Status.DRAFT:  # a draft is the host's own: not translated
            versions_request(meeting)
    return current


def minutes_submit(*, actor: ActorLike, meeting: Meeting, deadline: datetime.datetime) -> Minutes:
    """Submit the minutes to the participants that attended, who approve them by `deadline` (a
    local time of the meeting's zone, or an aware time)."""
    require(actor, "cooperation.record_minutes", meeting, _host_only())
    if timezone.is_naive(deadline):
        deadline = local_moment(
            deadline, zoneinfo.ZoneInfo(meeting.time_zone), fold=0, field="deadline"
        )
    now = timezone.now()
    if deadline <= now:
        raise ValidationError(
            {
                "deadline": ValidationError(
                    _("The deadline must be in the future."), code="deadline_in_past"
                )
            }
        )
    with transaction.atomic():
        minutes = _held(meeting)
        if minutes.status != Minutes.Status.DRAFT:
            raise ValidationError(
                _("The minutes are already submitted for approval."), code="already_submitted"
            )
        if not AgendaItem.objects.filter(meeting=meeting).exclude(minutes="").exists():
            raise ValidationError(
                _("Record the minutes of at least one agenda item before submitting them."),
                code="minutes_empty",
            )
        minutes.status = Minutes.Status.SUBMITTED
        minutes.approval_deadline = deadline
        minutes.submitted_at = now
        minutes.save()
        audit(
            actor=actor,
            action="minutes.submit",
            target=meeting,
            organization=meeting.organization,
            title=meeting.title,
        )
        notice_send(
            kind="minutes.submitted",
            source=minutes,
            organizations=attended(meeting),
            params={"title": meeting.title},
            sender=meeting.organization,
            deadline=deadline,
        )
        # Submitted: the minutes in the languages of those who approve them (languages.py).
        versions_request(meeting)
    return minutes


def minutes_approve(
    *, actor: ActorLike, meeting: Meeting, organization: Organization
) -> MinutesApproval:
    """Approve the minutes for a participant that attended. Once: approving again is refused,
    and leaves the one approval. The approval that completes them freezes them."""
    require(actor, "cooperation.approve_minutes", meeting, _participants_only())
    require(actor, "organizations.speak_for", organization, _participants_only())
    _require_attended(meeting, organization)
    now = timezone.now()
    with transaction.atomic():
        minutes = _held(meeting)
        minutes.meeting = meeting
        _require_submitted(minutes)
        approval, created = MinutesApproval.objects.get_or_create(
            minutes=minutes,
            organization=organization,
            defaults={"approved_by": person(actor), "approved_at": now},
        )
        if not created:
            raise ValidationError(
                _("%(organization)s has already approved these minutes.")
                % {"organization": organization.name},
                code="already_approved",
            )
        audit(
            actor=actor,
            action="minutes.approve",
            target=meeting,
            organization=organization,
            title=meeting.title,
            organization_name=organization.name,
        )
        _freeze_if_complete(actor, minutes, now)
    return approval


def correction_propose(
    *,
    actor: ActorLike,
    meeting: Meeting,
    organization: Organization,
    item: AgendaItem,
    text: str,
    reason: str,
) -> MinutesCorrection:
    """Propose, for a participant that attended, another text for one item's minutes, with the
    reason. An approval the organization gave is withdrawn: it objects."""
    require(actor, "cooperation.approve_minutes", meeting, _participants_only())
    require(actor, "organizations.speak_for", organization, _participants_only())
    _require_attended(meeting, organization)
    if item.meeting_id != meeting.pk:
        raise ValidationError(
            {"item": ValidationError(_("Choose an item of this meeting."), code="invalid")}
        )
    correction = MinutesCorrection(
        item=item,
        organization=organization,
        proposed_by=person(actor),
        text=(text or "").strip(),
        reason=(reason or "").strip(),
    )
    correction.full_clean(exclude=["minutes"])
    with transaction.atomic():
        minutes = _held(meeting)
        _require_submitted(minutes)
        correction.minutes = minutes
        correction.save()
        MinutesApproval.objects.filter(minutes=minutes, organization=organization).delete()
        audit(
            actor=actor,
            action="minutes.correction",
            target=meeting,
            organization=organization,
            title=meeting.title,
            organization_name=organization.name,
            item=item.title,
        )
        notice_send(
            kind="minutes.correction_proposed",
            source=correction,
            organizations=[meeting.organization_id],
            params={"organization": organization.name, "title": meeting.title},
            sender=organization,
        )
    return correction


def correction_answer(
    *, actor: ActorLike, correction: MinutesCorrection, accept: bool, reason: str = ""
) -> MinutesCorrection:
    """The host accepts a correction (its text becomes the item's minutes, and approvals given
    are removed) or rejects it, saying why."""
    meeting = correction.minutes.meeting
    require(actor, "cooperation.record_minutes", meeting, _host_only())
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say why the correction is rejected."), code="reason_required"
                )
            }
        )
    now = timezone.now()
    with transaction.atomic():
        minutes = _held(meeting)
        minutes.meeting = meeting
        current = MinutesCorrection.objects.select_for_update().get(pk=correction.pk)
        if current.status != MinutesCorrection.Status.OPEN:
            raise ValidationError(
                _("This correction has already been answered."), code="already_answered"
            )
        current.status = (
            MinutesCorrection.Status.ACCEPTED if accept else MinutesCorrection.Status.REJECTED
        )
        current.answer = reason
        current.answered_at = now
        current.answered_by = person(actor)
        current.save()
        if accept:
            AgendaItem.objects.filter(pk=current.item_id, meeting=meeting).update(
                minutes=current.text
            )
            _reset_approvals(actor, minutes)
            versions_request(meeting)
        audit(
            actor=actor,
            action="minutes.answer",
            target=meeting,
            organization=meeting.organization,
            title=meeting.title,
            organization_name=correction.organization.name,
            answer=current.status,
        )
        notice_send(
            kind="minutes.correction_answered",
            source=current,
            organizations=[current.organization_id],
            params={"answer": current.status, "title": meeting.title},
            sender=meeting.organization,
        )
        _freeze_if_complete(actor, minutes, now)
    return current


def minutes_due(now: datetime.datetime) -> "QuerySet[Minutes, int]":
    """The ids of a batch of submitted minutes past their deadline. Those waiting for an answer
    to a correction wait for the host, not for the task."""
    return (
        Minutes.objects.filter(
            status=Minutes.Status.SUBMITTED,
            approval_deadline__lte=now,
            meeting__organization__remote_actor_url="",  # another server's host freezes them
        )
        .exclude(corrections__status=MinutesCorrection.Status.OPEN)
        .order_by("approval_deadline", "pk")
        .values_list("pk", flat=True)[:200]
    )


@task()
def freeze_due_minutes() -> int:
    """Freeze the submitted minutes whose approval deadline has passed with no correction open.
    Safe to run twice: frozen minutes are no longer submitted. Returns how many it froze."""
    now = timezone.now()
    due = minutes_due(now)
    frozen = 0
    for pk in list(due):
        with transaction.atomic():
            minutes = Minutes.objects.select_related("meeting__organization").get(pk=pk)
            locked(minutes.meeting)
            minutes.refresh_from_db(fields=["status", "approval_deadline"])
            frozen += _freeze_if_complete(System(reason="minutes deadline"), minutes, now)
    return frozen
