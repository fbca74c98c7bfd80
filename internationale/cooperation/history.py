"""The history of a relation between two organizations, for the people of either: the meetings
both took part in, the delegations between them, the agreements with both as parties and their
tasks, and the appeals one issued and the other answered (told by the appeals app through
core/exchanges.py). Each list is the latest `LIMIT` items, read in a fixed number of queries,
and only what the viewer may see.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from internationale.core.actors import ViewerLike, as_actor
from internationale.core.exchanges import Exchange, ExchangeSource, exchanges_between
from internationale.core.visibility import Viewer, mask
from internationale.organizations.models import Organization

from .accountability import share_of_tasks
from .models import Agreement, AgreementParty, Invitation, Meeting, Task

LIMIT = 50


@dataclass
class RelationHistory:
    organization: Organization
    other: Organization
    meetings: list[Meeting]
    delegations: list[Meeting]
    agreements: list[Agreement]
    exchanges: list[tuple[ExchangeSource, list[Exchange]]]


def _took_part(organization: Organization) -> Q:
    accepted = Invitation.objects.filter(
        organization=organization, status=Invitation.Status.ACCEPTED
    ).values("meeting_id")
    return Q(organization=organization) | Q(pk__in=accepted)


def meetings_together(viewer: ViewerLike, a: Organization, b: Organization) -> QuerySet[Meeting]:
    """The meetings both took part in (hosting, or invited and accepted), the latest first."""
    return (
        Meeting.objects.visible_to(viewer)
        .filter(_took_part(a))
        .filter(_took_part(b))
        .select_related("organization")
        .order_by("-start_at", "-pk")
    )


def delegations_between(viewer: ViewerLike, a: Organization, b: Organization) -> QuerySet[Meeting]:
    """The delegation visits one sent to the other, the latest first."""
    return (
        Meeting.objects.visible_to(viewer)
        .filter(kind=Meeting.Kind.DELEGATION)
        .filter(Q(sender=a, receiver=b) | Q(sender=b, receiver=a))
        .select_related("organization", "sender", "receiver")
        .order_by("-start_at", "-pk")
    )


def agreements_together(
    viewer: ViewerLike, a: Organization, b: Organization
) -> QuerySet[Agreement]:
    """The agreements with both as parties, with their tasks, the latest first."""
    of_a = AgreementParty.objects.filter(organization=a).values("agreement_id")
    of_b = AgreementParty.objects.filter(organization=b).values("agreement_id")
    return (
        Agreement.objects.visible_to(viewer)
        .filter(pk__in=of_a)
        .filter(pk__in=of_b)
        .select_related("meeting")
        .prefetch_related(Prefetch("tasks", queryset=Task.objects.select_related("organization")))
        .order_by("-adopted_on", "-pk")
    )


def relation_history(*, viewer: ViewerLike, slug: str, other: str) -> RelationHistory:
    """For the people of the organization at `slug` (any role), its history with the one at
    `other`; 404 for anyone else, and for an unknown or the same organization."""
    organization = Organization.objects.filter(slug=slug).first()
    partner = Organization.objects.filter(slug=other).first()
    if (
        organization is None
        or partner is None
        or partner.pk == organization.pk
        or not as_actor(viewer).has_perm("cooperation.view_commitments", organization)
    ):
        raise Http404
    meetings = meetings_together(viewer, organization, partner).exclude(
        kind=Meeting.Kind.DELEGATION
    )
    agreements = list(agreements_together(viewer, organization, partner)[:LIMIT])
    who = Viewer(viewer)
    for agreement in agreements:
        tasks = list(agreement.tasks.all())
        agreement.share = share_of_tasks(tasks)  # type: ignore[attr-defined]
        mask(tasks, who)  # the evidence: for the responsible organization and the host only
    return RelationHistory(
        organization=organization,
        other=partner,
        meetings=list(meetings[:LIMIT]),
        delegations=list(delegations_between(viewer, organization, partner)[:LIMIT]),
        agreements=agreements,
        exchanges=exchanges_between(viewer, organization.pk, partner.pk, LIMIT),
    )
