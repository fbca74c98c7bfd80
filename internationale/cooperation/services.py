"""Writes on meetings. Each checks its rule, validates, writes in a transaction with its audit
entry, and tells the organizations concerned through a notice (core/notices.py).

Times come as the local time of the meeting's place (a naive date and time) with its IANA time
zone, or as aware times (the API may give an offset); they are stored in UTC beside the zone.
"""

import datetime
import zoneinfo
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.addressing.routing import SEND_FIELDS, Candidate, Criteria, Reason, route
from internationale.addressing.services import addressees_record, fanout_on_commit
from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import once, submitted
from internationale.core.notices import notice_send
from internationale.core.services import require
from internationale.core.zones import known_zones as _known_zones
from internationale.core.zones import local_moment
from internationale.core.zones import zone_named as _zone
from internationale.organizations.models import Membership, Organization
from internationale.organizations.reference import normalize_language
from internationale.translation.detection import check_language, detected_language

from .languages import clean_language, host_language, versions_request
from .models import Delegate, Invitation, Meeting

# A meeting further ahead than this is a typing error (and a year near 9999 would not survive the
# conversion to UTC); one longer than this is not one meeting.
HORIZON = datetime.timedelta(days=10 * 366)
LONGEST = datetime.timedelta(days=31)


def _aware(
    when: datetime.datetime, zone: zoneinfo.ZoneInfo, fold: int | None, field: str
) -> datetime.datetime:
    """A local time of the meeting's zone, or an aware time as it is. A local time the clocks
    skip there is refused, one they show twice needs `fold` (core/zones.local_moment)."""
    if timezone.is_naive(when):
        return local_moment(when, zone, fold=fold, field=field)
    return when


def _clean_times(
    start: datetime.datetime,
    end: datetime.datetime,
    time_zone: str,
    now: datetime.datetime,
    start_fold: int | None = None,
    end_fold: int | None = None,
) -> tuple[datetime.datetime, datetime.datetime, str]:
    zone = _zone(time_zone)
    start_at = _aware(start, zone, start_fold, "start")
    end_at = _aware(end, zone, end_fold, "end")
    if start_at <= now:
        raise ValidationError(
            {"start": ValidationError(_("The start must be in the future."), code="start_in_past")}
        )
    if start_at - now > HORIZON:
        raise ValidationError(
            {"start": ValidationError(_("Choose a start within ten years."), code="too_far")}
        )
    if end_at <= start_at:
        raise ValidationError(
            {
                "end": ValidationError(
                    _("The end must come after the start."), code="end_before_start"
                )
            }
        )
    if end_at - start_at > LONGEST:
        raise ValidationError(
            {"end": ValidationError(_("A meeting lasts a month at most."), code="too_long")}
        )
    return start_at, end_at, zone.key


def _clean_languages(tags: Sequence[str]) -> list[str]:
    cleaned = []
    for tag in tags:
        try:
            cleaned.append(normalize_language(tag))
        except ValueError:
            raise ValidationError(
                {
                    "languages": ValidationError(
                        _("“%(tag)s” is not a valid BCP 47 language tag.") % {"tag": tag},
                        code="invalid_language",
                    )
                }
            ) from None
    return list(dict.fromkeys(cleaned))


def _clean_visit(
    kind: str,
    organization: Organization,
    sender: Organization | None,
    receiver: Organization | None,
) -> Organization | None:
    """For a delegation visit: the organization on the other side of the host, which is invited
    with the meeting. Other kinds name neither side."""
    if kind != Meeting.Kind.DELEGATION:
        if sender is not None or receiver is not None:
            raise ValidationError(
                {
                    "sender": ValidationError(
                        _("Only a delegation visit has a sending and a receiving organization."),
                        code="not_a_visit",
                    )
                }
            )
        return None
    if sender is None or receiver is None:
        raise ValidationError(
            {
                "sender": ValidationError(
                    _("Say which organization sends the delegation and which receives it."),
                    code="visit_sides_required",
                )
            }
        )
    if sender.pk == receiver.pk or organization.pk not in (sender.pk, receiver.pk):
        raise ValidationError(
            {
                "sender": ValidationError(
                    _(
                        "The host either sends the delegation or receives it, from another "
                        "organization."
                    ),
                    code="visit_sides_invalid",
                )
            }
        )
    other = receiver if sender.pk == organization.pk else sender
    if other.verified_at is None:
        raise ValidationError(
            {
                "sender": ValidationError(
                    _("The other side of a visit must be a verified organization."),
                    code="unknown_organization",
                )
            }
        )
    return other


