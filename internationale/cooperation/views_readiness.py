"""The readiness page of a multilateral meeting (readiness.py), and proposing from it a bilateral
meeting between two participants that have not met. For the people of the host and of the
participants; 404 for anyone else, and for a meeting of another kind."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from internationale.core.actors import actor_of
from internationale.core.services import require
from internationale.organizations import selectors as org_selectors
from internationale.organizations.models import Organization

from . import readiness, selectors
from .forms import add_service_errors
from .forms_series import ProposalForm
from .models import Meeting

PAGE_SIZE = 50


def _one_of(ready: readiness.Readiness, slug: str | None) -> Organization | None:
    return next((o for o in ready.participants if o.slug == slug), None) if slug else None


@require_safe
@login_required
def meeting_readiness(request: HttpRequest, pk: int) -> HttpResponse:
    """The share of pairs that have met, the missing pairs (by page, grouped by the pair's first
    organization, or one organization's with ?organization=), and the grid up to 30."""
    meeting = selectors.meeting_get(viewer=actor_of(request), pk=pk)
    ready = readiness.readiness_get(viewer=actor_of(request), meeting=meeting)
    chosen = _one_of(ready, request.GET.get("organization"))
    page = Paginator(ready.missing(chosen), PAGE_SIZE).get_page(request.GET.get("page"))
    speaking = {o.pk for o in org_selectors.verified_spoken_for(viewer=actor_of(request))}
    groups: dict[int, dict[str, Any]] = {}
    for a, b in page:
        mine = a if a.pk in speaking else b if b.pk in speaking else None
        group = groups.setdefault(a.pk, {"organization": a, "pairs": []})
        group["pairs"].append(
            {"partner": b, "host": mine, "other": (b if mine is a else a) if mine else None}
        )
    context = {
        "meeting": meeting,
        "ready": ready,
        "chosen": chosen,
        "page": page,
        "groups": list(groups.values()),
        "grid": ready.grid() if ready.shows_grid else None,
    }
    return render(request, "cooperation/meeting_readiness.html", context)


def _initial(meeting: Meeting, mine: Organization, partner: Organization) -> dict[str, Any]:
    start = readiness.proposed_start(meeting)
    return {
        "title": _("%(a)s and %(b)s before %(meeting)s")
        % {
            "a": mine.short_name or mine.name,
            "b": partner.short_name or partner.name,
            "meeting": meeting.title,
        },
        "start": start,
        "end": start + datetime.timedelta(hours=2),
        "time_zone": meeting.time_zone,
        "languages": ", ".join(meeting.languages),
        "visibility": "addressed",
    }


@require_http_methods(["GET", "POST"])
@login_required
def readiness_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan-a-meeting form for a bilateral meeting between `organization` (which the viewer
    speaks for) and `partner`, both participants, before the multilateral meeting."""
    meeting = selectors.meeting_get(viewer=actor_of(request), pk=pk)
    ready = readiness.readiness_get(viewer=actor_of(request), meeting=meeting)
    mine = _one_of(ready, request.GET.get("organization"))
    partner = _one_of(ready, request.GET.get("partner"))
    if mine is None or partner is None or mine.pk == partner.pk:
        raise Http404
    require(actor_of(request), "cooperation.host_meeting", mine)
    form = ProposalForm(
        request.POST if request.method == "POST" else None,
        organizations=[mine],
        initial=_initial(meeting, mine, partner),
    )
    if request.method == "POST" and form.is_valid():
        try:
            readiness.bilateral_propose(
                actor=actor_of(request),
                meeting=meeting,
                organization=mine,
                partner=partner,
                submission_key=form.cleaned_data.get("submission_key"),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The bilateral meeting is proposed: %(partner)s is invited.")
                % {"partner": partner.name},
            )
            return redirect("meeting_readiness", meeting.pk)
    context = {"form": form, "meeting": meeting, "mine": mine, "partner": partner}
    return render(request, "cooperation/readiness_propose.html", context)
