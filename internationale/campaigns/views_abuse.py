"""The operators' screening page: the client addresses (hashed) and e-mail domains signing most in
the last hour, the allow and block lists, and invalidating signatures in bulk after a
confirmation page. Operators only: anyone else is answered 404, as if the page did not exist."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from internationale.core.actors import actor_of
from internationale.core.forms import add_service_errors
from internationale.core.services import allowed

from . import abuse, screening
from .forms_abuse import InvalidateForm, RuleForm
from .models import ScreeningRule

GET_POST = require_http_methods(["GET", "POST"])


def _operator(request: HttpRequest) -> None:
    if not allowed(actor_of(request), abuse.PERMISSION):
        raise Http404


def _page(request: HttpRequest, **context: Any) -> HttpResponse:
    since = timezone.now() - datetime.timedelta(hours=1)
    context.setdefault("rule_form", RuleForm())
    context.setdefault("invalidate_form", InvalidateForm())
    return render(
        request,
        "campaigns/screening.html",
        {
            "addresses": screening.trending(since=since, by="address"),
            "domains": screening.trending(since=since, by="domain"),
            "rules": list(ScreeningRule.objects.select_related("created_by")),
            **context,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_safe
@login_required
def screening_overview(request: HttpRequest) -> HttpResponse:
    _operator(request)
    return _page(request)


@require_POST
@login_required
def screening_rule_add(request: HttpRequest) -> HttpResponse:
    _operator(request)
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            abuse.rule_add(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The pattern is listed."))
            return redirect("screening_overview")
    return _page(request, rule_form=form)


@GET_POST
@login_required
def screening_rule_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page, then the pattern leaves its list."""
    _operator(request)
    rule = get_object_or_404(ScreeningRule, pk=pk)
    if request.method == "POST":
        abuse.rule_remove(actor=actor_of(request), rule=rule)
        messages.success(request, _("The pattern is no longer listed."))
        return redirect("screening_overview")
    return render(request, "campaigns/screening_rule_remove.html", {"rule": rule})


@GET_POST
@login_required
def screening_invalidate(request: HttpRequest) -> HttpResponse:
    """GET with the form's fields: what would be invalidated, and a button to confirm; POST:
    invalidate. Refused input is shown with its errors and changes nothing."""
    _operator(request)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = InvalidateForm(data)
    context: dict[str, Any] = {"form": form}
    if data is None:
        return render(request, "campaigns/screening_invalidate.html", context)
    actor = actor_of(request)
    if form.is_valid():
        try:
            if request.method == "POST":
                n = abuse.signatures_invalidate(
                    actor=actor, selection=form.selection(), reason=form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    ngettext("%(n)s signature invalidated.", "%(n)s signatures invalidated.", n)
                    % {"n": n},
                )
                return redirect("screening_overview")
            preview = abuse.invalidation_preview(actor=actor, selection=form.selection())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            context["preview"] = preview
            context["total"] = sum(int(str(p["n"])) for p in preview)
            return render(request, "campaigns/screening_invalidate.html", context)
    return render(request, "campaigns/screening_invalidate.html", context, status=400)
