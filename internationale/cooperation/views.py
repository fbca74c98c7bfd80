"""HTML pages for meetings: the list of one's organizations' meetings, hosting one, inviting
organizations with the addressing of appeals, and answering an invitation.

As on the appeal pages: a meeting the viewer may not see answers 404, as if missing; a visible
one, with an action reserved to other roles, 403; an anonymous visitor on a page that needs an
account is sent to sign in. Refused input re-renders the form with its errors and changes nothing.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from internationale.addressing.routing import SEND_FIELDS
from internationale.addressing.views import InviteStep
from internationale.core.actors import actor_of
from internationale.core.forms import offer_language_confirmation
from internationale.core.services import require
from internationale.organizations import selectors as org_selectors

from . import (
    accountability,
    calendar,
    forms,
    selectors,
    services,
    timing,
    views_agenda,
    views_calendars,
    views_series,
)
from .models import Invitation, Meeting

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 20


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@require_safe
@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meeting_list(viewer=actor_of(request))
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    hosts = org_selectors.verified_spoken_for(viewer=actor_of(request))
    return render(request, "cooperation/meeting_list.html", {"page": page, "may_host": bool(hosts)})


@GET_POST
@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    hosts = org_selectors.verified_spoken_for(viewer=actor_of(request))
    if not hosts:
        require(
            actor_of(request),
            "cooperation.host_meeting",
            message=_("Only an admin or secretary of a verified organization can host a meeting."),
        )
    form = forms.MeetingForm(_data(request), organizations=hosts)
    times = None
    if views_calendars.checking(request):
        form.is_valid()
        times = views_calendars.check_times(
            form, actor=actor_of(request), **forms.planned_participants(form)
        )
    elif request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=actor_of(request),
                submission_key=form.cleaned_data.get("submission_key"),
                **form.service_fields(),
            )
        except ValidationError as error:
            offer_language_confirmation(form, error)
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting is planned. Now invite the organizations."))
            return redirect("meeting_detail", meeting.pk)
    return render(request, "cooperation/meeting_form.html", {"form": form, "times": times})


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.meeting_access(viewer=actor_of(request), pk=pk)
    meeting = access.obj
    invitations = selectors.invitation_list(access)
    context = {
        "meeting": meeting,
        "invitations": invitations,
        "may_invite": actor_of(request).has_perm("cooperation.invite_to_meeting", meeting),
        "may_change": actor_of(request).has_perm("cooperation.change_meeting", meeting),
        "may_answer": bool(access.speaking_addressees(("admin", "secretary"))),
        "may_cancel": actor_of(request).has_perm("cooperation.cancel_meeting", meeting),
        "agreements": accountability.agreement_list(access),
        "may_record": actor_of(request).has_perm("cooperation.record_agreement", meeting),
    }
    context |= views_series.meeting_series_context(request, meeting)
    context |= views_agenda.detail_context(request, access)
    return render(request, "cooperation/meeting_detail.html", context)


@GET_POST
@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "cooperation.change_meeting", meeting)
    form = forms.MeetingEditForm(_data(request), meeting=meeting)
    times = None
    if views_calendars.checking(request):
        times = views_calendars.check_times(
            form,
            actor=actor_of(request),
            host=meeting.organization,
            organizations=timing.meeting_participants(meeting),
            meeting=meeting,
        )
    elif request.method == "POST" and form.is_valid():
        try:
            services.meeting_edit(actor=actor_of(request), meeting=meeting, **form.service_fields())
        except ValidationError as error:
            offer_language_confirmation(form, error)
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting is changed."))
            return redirect("meeting_detail", meeting.pk)
    return render(
        request,
        "cooperation/meeting_edit.html",
        {"form": form, "meeting": meeting, "times": times},
    )


@require_safe
def meeting_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting as an iCalendar file, for whoever may see it."""
    meeting = selectors.meeting_get(viewer=actor_of(request), pk=pk)
    response = HttpResponse(calendar.meeting_calendar(meeting), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def _first_criteria(meeting: Meeting) -> dict[str, Any]:
    """What the invitation page first proposes: a meeting between two organizations names its
    other side by hand; a wider one starts from the sector and the partners, as appeals do."""
    if meeting.kind in (Meeting.Kind.BILATERAL, Meeting.Kind.DELEGATION):
        return {}
    return forms.CriteriaForm.defaults(meeting.routing_origin())


INVITE = InviteStep(
    template="cooperation/meeting_invite.html",
    name="meeting",
    first_criteria=_first_criteria,
    preview=lambda actor, meeting, criteria: selectors.invite_preview(
        viewer=actor, meeting=meeting, criteria=criteria, fields=SEND_FIELDS
    ),
    invite=lambda actor, meeting, criteria: services.meeting_invite(
        actor=actor, meeting=meeting, criteria=criteria
    ),
    invited_ids=selectors.invited_ids,
    done=lambda count: (
        ngettext(
            "%(count)s organization is invited.", "%(count)s organizations are invited.", count
        )
        % {"count": count}
    ),
    then="meeting_detail",
)


@GET_POST
@login_required
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose criteria, see who would be invited and why, then invite."""
    meeting = selectors.meeting_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "cooperation.invite_to_meeting", meeting)
    return INVITE.respond(request, meeting)


@GET_POST
@login_required
def meeting_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept, naming delegates, or decline, for an invited organization one speaks for; or,
    for a meeting of another server, answer "maybe"."""
    access = selectors.meeting_access(viewer=actor_of(request), pk=pk)
    meeting: Meeting = access.obj
    answering = selectors.answering_organizations(access)
    if not answering:
        require(actor_of(request), "cooperation.answer_meeting", meeting)
    people = selectors.delegate_choices(organizations=answering)
    accepted = Invitation.objects.filter(
        meeting=meeting, organization__in=answering, status=Invitation.Status.ACCEPTED
    ).exists()
    form = forms.AnswerForm(
        _data(request),
        organizations=answering,
        people=people,
        accepted=accepted,
        tentative=bool(meeting.organization.remote_actor_url),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["answer"] == "accept":
                services.invitation_accept(
                    actor=actor_of(request),
                    meeting=meeting,
                    organization=data["organization"],
                    delegates=[m.pk for m in data["delegates"]],
                    note=data["note"],
                )
                messages.success(request, _("Your organization takes part."))
            elif data["answer"] == "tentative":
                services.invitation_tentative(
                    actor=actor_of(request),
                    meeting=meeting,
                    organization=data["organization"],
                    note=data["note"],
                )
                messages.success(request, _("Your organization may take part."))
            else:
                services.invitation_decline(
                    actor=actor_of(request),
                    meeting=meeting,
                    organization=data["organization"],
                    note=data["note"],
                )
                messages.success(request, _("Your organization does not take part."))
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            return redirect("meeting_detail", meeting.pk)
    return render(
        request,
        "cooperation/meeting_answer.html",
        {"meeting": meeting, "form": form, "accepted": accepted},
    )
