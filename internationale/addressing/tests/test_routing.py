"""Routing on its own: from what a thing declares about itself (an Origin), no appeal involved."""

import datetime

import pytest
from django.utils import translation

from internationale.addressing.models import Ring
from internationale.addressing.routing import (
    SEND_FIELDS,
    Candidate,
    Criteria,
    Origin,
    Reason,
    route,
    route_chooses_any,
    route_in_batches,
)
from internationale.organizations.models import OrganizationSector
from internationale.organizations.tests.factories import (
    EmployerFactory,
    OrganizationFactory,
    PresenceFactory,
    RelationFactory,
)


def reasons(candidates: list[Candidate]) -> dict[str, list[str]]:
    return {c.organization.slug: [r.code for r in c.reasons] for c in candidates}


@pytest.fixture
def origin(owner_org) -> Origin:  # type: ignore[no-untyped-def]
    """A day of action called by the Brazilian metalworkers, in Spanish, in Chile."""
    return Origin(issuer_id=owner_org.pk, country="CL", languages=("es",))


def test_every_criterion_reads_the_origin_and_gives_its_reasons(owner_org, origin):
    employer = EmployerFactory(name="Minera Andina")
    at_employer = OrganizationFactory(slug="mineros", country="PE", languages=["qu"])
    PresenceFactory(organization=at_employer, employer=employer)
    same_sector = OrganizationFactory(slug="metal-de", country="DE", languages=["de"])
    OrganizationSector.objects.create(organization=owner_org, code="C")
    OrganizationSector.objects.create(organization=same_sector, code="C")
    partner = OrganizationFactory(slug="partner", country="ZA", languages=["zu"])
    RelationFactory(proposer=partner, partner=owner_org, since=datetime.date(2020, 3, 1))
    hispanic = OrganizationFactory(slug="cgt-es", country="ES", languages=["es-ES"])
    chilean = OrganizationFactory(slug="cut-cl", country="CL", languages=["fr"])

    candidates = route(
        Origin(issuer_id=owner_org.pk, country="CL", languages=("es",), employer_id=employer.pk),
        Criteria(employer=True, sector=True, relations=True, languages=True, countries=["CL"]),
    )

    assert reasons(candidates) == {
        "mineros": ["employer"],
        "metal-de": ["sector"],
        "partner": ["relation"],
        "cgt-es": ["language"],
        "cut-cl": ["country"],
    }
    assert {at_employer, same_sector, partner, hispanic, chilean} == {
        c.organization for c in candidates
    }
    (by_employer,) = [c for c in candidates if c.organization_id == at_employer.pk]
    with translation.override("en"):
        assert str(by_employer.reasons[0]) == "organizes at Minera Andina in Peru"


def test_routing_in_batches_chooses_the_same_organizations_with_the_same_reasons(owner_org, origin):
    employer = EmployerFactory(name="Minera Andina")
    OrganizationSector.objects.create(organization=owner_org, code="C")
    for n in range(7):
        org = OrganizationFactory(slug=f"u-{n}", country=["CL", "PE"][n % 2], languages=["es"])
        if n % 3 == 0:
            OrganizationSector.objects.create(organization=org, code="C")
        if n == 4:
            PresenceFactory(organization=org, employer=employer)
    removed = OrganizationFactory(slug="removed", country="CL")
    origin = Origin(
        issuer_id=owner_org.pk, country="CL", languages=("es",), employer_id=employer.pk
    )
    criteria = Criteria(
        employer=True, sector=True, languages=True, countries=["CL"], remove=[removed.pk]
    )

    whole = reasons(route(origin, criteria))
    batches = list(route_in_batches(origin, criteria, size=3))

    assert max(len(b) for b in batches) <= 3
    assert {slug: sorted(r) for b in batches for slug, r in reasons(b).items()} == {
        slug: sorted(r) for slug, r in whole.items()
    }
    assert sum(len(b) for b in batches) == len(whole) == 7


def test_whether_criteria_choose_anyone_is_told_without_routing_everyone(owner_org, origin):
    chilean = OrganizationFactory(slug="cut-cl", country="CL")

    assert route_chooses_any(origin, Criteria(countries=["CL"]))
    assert not route_chooses_any(origin, Criteria(countries=["CL"], remove=[chilean.pk]))
    assert not route_chooses_any(origin, Criteria(countries=["IS"]))
    assert route_chooses_any(origin, Criteria(add=[chilean.pk]))


def test_the_origins_own_language_counts_beside_the_issuers(owner_org, origin):
    OrganizationFactory(slug="cgt-es", languages=["es"])
    OrganizationFactory(slug="metal-pt", languages=["pt"])
    OrganizationFactory(slug="other", languages=["fi"])

    found = reasons(route(origin, Criteria(languages=True)))

    assert set(found) == {"cgt-es", "metal-pt"}


def test_the_issuer_and_unverified_organizations_are_never_candidates(owner_org, origin):
    OrganizationFactory(slug="pending", country="CL", verified_at=None)
    found = reasons(route(origin, Criteria(countries=["CL", "BR"], add=[owner_org.pk])))
    assert found == {}


def test_the_region_ring_widens_around_the_origins_country(owner_org, origin):
    OrganizationFactory(slug="cta-ar", country="AR")
    OrganizationFactory(slug="far", country="KR")

    candidates = route(origin, Criteria(ring=Ring.REGION), fields=SEND_FIELDS)

    assert reasons(candidates) == {"cta-ar": ["region"]}


def test_candidates_are_ordered_by_strength_then_name(owner_org, origin):
    OrganizationFactory(name="Beta", slug="beta", country="CL")
    OrganizationFactory(name="Alpha", slug="alpha", country="CL")
    strong = OrganizationFactory(name="Zeta", slug="zeta", country="CL")

    names = [c.name for c in route(origin, Criteria(countries=["CL"], add=[strong.pk]))]

    assert names == ["Zeta", "Alpha", "Beta"]


def test_an_organization_chosen_without_routing_is_a_candidate_by_its_id(other_org):
    chosen = Candidate.of(other_org.pk, [Reason.of("manual")])
    assert (chosen.organization_id, chosen.name, chosen.organization) == (
        other_org.pk,
        "",
        other_org,
    )


def test_reasons_are_worded_in_the_readers_language(origin, other_org):
    (candidate,) = route(origin, Criteria(countries=["KR"]))
    with translation.override("fr"):
        assert "Corée du Sud" in str(candidate.reasons[0])
