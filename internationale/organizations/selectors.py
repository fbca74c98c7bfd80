"""Reads of organizations and what hangs off them, filtered by what the viewer may see."""

from dataclasses import dataclass

from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from internationale.core.actors import ViewerLike, as_actor, person
from internationale.core.predicates import in_network, organizations_of

from .models import (
    Employer,
    Membership,
    Organization,
    OrganizationLanguage,
    Presence,
    Relation,
    Vouch,
)
from .reference import countries_in


@dataclass
class DirectoryFilters:
    q: str = ""
    country: str = ""
    region: str = ""
    kind: str = ""
    sector: str = ""
    language: str = ""
    employer: str = ""  # employer slug
    verified: bool | None = None


def _visible_organizations(viewer: ViewerLike) -> QuerySet[Organization]:
    """Verified organizations are public. An unverified one is seen by its own people and by the
    network (members of verified organizations and operators), who may vouch for it; not by the
    public nor by other unverified organizations."""
    qs = Organization.objects.all()
    if in_network(viewer):
        return qs
    return qs.filter(Q(verified_at__isnull=False) | Q(pk__in=organizations_of(viewer)))


def organization_list(
    *, viewer: ViewerLike, filters: DirectoryFilters | None = None
) -> QuerySet[Organization]:
    f = filters or DirectoryFilters()
    qs = _visible_organizations(viewer)
    if f.q:
        qs = qs.filter(
            Q(name__icontains=f.q) | Q(short_name__icontains=f.q) | Q(city__icontains=f.q)
        )
    if f.country:
        qs = qs.filter(country=f.country.upper())
    if f.region:
        qs = qs.filter(country__in=countries_in(f.region))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.sector:
        qs = qs.filter(sectors__code=f.sector.upper())
    if f.language:
        # "pt" matches "pt" and "pt-BR".
        qs = qs.filter(
            Exists(
                OrganizationLanguage.objects.filter(organization=OuterRef("pk")).filter(
                    Q(tag__iexact=f.language) | Q(tag__istartswith=f.language + "-")
                )
            )
        )
    if f.employer:
        presences = Presence.objects.visible_to(viewer).filter(
            organization=OuterRef("pk"), employer__slug=f.employer
        )
        qs = qs.filter(Exists(presences))
    if f.verified is True:
        qs = qs.filter(verified_at__isnull=False)
    elif f.verified is False:
        qs = qs.filter(verified_at__isnull=True)
    return qs.prefetch_related(
        Prefetch("languages", queryset=OrganizationLanguage.objects.order_by("id")), "sectors"
    ).order_by("name", "pk")


def organization_get(*, viewer: ViewerLike, slug: str) -> Organization:
    org = (
        _visible_organizations(viewer)
        .filter(slug=slug)
        .prefetch_related("languages", "sectors")
        .first()
    )
    if org is None:
        raise Http404
    return org


def organization_for_member(*, viewer: ViewerLike, slug: str, perm: str) -> Organization:
    """An organization the viewer holds a permission on; 404 otherwise, as if it did not exist."""
    org = organization_get(viewer=viewer, slug=slug)
    if not as_actor(viewer).has_perm(perm, org):
        raise Http404
    return org


def membership_list(*, viewer: ViewerLike, organization: Organization) -> QuerySet[Membership]:
    if not as_actor(viewer).has_perm("organizations.view_members", organization):
        raise Http404
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .annotate(
            rank=Case(
                *[When(role=role, then=Value(n)) for n, role in enumerate(Membership.Role.values)],
                default=Value(len(Membership.Role.values)),
            )
        )
        .order_by("rank", "user__email")
    )


def memberships_of(*, viewer: ViewerLike) -> QuerySet[Membership]:
    if not getattr(viewer, "is_authenticated", False):
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=person(viewer))
        .select_related("organization")
        .order_by("organization__name")
    )


def relation_list(
    *, viewer: ViewerLike, organization: Organization, include_pending: bool = False
) -> QuerySet[Relation]:
    """Relations of an organization that the viewer may see."""
    qs = Relation.objects.visible_to(viewer).filter(
        Q(proposer=organization) | Q(partner=organization)
    )
    mine = organizations_of(viewer)
    # A relation names both organizations: to anyone but the two, one that the viewer may not see
    # (not yet verified) hides it.
    visible = _visible_organizations(viewer)
    qs = qs.filter(
        Q(proposer__in=visible, partner__in=visible) | Q(proposer__in=mine) | Q(partner__in=mine)
    )
    statuses = (
        ["accepted", "proposed"] if include_pending and organization.pk in mine else ["accepted"]
    )
    return (
        qs.filter(status__in=statuses)
        .select_related("proposer", "partner")
        .order_by("-since", "-created_at")
    )


def relation_get(*, viewer: ViewerLike, pk: int) -> Relation:
    mine = organizations_of(viewer)
    relation = (
        Relation.objects.select_related("proposer", "partner")
        .filter(Q(proposer__in=mine) | Q(partner__in=mine), pk=pk)
        .first()
    )
    if relation is None:
        raise Http404
    return relation


def employer_list(*, viewer: ViewerLike, q: str = "") -> QuerySet[Employer]:
    qs = Employer.objects.all()
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.prefetch_related("sites").order_by("name")


def employer_get(*, viewer: ViewerLike, slug: str) -> Employer:
    employer = Employer.objects.prefetch_related("sites").filter(slug=slug).first()
    if employer is None:
        raise Http404
    return employer


def presence_list(
    *,
    viewer: ViewerLike,
    employer: Employer | None = None,
    organization: Organization | None = None,
) -> QuerySet[Presence]:
    qs = Presence.objects.visible_to(viewer).filter(organization__in=_visible_organizations(viewer))
    if employer is not None:
        qs = qs.filter(employer=employer)
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.select_related("organization", "employer", "site").order_by(
        "employer__name", "site__country"
    )


def vouch_list(*, viewer: ViewerLike, organization: Organization) -> QuerySet[Vouch]:
    """The standing vouches for an organization the viewer may see, naming only vouchers the
    viewer may see."""
    if not as_actor(viewer).has_perm("organizations.see_organization", organization):
        raise Http404
    # Who vouches for whom is a link between organizations: the public does not see it.
    if not (in_network(viewer) or organization.pk in organizations_of(viewer)):
        return Vouch.objects.none()
    return Vouch.objects.filter(
        organization=organization,
        withdrawn_at__isnull=True,
        voucher__in=_visible_organizations(viewer).values("pk"),
    ).select_related("voucher")
