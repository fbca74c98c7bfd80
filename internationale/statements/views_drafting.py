"""HTML pages for drafting a statement: starting one, inviting organizations, changing its
settings, withdrawing it, supporting it, and commenting on its paragraphs. As on the other
statement pages: not visible, 404; visible but reserved to other roles, 403; refused input
re-renders the form with its errors and changes nothing."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from internationale.addressing.forms import criteria_fields_html
from internationale.addressing.views import InviteStep
from internationale.core.actors import actor_of
from internationale.core.forms import offer_language_confirmation
from internationale.core.services import require
from internationale.core.visibility import Access
from internationale.organizations import selectors as org_selectors

from . import drafting, selectors, selectors_drafting, services, views
from .forms_drafting import (
    CommentForm,
    CriteriaForm,
    SettingsForm,
    StatementForm,
    SupportForm,
    WithdrawForm,
    add_service_errors,
)
from .models import Statement

GET_POST = require_http_methods(["GET", "POST"])
COMMENT_PAGE_SIZE = 20
# The preview on the form that starts a statement shows this many organizations, then a count.
PREVIEW_SHOWN = 100


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@GET_POST
@login_required
def statement_create(request: HttpRequest) -> HttpResponse:
    """The text, the settings and the organizations invited (the addressing criteria)."""
    initiators = org_selectors.verified_spoken_for(viewer=actor_of(request))
    if not initiators:
        require(
            actor_of(request),
            "statements.initiate_statement",
            message=_(
                "Only an admin or secretary of a verified organization can start a statement."
            ),
        )
    form = StatementForm(_data(request), organizations=initiators)
    criteria = CriteriaForm(_data(request))
    proposals = None
    if "preview" in request.POST:
        # Who the criteria would invite, and why; nothing is started, and only what the preview
        # needs (the organization, the language, the criteria) is checked.
        form.is_valid()
        for name in list(form.errors):
            if name not in ("organization", "language"):
                del form.errors[name]
        if criteria.is_valid() and not form.errors:
            try:
                proposals = selectors_drafting.create_preview(
                    viewer=actor_of(request),
                    organization=form.cleaned_data["organization"],
                    language=form.cleaned_data["language"],
                    criteria=criteria.criteria(),
                )
            except ValidationError as error:
                add_service_errors(criteria, error)
    elif request.method == "POST" and form.is_valid() and criteria.is_valid():
        try:
            statement = services.statement_create(
                actor=actor_of(request),
                submission_key=form.cleaned_data.get("submission_key"),
                criteria=criteria.criteria(),
                **form.service_fields(),
            )
        except ValidationError as error:
            offer_language_confirmation(form, error)
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The statement is started. The organizations invited are told.")
            )
            return redirect("statement_detail", statement.pk)
    return render(
        request,
        "statements/statement_form.html",
        {
            "form": form,
            "criteria_fields": criteria_fields_html(criteria),
            "proposals": proposals,
            "shown": proposals[:PREVIEW_SHOWN] if proposals else [],
        },
    )


INVITE = InviteStep(
    template="statements/statement_invite.html",
    name="statement",
    preview=lambda actor, statement, criteria: selectors_drafting.invite_preview(
        viewer=actor, statement=statement, criteria=criteria
    ),
    invite=lambda actor, statement, criteria: services.statement_invite(
        actor=actor, statement=statement, criteria=criteria
    ),
    invited_ids=selectors_drafting.invited_ids,
    done=lambda count: (
        ngettext(
            "%(count)s organization is invited.", "%(count)s organizations are invited.", count
        )
        % {"count": count}
    ),
    then="statement_detail",
)


@GET_POST
@login_required
def statement_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose criteria, see who would be invited and why, then invite."""
    statement = selectors.statement_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "statements.invite_to_statement", statement)
    return INVITE.respond(request, statement)


