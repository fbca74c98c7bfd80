"""Remote organizations, and their moderation queue. A remote `Group` actor that follows one of
this server's organizations, or that an operator or an organization's admin asks for by its
handle (`slug@host`, looked up with WebFinger), waits as a `RemoteOrganization`: it is not in the
directory. An operator, or the admin of the organization it relates to, accepts or refuses it
(audited). Accepted, it gets an `Organization` row made from its actor document (country,
languages, sectors, employers), linked one-to-one, so that routing treats it like a local one; it
has no members and is no actor here. An unknown actor never makes an `Organization` row."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries

from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.services import require
from internationale.notifications.webhooks import ResponseTooLarge, pinned_request
from internationale.organizations.models import (
    Employer,
    ErasedSlug,
    Organization,
    OrganizationLanguage,
    OrganizationSector,
    Presence,
    organization_filter_text_refresh,
)
from internationale.organizations.reference import sector_choices

from . import blocks
from .models import RemoteOrganization
from .remote import RemoteError, check_url, fetch_json, parse_json, same_host

REQUEST_FOR_SERVER = "federation.request_remote_for_server"
REQUEST_FOR_ORGANIZATION = "federation.request_remote_for_organization"
DECIDE = "federation.decide_remote"


def _error(message: str, code: str, field: str = "handle") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _scheme(host: str) -> str:
    """https, but http for a loopback or private address while FEDERATION_ALLOW_PRIVATE is set
    (a closed network, or the tests)."""
    if not settings.INTERNATIONALE_FEDERATION_ALLOW_PRIVATE:
        return "https"
    name = urlsplit(f"//{host}").hostname or ""
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return "http" if name == "localhost" else "https"
    return "http" if address.is_loopback or address.is_private else "https"


def webfinger(handle: str) -> str:
    """The actor URL of `slug@host` (also `@slug@host`, `acct:slug@host`), through the host's
    WebFinger, fetched over the checked transport; or of an actor URL given as it is."""
    handle = (handle or "").strip().removeprefix("acct:").lstrip("@")
    if handle.startswith(("https://", "http://")):
        return handle
    user, _sep, host = handle.partition("@")
    if not user or not host or "/" in host or "@" in host or len(handle) > 255:
        raise _error(_("Give the organization's handle, such as union@example.org."), "bad_handle")
    url = f"{_scheme(host)}://{host}/.well-known/webfinger?" + urlencode(
        {"resource": f"acct:{handle}"}
    )
    try:
        check_url(url)
        response = pinned_request(
            "GET",
            url,
            headers={"Accept": "application/jrd+json", "User-Agent": "Internationale/1"},
            timeout=settings.INTERNATIONALE_FEDERATION_TIMEOUT,
            allow_private=settings.INTERNATIONALE_FEDERATION_ALLOW_PRIVATE,
            max_bytes=settings.INTERNATIONALE_FEDERATION_MAX_BODY_BYTES,
        )
    except (RemoteError, ValidationError):
        raise _error(_("This server's address is refused."), "private_address") from None
    except (requests.RequestException, ResponseTooLarge):
        raise _error(_("The organization's server cannot be reached."), "unreachable") from None
    try:
        document = parse_json(response.content) if response.status_code == 200 else None
    except RemoteError as error:
        raise _error(error.message, error.code) from None
    links = document.get("links") if isinstance(document, dict) else None
    for link in links if isinstance(links, list) else []:
        if (
            isinstance(link, dict)
            and link.get("rel") == "self"
            and isinstance(link.get("href"), str)
            and "activity+json" in str(link.get("type", ""))
        ):
            return link["href"]
    raise _error(_("No organization has this handle on its server."), "unknown_handle")


def _texts(value: Any, limit: int = 20) -> list[str]:
    return [v for v in value if isinstance(v, str)][:limit] if isinstance(value, list) else []


def actor_fields(document: dict[str, Any], url: str) -> dict[str, Any]:
    """What a remote organization's entry keeps of its actor document: a `Group` with an inbox
    of its own host and a country; ValidationError otherwise."""
    if document.get("type") != "Group":
        raise _error(_("This actor is not an organization (an ActivityPub Group)."), "not_group")
    inbox = document.get("inbox")
    if not isinstance(inbox, str) or not same_host(inbox, url) or len(inbox) > 500:
        raise _error(_("The organization's actor has no inbox of its own host."), "bad_actor")
    endpoints = document.get("endpoints")
    shared = endpoints.get("sharedInbox") if isinstance(endpoints, dict) else None
    country = str(document.get("country") or "").upper()
    if country not in dict(countries):
        raise _error(_("The organization's actor gives no country."), "no_country")
    known_sectors = {code for code, _label in sector_choices()}
    employers = [
        {"name": str(e.get("name"))[:200], "slug": str(e.get("slug") or "")[:80]}
        for e in (document.get("employers") or [])[:50]
        if isinstance(e, dict) and isinstance(e.get("name"), str)
    ]
    username = document.get("preferredUsername")
    name = document.get("name")
    return {
        "inbox": inbox,
        "shared_inbox": shared if isinstance(shared, str) and same_host(shared, url) else "",
        "host": urlsplit(url).netloc.lower(),
        "username": (username if isinstance(username, str) else "")[:80] or "group",
        "name": (name if isinstance(name, str) and name.strip() else str(username or url))[:200],
        "summary": str(document.get("summary") or "")[:5000],
        "properties": {
            "country": country,
            "languages": [t[:35] for t in _texts(document.get("languages"))],
            "sectors": [s for s in _texts(document.get("sectors")) if s in known_sectors],
            "employers": employers,
            "verified": document.get("verified") is True,
        },
    }


def _fetch_actor(url: str) -> dict[str, Any]:
    try:
        check_url(url)
        return fetch_json(url)
    except RemoteError as error:
        raise _error(error.message, error.code) from None


def record(
    url: str,
    document: dict[str, Any],
    *,
    relates_to: Organization | None,
    requested_by: Any = None,
) -> RemoteOrganization:
    """The entry for the remote actor `url`: made pending when new, its fields refreshed from
    `document` (and its Organization, when accepted) when known."""
    fields = actor_fields(document, url)
    entry = RemoteOrganization.objects.filter(actor=url).first()
    if entry is None:
        return RemoteOrganization.objects.create(
            actor=url, relates_to=relates_to, requested_by=requested_by, **fields
        )
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.fetched_at = timezone.now()
    if entry.relates_to_id is None and entry.status == RemoteOrganization.Status.PENDING:
        entry.relates_to = relates_to
    entry.save()
    if entry.status == RemoteOrganization.Status.ACCEPTED:
        write_organization(entry)
    return entry


def remote_request(
    *, actor: ActorLike, handle: str, organization: Organization | None = None
) -> RemoteOrganization:
    """Ask to relate to the remote organization `handle` (WebFinger, then its actor): for the
    whole server (operators) or for `organization` (its admins). It waits for a decision, unless
    it was accepted already. ValidationError on `handle`, nothing changed, for a handle that
    cannot be found, a blocked server, an actor that is not an organization."""
    if organization is None:
        require(actor, REQUEST_FOR_SERVER)
    else:
        require(actor, REQUEST_FOR_ORGANIZATION, organization)
    url = webfinger(handle)
    if blocks.blocking(url, organization) is not None:
        raise _error(_("This server is blocked."), "blocked")
    if url.startswith(settings.SITE_URL.rstrip("/") + "/"):
        raise _error(_("This organization is on this server."), "local")
    document = _fetch_actor(url)
    if document.get("id") != url:
        url = document["id"]  # of the same host (fetch_json checked it)
    with transaction.atomic():
        entry = record(url, document, relates_to=organization, requested_by=person(actor))
        audit(
            actor=actor,
            action="federation.remote_request",
            target=entry,
            organization=organization,
            remote_actor=entry.actor,
            name=entry.name,
        )
    return entry


def record_follower(url: str, organization: Organization) -> RemoteOrganization | None:
    """A remote actor followed `organization`: if it is a `Group`, it waits in the queue of that
    organization's admins (or is refreshed when known). Anything else is no organization: None."""
    try:
        document = fetch_json(url)
        if document.get("type") != "Group":
            return None
        return record(url, document, relates_to=organization)
    except (RemoteError, ValidationError):
        return None


