"""HTML pages for amendments and versions: the versions of a statement, one version, the comparison
of any two, the amendments grouped by paragraph, one amendment, and the forms to propose, decide,
rebase and withdraw amendments and to revise the text. Adds the amendments section of the
statement page (DETAIL_PARTS).

As on the other statement pages: what the viewer may not see answers 404, as if missing; an
action reserved to other roles, 403; an anonymous visitor is sent to sign in. Refused input
re-renders the form with its errors and changes nothing.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from internationale.core.actors import actor_of
from internationale.core.forms import add_service_errors
from internationale.core.predicates import SPEAKING_ROLES, role_in
from internationale.core.services import require
from internationale.core.visibility import Access

from . import amendments, diff, selectors, views
from . import forms_amendments as forms
from .models import Amendment, Position, Statement
from .services import split_paragraphs

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 50


def _again(message: str, called: bool, number: int) -> str:
    """A new version made while positions were called sends the statement back to drafting: the
    initiator is told to call them again."""
    if not called:
        return message
    again = _(
        "The statement is drafted again; the positions stated stay with the earlier version. Call "
        "positions on version %(n)s when it is ready."
    ) % {"n": number}
    return f"{message} {again}"


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _participating(request: HttpRequest, pk: int) -> Statement:
    """The statement, for its participants only: its drafting is theirs."""
    access = selectors.statement_access(viewer=actor_of(request), pk=pk)
    if not selectors.is_participant_view(access):
        raise Http404
    return access.obj


def amendments_part(request: HttpRequest, access: Access[Statement]) -> dict[str, Any]:
    """The statement page's amendments section: open amendments, the latest versions."""
    if not access.concerned:
        return {}
    statement = access.obj
    actor = actor_of(request)
    listed = amendments.amendment_list(viewer=actor, statement=statement)
    return {
        "open_amendments": listed.filter(status=Amendment.Status.OPEN).count(),
        "latest_versions": list(amendments.version_list(viewer=actor, statement=statement)[:3]),
        "may_propose": actor.has_perm("statements.propose_amendment", statement)
        and not statement.is_frozen,
        "may_revise": actor.has_perm("statements.change_statement", statement)
        and not statement.is_frozen,
    }


views.DETAIL_PARTS.append(amendments_part)


# Versions ----------------------------------------------------------------------------------------


@require_safe
@login_required
def version_list(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _participating(request, pk)
    versions = amendments.version_list(viewer=actor_of(request), statement=statement)
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "statements/version_list.html", {"statement": statement, "page": page})


@require_safe
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    statement = selectors.statement_get(viewer=actor_of(request), pk=pk)
    version = selectors.version_get(viewer=actor_of(request), statement=statement, number=number)
    return render(
        request, "statements/version_detail.html", {"statement": statement, "version": version}
    )


