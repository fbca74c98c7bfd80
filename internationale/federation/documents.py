"""The JSON-LD documents this server serves for its organizations as ActivityPub actors, and the
URLs they live at (all built on SITE_URL, never on the request's Host)."""

import mimetypes
import uuid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from internationale.core.links import absolute_url
from internationale.core.text import render_markdown
from internationale.organizations.models import Organization
from internationale.organizations.selectors import organization_get, presence_list

from .models import ActorKey, InstanceKey

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
# Content types an ActivityPub client asks for (and we answer with the first).
ACTIVITY_JSON = "application/activity+json"
LD_JSON_AS = f'application/ld+json; profile="{AS_CONTEXT}"'


def id_of(value: Any) -> str | None:
    """The id an activity's field names: the string itself, or the `id` of an embedded object."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def local_actor(slug: str) -> Organization:
    """The organization as the public sees it in the directory, if it is one of this server's
    own (a remote organization listed here is an actor on its own server only); Http404
    otherwise."""
    organization = organization_get(viewer=AnonymousUser(), slug=slug)
    if organization.remote_actor_url:
        raise Http404
    return organization


def context_url() -> str:
    return absolute_url(reverse("federation_context"))


def our_context() -> dict[str, Any]:
    """The platform's own JSON-LD context: the extension properties that routing reads."""
    base = context_url() + "#"
    return {
        "@context": {
            "int": base,
            "languages": {"@id": "int:languages", "@container": "@set"},
            "country": {"@id": "int:country"},
            "sectors": {"@id": "int:sectors", "@container": "@set"},
            "employers": {"@id": "int:employers", "@container": "@set"},
            "Employer": "int:Employer",
            "slug": {"@id": "int:slug"},
            "status": {"@id": "int:status"},
            "outcome": {"@id": "int:outcome"},
            "verified": {
                "@id": "int:verified",
                "@type": "http://www.w3.org/2001/XMLSchema#boolean",
            },
            # What a remote organization sends to answer an appeal (acting.py).
            "Pledge": "int:Pledge",
            "forms": {"@id": "int:forms", "@container": "@set"},
            "amount": {"@id": "int:amount"},
            "currency": {"@id": "int:currency"},
            "goods": {"@id": "int:goods"},
            "public": {
                "@id": "int:public",
                "@type": "http://www.w3.org/2001/XMLSchema#boolean",
            },
            "Contribution": "int:Contribution",
            "reference": {"@id": "int:reference"},
            # An organization vouching for another across servers (vouching.py).
            "Vouch": "int:Vouch",
            # What an appeal's article carries besides its status and outcome (publishing.py),
            # so that a server of this platform receives it as an appeal (receiving.py).
            "situation": {"@id": "int:situation"},
            "urgency": {"@id": "int:urgency"},
            "propagandaDetails": {"@id": "int:propagandaDetails"},
            "sympathyTarget": {"@id": "int:sympathyTarget"},
            "sympathyAddress": {"@id": "int:sympathyAddress"},
            "aidGoal": {"@id": "int:aidGoal"},
            "employer": {"@id": "int:employer"},
            "outcomeReport": {"@id": "int:outcomeReport"},
            # What a statement's article carries (statements.py), and a position on it.
            "paragraphs": {"@id": "int:paragraphs", "@container": "@list"},
            "version": {"@id": "int:version"},
            "positionsVersion": {"@id": "int:positionsVersion"},
            "amendmentsUntil": {"@id": "int:amendmentsUntil"},
            "positionsUntil": {"@id": "int:positionsUntil"},
            "minAgree": {"@id": "int:minAgree"},
            "signatories": {"@id": "int:signatories", "@type": "@id", "@container": "@set"},
            "stance": {"@id": "int:stance"},
            "publishReservations": {
                "@id": "int:publishReservations",
                "@type": "http://www.w3.org/2001/XMLSchema#boolean",
            },
            # What a meeting's `Event` carries besides ActivityStreams' and Mobilizon's terms
            # (meetings.py).
            "meetingKind": {"@id": "int:meetingKind"},
            "cancelReason": {"@id": "int:cancelReason"},
            "approvalDeadline": {"@id": "int:approvalDeadline"},
            # An answer to advice (advice.py).
            "answer": {"@id": "int:answer"},
            # An organization that moved to another server (moving.py), as Mastodon says it.
            "movedTo": {"@id": "https://www.w3.org/ns/activitystreams#movedTo", "@type": "@id"},
            "alsoKnownAs": {
                "@id": "https://www.w3.org/ns/activitystreams#alsoKnownAs",
                "@type": "@id",
            },
        }
    }


def context() -> list[Any]:
    """The `@context` of every document: ActivityStreams, the security vocabulary (publicKey),
    and ours by its URL (served by this server: nothing is fetched from elsewhere)."""
    return [AS_CONTEXT, SECURITY_CONTEXT, context_url()]


def host() -> str:
    return urlsplit(settings.SITE_URL).netloc


def actor_url_prefix() -> str:
    """What every actor URL of this server starts with (the slug follows)."""
    return absolute_url("/federation/actors/")


def actor_url(organization: Organization) -> str:
    return absolute_url(reverse("federation_actor", args=[organization.slug]))


def inbox_url(organization: Organization) -> str:
    return absolute_url(reverse("federation_inbox", args=[organization.slug]))


def outbox_url(organization: Organization) -> str:
    return absolute_url(reverse("federation_outbox", args=[organization.slug]))


