"""HTML pages for days of action: the list, calling a day (from scratch or from an appeal or a
statement), co-callers' answers, calling organizations with the shared addressing, answering the
call, the answers per country for the callers, registering local actions, and the day's page with
its actions as the day moves around the world, with an iCalendar file of them.

As on the other pages: a day the viewer may not see answers 404, as if missing; a visible one,
with an action reserved to other roles, 403; an anonymous visitor on a page that needs an
account is sent to sign in. Refused input re-renders the form with its errors and changes nothing.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from internationale.addressing.views import InviteStep
from internationale.appeals import selectors as appeal_selectors
from internationale.campaigns import selectors as campaign_selectors
from internationale.core.actors import actor_of
from internationale.core.forms import offer_language_confirmation
from internationale.core.services import allowed, require
from internationale.organizations import selectors as org_selectors
from internationale.statements import selectors as statement_selectors
from internationale.translation.content import reading

from . import calendar, local, public_reports, selectors, services
from .forms import (
    AnswerForm,
    CancelForm,
    ChangeForm,
    CocallForm,
    CriteriaForm,
    DayForm,
    InviteForm,
    LocalActionForm,
    add_service_errors,
    organizations_named,
)
from .models import DayOfAction, Kind

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 20


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@require_safe
def day_list(request: HttpRequest) -> HttpResponse:
    days = selectors.day_list(viewer=actor_of(request))
    page = Paginator(days, PAGE_SIZE).get_page(request.GET.get("page"))
    callers = (
        org_selectors.verified_spoken_for(viewer=actor_of(request))
        if request.user.is_authenticated
        else []
    )
    return render(request, "actions/day_list.html", {"page": page, "may_call": bool(callers)})


def _source(request: HttpRequest, name: str, read: Any) -> Any:
    """The appeal, statement or campaign named in the query string or the form (`?appeal=3`), read as the
    viewer may; a missing or unreadable one is left out, said on the form."""
    raw = request.POST.get(name) or request.GET.get(name)
    if not raw:
        return None
    try:
        return read(viewer=actor_of(request), pk=int(raw))
    except (ValueError, Http404):
        return False


def _initial(appeal: Any, statement: Any, campaign: Any = None) -> dict[str, Any]:
    source = appeal or statement or campaign
    if not source:
        return {}
    return {
        "title": source.title,
        "language": source.language,
        "appeal": appeal.pk if appeal else None,
        "statement": statement.pk if statement else None,
        "campaign": campaign.pk if campaign else None,
    }


@GET_POST
@login_required
def day_create(request: HttpRequest) -> HttpResponse:
    """The call, its date and its callers: a draft, which only the callers read until they call
    organizations."""
    organizations = org_selectors.verified_spoken_for(viewer=actor_of(request))
    if not organizations:
        require(
            actor_of(request),
            "actions.call_day",
            message=_(
                "Only an admin or secretary of a verified organization can call a day of action."
            ),
        )
    appeal = _source(request, "appeal", appeal_selectors.appeal_get)
    statement = _source(request, "statement", statement_selectors.statement_get)
    campaign = _source(request, "campaign", campaign_selectors.campaign_get)
    form = DayForm(
        _data(request),
        organizations=organizations,
        initial=_initial(appeal, statement, campaign),
    )
    missing = appeal is False or statement is False or campaign is False
    if request.method == "POST" and form.is_valid() and not missing:
        data = form.cleaned_data
        try:
            day = services.day_create(
                actor=actor_of(request),
                submission_key=data["submission_key"],
                organization=data["organization"],
                title=data["title"],
                text=data["text"],
                demands=data["demands"],
                language=data["language"],
                date=data["date"],
                suggested_kinds=data["suggested_kinds"],
                called_visibility=data["called_visibility"],
                cocallers=organizations_named(data["cocallers"] or []),
                appeal=appeal or None,
                statement=statement or None,
                campaign=campaign or None,
                language_confirmed=data["language_confirmed"],
            )
        except ValidationError as error:
            offer_language_confirmation(form, error)
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The day of action is prepared. Call organizations to it when it is ready."),
            )
            return redirect("day_detail", day.pk)
    return render(
        request,
        "actions/day_form.html",
        {
            "form": form,
            "appeal": appeal or None,
            "statement": statement or None,
            "campaign": campaign or None,
            "missing": missing,
        },
    )


@require_safe
def day_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The call, its callers, and its actions in the order the day moves around the world, each
    in its local time and the reader's. Kept for signed-out readers (public_reports.py)."""
    return public_reports.day_page(request, pk, lambda: _day_context(request, pk))


