"""The REST API on a meeting's agenda and minutes, on the meetings router (api.py).

As for meetings: a meeting the caller may not see answers 404; an action reserved to other roles,
403; refused content, 400 with the field in `errors`, and nothing changed. Frozen minutes refuse
every change to the minutes and the agenda with a 400 (code `minutes_frozen` in the sentence's
place: see `detail`).
"""

import datetime
import json
import zoneinfo
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError as SchemaValidationError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ValidationError as PydanticValidationError

from internationale.accounts.api import ApiRequest
from internationale.core.api import CONFLICT, ERRORS, LEFT_OUT, Pagination, idempotency_header
from internationale.core.links import absolute_url
from internationale.core.text import render_markdown
from internationale.core.uploads import DOCUMENT_MAX_BYTES
from internationale.core.visibility import Access
from internationale.organizations.models import Organization
from internationale.translation.content import reader_language, translation_of

from . import agenda, forms_agenda, languages, minutes, selectors
from .api import (
    LANG,
    WITH_403,
    CooperationTranslationOut,
    OrganizationRef,
    _answering,
    _organization,
    router,
)
from .models import AgendaDocument, AgendaItem, Meeting, MinutesCorrection


def _local(when: datetime.datetime | None, meeting: Meeting) -> str | None:
    return when.astimezone(zoneinfo.ZoneInfo(meeting.time_zone)).isoformat() if when else None


class CooperationDocumentOut(Schema):
    id: int
    title: str
    link: str = Field(description="A link document's address; empty for a file.")
    file_url: str | None = Field(
        description="A file's address (a download), for those who may see the meeting."
    )

    @staticmethod
    def resolve_file_url(obj: AgendaDocument) -> str | None:
        if not obj.file:
            return None
        return absolute_url(reverse("agenda_document_file", args=[obj.item.meeting_id, obj.pk]))


class AgendaItemOut(Schema):
    id: int
    position: int = Field(description="Its place on the agenda, from 1.")
    title: str
    description: str
    rapporteur: OrganizationRef | None
    start: datetime.datetime | None = Field(description="The time slot's start, in UTC.")
    end: datetime.datetime | None = Field(description="The time slot's end, in UTC.")
    start_local: str | None = Field(description="The start on the clocks where it is held.")
    end_local: str | None = Field(description="The end on the clocks where it is held.")
    documents: list[CooperationDocumentOut]
    translation: CooperationTranslationOut | None = Field(
        None, description="When read: the language of its title and description."
    )

    @staticmethod
    def resolve_start(obj: AgendaItem) -> datetime.datetime | None:
        return obj.starts_at.astimezone(datetime.UTC) if obj.starts_at else None

    @staticmethod
    def resolve_end(obj: AgendaItem) -> datetime.datetime | None:
        return obj.ends_at.astimezone(datetime.UTC) if obj.ends_at else None

    @staticmethod
    def resolve_start_local(obj: AgendaItem) -> str | None:
        return _local(obj.starts_at, obj.meeting)

    @staticmethod
    def resolve_end_local(obj: AgendaItem) -> str | None:
        return _local(obj.ends_at, obj.meeting)

    @staticmethod
    def resolve_documents(obj: AgendaItem) -> list[AgendaDocument]:
        return list(obj.documents.all())


class AgendaItemIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=20000)
    rapporteur: str = Field(
        "", max_length=80, description="The slug of the host or of a participant."
    )
    start: datetime.datetime | None = Field(
        None,
        description="A time slot within the meeting: a local time where it is held, or a "
        "time with an offset. Give start and end, or neither.",
    )
    end: datetime.datetime | None = None
    language_confirmed: bool = Field(
        False,
        description="Keep the texts even when the language detected in them is not the "
        "meeting's (otherwise 400 with the error on `description`, or `title`).",
    )


