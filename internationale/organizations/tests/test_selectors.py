"""Reads of the directory, relations and presences: each viewer sees what they may, and no more."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from internationale.organizations.models import OrganizationLanguage, OrganizationSector, Relation
from internationale.organizations.selectors import (
    DirectoryFilters,
    memberships_of,
    organization_get,
    organization_list,
    presence_list,
    relation_get,
    relation_list,
)
from internationale.organizations.tests.factories import (
    EmployerFactory,
    MembershipFactory,
    OrganizationFactory,
    PresenceFactory,
    RelationFactory,
)

anonymous = AnonymousUser()


def slugs(queryset):  # type: ignore[no-untyped-def]
    return {org.slug for org in queryset}


@pytest.fixture
def directory(owner_org, other_org, unverified_org):
    """Besides the personas' organizations: a Portuguese party, a German federation of miners."""
    lisbon = OrganizationFactory(
        name="Partido Operário",
        short_name="PO",
        slug="po-pt",
        country="PT",
        kind="party",
        city="Lisboa",
        languages=["pt"],
    )
    miners = OrganizationFactory(
        name="Bergbau Föderation",
        slug="bergbau-de",
        country="DE",
        kind="federation",
        languages=["de", "pl"],
    )
    OrganizationSector.objects.create(organization=owner_org, code="C")
    OrganizationSector.objects.create(organization=miners, code="B")
    OrganizationSector.objects.create(organization=miners, code="C")
    OrganizationSector.objects.create(organization=unverified_org, code="H")
    return {"lisbon": lisbon, "miners": miners}


VISIBLE_TO_OUTSIDERS = {"metal-sp", "docks-kr", "po-pt", "bergbau-de"}


@pytest.mark.parametrize("viewer", ["anonymous", "nell"])
def test_unverified_organizations_are_hidden_from_outsiders(request, directory, viewer):
    person = anonymous if viewer == "anonymous" else request.getfixturevalue(viewer)
    assert slugs(organization_list(viewer=person)) == VISIBLE_TO_OUTSIDERS
    with pytest.raises(Http404):
        organization_get(viewer=person, slug="riders-new")


@pytest.mark.parametrize("viewer", ["uma", "oscar", "ana", "kim"])
def test_an_unverified_organization_is_listed_for_its_members_and_the_network(
    request, directory, viewer
):
    person = request.getfixturevalue(viewer)
    assert slugs(organization_list(viewer=person)) == VISIBLE_TO_OUTSIDERS | {"riders-new"}
    assert organization_get(viewer=person, slug="riders-new").name == "New Riders Union"


@pytest.mark.parametrize(
    "filters, expected",
    [
        (DirectoryFilters(q="metal"), {"metal-sp"}),  # words by their beginning
        (DirectoryFilters(q="workers"), set()),  # not inside them
        (DirectoryFilters(q="PO"), {"po-pt"}),  # the short name
        (DirectoryFilters(q="lisboa"), {"po-pt"}),  # the city
        (DirectoryFilters(country="br"), {"metal-sp"}),
        (DirectoryFilters(region="Europe"), {"po-pt", "bergbau-de"}),
        (DirectoryFilters(region="Eastern Asia"), {"docks-kr"}),
        (DirectoryFilters(kind="federation"), {"bergbau-de"}),
        (DirectoryFilters(sector="c"), {"metal-sp", "bergbau-de"}),
        (DirectoryFilters(language="pt"), {"metal-sp", "po-pt"}),  # pt matches pt-BR
        (DirectoryFilters(language="pt-BR"), {"metal-sp"}),
        (DirectoryFilters(language="p"), set()),  # a prefix of a subtag is not a match
        (DirectoryFilters(region="Europe", sector="C"), {"bergbau-de"}),
        (DirectoryFilters(q="berg", region="Europe", sector="b", language="PL"), {"bergbau-de"}),
        (DirectoryFilters(q="partido", country="pt", kind="party", language="pt"), {"po-pt"}),
        (DirectoryFilters(q="partido", kind="union"), set()),
        (DirectoryFilters(region="Atlantis"), set()),  # values no organization has: nothing
        (DirectoryFilters(language="p t"), set()),
        (DirectoryFilters(language="pt-"), set()),
        (DirectoryFilters(sector="?"), set()),
        (DirectoryFilters(country='"br"'), set()),
        (DirectoryFilters(verified=True), VISIBLE_TO_OUTSIDERS),
        (DirectoryFilters(verified=False), set()),
    ],
)
def test_the_directory_filters(directory, filters, expected):
    assert slugs(organization_list(viewer=anonymous, filters=filters)) == expected