def _day_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    viewer = actor_of(request)
    access = selectors.day_access(viewer=viewer, pk=pk)
    day = access.obj
    actions = selectors.local_actions(viewer=viewer, day=day)
    context = {
        "day": day,
        # The call in the reader's language when a version exists (translation/), else as written.
        "reading": reading(
            day, request.GET.get("lang") or get_language(), original="original" in request.GET
        ),
        "kinds": [Kind(k).label for k in day.suggested_kinds if k in Kind.values],
        "cocallers": selectors.cocallers_shown(viewer, day),
        "groups": selectors.by_country(actions),
        "count": len(actions),
        "is_caller": selectors.is_caller(viewer, day),
        "bounds": day.bounds(),
        "may": {
            "call": allowed(viewer, "actions.call_organizations", day),
            "cocall": allowed(viewer, "actions.answer_cocall", day),
            "answer": allowed(viewer, "actions.answer_day", day),
            "register": day.status == DayOfAction.Status.CALLED
            and allowed(viewer, "actions.register_action", day),
            "answers": allowed(viewer, "actions.view_answers", day),
            "change": services.is_open(day) and allowed(viewer, "actions.change_day", day),
            "invite": services.is_open(day) and allowed(viewer, "actions.invite_cocallers", day),
        },
        "reader_zone": timezone.get_current_timezone(),
    }
    return context


