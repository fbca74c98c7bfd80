"""ActivityPub and discovery endpoints: actors, their collections and keys, inboxes, WebFinger,
NodeInfo, the platform's JSON-LD context. Organizations are actors when the directory lists them
to anyone (verified ones); any other answers 404, as if it did not exist."""

import datetime
import functools
import json
import logging
import re
import uuid
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from internationale.core.links import absolute_url
from internationale.organizations.models import Organization

from . import documents, hosts, publishing
from .inbox import Refused, count_client, receive
from .keys import current_key
from .keys import instance_key as current_instance_key
from .models import ActorKey, ErasedActor, ErasedActorKey, Follower, InstanceKey, OutgoingActivity
from .signatures import SignatureError, key_id_of

logger = logging.getLogger("internationale.federation")

AP_CONTENT_TYPE = f"{documents.ACTIVITY_JSON}; charset=utf-8"
JRD_CONTENT_TYPE = "application/jrd+json; charset=utf-8"


def _json(document: Any, *, content_type: str = AP_CONTENT_TYPE, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False), content_type=content_type, status=status
    )
    response["Vary"] = "Accept"
    return response


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "detail": message}, status=status)


def _actor(slug: str) -> Organization:
    """The organization as the public sees it in the directory, one of this server's own;
    Http404 otherwise; Gone for an address an erase left (models.ErasedActor)."""
    if ErasedActor.objects.filter(slug=slug).exists():
        raise Gone
    return documents.local_actor(slug)


class Gone(Exception):
    """An address whose organization's profile was erased: 410 Gone (but its key, `key`)."""


def _gone(slug: str) -> HttpResponse:
    url = absolute_url(reverse("federation_actor", args=[slug]))
    return _json(
        {"@context": documents.AS_CONTEXT, "id": url, "type": "Tombstone", "formerType": "Group"},
        status=410,
    )


def gone_answers_410(view: Any) -> Any:
    """The view answers 410 Gone, with a `Tombstone`, at an address an erase left."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, slug, *args, **kwargs)
        except Gone:
            return _gone(slug)

    return wrapped


def wants_activity_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "").lower()
    return documents.ACTIVITY_JSON in accept or (
        "application/ld+json" in accept and documents.AS_CONTEXT in accept
    )


@require_safe
@gone_answers_410
def actor(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization as an ActivityPub Group for ActivityPub clients; its profile page for
    anyone else (content negotiation)."""
    organization = _actor(slug)
    if not wants_activity_json(request):
        return redirect("organization_detail", slug=organization.slug)
    return _json(documents.actor_document(organization, key=current_key(organization)))


OUTBOX_PAGE = 20


@require_safe
def instance_actor(request: HttpRequest) -> HttpResponse:
    """The server itself as an actor, whose key signs its fetches (remote.py). Served unsigned:
    a server checking a fetch's signature reads it here."""
    return _json(documents.instance_actor_document(current_instance_key()))


def _retired_too_long(public_key_pem: str, retired_at: datetime.datetime | None) -> bool:
    """Whether a retired key is no longer served: withdrawn as compromised (no public key left),
    or retired longer than the signature window ago."""
    if retired_at is None:
        return False
    window = datetime.timedelta(seconds=settings.INTERNATIONALE_FEDERATION_SIGNATURE_WINDOW_SECONDS)
    return not public_key_pem or retired_at + window < timezone.now()


@require_safe
def instance_key(request: HttpRequest, number: int) -> HttpResponse:
    """A key of the server's own actor: the current one; a retired one for the signature window
    after its rotation, then 410 Gone (at once when rotated as compromised)."""
    found = InstanceKey.objects.filter(number=number).first()
    if found is None:
        raise Http404
    if _retired_too_long(found.public_key_pem, found.retired_at):
        return _error(410, "key_retired", _("This key is retired: it signs nothing any more."))
    return _json({"@context": documents.SECURITY_CONTEXT, **documents.instance_key_document(found)})