def test_the_filters_follow_languages_and_sectors_written_one_by_one(directory):
    miners = directory["miners"]
    OrganizationSector.objects.filter(organization=miners, code="C").delete()
    miners.languages.get(tag="pl").delete()
    OrganizationLanguage.objects.create(organization=miners, tag="uk-UA")
    OrganizationSector.objects.create(organization=miners, code="F")

    def listed(**filters):  # type: ignore[no-untyped-def]
        return slugs(organization_list(viewer=anonymous, filters=DirectoryFilters(**filters)))

    assert listed(sector="C") == {"metal-sp"}
    assert listed(language="pl") == set()
    assert listed(language="uk", sector="F", region="Europe") == {"bergbau-de"}
    assert listed(language="de", sector="B") == {"bergbau-de"}


def test_operators_filter_the_organizations_awaiting_verification(directory, oscar):
    assert slugs(organization_list(viewer=oscar, filters=DirectoryFilters(verified=False))) == {
        "riders-new"
    }


def test_an_organization_with_several_matching_sectors_is_listed_once(directory):
    found = list(organization_list(viewer=anonymous, filters=DirectoryFilters(sector="B")))
    assert [org.slug for org in found] == ["bergbau-de"]


def test_the_employer_filter_respects_the_visibility_of_each_presence(
    directory, owner_org, other_org, mo, kit, nell
):
    employer = EmployerFactory(slug="vale")
    PresenceFactory(organization=owner_org, employer=employer, visibility="private")
    PresenceFactory(organization=other_org, employer=employer, visibility="network")
    PresenceFactory(organization=directory["lisbon"], employer=employer, visibility="public")
    by_employer = DirectoryFilters(employer="vale")
    assert slugs(organization_list(viewer=anonymous, filters=by_employer)) == {"po-pt"}
    assert slugs(organization_list(viewer=nell, filters=by_employer)) == {"po-pt"}
    assert slugs(organization_list(viewer=kit, filters=by_employer)) == {"po-pt", "docks-kr"}
    assert slugs(organization_list(viewer=mo, filters=by_employer)) == {
        "po-pt",
        "docks-kr",
        "metal-sp",
    }


def test_the_directory_costs_the_same_queries_however_many_organizations(directory):
    def queries_for_listing() -> int:
        with CaptureQueriesContext(connection) as captured:
            for org in organization_list(viewer=anonymous):
                list(org.languages.all())
                list(org.sectors.all())
        return len(captured)

    before = queries_for_listing()
    for _ in range(10):
        OrganizationFactory(languages=["es", "ca"])
    assert queries_for_listing() == before == 3


# Relations --------------------------------------------------------------------------------------


@pytest.fixture
def relations(owner_org, other_org):
    """Relations of the Metalworkers, one per visibility, each with a different partner."""
    partners = {
        visibility: OrganizationFactory(slug=f"partner-{visibility}")
        for visibility in ("public", "network", "addressed", "private")
    }
    for visibility, partner in partners.items():
        RelationFactory(proposer=owner_org, partner=partner, visibility=visibility)
    return partners


def partner_slugs(viewer, organization, **kwargs):  # type: ignore[no-untyped-def]
    return {
        r.other(organization).slug
        for r in relation_list(viewer=viewer, organization=organization, **kwargs)
    }


def test_relations_are_shown_by_their_visibility(relations, owner_org, mo, kim, nell, uma, oscar):
    assert partner_slugs(anonymous, owner_org) == {"partner-public"}
    assert partner_slugs(nell, owner_org) == {"partner-public"}
    assert partner_slugs(uma, owner_org) == {"partner-public"}  # unverified: not the network
    assert partner_slugs(kim, owner_org) == {"partner-public", "partner-network"}
    assert partner_slugs(oscar, owner_org) == {"partner-public", "partner-network"}
    assert partner_slugs(mo, owner_org) == {
        "partner-public",
        "partner-network",
        "partner-addressed",
        "partner-private",
    }