@GET_POST
@login_required
def day_cocall(request: HttpRequest, pk: int) -> HttpResponse:
    """An organization invited to call the day accepts or declines."""
    day = selectors.day_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "actions.answer_cocall", day)
    invited = selectors.cocall_invited_as(actor_of(request), day)
    form = CocallForm(_data(request), organizations=[c.organization for c in invited])
    if request.method == "POST" and form.is_valid():
        try:
            row = services.cocall_answer(
                actor=actor_of(request),
                day=day,
                organization=form.cleaned_data["organization"],
                accept=form.cleaned_data["accept"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("You call the day together.")
                if row.status == row.Status.ACCEPTED
                else _("You declined to call the day."),
            )
            return redirect("day_detail", day.pk)
    return render(
        request, "actions/day_cocall.html", {"day": day, "form": form, "invited": invited}
    )


CALL = InviteStep(
    template="actions/day_call.html",
    name="day",
    first_criteria=lambda day: CriteriaForm.defaults(services.day_origin(day)),
    preview=lambda actor, day, criteria: selectors.call_preview(
        viewer=actor, day=day, criteria=criteria
    ),
    invite=lambda actor, day, criteria: services.day_call(actor=actor, day=day, criteria=criteria),
    invited_ids=selectors.called_ids,
    done=lambda count: (
        ngettext("%(count)s organization is called.", "%(count)s organizations are called.", count)
        % {"count": count}
    ),
    then="day_detail",
    more_context=lambda day: {"called": selectors.called_rows(day)},
)


@GET_POST
@login_required
def day_call(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose criteria, see who would be called and why, then call."""
    day = selectors.day_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "actions.call_organizations", day)
    return CALL.respond(request, day)


@GET_POST
@login_required
def day_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A called organization answers: will act, cannot act (why), or passed on."""
    day = selectors.day_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "actions.answer_day", day)
    form = AnswerForm(_data(request), organizations=selectors.called_as(actor_of(request), day))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.day_answer(
                actor=actor_of(request),
                day=day,
                organization=data["organization"],
                kind=data["kind"],
                reason=data["reason"],
                passed_to=organizations_named(data["passed_to"] or []),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your answer is recorded; the callers are told."))
            return redirect("day_detail", day.pk)
    return render(request, "actions/day_answer.html", {"day": day, "form": form})


@require_safe
@login_required
def day_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """For the callers' people: the answers per country."""
    day = selectors.day_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "actions.view_answers", day)
    countries = selectors.answers_by_country(viewer=actor_of(request), day=day)
    return render(request, "actions/day_answers.html", {"day": day, "countries": countries})


@GET_POST
@login_required
def local_action_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Register an action on the day, at a place, on the clocks of the place."""
    day = selectors.day_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "actions.register_action", day)
    form = LocalActionForm(_data(request), organizations=selectors.acting_as(actor_of(request)))
    if request.method == "POST" and form.is_valid():
        try:
            action = local.local_action_register(
                actor=actor_of(request),
                day=day,
                submission_key=form.cleaned_data.get("submission_key"),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The action is registered; the callers are told."))
            return redirect("local_action_detail", day.pk, action.pk)
    return render(request, "actions/local_action_form.html", {"day": day, "form": form})


@require_safe
def local_action_detail(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    viewer = actor_of(request)
    day = selectors.day_get(viewer=viewer, pk=pk)
    action = selectors.local_action_get(viewer=viewer, day=day, pk=action_pk)
    return render(
        request,
        "actions/local_action_detail.html",
        {
            "day": day,
            "action": action,
            "may_withdraw": action.cancelled_at is None
            and allowed(viewer, "actions.change_action", action),
            "shows_contact": not action.__dict__.get("masked_groups"),
        },
    )


@GET_POST
@login_required
def local_action_withdraw(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Ask to confirm, then withdraw the action: it stays listed, as withdrawn."""
    day = selectors.day_get(viewer=actor_of(request), pk=pk)
    action = selectors.local_action_get(viewer=actor_of(request), day=day, pk=action_pk)
    require(actor_of(request), "actions.change_action", action)
    if request.method == "POST":
        local.local_action_withdraw(actor=actor_of(request), action=action)
        messages.success(request, _("The action is withdrawn."))
        return redirect("day_detail", day.pk)
    return render(request, "actions/local_action_withdraw.html", {"day": day, "action": action})


@require_safe
def day_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The day's actions as an iCalendar file, for whoever may read the day. Contacts are never
    in it."""
    viewer = actor_of(request)
    day = selectors.day_get(viewer=viewer, pk=pk)
    actions = selectors.local_actions(viewer=viewer, day=day)
    response = HttpResponse(calendar.day_calendar(day, actions), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="day-of-action-{day.pk}.ics"'
    return response


def _open_or_refused(request: HttpRequest, day: DayOfAction) -> HttpResponse | None:
    """A cancelled day, or one over everywhere, is changed no more: said on its page."""
    if services.is_open(day):
        return None
    messages.error(request, _("This day of action is cancelled or over: it is changed no more."))
    return redirect("day_detail", day.pk)


@GET_POST
@login_required
def day_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the call: its title, text, demands and the kinds of action suggested."""
    day = selectors.day_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "actions.change_day", day)
    if refused := _open_or_refused(request, day):
        return refused
    form = ChangeForm(
        _data(request),
        initial={
            "title": day.title,
            "text": day.text,
            "demands": day.demands,
            "suggested_kinds": day.suggested_kinds,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.day_change(actor=actor_of(request), day=day, **form.cleaned_data)
        except ValidationError as error:
            offer_language_confirmation(form, error)
            add_service_errors(form, error)
        else:
            messages.success(request, _("The call is changed."))
            return redirect("day_detail", day.pk)
    return render(request, "actions/day_edit.html", {"day": day, "form": form})


@GET_POST
@login_required
def day_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then cancel the day; those called and the co-callers are told."""
    day = selectors.day_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "actions.change_day", day)
    if refused := _open_or_refused(request, day):
        return refused
    form = CancelForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.day_cancel(
                actor=actor_of(request), day=day, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The day is cancelled; the organizations called to it are told.")
            )
            return redirect("day_detail", day.pk)
    told = len(services.told_of(day))
    return render(request, "actions/day_cancel.html", {"day": day, "form": form, "told": told})


@GET_POST
@login_required
def day_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite more organizations to call the day; each accepts or declines."""
    day = selectors.day_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "actions.invite_cocallers", day)
    if refused := _open_or_refused(request, day):
        return refused
    form = InviteForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            invited = services.day_invite_cocallers(
                actor=actor_of(request),
                day=day,
                cocallers=organizations_named(form.cleaned_data["cocallers"] or []),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s organization is invited to call the day with you.",
                    "%(count)s organizations are invited to call the day with you.",
                    len(invited),
                )
                % {"count": len(invited)},
            )
            return redirect("day_detail", day.pk)
    invited_rows = selectors.cocallers_shown(actor_of(request), day)
    return render(
        request, "actions/day_invite.html", {"day": day, "form": form, "invited": invited_rows}
    )