class AgendaItemPatch(Schema):
    """The fields to change; those left out keep theirs. null clears the rapporteur or the slot."""

    title: str = Field(LEFT_OUT, min_length=1, max_length=200)
    description: str = Field(LEFT_OUT, max_length=20000)
    rapporteur: str | None = Field(LEFT_OUT, max_length=80)
    start: datetime.datetime | None = LEFT_OUT
    end: datetime.datetime | None = LEFT_OUT
    language_confirmed: bool = Field(
        False, description="As when adding: keep texts in another language than the meeting's."
    )


class ShiftIn(Schema):
    direction: Literal["up", "down"]


class MoveIn(Schema):
    meeting: int = Field(description="A later meeting of the same host.")


class CooperationDocumentIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    link: str = Field(max_length=500)


class MinutesItemOut(Schema):
    id: int
    title: str
    minutes: str = Field(description="Markdown.")
    minutes_html: str = Field(description="The same, rendered and sanitized.")

    @staticmethod
    def resolve_minutes_html(obj: AgendaItem) -> str:
        return str(render_markdown(obj.minutes))


class ApprovalOut(Schema):
    organization: OrganizationRef
    approved_at: datetime.datetime


class MinutesOut(Schema):
    status: Literal["draft", "submitted", "frozen"]
    approval_deadline: datetime.datetime | None
    submitted_at: datetime.datetime | None
    frozen_at: datetime.datetime | None
    agenda: list[MinutesItemOut]
    approvals: list[ApprovalOut]
    awaiting: list[OrganizationRef] = Field(
        description="The participants that attended and have not approved yet."
    )
    translation: CooperationTranslationOut | None = Field(
        None, description="When read: the language of the items' titles and minutes."
    )


class MinutesItemIn(Schema):
    text: str = Field(max_length=50000, description="Markdown; empty clears the item's minutes.")
    language_confirmed: bool = Field(
        False,
        description="Keep the texts even when the language detected in them is not the "
        "meeting's, on `text` (otherwise 400 with the code language_unconfirmed and the language `detected`).",
    )


class CooperationSubmitIn(Schema):
    deadline: datetime.datetime = Field(
        description="The approval deadline: a local time where the meeting is held, or a time "
        "with an offset."
    )


class ApproveIn(Schema):
    organization: str = Field("", max_length=80, description="Which of your organizations.")


class CorrectionOut(Schema):
    id: int
    item: int
    organization: OrganizationRef
    text: str = Field(description="The proposed minutes of the item, Markdown.")
    reason: str
    status: Literal["open", "accepted", "rejected"]
    answer: str = Field(description="The host's reason, for a rejection.")
    created_at: datetime.datetime
    answered_at: datetime.datetime | None

    @staticmethod
    def resolve_item(obj: MinutesCorrection) -> int:
        return obj.item_id


class CorrectionIn(Schema):
    organization: str = Field("", max_length=80, description="Which of your organizations.")
    item: int = Field(description="The agenda item whose minutes are corrected.")
    text: str = Field(min_length=1, max_length=50000, description="Markdown.")
    reason: str = Field(min_length=1, max_length=5000)


class CorrectionAnswerIn(Schema):
    answer: Literal["accept", "reject"]
    reason: str = Field("", max_length=5000, description="Required to reject.")


def _access(request: ApiRequest, pk: int) -> Access[Meeting]:
    return selectors.meeting_access(viewer=request.auth, pk=pk)


def _item(request: ApiRequest, pk: int, item: int) -> AgendaItem:
    return agenda.agenda_item_get(_access(request, pk), item)


def _rapporteur(slug: str | None) -> Organization | None:
    return _organization(slug or "", "rapporteur")


def _with_documents(item: AgendaItem) -> AgendaItem:
    found = (
        AgendaItem.objects.select_related("rapporteur", "meeting")
        .prefetch_related("documents")
        .get(pk=item.pk)
    )
    return found


# Agenda ------------------------------------------------------------------------------------------