def _tell_invited(meeting: Meeting, organization_ids: Sequence[int]) -> None:
    """After commit: the invitations delivered in batches (tasks.deliver_invitations)."""
    from .tasks import deliver_invitations

    fanout_on_commit(
        task=deliver_invitations, target_id=meeting.pk, organization_ids=organization_ids
    )


def meeting_create(
    *,
    actor: ActorLike,
    organization: Organization,
    kind: str,
    title: str,
    start: datetime.datetime,
    end: datetime.datetime,
    time_zone: str,
    description: str = "",
    place: str = "",
    online_link: str = "",
    languages: Sequence[str] = (),
    language: str = "",
    visibility: str = "addressed",
    sender: Organization | None = None,
    receiver: Organization | None = None,
    submission_key: str | None = None,
    start_fold: int | None = None,
    end_fold: int | None = None,
    language_confirmed: bool = False,
) -> Meeting:
    """A meeting hosted by `organization`. Nobody is invited yet, except, for a delegation visit,
    the organization on the other side. `language`: the one its texts are written in (by default
    the one detected in them, else the host's: languages.host_language). A local start or end the clocks show twice there needs
    `start_fold` / `end_fold` (0 the first, 1 the second); one they skip is refused. A title and
    description that detection finds in another language than `language` are refused until the
    host confirms it (`language_confirmed`, translation/detection.py)."""
    content = submitted(locals())
    require(
        actor,
        "cooperation.host_meeting",
        organization,
        _("Only an admin or secretary of a verified organization can host a meeting."),
    )
    start_at, end_at, zone = _clean_times(
        start, end, time_zone, timezone.now(), start_fold, end_fold
    )
    other = _clean_visit(kind, organization, sender, receiver)
    meeting = Meeting(
        organization=organization,
        created_by=person(actor),
        kind=kind,
        title=(title or "").strip(),
        description=description,
        start_at=start_at,
        end_at=end_at,
        time_zone=zone,
        place=(place or "").strip(),
        online_link=(online_link or "").strip(),
        languages=_clean_languages(languages),
        language=clean_language(language) if language else "",
        visibility=visibility,
        sender=sender,
        receiver=receiver,
    )
    texts = [meeting.title, meeting.description]
    if meeting.language:
        check_language(texts, meeting.language, confirmed=language_confirmed)
    else:  # none given: the one detected in its texts, else the host's
        detected = detected_language(texts, "")
        meeting.language = (
            clean_language(detected)
            if detected
            else host_language(organization.pk, meeting.languages)
        )
    meeting.full_clean()

    @transaction.atomic
    def create() -> Meeting:
        meeting.save()
        audit(
            actor=actor,
            action="meeting.create",
            target=meeting,
            organization=organization,
            title=meeting.title,
            kind=meeting.kind,
        )
        if other is not None:
            _invite(actor, meeting, [other.pk])
        return meeting

    created, _new = once(
        user=person(actor),
        scope="cooperation.meeting_create",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: Meeting.objects.get(pk=pk),
    )
    return created


def _require_ahead(meeting: Meeting, now: datetime.datetime) -> None:
    if meeting.is_cancelled:
        raise ValidationError(
            _("This meeting is cancelled: it can no longer be changed, invited to or answered."),
            code="meeting_cancelled",
        )
    if meeting.end_at <= now:
        raise ValidationError(
            _("This meeting is over: it can no longer be changed or answered."),
            code="meeting_over",
        )


def _invite(actor: ActorLike, meeting: Meeting, organization_ids: list[int]) -> None:
    """Record the organizations as invited by hand and tell them: inside a transaction."""
    manual = [Reason.of("manual")]
    addressees_record(
        model=Invitation,
        target=meeting,
        candidates=[Candidate.of(pk, manual) for pk in organization_ids],
        ring=0,
        on_conflict="ignore",
    )
    audit(
        actor=actor,
        action="meeting.invite",
        target=meeting,
        organization=meeting.organization,
        title=meeting.title,
        invited=len(organization_ids),
    )
    _tell_invited(meeting, organization_ids)


