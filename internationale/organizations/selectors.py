"""Reads of organizations and what hangs off them, filtered by what the viewer may see."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.http import Http404

from internationale.core.actors import ViewerLike, as_actor, person
from internationale.core.predicates import SPEAKING_ROLES, in_network, organizations_of
from internationale.core.search import (
    estimated_matches,
    index_matches_sql,
    joined_matches,
    search_filter,
)
from internationale.core.text import name_key

from .models import (
    Employer,
    Membership,
    Organization,
    OrganizationLanguage,
    Presence,
    Relation,
    Vouch,
    filter_words,
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


def _exact_words(f: DirectoryFilters) -> list[str | None]:
    return filter_words(
        country=f.country,
        regions=[f.region] if f.region else [],
        kind=f.kind,
        sectors=[f.sector] if f.sector else [],
        languages=[f.language] if f.language else [],
    )


def _index_filter(f: DirectoryFilters, walk: bool = False) -> tuple[bool, Q | None]:
    """Whether the filters go through the index of words, and its filter (None: nothing is
    found). Country, region, kind, sector and language are words of filter_text, in the same
    index as the words of the name, short name and city (core/search.py): any combination of
    them, with or without a search, is one lookup."""
    exact = _exact_words(f)
    if not (f.q or exact):
        return False, None
    if None in exact or (f.region and not countries_in(f.region)):
        return True, None
    found = search_filter(
        f.q,
        column="search_text",
        fts_table="organizations_search",
        exact=[word for word in exact if word],
        exact_column="filter_text",
        walk=walk,
        stored=True,
        table=Organization._meta.db_table,
    )
    return True, found


def _estimated_matches(f: DirectoryFilters) -> float | None:
    """On PostgreSQL, about how many organizations the filters' words match (core.search's
    `estimated_matches`, from the statistics of the stored vectors: no row read)."""
    return estimated_matches(
        f.q,
        table=Organization._meta.db_table,
        column="search_text",
        exact=[word for word in _exact_words(f) if word],
        exact_column="filter_text",
    )


def organization_list(
    *,
    viewer: ViewerLike,
    filters: DirectoryFilters | None = None,
    many: bool = False,
    counting: bool = False,
) -> QuerySet[Organization]:
    """The organizations the viewer may see that match the filters, by name (then id).

    `many` says that the database should walk the index of names and test each row against the
    matches, a page being full after a few steps: for when many rows match, spread over the
    order (`organization_found` decides). Otherwise it reads the matches from the index of words
    and sorts them. Either way, no page reads every row of the directory.

    `counting`: for a count up to a bound (`count_at_most`), on SQLite the index of words is
    joined rather than tested (core.search.joined_matches), so that the count stops at its bound
    instead of listing every match first."""
    f = filters or DirectoryFilters()
    qs = _visible_organizations(viewer)
    indexed, found = _index_filter(f, walk=many)
    if indexed:
        if found is None:
            qs = qs.none()
        elif counting:
            qs = joined_matches(qs, found)
        else:
            qs = qs.filter(found)
    if f.employer:
        presences = Presence.objects.visible_to(viewer).filter(
            organization=OuterRef("pk"), employer__slug=f.employer
        )
        qs = qs.filter(Exists(presences))
    if f.verified is True:
        qs = qs.filter(verified_at__isnull=False)
    elif f.verified is False:
        qs = qs.filter(verified_at__isnull=True)
    name: Any = "name"
    if indexed and not many and connection.vendor == "postgresql":
        # PostgreSQL's planner cannot tell how many rows a word's beginning matches, nor where
        # they lie in the order, and would walk the index of names, row by row, through all of
        # them for a page that few rows fill, or through half of them for the words that begin
        # names ("metal"): an expression of the same order makes it read the matches from the
        # index of words, then sort them. With `many`, the tests that no index answers
        # (core.search's `walk`) make it walk the order instead.
        name = Concat("name", Value(""))
    return qs.prefetch_related(
        Prefetch("languages", queryset=OrganizationLanguage.objects.order_by("id")), "sectors"
    ).order_by(name, "pk")


# The directory counts what it finds up to this many, and lists them page by page up to there:
# beyond, a count costs a scan of everything found. Narrower filters, or the API's cursor, go on.
COUNTED_AT_MOST = 1000

# Up to this many matches in the index of words, the directory sorts them rather than walk its
# order (SQLite). Sorting costs about a millisecond a thousand matches, wherever they lie; a walk
# costs the steps until a page is full, which for matches that lie together in the order (the
# word that begins 5,000 names, "metal") is half of the directory, and for a word spread over
# every name (20,000 "union") a few hundred. Beyond this many, a walk is the cheaper bet.
SORTED_AT_MOST = 10_000

# The same on PostgreSQL, against the matches its statistics estimate (core.search's
# `estimated_matches`): sorting reads each match in the table, about 1.3 ms a thousand at 100,000
# organizations, while a walk reads the index of names and vectors alone, about 0.2 ms a thousand
# rows (0.3 to 20 ms for a page, as the matches lie); see bench/README.md.
SORTED_AT_MOST_POSTGRESQL = 8_000


def count_at_most(
    queryset: QuerySet,
    limit: int = COUNTED_AT_MOST,
    matches: Q | None = None,
    ordered: bool = False,
) -> tuple[int, bool, int | None]:
    """How many rows `queryset` finds, counted up to `limit`: the count, whether there are more,
    and, with `matches` (`search_filter`'s answer) on SQLite, how many rows its index matches
    up to SORTED_AT_MOST + 1 (None otherwise), in the same query. `ordered` counts the first rows
    in the queryset's order, for when the database walks that order (a count in no order may
    read the table instead)."""
    bounded = (queryset if ordered else queryset.order_by())[: limit + 1]
    index = index_matches_sql(matches, SORTED_AT_MOST + 1)
    if index is None:
        found = bounded.count()
        return min(found, limit), found > limit, None
    sql, params = bounded.values("pk").query.sql_with_params()
    index_sql, index_params = index
    with connection.cursor() as cursor:
        # Django's own SQL and the index's constant table; every value is a parameter.
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM ({sql})), {index_sql}",  # noqa: S608
            [*params, *index_params],
        )
        found, in_index = cursor.fetchone()
    return min(found, limit), found > limit, in_index


@dataclass
class DirectoryFound:
    organizations: QuerySet[Organization]  # in the directory's order
    count: int  # up to COUNTED_AT_MOST
    more: bool  # more than `count` match


def organization_found(
    *, viewer: ViewerLike, filters: DirectoryFilters | None = None
) -> DirectoryFound:
    """What the directory finds, counted up to COUNTED_AT_MOST, then listed the way that count
    makes cheapest (`organization_list`'s `many`): over COUNTED_AT_MOST found, a walk of the
    order, but on SQLite only over SORTED_AT_MOST matches in the index (fewer are sorted).

    On PostgreSQL, a search is walked when its statistics estimate over SORTED_AT_MOST_POSTGRESQL
    matches, and counted by the same walk (a count of the matches in the index would read each
    of them in the table: as much as sorting them); when that count finds no more than
    COUNTED_AT_MOST, they are sorted after all."""
    f = filters or DirectoryFilters()
    if f.q and connection.vendor == "postgresql":
        common = (_estimated_matches(f) or 0) > SORTED_AT_MOST_POSTGRESQL
        count, more, _ = count_at_most(
            organization_list(viewer=viewer, filters=f, many=common, counting=True),
            ordered=common,
        )
        organizations = organization_list(viewer=viewer, filters=f, many=common and more)
        return DirectoryFound(organizations, count, more)
    # Filters alone are spread over every name: a walk fills a page in a few steps. The words of
    # a search may begin names and lie together in the order: sorted, unless very many match.
    matches = _index_filter(f)[1] if f.q else None
    count, more, in_index = count_at_most(
        organization_list(viewer=viewer, filters=f, counting=True), matches=matches
    )
    walk = more and (in_index is None or in_index > SORTED_AT_MOST)
    organizations = organization_list(viewer=viewer, filters=f, many=walk)
    return DirectoryFound(organizations, count, more)


def directory_slice(organizations: QuerySet[Organization], start: int, stop: int) -> QuerySet:
    """`organizations[start:stop]` in one query of two steps: the ids of the slice, read in the
    index of the directory's order (without the table, however far `start` is), then the rows of
    those ids alone. A plain slice reads every row before `start` in full."""
    ids = organizations.prefetch_related(None).values("pk")[start:stop]
    return Organization.objects.filter(pk__in=ids).order_by("name", "pk")


@dataclass
class DirectoryPage:
    organizations: list[Organization]
    count: int  # up to COUNTED_AT_MOST
    more: bool  # more than `count` match
    has_next: bool


def organization_page(
    *,
    viewer: ViewerLike,
    filters: DirectoryFilters | None = None,
    limit: int,
    offset: int = 0,
    after: tuple[str, int] | None = None,
) -> DirectoryPage:
    """A page of the directory in its order (name, then id): from `offset`, or after the
    organization whose (name, id) is `after` (keyset pagination: as fast far on as at the start,
    and nothing skipped or shown twice when organizations come and go in between)."""
    found = organization_found(viewer=viewer, filters=filters)
    qs = found.organizations
    if after is not None:
        name, pk = after
        # name >= first lets the database start from there in its index of (name, id).
        qs = qs.filter(Q(name__gte=name), Q(name__gt=name) | Q(pk__gt=pk))
    rows = list(directory_slice(qs, offset, offset + limit + 1))
    with_tags_and_codes(rows[:limit])
    return DirectoryPage(rows[:limit], found.count, found.more, has_next=len(rows) > limit)


def tags_and_codes(pks: list[int]) -> dict[int, tuple[list[str], list[str]]]:
    """{organization: (its language tags in the order given, its sector codes by code)}, in one
    query, for a page of the directory: what prefetching its languages and sectors reads, without
    a model instance and a queryset per organization (most of a page's time in the API)."""
    found: dict[int, tuple[list[str], list[str]]] = {pk: ([], []) for pk in pks}
    pairs = (
        Organization.objects.filter(pk__in=pks)
        .order_by("pk", "languages__id", "sectors__code")
        .values_list("pk", "languages__tag", "sectors__code")
    )
    for pk, tag, code in pairs:
        tags, codes = found[pk]
        if tag is not None and tag not in tags:
            tags.append(tag)
        if code is not None and code not in codes:
            codes.append(code)
    return found


def with_tags_and_codes(organizations: list[Organization]) -> None:
    """Sets `directory_tags` and `directory_codes` on each organization (`tags_and_codes`), which the API's schema
    reads instead of its languages and sectors."""
    found = tags_and_codes([org.pk for org in organizations])
    for org in organizations:
        org.directory_tags, org.directory_codes = found[org.pk]  # type: ignore[attr-defined]


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


def verified_spoken_for(*, viewer: ViewerLike) -> list[Organization]:
    """The verified organizations the viewer speaks for (admin or secretary), by name: those it
    may issue appeals and vouch in the name of."""
    return [
        m.organization
        for m in memberships_of(viewer=viewer)
        if m.role in SPEAKING_ROLES and m.organization.is_verified
    ]


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


def proposals_to_answer(*, viewer: ViewerLike) -> QuerySet[Relation]:
    """Relations proposed to an organization the viewer speaks for, awaiting its answer."""
    speaking = organizations_of(viewer, SPEAKING_ROLES)
    return (
        Relation.objects.filter(partner_id__in=speaking, status=Relation.Status.PROPOSED)
        .select_related("proposer", "partner")
        .order_by("created_at", "pk")
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


# Lines a form may name organizations on: each costs a query or two.
NAMED_AT_MOST = 50


def verified_slugs_by_name(lines: list[str]) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """Verified organizations (which everyone may see) named by each line: its address (slug),
    else its name or short name, without regard to case. Returns the slugs found in order, the
    names that match none, and those that match several (with their slugs). A line that names
    none as a whole may list several, separated by commas or semicolons ("gtl, klwu"), or
    addresses separated by spaces. At most NAMED_AT_MOST lines are read."""
    verified = Organization.objects.filter(verified_at__isnull=False)

    def matching(name: str) -> list[str]:
        # An address names one organization: it wins over a name another one has.
        by_slug = list(verified.filter(slug=name.lower()).values_list("slug", flat=True))
        if by_slug:
            return by_slug
        named = Q(name__iexact=name) | Q(short_name__iexact=name)
        return list(verified.filter(named).values_list("slug", flat=True)[:6])

    slugs: list[str] = []
    unknown: list[str] = []
    ambiguous: dict[str, list[str]] = {}
    for line in lines[:NAMED_AT_MOST]:
        whole = matching(line)
        names = [part.strip() for part in re.split(r"[,;]", line) if part.strip()]
        if whole or names == [line]:
            parts = [(line, whole)]
        else:
            parts = [(name, matching(name)) for name in names]
        for part, matches in parts:
            words = [word.lower() for word in part.split()]
            if not matches and len(words) > 1:
                found = set(verified.filter(slug__in=words).values_list("slug", flat=True))
                if found == set(words):
                    slugs += words
                    continue
            if len(matches) == 1:
                slugs.append(matches[0])
            elif matches:
                ambiguous[part] = sorted(matches)
            else:
                unknown.append(part)
    return list(dict.fromkeys(slugs)), unknown, ambiguous


# Near-duplicates and verification ----------------------------------------------------------------


def _same_names(
    candidates: QuerySet[Organization], names: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], list[Organization]]:
    """The organizations among `candidates` whose (country, name_key) is one of `names`."""
    wanted = set(names)
    found: dict[tuple[str, str], list[Organization]] = {}
    countries = {country for country, _key in wanted}
    for org in candidates.filter(country__in=countries).order_by("name", "pk"):
        key = (str(org.country), name_key(org.name))
        if key in wanted:
            found.setdefault(key, []).append(org)
    return found


def similar_organizations(
    *, viewer: ViewerLike, name: str, country: str, exclude: int | None = None
) -> list[Organization]:
    """Organizations the viewer may see with the same name, up to case, accents, punctuation and
    spaces (core.text.name_key), in the same country: near-duplicates of one being registered."""
    key = (country.upper(), name_key(name))
    if not key[1]:
        return []
    candidates = _visible_organizations(viewer)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    return _same_names(candidates, [key]).get(key, [])


@dataclass
class PendingOrganization:
    organization: Organization
    vouches: list[Vouch]
    similar: list[Organization] = field(default_factory=list)


def verification_queue(*, viewer: ViewerLike) -> list[PendingOrganization]:
    """The organizations waiting to be verified, oldest first, each with its standing vouches
    and the organizations of the same country with a near-identical name: for operators; 404 for
    anyone else."""
    if not as_actor(viewer).has_perm("organizations.view_verification_queue"):
        raise Http404
    pending = list(
        Organization.objects.filter(verified_at__isnull=True)
        .prefetch_related(
            Prefetch(
                "vouches_received",
                queryset=Vouch.objects.filter(withdrawn_at__isnull=True)
                .select_related("voucher")
                .order_by("created_at"),
                to_attr="standing_vouches",
            )
        )
        .order_by("created_at", "pk")
    )
    keys = {org.pk: (str(org.country), name_key(org.name)) for org in pending}
    same = _same_names(Organization.objects.all(), keys.values())
    return [
        PendingOrganization(
            organization=org,
            vouches=org.standing_vouches,  # type: ignore[attr-defined]
            similar=[o for o in same.get(keys[org.pk], []) if o.pk != org.pk],
        )
        for org in pending
    ]
