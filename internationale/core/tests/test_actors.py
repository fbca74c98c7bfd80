"""Who acts: a person (acting for one organization through its API token), the system, or an
anonymous visitor; roles loaded once per actor, and the audit entry saying which it was."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from internationale.accounts.services import token_create
from internationale.core.actors import ANONYMOUS, Person, System, actor_of, as_actor
from internationale.core.models import AuditEntry
from internationale.core.predicates import in_network, organizations_of, role_in, roles_of
from internationale.core.services import allowed
from internationale.organizations import services
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory

API = "/api/v1"


def _token_for(user, organization):  # type: ignore[no-untyped-def]
    _token, raw = token_create(actor=System(reason="test"), user=user, organization=organization)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_a_persons_roles_are_read_once_and_kept_on_the_actor(
    sam, owner_org, other_org, django_assert_num_queries
):
    actor = Person(user=sam)

    with django_assert_num_queries(1):
        assert roles_of(actor) == {owner_org.pk: ("secretary", True)}
    with django_assert_num_queries(0):
        assert role_in(actor, owner_org) == "secretary"
        assert organizations_of(actor) == [owner_org.pk]
        assert in_network(actor)
        assert actor.has_perm("organizations.view_members", owner_org)
        assert not actor.has_perm("organizations.view_members", other_org)
    assert not hasattr(sam, "_internationale_roles")  # kept on the actor, not on the person


def test_a_request_has_one_actor_whose_roles_outlive_each_check(
    sam, owner_org, django_assert_num_queries
):
    request = RequestFactory().get("/")
    request.user = sam

    actor = actor_of(request)
    roles_of(actor)

    assert actor_of(request) is actor
    with django_assert_num_queries(0):
        assert actor_of(request).has_perm("organizations.view_inbox", owner_org)


def test_after_a_change_of_role_the_actor_reads_its_roles_again(ana, owner_org):
    MembershipFactory(organization=owner_org, role="admin")  # a second admin: ana may step down
    actor = Person(user=ana)
    assert role_in(actor, owner_org) == "admin"

    services.membership_set_role(
        actor=actor, membership=Membership.objects.get(user=ana), role="member"
    )

    assert role_in(actor, owner_org) == "member"
    assert not actor.has_perm("organizations.manage_members", owner_org)


def test_a_token_actor_cannot_act_for_another_organization_of_the_same_person(
    ana, owner_org, other_org, kit
):
    MembershipFactory(user=ana, organization=other_org, role="admin")
    through_token = Person(user=ana, acting_for=owner_org.pk)
    kits = Membership.objects.get(user=kit)

    assert roles_of(through_token) == {owner_org.pk: ("admin", True)}
    assert not allowed(through_token, "organizations.manage_members", other_org)
    with pytest.raises(PermissionDenied):
        services.membership_set_role(actor=through_token, membership=kits, role="observer")
    kits.refresh_from_db()
    assert kits.role == "member"
    # The same person, signed in with all their roles, may.
    assert allowed(Person(user=ana), "organizations.manage_members", other_org)


def test_through_the_api_a_token_acts_for_its_organization_only(ana, mo, kit, owner_org, other_org):
    MembershipFactory(user=ana, organization=other_org, role="admin")
    api = _token_for(ana, owner_org)
    kits = Membership.objects.get(user=kit)
    mos = Membership.objects.get(user=mo)

    refused = api.patch(
        f"{API}/organizations/docks-kr/members/{kits.pk}",
        {"role": "observer"},
        content_type="application/json",
    )
    done = api.patch(
        f"{API}/organizations/metal-sp/members/{mos.pk}",
        {"role": "observer"},
        content_type="application/json",
    )

    assert refused.status_code == 404
    assert done.status_code == 200
    kits.refresh_from_db()
    mos.refresh_from_db()
    assert (kits.role, mos.role) == ("member", "observer")


def test_the_system_passes_a_rule_only_through_the_services_check(owner_org):
    system = System(reason="test")

    assert allowed(system, "organizations.edit_organization", owner_org)
    assert not system.has_perm("organizations.edit_organization", owner_org)
    assert roles_of(system) == {}
    assert not in_network(system)
    assert as_actor(system) is system


def test_an_anonymous_visitor_is_an_explicit_actor_with_no_roles(
    owner_org, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert as_actor(AnonymousUser()) is ANONYMOUS
        assert as_actor(None) is ANONYMOUS
        assert roles_of(ANONYMOUS) == {}
        assert not in_network(ANONYMOUS)
    assert not allowed(ANONYMOUS, "organizations.view_members", owner_org)
    assert ANONYMOUS.has_perm("organizations.see_organization", owner_org)  # it is verified


def test_an_inactive_person_has_no_roles(sam, owner_org):
    sam.is_active = False
    sam.save()

    assert roles_of(Person(user=sam)) == {}
    assert not allowed(Person(user=sam), "organizations.view_members", owner_org)


def test_the_audit_entry_records_the_organization_a_token_acted_for(client_for, ana, mo, owner_org):
    mos = Membership.objects.get(user=mo)

    _token_for(ana, owner_org).patch(
        f"{API}/organizations/metal-sp/members/{mos.pk}",
        {"role": "observer"},
        content_type="application/json",
    )
    client_for(ana).patch(
        f"{API}/organizations/metal-sp/members/{mos.pk}",
        {"role": "member"},
        content_type="application/json",
    )
    services.membership_set_role(actor=System(reason="cli"), membership=mos, role="secretary")

    entries = AuditEntry.objects.filter(action="membership.role").order_by("id")
    assert [(e.actor, e.acting_for, e.system) for e in entries] == [
        (ana, owner_org, ""),
        (ana, None, ""),
        (None, None, "cli"),
    ]
    page = client_for(ana).get(f"/organizations/{owner_org.slug}/audit/")
    assert page.content.decode().count("API token of Metalworkers of São Paulo") == 1


def test_a_staff_members_token_speaks_for_its_organization_not_as_an_operator(
    oscar, owner_org, other_org
):
    from internationale.organizations.models import Membership

    Membership.objects.create(user=oscar, organization=owner_org, role="admin")
    assert allowed(Person(oscar), "organizations.verify_organization", other_org)
    through_token = Person(oscar, acting_for=owner_org.pk)
    assert not allowed(through_token, "organizations.verify_organization", other_org)
    assert not in_network(Person(oscar, acting_for=other_org.pk))
