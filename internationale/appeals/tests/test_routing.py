"""Routing: who an appeal goes to, and the reasons shown to the issuer for each."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from internationale.addressing.routing import Criteria, route
from internationale.organizations.models import Organization, OrganizationSector, Relation
from internationale.organizations.tests.factories import (
    EmployerFactory,
    EmployerSiteFactory,
    OrganizationFactory,
    PresenceFactory,
    RelationFactory,
)


def reasons(proposals):  # type: ignore[no-untyped-def]
    return {p.organization.slug: [str(r) for r in p.reasons] for p in proposals}


@pytest.fixture
def carmaker(draft, owner_org):
    """A carmaker with plants in Brazil (the issuer's), Germany and South Africa."""
    employer = EmployerFactory(name="Autowerke")
    draft.employer = employer
    draft.save()
    PresenceFactory(
        organization=owner_org,
        employer=employer,
        site=EmployerSiteFactory(employer=employer, country="BR"),
    )
    return employer


def test_organizations_at_the_same_employer_are_proposed_with_the_country_of_their_site(
    draft, carmaker
):
    german = OrganizationFactory(slug="igm", country="DE")
    PresenceFactory(
        organization=german,
        employer=carmaker,
        site=EmployerSiteFactory(employer=carmaker, country="DE"),
    )
    # A presence without a site: the organization's own country stands for it.
    PresenceFactory(organization=OrganizationFactory(slug="numsa", country="ZA"), employer=carmaker)

    proposals = route(draft.routing_origin(), Criteria(employer=True))

    assert reasons(proposals) == {
        "igm": ["organizes at Autowerke in Germany"],
        "numsa": ["organizes at Autowerke in South Africa"],
    }


def test_an_organization_at_several_sites_shows_each_country_once_and_is_proposed_once(
    draft, carmaker
):
    union = OrganizationFactory(slug="world-auto", country="DE")
    for country in ("DE", "MX", "MX"):
        PresenceFactory(
            organization=union,
            employer=carmaker,
            site=EmployerSiteFactory(employer=carmaker, country=country),
        )

    proposals = route(draft.routing_origin(), Criteria(employer=True))

    assert reasons(proposals) == {
        "world-auto": ["organizes at Autowerke in Germany", "organizes at Autowerke in Mexico"]
    }


def test_a_presence_kept_private_routes_nothing(draft, carmaker):
    PresenceFactory(organization=OrganizationFactory(), employer=carmaker, visibility="private")
    assert route(draft.routing_origin(), Criteria(employer=True)) == []


def test_organizations_in_the_issuers_sectors_are_proposed(draft, owner_org):
    OrganizationSector.objects.create(organization=owner_org, code="C")
    steel = OrganizationFactory(slug="steel-in")
    OrganizationSector.objects.create(organization=steel, code="C")
    OrganizationSector.objects.create(organization=OrganizationFactory(slug="teachers"), code="P")

    proposals = route(draft.routing_origin(), Criteria(sector=True))

    assert reasons(proposals) == {"steel-in": ["same sector: Manufacturing"]}


def test_accepted_relations_in_either_direction_are_proposed_with_their_year(
    draft, owner_org, other_org
):
    RelationFactory(proposer=owner_org, partner=other_org, since=datetime.date(2019, 5, 1))
    RelationFactory(
        proposer=OrganizationFactory(slug="cgt-ar"),
        partner=owner_org,
        kind=Relation.Kind.COOPERATION,
    )
    RelationFactory(
        proposer=owner_org,
        partner=OrganizationFactory(slug="only-proposed"),
        status=Relation.Status.PROPOSED,
    )

    proposals = route(draft.routing_origin(), Criteria(relations=True))

    assert reasons(proposals) == {
        "docks-kr": ["fraternal relation since 2019"],
        "cgt-ar": ["cooperation agreement"],
    }


def test_organizations_sharing_a_language_are_proposed_whatever_the_regional_variant(
    draft, owner_org
):
    draft.language = "sw"  # the appeal is in Swahili; the issuer writes Brazilian Portuguese
    OrganizationFactory(slug="cgtp-pt", country="PT", languages=["pt"])
    OrganizationFactory(slug="cosatu", country="KE", languages=["sw", "en"])
    OrganizationFactory(slug="english-only", languages=["en"])

    proposals = route(draft.routing_origin(), Criteria(languages=True))

    assert reasons(proposals) == {
        "cgtp-pt": ["shares the language Portuguese"],
        "cosatu": ["shares the language Swahili"],
    }


def test_chosen_countries_and_regions_propose_the_organizations_there(draft):
    OrganizationFactory(slug="kenya", country="KE")
    OrganizationFactory(slug="tanzania", country="TZ")
    OrganizationFactory(slug="ghana", country="GH")  # Western Africa
    OrganizationFactory(slug="chile", country="CL")

    proposals = route(
        draft.routing_origin(), Criteria(countries=["cl"], regions=["Eastern Africa"])
    )

    assert reasons(proposals) == {
        "kenya": ["in Kenya"],
        "tanzania": ["in Tanzania"],
        "chile": ["in Chile"],
    }


def test_organizations_added_by_hand_are_proposed_and_those_removed_are_not(
    draft, owner_org, other_org
):
    RelationFactory(proposer=owner_org, partner=other_org)
    friend = OrganizationFactory(slug="friend")

    proposals = route(
        draft.routing_origin(), Criteria(relations=True, add=[friend.pk], remove=[other_org.pk])
    )

    assert reasons(proposals) == {"friend": ["added by hand"]}


def test_the_issuer_and_unverified_organizations_are_never_proposed(
    draft, owner_org, unverified_org, carmaker
):
    PresenceFactory(organization=unverified_org, employer=carmaker)
    RelationFactory(proposer=owner_org, partner=unverified_org)

    proposals = route(
        draft.routing_origin(),
        Criteria(
            employer=True,
            relations=True,
            countries=["BR", "FR"],
            add=[owner_org.pk, unverified_org.pk],
        ),
    )

    assert proposals == []


def test_an_organization_matched_several_ways_comes_first_with_every_reason(
    draft, owner_org, other_org
):
    RelationFactory(proposer=other_org, partner=owner_org, since=datetime.date(2008, 1, 1))
    OrganizationFactory(slug="zz-brazil", name="Zz Union", country="BR")

    proposals = route(draft.routing_origin(), Criteria(relations=True, countries=["KR", "BR"]))

    assert [p.organization.slug for p in proposals] == ["docks-kr", "zz-brazil"]
    assert [str(r) for r in proposals[0].reasons] == [
        "fraternal relation since 2008",
        "in South Korea",
    ]


def test_reasons_are_worded_in_the_readers_language(draft, owner_org, other_org):
    from django.utils import translation

    RelationFactory(proposer=owner_org, partner=other_org, since=datetime.date(2019, 1, 1))
    proposal = route(draft.routing_origin(), Criteria(countries=["KR"]))[0]
    with translation.override("fr"):
        assert "Corée du Sud" in str(proposal.reasons[0])


def test_routing_takes_a_handful_of_queries_however_many_organizations_match(
    draft, owner_org, carmaker
):
    OrganizationSector.objects.create(organization=owner_org, code="C")
    for _n in range(30):
        org = OrganizationFactory(country="AR", languages=["pt"])
        OrganizationSector.objects.create(organization=org, code="C")
        PresenceFactory(organization=org, employer=carmaker)
        RelationFactory(proposer=owner_org, partner=org)
    criteria = Criteria(
        employer=True, sector=True, relations=True, languages=True, regions=["Americas"]
    )

    with CaptureQueriesContext(connection) as queries:
        proposals = route(draft.routing_origin(), criteria)

    assert len(proposals) == 30
    assert len(queries) <= 7


def test_unknown_countries_and_regions_are_refused(draft):
    with pytest.raises(ValidationError) as error:
        Criteria(countries=["XY"]).clean()
    assert error.value.error_dict["countries"][0].code == "invalid_country"
    with pytest.raises(ValidationError) as error:
        Criteria(regions=["Atlantis"]).clean()
    assert error.value.error_dict["regions"][0].code == "invalid_region"


def test_the_whole_network_ring_proposes_every_verified_organization(draft, owner_org):
    OrganizationFactory.create_batch(3)
    proposals = route(draft.routing_origin(), Criteria(ring=2))
    assert len(proposals) == Organization.objects.exclude(pk=owner_org.pk).count() == 3
