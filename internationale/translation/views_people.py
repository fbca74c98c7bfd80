"""Pages of the people who translate: the pairs one volunteers for, the requests open to one, one's
own, and a request's page, where it is taken, translated side by side with the original,
submitted, given back or withdrawn.

A request whose content the viewer may not read answers 404, as if missing; an action refused to
someone who sees the request says why (403); refused input re-renders the form with its errors and
changes nothing."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from internationale.core.actors import actor_of
from internationale.core.forms import add_service_errors
from internationale.core.services import allowed

from . import people
from .forms_people import TranslationForm, VolunteerForm
from .models import TranslationRequest

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 20


# Volunteers --------------------------------------------------------------------------------------


@GET_POST
@login_required
def volunteer(request: HttpRequest) -> HttpResponse:
    """The pairs one volunteers for, and a form to add one."""
    actor = actor_of(request)
    form = VolunteerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            people.volunteer_add(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: you are told of requests for this pair."))
            return redirect("translation_volunteer")
    pairs = people.volunteer_pairs(viewer=actor)
    status = 400 if form.errors else 200
    return render(
        request, "translation/volunteer.html", {"form": form, "pairs": pairs}, status=status
    )


@GET_POST
@login_required
def volunteer_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop volunteering for a pair, once confirmed."""
    actor = actor_of(request)
    pair = people.volunteer_pairs(viewer=actor).filter(pk=pk).first()
    if pair is None:
        raise Http404
    if request.method == "POST":
        people.volunteer_remove(actor=actor, pk=pk)
        messages.success(request, _("You no longer volunteer for this pair."))
        return redirect("translation_volunteer")
    return render(request, "translation/volunteer_remove.html", {"pair": pair})


# Requests ----------------------------------------------------------------------------------------


def _listed(request: HttpRequest, requests: Any, shown: str) -> HttpResponse:
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    has_pairs = people.volunteer_pairs(viewer=actor_of(request)).exists()
    context = {"page": page, "shown": shown, "has_pairs": has_pairs}
    return render(request, "translation/request_list.html", context)


@require_safe
@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """The open requests of one's pairs, about content one may read."""
    found = people.requests_open_for(viewer=actor_of(request)).prefetch_related("original")
    return _listed(request, found, "open")


@require_safe
@login_required
def request_mine(request: HttpRequest) -> HttpResponse:
    """The requests one asked for or took."""
    found = people.requests_mine(viewer=actor_of(request)).prefetch_related("original")
    return _listed(request, found, "mine")


def _labels(obj: Any, names: list[str]) -> dict[str, str]:
    labels = {}
    for name in names:
        try:
            labels[name] = str(obj._meta.get_field(name).verbose_name).capitalize()
        except FieldDoesNotExist:
            labels[name] = name
    return labels


def _detail(
    request: HttpRequest,
    found: TranslationRequest,
    *,
    form: TranslationForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = actor_of(request)
    if (
        form is None
        and found.status == TranslationRequest.Status.TAKEN
        and allowed(actor, "translation.submit_request", found)
    ):
        work = people.request_work(found)
        form = TranslationForm(None, work=work, labels=_labels(found.original, list(work.texts)))
    can = {
        action: allowed(actor, f"translation.{action}_request", found)
        for action in ("take", "release", "withdraw")
    }
    context = {"item": found, "obj": found.original, "form": form, "refusal": refusal, "can": can}
    return render(request, "translation/request_detail.html", context, status=status)


@require_safe
@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, people.request_get(viewer=actor_of(request), pk=pk))


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    found = people.request_get(viewer=actor_of(request), pk=pk)
    try:
        action(actor=actor_of(request), request=found)
    except PermissionDenied as refused:
        return _detail(request, found, refusal=str(refused), status=403)
    except ValidationError as error:
        found.refresh_from_db()
        return _detail(request, found, refusal=" ".join(error.messages), status=400)
    messages.success(request, done)
    return redirect("translation_request", found.pk)


@require_POST
@login_required
def request_take(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, people.request_take, _("It is yours: translate it below, then submit.")
    )


@require_POST
@login_required
def request_release(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, people.request_release, _("Given back: the other volunteers may take it.")
    )


@GET_POST
@login_required
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw one's request, once confirmed."""
    if request.method == "POST":
        return _act(request, pk, people.request_withdraw, _("Your request is withdrawn."))
    found = people.request_get(viewer=actor_of(request), pk=pk)
    try:
        people.refuse_unless(actor_of(request), "translation.withdraw_request", found)
    except PermissionDenied as refused:
        return _detail(request, found, refusal=str(refused), status=403)
    return render(request, "translation/request_withdraw.html", {"item": found})


@require_POST
@login_required
def request_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the translation written on the request's page."""
    actor = actor_of(request)
    found = people.request_get(viewer=actor, pk=pk)
    if not allowed(actor, "translation.submit_request", found) or found.status != "taken":
        return _act(request, pk, lambda **kw: people.request_submit(texts={}, **kw), "")
    work = people.request_work(found)
    form = TranslationForm(
        request.POST, work=work, labels=_labels(found.original, list(work.texts))
    )
    if form.is_valid():
        try:
            people.request_submit(
                actor=actor,
                request=found,
                texts=form.texts(),
                source_hash=form.cleaned_data["source_hash"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your translation is what readers see now."))
            return redirect(people.content_url(found))
    return _detail(request, found, form=form, status=400)
