"""The REST API of days of action: calling a day, co-callers' answers, calling organizations,
answers, the answers per country, and local actions. Statuses and the error format are described
in internationale/core/api.py.

A day the caller may not see answers 404, as if it did not exist; one the caller sees but may not
act on answers 403. Calling a day for an organization the caller does not speak for answers 404,
as the organization endpoints do. With an API token, the token's organization acts, and no other.
Times of local actions are given as the wall clock of the place (`2027-05-01T10:00`, no offset)
with its IANA time zone; they are answered in UTC and in the place's zone.
"""

import datetime
import zoneinfo
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from internationale.accounts.api import ApiRequest
from internationale.addressing.api import CriteriaIn
from internationale.addressing.routing import Reason
from internationale.appeals import selectors as appeal_selectors
from internationale.campaigns import selectors as campaign_selectors
from internationale.core.api import (
    CONFLICT,
    ERRORS,
    LEFT_OUT,
    ErrorOut,
    Pagination,
    choice_of,
    idempotency_header,
)
from internationale.core.links import absolute_url
from internationale.core.services import require
from internationale.organizations.api import OrganizationRef, organization_for
from internationale.organizations.models import Organization
from internationale.statements import selectors as statement_selectors

from . import local, selectors, services
from .models import Answer, Called, CoCaller, DayOfAction, Kind, LocalAction

router = Router(tags=["actions"])
WITH_403 = {403: ErrorOut, **ERRORS}


class CoCallerOut(Schema):
    organization: OrganizationRef
    status: choice_of(CoCaller.Status)  # type: ignore[valid-type]


class DayOut(Schema):
    id: int
    title: str
    text: str = Field(description="The call, in Markdown.")
    demands: str = Field(description="One demand a line, in Markdown.")
    language: str = Field(description="The call's language, a BCP 47 tag.")
    date: datetime.date = Field(description="The calendar day, wherever each action is.")
    starts_at: datetime.datetime = Field(description="When it is this day first, at UTC+14 (UTC).")
    ends_at: datetime.datetime = Field(description="When it is this day last, at UTC−12 (UTC).")
    suggested_kinds: list[str]
    status: choice_of(DayOfAction.Status)  # type: ignore[valid-type]
    visibility: Literal["addressed", "network", "public"] = Field(
        description="addressed while prepared (the callers only), then the one chosen."
    )
    called_visibility: Literal["network", "public"]
    caller: OrganizationRef
    cocallers: list[CoCallerOut]
    appeal: int | None = Field(description="The appeal it comes from, if any.")
    statement: int | None = Field(description="The statement it comes from, if any.")
    campaign: int | None = Field(description="The campaign it comes from, if any.")
    url: str = Field(description="Its page on the platform, an absolute link.")

    @staticmethod
    def resolve_caller(obj: DayOfAction) -> Organization:
        return obj.organization

    @staticmethod
    def resolve_starts_at(obj: DayOfAction) -> datetime.datetime:
        return obj.bounds()[0]

    @staticmethod
    def resolve_ends_at(obj: DayOfAction) -> datetime.datetime:
        return obj.bounds()[1]

    @staticmethod
    def resolve_cocallers(obj: DayOfAction, context: Any) -> list[CoCaller]:
        return selectors.cocallers_shown(context["request"].auth, obj)

    @staticmethod
    def resolve_appeal(obj: DayOfAction) -> int | None:
        return obj.appeal_id

    @staticmethod
    def resolve_statement(obj: DayOfAction) -> int | None:
        return obj.statement_id

    @staticmethod
    def resolve_campaign(obj: DayOfAction) -> int | None:
        return obj.campaign_id

    @staticmethod
    def resolve_url(obj: DayOfAction) -> str:
        return absolute_url(obj.get_absolute_url())


class DayListOut(Schema):
    id: int
    title: str
    date: datetime.date
    status: choice_of(DayOfAction.Status)  # type: ignore[valid-type]
    caller: OrganizationRef

    @staticmethod
    def resolve_caller(obj: DayOfAction) -> Organization:
        return obj.organization


