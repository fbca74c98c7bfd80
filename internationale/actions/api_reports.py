"""The REST API of reports back and the aggregated report, on the router of days of action
(api.py; imported when the app is ready). Statuses and the error format: core/api.py.

A day the caller may not see answers 404, as an action of another day does; reporting on another
organization's action answers 404 too, while its own members and observers get 403. A report is
sent as JSON; its photos one by one as multipart/form-data (`photo`, `caption`), checked and
stripped of their metadata as on the pages. The aggregated report is JSON, or CSV at
`/days/{pk}/report.csv`.
"""

import datetime
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from internationale.accounts.api import ApiRequest
from internationale.core.api import CONFLICT, ERRORS, Pagination, choice_of, idempotency_header
from internationale.core.links import absolute_url
from internationale.core.predicates import SPEAKING_ROLES, organizations_of
from internationale.core.services import require
from internationale.organizations.models import Organization

from . import reports, selectors
from .aggregate import aggregate_csv, day_aggregate
from .api import WITH_403, OrganizationRef, router
from .models import Kind, LocalAction, Report, ReportPhoto
from .rules import callers_of


class PhotoOut(Schema):
    id: int
    caption: str
    url: str = Field(description="The photo, for whoever reads the day (a page of the platform).")

    @staticmethod
    def resolve_url(obj: ReportPhoto) -> str:
        action = obj.report.action
        return absolute_url(reverse("report_photo", args=[action.day_id, action.pk, obj.pk]))


class ReportOut(Schema):
    action: int
    organization: OrganizationRef
    city: str
    country: str
    outcome: choice_of(Report.Outcome)  # type: ignore[valid-type]
    participants: int | None = Field(description="As reported by the organization.")
    text: str = Field(description="What happened, in Markdown.")
    language: str
    press_links: list[str]
    photos: list[PhotoOut]
    reported_at: datetime.datetime
    updated_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_action(obj: Report) -> int:
        return obj.action_id

    @staticmethod
    def resolve_organization(obj: Report) -> Organization:
        return obj.action.organization

    @staticmethod
    def resolve_city(obj: Report) -> str:
        return obj.action.city

    @staticmethod
    def resolve_country(obj: Report) -> str:
        return obj.action.country

    @staticmethod
    def resolve_photos(obj: Report) -> list[ReportPhoto]:
        return list(obj.photos.order_by("pk"))

    @staticmethod
    def resolve_reported_at(obj: Report) -> datetime.datetime:
        return obj.created_at

    @staticmethod
    def resolve_url(obj: Report) -> str:
        return absolute_url(reverse("report_detail", args=[obj.action.day_id, obj.action_id]))


class ReportIn(Schema):
    outcome: choice_of(Report.Outcome)  # type: ignore[valid-type]
    participants: int | None = Field(None, description="From 0 to 10,000,000; as you counted.")
    text: str = Field(max_length=20_000, description="What happened, in Markdown.")
    language: str = Field("", max_length=35, description="A BCP 47 tag.")
    press_links: list[str] = Field(
        default_factory=list, description="Addresses (http, https) of press coverage, at most 10."
    )


class CountryOut(Schema):
    country: str = Field(description="ISO 3166 code.")
    name: str
    actions: int
    reports: int
    participants: int = Field(description="The sum of the figures reported.")


class KindOut(Schema):
    kind: choice_of(Kind)  # type: ignore[valid-type]
    actions: int


class TimelineOut(Schema):
    action: int
    start_at: datetime.datetime = Field(description="In UTC.")
    local_start: str = Field(description="On the clocks of the place, with its offset.")
    time_zone: str
    kind: choice_of(Kind)  # type: ignore[valid-type]
    city: str
    country: str
    organization: OrganizationRef
    outcome: str | None = Field(description="Its report's outcome; null before a report.")
    participants: int | None = Field(description="As reported; null when not reported.")


class AggregateOut(Schema):
    day: int
    title: str
    date: datetime.date
    actions: int
    countries: list[CountryOut]
    kinds: list[KindOut]
    participants: int = Field(
        description="The sum of the participants reported by the organizations (not checked)."
    )
    participants_reported_by: int = Field(description="How many reports give a figure.")
    timeline: list[TimelineOut]
    approved_by: list[OrganizationRef] | None = Field(
        description="The callers that approved it; for the callers' people only, else null."
    )
    published_document: int | None = Field(
        description="Its report-back document in the library, once every caller approved it."
    )