def _number(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


@require_safe
@login_required
def version_compare(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _participating(request, pk)
    actor = actor_of(request)
    numbers = list(
        amendments.version_list(viewer=actor, statement=statement).values_list("number", flat=True)
    )
    latest = numbers[0] if numbers else 1
    first = _number(request.GET.get("from", str(max(latest - 1, 1))))
    second = _number(request.GET.get("to", str(latest)))
    context: dict[str, Any] = {
        "statement": statement,
        "numbers": sorted(numbers),
        "first": first,
        "second": second,
    }
    if first is None or second is None or first not in numbers or second not in numbers:
        context["error"] = _("Choose two versions of this statement: %(numbers)s.") % {
            "numbers": ", ".join(str(n) for n in sorted(numbers))
        }
        return render(request, "statements/version_compare.html", context, status=404)
    old = selectors.version_get(viewer=actor, statement=statement, number=first)
    new = selectors.version_get(viewer=actor, statement=statement, number=second)
    context["old"], context["new"] = old, new
    context["paragraphs"] = [
        (part, diff.render(part.pieces))
        for part in diff.compare_kept(old.paragraphs, new.paragraphs)
    ]
    return render(request, "statements/version_compare.html", context)


@GET_POST
@login_required
def statement_revise(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _participating(request, pk)
    actor = actor_of(request)
    require(actor, "statements.change_statement", statement)
    current = statement.current_version
    initial = {"text": "\n\n".join(current.paragraphs) if current else ""}
    form = forms.ReviseForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        called = statement.status == Statement.Status.POSITIONS
        try:
            version = amendments.statement_revise(
                actor=actor,
                statement=statement,
                paragraphs=split_paragraphs(form.cleaned_data["text"]),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            made = _("Version %(n)s is made; the participants are told.") % {"n": version.number}
            messages.success(request, _again(made, called, version.number))
            return redirect("statement_detail", statement.pk)
    # While positions are called, the blocks the revision answers, with their reasons.
    called_on = statement.positions_version_id
    blocks: list[Position] = []
    if statement.status == Statement.Status.POSITIONS and called_on is not None:
        blocks = list(
            Position.objects.visible_to(actor)
            .filter(version_id=called_on, stance=Position.Stance.BLOCK)
            .select_related("organization", "version")
            .order_by("organization__name")
        )
    return render(
        request,
        "statements/statement_revise.html",
        {"statement": statement, "form": form, "blocks": blocks},
    )


# Amendments --------------------------------------------------------------------------------------


@require_safe
@login_required
def amendment_list(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _participating(request, pk)
    listed = amendments.amendment_list(viewer=actor_of(request), statement=statement)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "statements/amendment_list.html",
        {
            "statement": statement,
            "page": page,
            "groups": amendments.by_paragraph(list(page.object_list)),
        },
    )


@require_safe
@login_required
def amendment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    amendment = amendments.amendment_get(viewer=actor, pk=pk)
    statement = amendment.statement
    paragraphs = amendment.version.paragraphs
    original = (
        paragraphs[amendment.paragraph - 1]
        if amendment.kind != Amendment.Kind.INSERT_AFTER and amendment.paragraph <= len(paragraphs)
        else ""
    )
    proposer = role_in(actor, amendment.organization_id) in SPEAKING_ROLES
    waiting = amendment.status in amendments.PENDING
    context = {
        "statement": statement,
        "amendment": amendment,
        "original": original,
        "competing": list(amendments.competing(amendment).select_related("organization"))
        if amendment.status == Amendment.Status.OPEN
        else [],
        "may_decide": amendment.status == Amendment.Status.OPEN
        and not statement.is_frozen
        and actor.has_perm("statements.decide_amendment", statement),
        "may_rebase": proposer and amendment.status == Amendment.Status.NEEDS_REBASE,
        "may_withdraw": proposer and waiting,
    }
    return render(request, "statements/amendment_detail.html", context)


@GET_POST
@login_required
def amendment_propose(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _participating(request, pk)
    actor = actor_of(request)
    require(actor, "statements.propose_amendment", statement)
    organizations = amendments.proposing_organizations(actor, statement)
    if not organizations:
        raise PermissionDenied
    current = statement.current_version
    assert current is not None
    initial: dict[str, Any] = {"version": current.number, "kind": Amendment.Kind.REPLACE}
    chosen = _number(request.GET.get("paragraph"))
    if chosen is not None and chosen <= len(current.paragraphs):
        initial |= {"paragraph": chosen, "text": current.paragraphs[chosen - 1]}
    form = forms.ProposeForm(_data(request), initial=initial, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            amendment = amendments.amendment_propose(
                actor=actor,
                statement=statement,
                organization=data["organization"],
                version=data["version"],
                paragraph=data["paragraph"],
                kind=data["kind"],
                text=data["text"],
                reason=data["reason"],
                submission_key=data.get("submission_key"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The amendment is proposed; the initiator is told."))
            return redirect("amendment_detail", amendment.pk)
    context = {"statement": statement, "form": form, "version": current}
    return render(request, "statements/amendment_propose.html", context)


@GET_POST
@login_required
def amendment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    amendment = amendments.amendment_get(viewer=actor, pk=pk)
    require(actor, "statements.decide_amendment", amendment.statement)
    form = forms.DecideForm(_data(request), initial={"text": amendment.text})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        called = amendment.statement.status == Statement.Status.POSITIONS
        try:
            decided = amendments.amendment_decide(
                actor=actor,
                amendment=amendment,
                decision=data["decision"],
                reason=data["reason"],
                text=data["text"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if decided.result_version is not None:
                number = decided.result_version.number
                made = _("Version %(n)s is made with the amendment.") % {"n": number}
                messages.success(request, _again(made, called, number))
            else:
                messages.success(request, _("The amendment is rejected; its proposer is told."))
            return redirect("amendment_detail", decided.pk)
    context = {"statement": amendment.statement, "amendment": amendment, "form": form}
    return render(request, "statements/amendment_decide.html", context)


def _proposer(request: HttpRequest, pk: int) -> Amendment:
    actor = actor_of(request)
    amendment = amendments.amendment_get(viewer=actor, pk=pk)
    if role_in(actor, amendment.organization_id) not in SPEAKING_ROLES:
        raise PermissionDenied
    return amendment


@GET_POST
@login_required
def amendment_rebase(request: HttpRequest, pk: int) -> HttpResponse:
    amendment = _proposer(request, pk)
    form = forms.RebaseForm(
        _data(request),
        initial={
            "paragraph": amendment.paragraph,
            "kind": amendment.kind,
            "text": amendment.text,
            "reason": amendment.reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            amendments.amendment_rebase(
                actor=actor_of(request), amendment=amendment, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The amendment is open again, on the current version."))
            return redirect("amendment_detail", amendment.pk)
    context = {"statement": amendment.statement, "amendment": amendment, "form": form}
    return render(request, "statements/amendment_rebase.html", context)


@GET_POST
@login_required
def amendment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    amendment = _proposer(request, pk)
    error = None
    if request.method == "POST":
        try:
            amendments.amendment_withdraw(actor=actor_of(request), amendment=amendment)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("The amendment is withdrawn."))
            return redirect("amendment_detail", amendment.pk)
    context = {"statement": amendment.statement, "amendment": amendment, "error": error}
    return render(request, "statements/amendment_withdraw.html", context)
