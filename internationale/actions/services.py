"""Writes on days of action: preparing a call, co-callers accepting or declining, calling
organizations (the shared addressing) and their answers. Each checks its rule, validates, writes in
a transaction with its audit entry, and tells the organizations concerned through a notice
(core/notices.py). Local actions have their own module (local.py).
"""

import dataclasses
import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.addressing.routing import (
    SEND_FIELDS,
    Candidate,
    Criteria,
    Origin,
    Reason,
    route,
)
from internationale.addressing.services import addressees_record, fanout_on_commit
from internationale.appeals.models import Appeal
from internationale.campaigns.models import Campaign
from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import once, submitted
from internationale.core.notices import notice_send
from internationale.core.predicates import SPEAKING_ROLES, role_in
from internationale.core.services import reason_text, require
from internationale.organizations.models import Organization
from internationale.organizations.reference import normalize_language
from internationale.statements.models import Statement
from internationale.translation.detection import check_language

from .models import DAY_VISIBILITIES, Answer, Called, CoCaller, DayOfAction, Kind
from .rules import callers_of, forget_callers

# A day further ahead than this is a typing error.
HORIZON = datetime.timedelta(days=2 * 366)
MAX_COCALLERS = 50
# A reason for cancelling longer than this is a paste gone wrong.
MAX_CANCEL_REASON = 2000


def _clean_language(language: str) -> str:
    try:
        return normalize_language(language or "")
    except ValueError:
        raise ValidationError(
            {
                "language": ValidationError(
                    _("Give the call's language as a language tag, such as en or pt-BR."),
                    code="invalid_language",
                )
            }
        ) from None


def _clean_date(date: datetime.date) -> None:
    """A day not over everywhere (its end at UTC−12 still ahead), and within two years."""
    now = timezone.now()
    _first, last = DayOfAction(date=date).bounds()
    if last <= now:
        raise ValidationError(
            {
                "date": ValidationError(
                    _("This day is over everywhere: choose one ahead."), code="past"
                )
            }
        )
    if date > (now + HORIZON).date():
        raise ValidationError(
            {
                "date": ValidationError(
                    _("The day is more than two years ahead: check the year."), code="too_far"
                )
            }
        )


def _clean_kinds(kinds: Sequence[str]) -> list[str]:
    known = set(Kind.values)
    if isinstance(kinds, str) or any(k not in known for k in kinds):
        raise ValidationError(
            {
                "suggested_kinds": ValidationError(
                    _("Choose kinds of action among: %(kinds)s.")
                    % {"kinds": ", ".join(Kind.values)},
                    code="invalid_choice",
                )
            }
        )
    return list(dict.fromkeys(kinds))


def _clean_visibility(visibility: str) -> str:
    if visibility not in {value for value, _label in DAY_VISIBILITIES}:
        raise ValidationError(
            {
                "called_visibility": ValidationError(
                    _("Choose network or public."), code="invalid_choice"
                )
            }
        )
    return visibility


def _clean_source(
    actor: ActorLike,
    appeal: Appeal | None,
    statement: Statement | None,
    campaign: Campaign | None = None,
) -> None:
    """What the day comes from must be something the person may read."""
    sources: tuple[tuple[str, Any], ...] = (
        ("appeal", appeal),
        ("statement", statement),
        ("campaign", campaign),
    )
    for name, obj in sources:
        if obj is not None and not obj.is_visible_to(actor):
            raise ValidationError(
                {
                    name: ValidationError(
                        _("There is no such %(what)s.") % {"what": name}, code="not_found"
                    )
                }
            )


def _clean_cocallers(
    organization: Organization, cocallers: Sequence[Organization]
) -> list[Organization]:
    chosen = list({o.pk: o for o in cocallers if o.pk != organization.pk}.values())
    if len(chosen) > MAX_COCALLERS:
        raise ValidationError(
            {
                "cocallers": ValidationError(
                    _("Invite at most %(n)s organizations to call the day with you.")
                    % {"n": MAX_COCALLERS},
                    code="too_many",
                )
            }
        )
    unverified = [o.name for o in chosen if not o.is_verified]
    if unverified:
        raise ValidationError(
            {
                "cocallers": ValidationError(
                    _("Only verified organizations call days of action: %(names)s.")
                    % {"names": ", ".join(unverified)},
                    code="not_verified",
                )
            }
        )
    return chosen