def test_an_addressed_relation_is_seen_by_the_partner_and_a_private_one_is_not(
    relations, owner_org
):
    def partner_member(visibility):  # type: ignore[no-untyped-def]
        return MembershipFactory(organization=relations[visibility], role="member").user

    assert "partner-addressed" in partner_slugs(partner_member("addressed"), owner_org)
    assert "partner-private" not in partner_slugs(partner_member("private"), owner_org)


def test_a_pending_relation_is_seen_only_by_the_two_organizations(
    owner_org, other_org, mo, kim, kit
):
    RelationFactory(
        proposer=owner_org, partner=other_org, status=Relation.Status.PROPOSED, visibility="public"
    )
    assert partner_slugs(mo, owner_org, include_pending=True) == {"docks-kr"}
    assert partner_slugs(mo, owner_org) == set()
    assert partner_slugs(kim, other_org, include_pending=True) == {"metal-sp"}
    assert partner_slugs(kim, owner_org, include_pending=True) == set()  # not kim's own list
    assert partner_slugs(anonymous, owner_org, include_pending=True) == set()


def test_declined_and_ended_relations_are_not_listed(owner_org, other_org, mo):
    for status in (Relation.Status.DECLINED, Relation.Status.ENDED):
        RelationFactory(proposer=owner_org, partner=other_org, status=status, visibility="public")
    assert partner_slugs(mo, owner_org, include_pending=True) == set()


def test_a_relation_with_an_unverified_organization_is_hidden_from_outsiders(
    owner_org, unverified_org, mo, uma, kim, oscar, nell
):
    RelationFactory(proposer=unverified_org, partner=owner_org, visibility="public")
    assert partner_slugs(anonymous, owner_org) == set()
    assert partner_slugs(nell, owner_org) == set()
    assert partner_slugs(kim, owner_org) == {"riders-new"}  # the network sees unverified ones
    assert partner_slugs(mo, owner_org) == {"riders-new"}  # the partner sees who proposed
    assert partner_slugs(uma, unverified_org) == {"metal-sp"}
    assert partner_slugs(oscar, owner_org) == {"riders-new"}


def test_a_relation_is_opened_only_by_members_of_either_organization(
    owner_org, other_org, mo, kit, nell
):
    relation = RelationFactory(proposer=owner_org, partner=other_org, visibility="public")
    assert relation_get(viewer=mo, pk=relation.pk) == relation
    assert relation_get(viewer=kit, pk=relation.pk) == relation
    with pytest.raises(Http404):
        relation_get(viewer=nell, pk=relation.pk)
    with pytest.raises(Http404):
        relation_get(viewer=mo, pk=relation.pk + 1000)


# Presences --------------------------------------------------------------------------------------


def test_presences_are_shown_by_their_visibility(
    owner_org, unverified_org, mo, kit, nell, uma, oscar
):
    employer = EmployerFactory()
    for visibility in ("public", "network", "addressed", "private"):
        site_employer = EmployerFactory(name=f"{visibility} employer")
        PresenceFactory(organization=owner_org, employer=site_employer, visibility=visibility)
    PresenceFactory(organization=unverified_org, employer=employer, visibility="public")

    def seen(viewer):  # type: ignore[no-untyped-def]
        return {
            p.employer.name.split()[0] if p.organization == owner_org else p.organization.slug
            for p in presence_list(viewer=viewer)
        }

    assert seen(anonymous) == {"public"}
    assert seen(nell) == {"public"}
    assert seen(kit) == {"public", "network", "riders-new"}
    assert seen(mo) == {"public", "network", "addressed", "private", "riders-new"}
    assert seen(uma) == {"public", "riders-new"}
    assert seen(oscar) == {"public", "network", "riders-new"}
    assert {p.employer for p in presence_list(viewer=uma, employer=employer)} == {employer}
    assert list(presence_list(viewer=anonymous, employer=employer)) == []


def test_memberships_are_listed_for_their_person_only(mo, owner_org):
    assert [m.organization for m in memberships_of(viewer=mo)] == [owner_org]
    assert list(memberships_of(viewer=anonymous)) == []
