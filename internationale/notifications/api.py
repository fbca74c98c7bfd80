"""The REST API on an organization's inbox: for its members, each with their own read marks; on a
person's own inbox: for that person; and on its webhooks: for its admins."""

import datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from internationale.accounts.api import ApiRequest
from internationale.core.api import CONFLICT, ERRORS, Pagination, choice_of, idempotency_header
from internationale.core.links import absolute_url
from internationale.core.models import Urgency
from internationale.organizations.api import organization_for
from internationale.organizations.models import Organization

from . import selectors, services
from .models import InboxEntry, PersonalEntry, Webhook

router = Router(tags=["inbox"])
webhooks = Router(tags=["webhooks"])


class _EntryOut(Schema):
    """What an organization's inbox and a person's own show of an entry."""

    id: int
    kind: str
    sender: str | None = Field(
        description="The slug of the organization it is from; null when the platform speaks."
    )
    title: str = Field(description="In the language of the request (Accept-Language or yours).")
    summary: str
    url: str = Field(description="Where to read it on the platform, or empty.")
    urgency: choice_of(Urgency) = Field(  # type: ignore[valid-type]
        description="0 routine, 1 urgent, 2 emergency."
    )
    deadline: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_sender(obj: InboxEntry | PersonalEntry) -> str | None:
        return obj.sender.slug if obj.sender else None

    @staticmethod
    def resolve_title(obj: InboxEntry | PersonalEntry) -> str:
        return obj.display_title

    @staticmethod
    def resolve_url(obj: InboxEntry | PersonalEntry) -> str:
        return absolute_url(obj.url) if obj.url else ""


class InboxEntryOut(_EntryOut):
    confidential: bool = Field(
        description="E-mails and webhooks of this entry carry only its kind and a link."
    )
    is_read: bool = Field(description="Whether you have read it; each person has their own.")


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


# A person's own inbox -----------------------------------------------------------------------------


class NotificationsPersonalEntryOut(_EntryOut):
    confidential: bool = Field(description="E-mails of this entry carry only its kind and a link.")
    is_read: bool


def _personal(request: ApiRequest, pk: int) -> PersonalEntry:
    return get_object_or_404(selectors.personal_inbox_list(viewer=request.auth), pk=pk)


@router.get(
    "/me/inbox",
    response={200: list[NotificationsPersonalEntryOut], **ERRORS},
    url_name="personal_inbox",
)
@paginate(Pagination)
def personal_inbox(request: ApiRequest, unread: bool = False) -> QuerySet[PersonalEntry]:
    """The notices addressed to you in person (translations asked of the volunteers of your
    language pairs, news of the translations you asked for), in the order of an organization's
    inbox. `unread=true`: the unread ones only (their count is the page's `count`)."""
    return selectors.personal_inbox_list(viewer=request.auth, unread_only=unread)


@router.post(
    "/me/inbox/{pk}/read",
    response={200: NotificationsPersonalEntryOut, **ERRORS},
    url_name="personal_inbox_read",
)
def personal_inbox_read(request: ApiRequest, pk: int) -> PersonalEntry:
    """Mark an entry of your inbox read."""
    entry = _personal(request, pk)
    services.personal_mark_read(actor=request.auth, entries=[entry])
    entry.refresh_from_db(fields=["read_at"])
    return entry


@router.delete(
    "/me/inbox/{pk}/read",
    response={200: NotificationsPersonalEntryOut, **ERRORS},
    url_name="personal_inbox_unread",
)
def personal_inbox_unread(request: ApiRequest, pk: int) -> PersonalEntry:
    """Mark an entry of your inbox unread again."""
    entry = _personal(request, pk)
    services.personal_mark_unread(actor=request.auth, entry=entry)
    entry.read_at = None
    return entry


# Webhooks ---------------------------------------------------------------------------------------


class WebhookOut(Schema):
    id: int
    url: str
    active: bool
    created_at: datetime.datetime
    failed: int = Field(description="Deliveries given up after their last attempt.")
    rotating: bool = Field(
        description="Whether the secret is being changed: the old one signs too, beside it."
    )
    previous_secret_until: datetime.datetime | None = Field(
        description="While the secret is being changed: until when the old one signs."
    )

    @staticmethod
    def resolve_previous_secret_until(obj: Webhook) -> datetime.datetime | None:
        return obj.previous_secret_until if obj.rotating else None


class WebhookSecretOut(WebhookOut):
    secret: str = Field(
        description="whsec_ and the key in base64 (Standard Webhooks). Answered once: copy it."
    )


class WebhookIn(Schema):
    url: str = Field(max_length=500, description="An http or https address on the internet.")


def _webhooks(request: ApiRequest, slug: str) -> QuerySet[Webhook]:
    organization = organization_for(request, slug, "organizations.manage_webhooks")
    return selectors.webhook_list(viewer=request.auth, organization=organization)


@webhooks.get(
    "/organizations/{slug}/webhooks",
    response={200: list[WebhookOut], **ERRORS},
    url_name="webhook_list",
)
@paginate(Pagination)
def webhook_list(request: ApiRequest, slug: str) -> QuerySet[Webhook]:
    """The organization's webhooks, without their secrets: for its admins."""
    return _webhooks(request, slug)


@webhooks.post(
    "/organizations/{slug}/webhooks",
    response={201: WebhookSecretOut, **ERRORS, **CONFLICT},
    url_name="webhook_create",
)
def webhook_create(
    request: ApiRequest,
    slug: str,
    payload: WebhookIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[Webhook]:
    """Add a webhook. The answer holds its secret, which no other answer gives: copy it."""
    organization = organization_for(request, slug, "organizations.manage_webhooks")
    webhook = services.webhook_create(
        actor=request.auth,
        organization=organization,
        url=payload.url,
        submission_key=idempotency_key,
    )
    return Status(201, _webhooks(request, slug).get(pk=webhook.pk))


@webhooks.delete(
    "/organizations/{slug}/webhooks/{pk}",
    response={204: None, **ERRORS},
    url_name="webhook_delete",
)
def webhook_delete(request: ApiRequest, slug: str, pk: int) -> Status[None]:
    """Delete a webhook and its delivery log."""
    services.webhook_delete(
        actor=request.auth, webhook=get_object_or_404(_webhooks(request, slug), pk=pk)
    )
    return Status(204, None)


@webhooks.post(
    "/organizations/{slug}/webhooks/{pk}/secret",
    response={200: WebhookSecretOut, **ERRORS},
    url_name="webhook_rotate_secret",
)
def webhook_rotate_secret(request: ApiRequest, slug: str, pk: int) -> Webhook:
    """Give the webhook a new secret, answered once. The old one signs too, beside it, until it
    is retired or its time runs out (72 hours by default). Refused while the old secret of an
    earlier change still signs."""
    hooks = _webhooks(request, slug)
    services.webhook_rotate_secret(actor=request.auth, webhook=get_object_or_404(hooks, pk=pk))
    return hooks.get(pk=pk)


@webhooks.delete(
    "/organizations/{slug}/webhooks/{pk}/previous-secret",
    response={200: WebhookOut, **ERRORS},
    url_name="webhook_retire_previous_secret",
)
def webhook_retire_previous_secret(request: ApiRequest, slug: str, pk: int) -> Webhook:
    """Stop signing with the old secret now, once the receiving system has the new one."""
    hooks = _webhooks(request, slug)
    services.webhook_retire_previous_secret(
        actor=request.auth, webhook=get_object_or_404(hooks, pk=pk)
    )
    return hooks.get(pk=pk)
