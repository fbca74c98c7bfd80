"""The REST API of federation's block lists: the server's (operators; 404 for anyone else) and
an organization's (its admins); an organization's key, rotated by its admins; the remote
organizations' moderation queue (operators, and an organization's admins for those that relate
to it); an organization's move to another server (its admins, and the operators). Routes are
declared here, registered in web/api.py."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from internationale.accounts.api import ApiRequest
from internationale.core.api import CONFLICT, ERRORS, Pagination, idempotency_header
from internationale.core.services import allowed
from internationale.organizations.api import organization_for
from internationale.organizations.models import Organization

from . import blocks, documents, moving, remote_orgs
from .keys import ROTATE_PERMISSION, ROTATE_SERVER_PERMISSION, instance_key_rotate, key_rotate
from .models import ActorAlias, Block, RemoteOrganization

router = Router(tags=["federation"])


class FederationBlockOut(Schema):
    id: int
    host: str = Field(description="The blocked server's host name (its subdomains too).")
    actor: str = Field(description="One blocked remote account, or empty: the whole server.")
    reason: str
    created_at: datetime.datetime


class FederationBlockCreatedOut(FederationBlockOut):
    followers_removed: int
    deliveries_cancelled: int


class FederationBlockIn(Schema):
    host: str = Field("", max_length=255, description="A host name, such as social.example.org.")
    reason: str = Field("", max_length=500)


class FederationOrganizationBlockIn(FederationBlockIn):
    actor: str = Field(
        "", max_length=500, description="One remote account's address, to block it alone."
    )


def _created(block: Block, effect: blocks.Effect) -> dict:
    return {
        **{f: getattr(block, f) for f in ("host", "actor", "reason", "created_at")},
        "id": block.pk,
        "followers_removed": effect.followers,
        "deliveries_cancelled": effect.deliveries,
    }


def _operator(request: ApiRequest) -> None:
    if not allowed(request.auth, blocks.SERVER_PERMISSION):
        raise Http404


@router.get(
    "/federation/blocks",
    response={200: list[FederationBlockOut], **ERRORS},
    url_name="federation_blocks",
)
@paginate(Pagination)
def federation_blocks(request: ApiRequest) -> QuerySet[Block]:
    """For operators: the remote servers blocked for the whole server. 404 for anyone else."""
    _operator(request)
    return Block.objects.filter(organization__isnull=True).order_by("host")


@router.post(
    "/federation/blocks",
    response={201: FederationBlockCreatedOut, **ERRORS},
    url_name="federation_block_create",
)
def federation_block_create(request: ApiRequest, payload: FederationBlockIn) -> Status[dict]:
    """For operators: block a remote server for the whole server. Its follows are removed and
    the deliveries waiting for it cancelled (how many: in the answer)."""
    _operator(request)
    block, effect = blocks.block_add(
        actor=request.auth, organization=None, host=payload.host, reason=payload.reason
    )
    return Status(201, _created(block, effect))


@router.delete(
    "/federation/blocks/{pk}", response={204: None, **ERRORS}, url_name="federation_block_delete"
)
def federation_block_delete(request: ApiRequest, pk: int) -> Status[None]:
    """For operators: federate with the server again."""
    _operator(request)
    block = get_object_or_404(Block, pk=pk, organization__isnull=True)
    blocks.block_remove(actor=request.auth, block=block)
    return Status(204, None)


@router.get(
    "/organizations/{slug}/federation/blocks",
    response={200: list[FederationBlockOut], **ERRORS},
    url_name="federation_organization_blocks",
)
@paginate(Pagination)
def federation_organization_blocks(request: ApiRequest, slug: str) -> QuerySet[Block]:
    """For the organization's admins: the servers and accounts it blocks (the server's own
    blocks apply too, and are not listed here)."""
    organization = organization_for(request, slug, blocks.ORGANIZATION_PERMISSION)
    return Block.objects.filter(organization=organization).order_by("host", "actor")


@router.post(
    "/organizations/{slug}/federation/blocks",
    response={201: FederationBlockCreatedOut, **ERRORS},
    url_name="federation_organization_block_create",
)
def federation_organization_block_create(
    request: ApiRequest, slug: str, payload: FederationOrganizationBlockIn
) -> Status[dict]:
    """For the organization's admins: block a remote server, or one remote account, for the
    organization only."""
    organization = organization_for(request, slug, blocks.ORGANIZATION_PERMISSION)
    block, effect = blocks.block_add(
        actor=request.auth,
        organization=organization,
        host=payload.host,
        remote_actor=payload.actor,
        reason=payload.reason,
    )
    return Status(201, _created(block, effect))


@router.delete(
    "/organizations/{slug}/federation/blocks/{pk}",
    response={204: None, **ERRORS},
    url_name="federation_organization_block_delete",
)
def federation_organization_block_delete(request: ApiRequest, slug: str, pk: int) -> Status[None]:
    """For the organization's admins: federate with that server or account again."""
    organization = organization_for(request, slug, blocks.ORGANIZATION_PERMISSION)
    block = get_object_or_404(Block, pk=pk, organization=organization)
    blocks.block_remove(actor=request.auth, block=block)
    return Status(204, None)


