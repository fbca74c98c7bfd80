"""HTML pages for solidarity appeals: issuing and routing, answering and pledging, the issuer's
view, and the public page of a public appeal. Material aid has its pages in the aid app, and its
panels on these pages through aid's template tags.

Who gets what, as on the organization pages:
- an appeal or pledge the viewer may not see: 404, as if missing;
- a visible one, with an action reserved to other roles: 403;
- an anonymous visitor on a page that needs an account: a redirect to sign in.
Refused input re-renders the form with its errors and changes nothing.
"""

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from internationale.addressing.forms import criteria_fields_html
from internationale.addressing.models import Ring
from internationale.addressing.preview import Proposals
from internationale.addressing.routing import SEND_FIELDS
from internationale.addressing.selectors import country_name, page_of
from internationale.core import uploads
from internationale.core.actors import actor_of
from internationale.core.cache import Page, page_content, reader_content, with_token
from internationale.core.links import absolute_url
from internationale.core.models import Visibility
from internationale.core.predicates import organizations_of, roles_of
from internationale.core.services import require
from internationale.core.visibility import access_of, is_masked
from internationale.organizations import selectors as org_selectors
from internationale.organizations.models import Organization
from internationale.translation.content import reading as read_in

from . import extensions, feeds, forms, public_page, selectors, services, translations
from .models import Appeal, Pledge, Response, SupportForm

GET_POST = require_http_methods(["GET", "POST"])


# Helpers ----------------------------------------------------------------------------------------


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _appeal(request: HttpRequest, pk: int) -> Appeal:
    return selectors.appeal_get(viewer=actor_of(request), pk=pk)


def _error_message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _issuers(request: HttpRequest) -> list[Organization]:
    """The verified organizations the viewer may issue an appeal for."""
    return org_selectors.verified_spoken_for(viewer=actor_of(request))


def _answering_or_403(request: HttpRequest, appeal: Appeal) -> list[Organization]:
    require(actor_of(request), "appeals.respond_to_appeal", appeal)
    return selectors.answering_organizations(access_of(appeal, actor_of(request)))


def _employers(request: HttpRequest) -> Any:
    return org_selectors.employer_list(viewer=actor_of(request)).prefetch_related(None)


def _to_detail(appeal: Appeal) -> HttpResponse:
    return redirect("appeal_detail", appeal.pk)


def _refuse(request: HttpRequest, appeal: Appeal, error: ValidationError) -> HttpResponse:
    messages.error(request, _error_message(error))
    return _to_detail(appeal)


# Lists ------------------------------------------------------------------------------------------


