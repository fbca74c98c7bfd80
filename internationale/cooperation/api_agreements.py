"""The REST API on agreements, their tasks and an organization's commitments (accountability).

As on meetings: what the caller may not see answers 404; what it sees but may not do, 403;
refused input, 400 with the errors by field.
"""

import datetime
import json
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import ValidationError as SchemaValidationError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ValidationError as PydanticValidationError

from internationale.accounts.api import ApiRequest
from internationale.core.api import (
    CONFLICT,
    ERRORS,
    LEFT_OUT,
    ErrorOut,
    Pagination,
    choice_of,
    idempotency_header,
)
from internationale.core.links import absolute_url
from internationale.core.services import require
from internationale.core.sliced import Sliced
from internationale.core.visibility import is_masked
from internationale.organizations.models import Organization

from . import accountability, agreements, selectors
from .forms_agreements import CompleteForm
from .models import Agreement, Task, TaskNote

router = Router(tags=["meetings"])
WITH_403 = {403: ErrorOut, **ERRORS}


class PartyRef(Schema):
    slug: str
    name: str


class ShareOut(Schema):
    total: int
    done: int
    dropped: int
    overdue: int
    percent: int | None = Field(description="Done among the tasks not dropped; null if none.")


class AgreementOut(Schema):
    id: int
    meeting: int
    title: str
    text: str = Field(description="Markdown.")
    parties: list[PartyRef]
    adopted_on: datetime.date
    url: str

    @staticmethod
    def resolve_meeting(obj: Agreement) -> int:
        return obj.meeting_id

    @staticmethod
    def resolve_parties(obj: Agreement) -> list[Organization]:
        return list(obj.parties.all())

    @staticmethod
    def resolve_url(obj: Agreement) -> str:
        return absolute_url(obj.get_absolute_url())


class AgreementIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=50000)
    parties: list[str] = Field(
        description="The slugs of at least two organizations taking part in the meeting."
    )
    adopted_on: datetime.date


class NoteOut(Schema):
    text: str
    created_at: datetime.datetime


class TaskOut(Schema):
    id: int
    agreement: int
    title: str
    description: str
    organization: PartyRef = Field(description="The responsible organization.")
    deadline: datetime.date
    status: choice_of(Task.Status)  # type: ignore[valid-type]
    drop_reason: str
    overdue: bool
    evidence_text: str = Field(
        description="Empty unless you are of the responsible organization or of the host."
    )
    evidence_link: str = Field(
        description="Empty unless you are of the responsible organization or of the host."
    )
    evidence_url: str | None = Field(
        description="Where the evidence file is served; null when there is none, and unless "
        "you are of the responsible organization or of the host."
    )
    notes: list[NoteOut] = Field(
        description="The progress notes, oldest first; empty unless you are of the responsible "
        "organization or of the host."
    )
    url: str

    @staticmethod
    def resolve_agreement(obj: Task) -> int:
        return obj.agreement_id

    @staticmethod
    def resolve_overdue(obj: Task) -> bool:
        return obj.is_pending and obj.deadline < accountability.today()

    @staticmethod
    def resolve_evidence_url(obj: Task) -> str | None:
        if is_masked(obj, "evidence") or not obj.evidence_file:
            return None
        return absolute_url(reverse("task_evidence", args=[obj.pk]))

    @staticmethod
    def resolve_notes(obj: Task) -> list[TaskNote]:
        # The same people as the evidence (TaskNote.audience, Task.EVIDENCE): every task handed
        # out here went through `mask` (accountability.tasks_shown, task_get).
        if is_masked(obj, "evidence"):
            return []
        return list(obj.notes.all())

    @staticmethod
    def resolve_url(obj: Task) -> str:
        return absolute_url(obj.get_absolute_url())


class TaskIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=20000)
    organization: str = Field(max_length=80, description="The responsible party's slug.")
    deadline: datetime.date


class TaskPatch(Schema):
    title: str = Field(LEFT_OUT, min_length=1, max_length=200)
    description: str = Field(LEFT_OUT, max_length=20000)
    organization: str = Field(LEFT_OUT, max_length=80)
    deadline: datetime.date = LEFT_OUT


class StatusIn(Schema):
    status: Literal["open", "in_progress", "dropped"]
    reason: str = Field("", max_length=5000, description="Needed to drop the task.")