def day_create(
    *,
    actor: ActorLike,
    organization: Organization,
    title: str,
    text: str,
    language: str,
    date: datetime.date,
    demands: str = "",
    suggested_kinds: Sequence[str] = (),
    called_visibility: str = "network",
    cocallers: Sequence[Organization] = (),
    appeal: Appeal | None = None,
    statement: Statement | None = None,
    campaign: Campaign | None = None,
    submission_key: str | None = None,
    language_confirmed: bool = False,
) -> DayOfAction:
    """A day of action prepared by `organization` (a draft, for the callers only), and the
    organizations invited to call it with it (they are told and accept or decline). Called to
    organizations later (`day_call`). A call that detection finds written in another language
    than `language` is refused until the caller confirms it (`language_confirmed`,
    translation/detection.py)."""
    content = submitted(locals())
    require(
        actor,
        "actions.call_day",
        organization,
        _("Only an admin or secretary of a verified organization can call a day of action."),
    )
    day = DayOfAction(
        organization=organization,
        created_by=person(actor),
        title=(title or "").strip(),
        text=(text or "").strip(),
        demands=(demands or "").strip(),
        language=_clean_language(language),
        date=date,
        suggested_kinds=_clean_kinds(suggested_kinds),
        called_visibility=_clean_visibility(called_visibility),
        appeal=appeal,
        statement=statement,
        campaign=campaign,
    )
    _clean_date(date)
    _clean_source(actor, appeal, statement, campaign)
    chosen = _clean_cocallers(organization, cocallers)
    check_language([day.title, day.text, day.demands], day.language, confirmed=language_confirmed)
    day.full_clean()

    @transaction.atomic
    def create() -> DayOfAction:
        day.save()
        audit(
            actor=actor,
            action="day.create",
            target=day,
            organization=organization,
            title=day.title,
        )
        if chosen:
            _invite_cocallers(actor, day, chosen)
        return day

    created, _new = once(
        user=person(actor),
        scope="actions.day_create",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: DayOfAction.objects.get(pk=pk),
    )
    return created


def _invite_cocallers(actor: ActorLike, day: DayOfAction, chosen: Sequence[Organization]) -> None:
    CoCaller.objects.bulk_create(
        [CoCaller(day=day, organization=o, invited_by=person(actor)) for o in chosen],
        ignore_conflicts=True,
    )
    audit(
        actor=actor,
        action="day.cocallers_invite",
        target=day,
        organization=day.organization,
        title=day.title,
        invited=len(chosen),
    )
    notice_send(
        kind="day.cocall_invited",
        source=day,
        organizations=[o.pk for o in chosen],
        params={"caller": day.organization.name, "title": day.title},
        sender=day.organization,
    )


def day_invite_cocallers(
    *, actor: ActorLike, day: DayOfAction, cocallers: Sequence[Organization]
) -> list[int]:
    """Invite more organizations to call the day: for the calling organization's speakers, before
    the day is over. Returns the ids newly invited."""
    require(
        actor,
        "actions.invite_cocallers",
        day,
        _("Only an admin or secretary of the calling organization can invite co-callers."),
    )
    _require_open(day)
    chosen = _clean_cocallers(day.organization, cocallers)
    with transaction.atomic():
        already = set(CoCaller.objects.filter(day=day).values_list("organization_id", flat=True))
        new = [o for o in chosen if o.pk not in already]
        if not new:
            raise ValidationError(
                {
                    "cocallers": ValidationError(
                        _("Name an organization not invited already."), code="no_invitees"
                    )
                }
            )
        _invite_cocallers(actor, day, new)
    return [o.pk for o in new]


def is_open(day: DayOfAction) -> bool:
    """Not cancelled, and not over everywhere: the callers may still change it."""
    return not day.is_cancelled and day.bounds()[1] > timezone.now()


def _require_open(day: DayOfAction) -> None:
    if day.is_cancelled:
        raise ValidationError(_("This day of action is cancelled."), code="day_cancelled")
    if day.bounds()[1] <= timezone.now():
        raise ValidationError(_("This day of action is over everywhere."), code="day_over")


def _speaks_for(actor: ActorLike, organization: Organization) -> bool:
    return role_in(actor, organization.pk) in SPEAKING_ROLES


def cocall_answer(
    *, actor: ActorLike, day: DayOfAction, organization: Organization, accept: bool
) -> CoCaller:
    """An organization invited to call the day accepts (it becomes one of the callers) or
    declines. For those who speak for it; the calling organization is told."""
    require(
        actor,
        "actions.answer_cocall",
        day,
        _("Only an admin or secretary of an organization invited to call the day can answer."),
    )
    _require_open(day)
    with transaction.atomic():
        row = (
            CoCaller.objects.select_for_update().filter(day=day, organization=organization).first()
        )
        if row is None or not _speaks_for(actor, organization):
            raise ValidationError(
                {
                    "organization": ValidationError(
                        _("Name an organization you speak for that is invited to call the day."),
                        code="not_invited",
                    )
                }
            )
        status = CoCaller.Status.ACCEPTED if accept else CoCaller.Status.DECLINED
        if row.status == status:
            return row
        row.status = status
        row.answered_by = person(actor)
        row.answered_at = timezone.now()
        row.save(update_fields=["status", "answered_by", "answered_at"])
        forget_callers(day)
        audit(
            actor=actor,
            action="day.cocall_answer",
            target=day,
            organization=organization,
            title=day.title,
            accepted=accept,
        )
        notice_send(
            kind="day.cocall_answered",
            source=day,
            organizations=[day.organization_id],
            params={"organization": organization.name, "title": day.title, "accepted": accept},
            sender=organization,
        )
    return row