def meeting_invite(*, actor: ActorLike, meeting: Meeting, criteria: Criteria) -> list[int]:
    """Invite the organizations the criteria choose (as appeals are addressed: addressing/), each
    with its reasons. Those already invited keep their invitation and answer; returns the ids of
    the organizations newly invited, or ValidationError when the criteria choose none."""
    require(
        actor,
        "cooperation.invite_to_meeting",
        meeting,
        _("Only an admin or secretary of the host can invite to the meeting."),
    )
    _require_ahead(meeting, timezone.now())
    candidates = route(meeting.routing_origin(), criteria.clean(), fields=SEND_FIELDS)
    with transaction.atomic():
        already = set(
            Invitation.objects.filter(
                meeting=meeting, organization_id__in=[c.organization_id for c in candidates]
            ).values_list("organization_id", flat=True)
        )
        new = [c for c in candidates if c.organization_id not in already]
        if not new:
            raise ValidationError(
                _("These criteria choose no organization that is not invited already."),
                code="no_invitees",
            )
        addressees_record(
            model=Invitation, target=meeting, candidates=new, ring=0, on_conflict="ignore"
        )
        ids = [c.organization_id for c in new]
        audit(
            actor=actor,
            action="meeting.invite",
            target=meeting,
            organization=meeting.organization,
            title=meeting.title,
            invited=len(ids),
        )
        # Its texts in the languages of those invited, made after commit (languages.py).
        versions_request(meeting)
        _tell_invited(meeting, ids)
    return ids


def _invitation_for(
    *, actor: ActorLike, meeting: Meeting, organization: Organization
) -> Invitation:
    """The organization's invitation, if the actor may answer for it."""
    invitation = Invitation.objects.filter(meeting=meeting, organization=organization).first()
    if invitation is None:
        require(
            actor,
            "organizations.speak_for",
            organization,
            _("Only an admin or secretary can answer an invitation for the organization."),
        )
        raise ValidationError(
            _("%(organization)s is not invited to this meeting.")
            % {"organization": organization.name},
            code="not_invited",
        )
    invitation.organization = organization
    require(
        actor,
        "cooperation.answer_invitation",
        invitation,
        _("Only an admin or secretary can answer an invitation for the organization."),
    )
    _require_ahead(meeting, timezone.now())
    return invitation


def _delegates(organization: Organization, membership_ids: Sequence[Any]) -> list[Membership]:
    try:
        wanted = list(dict.fromkeys(int(pk) for pk in membership_ids))
    except (TypeError, ValueError):
        raise ValidationError(
            {"delegates": ValidationError(_("Enter whole numbers."), code="invalid")}
        ) from None
    if not wanted and organization.remote_actor_url:
        # An organization of another server (its answer comes through federation) names its
        # delegates there: it has no people here.
        return []
    if not wanted:
        raise ValidationError(
            {
                "delegates": ValidationError(
                    _("Name at least one delegate among the organization's people."),
                    code="delegates_required",
                )
            }
        )
    found = {
        m.pk: m
        for m in Membership.objects.filter(pk__in=wanted, organization=organization).select_related(
            "user"
        )
    }
    strangers = [pk for pk in wanted if pk not in found]
    if strangers:
        raise ValidationError(
            {
                "delegates": ValidationError(
                    _("Delegates are people of %(organization)s: %(ids)s are not.")
                    % {"organization": organization.name, "ids": ", ".join(map(str, strangers))},
                    code="not_a_member",
                )
            }
        )
    return [found[pk] for pk in wanted]


def _tell_host(meeting: Meeting, invitation: Invitation, answer: str) -> None:
    notice_send(
        kind="meeting.answered",
        source=meeting,
        organizations=[meeting.organization_id],
        params={
            "organization": invitation.organization.name,
            "answer": answer,
            "title": meeting.title,
        },
        sender=invitation.organization,
    )