@router.get(
    "/meetings/{pk}/agenda", response={200: list[AgendaItemOut], **ERRORS}, url_name="agenda_list"
)
@paginate(Pagination)
def agenda_list(request: ApiRequest, pk: int, lang: str = LANG) -> list[AgendaItem]:
    """The agenda of a meeting you may read, in its order, in the language asked for."""
    access = _access(request, pk)
    items = agenda.agenda_list(access)
    _translated(access, lang, items)
    return items


def _translated(
    access: Access[Meeting], lang: str, items: list[AgendaItem], status: str | None = None
) -> dict[str, Any]:
    """The items take their texts in the language asked for (languages.meeting_reading); returns
    the `translation` object, which each item carries too."""
    shown = languages.meeting_reading(
        access.obj,
        reader_language(lang),
        items=items,
        minutes_status=status or minutes.minutes_of(access.obj).status,
    )
    translation = translation_of(shown)
    for item in items:
        item.translation = translation  # type: ignore[attr-defined]
    return translation


@router.post(
    "/meetings/{pk}/agenda",
    response={201: AgendaItemOut, **WITH_403, **CONFLICT},
    url_name="agenda_item_create",
)
def agenda_item_create(
    request: ApiRequest,
    pk: int,
    payload: AgendaItemIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[AgendaItem]:
    """Add an item at the end of the agenda: for the host's admins and secretaries."""
    meeting = _access(request, pk).obj
    fields = payload.dict()
    fields["rapporteur"] = _rapporteur(fields["rapporteur"])
    item = agenda.agenda_item_add(
        actor=request.auth, meeting=meeting, **fields, submission_key=idempotency_key
    )
    return Status(201, _with_documents(item))


@router.get(
    "/meetings/{pk}/agenda/{item}",
    response={200: AgendaItemOut, **ERRORS},
    url_name="agenda_item_detail",
)
def agenda_item_detail(request: ApiRequest, pk: int, item: int, lang: str = LANG) -> AgendaItem:
    """An item of the agenda, in the language asked for."""
    access = _access(request, pk)
    found = _with_documents(agenda.agenda_item_get(access, item))
    items = agenda.agenda_list(access)
    _translated(access, lang, items)
    shown = next(i for i in items if i.pk == found.pk)
    found.title, found.description = shown.title, shown.description
    found.translation = shown.translation  # type: ignore[attr-defined]
    return found


@router.patch(
    "/meetings/{pk}/agenda/{item}",
    response={200: AgendaItemOut, **WITH_403},
    url_name="agenda_item_update",
)
def agenda_item_update(
    request: ApiRequest, pk: int, item: int, payload: AgendaItemPatch
) -> AgendaItem:
    """Change an item. A time slot is given whole: start and end, or both null to clear it."""
    found = _item(request, pk, item)
    fields = payload.dict(exclude_unset=True)
    if "rapporteur" in fields:
        fields["rapporteur"] = _rapporteur(fields["rapporteur"])
    agenda.agenda_item_edit(actor=request.auth, item=found, **fields)
    return _with_documents(found)


@router.delete(
    "/meetings/{pk}/agenda/{item}", response={204: None, **WITH_403}, url_name="agenda_item_delete"
)
def agenda_item_delete(request: ApiRequest, pk: int, item: int) -> Status[None]:
    """Remove an item, with its documents and minutes."""
    agenda.agenda_item_remove(actor=request.auth, item=_item(request, pk, item))
    return Status(204, None)


@router.post(
    "/meetings/{pk}/agenda/{item}/shift",
    response={200: list[AgendaItemOut], **WITH_403},
    url_name="agenda_item_shift",
)
def agenda_item_shift(request: ApiRequest, pk: int, item: int, payload: ShiftIn) -> Any:
    """Move an item one place up or down; answers the whole agenda, in its new order (at most
    100 items)."""
    access = _access(request, pk)
    found = agenda.agenda_item_get(access, item)
    agenda.agenda_item_shift(actor=request.auth, item=found, direction=payload.direction)
    return agenda.agenda_list(access)[:100]


@router.post(
    "/meetings/{pk}/agenda/{item}/move",
    response={200: AgendaItemOut, **WITH_403},
    url_name="agenda_item_move",
)
def agenda_item_move(request: ApiRequest, pk: int, item: int, payload: MoveIn) -> AgendaItem:
    """Move an item not reached (no minutes), with its documents, to the end of the agenda of a
    later meeting of the same host. Its time slot is cleared."""
    found = _item(request, pk, item)
    target = agenda.later_meetings(found.meeting).filter(pk=payload.meeting).first()
    if target is None:
        raise ValidationError(
            {"meeting": _("Choose a later meeting of the same host.")}, code="not_a_later_meeting"
        )
    return _with_documents(agenda.agenda_item_move(actor=request.auth, item=found, target=target))


DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": CooperationDocumentIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["title", "file"],
                    "properties": {
                        "title": {"type": "string", "maxLength": 200},
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": f"At most {DOCUMENT_MAX_BYTES // (1024 * 1024)} MB: "
                            "PDF, JPEG, PNG, GIF, WebP (not animated), plain UTF-8 text, ODT or "
                            "DOCX, checked by its content. Images are stored re-encoded, without "
                            "their metadata.",
                        },
                    },
                }
            },
        },
    }
}


