"""Permission-matrix cases for the API on organizations, members, relations, presences and
employers. Anonymous: 401. Whoever may not act on an organization: 404, as if it did not exist.
Adding an employer to the shared directory answers 403 to those who may not: nothing is hidden.
"""

from internationale.core.tests.matrix import (
    IN_NETWORK,
    OWNER_SPEAKERS,
    OWNERS,
    PERSONAS,
    SIGNED_IN,
    Case,
    expect,
)

SPEAK_FOR_A_VERIFIED_ORG = ["kim", "kai", "sam", "ana"]


def _org(w):  # type: ignore[no-untyped-def]
    return f"/api/v1/organizations/{w.owner_org.slug}"


def _member(w):  # type: ignore[no-untyped-def]
    return f"{_org(w)}/members/{w.membership.pk}"


def _relation(w):  # type: ignore[no-untyped-def]
    return f"{_org(w)}/relations/{w.relation.pk}"


CASES = [
    # The directory and an organization's page: anyone signed in; unverified ones to their own.
    Case(
        "api:organization_list",
        "GET",
        lambda w: "/api/v1/organizations",
        expect(SIGNED_IN, 200, 200, anonymous=401),
    ),
    Case(
        "api:organization_list",
        "POST",
        lambda w: "/api/v1/organizations",
        expect(PERSONAS, 405, 405),
    ),
    Case("api:organization_detail", "GET", _org, expect(SIGNED_IN, 200, 200, anonymous=401)),
    Case(
        "api:organization_detail",
        "GET",
        lambda w: f"/api/v1/organizations/{w.unverified_org.slug}",
        expect(["uma", *IN_NETWORK], 200, 404, anonymous=401),
        note="an unverified organization: its own people and the network",
    ),
    # Members: listed to the organization's people and operators; roles changed by its admins;
    # a member removed by an admin, or by themselves (Mo leaves).
    Case(
        "api:member_list",
        "GET",
        lambda w: f"{_org(w)}/members",
        expect(OWNERS, 200, 404, anonymous=401),
    ),
    Case(
        "api:member_role",
        "PATCH",
        _member,
        expect(["ana"], 200, 404, anonymous=401),
        data=lambda w: {"role": "observer"},
        json=True,
    ),
    Case("api:member_role", "GET", _member, expect(PERSONAS, 405, 405)),
    Case("api:member_remove", "DELETE", _member, expect(["ana", "mo"], 204, 404, anonymous=401)),
    # Relations: listed to anyone signed in (each sees what its visibility allows); proposed,
    # accepted and declined by the admins and secretaries of the organization concerned. The
    # world's relation was proposed by the Korean dockworkers to the owning organization.
    Case(
        "api:relation_list",
        "GET",
        lambda w: f"{_org(w)}/relations",
        expect(SIGNED_IN, 200, 200, anonymous=401),
    ),
    Case(
        "api:relation_propose",
        "POST",
        lambda w: f"{_org(w)}/relations",
        expect(OWNER_SPEAKERS, 201, 404, anonymous=401),
        data=lambda w: {"partner": w.other_org.slug, "kind": "cooperation"},
        json=True,
    ),
    Case(
        "api:relation_accept",
        "POST",
        lambda w: f"{_relation(w)}/accept",
        expect(OWNER_SPEAKERS, 200, 404, anonymous=401),
    ),
    Case(
        "api:relation_accept", "GET", lambda w: f"{_relation(w)}/accept", expect(PERSONAS, 405, 405)
    ),
    Case(
        "api:relation_decline",
        "POST",
        lambda w: f"{_relation(w)}/decline",
        expect(OWNER_SPEAKERS, 200, 404, anonymous=401),
    ),
    Case(
        "api:relation_accept",
        "POST",
        lambda w: f"/api/v1/organizations/{w.other_org.slug}/relations/{w.relation.pk}/accept",
        expect([], 200, 404, anonymous=401),
        note="the proposer cannot accept its own proposal",
    ),
    # Presences: anyone signed in; the network-only presence appears to the network only.
    Case(
        "api:presence_list",
        "GET",
        lambda w: f"{_org(w)}/presences",
        expect(SIGNED_IN, 200, 200, anonymous=401),
    ),
    # Employers: a directory everyone signed in reads; admins and secretaries of verified
    # organizations, and operators, add to it.
    Case(
        "api:employer_list",
        "GET",
        lambda w: "/api/v1/employers",
        expect(SIGNED_IN, 200, 200, anonymous=401),
    ),
    Case(
        "api:employer_create",
        "POST",
        lambda w: "/api/v1/employers",
        expect([*SPEAK_FOR_A_VERIFIED_ORG, "oscar"], 201, 403, anonymous=401),
        data=lambda w: {"name": "Maersk", "headquarters": "DK"},
        json=True,
    ),
    Case(
        "api:employer_detail",
        "GET",
        lambda w: f"/api/v1/employers/{w.employer.slug}",
        expect(SIGNED_IN, 200, 200, anonymous=401),
    ),
    Case(
        "api:employer_detail",
        "GET",
        lambda w: "/api/v1/employers/no-such-employer",
        expect([], 200, 404, anonymous=401),
        note="an unknown employer",
    ),
]