def invitation_accept(
    *,
    actor: ActorLike,
    meeting: Meeting,
    organization: Organization,
    delegates: Sequence[Any],
    note: str = "",
) -> Invitation:
    """Accept for `organization`, naming its delegates (memberships of it). An organization
    accepts once: of two acceptances at the same moment, one is recorded, the other refused."""
    invitation = _invitation_for(actor=actor, meeting=meeting, organization=organization)
    members = _delegates(organization, delegates)
    now = timezone.now()
    with transaction.atomic():
        # The claim: a conditional update, so that two acceptances at once record one.
        claimed = (
            Invitation.objects.filter(pk=invitation.pk)
            .exclude(status=Invitation.Status.ACCEPTED)
            .update(
                status=Invitation.Status.ACCEPTED,
                note=note.strip(),
                answered_at=now,
                answered_by=person(actor),
            )
        )
        if not claimed:
            raise ValidationError(
                _("%(organization)s has already accepted this invitation.")
                % {"organization": organization.name},
                code="already_accepted",
            )
        Delegate.objects.filter(invitation=invitation).delete()
        Delegate.objects.bulk_create(
            [Delegate(invitation=invitation, membership=m) for m in members]
        )
        audit(
            actor=actor,
            action="meeting.accept",
            target=meeting,
            organization=organization,
            title=meeting.title,
            organization_name=organization.name,
            delegates=len(members),
        )
        invitation.refresh_from_db()
        invitation.organization = organization
        _tell_host(meeting, invitation, "accepted")
    return invitation


def invitation_decline(
    *, actor: ActorLike, meeting: Meeting, organization: Organization, note: str = ""
) -> Invitation:
    """Decline for `organization`: also after accepting, which withdraws its delegates."""
    return _answer_without_delegates(
        actor=actor,
        meeting=meeting,
        organization=organization,
        note=note,
        status=Invitation.Status.DECLINED,
        action="meeting.decline",
        told="declined",
        already=ValidationError(
            _("%(organization)s has already declined this invitation.")
            % {"organization": organization.name},
            code="already_declined",
        ),
    )


def invitation_tentative(
    *, actor: ActorLike, meeting: Meeting, organization: Organization, note: str = ""
) -> Invitation:
    """Answer "maybe" for `organization`, to a meeting of another server (its host an
    organization of that server: it takes a tentative answer; a meeting of this server is
    accepted or declined). Also after accepting, which withdraws its delegates."""
    if not meeting.organization.remote_actor_url:
        _invitation_for(actor=actor, meeting=meeting, organization=organization)
        raise ValidationError(
            _("A meeting of this server is accepted or declined: it takes no “maybe”."),
            code="no_tentative",
        )
    return _answer_without_delegates(
        actor=actor,
        meeting=meeting,
        organization=organization,
        note=note,
        status=Invitation.Status.TENTATIVE,
        action="meeting.tentative",
        told="tentative",
        already=ValidationError(
            _("%(organization)s has already answered “maybe”.")
            % {"organization": organization.name},
            code="already_tentative",
        ),
    )


def _answer_without_delegates(
    *,
    actor: ActorLike,
    meeting: Meeting,
    organization: Organization,
    note: str,
    status: str,
    action: str,
    told: str,
    already: ValidationError,
) -> Invitation:
    """`organization`'s answer `status` (declined, or "maybe"), once: its delegates withdrawn,
    audited as `action`, the host told `told`; `already` when it had answered so."""
    invitation = _invitation_for(actor=actor, meeting=meeting, organization=organization)
    with transaction.atomic():
        claimed = (
            Invitation.objects.filter(pk=invitation.pk)
            .exclude(status=status)
            .update(
                status=status,
                note=note.strip(),
                answered_at=timezone.now(),
                answered_by=person(actor),
            )
        )
        if not claimed:
            raise already
        Delegate.objects.filter(invitation=invitation).delete()
        audit(
            actor=actor,
            action=action,
            target=meeting,
            organization=organization,
            title=meeting.title,
            organization_name=organization.name,
        )
        invitation.refresh_from_db()
        invitation.organization = organization
        _tell_host(meeting, invitation, told)
    return invitation


