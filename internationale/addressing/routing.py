"""Who something addressed goes to, and why.

Routing works on an `Origin`: what the addressed thing (an appeal, later a statement, a meeting, a
day of action) declares about itself. `route` is pure: it reads, it writes nothing. It runs one
query per criterion, each returning the organizations it matches with what matched, so its cost
does not grow with the number of addressees in queries, only in rows. Only verified organizations
are candidates, never the issuer itself.
"""

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django_countries import countries as iso_countries

from internationale.organizations.models import (
    Organization,
    OrganizationLanguage,
    OrganizationSector,
    Presence,
    Relation,
)
from internationale.organizations.reference import (
    countries_in,
    language_name,
    region_name,
    region_of,
    regions,
    sectors,
    subregion_of,
)

from .models import Ring

# What routing reads of an organization: enough to show and to address it.
ORG_FIELDS = ("id", "name", "short_name", "slug", "country", "verified_at")


@dataclass(frozen=True)
class Origin:
    """What routing needs to know about the thing being addressed."""

    issuer_id: int  # the organization it comes from: never one of its addressees
    country: str  # ISO 3166 code: where it happens; the region ring widens around it
    languages: tuple[str, ...] = ()  # BCP 47 tags it is written in, beside the issuer's own
    employer_id: int | None = None  # the employer it concerns, if any


@dataclass(frozen=True)
class Reason:
    """Why an organization was proposed: a code and the names it needs, worded when shown, in the
    reader's language."""

    code: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    @lru_cache(maxsize=4096)  # noqa: B019 -- a few distinct reasons, shared by thousands of rows
    def of(cls, code: str, **params: Any) -> "Reason":
        return cls(code, tuple(sorted(params.items())))

    def as_json(self) -> list[Any]:
        return [self.code, dict(self.params)]

    @classmethod
    def from_json(cls, data: list[Any]) -> "Reason":
        return cls.of(data[0], **data[1])

    def __str__(self) -> str:
        p = dict(self.params)
        if self.code == "employer":
            return _("organizes at %(employer)s in %(country)s") % {
                "employer": p["employer"],
                "country": iso_countries.name(p["country"]) or p["country"],
            }
        if self.code == "relation":
            kind = str(Relation.Kind(p["kind"]).label)
            if p.get("since"):
                return _("%(relation)s since %(year)s") % {
                    "relation": kind.lower(),
                    "year": p["since"],
                }
            return kind.lower()
        if self.code == "sector":
            return _("same sector: %(sector)s") % {"sector": sectors().get(p["sector"], "")}
        if self.code == "country":
            return _("in %(country)s") % {"country": iso_countries.name(p["country"])}
        if self.code == "language":
            return _("shares the language %(language)s") % {
                "language": language_name(p["language"])
            }
        if self.code == "manual":
            return _("added by hand")
        # A meeting's next edition invites who took part in the last one (cooperation/series.py).
        if self.code == "previous_edition":
            return _("took part in the previous edition")
        # Rings widen appeals alone so far: the next addressed thing to widen words its own.
        if self.code == "region":
            return _("the appeal was widened to %(region)s") % {"region": region_name(p["region"])}
        if self.code == "network":
            return _("the appeal was widened to the whole network")
        if self.code == "passed":
            return _("passed on by %(organization)s") % {"organization": p["organization"]}
        return self.code