def _document_form(request: ApiRequest) -> forms_agenda.DocumentForm:
    """A link as JSON, or a file as multipart form data, checked by the page's form."""
    if request.content_type == "multipart/form-data":
        return forms_agenda.DocumentForm(request.POST, request.FILES)
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationError(_("The request body is not valid JSON."), code="invalid") from None
    if not isinstance(data, dict):
        raise ValidationError(_("The request body must be a JSON object."), code="invalid")
    try:
        payload = CooperationDocumentIn.model_validate(data)
    except PydanticValidationError as error:
        raise SchemaValidationError(
            [{**e, "loc": ("body", "payload", *e["loc"])} for e in error.errors()]
        ) from None
    return forms_agenda.DocumentForm(payload.dict())


@router.post(
    "/meetings/{pk}/agenda/{item}/documents",
    response={201: CooperationDocumentOut, **WITH_403},
    url_name="agenda_document_create",
    openapi_extra=DOCUMENT_BODY,
)
def agenda_document_create(request: ApiRequest, pk: int, item: int) -> Status[AgendaDocument]:
    """Attach a document to an item: a link (JSON) or a file (multipart/form-data)."""
    found = _item(request, pk, item)
    agenda.require_change(request.auth, found.meeting)
    form = _document_form(request)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    document = agenda.agenda_document_add(actor=request.auth, item=found, **form.cleaned_data)
    return Status(201, document)


@router.delete(
    "/meetings/{pk}/agenda/{item}/documents/{document}",
    response={204: None, **WITH_403},
    url_name="agenda_document_delete",
)
def agenda_document_delete(request: ApiRequest, pk: int, item: int, document: int) -> Status[None]:
    found = agenda.agenda_document_get(_access(request, pk), document)
    if found.item_id != item:
        raise Http404
    agenda.agenda_document_remove(actor=request.auth, document=found)
    return Status(204, None)


# Minutes -----------------------------------------------------------------------------------------


def _minutes_out(access: Access[Meeting]) -> dict[str, Any]:
    record = minutes.minutes_get(access)
    approvals = minutes.approval_list(record)
    approved = {a.organization_id for a in approvals}
    awaiting = [pk for pk in minutes.attended(access.obj) if pk not in approved]
    return {
        "status": record.status,
        "approval_deadline": record.approval_deadline,
        "submitted_at": record.submitted_at,
        "frozen_at": record.frozen_at,
        "agenda": agenda.agenda_list(access),
        "approvals": approvals,
        "awaiting": list(Organization.objects.filter(pk__in=awaiting).order_by("name")),
    }


@router.get(
    "/meetings/{pk}/minutes", response={200: MinutesOut, **ERRORS}, url_name="minutes_detail"
)
def minutes_detail(request: ApiRequest, pk: int, lang: str = LANG) -> dict[str, Any]:
    """The minutes, item by item, and where their approval stands, in the language asked for
    (the minutes are translated once submitted). A draft is for the host's people only (404 for
    others)."""
    access = _access(request, pk)
    out = _minutes_out(access)
    out["translation"] = _translated(access, lang, out["agenda"], out["status"])
    return out


