"""The REST API on an organization's inbox: for its members, each with their own read marks."""

import datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from internationale.accounts.api import ApiRequest
from internationale.core.api import ERRORS, Pagination, choice_of
from internationale.core.links import absolute_url
from internationale.core.models import Urgency
from internationale.organizations.api import organization_for
from internationale.organizations.models import Organization

from . import selectors, services
from .models import InboxEntry

router = Router(tags=["inbox"])


class InboxEntryOut(Schema):
    id: int
    kind: str
    title: str = Field(description="In the language of the request (Accept-Language or yours).")
    summary: str
    confidential: bool = Field(
        description="E-mails and webhooks of this entry carry only its kind and a link."
    )
    url: str = Field(description="Where to read it on the platform, or empty.")
    urgency: choice_of(Urgency) = Field(  # type: ignore[valid-type]
        description="0 routine, 1 urgent, 2 emergency."
    )
    deadline: datetime.datetime | None
    created_at: datetime.datetime
    is_read: bool = Field(description="Whether you have read it; each person has their own.")

    @staticmethod
    def resolve_title(obj: InboxEntry) -> str:
        return obj.display_title

    @staticmethod
    def resolve_url(obj: InboxEntry) -> str:
        return absolute_url(obj.url) if obj.url else ""


def _inbox(request: ApiRequest, slug: str) -> Organization:
    return organization_for(request, slug, "organizations.view_inbox")


def _entry(request: ApiRequest, slug: str, pk: int) -> InboxEntry:
    entries = selectors.inbox_list(viewer=request.auth, organization=_inbox(request, slug))
    return get_object_or_404(entries, pk=pk)


@router.get(
    "/organizations/{slug}/inbox", response={200: list[InboxEntryOut], **ERRORS}, url_name="inbox"
)
@paginate(Pagination)
def inbox(request: ApiRequest, slug: str, unread: bool = False) -> QuerySet[InboxEntry]:
    """What was addressed to the organization, for its members: most urgent first, then the
    nearest deadline, then the newest; entries whose deadline has passed come after the others."""
    return selectors.inbox_list(
        viewer=request.auth, organization=_inbox(request, slug), unread_only=unread
    )


@router.post(
    "/organizations/{slug}/inbox/{pk}/read",
    response={200: InboxEntryOut, **ERRORS},
    url_name="inbox_read",
)
def inbox_read(request: ApiRequest, slug: str, pk: int) -> InboxEntry:
    """Mark an entry read, for you only."""
    entry = _entry(request, slug, pk)
    services.inbox_mark_read(actor=request.auth, entries=[entry])
    entry.is_read = True  # type: ignore[attr-defined]
    return entry


@router.delete(
    "/organizations/{slug}/inbox/{pk}/read",
    response={200: InboxEntryOut, **ERRORS},
    url_name="inbox_unread",
)
def inbox_unread(request: ApiRequest, slug: str, pk: int) -> InboxEntry:
    """Mark an entry unread again, for you only."""
    entry = _entry(request, slug, pk)
    services.inbox_mark_unread(actor=request.auth, entry=entry)
    entry.is_read = False  # type: ignore[attr-defined]
    return entry
