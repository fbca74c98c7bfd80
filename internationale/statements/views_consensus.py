"""HTML pages for positions, consensus and signatures: calling positions, stating or changing a
position, signing an adopted statement and declining a signature; and the statement page's
consensus panel (_positions.html, participants only) and signatories (_signatures.html, whoever
sees the statement)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from internationale.core.actors import actor_of
from internationale.core.forms import add_service_errors
from internationale.core.services import require
from internationale.core.visibility import Access

from . import consensus, selectors, views
from . import forms_consensus as forms
from .models import Position, Statement

GET_POST = require_http_methods(["GET", "POST"])


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def detail_part(request: HttpRequest, access: Access[Statement]) -> dict[str, Any]:
    """The consensus panel (for the participants) and the signatories (for whoever sees it)."""
    statement = access.obj
    actor = actor_of(request)
    context: dict[str, Any] = {
        "signature_groups": consensus.by_country(list(consensus.signature_list(access))),
        "sign_as": consensus.may_sign_as(actor, statement),
        "may_decline": statement.status == Statement.Status.ADOPTED
        and actor.has_perm("statements.decline_signature", statement),
    }
    if access.concerned:
        context |= {
            "consensus": consensus.consensus_of(statement),
            "may_call_positions": not statement.is_frozen
            and actor.has_perm("statements.call_positions", statement),
            "supporters": consensus.supporters_count(statement),
            "may_state_position": statement.status == Statement.Status.POSITIONS
            and actor.has_perm("statements.state_position", statement),
        }
    return context


views.DETAIL_PARTS.append(detail_part)


@GET_POST
@login_required
def positions_call(request: HttpRequest, pk: int) -> HttpResponse:
    statement = selectors.statement_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "statements.call_positions", statement)
    form = forms.CallPositionsForm(
        _data(request), initial={"positions_until": statement.positions_until}
    )
    if request.method == "POST" and form.is_valid():
        try:
            consensus.positions_call(
                actor=actor_of(request),
                statement=statement,
                positions_until=form.cleaned_data["positions_until"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Positions are called; the participants are told."))
            return redirect("statement_detail", statement.pk)
    context = {
        "form": form,
        "statement": statement,
        "supporters": consensus.supporters_count(statement),
    }
    return render(request, "statements/positions_call.html", context)


@GET_POST
@login_required
def position_state(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.statement_access(viewer=actor_of(request), pk=pk)
    statement = access.obj
    require(actor_of(request), "statements.state_position", statement)
    organizations = selectors.speaking_participants(access)
    if not organizations:
        raise PermissionDenied
    chosen = request.GET.get("organization")
    current = next((o for o in organizations if o.slug == chosen), organizations[0])
    version = statement.positions_version
    existing = (
        Position.objects.filter(version=version, organization=current).first() if version else None
    )
    initial: dict[str, Any] = {
        "organization": current.slug,
        "version": version.number if version else None,
    }
    if existing is not None:
        initial |= {
            "stance": existing.stance,
            "text": existing.text,
            "publish_reservations": existing.publish_reservations,
        }
    form = forms.PositionForm(_data(request), initial=initial, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consensus.position_state(
                actor=actor_of(request),
                statement=statement,
                organization=data["organization"],
                stance=data["stance"],
                text=data["text"],
                publish_reservations=data["publish_reservations"],
                version=data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            adopted = Statement.objects.filter(
                pk=statement.pk, status=Statement.Status.ADOPTED
            ).exists()
            messages.success(
                request,
                _(
                    "The position is recorded. Every participant has answered and nobody "
                    "blocks: the statement is adopted."
                )
                if adopted
                else _("The position is recorded."),
            )
            return redirect("statement_detail", statement.pk)
    context = {"form": form, "statement": statement, "version": version, "existing": existing}
    return render(request, "statements/position_form.html", context)


@GET_POST
@login_required
def signature_add(request: HttpRequest, pk: int) -> HttpResponse:
    statement = selectors.statement_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "statements.sign_statement", statement)
    may_sign = consensus.may_sign_as(actor_of(request), statement)
    if request.method == "GET" and not may_sign:
        raise PermissionDenied(_("None of the organizations you speak for may sign it."))
    # A post is checked by the service, which says why an organization may not sign (and answers
    # a repeated submission with the signature it made).
    organizations = list(consensus.signing_organizations(actor_of(request)))
    initial = {"organization": may_sign[0].slug} if may_sign else {}
    form = forms.SignForm(_data(request), initial=initial, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            consensus.signature_add(
                actor=actor_of(request),
                statement=statement,
                organization=form.cleaned_data["organization"],
                submission_key=form.cleaned_data.get("submission_key"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your signature is added; the initiator is told."))
            return redirect("statement_detail", statement.pk)
    return render(request, "statements/signature_add.html", {"form": form, "statement": statement})


@GET_POST
@login_required
def signature_decline(request: HttpRequest, pk: int, signature: int) -> HttpResponse:
    statement = selectors.statement_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "statements.decline_signature", statement)
    found = consensus.signature_get(statement=statement, pk=signature)
    form = forms.DeclineForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            consensus.signature_decline(
                actor=actor_of(request), signature=found, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The signature is declined and no longer listed."))
            return redirect("statement_detail", statement.pk)
    context = {"form": form, "statement": statement, "signature": found}
    return render(request, "statements/signature_decline.html", context)
