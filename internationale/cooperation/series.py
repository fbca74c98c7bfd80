"""Series of meetings: a periodic meeting (an annual international meeting, a congress every two
years) whose meetings are numbered editions, 1, 2, … The host's speakers make a meeting the first
edition of a series, then prepare each next edition from the last one: a new meeting prefilled
from it (times shifted by the period), to which what carries over is copied (`carry_over`).

Who sees a series: the host's people, and whoever sees one of its editions; each sees the
editions they may see, no more (the meeting's audience decides, as everywhere).
"""

import calendar
import datetime
import zoneinfo
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from internationale.addressing.routing import Candidate, Reason
from internationale.addressing.services import addressees_record
from internationale.core.actors import ActorLike, ViewerLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import once, submitted
from internationale.core.predicates import organizations_of
from internationale.core.services import require
from internationale.core.visibility import RANK

from . import services
from .models import AgendaItem, Invitation, Meeting, Series, Task

# Reads ---------------------------------------------------------------------------------------


def series_get(*, viewer: ViewerLike, pk: int) -> Series:
    """The series, if the viewer is of its host or sees one of its editions; 404 otherwise."""
    found = Series.objects.select_related("organization").filter(pk=pk).first()
    if found is None:
        raise Http404
    if found.organization_id in organizations_of(viewer):
        return found
    if not Meeting.objects.visible_to(viewer).filter(series=found).exists():
        raise Http404
    return found


def edition_list(*, viewer: ViewerLike, series: Series) -> QuerySet[Meeting]:
    """The editions of the series the viewer may see, the latest first."""
    return (
        Meeting.objects.visible_to(viewer)
        .filter(series=series)
        .select_related("organization")
        .order_by("-edition")
    )


def neighbours(*, viewer: ViewerLike, meeting: Meeting) -> tuple[Meeting | None, Meeting | None]:
    """The previous and next editions of the meeting's series that the viewer may see."""
    if meeting.series_id is None or meeting.edition is None:
        return None, None
    visible = Meeting.objects.visible_to(viewer).filter(series_id=meeting.series_id)
    previous = visible.filter(edition__lt=meeting.edition).order_by("-edition").first()
    following = visible.filter(edition__gt=meeting.edition).order_by("edition").first()
    return previous, following


def last_edition(series: Series) -> Meeting:
    """The edition of the highest number: the one the next is prepared from."""
    found = Meeting.objects.filter(series=series).order_by("-edition").first()
    if found is None:  # pragma: no cover -- a series is made with its first edition
        raise Http404
    return found


def _shift(when: datetime.datetime, years: int) -> datetime.datetime:
    """The same local date and time `years` later (29 February becomes the 28th)."""
    year = when.year + years
    day = min(when.day, calendar.monthrange(year, when.month)[1])
    return when.replace(year=year, day=day)


def next_edition_initial(series: Series, previous: Meeting) -> dict[str, Any]:
    """What the form of the next edition starts with: the last edition's kind, title, place,
    languages (and the one its texts are written in) and visibility, and its local times shifted by the period (kept as they were for
    an irregular series: the host sets them)."""
    zone = zoneinfo.ZoneInfo(previous.time_zone)
    start = previous.start_at.astimezone(zone).replace(tzinfo=None)
    end = previous.end_at.astimezone(zone).replace(tzinfo=None)
    years = series.years
    if years:
        start, end = _shift(start, years), _shift(end, years)
    return {
        "kind": previous.kind,
        "title": previous.title,
        "description": previous.description,
        "start": start,
        "end": end,
        "time_zone": previous.time_zone,
        "place": previous.place,
        "online_link": previous.online_link,
        "languages": list(previous.languages),
        "language": previous.language,
        "visibility": previous.visibility,
    }


# Writes --------------------------------------------------------------------------------------


def series_create(*, actor: ActorLike, meeting: Meeting, title: str, period: str) -> Series:
    """Make `meeting` the first edition of a new series of its host."""
    require(
        actor,
        "cooperation.start_series",
        meeting,
        _("Only an admin or secretary of the host can start a series from the meeting."),
    )
    if meeting.kind == Meeting.Kind.DELEGATION:
        raise ValidationError(
            _("A delegation visit cannot be the edition of a series."), code="not_a_series_kind"
        )
    series = Series(
        organization=meeting.organization,
        title=(title or "").strip(),
        period=period,
        created_by=person(actor),
    )
    series.full_clean()
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.series_id is not None:
            raise ValidationError(
                _("This meeting is already edition %(edition)s of a series.")
                % {"edition": current.edition},
                code="already_in_series",
            )
        series.save()
        Meeting.objects.filter(pk=current.pk).update(series=series, edition=1)
        audit(
            actor=actor,
            action="series.create",
            target=current,
            organization=current.organization,
            series=series.title,
            title=current.title,
        )
    meeting.series, meeting.edition = series, 1
    return series


def is_wider(previous: Meeting, visibility: str) -> bool:
    """Whether a next edition seen with `visibility` is seen by more than `previous` (public is
    wider than network, network than addressed)."""
    return RANK[visibility] > RANK[previous.visibility]


def carried_agenda(previous: Meeting) -> list[str]:
    """What carrying the agenda over would copy to the next edition, and so show to whoever sees
    it: the titles of the previous edition's agenda items, then those of its open tasks."""
    titles = list(
        AgendaItem.objects.filter(meeting=previous)
        .order_by("position", "pk")
        .values_list("title", flat=True)
    )
    return titles + [task.title for task in _open_tasks(previous)]


