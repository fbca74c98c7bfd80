"""Who an appeal goes to, and why.

`preview_addressees` is pure: it reads, it writes nothing. It runs one query per criterion, each
returning the organizations it matches with what matched, so its cost does not grow with the
number of addressees in queries, only in rows. Only verified organizations are proposed, never the
issuer itself.
"""

from collections.abc import Iterable
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
    region_of,
    regions,
    sectors,
    subregion_of,
)

from .models import Appeal

# What routing reads of an organization: enough to show and to address it.
ORG_FIELDS = ("id", "name", "short_name", "slug", "country", "verified_at")


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
        if self.code == "region":
            return _("the appeal was widened to %(region)s") % {"region": p["region"]}
        if self.code == "network":
            return _("the appeal was widened to the whole network")
        if self.code == "passed":
            return _("passed on by %(organization)s") % {"organization": p["organization"]}
        return self.code


@dataclass
class Criteria:
    """What the issuer combines to choose addressees. `ring` is widened by escalation."""

    employer: bool = False  # organizations at the appeal's employer, any site, any country
    sector: bool = False  # organizations in one of the issuer's sectors
    relations: bool = False  # the issuer's accepted relations, either direction
    languages: bool = False  # organizations sharing a language with the issuer or the appeal
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)  # UN M49 regions or subregions
    add: list[int] = field(default_factory=list)
    remove: list[int] = field(default_factory=list)
    ring: int = Appeal.RING_CHOSEN

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


