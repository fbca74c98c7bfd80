"""The REST API of the emergency erase (statuses and the error format: internationale/core/api.py):
its state, asking for one, confirming it (the second person, within the hour), withdrawing it.

As on the pages: for anyone but the organization's admins and the server's operators (members,
observers, other organizations), 404, as if missing; refused input (a second request while one
waits, a confirmation by the person who asked, a lapsed request), 400 with the reason, and
nothing changed.
"""

import datetime
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from internationale.accounts.api import ApiRequest
from internationale.core.api import ERRORS, choice_of

from . import erase as services
from . import selectors_erase as selectors
from .models import EraseRequest

router = Router(tags=["ownership"])


class EraseRequestOut(Schema):
    id: int
    status: choice_of(EraseRequest.Status)  # type: ignore[valid-type]
    keep_profile: bool = Field(description="Whether the public profile stays.")
    requested_by: str = Field(description="The name (or address) of the person who asked.")
    requested_at: datetime.datetime
    expires_at: datetime.datetime = Field(description="When it lapses unless confirmed.")
    confirmed_by: str | None
    finished_at: datetime.datetime | None

    @staticmethod
    def resolve_status(obj: EraseRequest) -> str:
        return EraseRequest.Status.LAPSED if obj.lapsed() else obj.status

    @staticmethod
    def resolve_requested_by(obj: EraseRequest) -> str:
        return obj.requester_name

    @staticmethod
    def resolve_confirmed_by(obj: EraseRequest) -> str | None:
        return obj.confirmer_name or None


class EraseStateOut(Schema):
    pending: EraseRequestOut | None = Field(
        description="The request waiting for its second confirmation, if any."
    )
    history: list[EraseRequestOut] = Field(description="The latest ten requests, newest first.")


class EraseRequestIn(Schema):
    keep_profile: bool = Field(
        description="true: the public profile stays; false: it is erased too."
    )


class EraseDoneOut(Schema):
    request: EraseRequestOut
    erased: dict[str, int] = Field(description="How many rows of each kind were erased.")


@router.get(
    "/organizations/{slug}/erase", response={200: EraseStateOut, **ERRORS}, url_name="erase_state"
)
def erase_state(request: ApiRequest, slug: str) -> dict[str, Any]:
    """The organization's erase requests: the one waiting, and the latest ones."""
    organization = selectors.erase_organization(viewer=request.auth, slug=slug)
    return {
        "pending": services.erase_pending(organization),
        "history": selectors.erase_history(organization=organization),
    }


@router.post(
    "/organizations/{slug}/erase",
    response={201: EraseRequestOut, **ERRORS},
    url_name="erase_request",
)
def erase_request(request: ApiRequest, slug: str, payload: EraseRequestIn) -> Status[EraseRequest]:
    """Ask for an emergency erase of the organization's confidential content (irreversible once
    confirmed): a second person, another admin or an operator, confirms it within an hour."""
    organization = selectors.erase_organization(viewer=request.auth, slug=slug)
    asked = services.erase_request(
        actor=request.auth, organization=organization, keep_profile=payload.keep_profile
    )
    return Status(201, asked)


@router.post(
    "/organizations/{slug}/erase/{pk}/confirm",
    response={200: EraseDoneOut, **ERRORS},
    url_name="erase_confirm",
)
def erase_confirm(request: ApiRequest, slug: str, pk: int) -> dict[str, Any]:
    """Confirm a request someone else made: the confidential content is erased now, for good."""
    organization = selectors.erase_organization(viewer=request.auth, slug=slug)
    get_object_or_404(EraseRequest, pk=pk, organization=organization)
    erased = services.erase_confirm(actor=request.auth, organization=organization, request_id=pk)
    done = EraseRequest.objects.select_related("requested_by", "confirmed_by").get(pk=pk)
    return {"request": done, "erased": erased}


@router.post(
    "/organizations/{slug}/erase/{pk}/cancel",
    response={200: EraseRequestOut, **ERRORS},
    url_name="erase_cancel",
)
def erase_cancel(request: ApiRequest, slug: str, pk: int) -> EraseRequest:
    """Withdraw a request before it is confirmed: nothing is erased."""
    organization = selectors.erase_organization(viewer=request.auth, slug=slug)
    get_object_or_404(EraseRequest, pk=pk, organization=organization)
    services.erase_cancel(actor=request.auth, organization=organization, request_id=pk)
    return EraseRequest.objects.select_related("requested_by", "confirmed_by").get(pk=pk)