def queue(*, organization: Organization | None) -> list[RemoteOrganization]:
    """The entries waiting for a decision: all of them for the operators (None), or those that
    relate to `organization`."""
    found = RemoteOrganization.objects.filter(status=RemoteOrganization.Status.PENDING)
    if organization is not None:
        found = found.filter(relates_to=organization)
    return list(found.select_related("relates_to"))


def _slug_for(entry: RemoteOrganization) -> str:
    base = slugify(f"{entry.username}-{entry.host.replace(':', '-')}")[:72] or "remote"
    slug, n = base, 1
    # Nor an erased profile's slug, reserved for good (organizations.ErasedSlug).
    while (
        Organization.objects.filter(slug=slug).exists()
        or ErasedSlug.objects.filter(slug=slug).exists()
    ):
        n += 1
        slug = f"{base}-{n}"
    return slug


def write_organization(entry: RemoteOrganization) -> Organization:
    """Make or refresh the entry's Organization from its actor's properties."""
    props = entry.properties
    organization = entry.organization
    if organization is None:
        organization = Organization(
            slug=_slug_for(entry), kind=Organization.Kind.OTHER, remote_actor_url=entry.actor
        )
    organization.name = entry.name
    organization.description = strip_tags(entry.summary)[:5000]
    organization.country = props.get("country", "")
    organization.verified_at = organization.verified_at or timezone.now()
    organization.save()
    OrganizationLanguage.objects.filter(organization=organization).delete()
    OrganizationSector.objects.filter(organization=organization).delete()
    languages = []
    for tag in dict.fromkeys(props.get("languages", [])):
        language = OrganizationLanguage(organization=organization, tag=tag)
        try:
            language.full_clean(validate_constraints=False)
        except ValidationError:
            continue
        languages.append(language)
    OrganizationLanguage.objects.bulk_create(languages)
    OrganizationSector.objects.bulk_create(
        OrganizationSector(organization=organization, code=code)
        for code in dict.fromkeys(props.get("sectors", []))
    )
    organization_filter_text_refresh([organization.pk])
    Presence.objects.filter(organization=organization).delete()
    for employer in props.get("employers", []):
        # Only employers this server knows (by slug, else by name): no employer is made here.
        known = (
            Employer.objects.filter(slug=employer.get("slug") or "-").first()
            or Employer.objects.filter(name__iexact=employer.get("name", "")).first()
        )
        if known is not None:
            Presence.objects.get_or_create(
                organization=organization,
                employer=known,
                site=None,
                defaults={"visibility": "public"},
            )
    if entry.organization_id != organization.pk:
        entry.organization = organization
        entry.save(update_fields=["organization"])
    return organization