class DayIn(Schema):
    title: str = Field(max_length=200)
    text: str = Field(max_length=50_000, description="The call, in Markdown.")
    demands: str = Field("", max_length=10_000)
    language: str = Field(max_length=35, description="A BCP 47 tag.")
    date: datetime.date
    suggested_kinds: list[choice_of(Kind)] = Field(default_factory=list)  # type: ignore[valid-type]
    called_visibility: Literal["network", "public"] = "network"
    cocallers: list[str] = Field(
        default_factory=list, description="Slugs of verified organizations invited to call it."
    )
    appeal: int | None = Field(None, description="The appeal it comes from.")
    statement: int | None = Field(None, description="The statement it comes from.")
    campaign: int | None = Field(None, description="The campaign it comes from.")
    language_confirmed: bool = Field(
        False,
        description="Keep `language` although another was detected in the call (otherwise 400 "
        "with the code language_unconfirmed and the language `detected`).",
    )


class DayPatch(Schema):
    """The parts of the call to change; those left out keep their value. The date, the language
    and the visibility stay as called."""

    title: str = Field(LEFT_OUT, min_length=1, max_length=200)
    text: str = Field(LEFT_OUT, min_length=1, max_length=50_000, description="In Markdown.")
    demands: str = Field(LEFT_OUT, max_length=10_000)
    suggested_kinds: list[choice_of(Kind)] = LEFT_OUT  # type: ignore[valid-type]
    language_confirmed: bool = Field(
        False, description="Keep a call changed into another language than the day's."
    )


class DayCancelIn(Schema):
    reason: str = Field("", max_length=2000, description="Shown on the day's page.")


class DayInviteIn(Schema):
    cocallers: list[str] = Field(
        min_length=1, max_length=50, description="Slugs of verified organizations to invite."
    )


class CocallIn(Schema):
    organization: str = Field("", description="The invited organization you answer for (slug).")
    accept: bool


class DayCalledOut(Schema):
    organization: OrganizationRef
    country: str
    reasons: list[str] = Field(description="Why it was called, in your language.")

    @staticmethod
    def resolve_reasons(obj: Called) -> list[str]:
        return [str(Reason.from_json(r)) for r in obj.reasons]


class DayAnswerIn(Schema):
    organization: str = Field("", description="The called organization you answer for (slug).")
    kind: choice_of(Answer.Kind)  # type: ignore[valid-type]
    reason: str = Field("", max_length=2000, description="Required when it cannot act.")
    passed_to: list[str] = Field(
        default_factory=list, description="When passed on: slugs of the organizations."
    )


class AnswerOut(Schema):
    organization: OrganizationRef
    country: str
    kind: choice_of(Answer.Kind)  # type: ignore[valid-type]
    reason: str
    answered_at: datetime.datetime


class CountryAnswersOut(Schema):
    country: str = Field(description="ISO 3166 code.")
    called: int
    will_act: int
    cannot_act: int
    passed_on: int
    no_answer: int
    answers: list[AnswerOut]


class LocalActionOut(Schema):
    id: int
    organization: OrganizationRef
    kind: choice_of(Kind)  # type: ignore[valid-type]
    city: str
    country: str
    latitude: float | None
    longitude: float | None
    time_zone: str
    start_at: datetime.datetime = Field(description="In UTC.")
    end_at: datetime.datetime = Field(description="In UTC.")
    local_start: str = Field(description="On the clocks of the place, with its offset.")
    local_end: str = Field(description="On the clocks of the place, with its offset.")
    expected_participants: int | None
    description: str
    contact: str = Field(
        description="For the callers and the acting organization only; else empty."
    )
    withdrawn_at: datetime.datetime | None

    @staticmethod
    def resolve_local_start(obj: LocalAction) -> str:
        return obj.start_at.astimezone(_zone(obj)).isoformat()

    @staticmethod
    def resolve_local_end(obj: LocalAction) -> str:
        return obj.end_at.astimezone(_zone(obj)).isoformat()

    @staticmethod
    def resolve_withdrawn_at(obj: LocalAction) -> datetime.datetime | None:
        return obj.cancelled_at


