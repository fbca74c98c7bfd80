"""Permissions on organizations, role by role (meinBerlin style): each rule against every persona.

Ana, Sam, Mo and Olu are admin, secretary, member and observer of the Metalworkers (verified);
Kim, Kai and Kit are secretary, admin and member of the Dockworkers (verified); Uma is admin of
the Riders (unverified); Nell belongs to no organization; Oscar is a server operator.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

PERSONAS = ["ana", "sam", "mo", "olu", "kim", "kai", "kit", "uma", "nell", "oscar", "anonymous"]


@pytest.fixture
def everyone(request, ana, sam, mo, olu, kim, kai, kit, uma, nell, oscar):
    people = {name: request.getfixturevalue(name) for name in PERSONAS if name != "anonymous"}
    people["anonymous"] = AnonymousUser()
    return people


def allowed(everyone, perm, obj):  # type: ignore[no-untyped-def]
    return {name for name, person in everyone.items() if person.has_perm(perm, obj)}


def test_a_verified_organization_is_visible_to_everyone(everyone, owner_org):
    assert allowed(everyone, "organizations.see_organization", owner_org) == set(PERSONAS)


def test_an_unverified_organization_is_visible_to_its_own_people_and_the_network_only(
    everyone, unverified_org
):
    # The network (members of verified organizations, operators) sees it, so as to vouch for it;
    # the public and people in no verified organization do not.
    assert allowed(everyone, "organizations.see_organization", unverified_org) == {
        "uma",
        "kit",
        "kim",
        "kai",
        "olu",
        "mo",
        "sam",
        "ana",
        "oscar",
    }


def test_only_the_admin_and_operators_change_an_organization(everyone, owner_org):
    assert allowed(everyone, "organizations.edit_organization", owner_org) == {"ana", "oscar"}


def test_only_the_organizations_own_admin_manages_its_members(everyone, owner_org, other_org):
    assert allowed(everyone, "organizations.manage_members", owner_org) == {"ana"}
    assert allowed(everyone, "organizations.manage_members", other_org) == {"kai"}


def test_admins_and_secretaries_speak_for_their_own_organization(everyone, owner_org, other_org):
    assert allowed(everyone, "organizations.speak_for", owner_org) == {"ana", "sam"}
    assert allowed(everyone, "organizations.speak_for", other_org) == {"kim", "kai"}


def test_speakers_of_verified_organizations_vouch_for_an_unverified_one(everyone, unverified_org):
    # Uma cannot vouch for her own organization; members and observers do not speak for theirs.
    assert allowed(everyone, "organizations.vouch_for", unverified_org) == {
        "ana",
        "sam",
        "kim",
        "kai",
    }


def test_nobody_vouches_for_their_own_organization(everyone, owner_org):
    assert allowed(everyone, "organizations.vouch_for", owner_org) == {"kim", "kai"}


def test_a_speaker_of_an_unverified_organization_cannot_vouch(uma, other_org):
    assert not uma.has_perm("organizations.vouch_for", other_org)


def test_only_operators_verify_organizations(everyone, unverified_org):
    assert allowed(everyone, "organizations.verify_organization", unverified_org) == {"oscar"}


def test_the_audit_log_is_for_the_admin_and_operators(everyone, owner_org):
    assert allowed(everyone, "organizations.view_audit", owner_org) == {"ana", "oscar"}


def test_every_member_reads_the_inbox_and_nobody_else(everyone, owner_org):
    # Operators moderate, but confidential mail between organizations is not theirs to read.
    assert allowed(everyone, "organizations.view_inbox", owner_org) == {"ana", "sam", "mo", "olu"}


def test_only_the_admin_manages_webhooks(everyone, owner_org):
    assert allowed(everyone, "organizations.manage_webhooks", owner_org) == {"ana"}


def test_a_deactivated_admin_loses_every_right(ana, owner_org):
    ana.is_active = False
    ana.save()
    assert not ana.has_perm("organizations.edit_organization", owner_org)
    assert not ana.has_perm("organizations.view_inbox", owner_org)


def test_a_deactivated_operator_is_no_longer_an_operator(oscar, unverified_org):
    oscar.is_active = False
    oscar.save()
    assert not oscar.has_perm("organizations.see_organization", unverified_org)
    assert not oscar.has_perm("organizations.verify_organization", unverified_org)