def followers_url(organization: Organization) -> str:
    return absolute_url(reverse("federation_followers", args=[organization.slug]))


def shared_inbox_url() -> str:
    return absolute_url(reverse("federation_shared_inbox"))


def key_url(key: ActorKey, *, slug: str | None = None) -> str:
    """The key's id; at `slug`, an address the organization had (an erased one, erasing.py)."""
    return absolute_url(reverse("federation_key", args=[slug or key.organization.slug, key.number]))


def about(activity: Any) -> str:
    """The address of this server's content a received activity is about, "" if none: the first
    of its `target` (an `Offer` to an appeal), its `object` (an `Accept` of a meeting, a position
    on a statement, an answer to advice; first for an `Announce`, whose `target` is the actor it
    passes the object to), or its object's `id`, `target` or `inReplyTo` (an `Undo` of an
    `Offer`) that is an address of this server; without its fragment. An `Add` of aid or an
    `Update` of a pledge names the remote's own `Offer`: acting.py records the pledge's appeal."""
    if not isinstance(activity, dict):
        return ""
    obj = activity.get("object")
    named = [activity.get("target"), obj]
    if activity.get("type") == "Announce":
        named.reverse()
    if isinstance(obj, dict):
        named += [obj.get("id"), obj.get("target"), obj.get("inReplyTo")]
    ours = absolute_url("/")
    for value in named:
        if isinstance(value, str) and value.startswith(ours) and len(value) <= 500:
            return value.split("#", 1)[0]
    return ""


def slug_of(actor: str) -> str | None:
    """The slug of one of this server's actor URLs; None for any other URL."""
    prefix = actor_url_prefix()
    if not actor.startswith(prefix):
        return None
    rest = actor[len(prefix) :]
    return rest if rest and "/" not in rest else None


def activity_url(activity: uuid.UUID) -> str:
    return absolute_url(reverse("federation_activity", args=[activity]))


def instance_actor_url() -> str:
    return absolute_url(reverse("federation_instance_actor"))


def instance_key_id(key: InstanceKey) -> str:
    """Where the server's key number n is read: each key has its own address, so that a peer
    that cached an earlier one fetches the new one after a rotation."""
    return absolute_url(reverse("federation_instance_key", args=[key.number]))


def instance_key_document(key: InstanceKey) -> dict[str, Any]:
    return {
        "id": instance_key_id(key),
        "type": "CryptographicKey",
        "owner": instance_actor_url(),
        "publicKeyPem": key.public_key_pem,
    }


def instance_actor_document(key: InstanceKey) -> dict[str, Any]:
    """The server itself as an `Application`: the actor whose key signs its fetches, so that
    servers that answer only signed requests answer it. It follows nobody and posts nothing."""
    url = instance_actor_url()
    return {
        "@context": [AS_CONTEXT, SECURITY_CONTEXT],
        "id": url,
        "type": "Application",
        "preferredUsername": host(),
        "name": host(),
        "url": absolute_url("/"),
        "inbox": shared_inbox_url(),
        "outbox": url + "/outbox",
        "manuallyApprovesFollowers": True,
        "publicKey": instance_key_document(key),
    }


def key_document(key: ActorKey, *, slug: str | None = None) -> dict[str, Any]:
    return {
        "id": key_url(key, slug=slug),
        "type": "CryptographicKey",
        "owner": absolute_url(reverse("federation_actor", args=[slug or key.organization.slug])),
        "publicKeyPem": key.public_key_pem,
    }


def actor_document(organization: Organization, *, key: ActorKey) -> dict[str, Any]:
    """The organization as a `Group`, with the properties routing reads as extensions: its
    languages (BCP 47), country (ISO 3166), sectors (ISIC Rev.4 sections) and the employers
    where it has made its presence public (the same as the directory shows anyone)."""
    employers = {
        p.employer.slug: {"type": "Employer", "name": p.employer.name, "slug": p.employer.slug}
        for p in presence_list(viewer=AnonymousUser(), organization=organization)
    }
    document: dict[str, Any] = {
        "@context": context(),
        "id": actor_url(organization),
        "type": "Group",
        "preferredUsername": organization.slug,
        "name": organization.name,
        "summary": str(render_markdown(organization.description)),
        "url": absolute_url(reverse("organization_detail", args=[organization.slug])),
        "inbox": inbox_url(organization),
        "outbox": outbox_url(organization),
        "followers": followers_url(organization),
        "endpoints": {"sharedInbox": shared_inbox_url()},
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "publicKey": key_document(key),
        "languages": [language.tag for language in organization.languages.all()],
        "country": str(organization.country),
        "sectors": sorted(sector.code for sector in organization.sectors.all()),
        "employers": list(employers.values()),
        "verified": organization.verified_at is not None,
    }
    from . import moving  # which reads this module's addresses

    moved = moving.aliases(organization)
    if moved[moving.MOVED_FROM]:
        document["alsoKnownAs"] = moved[moving.MOVED_FROM]
    if moved[moving.MOVED_TO]:
        document["movedTo"] = moved[moving.MOVED_TO][-1]  # where it moved last
    if organization.logo:
        document["icon"] = {
            "type": "Image",
            "mediaType": mimetypes.guess_type(organization.logo.name or "")[0] or "image/png",
            "url": absolute_url(organization.logo.url),
        }
    return document


def ordered_collection(url: str, *, total: int, items: list[Any] | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": AS_CONTEXT,
        "id": url,
        "type": "OrderedCollection",
        "totalItems": total,
    }
    if items is not None:
        document["orderedItems"] = items
    return document
