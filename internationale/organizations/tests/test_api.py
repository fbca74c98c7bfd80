"""The API on organizations, through real HTTP requests, as the personas of conftest.py."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from internationale.accounts.services import token_create
from internationale.core.actors import System
from internationale.core.models import SubmissionKey
from internationale.notifications.models import InboxEntry
from internationale.organizations.models import Employer, Membership, Relation
from internationale.organizations.tests.factories import (
    EmployerFactory,
    EmployerSiteFactory,
    MembershipFactory,
    OrganizationFactory,
    PresenceFactory,
    RelationFactory,
)

API = "/api/v1"


def bearer(user, organization) -> Client:  # type: ignore[no-untyped-def]
    _token, raw = token_create(actor=System(reason="test"), user=user, organization=organization)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def slugs(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [item["slug"] for item in response.json()["items"]]


# The directory ----------------------------------------------------------------------------------


def test_directory_lists_verified_organizations_and_your_own(client_for, uma, unverified_org):
    OrganizationFactory(name="Another unverified", slug="hidden", verified_at=None)
    OrganizationFactory(name="Dockers of Santos", slug="docks-santos")

    response = client_for(uma).get(f"{API}/organizations")

    assert response.status_code == 200
    assert slugs(response) == ["docks-santos", "riders-new"]
    assert response.json()["count"] == 2


def test_directory_filters_like_the_directory_page(client_for, mo, owner_org, other_org):
    employer = EmployerFactory(slug="global-logistics")
    PresenceFactory(organization=other_org, employer=employer, visibility="public")
    OrganizationFactory(slug="party-ar", country="AR", kind="party", languages=["es"])
    client = client_for(mo)

    def found(**query):  # type: ignore[no-untyped-def]
        return slugs(client.get(f"{API}/organizations", query))

    assert found(q="korean") == ["docks-kr"]
    assert found(country="br") == ["metal-sp"]
    assert found(region="Americas") == ["metal-sp", "party-ar"]
    assert found(kind="party") == ["party-ar"]
    assert found(language="pt") == ["metal-sp"]
    assert found(employer="global-logistics") == ["docks-kr"]
    assert found(verified="false") == []
    assert found(kind="party", country="BR") == []


def test_directory_filters_by_sector(client_for, mo, owner_org):
    owner_org.sectors.create(code="C")

    response = client_for(mo).get(f"{API}/organizations", {"sector": "c"})

    assert slugs(response) == ["metal-sp"]
    assert response.json()["items"][0]["sectors"] == ["C"]


def test_directory_is_paginated_with_a_total_count(client_for, nell):
    for n in range(7):
        OrganizationFactory(name=f"Union {n}", slug=f"union-{n}")

    page = client_for(nell).get(f"{API}/organizations", {"limit": 3, "offset": 3}).json()

    assert page["count"] == 7
    assert [o["slug"] for o in page["items"]] == ["union-3", "union-4", "union-5"]


def test_directory_refuses_a_page_too_large_with_the_field_named(client_for, nell):
    response = client_for(nell).get(f"{API}/organizations", {"limit": 1000, "kind": "club"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"limit", "kind"}


def test_directory_costs_the_same_queries_for_many_organizations(
    client_for, mo, django_assert_max_num_queries
):
    client = client_for(mo)
    for _n in range(30):
        org = OrganizationFactory(languages=["en", "fr"])
        org.sectors.create(code="C")
    # session, person, roles, count, page, languages, sectors
    with django_assert_max_num_queries(7):
        response = client.get(f"{API}/organizations", {"limit": 100})
    assert response.json()["count"] == 31


def test_an_organization_is_shown_by_its_slug(client_for, kim, owner_org):
    response = client_for(kim).get(f"{API}/organizations/metal-sp")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Metalworkers of São Paulo"
    assert body["country"] == "BR"
    assert body["languages"] == ["pt-BR"]
    assert body["verified"] is True


def test_an_unverified_organization_is_not_found_by_outsiders(client_for, nell, kim, uma):
    response = client_for(nell).get(f"{API}/organizations/riders-new")

    assert response.status_code == 404
    assert response.json()["detail"]
    assert client_for(uma).get(f"{API}/organizations/riders-new").status_code == 200
    # Members of verified organizations see it, so as to vouch for it.
    assert client_for(kim).get(f"{API}/organizations/riders-new").status_code == 200


def test_an_unknown_slug_is_not_found(client_for, kim):
    assert client_for(kim).get(f"{API}/organizations/nowhere").status_code == 404


# Members ----------------------------------------------------------------------------------------


def test_members_see_who_is_in_their_organization(client_for, ana, sam, mo):
    response = client_for(mo).get(f"{API}/organizations/metal-sp/members")

    assert response.status_code == 200
    roles = {m["email"]: m["role"] for m in response.json()["items"]}
    assert roles == {
        "ana@metal.example": "admin",
        "sam@metal.example": "secretary",
        "mo@metal.example": "member",
    }


def test_members_of_another_organization_are_not_found(client_for, kim, ana):
    assert client_for(kim).get(f"{API}/organizations/metal-sp/members").status_code == 404


def test_member_list_costs_the_same_queries_for_many_members(
    client_for, ana, owner_org, django_assert_max_num_queries
):
    client = client_for(ana)
    for _n in range(20):
        MembershipFactory(organization=owner_org)
    # session, person, roles, organization (+ its languages and sectors), count, page
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/organizations/metal-sp/members", {"limit": 100})
    assert response.json()["count"] == 21


def test_an_admin_changes_a_role(client_for, ana, mo):
    membership = Membership.objects.get(user=mo)

    response = client_for(ana).patch(
        f"{API}/organizations/metal-sp/members/{membership.pk}",
        {"role": "secretary"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["role"] == "secretary"
    membership.refresh_from_db()
    assert membership.role == "secretary"


def test_a_secretary_cannot_change_roles_and_nothing_changes(client_for, sam, mo):
    membership = Membership.objects.get(user=mo)

    response = client_for(sam).patch(
        f"{API}/organizations/metal-sp/members/{membership.pk}",
        {"role": "admin"},
        content_type="application/json",
    )

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.role == "member"


def test_an_unknown_role_is_refused_with_the_field_named(client_for, ana, mo):
    membership = Membership.objects.get(user=mo)

    response = client_for(ana).patch(
        f"{API}/organizations/metal-sp/members/{membership.pk}",
        {"role": "chair"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["role"]


def test_the_last_admin_cannot_step_down(client_for, ana, sam):
    membership = Membership.objects.get(user=ana)

    response = client_for(ana).patch(
        f"{API}/organizations/metal-sp/members/{membership.pk}",
        {"role": "member"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "at least one admin" in response.json()["detail"]
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_a_membership_of_another_organization_is_not_found(client_for, ana, kim):
    membership = Membership.objects.get(user=kim)

    response = client_for(ana).patch(
        f"{API}/organizations/metal-sp/members/{membership.pk}",
        {"role": "observer"},
        content_type="application/json",
    )

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.role == "secretary"


def test_an_admin_removes_a_member(client_for, ana, mo):
    membership = Membership.objects.get(user=mo)

    response = client_for(ana).delete(f"{API}/organizations/metal-sp/members/{membership.pk}")

    assert response.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_member_leaves_but_cannot_remove_others(client_for, ana, mo, olu):
    client = client_for(mo)
    olus = Membership.objects.get(user=olu)
    mos = Membership.objects.get(user=mo)

    assert client.delete(f"{API}/organizations/metal-sp/members/{olus.pk}").status_code == 404
    assert client.delete(f"{API}/organizations/metal-sp/members/{mos.pk}").status_code == 204
    assert list(Membership.objects.filter(user__in=[mo, olu])) == [olus]


# Relations --------------------------------------------------------------------------------------


def test_relations_of_an_organization_are_listed(client_for, kit, owner_org, other_org):
    RelationFactory(proposer=owner_org, partner=other_org, since=datetime.date(2020, 1, 1))

    response = client_for(kit).get(f"{API}/organizations/metal-sp/relations")

    assert response.status_code == 200
    [relation] = response.json()["items"]
    assert relation["partner"] == {"slug": "docks-kr", "name": "Korean Dockworkers"}
    assert relation["status"] == "accepted"


def test_a_secretary_proposes_a_relation_and_the_partner_finds_it_in_its_inbox(
    client_for, sam, other_org, work_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sam).post(
            f"{API}/organizations/metal-sp/relations",
            {"partner": "docks-kr", "kind": "cooperation", "since": "2024-05-01"},
            content_type="application/json",
        )

    assert response.status_code == 201
    body = response.json()
    assert body["proposer"]["slug"] == "metal-sp"
    assert body["status"] == "proposed"
    assert body["since"] == "2024-05-01"
    assert body["visibility"] == "network"
    work_off()
    assert InboxEntry.objects.filter(organization=other_org, kind="relation.proposed").exists()


def test_a_relation_proposed_twice_with_one_key_is_created_once(client_for, sam, other_org):
    client = client_for(sam)

    def propose():  # type: ignore[no-untyped-def]
        return client.post(
            f"{API}/organizations/metal-sp/relations",
            {"partner": "docks-kr", "kind": "fraternal"},
            content_type="application/json",
            headers={"Idempotency-Key": "c0ffee-1"},
        )

    first, second = propose(), propose()

    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Relation.objects.count() == 1


def test_a_member_cannot_propose_a_relation(client_for, mo, other_org):
    response = client_for(mo).post(
        f"{API}/organizations/metal-sp/relations",
        {"partner": "docks-kr", "kind": "fraternal"},
        content_type="application/json",
    )

    assert response.status_code == 404
    assert Relation.objects.count() == 0


def test_proposing_to_an_unknown_partner_names_the_field(client_for, sam, unverified_org):
    response = client_for(sam).post(
        f"{API}/organizations/metal-sp/relations",
        {"partner": "riders-new", "kind": "fraternal"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["partner"]
    assert Relation.objects.count() == 0


def test_a_proposal_missing_fields_names_each_of_them(client_for, sam):
    response = client_for(sam).post(
        f"{API}/organizations/metal-sp/relations",
        {"since": "yesterday"},
        content_type="application/json",
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["partner"] == ["This field is required."]
    assert errors["kind"] == ["This field is required."]
    assert "since" in errors


def test_a_duplicate_proposal_is_refused_and_creates_nothing(client_for, sam, owner_org, other_org):
    RelationFactory(proposer=other_org, partner=owner_org, kind="fraternal", status="proposed")

    response = client_for(sam).post(
        f"{API}/organizations/metal-sp/relations",
        {"partner": "docks-kr", "kind": "fraternal"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "already" in response.json()["detail"]
    assert Relation.objects.count() == 1


def test_the_partner_accepts_a_proposed_relation(client_for, kim, owner_org, other_org):
    relation = RelationFactory(proposer=owner_org, partner=other_org, status="proposed")

    response = client_for(kim).post(f"{API}/organizations/docks-kr/relations/{relation.pk}/accept")

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    relation.refresh_from_db()
    assert relation.status == "accepted"


def test_the_partner_declines_a_proposed_relation(client_for, kai, owner_org, other_org):
    relation = RelationFactory(proposer=owner_org, partner=other_org, status="proposed")

    response = client_for(kai).post(f"{API}/organizations/docks-kr/relations/{relation.pk}/decline")

    assert response.status_code == 200
    relation.refresh_from_db()
    assert relation.status == "declined"


def test_the_proposer_cannot_accept_its_own_proposal(client_for, sam, owner_org, other_org):
    relation = RelationFactory(proposer=owner_org, partner=other_org, status="proposed")

    response = client_for(sam).post(f"{API}/organizations/metal-sp/relations/{relation.pk}/accept")

    assert response.status_code == 404
    relation.refresh_from_db()
    assert relation.status == "proposed"


def test_a_relation_answered_once_cannot_be_answered_again(client_for, kim, owner_org, other_org):
    relation = RelationFactory(proposer=owner_org, partner=other_org, status="declined")

    response = client_for(kim).post(f"{API}/organizations/docks-kr/relations/{relation.pk}/accept")

    assert response.status_code == 400
    relation.refresh_from_db()
    assert relation.status == "declined"


# Tokens act for their organization only ---------------------------------------------------------


def test_a_token_acts_for_its_organization(sam, other_org):
    response = bearer(sam, sam.memberships.get().organization).post(
        f"{API}/organizations/metal-sp/relations",
        {"partner": "docks-kr", "kind": "fraternal"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert Relation.objects.get().proposed_by == sam


def test_a_token_cannot_act_for_another_organization_of_its_person(sam, owner_org, other_org):
    """Sam also speaks for the Korean dockworkers, but the token was given for São Paulo."""
    MembershipFactory(user=sam, organization=other_org, role="secretary")
    client = bearer(sam, owner_org)

    response = client.post(
        f"{API}/organizations/docks-kr/relations",
        {"partner": "metal-sp", "kind": "fraternal"},
        content_type="application/json",
    )

    assert response.status_code == 404
    assert Relation.objects.count() == 0
    assert client.get(f"{API}/organizations/docks-kr/members").status_code == 404
    assert client.get(f"{API}/organizations/metal-sp/members").status_code == 200


def test_a_token_does_not_lend_its_person_other_organizations_rights(
    uma, owner_org, unverified_org
):
    # Uma also belongs to a verified organization, so with her session she is in the network and
    # sees every unverified organization; her token for the unverified one does not.
    MembershipFactory(user=uma, organization=owner_org, role="member")
    other = OrganizationFactory(name="Another New Union", slug="another-new", verified_at=None)

    assert bearer(uma, unverified_org).get(f"{API}/organizations/{other.slug}").status_code == 404
    assert bearer(uma, owner_org).get(f"{API}/organizations/{other.slug}").status_code == 200


# Presences --------------------------------------------------------------------------------------


def test_presences_of_an_organization_are_shown_to_the_network_only(
    client_for, kit, nell, owner_org
):
    site = EmployerSiteFactory(name="Santos port", country="BR", employer__name="Global Logistics")
    PresenceFactory(organization=owner_org, employer=site.employer, site=site)

    seen = client_for(kit).get(f"{API}/organizations/metal-sp/presences").json()
    unseen = client_for(nell).get(f"{API}/organizations/metal-sp/presences").json()

    assert seen["count"] == 1
    assert seen["items"][0]["employer"]["name"] == "Global Logistics"
    assert seen["items"][0]["site"]["name"] == "Santos port"
    assert unseen == {"items": [], "count": 0}


# Employers --------------------------------------------------------------------------------------


def test_employers_are_listed_with_their_sites(client_for, nell, django_assert_max_num_queries):
    client = client_for(nell)
    for n in range(12):
        EmployerSiteFactory(employer=EmployerFactory(name=f"Shipping {n:02}"), city="Lagos")
    # session, person, count, page, sites
    with django_assert_max_num_queries(5):
        page = client.get(f"{API}/employers", {"q": "shipping", "limit": 5}).json()

    assert page["count"] == 12
    assert [e["name"] for e in page["items"]][:2] == ["Shipping 00", "Shipping 01"]
    assert page["items"][0]["sites"][0]["city"] == "Lagos"


def test_an_employer_is_shown_by_its_slug(client_for, nell):
    EmployerFactory(name="Global Logistics", slug="global-logistics", headquarters="DE")

    response = client_for(nell).get(f"{API}/employers/global-logistics")

    assert response.status_code == 200
    assert response.json()["headquarters"] == "DE"
    assert client_for(nell).get(f"{API}/employers/nobody").status_code == 404


def test_a_secretary_of_a_verified_organization_adds_an_employer(client_for, kim):
    response = client_for(kim).post(
        f"{API}/employers",
        {"name": "Maersk", "headquarters": "dk", "website": "https://maersk.example"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["slug"] == "maersk"
    assert response.json()["headquarters"] == "DK"
    assert Employer.objects.get().created_by == kim


def test_an_employer_added_twice_with_one_key_is_created_once(client_for, kim):
    client = client_for(kim)
    answers = [
        client.post(
            f"{API}/employers",
            {"name": "Maersk"},
            content_type="application/json",
            headers={"Idempotency-Key": "add-maersk"},
        )
        for _ in range(2)
    ]

    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json()["slug"] == answers[1].json()["slug"]
    assert Employer.objects.count() == 1
    assert SubmissionKey.objects.count() == 1


def test_an_employer_refused_keeps_no_idempotency_key(client_for, kim):
    EmployerFactory(name="Maersk")
    client = client_for(kim)

    refused = client.post(
        f"{API}/employers",
        {"name": "maersk"},
        content_type="application/json",
        headers={"Idempotency-Key": "k"},
    )

    assert refused.status_code == 400
    assert refused.json()["errors"]["name"]
    assert SubmissionKey.objects.count() == 0


def test_a_plain_member_may_not_add_an_employer(client_for, mo):
    response = client_for(mo).post(
        f"{API}/employers", {"name": "Maersk"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json()["detail"]
    assert Employer.objects.count() == 0


def test_an_invalid_employer_names_the_fields_at_fault(client_for, kim):
    response = client_for(kim).post(
        f"{API}/employers",
        {"name": "Maersk", "website": "not a url", "headquarters": "XX"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"website", "headquarters"}
    assert Employer.objects.count() == 0


@pytest.mark.parametrize("key", ["", None])
def test_without_a_key_each_submission_creates(client_for, kim, key):
    client = client_for(kim)
    headers = {"Idempotency-Key": key} if key is not None else {}
    for name in ("Maersk", "MSC"):
        client.post(
            f"{API}/employers", {"name": name}, content_type="application/json", headers=headers
        )

    assert Employer.objects.count() == 2


def test_verified_times_are_given_in_utc(client_for, kim, owner_org):
    owner_org.verified_at = datetime.datetime(2024, 3, 1, 12, 0, tzinfo=datetime.UTC)
    owner_org.save()
    kim.time_zone = "Asia/Seoul"
    kim.save()

    body = client_for(kim).get(f"{API}/organizations/metal-sp").json()

    assert timezone.datetime.fromisoformat(body["verified_at"]) == owner_org.verified_at


def test_the_note_of_a_relation_stays_between_the_two_organizations(
    client_for, mo, kit, kim, owner_org, other_org
):
    third = OrganizationFactory(slug="textile-bd", name="Textile Workers")
    RelationFactory(proposer=owner_org, partner=other_org, note="Contact via the port office")
    RelationFactory(proposer=owner_org, partner=third, note="Meet in Dhaka")
    outsider = MembershipFactory(organization=third, role="secretary").user

    def notes(person):  # type: ignore[no-untyped-def]
        items = client_for(person).get(f"{API}/organizations/metal-sp/relations").json()["items"]
        return {r["partner"]["slug"]: r["note"] for r in items}

    assert notes(mo) == {"docks-kr": "Contact via the port office", "textile-bd": "Meet in Dhaka"}
    assert notes(kit) == {"docks-kr": "Contact via the port office", "textile-bd": ""}
    assert notes(outsider) == {"docks-kr": "", "textile-bd": "Meet in Dhaka"}


def test_an_empty_filter_is_ignored_like_on_the_directory_page(client_for, nell, owner_org):
    response = client_for(nell).get(f"{API}/organizations", {"kind": "", "q": ""})

    assert response.status_code == 200
    assert slugs(response) == ["metal-sp"]


def test_one_idempotency_key_used_by_two_people_creates_two_objects(client_for, kim, sam):
    for person in (kim, sam):
        client_for(person).post(
            f"{API}/employers",
            {"name": f"Employer of {person.email}"},
            content_type="application/json",
            headers={"Idempotency-Key": "same"},
        )

    assert Employer.objects.count() == 2


def test_relations_cost_the_same_queries_for_many_relations(
    client_for, mo, owner_org, django_assert_max_num_queries
):
    client = client_for(mo)
    for _n in range(25):
        RelationFactory(proposer=owner_org, partner=OrganizationFactory())
    # session, person, roles, organization (+ languages, sectors), count, page
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/organizations/metal-sp/relations", {"limit": 100})
    assert response.json()["count"] == 25


def test_presences_cost_the_same_queries_for_many_presences(
    client_for, mo, owner_org, django_assert_max_num_queries
):
    client = client_for(mo)
    for _n in range(25):
        PresenceFactory(organization=owner_org, site=EmployerSiteFactory())
    # session, person, roles, organization (+ languages, sectors), count, page
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/organizations/metal-sp/presences", {"limit": 100})
    assert response.json()["count"] == 25


def test_every_visibility_the_schema_documents_for_a_relation_is_accepted(
    client_for, sam, owner_org, other_org
):
    schema = Client().get(f"{API}/openapi.json").json()
    documented = schema["components"]["schemas"]["RelationIn"]["properties"]["visibility"]["enum"]
    assert "private" not in documented

    for visibility in documented:
        Relation.objects.all().delete()
        response = client_for(sam).post(
            f"{API}/organizations/metal-sp/relations",
            {"partner": "docks-kr", "kind": "fraternal", "visibility": visibility},
            content_type="application/json",
        )
        assert response.status_code == 201, visibility
        assert response.json()["visibility"] == visibility