class ReportApproveIn(Schema):
    organization: str = Field("", description="The caller you approve for (slug); yours if one.")


def _action(request: ApiRequest, pk: int, action_pk: int) -> LocalAction:
    day = selectors.day_get(viewer=request.auth, pk=pk)
    return selectors.local_action_get(viewer=request.auth, day=day, pk=action_pk)


def _own(request: ApiRequest, action: LocalAction) -> None:
    if action.organization_id not in organizations_of(request.auth):
        raise Http404
    require(request.auth, "actions.report_action", action)


def _report(action: LocalAction) -> Report:
    report = reports.report_of(action)
    if report is None:
        raise Http404
    return report


@router.get("/days/{pk}/reports", response={200: list[ReportOut], **ERRORS}, url_name="report_list")
@paginate(Pagination)
def report_list(request: ApiRequest, pk: int) -> list[Report]:
    """The reports back of the day's actions (withdrawn ones left out), the latest first."""
    day = selectors.day_get(viewer=request.auth, pk=pk)
    return list(
        Report.objects.filter(action__day=day, action__cancelled_at__isnull=True)
        .select_related("action", "action__organization")
        .order_by("-created_at", "-pk")
    )


@router.get(
    "/days/{pk}/actions/{action_pk}/report",
    response={200: ReportOut, **ERRORS},
    url_name="report_detail",
)
def report_detail(request: ApiRequest, pk: int, action_pk: int) -> Report:
    """The report of an action; 404 before there is one."""
    return _report(_action(request, pk, action_pk))


@router.put(
    "/days/{pk}/actions/{action_pk}/report",
    response={200: ReportOut, 201: ReportOut, **WITH_403, **CONFLICT},
    url_name="report_submit",
)
def report_submit(
    request: ApiRequest,
    pk: int,
    action_pk: int,
    payload: ReportIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Report]:
    """Report back on an action of an organization you speak for, once it has started (201), or
    change its report (200). The callers are told of a new report."""
    action = _action(request, pk, action_pk)
    _own(request, action)
    new = reports.report_of(action) is None
    reports.report_submit(
        actor=request.auth, action=action, submission_key=idempotency_key, **payload.dict()
    )
    return Status(201 if new else 200, _report(action))


PHOTO_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["photo"],
                    "properties": {
                        "photo": {
                            "type": "string",
                            "format": "binary",
                            "description": "JPEG, PNG, GIF or WebP (not animated), at most "
                            "10 MB; stored re-encoded, without EXIF, GPS, XMP or comments.",
                        },
                        "caption": {"type": "string", "maxLength": 300},
                    },
                }
            }
        },
    }
}


@router.post(
    "/days/{pk}/actions/{action_pk}/report/photos",
    response={201: PhotoOut, **WITH_403},
    url_name="report_photo_add",
    openapi_extra=PHOTO_BODY,
)
def report_photo_add(request: ApiRequest, pk: int, action_pk: int) -> Status[ReportPhoto]:
    """Add a photo to the report (multipart/form-data). The people who can be recognized in it
    are your organization's responsibility."""
    action = _action(request, pk, action_pk)
    _own(request, action)
    report = _report(action)
    upload = request.FILES.get("photo") if request.content_type == "multipart/form-data" else None
    if upload is None:
        raise ValidationError(
            {"photo": _("Send the photo as multipart/form-data, in the field “photo”.")},
            code="required",
        )
    caption = request.POST.get("caption", "")
    photo = reports.report_photo_add(
        actor=request.auth, report=report, upload=upload, caption=caption
    )
    return Status(201, photo)


@router.delete(
    "/days/{pk}/actions/{action_pk}/report/photos/{photo}",
    response={204: None, **WITH_403},
    url_name="report_photo_remove",
)
def report_photo_remove(request: ApiRequest, pk: int, action_pk: int, photo: int) -> Status[None]:
    """Remove a photo of the report, and its file."""
    action = _action(request, pk, action_pk)
    _own(request, action)
    found = reports.photo_get(report=_report(action), pk=photo)
    reports.report_photo_remove(actor=request.auth, photo=found)
    return Status(204, None)


def _aggregate(request: ApiRequest, pk: int) -> Any:
    day = selectors.day_get(viewer=request.auth, pk=pk)
    if day.is_draft:
        raise Http404
    return day, day_aggregate(day=day)