@dataclass
class Criteria:
    """What the issuer combines to choose addressees. `ring` is widened by escalation."""

    employer: bool = False  # organizations at the origin's employer, any site, any country
    sector: bool = False  # organizations in one of the issuer's sectors
    relations: bool = False  # the issuer's accepted relations, either direction
    languages: bool = False  # organizations sharing a language with the issuer or the origin
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)  # UN M49 regions or subregions
    add: list[int] = field(default_factory=list)
    remove: list[int] = field(default_factory=list)
    ring: int = Ring.CHOSEN

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> "Criteria":
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in (data or {}).items() if k in known})

    def clean(self) -> "Criteria":
        """Normalized, or ValidationError naming what is wrong."""
        codes = [c.strip().upper() for c in self.countries]
        unknown = [c for c in codes if not iso_countries.alpha2(c)]
        if unknown:
            raise ValidationError(
                {
                    "countries": ValidationError(
                        _("Unknown country code: %(codes)s.") % {"codes": ", ".join(unknown)},
                        code="invalid_country",
                    )
                }
            )
        known_regions = set(regions()) | {subregion_of(code) for code in dict(iso_countries)}
        unknown = [r for r in self.regions if r not in known_regions]
        if unknown:
            raise ValidationError(
                {
                    "regions": ValidationError(
                        _("Unknown region: %(names)s.") % {"names": ", ".join(unknown)},
                        code="invalid_region",
                    )
                }
            )
        self.countries = list(dict.fromkeys(codes))
        self.add = [int(pk) for pk in self.add]
        self.remove = [int(pk) for pk in self.remove]
        return self


class Candidate:
    """An organization routing chose as an addressee, and the reasons why.

    Its `organization` is built when first read: sending needs only the id, and building thousands
    of model instances would cost more than the queries that found them.
    """

    __slots__ = ("organization_id", "reasons", "_row", "_fields", "_organization")

    def __init__(
        self,
        row: tuple[Any, ...],
        reasons: list[Reason] | None = None,
        fields: tuple[str, ...] = (),
    ) -> None:
        self.organization_id: int = row[0]
        self.reasons: list[Reason] = reasons or []
        self._row = row
        self._fields = fields or ORG_FIELDS
        self._organization: Organization | None = None

    @property
    def organization(self) -> Organization:
        """The organization, with the fields routing read (any other is loaded when read)."""
        if self._organization is None:
            fields = self._fields
            self._organization = Organization.from_db(
                Organization.objects.db, list(fields), self._row[: len(fields)]
            )
        return self._organization

    @classmethod
    def of(cls, organization_id: int, reasons: list[Reason]) -> "Candidate":
        """An organization chosen without routing (added by hand, passed on): its id suffices."""
        return cls((organization_id,), reasons, ("id",))

    @property
    def name(self) -> str:
        return str(self._row[1]) if len(self._row) > 1 else ""

    @property
    def country(self) -> str:
        """The organization's country code, read without building the organization."""
        return str(self._row[self._fields.index("country")]) if "country" in self._fields else ""

    def __repr__(self) -> str:
        return f"<Candidate {self.name}: {', '.join(r.code for r in self.reasons)}>"


Row = tuple[Any, ...]

# What sending reads of an organization: its id, its name (the order of the addressees) and its
# country (a reason). Fewer columns, and no timestamp to parse: a send reads thousands of rows.
SEND_FIELDS = ("id", "name", "country")


@dataclass(frozen=True)
class Scope:
    """A part of the candidates, so that a send to tens of thousands is routed piece by piece:
    the organizations whose id is in (`after`, `upto`], less those in `exclude`, and at most
    `limit` rows per criterion (enough to tell whether any organization is chosen)."""

    after: int | None = None
    upto: int | None = None
    exclude: tuple[int, ...] = ()
    limit: int | None = None

    def apply(self, qs: QuerySet[Any], path: str) -> QuerySet[Any]:
        """`qs` restricted to the scope, its organization's id reached by `path`."""
        if self.after is not None:
            qs = qs.filter(**{f"{path}__gt": self.after})
        if self.upto is not None:
            qs = qs.filter(**{f"{path}__lte": self.upto})
        if self.exclude:
            qs = qs.exclude(**{f"{path}__in": self.exclude})
        return qs[: self.limit] if self.limit is not None else qs


WHOLE = Scope()


def _candidates(origin: Origin) -> QuerySet[Organization]:
    return Organization.objects.filter(verified_at__isnull=False).exclude(pk=origin.issuer_id)


def _via(model: Any, origin: Origin) -> QuerySet[Any]:
    """A table hanging off Organization, restricted to candidate organizations."""
    return model.objects.filter(organization__verified_at__isnull=False).exclude(
        organization_id=origin.issuer_id
    )


# Each criterion reads rows, not model instances: the organization's fields (`fields`, which
# start with "id" and "name" and include "country"), then what matched, of the organizations in
# `scope`.