def carry_over(previous: Meeting, new: Meeting, *, agenda: bool = True) -> list[int]:
    """Copy to the new edition what carries over from the previous one, inside the caller's
    transaction. Returns the ids of the organizations invited. `agenda=False` leaves out the
    agenda's skeleton and the open tasks (the participants are invited all the same).

    - The participants: the organizations invited to the previous edition that did not decline
      (and are still verified, as every organization invited), invited again with the reason
      "took part in the previous edition", and told as every invitation is
      (tasks.deliver_invitations).
    - The agenda's skeleton: the previous edition's items in their order, with their titles,
      descriptions and rapporteurs (those taking part again), without time slots, documents or
      minutes; then an item listing the open tasks of its agreements.
    """
    ids = list(
        Invitation.objects.filter(meeting=previous)
        .exclude(status=Invitation.Status.DECLINED)
        .exclude(organization_id=new.organization_id)
        .filter(organization__verified_at__isnull=False)
        .order_by("id")
        .values_list("organization_id", flat=True)
    )
    if ids:
        reasons = [Reason.of("previous_edition", edition=previous.edition)]
        addressees_record(
            model=Invitation,
            target=new,
            candidates=[Candidate.of(pk, reasons) for pk in ids],
            ring=0,
            on_conflict="ignore",
        )
        services._tell_invited(new, ids)
    if not agenda:
        return ids
    taking_part = {new.organization_id, *ids}
    skeleton = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=new,
            position=item.position,
            title=item.title,
            description=item.description,
            rapporteur_id=item.rapporteur_id if item.rapporteur_id in taking_part else None,
        )
        for item in AgendaItem.objects.filter(meeting=previous).order_by("position", "pk")
    )
    _carry_open_tasks(previous, new, position=max((i.position for i in skeleton), default=0) + 1)
    return ids


def _open_tasks(previous: Meeting) -> list[Task]:
    """The tasks of the previous edition's agreements still open or in progress."""
    return list(
        Task.objects.filter(agreement__meeting=previous, status__in=Task.PENDING)
        .select_related("organization")
        .order_by("deadline", "pk")
    )


def _carry_open_tasks(previous: Meeting, new: Meeting, position: int) -> None:
    """The tasks of the previous edition's agreements still open or in progress, as the last item
    of the new edition's agenda: each with its organization and its deadline, so that the meeting
    follows them up. The tasks stay with their agreements."""
    pending = _open_tasks(previous)
    if not pending:
        return
    lines = [
        _("%(task)s: %(organization)s, by %(deadline)s")
        % {
            "task": task.title,
            "organization": task.organization.name,
            "deadline": task.deadline.isoformat(),
        }
        for task in pending
    ]
    AgendaItem.objects.create(
        meeting=new,
        position=position,
        title=_("Open tasks from edition %(number)s") % {"number": previous.edition},
        description="\n".join(lines),
    )


def series_next_edition(
    *,
    actor: ActorLike,
    series: Series,
    kind: str | None = None,
    title: str | None = None,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    time_zone: str | None = None,
    description: str | None = None,
    place: str | None = None,
    online_link: str | None = None,
    languages: Sequence[str] | None = None,
    visibility: str | None = None,
    carry_agenda: bool | None = None,
    submission_key: str | None = None,
    start_fold: int | None = None,
    end_fold: int | None = None,
    language_confirmed: bool = False,
) -> Meeting:
    """Plan the next edition of the series, numbered after the last, and carry over to it what
    the last edition had (`carry_over`). What is not given is the last edition's, its times
    shifted by the period (`next_edition_initial`). The meeting is planned as any other
    (services.meeting_create: the host must still be verified, the times ahead).

    `carry_agenda`: whether the agenda's skeleton and the open tasks are copied. None (not
    chosen): only when the new edition is not seen more widely than the last (`is_wider`), so
    that titles read by the participants are not published to more people unasked; True copies
    them even then, False never."""
    content = submitted(locals())
    require(
        actor,
        "cooperation.prepare_edition",
        series,
        _("Only an admin or secretary of the host can prepare the next edition."),
    )
    given = {
        "kind": kind,
        "title": title,
        "start": start,
        "end": end,
        "time_zone": time_zone,
        "description": description,
        "place": place,
        "online_link": online_link,
        "languages": languages,
        "visibility": visibility,
        "start_fold": start_fold,
        "end_fold": end_fold,
    }

    @transaction.atomic
    def create() -> Meeting:
        # The series' row, locked: two next editions at once are numbered one after the other.
        Series.objects.select_for_update().filter(pk=series.pk).first()
        previous = last_edition(series)
        fields = next_edition_initial(series, previous)
        fields.update({name: value for name, value in given.items() if value is not None})
        if fields["kind"] == Meeting.Kind.DELEGATION:
            raise ValidationError(
                {
                    "kind": ValidationError(
                        _("A delegation visit cannot be the edition of a series."),
                        code="not_a_series_kind",
                    )
                }
            )
        number = (previous.edition or 0) + 1
        meeting = services.meeting_create(
            actor=actor,
            organization=series.organization,
            language_confirmed=language_confirmed,
            **fields,
        )
        Meeting.objects.filter(pk=meeting.pk).update(series=series, edition=number)
        meeting.series, meeting.edition = series, number
        agenda = (
            carry_agenda if carry_agenda is not None else not is_wider(previous, meeting.visibility)
        )
        invited = carry_over(previous, meeting, agenda=agenda)
        audit(
            actor=actor,
            action="series.edition",
            target=meeting,
            organization=series.organization,
            series=series.title,
            title=meeting.title,
            edition=number,
            invited=len(invited),
            agenda=agenda,
        )
        return meeting

    created, _new = once(
        user=person(actor),
        scope="cooperation.series_next_edition",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: Meeting.objects.get(pk=pk),
    )
    return created