def _zone(action: LocalAction) -> datetime.tzinfo:
    return zoneinfo.ZoneInfo(action.time_zone)


class LocalActionIn(Schema):
    organization: str = Field("", description="The organization acting (slug); yours if only one.")
    kind: choice_of(Kind)  # type: ignore[valid-type]
    city: str = Field(max_length=120)
    country: str = Field(max_length=2, description="ISO 3166 code.")
    time_zone: str = Field(max_length=64, description="The place's IANA time zone.")
    start: datetime.datetime = Field(description="Wall clock of the place, e.g. 2027-05-01T10:00.")
    end: datetime.datetime = Field(description="Wall clock of the place.")
    start_fold: Literal[0, 1] | None = Field(
        None,
        description="When the start happens twice (clocks going back): 0 the first, 1 the second.",
    )
    end_fold: Literal[0, 1] | None = Field(None, description="The same for the end.")
    latitude: float | None = None
    longitude: float | None = None
    expected_participants: int | None = None
    description: str = Field("", max_length=5000)
    contact: str = Field("", max_length=1000)


def _organizations(slugs: list[str], field: str) -> list[Organization]:
    found = {o.slug: o for o in Organization.objects.filter(slug__in=slugs)}
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise ValidationError(
            {field: _("No organization at: %(slugs)s.") % {"slugs": ", ".join(unknown)}},
            code="unknown",
        )
    return [found[s] for s in dict.fromkeys(slugs)]


def _acting(
    request: ApiRequest, candidates: list[Organization], slug: str, perm: str, obj: Any
) -> Organization:
    """The organization the caller acts for: the one named among `candidates`, or the only one."""
    if not candidates:
        require(request.auth, perm, obj)
    if slug:
        for organization in candidates:
            if organization.slug == slug:
                return organization
        raise ValidationError(
            {"organization": _("Name an organization you speak for that may do this.")},
            code="not_speaking",
        )
    if len(candidates) != 1:
        raise ValidationError(
            {"organization": _("Say which of your organizations acts.")}, code="required"
        )
    return candidates[0]


def _source(request: ApiRequest, name: str, pk: int | None, read: Any) -> Any:
    if pk is None:
        return None
    try:
        return read(viewer=request.auth, pk=pk)
    except Http404:
        raise ValidationError({name: _("There is no such %(what)s.") % {"what": name}}) from None


@router.get("/days", response={200: list[DayListOut], **ERRORS}, url_name="day_list")
@paginate(Pagination)
def day_list(request: ApiRequest) -> QuerySet[DayOfAction]:
    """The days of action you may read, the latest date first."""
    return selectors.day_list(viewer=request.auth)