@GET_POST
@login_required
def statement_settings(request: HttpRequest, pk: int) -> HttpResponse:
    statement = selectors.statement_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "statements.change_statement", statement)
    form = SettingsForm(_data(request), statement=statement)
    if request.method == "POST" and form.is_valid():
        try:
            drafting.statement_change(
                actor=actor_of(request), statement=statement, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The statement's settings are changed."))
            return redirect("statement_detail", statement.pk)
    return render(
        request, "statements/statement_settings.html", {"statement": statement, "form": form}
    )


@GET_POST
@login_required
def statement_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then withdraw: for the initiator's speakers."""
    statement = selectors.statement_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "statements.change_statement", statement)
    form = WithdrawForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            drafting.statement_withdraw(
                actor=actor_of(request), statement=statement, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The statement is withdrawn."))
            return redirect("statement_detail", statement.pk)
    return render(
        request, "statements/statement_withdraw.html", {"statement": statement, "form": form}
    )


def _support(request: HttpRequest, pk: int, supporting: bool) -> HttpResponse:
    access = selectors.statement_access(viewer=actor_of(request), pk=pk)
    statement = access.obj
    require(actor_of(request), "statements.support_statement", statement)
    organizations = [org for org, _on in selectors_drafting.supporting_as(access)]
    form = SupportForm(request.POST, organizations=organizations)
    if not form.is_valid():
        messages.error(request, _("Name an invited organization you speak for."))
        return redirect("statement_detail", statement.pk)
    service = drafting.statement_support if supporting else drafting.statement_unsupport
    try:
        service(
            actor=actor_of(request),
            statement=statement,
            organization=form.cleaned_data["organization"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your organization supports the draft.")
            if supporting
            else _("Your organization no longer supports the draft."),
        )
    return redirect("statement_detail", statement.pk)


@require_POST
@login_required
def statement_support(request: HttpRequest, pk: int) -> HttpResponse:
    return _support(request, pk, supporting=True)


@require_POST
@login_required
def statement_unsupport(request: HttpRequest, pk: int) -> HttpResponse:
    return _support(request, pk, supporting=False)


# On the statement's page, the first participants; the others on the participants' page.
PARTICIPANTS_SHOWN = 20
PARTICIPANTS_PAGE = 50


@require_safe
@login_required
def statement_participants(request: HttpRequest, pk: int) -> HttpResponse:
    """Every organization taking part, why it was invited and whether it supports the draft, a
    page at a time: for the participants."""
    access = selectors.statement_access(viewer=actor_of(request), pk=pk)
    if not access.concerned:
        raise Http404
    page = Paginator(selectors_drafting.participants(access), PARTICIPANTS_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "statements/statement_participants.html",
        {
            "statement": access.obj,
            "page": page,
            "participant_rows": selectors_drafting.participant_rows(page.object_list),
        },
    )


@GET_POST
@login_required
def paragraph_comments(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The comments on one paragraph of the current version, and a form to add one: for the
    participants; adding, for those who speak for one."""
    access = selectors.statement_access(viewer=actor_of(request), pk=pk)
    statement = access.obj
    version = statement.current_version
    if not access.concerned or version is None or not 1 <= number <= len(version.paragraphs):
        raise Http404
    speaking = selectors.speaking_participants(access)
    if request.method == "POST":
        require(actor_of(request), "statements.comment_statement", statement)
    form = CommentForm(_data(request), organizations=speaking) if speaking else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            drafting.comment_add(
                actor=actor_of(request),
                statement=statement,
                organization=form.cleaned_data["organization"],
                paragraph=number,
                text=form.cleaned_data["text"],
                submission_key=form.cleaned_data.get("submission_key"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your comment is added."))
            return redirect("paragraph_comments", statement.pk, number)
    comments = selectors_drafting.comment_list(access, number)
    page = Paginator(comments, COMMENT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "statements/paragraph_comments.html",
        {
            "statement": statement,
            "number": number,
            "paragraph": version.paragraphs[number - 1],
            "page": page,
            "form": form if not statement.is_frozen else None,
        },
    )


def drafting_context(request: HttpRequest, access: Access[Statement]) -> dict[str, Any]:
    """What the statement page shows of the drafting: rules, supporters, who may do what."""
    actor = actor_of(request)
    statement = access.obj
    drafting_now = statement.status == Statement.Status.DRAFTING
    participants = selectors_drafting.participants(access)
    return {
        "supporters": selectors_drafting.supporters_count(statement) if access.concerned else 0,
        "supporting_as": selectors_drafting.supporting_as(access) if drafting_now else [],
        "may_change": drafting_now and actor.has_perm("statements.change_statement", statement),
        "may_invite": not statement.is_frozen
        and actor.has_perm("statements.invite_to_statement", statement),
        "may_withdraw": not statement.is_frozen
        and actor.has_perm("statements.change_statement", statement),
        "paragraph_rows": selectors_drafting.paragraph_rows(access),
        # The first participants; all of them on their own page (statement_participants).
        "participant_rows": selectors_drafting.participant_rows(participants[:PARTICIPANTS_SHOWN]),
        "participants_count": participants.count() if access.concerned else 0,
    }


views.DETAIL_PARTS.append(drafting_context)
