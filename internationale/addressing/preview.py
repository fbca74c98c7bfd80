"""Routing's answers kept for a minute, for the pages that preview it.

An issuer previews the organizations an appeal would go to, then pages through them, shows one
country's, leaves some out: each of these requests routes with the same criteria, and routing
tens of thousands of organizations costs most of the page. Its answers are kept per process
(core/cache.py), with the figures the preview shows (`Proposals`), by the origin and the criteria
(without the organizations left out, which are dropped afterwards, and kept so too), and by a version, shared by every process (core/cache.py), that every write
to what routing reads (organizations, their languages, sectors, presences, relations, employers)
changes; a write that bypasses the model signals (bulk_create) shows within a minute. Sending never reads them: it routes afresh, and says how many it sent to.
"""

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from itertools import chain

from internationale.core.cache import Version, VersionedCache
from internationale.organizations.models import (
    Employer,
    Organization,
    OrganizationLanguage,
    OrganizationSector,
    Presence,
    Relation,
)

from .routing import ORG_FIELDS, Candidate, Criteria, Origin, Reason, route
from .selectors import countries_counted

SECONDS = 60

version = Version("routing")
answers = VersionedCache(version, size=32, seconds=lambda: SECONDS)


class Proposals:
    """What routing proposes, for a preview: the candidates in routing's order, with the figures
    the page shows (per country, per reason) and each country's candidates, computed once when
    routed and kept with them, so that each page, each country shown, costs a page."""

    def __init__(self, candidates: list[Candidate]) -> None:
        self.candidates = candidates
        self.countries = countries_counted(Counter(c.country for c in candidates).items())
        reasons = Counter(chain.from_iterable(c.reasons for c in candidates))
        self.reasons: list[tuple[Reason, int]] = sorted(
            reasons.items(), key=lambda item: (-item[1], str(item[0]))
        )
        self._by_country: dict[str, list[Candidate]] = {}
        for c in candidates:
            self._by_country.setdefault(c.country, []).append(c)

    def __len__(self) -> int:
        return len(self.candidates)

    def __iter__(self) -> Iterator[Candidate]:
        return iter(self.candidates)

    def __bool__(self) -> bool:
        return bool(self.candidates)

    def of_country(self, code: str) -> list[Candidate]:
        """The candidates of one country ("": all), in routing's order."""
        return self._by_country.get(code.upper(), []) if code else self.candidates


def route_kept(
    origin: Origin, criteria: Criteria, *, fields: tuple[str, ...] = ORG_FIELDS
) -> Proposals:
    """`route`, for a preview: cleaned criteria, the same candidates, kept with their figures.
    See the module."""
    left_out = frozenset(criteria.remove)
    whole = replace(criteria, remove=[])
    key = answers.key(origin, json.dumps(whole.as_json(), sort_keys=True), fields)
    proposals = answers.get(key, lambda: Proposals(route(origin, whole, fields=fields)))
    if not left_out:
        return proposals
    # The same, less the organizations left out by hand, kept too: paging through it, as the
    # issuer does next, does not count again.
    return answers.get(
        None if key is None else (key, tuple(sorted(left_out))),
        lambda: Proposals([c for c in proposals if c.organization_id not in left_out]),
    )


def connect() -> None:
    """Follow the writes to what routing reads. From ready()."""
    version.follow(
        Organization,
        OrganizationLanguage,
        OrganizationSector,
        Presence,
        Relation,
        Employer,
        name="routing",
    )