def day_origin(day: DayOfAction) -> Origin:
    """What calling routes from: the day's own origin, with the employer of the appeal it comes
    from (organizations at the same employer's sites are then proposed)."""
    origin = day.routing_origin()
    if day.appeal_id and day.appeal is not None and day.appeal.employer_id:
        origin = dataclasses.replace(origin, employer_id=day.appeal.employer_id)
    return origin


def _record_called(
    actor: ActorLike,
    day: DayOfAction,
    candidates: Sequence[Candidate],
    passed_by: int | None = None,
) -> list[int]:
    from .tasks import deliver_call

    addressees_record(model=Called, target=day, candidates=candidates, ring=0, on_conflict="ignore")
    ids = [c.organization_id for c in candidates]
    if passed_by is not None:
        Called.objects.filter(day=day, organization_id__in=ids, passed_by__isnull=True).update(
            passed_by_id=passed_by
        )
    fanout_on_commit(task=deliver_call, target_id=day.pk, organization_ids=ids)
    return ids


def day_call(*, actor: ActorLike, day: DayOfAction, criteria: Criteria) -> list[int]:
    """Call the organizations the criteria choose (as appeals are addressed: addressing/), each
    with its reasons. The first call opens the day to the visibility the callers chose. Those
    called already, and the callers, are left out; returns the ids newly called, or
    ValidationError when the criteria choose none."""
    require(
        actor,
        "actions.call_organizations",
        day,
        _("Only an admin or secretary of the calling organization can call organizations."),
    )
    _require_open(day)
    candidates = route(day_origin(day), criteria.clean(), fields=SEND_FIELDS)
    with transaction.atomic():
        current = (
            DayOfAction.objects.select_for_update().select_related("organization").get(pk=day.pk)
        )
        skip = set(
            Called.objects.filter(
                day=current, organization_id__in=[c.organization_id for c in candidates]
            ).values_list("organization_id", flat=True)
        ) | set(callers_of(current))
        new = [c for c in candidates if c.organization_id not in skip]
        if not new:
            raise ValidationError(
                _("These criteria choose no organization that is not called already."),
                code="no_addressees",
            )
        if current.is_draft:
            current.status = DayOfAction.Status.CALLED
            current.visibility = current.called_visibility
            current.called_at = timezone.now()
            current.save(update_fields=["status", "visibility", "called_at", "updated_at"])
            day.status, day.visibility, day.called_at = (
                current.status,
                current.visibility,
                current.called_at,
            )
        ids = _record_called(actor, current, new)
        audit(
            actor=actor,
            action="day.call",
            target=current,
            organization=current.organization,
            title=current.title,
            called=len(ids),
        )
    return ids


def day_answer(
    *,
    actor: ActorLike,
    day: DayOfAction,
    organization: Organization,
    kind: str,
    reason: str = "",
    passed_to: Sequence[Organization] = (),
) -> Answer:
    """A called organization answers: it will act, it cannot (a reason is required), or it passes
    the call on to other organizations (called in their turn, told as the first were). A new
    answer replaces the earlier one. The callers are told."""
    require(
        actor,
        "actions.answer_day",
        day,
        _("Only an admin or secretary of a called organization can answer the call."),
    )
    _require_open(day)
    if kind not in Answer.Kind.values:
        raise ValidationError(
            {
                "kind": ValidationError(
                    _("Choose will act, cannot act or passed on."), code="invalid_choice"
                )
            }
        )
    reason = (reason or "").strip()
    if kind == Answer.Kind.CANNOT_ACT and not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Say why the organization cannot act."), code="required")}
        )
    targets = [o for o in passed_to if o.pk != organization.pk]
    if kind == Answer.Kind.PASSED_ON:
        if not targets:
            raise ValidationError(
                {
                    "passed_to": ValidationError(
                        _("Name the organizations you pass the call on to."), code="required"
                    )
                }
            )
        unverified = [o.name for o in targets if not o.is_verified]
        if unverified:
            raise ValidationError(
                {
                    "passed_to": ValidationError(
                        _("The call is passed on to verified organizations only: %(names)s.")
                        % {"names": ", ".join(unverified)},
                        code="not_verified",
                    )
                }
            )
    else:
        targets = []
    with transaction.atomic():
        called = Called.objects.filter(day=day, organization=organization).exists()
        if not called or not _speaks_for(actor, organization):
            raise ValidationError(
                {
                    "organization": ValidationError(
                        _("Name a called organization you speak for."), code="not_called"
                    )
                }
            )
        answer, _created = Answer.objects.update_or_create(
            day=day,
            organization=organization,
            defaults={
                "kind": kind,
                "reason": reason,
                "country": str(organization.country),
                "passed_to": [o.pk for o in targets],
                "answered_by": person(actor),
            },
        )
        if targets:
            skip = set(callers_of(day))
            _record_called(
                actor,
                day,
                [
                    Candidate.of(o.pk, [Reason.of("passed", organization=organization.name)])
                    for o in targets
                    if o.pk not in skip
                ],
                passed_by=organization.pk,
            )
        audit(
            actor=actor,
            action="day.answer",
            target=day,
            organization=organization,
            title=day.title,
            answer=kind,
        )
        notice_send(
            kind="day.answered",
            source=answer,
            organizations=sorted(callers_of(day)),
            params={
                "organization": organization.name,
                "answer": str(Answer.Kind(kind).label),
                "title": day.title,
            },
            sender=organization,
        )
    return answer