# Fields the host may change before the meeting is over; a change raises the meeting's sequence,
# which calendars follow (calendar.py).
EDITABLE = (
    "title",
    "description",
    "start",
    "end",
    "time_zone",
    "place",
    "online_link",
    "languages",
    "visibility",
)


def _same_times(meeting: Meeting, fields: dict[str, Any]) -> bool:
    """Whether the times given are those the meeting has (a form sends them all, changed or
    not): a meeting under way may then still be changed otherwise."""
    name = fields.get("time_zone", meeting.time_zone)
    if name not in _known_zones():
        return False
    zone = zoneinfo.ZoneInfo(name)
    try:
        start = _aware(
            fields.get("start", meeting.start_at), zone, fields.get("start_fold"), "start"
        )
        end = _aware(fields.get("end", meeting.end_at), zone, fields.get("end_fold"), "end")
    except ValidationError:
        return False
    return (start, end, zone.key) == (meeting.start_at, meeting.end_at, meeting.time_zone)


def meeting_edit(
    *, actor: ActorLike, meeting: Meeting, language_confirmed: bool = False, **fields: Any
) -> Meeting:
    """Change what the host said of the meeting. Times given are checked as when planning (a
    start ahead, an end after it); times left out keep their value. Nothing changed, nothing
    recorded: the sequence is raised only by a real change. A title or description changed into
    another language than the meeting's is refused until the host confirms it
    (`language_confirmed`)."""
    require(
        actor,
        "cooperation.change_meeting",
        meeting,
        _("Only an admin or secretary of the host can change the meeting."),
    )
    folds = {"start_fold": fields.pop("start_fold", None), "end_fold": fields.pop("end_fold", None)}
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise TypeError(f"not editable: {unknown}")
    now = timezone.now()
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _require_ahead(current, now)
        if _same_times(current, fields | folds):
            for name in ("start", "end", "time_zone"):
                fields.pop(name, None)
        if {"start", "end", "time_zone"} & set(fields):
            zone = zoneinfo.ZoneInfo(current.time_zone)
            start_at, end_at, time_zone = _clean_times(
                fields.pop("start", current.start_at.astimezone(zone).replace(tzinfo=None)),
                fields.pop("end", current.end_at.astimezone(zone).replace(tzinfo=None)),
                fields.pop("time_zone", current.time_zone),
                now,
                folds["start_fold"],
                folds["end_fold"],
            )
            fields |= {"start_at": start_at, "end_at": end_at, "time_zone": time_zone}
        if "languages" in fields:
            fields["languages"] = _clean_languages(fields["languages"])
        for name in ("title", "place", "online_link"):
            if name in fields:
                fields[name] = (fields[name] or "").strip()
        changed = [name for name, value in fields.items() if getattr(current, name) != value]
        if not changed:
            return current
        for name in changed:
            setattr(current, name, fields[name])
        if {"title", "description"} & set(changed):
            check_language(
                [current.title, current.description],
                current.language,
                confirmed=language_confirmed,
                field="description" if current.description else "title",
                fixed=True,
            )
        current.full_clean()
        current.sequence += 1
        current.save()
        if {"title", "description"} & set(changed):
            versions_request(current)
        audit(
            actor=actor,
            action="meeting.change",
            target=current,
            organization=current.organization,
            title=current.title,
            fields=changed,
        )
        # The organizations invited that have not declined: their calendars follow it.
        notice_send(
            kind="meeting.changed",
            source=current,
            organizations=Invitation.objects.filter(meeting=current)
            .exclude(status=Invitation.Status.DECLINED)
            .values_list("organization_id", flat=True),
            params={"title": current.title},
            sender=current.organization,
        )
    return current


def check_times(
    start: datetime.datetime,
    end: datetime.datetime,
    time_zone: str,
    start_fold: int | None = None,
    end_fold: int | None = None,
) -> tuple[datetime.datetime, datetime.datetime, str]:
    """Times as planning a meeting would take them (aware, in UTC's terms), or ValidationError
    as planning would refuse them: for checking them before saving (timing.py)."""
    return _clean_times(start, end, time_zone, timezone.now(), start_fold, end_fold)