@require_safe
@gone_answers_410
def outbox(request: HttpRequest, slug: str) -> HttpResponse:
    """What the organization published, newest first: the collection with its number of items
    and its first and last pages; `?page=n`, OUTBOX_PAGE activities each."""
    organization = _actor(slug)
    published = publishing.outbox_activities(organization)
    url = documents.outbox_url(organization)
    total = published.count()
    pages = max(1, -(-total // OUTBOX_PAGE))
    page = request.GET.get("page")
    if page is None:
        collection = documents.ordered_collection(url, total=total)
        collection.update(first=f"{url}?page=1", last=f"{url}?page={pages}")
        return _json(collection)
    if not page.isdigit() or not 1 <= int(page) <= pages:
        return _error(400, "bad_page", _("Give a page number from 1 to %(n)s.") % {"n": pages})
    number = int(page)
    start = (number - 1) * OUTBOX_PAGE
    items = [
        {k: v for k, v in activity.payload.items() if k != "@context"}
        for activity in published[start : start + OUTBOX_PAGE]
    ]
    document: dict[str, Any] = {
        "@context": documents.AS_CONTEXT,
        "id": f"{url}?page={number}",
        "type": "OrderedCollectionPage",
        "partOf": url,
        "totalItems": total,
        "orderedItems": items,
    }
    if number > 1:
        document["prev"] = f"{url}?page={number - 1}"
    if number < pages:
        document["next"] = f"{url}?page={number + 1}"
    return _json(document)


@require_safe
@gone_answers_410
def followers(request: HttpRequest, slug: str) -> HttpResponse:
    """How many follow the organization; who they are is not shown."""
    organization = _actor(slug)
    total = Follower.objects.filter(organization=organization).count()
    return _json(documents.ordered_collection(documents.followers_url(organization), total=total))


@require_safe
def key(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A key of the organization: the current one; a retired one for the signature window after
    its rotation (so that activities signed just before still verify), then 410 Gone; one
    withdrawn as compromised, 410 at once."""
    # At an address an erase left, its key stays until the `Delete`s signed with it are
    # delivered (erasing.py), so that remote servers can verify them.
    erased = ErasedActor.objects.filter(slug=slug)
    if erased.exists():
        serving = ErasedActorKey.objects.filter(erased__slug=slug)
        organization_id = serving.values_list("erased__organization_id", flat=True).first()
        if organization_id is None:
            raise Http404  # all it signed was delivered: the key is no longer served there
    else:
        organization_id = _actor(slug).pk
    found = (
        ActorKey.objects.select_related("organization")
        .filter(organization_id=organization_id, number=number)
        .first()
    )
    if found is None:
        raise Http404
    if _retired_too_long(found.public_key_pem, found.retired_at):
        return _error(410, "key_retired", _("This key is retired: it signs nothing any more."))
    at = slug if found.organization.slug != slug else None
    return _json({"@context": documents.SECURITY_CONTEXT, **documents.key_document(found, slug=at)})


@require_safe
def activity(request: HttpRequest, activity_id: uuid.UUID) -> HttpResponse:
    """An activity of this server's, when it is public (an Update of an actor, a step of a public
    appeal's life); 404 otherwise."""
    found = OutgoingActivity.objects.filter(activity_id=documents.activity_url(activity_id)).first()
    if found is None or documents.PUBLIC not in found.payload.get("to", []):
        raise Http404
    try:
        _actor(found.organization.slug)  # an organization no longer listed: 404
    except Gone:
        raise Http404 from None
    return _json(found.payload)


def _log_refusal(request: HttpRequest, refused: Refused) -> None:
    """Each refusal in the platform's log, for the operators: its code, the host the request
    claims (its signing key's) and the key's id, as given (not proven)."""
    try:
        key_id, _scheme = key_id_of(dict(request.headers.items()))
    except SignatureError:
        key_id = ""
    logger.warning(
        "federation inbox refused %s: %s from %s, key %r",
        refused.status,
        refused.code,
        hosts.origin(key_id) or "unknown host",
        key_id[:300],
    )


def _inbox(request: HttpRequest, organization: Organization | None) -> HttpResponse:
    try:
        count_client(request)
        received = receive(
            method=request.method or "POST",
            url=absolute_url(request.get_full_path()),
            headers=dict(request.headers.items()),
            body=request.body,
            organization=organization,
        )
    except Refused as refused:
        _log_refusal(request, refused)
        response = _error(refused.status, refused.code, refused.message)
        if refused.retry_after is not None:
            response["Retry-After"] = str(refused.retry_after)
        return response
    return JsonResponse({"id": received.activity_id, "status": "accepted"}, status=202)


@csrf_exempt
@require_POST
@gone_answers_410
def inbox(request: HttpRequest, slug: str) -> HttpResponse:
    return _inbox(request, _actor(slug))


@csrf_exempt
@require_POST
def shared_inbox(request: HttpRequest) -> HttpResponse:
    return _inbox(request, None)


@require_safe
def context(request: HttpRequest) -> HttpResponse:
    return _json(documents.our_context(), content_type="application/ld+json; charset=utf-8")


_ACCT = re.compile(r"^acct:([a-z0-9_-]+)@([^@\s/]+)$", re.IGNORECASE)


@require_safe
def webfinger(request: HttpRequest) -> HttpResponse:
    """RFC 7033: `acct:slug@host` (or the actor's URL) to the actor. 400 without a resource or
    with one of another form; 404 for one not of this server, or no listed organization."""
    resource = request.GET.get("resource", "")
    match = _ACCT.match(resource)
    if match:
        slug, host = match.groups()
        if host.lower() != documents.host().lower():
            raise Http404
        # Addresses are written as people type them (`@Dockers@host`); slugs are lower case.
        slug = slug.lower()
    elif resource.startswith(absolute_url("/federation/actors/")):
        slug = resource.removeprefix(absolute_url("/federation/actors/")).rstrip("/")
    else:
        return _error(400, "bad_resource", _("Give resource=acct:name@host or an actor's address."))
    try:
        organization = _actor(slug)
    except Gone:
        return _gone(slug)
    subject = f"acct:{organization.slug}@{documents.host()}"
    return _json(
        {
            "subject": subject,
            "aliases": [documents.actor_url(organization)],
            "links": [
                {
                    "rel": "self",
                    "type": documents.ACTIVITY_JSON,
                    "href": documents.actor_url(organization),
                },
                {
                    "rel": "http://webfinger.net/rel/profile-page",
                    "type": "text/html",
                    "href": absolute_url(reverse("organization_detail", args=[organization.slug])),
                },
            ],
        },
        content_type=JRD_CONTENT_TYPE,
    )


NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.1"


@require_safe
def nodeinfo_links(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        {"links": [{"rel": NODEINFO_SCHEMA, "href": absolute_url(reverse("federation_nodeinfo"))}]}
    )


@require_safe
def nodeinfo(request: HttpRequest) -> HttpResponse:
    """NodeInfo 2.1. Counts of people are not given (who uses the server is nobody's business);
    the number of organizations the directory lists is."""
    return JsonResponse(
        {
            "version": "2.1",
            "software": {"name": "internationale", "version": _version()},
            "protocols": ["activitypub"],
            "services": {"inbound": [], "outbound": []},
            "openRegistrations": bool(settings.ACCOUNT_SIGNUP_OPEN),
            "usage": {"users": {}},
            "metadata": {
                "organizations": Organization.objects.filter(
                    verified_at__isnull=False, remote_actor_url=""
                ).count()
            },
        },
        content_type=f'application/json; profile="{NODEINFO_SCHEMA}#"',
    )


def _version() -> str:
    try:
        return version("internationale")
    except PackageNotFoundError:
        return "0"