class FederationKeyRotateIn(Schema):
    confirm: bool = Field(
        False, description="true: replace the key (the followers' servers are told)."
    )


class FederationKeyOut(Schema):
    number: int
    key_id: str = Field(description="Where other servers read it.")
    created_at: datetime.datetime


@router.post(
    "/organizations/{slug}/federation/key/rotate",
    response={201: FederationKeyOut, **ERRORS},
    url_name="federation_organization_key_rotate",
)
def federation_organization_key_rotate(
    request: ApiRequest, slug: str, payload: FederationKeyRotateIn
) -> Status[dict]:
    """For the organization's admins (and operators): replace its key. The old key stays
    readable; an `Update` of the actor tells the followers' servers. Asks `confirm: true`."""
    organization = organization_for(request, slug, ROTATE_PERMISSION)
    if not payload.confirm:
        raise ValidationError(
            {
                "confirm": ValidationError(
                    _("Confirm the replacement of the key with confirm: true."), code="confirm"
                )
            }
        )
    new = key_rotate(actor=request.auth, organization=organization)
    return Status(
        201,
        {"number": new.number, "key_id": documents.key_url(new), "created_at": new.created_at},
    )


class FederationServerKeyRotateIn(Schema):
    confirm: bool = Field(False, description="true: replace the server's own key.")
    compromised: bool = Field(
        False, description="true: withdraw the old public key at once, not after an hour."
    )


@router.post(
    "/federation/server-key/rotate",
    response={201: FederationKeyOut, **ERRORS},
    url_name="federation_server_key_rotate",
)
def federation_server_key_rotate(
    request: ApiRequest, payload: FederationServerKeyRotateIn
) -> Status[dict]:
    """For operators: replace the server's own key (its actor's, which signs its fetches). The
    old private key is erased; its public key is served for the signature window, or not at all
    with `compromised: true`. Asks `confirm: true`. 404 for anyone else."""
    if not allowed(request.auth, ROTATE_SERVER_PERMISSION):
        raise Http404
    if not payload.confirm:
        raise ValidationError(
            {
                "confirm": ValidationError(
                    _("Confirm the replacement of the key with confirm: true."), code="confirm"
                )
            }
        )
    new = instance_key_rotate(actor=request.auth, compromised=payload.compromised)
    return Status(
        201,
        {
            "number": new.number,
            "key_id": documents.instance_key_id(new),
            "created_at": new.created_at,
        },
    )


# Remote organizations' moderation queue (remote_orgs.py), as on the pages of views_remote.py.


class FederationRemoteOrganizationOut(Schema):
    id: int
    actor: str = Field(description="The remote organization's ActivityPub actor (its URL).")
    host: str = Field(description="Its home server.")
    username: str
    name: str
    summary: str = Field(description="As its server sent it (HTML): show it escaped.")
    country: str
    languages: list[str]
    sectors: list[str]
    status: str = Field(description="pending, accepted or refused.")
    relates_to: str | None = Field(
        description="The slug of this server's organization it asked to relate to (its admins "
        "decide), or null: the operators decide."
    )
    listed_as: str | None = Field(description="Once accepted, its slug in this server's directory.")
    created_at: datetime.datetime
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_country(entry: RemoteOrganization) -> str:
        return str((entry.properties or {}).get("country", ""))

    @staticmethod
    def resolve_languages(entry: RemoteOrganization) -> list[str]:
        return list((entry.properties or {}).get("languages", []))

    @staticmethod
    def resolve_sectors(entry: RemoteOrganization) -> list[str]:
        return list((entry.properties or {}).get("sectors", []))

    @staticmethod
    def resolve_relates_to(entry: RemoteOrganization) -> str | None:
        return entry.relates_to.slug if entry.relates_to is not None else None

    @staticmethod
    def resolve_listed_as(entry: RemoteOrganization) -> str | None:
        return entry.organization.slug if entry.organization is not None else None