# Changing and cancelling the call -----------------------------------------------------------------
CHANGEABLE = ("title", "text", "demands", "suggested_kinds")


def told_of(day: DayOfAction) -> list[int]:
    """Who is told of a change or a cancellation: the organizations called and the co-callers
    (invited or accepted; not those that declined), never the calling organization itself."""
    called = Called.objects.filter(day=day).values_list("organization_id", flat=True)
    cocalling = (
        CoCaller.objects.filter(day=day)
        .exclude(status=CoCaller.Status.DECLINED)
        .values_list("organization_id", flat=True)
    )
    return sorted({*called, *cocalling} - {day.organization_id})


def day_change(
    *,
    actor: ActorLike,
    day: DayOfAction,
    title: str,
    text: str,
    demands: str = "",
    suggested_kinds: Sequence[str] = (),
    language_confirmed: bool = False,
) -> DayOfAction:
    """Change the call (its title, text, demands and suggested kinds) before the day is over: for
    those who speak for the calling organization. Its date, language and visibility stay: a call
    changed into another language is refused until the caller confirms it (`language_confirmed`).
    Once called, the organizations called and the co-callers are told."""
    require(
        actor,
        "actions.change_day",
        day,
        _("Only an admin or secretary of the calling organization can change the call."),
    )
    _require_open(day)
    with transaction.atomic():
        current = DayOfAction.objects.select_for_update().get(pk=day.pk)
        current.title = (title or "").strip()
        current.text = (text or "").strip()
        current.demands = (demands or "").strip()
        current.suggested_kinds = _clean_kinds(suggested_kinds)
        if {"title", "text", "demands"} & {
            f for f in CHANGEABLE if getattr(current, f) != getattr(day, f)
        }:
            check_language(
                [current.title, current.text, current.demands],
                current.language,
                confirmed=language_confirmed,
                field="text",
                fixed=True,
            )
        current.full_clean()
        changed = [f for f in CHANGEABLE if getattr(current, f) != getattr(day, f)]
        if not changed:
            return current
        current.save(update_fields=[*CHANGEABLE, "updated_at"])
        audit(
            actor=actor,
            action="day.change",
            target=current,
            organization=current.organization,
            title=current.title,
            changed=changed,
        )
        if not current.is_draft:
            notice_send(
                kind="day.changed",
                source=current,
                organizations=told_of(current),
                params={"caller": current.organization.name, "title": current.title},
                sender=current.organization,
            )
    for name in CHANGEABLE:
        setattr(day, name, getattr(current, name))
    return current


def day_cancel(*, actor: ActorLike, day: DayOfAction, reason: str = "") -> DayOfAction:
    """Cancel the day before it is over: for those who speak for the calling organization. It
    stays readable, marked cancelled with the reason given; nothing more is done on it. The
    organizations called and the co-callers are told."""
    require(
        actor,
        "actions.change_day",
        day,
        _("Only an admin or secretary of the calling organization can cancel the day."),
    )
    _require_open(day)
    reason = reason_text(reason, MAX_CANCEL_REASON)
    with transaction.atomic():
        current = DayOfAction.objects.select_for_update().get(pk=day.pk)
        _require_open(current)
        current.status = DayOfAction.Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.cancel_reason = reason
        current.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
        audit(
            actor=actor,
            action="day.cancel",
            target=current,
            organization=current.organization,
            title=current.title,
        )
        notice_send(
            kind="day.cancelled",
            source=current,
            organizations=told_of(current),
            params={"caller": current.organization.name, "title": current.title},
            sender=current.organization,
        )
    day.status, day.cancelled_at, day.cancel_reason = (
        current.status,
        current.cancelled_at,
        current.cancel_reason,
    )
    return current