@require_safe
def appeal_list(request: HttpRequest) -> HttpResponse:
    """Addressed to my organizations (most urgent, nearest deadline first), issued by them, and
    everything else the viewer may read, filtered."""
    viewer = actor_of(request)
    form = forms.AppealFilterForm(request.GET)
    filters = selectors.AppealFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.AppealFilters(
            q=data["q"].strip(),
            status=data["status"],
            situation=data["situation"],
            country=data["country"],
            sector=data["sector"],
        )
    others = selectors.appeal_list(viewer=viewer, filters=filters).exclude(
        status=Appeal.Status.DRAFT
    )
    context: dict[str, Any] = {
        "form": form,
        "feeds": feeds.alternates(filters),
        "page": Paginator(others, settings.INTERNATIONALE_PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "can_issue": bool(_issuers(request)) if viewer.is_authenticated else False,
    }
    if organizations_of(viewer):
        addressed = selectors.appeal_list(
            viewer=viewer,
            filters=selectors.AppealFilters(addressed_to_mine=True),
        ).filter(status__in=Appeal.LIVE)
        context["addressed"] = addressed.order_by(
            "-urgency", F("deadline").asc(nulls_last=True), "-sent_at"
        )[:50]
        context["issued"] = selectors.appeal_list(
            viewer=viewer, filters=selectors.AppealFilters(issued_by_mine=True)
        ).order_by("-created_at")[:50]
    return render(request, "appeals/appeal_list.html", context)


@require_safe
@login_required
def pledges_owed(request: HttpRequest, slug: str) -> HttpResponse:
    organization = org_selectors.organization_get(viewer=actor_of(request), slug=slug)
    pledges = selectors.pledges_owed(viewer=actor_of(request), organization=organization)
    context = {"organization": organization, "pledges": pledges, "today": timezone.localdate()}
    return render(request, "appeals/pledges_owed.html", context)


# Issuing ----------------------------------------------------------------------------------------


@GET_POST
@login_required
def appeal_create(request: HttpRequest) -> HttpResponse:
    issuers = _issuers(request)
    if not issuers:
        require(
            actor_of(request),
            "appeals.issue_appeal",
            message=_("Only an admin or secretary of a verified organization can issue an appeal."),
        )
    form = forms.AppealForm(_data(request), organizations=issuers, employers=_employers(request))
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_create(
                actor=actor_of(request),
                organization=form.cleaned_data["organization"],
                submission_key=form.cleaned_data.get("submission_key"),
                **form.service_fields(),
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("The draft is saved. Now choose who receives it."))
            return redirect("appeal_send", appeal.pk)
    return render(request, "appeals/appeal_form.html", {"form": form})


@GET_POST
@login_required
def appeal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal(request, pk)
    require(actor_of(request), "appeals.update_appeal", appeal)
    if appeal.status != Appeal.Status.DRAFT:
        messages.error(request, _("A sent appeal cannot be edited; post an update instead."))
        return _to_detail(appeal)
    form = forms.AppealForm(_data(request), instance=appeal, employers=_employers(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_edit(actor=actor_of(request), appeal=appeal, **form.service_fields())
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("appeal_send", appeal.pk)
    return render(request, "appeals/appeal_form.html", {"form": form, "appeal": appeal})


@GET_POST
@login_required
def appeal_send(request: HttpRequest, pk: int) -> HttpResponse:
    """The routing step: choose criteria, see who would receive the appeal and why, then send."""
    appeal = _appeal(request, pk)
    require(actor_of(request), "appeals.send_appeal", appeal)
    if appeal.status != Appeal.Status.DRAFT:
        messages.error(request, _("This appeal was already sent."))
        return _to_detail(appeal)
    if request.method == "POST":
        data: Any = request.POST
    else:
        data = (
            request.GET
            if "preview" in request.GET
            else forms.CriteriaForm.defaults(appeal.routing_origin())
        )
    form = forms.CriteriaForm(data)
    proposals = Proposals([])
    if form.is_valid():
        try:
            if request.method == "POST":
                services.appeal_send(
                    actor=actor_of(request), appeal=appeal, criteria=form.criteria()
                )
                messages.success(
                    request,
                    _("The appeal is being sent: its addressees' inboxes fill in a moment."),
                )
                return _to_detail(appeal)
            proposals = selectors.addressee_preview(
                viewer=actor_of(request),
                appeal=appeal,
                criteria=form.criteria(),
                fields=SEND_FIELDS,
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
    return render(request, "appeals/appeal_send.html", _preview(request, appeal, form, proposals))


def _preview(
    request: HttpRequest, appeal: Appeal, form: Any, proposals: Proposals
) -> dict[str, Any]:
    """The send page's preview: the figures of all the organizations proposed (counted once,
    kept with routing's answer), then a page of them, of one country if the issuer chose one."""
    shown_form = forms.CountryShownForm(request.GET, countries=proposals.countries)
    country = shown_form.cleaned_data["country"] if shown_form.is_valid() else ""
    shown = proposals.of_country(country)
    page = page_of(
        shown,
        count=len(shown),
        number=request.GET.get("page"),
        size=settings.INTERNATIONALE_ADDRESSEE_PAGE_SIZE,
    )
    return {
        "appeal": appeal,
        "form": form,
        "criteria_fields": criteria_fields_html(form),
        "proposals": proposals,
        "shown_form": shown_form,
        "page": page,
        "rows": [(p, country_name(p.country)) for p in page],
        "criteria_items": form.hidden_items(),
    }


@GET_POST
@login_required
def appeal_add_addressees(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a sent appeal to more organizations, by slug. Only those that did not have it yet
    receive it."""
    appeal = _appeal(request, pk)
    require(actor_of(request), "appeals.send_appeal", appeal)
    if not appeal.is_live:
        messages.error(
            request, _("Only an open or escalated appeal is sent to more organizations.")
        )
        return _to_detail(appeal)
    form = forms.AddresseesForm(_data(request))
    if request.method == "POST" and form.is_valid():
        slugs = form.cleaned_data["organizations"]
        try:
            organizations = selectors.addressable_by_slug(
                viewer=actor_of(request), appeal=appeal, slugs=slugs
            )
            new = services.appeal_add_addressees(
                actor=actor_of(request), appeal=appeal, organizations=organizations
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            message = ngettext(
                "The appeal was sent to %(count)s new organization.",
                "The appeal was sent to %(count)s new organizations.",
                len(new),
            ) % {"count": len(new)}
            if len(new) < len(organizations):
                message += " " + _("The others had already received it.")
            messages.success(request, message)
            return _to_detail(appeal)
    context = {"appeal": appeal, "form": form, "addressees": appeal.addressees.count()}
    return render(request, "appeals/appeal_add_addressees.html", context)


# The appeal's page ------------------------------------------------------------------------------


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: datetime.date
    count: int


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    top: int
    baseline: int


def response_chart(per_day: list[tuple[datetime.date, int]]) -> Chart | None:
    """Responses per day as bars, laid out on the server: the page draws them as inline SVG."""
    if not per_day:
        return None
    width, height, left, bottom, top_margin = 600, 200, 40, 30, 10
    top = max(n for _day, n in per_day)
    slot = (width - left) / len(per_day)
    scale = (height - bottom - top_margin) / top
    bars = [
        Bar(
            x=round(left + i * slot + slot * 0.1, 1),
            y=round(height - bottom - n * scale, 1),
            width=round(slot * 0.8, 1),
            height=round(n * scale, 1),
            day=day,
            count=n,
        )
        for i, (day, n) in enumerate(per_day)
    ]
    return Chart(width=width, height=height, bars=bars, top=top, baseline=height - bottom)


# The appeal's page shows the latest answers and pledges; the issuer's summary counts them all.
RESPONSES_SHOWN = 20
PLEDGES_SHOWN = 20


def _answers_left(answering: list[Organization], given: dict[int, set[str]]) -> dict[str, Any]:
    """What the page still offers each answering organization: acknowledging only before any
    answer, declining only before pledging or declining."""
    final = {Response.Kind.PLEDGED, Response.Kind.DECLINED}
    return {
        "may_acknowledge": [org for org in answering if not given.get(org.pk)],
        "may_decline": any(not given.get(org.pk, set()) & final for org in answering),
    }


def _body(appeal: Appeal, reading: Any) -> SafeString:
    """The appeal's facts, text (as `reading` gives it), what it asks and how to share it: the
    same for every reader of the page's language."""
    share_url = absolute_url(appeal.url)
    context = {
        "appeal": appeal,
        "reading": reading,
        "share_url": share_url,
        "mailto": _mailto(appeal, share_url),
    }
    return mark_safe(render_to_string("appeals/_appeal_body.html", context))  # noqa: S308 -- escaped by the template


def _timeline(access: Any, readings: translations.Readings) -> SafeString:
    """The appeal's timeline, each update as `readings` gives it: the same for every reader of
    the page's language."""
    updates = list(selectors.timeline(access))
    for update in updates:
        update.reading = readings.of(update)  # type: ignore[attr-defined]
    context = {"appeal": access.obj, "updates": updates}
    return mark_safe(render_to_string("appeals/_appeal_timeline.html", context))  # noqa: S308 -- escaped by the template


def _pledges(access: Any, actor: Any, can_view_summary: bool) -> SafeString:
    """The latest pledges, with what the reader's organizations may see and do with each."""
    pledges, total = selectors.latest_pledges(access, PLEDGES_SHOWN)
    for pledge in pledges:
        pledge.can_change = actor.has_perm("appeals.change_pledge", pledge)  # type: ignore[attr-defined]
        pledge.can_see_evidence = not is_masked(pledge, "details")  # type: ignore[attr-defined]
    extensions.attach_pledge_details(pledges)  # the confirmed aid that fulfilled each (aid app)
    context = {
        "appeal": access.obj,
        "pledges": pledges,
        "pledges_total": total,
        "can_view_summary": can_view_summary,
    }
    return mark_safe(render_to_string("appeals/_appeal_pledges.html", context))  # noqa: S308 -- escaped by the template


def _responses(access: Any, can_view_summary: bool) -> SafeString:
    """The latest answers, as the reader's organizations may see them."""
    responses, total = selectors.latest_responses(access, RESPONSES_SHOWN)
    context = {
        "appeal": access.obj,
        "responses": responses,
        "responses_total": total,
        "can_view_summary": can_view_summary,
    }
    return mark_safe(render_to_string("appeals/_appeal_responses.html", context))  # noqa: S308 -- escaped by the template


def _detail_page(request: HttpRequest, pk: int) -> Page:
    actor = actor_of(request)
    access = selectors.appeal_access(viewer=actor, pk=pk, versioned=True)
    appeal = access.obj
    # In the page's language when there is a version in it, unless the original was asked for;
    # read once per version of the appeal (a new language version changes it).
    original = "original" in request.GET
    read = public_page.part(
        appeal,
        f"readings:{original}",
        lambda: translations.readings(appeal, get_language(), original=original),
    )
    # What the page depends on of the reader: what the reader's organizations are to the appeal,
    # and the reader's roles in them (the rules, the masking and the aid's panels read nothing
    # else); never the person.
    reader = (access.owner, access.addressees, frozenset(roles_of(actor).items()))
    if not request.user.is_authenticated:
        # Kept for every signed-out reader by `pages` (no form of the page carries a token).
        content = page_content(
            "appeals/_appeal_detail.html", _detail_context(access, read, reader, original), request
        )
    elif appeal.status == Appeal.Status.SENDING:
        # Counts the addressees recorded so far, which no version follows: read afresh.
        content = reader_content(
            "appeals/_appeal_detail.html", _detail_context(access, read, reader, original), request
        )
    else:
        # The whole content, kept per version of the appeal and of its answers, for every reader
        # of the same organizations and roles, and of the same address (the language form's
        # "next"); each request gets its own CSRF token in the forms.
        content = public_page.part(
            appeal,
            f"page:{request.get_full_path()}",
            lambda: reader_content(
                "appeals/_appeal_detail.html",
                _detail_context(access, read, reader, original),
                request,
            ),
            reader,
        )
    return Page(
        title=read.appeal["title"],
        content=with_token(content, request),
        public=appeal.visibility == Visibility.PUBLIC,  # links the feed of public appeals
    )


def _detail_context(
    access: Any, read: translations.Readings, reader: tuple[Any, ...], original: bool
) -> dict[str, Any]:
    appeal = access.obj
    actor = access.viewer
    can_view_summary = actor.has_perm("appeals.view_summary", appeal)
    answering = selectors.answering_organizations(access) if appeal.is_live else []
    return {
        "appeal": appeal,
        "reading": read.appeal,
        # Kept per version of the appeal (and of its answers), for everyone who may see it or,
        # for the pledges and answers, for every reader of the same organizations and roles.
        "body": public_page.part(appeal, f"body:{original}", lambda: _body(appeal, read.appeal)),
        "pledges": public_page.part(
            appeal, "pledges", lambda: _pledges(access, actor, can_view_summary), reader
        ),
        "responses": public_page.part(
            appeal, "responses", lambda: _responses(access, can_view_summary), reader
        ),
        "timeline": public_page.part(
            appeal, f"timeline:{original}", lambda: _timeline(access, read)
        ),
        "answering": answering,
        # What apps built on appeals show of it (extensions.py), kept with the appeal's version.
        "panels": public_page.part(appeal, "panels", lambda: extensions.appeal_panels(appeal)),
        **_answers_left(answering, selectors.answers_given(access, answering)),
    }


@require_safe
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Kept per language (the page's) and per whether the original was asked for.
    original = "original" in request.GET
    page = public_page.pages.serve(request, pk, lambda: _detail_page(request, pk), original)
    return render(request, "appeals/appeal_detail.html", {"page": page})


@require_safe
@login_required
def appeal_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The issuer's view: who was asked, who answered and how, what was pledged and received;
    the figures first, then the organizations asked, a page at a time, by country and answer."""
    access = selectors.appeal_access(viewer=actor_of(request), pk=pk)
    appeal = access.obj
    require(actor_of(request), "appeals.view_summary", appeal)
    summary = selectors.issuer_summary(access)
    form = forms.AddresseeFilterForm(request.GET, countries=summary.asked_by_country)
    shown = form.cleaned_data if form.is_valid() else {}
    country, answer = shown.get("country", ""), shown.get("answer", "")
    page = page_of(
        selectors.addressee_list(access, country=country, answer=answer),
        count=summary.listed(country=country, answer=answer),
        number=request.GET.get("page"),
        size=settings.INTERNATIONALE_ADDRESSEE_PAGE_SIZE,
    )
    context = {
        "appeal": appeal,
        # Its title in the reader's language, marked as on the appeal's page (one query).
        "reading": read_in(appeal, get_language(), original="original" in request.GET),
        "summary": summary,
        "form": form,
        "page": page,
        "rows": selectors.with_answers(appeal, page),
        "chart": response_chart(summary.response_timeline),
        "statuses": Pledge.Status.choices,
        "pledge_rows": [
            (label, [summary.pledges.get(form, {}).get(status, 0) for status in Pledge.Status])
            for form, label in SupportForm.choices
        ],
    }
    return render(request, "appeals/appeal_summary.html", context)


# Answering --------------------------------------------------------------------------------------


@require_POST
@login_required
def appeal_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal(request, pk)
    form = forms.AnswerForm(request.POST, organizations=_answering_or_403(request, appeal))
    if not form.is_valid():
        messages.error(request, _("Choose the organization you answer for."))
        return _to_detail(appeal)
    organization = form.cleaned_data["organization"]
    try:
        services.appeal_acknowledge(
            actor=actor_of(request), appeal=appeal, organization=organization
        )
    except ValidationError as error:
        return _refuse(request, appeal, error)
    messages.success(request, _("%(org)s acknowledged the appeal.") % {"org": organization.name})
    return _to_detail(appeal)


def _answer(
    request: HttpRequest, pk: int, form_class: Any, template: str, act: Any, **form_args: Any
) -> HttpResponse:
    """A page with a form that answers for an addressee organization, then returns to the
    appeal."""
    appeal = _appeal(request, pk)
    organizations = _answering_or_403(request, appeal)
    form = form_class(_data(request), organizations=organizations, **form_args)
    return _act_on(request, appeal, form, template, act)


def _act_on(
    request: HttpRequest, appeal: Appeal, form: Any, template: str, act: Any
) -> HttpResponse:
    """Show the page; on a valid POST run `act`, then return to the appeal with its message. A
    refusal shows on the form, or, for an action without a form, on the appeal."""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            message = act(appeal, form)
        except ValidationError as error:
            if form is None:
                return _refuse(request, appeal, error)
            forms.add_service_errors(form, error)
        else:
            messages.success(request, message)
            return _to_detail(appeal)
    return render(request, f"appeals/{template}.html", {"appeal": appeal, "form": form})


@GET_POST
@login_required
def appeal_decline(request: HttpRequest, pk: int) -> HttpResponse:
    def act(appeal: Appeal, form: Any) -> str:
        services.appeal_decline(
            actor=actor_of(request),
            appeal=appeal,
            organization=form.cleaned_data["organization"],
            reason=form.cleaned_data["reason"],
        )
        return _("The issuing organization will read why you decline.")

    return _answer(request, pk, forms.DeclineForm, "appeal_decline", act)


@GET_POST
@login_required
def appeal_pass(request: HttpRequest, pk: int) -> HttpResponse:
    def act(appeal: Appeal, form: Any) -> str:
        target = form.cleaned_data["to"]
        services.appeal_pass(
            actor=actor_of(request),
            appeal=appeal,
            organization=form.cleaned_data["organization"],
            to=target,
        )
        return _("The appeal was passed on to %(org)s.") % {"org": target.name}

    targets = Organization.objects.filter(verified_at__isnull=False).order_by("name")
    return _answer(request, pk, forms.PassForm, "appeal_pass", act, targets=targets)


@GET_POST
@login_required
def pledge_create(request: HttpRequest, pk: int) -> HttpResponse:
    def act(appeal: Appeal, form: Any) -> str:
        services.pledge_create(
            actor=actor_of(request),
            appeal=appeal,
            organization=form.cleaned_data["organization"],
            **form.service_fields(),
            submission_key=form.cleaned_data.get("submission_key"),
        )
        return _("Your pledge is recorded. Thank you.")

    appeal = _appeal(request, pk)
    organizations = _answering_or_403(request, appeal)
    form = forms.PledgeForm(_data(request), organizations=organizations, appeal=appeal)
    return _act_on(request, appeal, form, "pledge_form", act)


# Pledges ----------------------------------------------------------------------------------------


def _pledge(request: HttpRequest, pk: int, perm: str = "appeals.change_pledge") -> Pledge:
    pledge = selectors.pledge_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), perm, pledge)
    return pledge


@GET_POST
@login_required
def pledge_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _pledge(request, pk)
    form = forms.FulfilForm(_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pledge_fulfil(
                actor=actor_of(request),
                pledge=pledge,
                evidence_text=data["evidence_text"],
                evidence_link=data["evidence_link"],
                evidence_file=data["evidence_file"] or None,
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("The pledge is fulfilled. Thank you."))
            return _to_detail(pledge.appeal)
    context = {"appeal": pledge.appeal, "pledge": pledge, "form": form}
    return render(request, "appeals/pledge_fulfil.html", context)


@GET_POST
@login_required
def pledge_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _pledge(request, pk)
    if request.method == "POST":
        try:
            services.pledge_withdraw(actor=actor_of(request), pledge=pledge)
        except ValidationError as error:
            return _refuse(request, pledge.appeal, error)
        messages.success(request, _("The pledge was withdrawn."))
        return _to_detail(pledge.appeal)
    return render(
        request, "appeals/pledge_withdraw.html", {"appeal": pledge.appeal, "pledge": pledge}
    )


@require_safe
def pledge_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file of a pledge, for those who may see the pledge's details. Uploaded files
    have no public URL: this view is the only way to them."""
    pledge = _pledge(request, pk, perm="appeals.see_pledge_amount")
    if not pledge.evidence_file:
        raise Http404
    return uploads.attachment(pledge.evidence_file, "evidence")


# The issuer's timeline and lifecycle -------------------------------------------------------------


def _issuer_action(
    request: HttpRequest, pk: int, perm: str, form_class: Any, template: str, act: Any
) -> HttpResponse:
    appeal = _appeal(request, pk)
    require(actor_of(request), perm, appeal)
    # An update is written in the appeal's language unless its author says otherwise; the report
    # on its outcome, in the appeal's language: both are checked against it.
    given = {"appeal": appeal} if form_class in (forms.UpdateForm, forms.ResolveForm) else {}
    form = form_class(_data(request), **given) if form_class else None
    return _act_on(request, appeal, form, template, act)


@GET_POST
@login_required
def appeal_update(request: HttpRequest, pk: int) -> HttpResponse:
    def act(appeal: Appeal, form: Any) -> str:
        services.appeal_post_update(
            actor=actor_of(request),
            appeal=appeal,
            text=form.cleaned_data["text"],
            language=form.cleaned_data["language"],
            submission_key=form.cleaned_data.get("submission_key"),
        )
        return _("The update is posted.")

    return _issuer_action(
        request, pk, "appeals.update_appeal", forms.UpdateForm, "appeal_update", act
    )


@GET_POST
@login_required
def appeal_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    def act(appeal: Appeal, form: Any) -> str:
        services.appeal_resolve(
            actor=actor_of(request),
            appeal=appeal,
            outcome=form.cleaned_data["outcome"],
            report=form.cleaned_data["outcome_report"],
        )
        return _("The appeal is resolved. Those who helped will read your report.")

    return _issuer_action(
        request, pk, "appeals.resolve_appeal", forms.ResolveForm, "appeal_resolve", act
    )


@GET_POST
@login_required
def appeal_close(request: HttpRequest, pk: int) -> HttpResponse:
    def act(appeal: Appeal, form: Any) -> str:
        services.appeal_close(actor=actor_of(request), appeal=appeal)
        return _("The appeal is closed.")

    return _issuer_action(request, pk, "appeals.resolve_appeal", None, "appeal_close", act)


@GET_POST
@login_required
def appeal_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    def act(appeal: Appeal, form: Any) -> str:
        widened = services.appeal_escalate_now(actor=actor_of(request), appeal=appeal)
        if widened.ring >= Ring.NETWORK:
            return _("The appeal now reaches the whole network.")
        return _("The appeal now reaches the region.")

    return _issuer_action(request, pk, "appeals.send_appeal", None, "appeal_escalate", act)


def _mailto(appeal: Appeal, url: str) -> str:
    """A plain mailto: link to share the appeal: no third-party script, nothing fetched."""
    return "mailto:?" + urlencode({"subject": appeal.title, "body": url}, quote_via=quote)