@router.post(
    "/organizations/{slug}/days",
    response={201: DayOut, **ERRORS, **CONFLICT},
    url_name="day_create",
)
def day_create(
    request: ApiRequest,
    slug: str,
    payload: DayIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[DayOfAction]:
    """Prepare a day of action for a verified organization you speak for: the callers alone read
    it until organizations are called to it. The organizations in `cocallers` are invited to call
    it with yours."""
    organization = organization_for(request, slug, "actions.call_day")
    fields = payload.dict(exclude={"cocallers", "appeal", "statement", "campaign"})
    day = services.day_create(
        actor=request.auth,
        organization=organization,
        cocallers=_organizations(payload.cocallers, "cocallers"),
        appeal=_source(request, "appeal", payload.appeal, appeal_selectors.appeal_get),
        statement=_source(
            request, "statement", payload.statement, statement_selectors.statement_get
        ),
        campaign=_source(request, "campaign", payload.campaign, campaign_selectors.campaign_get),
        submission_key=idempotency_key,
        **fields,
    )
    return Status(201, selectors.day_get(viewer=request.auth, pk=day.pk))


@router.get("/days/{pk}", response={200: DayOut, **ERRORS}, url_name="day_detail")
def day_detail(request: ApiRequest, pk: int) -> DayOfAction:
    """A day of action you may read."""
    return selectors.day_get(viewer=request.auth, pk=pk)


@router.patch("/days/{pk}", response={200: DayOut, **WITH_403}, url_name="day_edit")
def day_edit(request: ApiRequest, pk: int, payload: DayPatch) -> DayOfAction:
    """Change the call (title, text, demands, suggested kinds): for those who speak for the
    calling organization, before the day is cancelled or over. Once called, the organizations
    called and the co-callers are told."""
    day = selectors.day_get(viewer=request.auth, pk=pk)
    fields = {
        "title": day.title,
        "text": day.text,
        "demands": day.demands,
        "suggested_kinds": day.suggested_kinds,
        **payload.dict(exclude_unset=True),
    }
    services.day_change(actor=request.auth, day=day, **fields)
    return selectors.day_get(viewer=request.auth, pk=pk)


@router.post("/days/{pk}/cancel", response={200: DayOut, **WITH_403}, url_name="day_cancel")
def day_cancel(request: ApiRequest, pk: int, payload: DayCancelIn) -> DayOfAction:
    """Cancel the day: for those who speak for the calling organization. It stays readable,
    marked cancelled; the organizations called and the co-callers are told."""
    day = selectors.day_get(viewer=request.auth, pk=pk)
    services.day_cancel(actor=request.auth, day=day, reason=payload.reason)
    return selectors.day_get(viewer=request.auth, pk=pk)


@router.post(
    "/days/{pk}/cocallers", response={201: list[CoCallerOut], **WITH_403}, url_name="day_invite"
)
def day_invite(request: ApiRequest, pk: int, payload: DayInviteIn) -> Status[Any]:
    """Invite more organizations to call the day: for those who speak for the calling
    organization. Answers those newly invited; 400 when all were invited already."""
    day = selectors.day_get(viewer=request.auth, pk=pk)
    require(request.auth, "actions.invite_cocallers", day)
    ids = services.day_invite_cocallers(
        actor=request.auth, day=day, cocallers=_organizations(payload.cocallers, "cocallers")
    )
    rows = CoCaller.objects.filter(day=day, organization_id__in=ids).select_related("organization")
    return Status(201, list(rows))


@router.post("/days/{pk}/cocall", response={200: CoCallerOut, **WITH_403}, url_name="day_cocall")
def day_cocall(request: ApiRequest, pk: int, payload: CocallIn) -> CoCaller:
    """Accept or decline to call the day: for those who speak for an organization invited to."""
    day = selectors.day_get(viewer=request.auth, pk=pk)
    invited = [c.organization for c in selectors.cocall_invited_as(request.auth, day)]
    organization = _acting(request, invited, payload.organization, "actions.answer_cocall", day)
    return services.cocall_answer(
        actor=request.auth, day=day, organization=organization, accept=payload.accept
    )


@router.post(
    "/days/{pk}/called", response={201: list[DayCalledOut], **WITH_403}, url_name="day_call"
)
def day_call(request: ApiRequest, pk: int, payload: CriteriaIn) -> Status[Any]:
    """Call the organizations the criteria choose: for those who speak for the calling
    organization. The first call opens the day to its visibility. Answers those newly called, or
    400 when there is none."""
    day = selectors.day_get(viewer=request.auth, pk=pk)
    ids = services.day_call(actor=request.auth, day=day, criteria=payload.criteria())
    rows = Called.objects.filter(day=day, organization_id__in=ids).select_related("organization")
    return Status(201, list(rows.order_by("organization__name")))


@router.post("/days/{pk}/answer", response={200: AnswerOut, **WITH_403}, url_name="day_answer")
def day_answer(request: ApiRequest, pk: int, payload: DayAnswerIn) -> Answer:
    """Answer the call for a called organization you speak for: will act, cannot act (with a
    reason) or passed on (to `passed_to`). A new answer replaces the earlier one."""
    day = selectors.day_get(viewer=request.auth, pk=pk)
    organization = _acting(
        request,
        selectors.called_as(request.auth, day),
        payload.organization,
        "actions.answer_day",
        day,
    )
    return services.day_answer(
        actor=request.auth,
        day=day,
        organization=organization,
        kind=payload.kind,
        reason=payload.reason,
        passed_to=_organizations(payload.passed_to, "passed_to"),
    )


@router.get(
    "/days/{pk}/answers",
    response={200: list[CountryAnswersOut], **WITH_403},
    url_name="day_answers",
)
def day_answers(request: ApiRequest, pk: int) -> list[dict[str, Any]]:
    """The answers per country: for the callers' people."""
    day = selectors.day_get(viewer=request.auth, pk=pk)
    require(request.auth, "actions.view_answers", day)
    return [
        {
            "country": c.code,
            "called": c.called,
            "will_act": c.counts.get("will_act", 0),
            "cannot_act": c.counts.get("cannot_act", 0),
            "passed_on": c.counts.get("passed_on", 0),
            "no_answer": c.silent,
            "answers": c.answers,
        }
        for c in selectors.answers_by_country(viewer=request.auth, day=day)
    ]


@router.get(
    "/days/{pk}/actions",
    response={200: list[LocalActionOut], **ERRORS},
    url_name="local_action_list",
)
@paginate(Pagination)
def local_action_list(request: ApiRequest, pk: int) -> list[LocalAction]:
    """The day's local actions in the order the day moves around the world (by their start in
    UTC). Contacts: for the callers and the acting organization only."""
    day = selectors.day_get(viewer=request.auth, pk=pk)
    return selectors.local_actions(viewer=request.auth, day=day)


@router.post(
    "/days/{pk}/actions",
    response={201: LocalActionOut, **WITH_403, **CONFLICT},
    url_name="local_action_create",
)
def local_action_create(
    request: ApiRequest,
    pk: int,
    payload: LocalActionIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[LocalAction]:
    """Register an action for a verified organization you speak for. A wall time the clocks skip
    that day is refused; one they show twice needs `start_fold` or `end_fold`."""
    day = selectors.day_get(viewer=request.auth, pk=pk)
    organization = _acting(
        request,
        selectors.acting_as(request.auth),
        payload.organization,
        "actions.register_action",
        day,
    )
    fields = payload.dict(exclude={"organization", "latitude", "longitude"})
    action = local.local_action_register(
        actor=request.auth,
        day=day,
        organization=organization,
        latitude=None if payload.latitude is None else Decimal(str(payload.latitude)),
        longitude=None if payload.longitude is None else Decimal(str(payload.longitude)),
        submission_key=idempotency_key,
        **fields,
    )
    return Status(201, selectors.local_action_get(viewer=request.auth, day=day, pk=action.pk))


@router.get(
    "/days/{pk}/actions/{action_pk}",
    response={200: LocalActionOut, **ERRORS},
    url_name="local_action_detail",
)
def local_action_detail(request: ApiRequest, pk: int, action_pk: int) -> LocalAction:
    day = selectors.day_get(viewer=request.auth, pk=pk)
    return selectors.local_action_get(viewer=request.auth, day=day, pk=action_pk)


@router.post(
    "/days/{pk}/actions/{action_pk}/withdraw",
    response={200: LocalActionOut, **WITH_403},
    url_name="local_action_withdraw",
)
def local_action_withdraw(request: ApiRequest, pk: int, action_pk: int) -> LocalAction:
    """Withdraw an action: for those who speak for its organization. It stays listed."""
    day = selectors.day_get(viewer=request.auth, pk=pk)
    action = selectors.local_action_get(viewer=request.auth, day=day, pk=action_pk)
    local.local_action_withdraw(actor=request.auth, action=action)
    return selectors.local_action_get(viewer=request.auth, day=day, pk=action_pk)