class NoteIn(Schema):
    text: str = Field(min_length=1, max_length=5000)


class CompleteIn(Schema):
    evidence_text: str = Field("", max_length=5000)
    evidence_link: str = Field("", max_length=500)


def _organization(slug: str, field: str) -> Organization:
    found = Organization.objects.filter(slug=slug).first()
    if found is None:
        raise ValidationError({field: _("No organization has this address.")}, code="unknown")
    return found


def _tasks(queryset: QuerySet[Task]) -> QuerySet[Task]:
    return queryset.select_related("organization").prefetch_related("notes")


def _task(request: ApiRequest, pk: int) -> Task:
    return accountability.task_get(viewer=request.auth, pk=pk)


def _task_out(request: ApiRequest, task: Task) -> Task:
    """The task read again after a change, as the caller may read it."""
    return accountability.tasks_shown(request.auth, _tasks(Task.objects.filter(pk=task.pk)))[0]


@router.get(
    "/meetings/{pk}/agreements",
    response={200: list[AgreementOut], **ERRORS},
    url_name="agreement_list",
)
@paginate(Pagination)
def agreement_list(request: ApiRequest, pk: int) -> QuerySet[Agreement]:
    """The agreements adopted at a meeting you may read."""
    return accountability.agreement_list(selectors.meeting_access(viewer=request.auth, pk=pk))


@router.post(
    "/meetings/{pk}/agreements",
    response={201: AgreementOut, **WITH_403, **CONFLICT},
    url_name="agreement_create",
)
def agreement_create(
    request: ApiRequest,
    pk: int,
    payload: AgreementIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Agreement]:
    """Record an agreement adopted at the meeting, between two or more of its participants: for
    those who speak for the host."""
    meeting = selectors.meeting_get(viewer=request.auth, pk=pk)
    require(request.auth, "cooperation.record_agreement", meeting)
    parties = [_organization(slug, "parties") for slug in payload.parties]
    agreement = agreements.agreement_create(
        actor=request.auth,
        meeting=meeting,
        title=payload.title,
        text=payload.text,
        parties=parties,
        adopted_on=payload.adopted_on,
        submission_key=idempotency_key,
    )
    return Status(201, agreement)


@router.get("/agreements/{pk}/tasks", response={200: list[TaskOut], **ERRORS}, url_name="task_list")
@paginate(Pagination)
def task_list(request: ApiRequest, pk: int) -> Sliced[Task]:
    """The tasks of an agreement you may read, the soonest deadline first. Their evidence and
    notes: for the people of the responsible organization and of the host only."""
    agreement = accountability.agreement_get(viewer=request.auth, pk=pk)
    return accountability.tasks_shown(request.auth, _tasks(accountability.task_list(agreement)))


@router.post(
    "/agreements/{pk}/tasks",
    response={201: TaskOut, **WITH_403, **CONFLICT},
    url_name="task_create",
)
def task_create(
    request: ApiRequest,
    pk: int,
    payload: TaskIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Task]:
    """Add a task for one of the agreement's parties, which is told: for those who speak for
    the meeting's host."""
    agreement = accountability.agreement_get(viewer=request.auth, pk=pk)
    require(request.auth, "cooperation.add_task", agreement)
    fields = payload.dict()
    fields["organization"] = _organization(fields["organization"], "organization")
    task = agreements.task_create(
        actor=request.auth, agreement=agreement, **fields, submission_key=idempotency_key
    )
    return Status(201, _task_out(request, task))


@router.get("/tasks/{pk}", response={200: TaskOut, **ERRORS}, url_name="task_detail")
def task_detail(request: ApiRequest, pk: int) -> Task:
    """A task you may read, with its progress notes."""
    return _task_out(request, _task(request, pk))


@router.patch("/tasks/{pk}", response={200: TaskOut, **WITH_403}, url_name="task_update")
def task_update(request: ApiRequest, pk: int, payload: TaskPatch) -> Task:
    """Change a pending task: for those who speak for the meeting's host. A new responsible
    organization is told; a new deadline is reminded of again."""
    task = _task(request, pk)
    require(request.auth, "cooperation.change_task", task)
    fields = payload.dict(exclude_unset=True)
    if "organization" in fields:
        fields["organization"] = _organization(fields["organization"], "organization")
    return _task_out(request, agreements.task_edit(actor=request.auth, task=task, **fields))


