"""HTML pages for a meeting's agenda and minutes. The agenda shows on the meeting's page
(`detail_context`); these pages change it, and show and approve the minutes.

As on the other meeting pages: a meeting the viewer may not see answers 404; an action reserved to
other roles, 403; an anonymous visitor is sent to sign in. Refused input re-renders the form with
its errors; a refused button (frozen minutes) says why on the page it returns to. Nothing changes.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from internationale.core.actors import actor_of
from internationale.core.forms import add_service_errors, offer_language_confirmation
from internationale.core.predicates import SPEAKING_ROLES
from internationale.core.services import require
from internationale.core.uploads import attachment
from internationale.core.visibility import Access
from internationale.organizations.models import Organization
from internationale.translation.content import Reading

from . import agenda, forms_agenda, languages, minutes, selectors
from .models import Meeting, Minutes

GET_POST = require_http_methods(["GET", "POST"])


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _hosting(request: HttpRequest, pk: int, perm: str) -> Access[Meeting]:
    """The meeting (404 if not visible), for those the rule allows (403 for the others)."""
    access = selectors.meeting_access(viewer=actor_of(request), pk=pk)
    require(actor_of(request), perm, access.obj)
    return access


def _form_page(request: HttpRequest, meeting: Meeting, form: Any, **context: Any) -> HttpResponse:
    return render(
        request, "cooperation/agenda_form.html", {"meeting": meeting, "form": form, **context}
    )


def _to_meeting(meeting: Meeting) -> HttpResponse:
    return redirect(reverse("meeting_detail", args=[meeting.pk]) + "#agenda-heading")


def _reading(request: HttpRequest, meeting: Meeting, items: list[Any], record: Minutes) -> Reading:
    """The meeting's texts in the reader's language (`?lang=` or the page's), or the original
    (`?original=1`): the meeting and its items take the texts shown."""
    return languages.meeting_reading(
        meeting,
        request.GET.get("lang") or get_language(),
        original="original" in request.GET,
        items=items,
        minutes_status=record.status,
    )


def detail_context(request: HttpRequest, access: Access[Meeting]) -> dict[str, Any]:
    """What the meeting's page shows of its agenda and minutes."""
    meeting = access.obj
    record = minutes.minutes_of(meeting)
    items = agenda.agenda_list(access)
    return {
        "reading": _reading(request, meeting, items, record),
        "agenda": items,
        "may_change_agenda": actor_of(request).has_perm("cooperation.change_agenda", meeting),
        "minutes": record,
        "minutes_shown": access.owner or record.status != Minutes.Status.DRAFT,
    }


# Agenda ------------------------------------------------------------------------------------------


@GET_POST
@login_required
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _hosting(request, pk, "cooperation.change_agenda").obj
    form = forms_agenda.AgendaItemForm(
        _data(request), participants=agenda.participant_choices(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            agenda.agenda_item_add(
                actor=actor_of(request),
                meeting=meeting,
                submission_key=form.cleaned_data.get("submission_key"),
                **form.service_fields(),
            )
        except ValidationError as error:
            offer_language_confirmation(form, error)
            add_service_errors(form, error)
        else:
            messages.success(request, _("The item is on the agenda."))
            return _to_meeting(meeting)
    return _form_page(request, meeting, form, heading=_("Add an agenda item"), button=_("Add"))


@GET_POST
@login_required
def agenda_item_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    access = _hosting(request, pk, "cooperation.change_agenda")
    found = agenda.agenda_item_get(access, item)
    form = forms_agenda.AgendaItemForm(
        _data(request), participants=agenda.participant_choices(access.obj), item=found
    )
    if request.method == "POST" and form.is_valid():
        try:
            agenda.agenda_item_edit(actor=actor_of(request), item=found, **form.service_fields())
        except ValidationError as error:
            offer_language_confirmation(form, error)
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agenda item is changed."))
            return _to_meeting(access.obj)
    return _form_page(
        request, access.obj, form, heading=_("Change the agenda item"), button=_("Save")
    )


@GET_POST
@login_required
def agenda_item_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """A confirmation page, then the removal."""
    access = _hosting(request, pk, "cooperation.change_agenda")
    found = agenda.agenda_item_get(access, item)
    return _confirm_removal(
        request,
        access.obj,
        remove=lambda: agenda.agenda_item_remove(actor=actor_of(request), item=found),
        done=_("The item is removed from the agenda."),
        heading=_("Remove the agenda item"),
        question=_("Remove “%(item)s” from the agenda, with its documents and minutes?")
        % {"item": found.title},
        button=_("Remove the item"),
    )


def _confirm_removal(
    request: HttpRequest,
    meeting: Meeting,
    *,
    remove: Callable[[], object],
    done: str,
    heading: str,
    question: str,
    button: str,
) -> HttpResponse:
    """A page asking to confirm a removal (GET), then the removal (POST), back to the meeting."""
    if request.method == "POST":
        try:
            remove()
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, done)
        return _to_meeting(meeting)
    context = {"meeting": meeting, "heading": heading, "question": question, "button": button}
    return render(request, "cooperation/agenda_confirm.html", context)


@require_POST
@login_required
def agenda_item_shift(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """One place up or down (`direction`), from a button on the meeting's page."""
    access = _hosting(request, pk, "cooperation.change_agenda")
    found = agenda.agenda_item_get(access, item)
    try:
        agenda.agenda_item_shift(
            actor=actor_of(request), item=found, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        _refused(request, error)
    return _to_meeting(access.obj)


@GET_POST
@login_required
def agenda_item_move(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """Move an item not reached to a later meeting of the host."""
    access = _hosting(request, pk, "cooperation.change_agenda")
    found = agenda.agenda_item_get(access, item)
    form = forms_agenda.MoveForm(_data(request), choices=agenda.later_meetings(access.obj))
    if request.method == "POST" and form.is_valid():
        try:
            moved = agenda.agenda_item_move(
                actor=actor_of(request), item=found, target=form.cleaned_data["meeting"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The item is moved, with its documents."))
            return _to_meeting(moved.meeting)
    return _form_page(
        request,
        access.obj,
        form,
        heading=_("Move “%(item)s” to a later meeting") % {"item": found.title},
        button=_("Move"),
    )


@GET_POST
@login_required
def agenda_document_add(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    access = _hosting(request, pk, "cooperation.change_agenda")
    found = agenda.agenda_item_get(access, item)
    form = forms_agenda.DocumentForm(_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            agenda.agenda_document_add(actor=actor_of(request), item=found, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document is attached."))
            return _to_meeting(access.obj)
    return _form_page(
        request,
        access.obj,
        form,
        heading=_("Attach a document to “%(item)s”") % {"item": found.title},
        button=_("Attach"),
        multipart=True,
    )


@require_safe
def agenda_document_file(request: HttpRequest, pk: int, document: int) -> FileResponse:
    """An attached file, as a download, for those who may see the meeting."""
    access = selectors.meeting_access(viewer=actor_of(request), pk=pk)
    found = agenda.agenda_document_get(access, document)
    if not found.file:  # a link is shown as it is
        raise Http404
    return attachment(found.file)


@GET_POST
@login_required
def agenda_document_remove(request: HttpRequest, pk: int, document: int) -> HttpResponse:
    access = _hosting(request, pk, "cooperation.change_agenda")
    found = agenda.agenda_document_get(access, document)
    return _confirm_removal(
        request,
        access.obj,
        remove=lambda: agenda.agenda_document_remove(actor=actor_of(request), document=found),
        done=_("The document is removed."),
        heading=_("Remove the document"),
        question=_("Remove “%(document)s” from the agenda item “%(item)s”?")
        % {"document": found.title, "item": found.item.title},
        button=_("Remove the document"),
    )


# Minutes -----------------------------------------------------------------------------------------


def _answering(access: Access[Meeting]) -> list[Organization]:
    """The invited organizations the viewer speaks for."""
    ids = access.speaking_addressees(SPEAKING_ROLES)
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


@require_safe
def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.meeting_access(viewer=actor_of(request), pk=pk)
    record = minutes.minutes_get(access)
    viewer = actor_of(request)
    items = agenda.agenda_list(access)
    context = {
        "meeting": access.obj,
        "minutes": record,
        "reading": _reading(request, access.obj, items, record),
        "items": items,
        "approvals": minutes.approval_list(record),
        "attended": len(minutes.attended(access.obj)),
        "corrections": minutes.correction_list(record),
        "may_record": viewer.has_perm("cooperation.record_minutes", access.obj),
        "may_approve": viewer.has_perm("cooperation.approve_minutes", access.obj),
    }
    return render(request, "cooperation/minutes_detail.html", context)


def _to_minutes(meeting: Meeting) -> HttpResponse:
    return redirect("minutes_detail", meeting.pk)


@GET_POST
@login_required
def minutes_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    access = _hosting(request, pk, "cooperation.record_minutes")
    found = agenda.agenda_item_get(access, item)
    form = forms_agenda.MinutesForm(_data(request), initial={"text": found.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            minutes.minutes_record(
                actor=actor_of(request),
                item=found,
                text=form.cleaned_data["text"],
                language_confirmed=form.cleaned_data["language_confirmed"],
            )
        except ValidationError as error:
            offer_language_confirmation(form, error)
            add_service_errors(form, error)
        else:
            messages.success(request, _("The minutes of the item are recorded."))
            return _to_minutes(access.obj)
    return _form_page(
        request,
        access.obj,
        form,
        heading=_("Minutes of “%(item)s”") % {"item": found.title},
        button=_("Save the minutes"),
        cancel=reverse("minutes_detail", args=[access.obj.pk]),
    )


@GET_POST
@login_required
def minutes_submit(request: HttpRequest, pk: int) -> HttpResponse:
    access = _hosting(request, pk, "cooperation.record_minutes")
    form = forms_agenda.SubmitMinutesForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            minutes.minutes_submit(
                actor=actor_of(request), meeting=access.obj, deadline=form.cleaned_data["deadline"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The minutes are submitted to the participants."))
            return _to_minutes(access.obj)
    return _form_page(
        request,
        access.obj,
        form,
        heading=_("Submit the minutes for approval"),
        intro=_(
            "Each organization that took part approves them or proposes a correction. A change "
            "you make afterwards removes the approvals given."
        ),
        button=_("Submit"),
        cancel=reverse("minutes_detail", args=[access.obj.pk]),
    )


def _participant_page(request: HttpRequest, pk: int) -> tuple[Access[Meeting], list[Organization]]:
    access = selectors.meeting_access(viewer=actor_of(request), pk=pk)
    answering = _answering(access)
    if not answering:
        require(actor_of(request), "cooperation.approve_minutes", access.obj)
    return access, answering


@GET_POST
@login_required
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    access, answering = _participant_page(request, pk)
    form = forms_agenda.ParticipantForm(_data(request), organizations=answering)
    if request.method == "POST" and form.is_valid():
        try:
            minutes.minutes_approve(
                actor=actor_of(request),
                meeting=access.obj,
                organization=form.cleaned_data["organization"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your organization approves the minutes."))
            return _to_minutes(access.obj)
    return _form_page(
        request,
        access.obj,
        form,
        heading=_("Approve the minutes"),
        intro=_("Your organization approves the minutes as they stand."),
        button=_("Approve"),
        cancel=reverse("minutes_detail", args=[access.obj.pk]),
    )


@GET_POST
@login_required
def correction_propose(request: HttpRequest, pk: int) -> HttpResponse:
    access, answering = _participant_page(request, pk)
    form = forms_agenda.CorrectionForm(_data(request), organizations=answering, meeting=access.obj)
    if request.method == "POST" and form.is_valid():
        try:
            minutes.correction_propose(
                actor=actor_of(request), meeting=access.obj, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The correction is proposed to the host."))
            return _to_minutes(access.obj)
    return _form_page(
        request,
        access.obj,
        form,
        heading=_("Propose a correction to the minutes"),
        button=_("Propose"),
        cancel=reverse("minutes_detail", args=[access.obj.pk]),
    )


@GET_POST
@login_required
def correction_answer(request: HttpRequest, pk: int, correction: int) -> HttpResponse:
    access = _hosting(request, pk, "cooperation.record_minutes")
    found = minutes.correction_get(minutes.minutes_get(access), correction)
    form = forms_agenda.AnswerCorrectionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            minutes.correction_answer(
                actor=actor_of(request),
                correction=found,
                accept=form.cleaned_data["answer"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The correction is answered."))
            return _to_minutes(access.obj)
    return _form_page(
        request,
        access.obj,
        form,
        heading=_("Answer the correction of %(organization)s")
        % {"organization": found.organization.name},
        correction=found,
        button=_("Send the answer"),
        cancel=reverse("minutes_detail", args=[access.obj.pk]),
    )