def remote_accept(*, actor: ActorLike, entry: RemoteOrganization) -> Organization:
    """Accept the remote organization: its Organization is made (or refreshed) and listed."""
    require(actor, DECIDE, entry)
    if entry.status == RemoteOrganization.Status.ACCEPTED and entry.organization is not None:
        raise ValidationError(_("This organization is already accepted."), code="already_decided")
    if blocks.blocking(entry.actor, entry.relates_to) is not None:
        raise ValidationError(_("This server is blocked."), code="blocked")
    with transaction.atomic():
        entry.status = RemoteOrganization.Status.ACCEPTED
        entry.decided_by = person(actor)
        entry.decided_at = timezone.now()
        entry.save(update_fields=["status", "decided_by", "decided_at"])
        organization = write_organization(entry)
        # What it sent while it waited is acted on now (held.py).
        from . import held

        held.queue(entry)
        audit(
            actor=actor,
            action="federation.remote_accept",
            target=entry,
            organization=entry.relates_to,
            remote_actor=entry.actor,
            name=entry.name,
            listed_as=organization.slug,
        )
    return organization


def remote_refuse(*, actor: ActorLike, entry: RemoteOrganization) -> RemoteOrganization:
    """Refuse the remote organization: it stays out of the directory (and, accepted before, its
    Organization is taken out: unverified, so listed nowhere and routed to by nothing)."""
    require(actor, DECIDE, entry)
    if entry.status == RemoteOrganization.Status.REFUSED:
        raise ValidationError(_("This organization is already refused."), code="already_decided")
    with transaction.atomic():
        entry.status = RemoteOrganization.Status.REFUSED
        entry.decided_by = person(actor)
        entry.decided_at = timezone.now()
        entry.save(update_fields=["status", "decided_by", "decided_at"])
        if entry.organization is not None:
            entry.organization.verified_at = None
            entry.organization.save(update_fields=["verified_at"])
        audit(
            actor=actor,
            action="federation.remote_refuse",
            target=entry,
            organization=entry.relates_to,
            remote_actor=entry.actor,
            name=entry.name,
        )
    return entry


def waiting(actor_url: str) -> bool:
    """Whether the remote actor `actor_url` is an organization waiting in the queue."""
    return RemoteOrganization.objects.filter(
        actor=actor_url, status=RemoteOrganization.Status.PENDING
    ).exists()


def accepted(actor_url: str) -> RemoteOrganization | None:
    """The accepted remote organization whose actor is `actor_url`, with its Organization; None
    for one pending, refused or unknown."""
    return (
        RemoteOrganization.objects.filter(
            actor=actor_url,
            status=RemoteOrganization.Status.ACCEPTED,
            organization__verified_at__isnull=False,
        )
        .select_related("organization")
        .first()
    )
