"""HTML pages of reports back and the aggregated report: a local action's report, reporting back
(with photos), a report's photos, the aggregated report of a day with its world map (kept for
signed-out readers of a public day: public_reports.py), as CSV, and the callers' approval that
publishes it to the library.

As on the other pages: a day the viewer may not see answers 404, as if missing, and so does an
action, report or photo of another day; a visible one, with an action reserved to other roles,
403; an anonymous visitor on a page that needs an account is sent to sign in. Refused input
re-renders the form with its errors and changes nothing.
"""

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from internationale.core.actors import actor_of
from internationale.core.cache import Page, page_content
from internationale.core.links import absolute_url
from internationale.core.predicates import SPEAKING_ROLES, organizations_of
from internationale.core.services import allowed, require
from internationale.organizations.models import Organization

from . import public_reports, reports, selectors
from .aggregate import aggregate_csv, day_aggregate
from .forms import add_service_errors
from .forms_reports import ApproveForm, ReportForm, WithdrawForm
from .models import DayOfAction, LocalAction, Report, ReportPhoto
from .rules import callers_of

GET_POST = require_http_methods(["GET", "POST"])


def _action(request: HttpRequest, pk: int, action_pk: int) -> tuple[DayOfAction, LocalAction]:
    viewer = actor_of(request)
    day = selectors.day_get(viewer=viewer, pk=pk)
    return day, selectors.local_action_get(viewer=viewer, day=day, pk=action_pk)


def _own_action(request: HttpRequest, action: LocalAction) -> None:
    """Another organization's action answers 404 to writes, as if missing; its own members and
    observers get 403 from the rule."""
    if action.organization_id not in organizations_of(actor_of(request)):
        raise Http404
    require(actor_of(request), "actions.report_action", action)


def _report(action: LocalAction) -> Report:
    report = reports.report_of(action)
    if report is None:
        raise Http404
    return report


