"""The REST API on advice between organizations: give, list an organization's advice (given and
received), read one, answer one.

As on the pages: for anyone who does not speak for the sender or the receiver (members,
observers, operators included) a piece of advice and an organization's advice answer 404, as if
missing; a piece of advice answered by the sender's people, 403; refused input, 400 with the
errors by field.
"""

import datetime
from typing import Literal

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from internationale.accounts.api import ApiRequest
from internationale.core.api import (
    CONFLICT,
    ERRORS,
    ErrorOut,
    Pagination,
    choice_of,
    idempotency_header,
)
from internationale.core.links import absolute_url
from internationale.core.services import require
from internationale.organizations.models import Organization

from . import advice as services
from . import selectors_advice as selectors
from .advice import MAX_REASON, MAX_SUBJECT, MAX_TEXT
from .models import Advice

router = Router(tags=["advice"])
WITH_403 = {403: ErrorOut, **ERRORS}


class AdviceParty(Schema):
    slug: str
    name: str


class AdviceOut(Schema):
    id: int
    sender: AdviceParty = Field(description="The organization that gave the advice.")
    receiver: AdviceParty = Field(description="The organization it was given to.")
    subject: str
    text: str = Field(description="Markdown.")
    answer: choice_of(Advice.Answer)  # type: ignore[valid-type]
    answer_reason: str
    answered_at: datetime.datetime | None
    created_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_url(obj: Advice) -> str:
        return absolute_url(f"/statements/advice/{obj.pk}/")


class AdviceIn(Schema):
    receiver: str = Field(description="The address (slug) of the organization advised.")
    subject: str = Field(max_length=MAX_SUBJECT)
    text: str = Field(max_length=MAX_TEXT, description="Markdown.")


class AdviceAnswerIn(Schema):
    answer: choice_of(Advice.Answer)  # type: ignore[valid-type]
    reason: str = Field("", max_length=MAX_REASON)


class HistoryFilter(Schema):
    direction: Literal["given", "received"] | None = Field(
        None, description="Only the advice given, or only that received."
    )
    answer: choice_of(Advice.Answer) | None = Field(None, description="Only with this answer.")  # type: ignore[valid-type]


def _organization(request: ApiRequest, slug: str) -> Organization:
    return selectors.advice_organization(viewer=request.auth, slug=slug)


@router.get(
    "/organizations/{slug}/advice",
    response={200: list[AdviceOut], **ERRORS},
    url_name="advice_list",
)
@paginate(Pagination)
def advice_list(request: ApiRequest, slug: str, filters: Query[HistoryFilter]) -> QuerySet[Advice]:
    """The advice an organization gave and received, the latest first: for its admins and
    secretaries."""
    return selectors.advice_history(
        viewer=request.auth,
        organization=_organization(request, slug),
        direction=filters.direction or "",
        answer=filters.answer or "",
    )


@router.post(
    "/organizations/{slug}/advice",
    response={201: AdviceOut, **WITH_403, **CONFLICT},
    url_name="advice_give",
)
def advice_give(
    request: ApiRequest,
    slug: str,
    payload: AdviceIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Advice]:
    """Give advice in the organization's name to another verified organization: for its admins
    and secretaries, the organization verified."""
    sender = _organization(request, slug)
    advice = services.advice_give(
        actor=request.auth,
        sender=sender,
        receiver=Organization.objects.filter(slug=payload.receiver).first(),
        subject=payload.subject,
        text=payload.text,
        submission_key=idempotency_key,
    )
    return Status(201, advice)


@router.get("/advice/{pk}", response={200: AdviceOut, **ERRORS}, url_name="advice_detail")
def advice_detail(request: ApiRequest, pk: int) -> Advice:
    """A piece of advice, with its answer: for those who speak for either organization."""
    return selectors.advice_get(viewer=request.auth, pk=pk)


@router.post("/advice/{pk}/answer", response={200: AdviceOut, **WITH_403}, url_name="advice_answer")
def advice_answer(request: ApiRequest, pk: int, payload: AdviceAnswerIn) -> Advice:
    """Record, or change, what the receiving organization makes of the advice: for its admins
    and secretaries."""
    advice = selectors.advice_get(viewer=request.auth, pk=pk)
    require(request.auth, "statements.answer_advice", advice)
    return services.advice_answer(
        actor=request.auth, advice=advice, answer=payload.answer, reason=payload.reason
    )