@router.post("/tasks/{pk}/status", response={200: TaskOut, **WITH_403}, url_name="task_status")
def task_status(request: ApiRequest, pk: int, payload: StatusIn) -> Task:
    """Mark a pending task open or in progress, or drop it with a reason (for good): for those
    who speak for the responsible organization. Done is `/complete`, with evidence."""
    task = _task(request, pk)
    require(request.auth, "cooperation.act_on_task", task)
    return _task_out(
        request,
        agreements.task_set_status(
            actor=request.auth, task=task, status=payload.status, reason=payload.reason
        ),
    )


@router.post("/tasks/{pk}/notes", response={201: TaskOut, **WITH_403}, url_name="task_note")
def task_note(request: ApiRequest, pk: int, payload: NoteIn) -> Status[Task]:
    """Add a dated note on the progress of a pending task: for those who speak for the
    responsible organization."""
    task = _task(request, pk)
    require(request.auth, "cooperation.act_on_task", task)
    agreements.task_note_add(actor=request.auth, task=task, text=payload.text)
    return Status(201, _task_out(request, task))


COMPLETE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": CompleteIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        **CompleteIn.model_json_schema()["properties"],
                        "evidence_file": {
                            "type": "string",
                            "format": "binary",
                            "description": "As a pledge's evidence: at most 5 MB, PDF, JPEG, "
                            "PNG, GIF, WebP, plain UTF-8 text, ODT or DOCX, checked by its "
                            "content; images stored without metadata.",
                        },
                    },
                }
            },
        },
    }
}


def _complete_form(request: ApiRequest) -> CompleteForm:
    if request.content_type == "multipart/form-data":
        return CompleteForm(request.POST, request.FILES)
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationError(_("The request body is not valid JSON."), code="invalid") from None
    if not isinstance(data, dict):
        raise ValidationError(_("The request body must be a JSON object."), code="invalid")
    try:
        payload = CompleteIn.model_validate(data)
    except PydanticValidationError as error:
        raise SchemaValidationError(
            [{**e, "loc": ("body", "payload", *e["loc"])} for e in error.errors()]
        ) from None
    return CompleteForm(payload.dict())


@router.post(
    "/tasks/{pk}/complete",
    response={200: TaskOut, **WITH_403},
    url_name="task_complete",
    openapi_extra=COMPLETE_BODY,
)
def task_complete(request: ApiRequest, pk: int) -> Task:
    """Mark a pending task done, with evidence: a text, a link or a file. Send JSON, or, with a
    file, multipart/form-data. For those who speak for the responsible organization."""
    task = _task(request, pk)
    require(request.auth, "cooperation.act_on_task", task)
    form = _complete_form(request)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    done = agreements.task_complete(actor=request.auth, task=task, **form.service_fields())
    return _task_out(request, done)


class PartnerOut(Schema):
    organization: PartyRef
    theirs: ShareOut = Field(description="Its tasks in agreements with you.")
    ours: ShareOut = Field(description="Your tasks in agreements it is a party of.")


class CommitmentsOut(Schema):
    organization: PartyRef
    ours: ShareOut = Field(description="The tasks your organization is responsible for.")
    theirs: ShareOut = Field(description="The other parties' tasks in your agreements.")
    partners: list[PartnerOut]
    overdue: list[TaskOut] = Field(description="The first 100 overdue tasks, both ways.")


@router.get(
    "/organizations/{slug}/commitments",
    response={200: CommitmentsOut, **ERRORS},
    url_name="commitments",
)
def commitments(request: ApiRequest, slug: str) -> dict[str, Any]:
    """Accountability of one of your organizations: the share done of its commitments to others
    and of others' commitments to it, by partner, and what is overdue. The tasks themselves:
    /agreements/{pk}/tasks, or the CSV export of the commitments page."""
    organization = accountability.commitments_organization(viewer=request.auth, slug=slug)
    found = accountability.commitments(viewer=request.auth, organization=organization)
    return {
        "organization": organization,
        "ours": found.total_ours,
        "theirs": found.total_theirs,
        "partners": found.partners,
        "overdue": accountability.tasks_shown(request.auth, _tasks(found.overdue))[:100],
    }