@require_safe
def report_detail(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """What happened at the action, as its organization reports it; before a report, says so."""
    day, action = _action(request, pk, action_pk)
    report = reports.report_of(action)
    may_report = allowed(actor_of(request), "actions.report_action", action)
    return render(
        request,
        "actions/report_detail.html",
        {"day": day, "action": action, "report": report, "may_report": may_report},
    )


@GET_POST
@login_required
def report_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Report back (or change the report): outcome, participants, what happened, press links,
    photos."""
    day, action = _action(request, pk, action_pk)
    _own_action(request, action)
    report = reports.report_of(action)
    initial: dict[str, Any] = {}
    if report is not None:
        initial = {
            "outcome": report.outcome,
            "participants": report.participants,
            "text": report.text,
            "language": report.language,
            "press_links": "\n".join(report.press_links),
        }
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            reports.report_submit(
                actor=actor_of(request),
                action=action,
                submission_key=form.cleaned_data.get("submission_key"),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The report is saved; the callers are told.")
                if report is None
                else _("The report is changed."),
            )
            return redirect("report_detail", day.pk, action.pk)
    return render(
        request,
        "actions/report_form.html",
        {"day": day, "action": action, "report": report, "form": form},
    )


def _photo(request: HttpRequest, pk: int, action_pk: int, photo: int) -> ReportPhoto:
    _day, action = _action(request, pk, action_pk)
    return reports.photo_get(report=_report(action), pk=photo)


@require_safe
def report_photo(request: HttpRequest, pk: int, action_pk: int, photo: int) -> FileResponse:
    """A photo of a report, for whoever reads the day. Photos are images encoded again by the
    server (core/uploads.py), shown inline with their own type."""
    found = _photo(request, pk, action_pk, photo)
    name = (found.file.name or "photo").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower()
    content_type = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}.get(
        extension, f"image/{extension}"
    )
    response = FileResponse(found.file.open("rb"), filename=name, content_type=content_type)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@GET_POST
@login_required
def report_photo_remove(request: HttpRequest, pk: int, action_pk: int, photo: int) -> HttpResponse:
    """Ask to confirm, then remove a photo of the report."""
    found = _photo(request, pk, action_pk, photo)
    action = found.report.action
    _own_action(request, action)
    if request.method == "POST":
        reports.report_photo_remove(actor=actor_of(request), photo=found)
        messages.success(request, _("The photo is removed."))
        return redirect("report_detail", pk, action_pk)
    return render(
        request,
        "actions/report_photo_remove.html",
        {"day": action.day, "action": action, "photo": found},
    )


def share_links(day: DayOfAction) -> list[tuple[str, str]]:
    """Links that share the report's page: plain addresses, no script of anyone."""
    url = quote(absolute_url(day_report_url(day)), safe="")
    text = quote(_("Report: %(title)s") % {"title": day.title}, safe="")
    return [
        (_("E-mail"), f"mailto:?subject={text}&body={url}"),
        ("Mastodon", f"https://mastodon.social/share?text={text}%20{url}"),
        ("Bluesky", f"https://bsky.app/intent/compose?text={text}%20{url}"),
        ("Telegram", f"https://t.me/share/url?url={url}&text={text}"),
        ("WhatsApp", f"https://wa.me/?text={text}%20{url}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={url}"),
    ]


def day_report_url(day: DayOfAction) -> str:
    return reverse("day_report", args=[day.pk])


def _report_page(request: HttpRequest, pk: int) -> Page:
    viewer = actor_of(request)
    day = selectors.day_get(viewer=viewer, pk=pk)
    if day.is_draft:
        raise Http404
    found = day_aggregate(day=day)
    context = {
        "day": day,
        "found": found,
        "public": day.visibility == "public",
        "share": share_links(day) if day.visibility == "public" else [],
    }
    return Page(
        title=_("Report: %(title)s") % {"title": day.title},
        content=page_content("actions/_day_report.html", context, request),
        public=day.visibility == "public",
    )


def _approval_context(request: HttpRequest, day: DayOfAction) -> dict[str, Any]:
    if not request.user.is_authenticated or not selectors.is_caller(actor_of(request), day):
        return {}
    done = reports.approvals(day)
    callers = Organization.objects.filter(pk__in=callers_of(day)).order_by("name")
    may = allowed(actor_of(request), "actions.approve_report", day)
    mine = set(organizations_of(actor_of(request), SPEAKING_ROLES))
    return {
        "approvals": [(o, done.get(o.pk)) for o in callers],
        "may_approve": day.report_published_at is None and may,
        "may_withdraw": may and bool(mine & set(done)),
    }


@require_safe
def day_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The aggregated report: countries, actions by kind, reported participants, the timeline
    and the world map; printable. Kept for signed-out readers of a public day."""
    page = public_reports.pages.serve(request, pk, lambda: _report_page(request, pk))
    day = DayOfAction.objects.get(pk=pk)
    return render(
        request,
        "actions/day_report.html",
        {"page": page, "day": day, **_approval_context(request, day)},
    )


@require_safe
def day_report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The aggregated report as CSV, one row per action, for whoever reads the day."""
    day = selectors.day_get(viewer=actor_of(request), pk=pk)
    if day.is_draft:
        raise Http404
    response = HttpResponse(
        aggregate_csv(day_aggregate(day=day)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="day-of-action-{day.pk}-report.csv"'
    return response


def _callers_one_speaks_for(
    request: HttpRequest, pk: int, *, approved: bool
) -> tuple[DayOfAction, list[Organization]]:
    """The day, and the callers one speaks for that have (`approved`) or have not approved its
    report yet: whom one may approve or withdraw an approval for."""
    day = selectors.day_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "actions.approve_report", day)
    mine = set(organizations_of(actor_of(request), SPEAKING_ROLES)) & callers_of(day)
    done = set(reports.approvals(day))
    chosen = mine & done if approved else mine - done
    return day, list(Organization.objects.filter(pk__in=chosen).order_by("name"))


@GET_POST
@login_required
def day_report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """A caller approves the report; once every caller has, it is published to the library."""
    day, organizations = _callers_one_speaks_for(request, pk, approved=False)
    form = ApproveForm(
        request.POST if request.method == "POST" else None, organizations=organizations
    )
    if request.method == "POST" and form.is_valid():
        organization = next(o for o in organizations if o.pk == form.cleaned_data["organization"])
        try:
            published = reports.report_approve(
                actor=actor_of(request), day=day, organization=organization
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Every caller approved the report: it is published to the library.")
                if published
                else _(
                    "Your approval is recorded; the report is published once every caller approved it."
                ),
            )
            return redirect("day_report", day.pk)
    return render(
        request,
        "actions/day_report_approve.html",
        {"day": day, "form": form, "organizations": organizations},
    )


@GET_POST
@login_required
def day_report_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then take back an approval of the report given for a caller one speaks
    for; a published report leaves the library."""
    day, organizations = _callers_one_speaks_for(request, pk, approved=True)
    form = WithdrawForm(
        request.POST if request.method == "POST" else None, organizations=organizations
    )
    if request.method == "POST" and form.is_valid():
        organization = next(o for o in organizations if o.pk == form.cleaned_data["organization"])
        try:
            unpublished = reports.report_approval_withdraw(
                actor=actor_of(request), day=day, organization=organization
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your approval is withdrawn: the report is no longer in the library.")
                if unpublished
                else _("Your approval is withdrawn."),
            )
            return redirect("day_report", day.pk)
    return render(
        request,
        "actions/day_report_withdraw.html",
        {"day": day, "form": form, "organizations": organizations},
    )
