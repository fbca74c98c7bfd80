"""Pages of series of meetings: starting a series from a meeting, a series and its editions,
preparing the next edition from the last one. As for meetings: what the viewer may not see
answers 404, an action reserved to others 403, refused input re-renders the form."""

import zoneinfo
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from internationale.core.actors import actor_of
from internationale.core.models import Visibility
from internationale.core.services import require

from . import selectors, series
from .forms import add_service_errors
from .forms_series import EditionForm, SeriesForm
from .models import Meeting
from .readiness import MULTILATERAL_KINDS

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 20


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def meeting_series_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """What the meeting's page shows of its series ("Edition N of …", the editions around it,
    whether the viewer may start a series from it) and whether it links to its readiness."""
    viewer = actor_of(request)
    previous, following = series.neighbours(viewer=viewer, meeting=meeting)
    return {
        "previous_edition": previous,
        "next_edition": following,
        "may_start_series": meeting.series_id is None
        and meeting.kind != Meeting.Kind.DELEGATION
        and viewer.has_perm("cooperation.start_series", meeting),
        "may_see_readiness": meeting.kind in MULTILATERAL_KINDS
        and viewer.has_perm("cooperation.view_readiness", meeting),
    }


@GET_POST
@login_required
def series_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the meeting the first edition of a series."""
    meeting = selectors.meeting_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "cooperation.start_series", meeting)
    if meeting.series_id is not None:
        return redirect("series_detail", meeting.series_id)
    form = SeriesForm(_data(request), initial={"title": meeting.title, "period": "yearly"})
    if request.method == "POST" and form.is_valid():
        try:
            made = series.series_create(
                actor=actor_of(request), meeting=meeting, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting is the first edition of the series."))
            return redirect("series_detail", made.pk)
    return render(request, "cooperation/series_form.html", {"form": form, "meeting": meeting})


@require_safe
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = series.series_get(viewer=actor_of(request), pk=pk)
    editions = series.edition_list(viewer=actor_of(request), series=found)
    context = {
        "series": found,
        "page": Paginator(editions, PAGE_SIZE).get_page(request.GET.get("page")),
        "may_prepare": actor_of(request).has_perm("cooperation.prepare_edition", found),
    }
    return render(request, "cooperation/series_detail.html", context)


@GET_POST
@login_required
def series_next(request: HttpRequest, pk: int) -> HttpResponse:
    """The form of the next edition, prefilled from the last; saving invites its participants.
    Before a next edition seen more widely than the last one takes over its agenda and open
    tasks, the page lists their titles and asks again, the carrying over unticked."""
    found = series.series_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "cooperation.prepare_edition", found)
    previous = series.last_edition(found)
    carried = series.carried_agenda(previous)
    initial = series.next_edition_initial(found, previous)
    initial["languages"] = ", ".join(initial["languages"])
    initial["carry_agenda"] = True  # the same visibility as the last edition's: not wider
    form = EditionForm(_data(request), series=found, initial=initial)
    wider = None
    if request.method == "POST" and form.is_valid():
        visibility = form.cleaned_data["visibility"]
        if (
            carried
            and form.cleaned_data["carry_agenda"]
            and series.is_wider(previous, visibility)
            and form.cleaned_data["reviewed"] != visibility
        ):
            data = request.POST.copy()
            data["reviewed"] = visibility
            data.pop("carry_agenda", None)
            form = EditionForm(data, series=found, initial=initial)
            wider = Visibility(visibility).label
        else:
            try:
                meeting = series.series_next_edition(
                    actor=actor_of(request),
                    series=found,
                    submission_key=form.cleaned_data.get("submission_key"),
                    **form.service_fields(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Edition %(edition)s is planned; the participants of the last one are "
                        "invited."
                    )
                    % {"edition": meeting.edition},
                )
                return redirect("meeting_detail", meeting.pk)
    context = {
        "form": form,
        "series": found,
        "previous": previous,
        "edition": (previous.edition or 0) + 1,
        "zone": zoneinfo.ZoneInfo(previous.time_zone),
        "carried": carried,
        "wider": wider,
    }
    return render(request, "cooperation/series_next.html", context)
