"""Reads of organizations and what hangs off them, filtered by what the viewer may see."""

import itertools
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.urls import get_script_prefix
from django.utils.translation import get_language

from internationale.core.predicates import in_network, organizations_of

from .models import (
    Employer,
    Membership,
    Organization,
    OrganizationLanguage,
    OrganizationSector,
    Presence,
    Relation,
    Vouch,
)
from .reference import countries_in

T = TypeVar("T")


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


def _visible_organizations(viewer: Any) -> QuerySet[Organization]:
    """Verified organizations are public. An unverified one is seen by its own people and by the
    network (members of verified organizations and operators), who may vouch for it; not by the
    public nor by other unverified organizations."""
    qs = Organization.objects.all()
    if in_network(viewer):
        return qs
    return qs.filter(Q(verified_at__isnull=False) | Q(pk__in=organizations_of(viewer)))


def organization_list(
    *, viewer: Any, filters: DirectoryFilters | None = None
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


# The directory's answers, kept for a few seconds ---------------------------------------------------
#
# The directory (page and API) answers the same to everyone who may see the same organizations, and
# its queries (a count over the table, the filters, the page, its languages and sectors) cost most
# of its time. Its answers are kept per process, by everything they depend on:
# - the directory's version: a counter that every write to what it shows (organizations, their
#   languages and sectors, presences, employers) moves on, at the write and again at its commit,
#   so no answer read before a commit outlives it;
# - what the viewer may see (`directory_viewer`), the language, the script prefix, and the query;
# and for INTERNATIONALE_DIRECTORY_CACHE_SECONDS at most: another process of the same server does
# not see this one's counter, so its writes show here within that time.
# Inside a transaction (tests, or a view that writes) nothing is kept or read: what it sees may be
# its own uncommitted writes, or be rolled back.

_directory_version = itertools.count()
_version = next(_directory_version)


def _directory_changed(**kwargs: Any) -> None:
    global _version
    _version = next(_directory_version)


def _directory_written(sender: Any, **kwargs: Any) -> None:
    _directory_changed()
    transaction.on_commit(_directory_changed)


for _model in (Organization, OrganizationLanguage, OrganizationSector, Presence, Employer):
    post_save.connect(_directory_written, sender=_model, dispatch_uid=f"directory:{_model}")
    post_delete.connect(_directory_written, sender=_model, dispatch_uid=f"directory-:{_model}")


def directory_viewer(viewer: Any, *, employer: bool) -> Hashable:
    """What decides which organizations, and which presences, `organization_list` shows to the
    viewer: whether it is in the network, and its own organizations (to all but the network, its
    unverified ones; to everyone, its presences, which count only with the employer filter)."""
    network = in_network(viewer)
    mine = tuple(sorted(organizations_of(viewer))) if employer or not network else ()
    return (network, mine)


def directory_cache_key(viewer_class: Hashable, *parts: Hashable) -> Hashable | None:
    """The key of a directory answer, or None when it must not be kept (in a transaction)."""
    if connection.in_atomic_block or settings.INTERNATIONALE_DIRECTORY_CACHE_SECONDS <= 0:
        return None
    return (_version, get_language(), get_script_prefix(), viewer_class, *parts)


class DirectoryCache:
    """Answers by key, for INTERNATIONALE_DIRECTORY_CACHE_SECONDS; a bound on the entries keeps odd
    queries from piling up. Threads may compute the same entry twice, which is harmless."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable | None, compute: Callable[[], T]) -> T:
        if key is None:
            return compute()
        now = time.monotonic()
        entry = self.entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        value = compute()
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[key] = (now + settings.INTERNATIONALE_DIRECTORY_CACHE_SECONDS, value)
        return value

    def clear(self) -> None:
        self.entries.clear()


def organization_get(*, viewer: Any, slug: str) -> Organization:
    org = (
        _visible_organizations(viewer)
        .filter(slug=slug)
        .prefetch_related("languages", "sectors")
        .first()
    )
    if org is None:
        raise Http404
    return org


def organization_for_member(*, viewer: Any, slug: str, perm: str) -> Organization:
    """An organization the viewer holds a permission on; 404 otherwise, as if it did not exist."""
    org = organization_get(viewer=viewer, slug=slug)
    if not viewer.has_perm(perm, org):
        raise Http404
    return org


def membership_list(*, viewer: Any, organization: Organization) -> QuerySet[Membership]:
    if not viewer.has_perm("organizations.view_members", organization):
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


def memberships_of(*, viewer: Any) -> QuerySet[Membership]:
    if not getattr(viewer, "is_authenticated", False):
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=viewer)
        .select_related("organization")
        .order_by("organization__name")
    )


def relation_list(
    *, viewer: Any, organization: Organization, include_pending: bool = False
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


def relation_get(*, viewer: Any, pk: int) -> Relation:
    mine = organizations_of(viewer)
    relation = (
        Relation.objects.select_related("proposer", "partner")
        .filter(Q(proposer__in=mine) | Q(partner__in=mine), pk=pk)
        .first()
    )
    if relation is None:
        raise Http404
    return relation


def employer_list(*, viewer: Any, q: str = "") -> QuerySet[Employer]:
    qs = Employer.objects.all()
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.prefetch_related("sites").order_by("name")


def employer_get(*, viewer: Any, slug: str) -> Employer:
    employer = Employer.objects.prefetch_related("sites").filter(slug=slug).first()
    if employer is None:
        raise Http404
    return employer


def presence_list(
    *, viewer: Any, employer: Employer | None = None, organization: Organization | None = None
) -> QuerySet[Presence]:
    qs = Presence.objects.visible_to(viewer).filter(organization__in=_visible_organizations(viewer))
    if employer is not None:
        qs = qs.filter(employer=employer)
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.select_related("organization", "employer", "site").order_by(
        "employer__name", "site__country"
    )


def vouch_list(*, viewer: Any, organization: Organization) -> QuerySet[Vouch]:
    """The standing vouches for an organization the viewer may see, naming only vouchers the
    viewer may see."""
    if not viewer.has_perm("organizations.see_organization", organization):
        raise Http404
    # Who vouches for whom is a link between organizations: the public does not see it.
    if not (in_network(viewer) or organization.pk in organizations_of(viewer)):
        return Vouch.objects.none()
    return Vouch.objects.filter(
        organization=organization,
        withdrawn_at__isnull=True,
        voucher__in=_visible_organizations(viewer).values("pk"),
    ).select_related("voucher")