def _pending(organization: Organization | None) -> QuerySet[RemoteOrganization]:
    found = RemoteOrganization.objects.filter(status=RemoteOrganization.Status.PENDING)
    if organization is not None:
        found = found.filter(relates_to=organization)
    return found.select_related("relates_to", "organization").order_by("created_at", "pk")


@router.get(
    "/federation/remote-organizations",
    response={200: list[FederationRemoteOrganizationOut], **ERRORS},
    url_name="federation_remote_organizations",
)
@paginate(Pagination)
def federation_remote_organizations(request: ApiRequest) -> QuerySet[RemoteOrganization]:
    """For operators: the remote organizations waiting for a decision, oldest first (those
    asked for, and those that followed one of this server's organizations). 404 for anyone
    else."""
    if not allowed(request.auth, remote_orgs.REQUEST_FOR_SERVER):
        raise Http404
    return _pending(None)


@router.get(
    "/organizations/{slug}/federation/remote-organizations",
    response={200: list[FederationRemoteOrganizationOut], **ERRORS},
    url_name="federation_organization_remote_organizations",
)
@paginate(Pagination)
def federation_organization_remote_organizations(
    request: ApiRequest, slug: str
) -> QuerySet[RemoteOrganization]:
    """For the organization's admins: the remote organizations waiting for their decision (those
    that asked to relate to it)."""
    organization = organization_for(request, slug, remote_orgs.REQUEST_FOR_ORGANIZATION)
    return _pending(organization)


def _decidable(request: ApiRequest, pk: int) -> RemoteOrganization:
    """The entry, if the caller may decide it (operators: any; an organization's admins: those
    that relate to it); 404 otherwise, as for one that does not exist."""
    entry = (
        RemoteOrganization.objects.select_related("relates_to", "organization")
        .filter(pk=pk)
        .first()
    )
    if entry is None or not allowed(request.auth, remote_orgs.DECIDE, entry):
        raise Http404
    return entry


@router.post(
    "/federation/remote-organizations/{pk}/accept",
    response={200: FederationRemoteOrganizationOut, **ERRORS},
    url_name="federation_remote_organization_accept",
)
def federation_remote_organization_accept(request: ApiRequest, pk: int) -> RemoteOrganization:
    """Accept the remote organization: it is listed in the directory (`listed_as`) and routed
    to like a local one. 400 if it is accepted already or its server is blocked."""
    entry = _decidable(request, pk)
    remote_orgs.remote_accept(actor=request.auth, entry=entry)
    entry.refresh_from_db()
    return entry


@router.post(
    "/federation/remote-organizations/{pk}/refuse",
    response={200: FederationRemoteOrganizationOut, **ERRORS},
    url_name="federation_remote_organization_refuse",
)
def federation_remote_organization_refuse(request: ApiRequest, pk: int) -> RemoteOrganization:
    """Refuse the remote organization: it stays out of the directory (taken out of it if it
    was accepted). 400 if it is refused already."""
    entry = _decidable(request, pk)
    remote_orgs.remote_refuse(actor=request.auth, entry=entry)
    entry.refresh_from_db()
    return entry


# Moving to another server (moving.py), as on the pages of views_moving.py.


class FederationAliasOut(Schema):
    id: int
    url: str = Field(description="The organization's actor on the server it moved from.")
    created_at: datetime.datetime


class FederationMoveOut(Schema):
    actor: str = Field(description="The organization's ActivityPub actor on this server.")
    also_known_as: list[FederationAliasOut] = Field(
        description="Its actors on the servers it moved from (listed in alsoKnownAs)."
    )
    moved_to: str | None = Field(
        description="Its actor on the server it moved to last, once moved."
    )
    may_move_again_at: datetime.datetime | None = Field(
        description="Once moved: from when it may move again (FEDERATION_MOVE_COOLDOWN_DAYS)."
    )