@router.patch(
    "/meetings/{pk}/minutes/items/{item}",
    response={200: MinutesItemOut, **WITH_403},
    url_name="minutes_item_update",
)
def minutes_item_update(
    request: ApiRequest, pk: int, item: int, payload: MinutesItemIn
) -> AgendaItem:
    """Record the minutes of one item: for the host's admins and secretaries. After submission,
    approvals given are removed."""
    return minutes.minutes_record(
        actor=request.auth,
        item=_item(request, pk, item),
        text=payload.text,
        language_confirmed=payload.language_confirmed,
    )


@router.post(
    "/meetings/{pk}/minutes/submit",
    response={200: MinutesOut, **WITH_403},
    url_name="minutes_submit",
)
def minutes_submit(request: ApiRequest, pk: int, payload: CooperationSubmitIn) -> dict[str, Any]:
    """Submit the minutes to the participants that attended, with an approval deadline."""
    access = _access(request, pk)
    minutes.minutes_submit(actor=request.auth, meeting=access.obj, deadline=payload.deadline)
    return _minutes_out(access)


@router.post(
    "/meetings/{pk}/minutes/approve",
    response={200: MinutesOut, **WITH_403},
    url_name="minutes_approve",
)
def minutes_approve(request: ApiRequest, pk: int, payload: ApproveIn) -> dict[str, Any]:
    """Approve the minutes for an organization you speak for that took part (its invitation
    accepted). Once: approving again answers 400. The last approval needed freezes them."""
    access = _access(request, pk)
    organization = _answering(request, access.obj, payload.organization)
    minutes.minutes_approve(actor=request.auth, meeting=access.obj, organization=organization)
    return _minutes_out(access)


@router.get(
    "/meetings/{pk}/minutes/corrections",
    response={200: list[CorrectionOut], **ERRORS},
    url_name="minutes_correction_list",
)
@paginate(Pagination)
def minutes_correction_list(request: ApiRequest, pk: int) -> list[MinutesCorrection]:
    """The corrections proposed, the latest first."""
    return minutes.correction_list(minutes.minutes_get(_access(request, pk)))


@router.post(
    "/meetings/{pk}/minutes/corrections",
    response={201: CorrectionOut, **WITH_403},
    url_name="minutes_correction_create",
)
def minutes_correction_create(
    request: ApiRequest, pk: int, payload: CorrectionIn
) -> Status[MinutesCorrection]:
    """Propose another text for one item's minutes, with the reason, for an organization you
    speak for that took part. Its approval, if given, is withdrawn."""
    access = _access(request, pk)
    organization = _answering(request, access.obj, payload.organization)
    item = AgendaItem.objects.filter(meeting=access.obj, pk=payload.item).first()
    if item is None:
        raise ValidationError({"item": _("Choose an item of this meeting.")}, code="invalid")
    correction = minutes.correction_propose(
        actor=request.auth,
        meeting=access.obj,
        organization=organization,
        item=item,
        text=payload.text,
        reason=payload.reason,
    )
    return Status(201, correction)


@router.post(
    "/meetings/{pk}/minutes/corrections/{correction}/answer",
    response={200: CorrectionOut, **WITH_403},
    url_name="minutes_correction_answer",
)
def minutes_correction_answer(
    request: ApiRequest, pk: int, correction: int, payload: CorrectionAnswerIn
) -> MinutesCorrection:
    """Accept a correction (its text becomes the item's minutes; approvals given are removed) or
    reject it with a reason: for the host's admins and secretaries."""
    access = _access(request, pk)
    found = minutes.correction_get(minutes.minutes_get(access), correction)
    return minutes.correction_answer(
        actor=request.auth,
        correction=found,
        accept=payload.answer == "accept",
        reason=payload.reason,
    )