class Proposal:
    """An organization proposed as an addressee, and the reasons why.

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

    @property
    def name(self) -> str:
        return str(self._row[1])

    def __repr__(self) -> str:
        return f"<Proposal {self.name}: {', '.join(r.code for r in self.reasons)}>"


Row = tuple[Any, ...]

# What sending reads of an organization: its id, its name (the order of the addressees) and its
# country (a reason). Fewer columns, and no timestamp to parse: a send reads thousands of rows.
SEND_FIELDS = ("id", "name", "country")


def _candidates(appeal: Appeal) -> QuerySet[Organization]:
    return Organization.objects.filter(verified_at__isnull=False).exclude(pk=appeal.organization_id)


def _via(model: Any, appeal: Appeal) -> QuerySet[Any]:
    """A table hanging off Organization, restricted to candidate organizations."""
    return model.objects.filter(organization__verified_at__isnull=False).exclude(
        organization_id=appeal.organization_id
    )


# Each criterion reads rows, not model instances: the organization's fields (`fields`, which
# start with "id" and "name" and include "country"), then what matched.


def _by_employer(appeal: Appeal, fields: tuple[str, ...]) -> Iterable[tuple[Row, Reason]]:
    if appeal.employer_id is None:
        return
    employer = appeal.employer.name  # type: ignore[union-attr]
    n, country_at = len(fields), fields.index("country")
    # A presence kept private is known to its organization alone: it routes nothing.
    rows = (
        _via(Presence, appeal)
        .filter(employer_id=appeal.employer_id)
        .exclude(visibility="private")
        # By site country, so that an organization at several sites lists them in one order.
        .order_by("site__country", "organization_id")
        .values_list(*[f"organization__{f}" for f in fields], "site__country")
    )
    for row in rows:
        country = str(row[n] or row[country_at])
        yield row[:n], Reason.of("employer", employer=employer, country=country)


def _by_sector(appeal: Appeal, fields: tuple[str, ...]) -> Iterable[tuple[Row, Reason]]:
    mine = OrganizationSector.objects.filter(organization_id=appeal.organization_id).values("code")
    n = len(fields)
    rows = (
        _via(OrganizationSector, appeal)
        .filter(code__in=mine)
        .values_list(*[f"organization__{f}" for f in fields], "code")
    )
    for row in rows:
        yield row[:n], Reason.of("sector", sector=row[n])


def _by_relation(appeal: Appeal, fields: tuple[str, ...]) -> Iterable[tuple[Row, Reason]]:
    issuer = appeal.organization_id
    n = len(fields)
    accepted = Relation.objects.filter(status=Relation.Status.ACCEPTED)
    for side, other in (("proposer", "partner"), ("partner", "proposer")):
        rows = (
            accepted.filter(**{f"{side}_id": issuer, f"{other}__verified_at__isnull": False})
            .order_by("since")
            .values_list(*[f"{other}__{f}" for f in fields], "kind", "since")
        )
        for row in rows:
            since = row[n + 1].year if row[n + 1] else None
            yield row[:n], Reason.of("relation", kind=row[n], since=since)


def _base_language(tag: str) -> str:
    return tag.split("-")[0].lower()


def _by_language(appeal: Appeal, fields: tuple[str, ...]) -> Iterable[tuple[Row, Reason]]:
    tags = list(
        OrganizationLanguage.objects.filter(organization_id=appeal.organization_id).values_list(
            "tag", flat=True
        )
    )
    bases = sorted({_base_language(t) for t in [*tags, appeal.language] if t})
    if not bases:
        return
    n = len(fields)
    # "pt" matches "pt" and "pt-BR": languages are shared by their primary subtag.
    match = Q()
    for base in bases:
        match |= Q(tag__iexact=base) | Q(tag__istartswith=base + "-")
    rows = (
        _via(OrganizationLanguage, appeal)
        .filter(match)
        .values_list(*[f"organization__{f}" for f in fields], "tag")
    )
    for row in rows:
        yield row[:n], Reason.of("language", language=_base_language(row[n]))


def _by_place(
    appeal: Appeal, criteria: Criteria, fields: tuple[str, ...]
) -> Iterable[tuple[Row, Reason]]:
    codes = {c.upper() for c in criteria.countries}
    for region in criteria.regions:
        codes.update(countries_in(region))
    if not codes:
        return
    country_at = fields.index("country")
    reasons: dict[Any, Reason] = {}  # one per country, not one per organization
    for row in _candidates(appeal).filter(country__in=sorted(codes)).values_list(*fields):
        reason = reasons.get(row[country_at])
        if reason is None:
            reason = reasons[row[country_at]] = Reason.of("country", country=str(row[country_at]))
        yield row, reason


def _by_ring(appeal: Appeal, ring: int, fields: tuple[str, ...]) -> Iterable[tuple[Row, Reason]]:
    if ring >= Appeal.RING_NETWORK:
        widened = Reason.of("network")
        for row in _candidates(appeal).values_list(*fields):
            yield row, widened
        return
    if ring >= Appeal.RING_REGION:
        region = region_of(str(appeal.country))
        if region:
            widened = Reason.of("region", region=region)
            rows = _candidates(appeal).filter(country__in=countries_in(region))
            for row in rows.values_list(*fields):
                yield row, widened


def preview_addressees(
    *, appeal: Appeal, criteria: Criteria, fields: tuple[str, ...] = ORG_FIELDS
) -> list[Proposal]:
    """The organizations the appeal would go to with these criteria, each with its reasons.

    Strongest first (most reasons), then by name. `fields` are the organization's fields read:
    by default what a preview shows; sending passes SEND_FIELDS, the same proposals in the same
    order, reading less.
    """
    if fields[:2] != ("id", "name") or "country" not in fields:
        raise ValueError("routing reads at least an organization's id, name and country")
    found: dict[int, Proposal] = {}

    def take(pairs: Iterable[tuple[Row, Reason]]) -> None:
        get = found.get
        for row, reason in pairs:
            proposal = get(row[0])
            if proposal is None:
                found[row[0]] = Proposal(row, [reason], fields)
            elif reason not in proposal.reasons:
                proposal.reasons.append(reason)

    if criteria.employer:
        take(_by_employer(appeal, fields))
    if criteria.sector:
        take(_by_sector(appeal, fields))
    if criteria.relations:
        take(_by_relation(appeal, fields))
    if criteria.languages:
        take(_by_language(appeal, fields))
    take(_by_place(appeal, criteria, fields))
    take(_by_ring(appeal, criteria.ring, fields))
    if criteria.add:
        manual = Reason.of("manual")
        rows = _candidates(appeal).filter(pk__in=criteria.add).values_list(*fields)
        take((row, manual) for row in rows)
    for pk in criteria.remove:
        found.pop(pk, None)
    # The name is the row's second value: read directly, not through a property, for thousands.
    return sorted(
        found.values(), key=lambda p: (-len(p.reasons), str(p._row[1]), p.organization_id)
    )
