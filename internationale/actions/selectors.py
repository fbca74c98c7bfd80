"""Reads of days of action, each filtered by the viewer: the days one may read, one day with what
the viewer is to it, its local actions in the order the day moves around the world (contacts
blanked for all but the callers and the acting organization), the answers per country for the
callers, and who calling would reach."""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Q, QuerySet
from django.http import Http404
from django_countries import countries as iso_countries

from internationale.addressing.preview import route_kept
from internationale.addressing.routing import SEND_FIELDS, Candidate, Criteria, Reason
from internationale.core.actors import ViewerLike, as_actor
from internationale.core.predicates import SPEAKING_ROLES, organizations_of
from internationale.core.visibility import Access, access
from internationale.organizations.models import Organization

from .models import Answer, Called, CoCaller, DayOfAction, LocalAction
from .rules import callers_of
from .services import day_origin


def day_list(*, viewer: ViewerLike) -> QuerySet[DayOfAction]:
    """The days the viewer may read, the nearest date first."""
    return (
        DayOfAction.objects.visible_to(viewer)
        .select_related("organization")
        .order_by("-date", "-pk")
    )


def day_access(*, viewer: ViewerLike, pk: int) -> Access[DayOfAction]:
    return access(DayOfAction.objects.select_related("organization"), viewer, pk=pk)


def day_get(*, viewer: ViewerLike, pk: int) -> DayOfAction:
    return day_access(viewer=viewer, pk=pk).obj


def is_caller(viewer: ViewerLike, day: DayOfAction) -> bool:
    """Of the calling organization or a co-caller that accepted (any role)."""
    return bool(callers_of(day) & set(organizations_of(viewer)))


def cocallers(day: DayOfAction) -> list[CoCaller]:
    return list(
        CoCaller.objects.filter(day=day)
        .select_related("organization")
        .order_by("organization__name")
    )


def cocallers_shown(viewer: ViewerLike, day: DayOfAction) -> list[CoCaller]:
    """The co-callers a reader is shown: every invitation and its answer to the people of the
    calling organization and of those invited; to anyone else, those who accepted (that an
    organization was asked and declined is its own business)."""
    rows = cocallers(day)
    mine = set(organizations_of(viewer))
    if day.organization_id in mine or any(c.organization_id in mine for c in rows):
        return rows
    return [c for c in rows if c.status == CoCaller.Status.ACCEPTED]


def cocall_invited_as(viewer: ViewerLike, day: DayOfAction) -> list[CoCaller]:
    """The invitations to co-call the viewer may answer (for organizations it speaks for)."""
    mine = organizations_of(viewer, SPEAKING_ROLES)
    return [c for c in cocallers(day) if c.organization_id in mine]


def called_as(viewer: ViewerLike, day: DayOfAction) -> list[Organization]:
    """The called organizations the viewer speaks for: those it may answer for."""
    mine = organizations_of(viewer, SPEAKING_ROLES)
    if not mine:
        return []
    rows = Called.objects.filter(day=day, organization_id__in=mine).select_related("organization")
    return [row.organization for row in rows.order_by("organization__name")]


def acting_as(viewer: ViewerLike) -> list[Organization]:
    """The verified organizations the viewer speaks for: those it may register actions for."""
    mine = organizations_of(viewer, SPEAKING_ROLES)
    return list(
        Organization.objects.filter(pk__in=mine, verified_at__isnull=False).order_by("name")
    )


def hide_contacts(
    actions: Iterable[LocalAction], viewer: ViewerLike, day: DayOfAction
) -> list[LocalAction]:
    """Blank the contacts the viewer may not read: only the callers' people and the acting
    organization's read them. The objects are marked so that they are never saved blanked."""
    mine = set(organizations_of(viewer))
    callers = callers_of(day)
    shown = []
    for action in actions:
        if not (mine & callers or action.organization_id in mine):
            action.contact = ""
            action.__dict__["masked_groups"] = frozenset({"contact"})
        shown.append(action)
    return shown


