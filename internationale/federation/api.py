"""The REST API of federation's block lists: the server's (operators; 404 for anyone else) and
an organization's (its admins); an organization's key, rotated by its admins. Routes are declared here, registered in web/api.py."""

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
from internationale.core.api import ERRORS, Pagination
from internationale.core.services import allowed
from internationale.organizations.api import organization_for

from . import blocks, documents
from .keys import ROTATE_PERMISSION, key_rotate
from .models import Block

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
