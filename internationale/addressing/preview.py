"""Routing's answers kept for a minute, for the pages that preview it.

An issuer previews the organizations an appeal would go to, then pages through them, shows one
country's, leaves some out: each of these requests routes with the same criteria, and routing
tens of thousands of organizations costs most of the page. Its answers are kept per process
(core/cache.py) by the origin and the criteria (without the organizations left out, which are
dropped afterwards), and by a version, shared by every process (core/cache.py), that every write
to what routing reads (organizations, their languages, sectors, presences, relations, employers)
changes; a write that bypasses the model signals (bulk_create) shows within a minute. Sending never reads them: it routes afresh, and says how many it sent to.
"""

import json
from dataclasses import replace

from internationale.core.cache import Version, VersionedCache
from internationale.organizations.models import (
    Employer,
    Organization,
    OrganizationLanguage,
    OrganizationSector,
    Presence,
    Relation,
)

from .routing import ORG_FIELDS, Candidate, Criteria, Origin, route

SECONDS = 60

version = Version("routing")
answers = VersionedCache(version, size=32, seconds=lambda: SECONDS)


def route_kept(
    origin: Origin, criteria: Criteria, *, fields: tuple[str, ...] = ORG_FIELDS
) -> list[Candidate]:
    """`route`, for a preview: cleaned criteria, the same answer, kept. See the module."""
    left_out = set(criteria.remove)
    whole = replace(criteria, remove=[])
    key = answers.key(origin, json.dumps(whole.as_json(), sort_keys=True), fields)
    candidates = answers.get(key, lambda: route(origin, whole, fields=fields))
    if not left_out:
        return candidates
    return [c for c in candidates if c.organization_id not in left_out]


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
