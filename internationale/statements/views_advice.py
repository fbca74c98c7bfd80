"""HTML pages for advice between organizations: giving it, reading and answering one, and an
organization's history of advice given and received.

Only those who speak for the sender or the receiver reach these pages: for anyone else, an
organization's members, observers and operators included, a piece of advice or an organization's
advice history answers 404, as if missing (as an organization's audit log does). Giving advice
without speaking for a verified organization answers 403. Refused input re-renders the form with
its errors and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from internationale.core.actors import actor_of
from internationale.core.forms import add_service_errors
from internationale.core.services import require
from internationale.organizations import selectors as org_selectors

from . import advice as services
from . import selectors_advice as selectors
from .forms_advice import AdviceForm, AnswerForm, HistoryFilter
from .models import Advice

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 20


@GET_POST
@login_required
def advice_create(request: HttpRequest) -> HttpResponse:
    senders = org_selectors.verified_spoken_for(viewer=actor_of(request))
    if not senders:
        require(
            actor_of(request),
            "statements.give_advice",
            message=_("Only an admin or secretary of a verified organization can give advice."),
        )
    data = request.POST if request.method == "POST" else None
    initial = {"receiver": request.GET.get("to", "")[:200]}
    form = AdviceForm(data, organizations=senders, initial=initial)
    named = selectors.receivers_named(form.data.get("receiver", "")) if form.is_bound else []
    if len(named) > 1:
        form.add_error(
            "receiver",
            _(
                "Several organizations have this name: give the address of the one you mean "
                "(%(addresses)s)."
            )
            % {"addresses": ", ".join(o.slug for o in named)},
        )
    if request.method == "POST" and form.is_valid():
        try:
            advice = services.advice_give(
                actor=actor_of(request),
                sender=form.cleaned_data["sender"],
                receiver=named[0] if named else None,
                subject=form.cleaned_data["subject"],
                text=form.cleaned_data["text"],
                submission_key=form.cleaned_data.get("submission_key"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The advice is sent."))
            return redirect("advice_detail", advice.pk)
    return render(request, "statements/advice_form.html", {"form": form})


def _detail(request: HttpRequest, advice: Advice, form: AnswerForm | None = None) -> HttpResponse:
    may_answer = request.user.has_perm("statements.answer_advice", advice)
    if may_answer and form is None:
        form = AnswerForm(initial={"answer": advice.answer, "reason": advice.answer_reason})
    return render(
        request,
        "statements/advice_detail.html",
        {"advice": advice, "form": form if may_answer else None},
    )


@require_safe
@login_required
def advice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.advice_get(viewer=actor_of(request), pk=pk))


@require_POST
@login_required
def advice_answer(request: HttpRequest, pk: int) -> HttpResponse:
    advice = selectors.advice_get(viewer=actor_of(request), pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.advice_answer(
                actor=actor_of(request),
                advice=advice,
                answer=form.cleaned_data["answer"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect("advice_detail", advice.pk)
    else:
        require(actor_of(request), "statements.answer_advice", advice)
    return _detail(request, advice, form)


@require_safe
@login_required
def advice_history(request: HttpRequest, slug: str) -> HttpResponse:
    organization = selectors.advice_organization(viewer=actor_of(request), slug=slug)
    filters = HistoryFilter(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    advice = selectors.advice_history(
        viewer=actor_of(request),
        organization=organization,
        direction=chosen.get("direction", ""),
        answer=chosen.get("answer", ""),
    )
    page = Paginator(advice, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "statements/advice_history.html",
        {
            "organization": organization,
            "page": page,
            "filters": filters,
            "filtered": any(chosen.values()),
            "may_give": organization.is_verified,
            "waiting": selectors.advice_waiting(
                viewer=actor_of(request), organization=organization
            ),
        },
    )