def _by_employer(
    origin: Origin, fields: tuple[str, ...], scope: Scope
) -> Iterable[tuple[Row, Reason]]:
    if origin.employer_id is None:
        return
    n, country_at = len(fields), fields.index("country")
    # A presence kept private is known to its organization alone: it routes nothing.
    rows = (
        _via(Presence, origin)
        .filter(employer_id=origin.employer_id)
        .exclude(visibility="private")
        # By site country, so that an organization at several sites lists them in one order.
        .order_by("site__country", "organization_id")
        # The employer's name comes with the rows (a join), not with a query of its own.
        .values_list(*[f"organization__{f}" for f in fields], "site__country", "employer__name")
    )
    for row in scope.apply(rows, "organization_id"):
        country = str(row[n] or row[country_at])
        yield row[:n], Reason.of("employer", employer=row[n + 1], country=country)


def _by_sector(
    origin: Origin, fields: tuple[str, ...], scope: Scope
) -> Iterable[tuple[Row, Reason]]:
    mine = OrganizationSector.objects.filter(organization_id=origin.issuer_id).values("code")
    n = len(fields)
    rows = (
        _via(OrganizationSector, origin)
        .filter(code__in=mine)
        .values_list(*[f"organization__{f}" for f in fields], "code")
    )
    for row in scope.apply(rows, "organization_id"):
        yield row[:n], Reason.of("sector", sector=row[n])


def _by_relation(
    origin: Origin, fields: tuple[str, ...], scope: Scope
) -> Iterable[tuple[Row, Reason]]:
    issuer = origin.issuer_id
    n = len(fields)
    accepted = Relation.objects.filter(status=Relation.Status.ACCEPTED)
    for side, other in (("proposer", "partner"), ("partner", "proposer")):
        rows = (
            accepted.filter(**{f"{side}_id": issuer, f"{other}__verified_at__isnull": False})
            .order_by("since")
            .values_list(*[f"{other}__{f}" for f in fields], "kind", "since")
        )
        for row in scope.apply(rows, f"{other}_id"):
            since = row[n + 1].year if row[n + 1] else None
            yield row[:n], Reason.of("relation", kind=row[n], since=since)


def _base_language(tag: str) -> str:
    return tag.split("-")[0].lower()


def _by_language(
    origin: Origin, fields: tuple[str, ...], scope: Scope
) -> Iterable[tuple[Row, Reason]]:
    tags = list(
        OrganizationLanguage.objects.filter(organization_id=origin.issuer_id).values_list(
            "tag", flat=True
        )
    )
    bases = sorted({_base_language(t) for t in [*tags, *origin.languages] if t})
    if not bases:
        return
    n = len(fields)
    # "pt" matches "pt" and "pt-BR": languages are shared by their primary subtag.
    match = Q()
    for base in bases:
        match |= Q(tag__iexact=base) | Q(tag__istartswith=base + "-")
    rows = (
        _via(OrganizationLanguage, origin)
        .filter(match)
        .values_list(*[f"organization__{f}" for f in fields], "tag")
    )
    for row in scope.apply(rows, "organization_id"):
        yield row[:n], Reason.of("language", language=_base_language(row[n]))


def _by_place(
    origin: Origin, criteria: Criteria, fields: tuple[str, ...], scope: Scope
) -> Iterable[tuple[Row, Reason]]:
    codes = {c.upper() for c in criteria.countries}
    for region in criteria.regions:
        codes.update(countries_in(region))
    if not codes:
        return
    country_at = fields.index("country")
    reasons: dict[Any, Reason] = {}  # one per country, not one per organization
    rows = _candidates(origin).filter(country__in=sorted(codes)).values_list(*fields)
    for row in scope.apply(rows, "pk"):
        reason = reasons.get(row[country_at])
        if reason is None:
            reason = reasons[row[country_at]] = Reason.of("country", country=str(row[country_at]))
        yield row, reason


