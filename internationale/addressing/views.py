"""The routing step's page, shared by every app that invites or calls organizations: choose the
criteria, see who they would reach and why, then invite (or call) them. An app declares its
step once (`InviteStep`) and its view finds the thing, checks its rule, and answers with it::

    INVITE = InviteStep(
        template="cooperation/meeting_invite.html",
        name="meeting",
        preview=lambda actor, meeting, criteria: selectors.invite_preview(
            viewer=actor, meeting=meeting, criteria=criteria, fields=SEND_FIELDS
        ),
        invite=lambda actor, meeting, criteria: services.meeting_invite(
            actor=actor, meeting=meeting, criteria=criteria
        ),
        invited_ids=selectors.invited_ids,
        done=lambda count: ngettext("%(count)s organization is invited.", ..., count)
        % {"count": count},
        then="meeting_detail",
    )

    def meeting_invite(request, pk):
        meeting = selectors.meeting_get(viewer=actor_of(request), pk=pk)
        require(actor_of(request), "cooperation.invite_to_meeting", meeting)
        return INVITE.respond(request, meeting)

The page: a GET shows the first criteria (`first_criteria`); a GET with `preview` previews the
criteria in the query string; a POST of the same criteria invites and goes to the thing's page
(`then`) with the message `done` words. Refused criteria, or a service's refusal, re-render the
form with its errors and change nothing.
"""

from collections.abc import Callable, Collection, Container, Sized
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from internationale.core.actors import Actor, actor_of
from internationale.core.forms import add_service_errors

from .forms import CriteriaForm, criteria_fields_html
from .routing import Candidate, Criteria


def no_criteria(thing: Any) -> dict[str, Any]:
    """The first criteria of a step that starts with none chosen."""
    return {}


@dataclass(frozen=True, kw_only=True)
class InviteStep:
    """What one app's routing step declares; `respond` serves the page."""

    template: str
    # The thing's name in the template's context ("meeting", "day", …).
    name: str
    # Who the criteria would reach, each with its reasons (the app's selector, for the viewer).
    preview: Callable[[Actor, Any, Criteria], Collection[Candidate]]
    # The app's service: invites those the criteria reach, returns those invited.
    invite: Callable[[Actor, Any, Criteria], Sized]
    # The organizations the thing already invited (or called), by id.
    invited_ids: Callable[[Any], Container[int]]
    # The message after inviting, for how many were invited.
    done: Callable[[int], str]
    # The URL name of the thing's page (with its pk), shown after inviting.
    then: str
    first_criteria: Callable[[Any], dict[str, Any]] = no_criteria
    # What else the template shows of the thing.
    more_context: Callable[[Any], dict[str, Any]] | None = None

    def respond(self, request: HttpRequest, thing: Any) -> HttpResponse:
        actor = actor_of(request)
        if request.method == "POST":
            data: Any = request.POST
        elif "preview" in request.GET:
            data = request.GET
        else:
            data = self.first_criteria(thing)
        form = CriteriaForm(data)
        proposals: Any = []
        if form.is_valid():
            try:
                if request.method == "POST":
                    invited = self.invite(actor, thing, form.criteria())
                    messages.success(request, self.done(len(invited)))
                    return redirect(self.then, thing.pk)
                proposals = self.preview(actor, thing, form.criteria())
            except ValidationError as error:
                add_service_errors(form, error)
        already = self.invited_ids(thing)
        context = {
            self.name: thing,
            "form": form,
            "criteria_fields": criteria_fields_html(form),
            "proposals": proposals,
            "new": [p for p in proposals if p.organization_id not in already],
            "already": already,
            "page": Paginator(proposals, settings.INTERNATIONALE_ADDRESSEE_PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "criteria_items": form.hidden_items(),
        }
        if self.more_context is not None:
            context.update(self.more_context(thing))
        return render(request, self.template, context)
