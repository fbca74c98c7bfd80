"""HTML pages for agreements, their tasks, an organization's commitments (accountability) and the
history of a relation between two organizations.

As on the meeting pages: what the viewer may not see answers 404, as if missing; an action
reserved to other roles, 403; an anonymous visitor is sent to sign in. Refused input re-renders
the form with its errors and changes nothing.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from internationale.core import uploads
from internationale.core.actors import actor_of
from internationale.core.forms import add_service_errors
from internationale.core.services import require
from internationale.core.visibility import is_masked

from . import accountability, agreements, history, selectors
from . import forms_agreements as forms
from .models import Task

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 20


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# Agreements --------------------------------------------------------------------------------------


@GET_POST
@login_required
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "cooperation.record_agreement", meeting)
    form = forms.AgreementForm(_data(request), participants=agreements.participants(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            agreement = agreements.agreement_create(
                actor=actor_of(request),
                meeting=meeting,
                submission_key=form.cleaned_data.get("submission_key"),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agreement is recorded. Now add its tasks."))
            return redirect("agreement_detail", agreement.pk)
    return render(request, "cooperation/agreement_form.html", {"form": form, "meeting": meeting})


@require_safe
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = accountability.agreement_get(viewer=actor_of(request), pk=pk)
    tasks = accountability.task_list(agreement)
    context = {
        "agreement": agreement,
        "meeting": agreement.meeting,
        "parties": accountability.parties_of(agreement),
        "tasks": accountability.tasks_shown(actor_of(request), tasks),
        "share": accountability.share_of(tasks),
        "today": accountability.today(),
        "may_add_task": actor_of(request).has_perm("cooperation.add_task", agreement),
    }
    return render(request, "cooperation/agreement_detail.html", context)


# Tasks -------------------------------------------------------------------------------------------


@GET_POST
@login_required
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = accountability.agreement_get(viewer=actor_of(request), pk=pk)
    require(actor_of(request), "cooperation.add_task", agreement)
    form = forms.TaskForm(_data(request), parties=accountability.parties_of(agreement))
    if request.method == "POST" and form.is_valid():
        try:
            agreements.task_create(
                actor=actor_of(request),
                agreement=agreement,
                submission_key=form.cleaned_data.get("submission_key"),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task is added; its organization is told."))
            return redirect("agreement_detail", agreement.pk)
    return render(
        request, "cooperation/task_form.html", {"form": form, "agreement": agreement, "task": None}
    )


def _task(request: HttpRequest, pk: int, perm: str | None = None) -> Task:
    task = accountability.task_get(viewer=actor_of(request), pk=pk)
    if perm is not None:
        require(actor_of(request), perm, task)
    return task


@require_safe
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    actor = actor_of(request)
    may_act = task.is_pending and actor.has_perm("cooperation.act_on_task", task)
    context = {
        "task": task,
        "agreement": task.agreement,
        "notes": accountability.note_list(viewer=actor, task=task),
        "may_read_progress": not is_masked(task, "evidence"),
        "overdue": task.is_pending and task.deadline < accountability.today(),
        "may_act": may_act,
        "may_change": task.is_pending and actor.has_perm("cooperation.change_task", task),
        "status_form": forms.StatusForm(initial={"status": task.status}),
        "note_form": forms.NoteForm(),
    }
    return render(request, "cooperation/task_detail.html", context)


@GET_POST
@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk, "cooperation.change_task")
    initial = {
        "title": task.title,
        "description": task.description,
        "organization": task.organization.slug,
        "deadline": task.deadline,
    }
    form = forms.TaskForm(
        _data(request), initial=initial, parties=accountability.parties_of(task.agreement)
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreements.task_edit(actor=actor_of(request), task=task, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task is changed."))
            return redirect("task_detail", task.pk)
    return render(
        request,
        "cooperation/task_form.html",
        {"form": form, "agreement": task.agreement, "task": task},
    )


@GET_POST
@login_required
def task_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the task open or in progress, or drop it: a reason and a confirmation needed."""
    task = _task(request, pk, "cooperation.act_on_task")
    form = forms.StatusForm(_data(request), initial={"status": task.status})
    if request.method == "POST" and form.is_valid():
        try:
            agreements.task_set_status(
                actor=actor_of(request),
                task=task,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task's status is changed."))
            return redirect("task_detail", task.pk)
    return render(request, "cooperation/task_status.html", {"form": form, "task": task})


@require_POST
@login_required
def task_note(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk, "cooperation.act_on_task")
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        try:
            agreements.task_note_add(
                actor=actor_of(request), task=task, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The note is added."))
            return redirect("task_detail", task.pk)
    return render(request, "cooperation/task_note.html", {"form": form, "task": task}, status=400)


@GET_POST
@login_required
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk, "cooperation.act_on_task")
    form = forms.CompleteForm(_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreements.task_complete(actor=actor_of(request), task=task, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task is done. Thank you."))
            return redirect("task_detail", task.pk)
    return render(request, "cooperation/task_complete.html", {"form": form, "task": task})


@require_safe
def task_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file of a task, for the people of its responsible organization and of the
    host (Task.EVIDENCE); 404 for anyone else, as if there were none. Uploaded files have no
    public URL: this view is the only way to them."""
    task = _task(request, pk)
    if is_masked(task, "evidence") or not task.evidence_file:
        raise Http404
    return uploads.attachment(task.evidence_file, "evidence")


# Accountability ----------------------------------------------------------------------------------

LISTS = ("ours", "theirs", "overdue", "agreements")


@require_safe
@login_required
def commitments(request: HttpRequest, slug: str) -> HttpResponse:
    organization = accountability.commitments_organization(viewer=actor_of(request), slug=slug)
    found = accountability.commitments(viewer=actor_of(request), organization=organization)
    shown = request.GET.get("show")
    shown = shown if shown in LISTS else "ours"
    listed = getattr(found, shown)
    if shown != "agreements":
        listed = accountability.tasks_shown(actor_of(request), listed)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    if shown == "agreements":
        for agreement in page.object_list:
            agreement.share = accountability.share_from(agreement)
    context = {
        "organization": organization,
        "found": found,
        "shown": shown,
        "page": page,
        "today": accountability.today(),
    }
    return render(request, "cooperation/commitments.html", context)


@require_safe
@login_required
def commitments_export(request: HttpRequest, slug: str) -> HttpResponse:
    organization = accountability.commitments_organization(viewer=actor_of(request), slug=slug)
    found = accountability.commitments(viewer=actor_of(request), organization=organization)
    response = HttpResponse(
        accountability.commitments_csv(found), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="commitments-{organization.slug}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


# Relations ---------------------------------------------------------------------------------------


@require_safe
@login_required
def relation_history(request: HttpRequest, slug: str, other: str) -> HttpResponse:
    """What two organizations did together, for the people of the first."""
    found = history.relation_history(viewer=actor_of(request), slug=slug, other=other)
    return render(request, "cooperation/relation_history.html", {"history": found})
