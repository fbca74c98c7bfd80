"""Reads on statements, each filtered by the viewer through the statement's audience
(Statement.audience) and those of what hangs off it. `statement_access` and `statement_get`
answer 404 for missing and not visible alike."""

from django.db.models import Q, QuerySet
from django.http import Http404

from internationale.core.actors import ViewerLike
from internationale.core.predicates import SPEAKING_ROLES, organizations_of
from internationale.core.visibility import Access, access
from internationale.organizations.models import Organization

from .models import Participant, Statement, Version


def statement_list(*, viewer: ViewerLike) -> QuerySet[Statement]:
    """The statements the viewer's organizations initiated or take part in, the latest first."""
    mine = organizations_of(viewer)
    taking_part = Participant.objects.filter(organization__in=mine).values("statement_id")
    return (
        Statement.objects.visible_to(viewer)
        .filter(Q(organization__in=mine) | Q(pk__in=taking_part))
        .select_related("organization", "current_version")
        # The list shows the version's number, not its text.
        .defer("current_version__paragraphs")
        .order_by("-created_at", "-pk")
    )


def statement_access(*, viewer: ViewerLike, pk: int) -> Access[Statement]:
    """The statement, if the viewer may see it, and what the viewer is to it (of the initiator,
    which of its organizations take part): the reads below take it."""
    return access(
        Statement.objects.select_related("organization", "current_version", "positions_version"),
        viewer,
        pk=pk,
    )


def statement_get(*, viewer: ViewerLike, pk: int) -> Statement:
    return statement_access(viewer=viewer, pk=pk).obj


def is_participant_view(access: Access[Statement]) -> bool:
    """Whether the viewer is one of the participants' people (the initiator's included): they
    read the drafting (versions, amendments, comments, positions); others read only what is
    published."""
    return access.concerned


def speaking_participants(access: Access[Statement]) -> list[Organization]:
    """The participating organizations (the initiator included) the viewer speaks for: those it
    may comment and state positions for."""
    ids = set(access.speaking_addressees(SPEAKING_ROLES))
    if access.owner and access.who.roles.get(access.obj.organization_id) in SPEAKING_ROLES:
        ids.add(access.obj.organization_id)
    if not ids:
        return []
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


def version_get(*, viewer: ViewerLike, statement: Statement, number: int) -> Version:
    """One version of the statement, if the viewer may read it (participants; others only the
    adopted one). 404 otherwise."""
    found = Version.objects.visible_to(viewer).filter(statement=statement, number=number).first()
    if found is None:
        raise Http404
    return found