def _by_ring(
    origin: Origin, ring: int, fields: tuple[str, ...], scope: Scope
) -> Iterable[tuple[Row, Reason]]:
    if ring >= Ring.NETWORK:
        widened = Reason.of("network")
        for row in scope.apply(_candidates(origin).values_list(*fields), "pk"):
            yield row, widened
        return
    if ring >= Ring.REGION:
        region = region_of(str(origin.country))
        if region:
            widened = Reason.of("region", region=region)
            rows = _candidates(origin).filter(country__in=countries_in(region))
            for row in scope.apply(rows.values_list(*fields), "pk"):
                yield row, widened


def route(
    origin: Origin,
    criteria: Criteria,
    *,
    fields: tuple[str, ...] = ORG_FIELDS,
    scope: Scope = WHOLE,
    ordered: bool = True,
) -> list[Candidate]:
    """The organizations something from `origin` would go to with these criteria (widened to
    `criteria.ring`), each with its reasons.

    Strongest first (most reasons), then by name. `fields` are the organization's fields read:
    by default what a preview shows; sending passes SEND_FIELDS, the same candidates in the same
    order, reading less. `scope` restricts them to a range of ids (see `route_in_batches`);
    `ordered=False` leaves them unsorted, for a send, which records them in any order.
    """
    if fields[:2] != ("id", "name") or "country" not in fields:
        raise ValueError("routing reads at least an organization's id, name and country")
    found: dict[int, Candidate] = {}

    def take(pairs: Iterable[tuple[Row, Reason]]) -> None:
        get = found.get
        for row, reason in pairs:
            candidate = get(row[0])
            if candidate is None:
                found[row[0]] = Candidate(row, [reason], fields)
            elif reason not in candidate.reasons:
                candidate.reasons.append(reason)

    if criteria.employer:
        take(_by_employer(origin, fields, scope))
    if criteria.sector:
        take(_by_sector(origin, fields, scope))
    if criteria.relations:
        take(_by_relation(origin, fields, scope))
    if criteria.languages:
        take(_by_language(origin, fields, scope))
    take(_by_place(origin, criteria, fields, scope))
    take(_by_ring(origin, criteria.ring, fields, scope))
    if criteria.add:
        manual = Reason.of("manual")
        rows = _candidates(origin).filter(pk__in=criteria.add).values_list(*fields)
        take((row, manual) for row in scope.apply(rows, "pk"))
    return _chosen(found, criteria.remove, ordered)


def _chosen(found: dict[int, Candidate], remove: list[int], ordered: bool) -> list[Candidate]:
    for pk in remove:
        found.pop(pk, None)
    if not ordered:
        return list(found.values())
    # The name is the row's second value: read directly, not through a property, for thousands.
    return sorted(
        found.values(), key=lambda c: (-len(c.reasons), str(c._row[1]), c.organization_id)
    )


def route_chooses_any(origin: Origin, criteria: Criteria) -> bool:
    """Whether these criteria choose at least one organization: one row at most per criterion,
    whatever the size of the network. What a send checks before it answers."""
    scope = Scope(exclude=tuple(criteria.remove), limit=1)
    return bool(route(origin, criteria, fields=("id", "name", "country"), scope=scope))


def route_in_batches(
    origin: Origin, criteria: Criteria, *, fields: tuple[str, ...] = ORG_FIELDS, size: int = 2000
) -> Iterator[list[Candidate]]:
    """What `route` chooses, in batches of the candidates of at most `size` organizations (by
    ascending id), each batch routed on its own: a send to the whole network never holds more
    than one batch. Each organization falls in one batch, with all its reasons; the batches are
    not in `route`'s order (strongest first), which a send does not need."""
    candidates = _candidates(origin).order_by("pk").values_list("pk", flat=True)
    after: int | None = None
    while True:
        # The id that ends this batch: one indexed read, however large the network.
        rest = candidates if after is None else candidates.filter(pk__gt=after)
        ends = list(rest[size - 1 : size])
        upto = ends[0] if ends else None
        scope = Scope(after=after, upto=upto)
        batch = route(origin, criteria, fields=fields, scope=scope, ordered=False)
        if batch:
            yield batch
        if upto is None:
            return
        after = upto
