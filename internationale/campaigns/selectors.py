"""Reads on campaigns, each filtered by the viewer through the campaign's audience
(Campaign.audience). `campaign_access` and `campaign_get` answer 404 for missing and not visible
alike. Signatures are never read here but for what the public page shows: the count, and the
first names and countries of the latest signers who chose to be shown."""

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django_countries.fields import Country

from internationale.addressing.preview import route_kept
from internationale.addressing.routing import ORG_FIELDS, Candidate, Criteria
from internationale.appeals.models import Appeal
from internationale.core.actors import ViewerLike, as_actor
from internationale.core.predicates import SPEAKING_ROLES, organizations_of
from internationale.core.visibility import Access, access
from internationale.organizations.models import Organization

from .models import Campaign, Signature, SignatureCount, Sponsor, Target


def campaign_list(*, viewer: ViewerLike) -> QuerySet[Campaign]:
    """The campaigns the viewer's organizations run or are invited to co-sponsor, the latest
    first."""
    mine = organizations_of(viewer)
    invited = Sponsor.objects.filter(organization__in=mine).values("campaign_id")
    return (
        Campaign.objects.visible_to(viewer)
        .filter(Q(organization__in=mine) | Q(pk__in=invited))
        .select_related("organization", "count")
        .order_by("-created_at", "-id")
    )


def public_campaign_list() -> QuerySet[Campaign]:
    """The launched campaigns still open, the latest launched first: for everyone."""
    return (
        Campaign.objects.filter(status=Campaign.Status.OPEN, visibility="public")
        .select_related("organization", "count")
        .order_by("-launched_at", "-id")
    )


def campaign_access(*, viewer: ViewerLike, pk: int) -> Access[Campaign]:
    """The campaign, if the viewer may see it, and what the viewer is to it (of the organizer,
    which of its organizations are invited to co-sponsor it)."""
    return access(Campaign.objects.select_related("organization", "appeal", "count"), viewer, pk=pk)


def campaign_get(*, viewer: ViewerLike, pk: int) -> Campaign:
    return campaign_access(viewer=viewer, pk=pk).obj


def signature_count(campaign: Campaign) -> int:
    """The public count, as the counting task last wrote it."""
    try:
        return campaign.count.signatures
    except SignatureCount.DoesNotExist:
        return 0


def target_list(campaign: Campaign) -> list[Target]:
    return list(Target.objects.filter(campaign=campaign).order_by("id"))


def sponsor_list(access: Access[Campaign]) -> list[Sponsor]:
    """The organizations invited to co-sponsor and their answers: all of them for the organizer's
    people and those invited; for others, those who accepted."""
    rows = Sponsor.objects.filter(campaign=access.obj).select_related("organization")
    if not access.concerned:
        rows = rows.filter(status=Sponsor.Status.ACCEPTED)
    return list(rows.order_by("organization__name"))


def accepted_sponsors(campaign: Campaign) -> list[Organization]:
    """The co-sponsors shown on the public page: those that accepted, by name."""
    return [
        s.organization
        for s in Sponsor.objects.filter(campaign=campaign, status=Sponsor.Status.ACCEPTED)
        .select_related("organization")
        .order_by("organization__name")
    ]


def latest_signers(campaign: Campaign, limit: int | None = None) -> list[dict[str, Any]]:
    """The latest confirmed signers who chose to be shown: first name and country, nothing else
    (served by the partial index `signature_shown`)."""
    limit = limit or settings.INTERNATIONALE_CAMPAIGN_SIGNERS_SHOWN
    rows: Any = (
        Signature.objects.filter(
            campaign=campaign,
            show_publicly=True,
            status__in=[Signature.Status.CONFIRMED, Signature.Status.COUNTED],
        )
        .order_by("-confirmed_at")
        .values("first_name", "country")[:limit]
    )
    return [{"first_name": r["first_name"], "country": Country(r["country"])} for r in rows]


def answering_organizations(access: Access[Campaign]) -> list[Organization]:
    """The invited organizations the viewer speaks for: those it may answer for."""
    speaking = access.speaking_addressees(SPEAKING_ROLES)
    if not speaking:
        return []
    return list(Organization.objects.filter(pk__in=speaking).order_by("name"))


def sponsor_preview(
    *,
    viewer: ViewerLike,
    campaign: Campaign,
    criteria: Criteria,
    fields: tuple[str, ...] = ORG_FIELDS,
) -> list[Candidate]:
    """Who inviting with these criteria would reach, each with its reasons: for those who may
    invite (404 for others). Kept for a minute (addressing/preview.py)."""
    if not as_actor(viewer).has_perm("campaigns.invite_sponsors", campaign):
        raise Http404
    return route_kept(campaign.routing_origin(), criteria.clean(), fields=fields).candidates


def invited_ids(campaign: Campaign) -> set[int]:
    return set(Sponsor.objects.filter(campaign=campaign).values_list("organization_id", flat=True))


def appeal_to_launch_from(*, viewer: ViewerLike, pk: Any) -> Appeal | None:
    """The appeal a campaign is launched from (`?appeal=<id>`): one the viewer may see, of an
    organization the viewer speaks for; None otherwise (the form then starts empty)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    speaking = organizations_of(viewer, SPEAKING_ROLES)
    return (
        Appeal.objects.visible_to(viewer)
        .filter(pk=pk, organization__in=speaking)
        .select_related("organization")
        .first()
    )


def appeals_of(*, viewer: ViewerLike, organizations: list[Organization]) -> list[Appeal]:
    """The latest appeals of the organizations, to launch a campaign from."""
    return list(
        Appeal.objects.visible_to(viewer)
        .filter(organization__in=organizations)
        .exclude(status=Appeal.Status.CLOSED)
        .select_related("organization")
        .order_by("-created_at")[:10]
    )