class FederationAlsoKnownAsIn(Schema):
    old_actor: str = Field(
        max_length=500,
        description="Its actor on the server it moved from (its https URL, such as "
        "old.example.org/federation/actors/metal-sp).",
    )


class FederationMoveIn(Schema):
    target: str = Field(
        max_length=500,
        description="Its actor on the server it moved to, which lists this one in alsoKnownAs.",
    )
    confirm: bool = Field(
        False, description="true: record the move and tell the followers (cannot be undone)."
    )


class FederationMovedOut(Schema):
    target: str
    activity_id: str = Field(description="The Move sent to the followers.")


def _move_state(organization: Organization) -> dict:
    aliases = list(ActorAlias.objects.filter(organization=organization))
    return {
        "actor": documents.actor_url(organization),
        "also_known_as": [a for a in aliases if a.direction == ActorAlias.Direction.MOVED_FROM],
        "moved_to": next(
            (a.url for a in reversed(aliases) if a.direction == ActorAlias.Direction.MOVED_TO),
            None,
        ),
        "may_move_again_at": moving.may_move_again_at(organization),
    }


@router.get(
    "/organizations/{slug}/federation/move",
    response={200: FederationMoveOut, **ERRORS},
    url_name="federation_organization_move",
)
def federation_organization_move(request: ApiRequest, slug: str) -> dict:
    """For the organization's admins (and operators): its actor here, the actors it had on the
    servers it moved from, and where it moved to, if it did."""
    organization = organization_for(request, slug, moving.MOVE_PERMISSION)
    return _move_state(organization)


@router.post(
    "/organizations/{slug}/federation/also-known-as",
    response={201: FederationAliasOut, **ERRORS, **CONFLICT},
    url_name="federation_organization_also_known_as",
)
def federation_organization_also_known_as(
    request: ApiRequest,
    slug: str,
    payload: FederationAlsoKnownAsIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[ActorAlias]:
    """On the server the organization moved to: record its actor on the old one (fetched first:
    400 if it cannot be had, is on a refused address, or is no organization's actor). Its actor
    here then lists it in alsoKnownAs, so that the old server can move its followers here."""
    organization = organization_for(request, slug, moving.MOVE_PERMISSION)
    alias = moving.also_known_as(
        actor=request.auth,
        organization=organization,
        old_actor=payload.old_actor,
        submission_key=idempotency_key,
    )
    return Status(201, alias)


@router.delete(
    "/organizations/{slug}/federation/also-known-as/{pk}",
    response={204: None, **ERRORS},
    url_name="federation_organization_also_known_as_delete",
)
def federation_organization_also_known_as_delete(
    request: ApiRequest, slug: str, pk: int
) -> Status[None]:
    """Take an old actor out of alsoKnownAs: the old server can no longer move the followers
    here from it."""
    organization = organization_for(request, slug, moving.MOVE_PERMISSION)
    moving.also_known_as_remove(actor=request.auth, organization=organization, alias_id=pk)
    return Status(204, None)


@router.post(
    "/organizations/{slug}/federation/move",
    response={201: FederationMovedOut, **ERRORS, **CONFLICT},
    url_name="federation_organization_move_to",
)
def federation_organization_move_to(
    request: ApiRequest,
    slug: str,
    payload: FederationMoveIn,
    idempotency_key: str | None = idempotency_header(),
) -> Status[dict]:
    """On the server the organization left: record that it moved to `target` and send its
    followers a `Move`. Asks `confirm: true`; cannot be undone. 400, nothing changed, if the
    target cannot be fetched or does not list this actor in its alsoKnownAs, or if it moved
    already."""
    organization = organization_for(request, slug, moving.MOVE_PERMISSION)
    if not payload.confirm:
        raise ValidationError(
            {
                "confirm": ValidationError(
                    _("Confirm the move with confirm: true: it cannot be undone."), code="confirm"
                )
            }
        )
    outgoing = moving.move_to(
        actor=request.auth,
        organization=organization,
        target=payload.target,
        submission_key=idempotency_key,
    )
    return Status(201, {"target": outgoing.payload["target"], "activity_id": outgoing.activity_id})
