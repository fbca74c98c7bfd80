"""The REST API of relations waiting for their partner (pending.py): the list, proposing one
again (once its partner is on this server) and dismissing one. For anyone but the organization's
admins, 404, as if missing; a partner not here yet, or a relation no longer waiting, 400 with
the reason, and nothing changed."""

import datetime

from ninja import Field, Router, Schema
from ninja.responses import Status

from internationale.accounts.api import ApiRequest
from internationale.core.api import ERRORS
from internationale.organizations.api import organization_for

from . import pending
from .models import PendingRelation
from .pending import PERM

router = Router(tags=["ownership"])


class PendingRelationOut(Schema):
    id: int
    partner_slug: str = Field(description="The partner's address, on the server it came from.")
    partner_name: str
    partner_country: str
    kind: str
    since: datetime.date | None
    note: str


class ProposedOut(Schema):
    relation: int = Field(description="The id of the relation proposed to the partner.")


PATH = "/organizations/{slug}/pending-relations"


@router.get(PATH, response={200: list[PendingRelationOut], **ERRORS}, url_name="pending_list")
def pending_list(request: ApiRequest, slug: str) -> list[PendingRelation]:
    """The relations the organization brought from another server, waiting for their partner."""
    organization = organization_for(request, slug, PERM)
    return list(PendingRelation.objects.filter(organization=organization))


@router.post(
    PATH + "/{pk}/propose",
    response={201: ProposedOut, **ERRORS},
    url_name="pending_relation_propose",
)
def pending_relation_propose(request: ApiRequest, slug: str, pk: int) -> Status[ProposedOut]:
    """Propose the relation to its partner, now on this server: it accepts or declines it."""
    organization = organization_for(request, slug, PERM)
    relation = pending.pending_relation_propose(
        actor=request.auth, organization=organization, pk=pk
    )
    return Status(201, ProposedOut(relation=relation.pk))


@router.post(
    PATH + "/{pk}/dismiss", response={204: None, **ERRORS}, url_name="pending_relation_dismiss"
)
def pending_relation_dismiss(request: ApiRequest, slug: str, pk: int) -> Status[None]:
    """Take the relation off the list, proposing nothing."""
    organization = organization_for(request, slug, PERM)
    pending.pending_relation_dismiss(actor=request.auth, organization=organization, pk=pk)
    return Status(204, None)
