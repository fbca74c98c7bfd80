"""Pages for calendars: cancelling a meeting, an organization's calendar feed (its secret address
and renewing it), the feed itself (no sign-in: the address is the key), and the check of times
the planning and change forms make without saving."""

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from internationale.core.actors import ActorLike, actor_of
from internationale.core.services import require
from internationale.organizations import selectors as org_selectors
from internationale.organizations.models import Organization

from . import calendar, feeds, selectors, services, timing
from .cancellation import REASON_MAX, meeting_cancel
from .forms import add_service_errors
from .models import CalendarFeed, Meeting

GET_POST = require_http_methods(["GET", "POST"])
TIME_FIELDS = ("start", "end", "time_zone", "start_fold", "end_fold")


# Checking times (the planning and change forms) ---------------------------------------------


def checking(request: HttpRequest) -> bool:
    """Whether the form was sent with its "Check times" button: shown again, not saved."""
    return request.method == "POST" and "check" in request.POST


def check_times(
    form: django_forms.Form,
    *,
    actor: ActorLike,
    host: Organization | None,
    organizations: list[Organization],
    meeting: Meeting | None = None,
) -> list[timing.ParticipantTime] | None:
    """The participants' times for the times the form holds, or None with the form's errors on
    the times. Only errors of the times are kept: the rest of the form is being filled in."""
    form.is_valid()
    for name in list(form.errors):
        if name not in TIME_FIELDS:
            del form.errors[name]
    data = form.cleaned_data
    if any(name not in data for name in TIME_FIELDS):
        return None
    try:
        start_at, end_at, _zone = services.check_times(
            data["start"],
            data["end"],
            data["time_zone"],
            data.get("start_fold"),
            data.get("end_fold"),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    return timing.participant_times(
        viewer=actor,
        start_at=start_at,
        end_at=end_at,
        organizations=organizations,
        host=host,
        meeting=meeting,
    )


# Cancelling a meeting -----------------------------------------------------------------------


class CancelForm(django_forms.Form):
    reason = django_forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        required=False,
        max_length=REASON_MAX,
        widget=django_forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Told to the organizations invited, with the cancellation."),
    )


@GET_POST
@login_required
def meeting_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then cancel: for the host's speakers."""
    meeting = selectors.meeting_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "cooperation.cancel_meeting", meeting)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_cancel(
                actor=actor_of(request), meeting=meeting, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting is cancelled."))
            return redirect("meeting_detail", meeting.pk)
    return render(request, "cooperation/meeting_cancel.html", {"meeting": meeting, "form": form})


# Calendar feeds -----------------------------------------------------------------------------


@require_safe
@login_required
def calendar_feeds(request: HttpRequest) -> HttpResponse:
    """The calendar addresses of the organizations the person speaks for."""
    speaking = org_selectors.verified_spoken_for(viewer=actor_of(request))
    if not speaking:
        require(
            actor_of(request),
            "cooperation.manage_calendar_feed",
            message=_(
                "Only an admin or secretary of an organization can subscribe to its meetings."
            ),
        )
    found = {f.organization_id: f for f in CalendarFeed.objects.filter(organization__in=speaking)}
    rows = [(o, feeds.feed_url(found[o.pk]) if o.pk in found else "") for o in speaking]
    return render(request, "cooperation/calendar_feeds.html", {"rows": rows})


@GET_POST
@login_required
def calendar_feed_renew(request: HttpRequest, slug: str) -> HttpResponse:
    """Give the organization's calendar a (new) secret address, once confirmed when it replaces
    one. As the API: refused (403) to the organization's members and observers, not found (404)
    for anyone else."""
    organization = feeds.feed_organization(viewer=actor_of(request), slug=slug)
    exists = CalendarFeed.objects.filter(organization=organization).exists()
    if request.method == "POST":
        feeds.calendar_feed_renew(actor=actor_of(request), organization=organization)
        if exists:
            messages.success(request, _("The calendar has a new address: the old one is dead."))
        else:
            messages.success(request, _("The calendar has an address: subscribe to it."))
        return redirect("calendar_feeds")
    context: dict[str, Any] = {"organization": organization, "exists": exists}
    return render(request, "cooperation/calendar_feed_renew.html", context)


@require_safe
@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """An organization's meetings as iCalendar, for whoever has the secret address."""
    feed = feeds.feed_by_token(token)
    if feed is None:
        raise Http404
    organization = get_object_or_404(Organization, pk=feed.organization_id)
    response = HttpResponse(
        calendar.organization_calendar(organization), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