def local_actions(*, viewer: ViewerLike, day: DayOfAction) -> list[LocalAction]:
    """The day's actions (the viewer sees the day: `day` comes from `day_access`), in the order
    the day moves around the world: by their start in UTC."""
    rows = (
        LocalAction.objects.filter(day=day)
        .select_related("organization")
        .order_by("start_at", "pk")
    )
    return hide_contacts(rows, viewer, day)


def local_action_get(*, viewer: ViewerLike, day: DayOfAction, pk: int) -> LocalAction:
    found = LocalAction.objects.filter(day=day, pk=pk).select_related("organization", "day").first()
    if found is None:
        raise Http404
    return hide_contacts([found], viewer, day)[0]


@dataclass
class CountryGroup:
    """The actions of one country, in the order the day reaches them."""

    code: str
    name: str
    actions: list[LocalAction] = field(default_factory=list)


def by_country(actions: list[LocalAction]) -> list[CountryGroup]:
    """Countries in the order of their first action (as the day moves around the world), each
    with its actions in order."""
    groups: dict[str, CountryGroup] = {}
    for action in actions:
        group = groups.get(action.country)
        if group is None:
            group = groups[action.country] = CountryGroup(
                action.country, str(iso_countries.name(action.country) or action.country)
            )
        group.actions.append(action)
    return list(groups.values())


@dataclass
class CountryAnswers:
    code: str
    name: str
    called: int
    counts: dict[str, int]
    answers: list[Answer]

    @property
    def silent(self) -> int:
        return max(self.called - sum(self.counts.values()), 0)


def answers_by_country(*, viewer: ViewerLike, day: DayOfAction) -> list[CountryAnswers]:
    """For the callers' people (404 for others): per country, how many were called, how many
    answered each way, and the answers with their organizations."""
    if not as_actor(viewer).has_perm("actions.view_answers", day):
        raise Http404
    called = Counter(Called.objects.filter(day=day).values_list("country", flat=True).order_by())
    answers = list(
        Answer.objects.filter(day=day)
        .select_related("organization")
        .order_by("country", "organization__name")
    )
    result = []
    codes = sorted(set(called) | {a.country for a in answers})
    by_code = {code: list(rows) for code, rows in groupby(answers, key=lambda a: a.country)}
    for code in codes:
        rows = by_code.get(code, [])
        result.append(
            CountryAnswers(
                code=code,
                name=str(iso_countries.name(code) or code or "—"),
                called=called.get(code, 0),
                counts=dict(Counter(a.kind for a in rows)),
                answers=rows,
            )
        )
    return result


def called_rows(day: DayOfAction) -> list[tuple[Called, list[str]]]:
    """The organizations called, by name, with why (worded in the reader's language)."""
    rows = (
        Called.objects.filter(day=day).select_related("organization").order_by("organization__name")
    )
    return [(row, [str(Reason.from_json(r)) for r in row.reasons]) for row in rows]


def call_preview(*, viewer: ViewerLike, day: DayOfAction, criteria: Criteria) -> list[Candidate]:
    """Who calling with these criteria would reach, each with its reasons: for those who may
    call (404 for others). Kept for a minute (addressing/preview.py)."""
    if not as_actor(viewer).has_perm("actions.call_organizations", day):
        raise Http404
    return route_kept(day_origin(day), criteria.clean(), fields=SEND_FIELDS).candidates


def called_ids(day: DayOfAction) -> set[int]:
    return set(Called.objects.filter(day=day).values_list("organization_id", flat=True)) | set(
        callers_of(day)
    )


def days_from(
    *, viewer: ViewerLike, appeal_id: int | None = None, statement_id: int | None = None
) -> list[DayOfAction]:
    """The days called from an appeal or a statement that the viewer may read."""
    q = Q(appeal_id=appeal_id) if appeal_id is not None else Q(statement_id=statement_id)
    return list(DayOfAction.objects.visible_to(viewer).filter(q).order_by("date", "pk"))


def reader_times(
    action: LocalAction, zone: datetime.tzinfo
) -> tuple[datetime.datetime, datetime.datetime]:
    return action.start_at.astimezone(zone), action.end_at.astimezone(zone)