@router.get("/days/{pk}/report", response={200: AggregateOut, **ERRORS}, url_name="day_report")
def day_report(request: ApiRequest, pk: int) -> dict[str, Any]:
    """The aggregated report: countries, actions by kind, the participants reported, the timeline
    as the day moved around the world; whether the callers approved it."""
    day, found = _aggregate(request, pk)
    approved = None
    if selectors.is_caller(request.auth, day):
        done = reports.approvals(day)
        approved = list(Organization.objects.filter(pk__in=done).order_by("name"))
    reports_of = found.reports_of
    return {
        "day": day.pk,
        "title": day.title,
        "date": day.date,
        "actions": len(found.actions),
        "countries": [
            {
                "country": c.code,
                "name": c.name,
                "actions": c.actions,
                "reports": c.reported,
                "participants": c.participants,
            }
            for c in found.countries
        ],
        "kinds": [{"kind": k.kind, "actions": k.actions} for k in found.kinds],
        "participants": found.participants,
        "participants_reported_by": found.reported_figures,
        "timeline": [
            {
                "action": a.pk,
                "start_at": a.start_at,
                "local_start": a.start_at.astimezone(zoneinfo.ZoneInfo(a.time_zone)).isoformat(),
                "time_zone": a.time_zone,
                "kind": a.kind,
                "city": a.city,
                "country": a.country,
                "organization": a.organization,
                "outcome": reports_of[a.pk].outcome if a.pk in reports_of else None,
                "participants": reports_of[a.pk].participants if a.pk in reports_of else None,
            }
            for a in found.actions
        ],
        "approved_by": approved,
        "published_document": day.report_document_id,
    }


@router.get(
    "/days/{pk}/report.csv",
    response={200: None, **ERRORS},
    url_name="day_report_csv",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The aggregated report, one row per action.",
                "content": {"text/csv": {}},
            }
        }
    },
)
def day_report_csv(request: ApiRequest, pk: int) -> HttpResponse:
    """The aggregated report as CSV: one row per action, in the order of the day."""
    day, found = _aggregate(request, pk)
    response = HttpResponse(aggregate_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="day-of-action-{day.pk}-report.csv"'
    return response


@router.post(
    "/days/{pk}/report/approve",
    response={200: AggregateOut, **WITH_403},
    url_name="day_report_approve",
)
def day_report_approve(request: ApiRequest, pk: int, payload: ReportApproveIn) -> dict[str, Any]:
    """Approve the aggregated report for a caller you speak for. Once every caller approved it, it
    is published to the library (`published_document`)."""
    day = selectors.day_get(viewer=request.auth, pk=pk)
    require(request.auth, "actions.approve_report", day)
    mine = list(
        Organization.objects.filter(
            pk__in=set(organizations_of(request.auth, SPEAKING_ROLES)) & callers_of(day)
        ).order_by("name")
    )
    if payload.organization:
        chosen = [o for o in mine if o.slug == payload.organization]
        if not chosen:
            raise ValidationError(
                {"organization": _("Name a caller you speak for.")}, code="not_speaking"
            )
    elif len(mine) != 1:
        raise ValidationError(
            {"organization": _("Say which of your organizations approves.")}, code="required"
        )
    else:
        chosen = mine
    reports.report_approve(actor=request.auth, day=day, organization=chosen[0])
    return day_report(request, pk)


@router.delete(
    "/days/{pk}/report/approve",
    response={200: AggregateOut, **WITH_403},
    url_name="day_report_withdraw",
)
def day_report_withdraw(request: ApiRequest, pk: int, organization: str = "") -> dict[str, Any]:
    """Withdraw the approval a caller you speak for gave (`organization`: its slug; needed only
    if you speak for several that approved). A report every caller had approved leaves the
    library: its document is deleted, and approving again publishes it anew."""
    day = selectors.day_get(viewer=request.auth, pk=pk)
    require(request.auth, "actions.approve_report", day)
    approved = set(reports.approvals(day))
    mine = list(
        Organization.objects.filter(
            pk__in=set(organizations_of(request.auth, SPEAKING_ROLES)) & callers_of(day)
        ).order_by("name")
    )
    if organization:
        chosen = [o for o in mine if o.slug == organization]
        if not chosen:
            raise ValidationError(
                {"organization": _("Name a caller you speak for.")}, code="not_speaking"
            )
    else:
        chosen = [o for o in mine if o.pk in approved] or mine[:1]
        if len(chosen) != 1:
            raise ValidationError(
                {"organization": _("Say which of your organizations withdraws its approval.")},
                code="required",
            )
    reports.report_approval_withdraw(actor=request.auth, day=day, organization=chosen[0])
    return day_report(request, pk)
