"""The shape every action shares: an explicit system actor, permission through declared rules
only, and audit entries of registered kinds on their target object, worded for the reader."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from internationale.accounts.models import User
from internationale.accounts.services import token_create, token_revoke, user_set_operator
from internationale.core.actors import System
from internationale.core.audit import registered
from internationale.core.models import AuditEntry
from internationale.organizations import services
from internationale.organizations.models import Membership, Organization, Relation, Vouch
from internationale.organizations.tests.factories import RelationFactory

SOURCE = Path(__file__).resolve().parents[2]


def _kinds_used_in_code() -> set[str]:
    kinds: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        for call in re.finditer(r"\baudit\((.*?)\n\s*\)", text, flags=re.S):
            for line in call[1].splitlines():
                if line.strip().startswith("action="):
                    kinds.update(re.findall(r'"([a-z_]+\.[a-z_]+)"', line))
    return kinds


def test_every_audit_kind_used_in_the_code_is_registered_with_a_label_and_a_wording():
    used = _kinds_used_in_code()
    assert {"organization.create", "relation.end", "token.revoke", "appeal.send"} <= used
    known = registered()
    assert used - set(known) == set()
    for kind in used:
        assert str(known[kind].label).strip(), kind
        assert callable(known[kind].wording), kind


# The system actor


def test_no_actor_at_all_is_refused_rather_than_taken_for_the_system(owner_org):
    with pytest.raises(TypeError):
        services.invitation_create(
            actor=None, organization=owner_org, email="new@example.org", role="member"
        )


def test_the_system_bypasses_the_rule_and_is_audited_with_its_reason(owner_org):
    membership = services.membership_add(
        actor=System(reason="cli"),
        organization=owner_org,
        user=User.objects.create(email="new@example.org"),
        role="member",
    )
    entry = AuditEntry.objects.for_target(membership).get()
    assert entry.action == "membership.add"
    assert entry.actor is None and entry.system == "cli"


def test_a_person_without_the_rule_still_cannot_add_a_member(owner_org, mo, nell):
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=mo, organization=owner_org, user=nell, role="member")
    assert not Membership.objects.filter(user=nell).exists()


# Inline checks that became rules, role by role


def test_leaving_is_declared_a_rule_on_ones_own_membership(ana, mo, owner_org):
    own = Membership.objects.get(user=mo)
    assert mo.has_perm("organizations.leave_organization", own)
    assert not ana.has_perm("organizations.leave_organization", own)
    assert ana.has_perm("organizations.remove_member", own)
    assert not mo.has_perm("organizations.remove_member", Membership.objects.get(user=ana))


def test_ending_a_relation_is_a_rule_for_either_side_only(ana, sam, mo, kim, nell, owner_org):
    relation = RelationFactory(proposer=owner_org, partner=kim.memberships.get().organization)
    assert sam.has_perm("organizations.end_relation", relation)
    assert kim.has_perm("organizations.end_relation", relation)
    assert not mo.has_perm("organizations.end_relation", relation)
    assert not nell.has_perm("organizations.end_relation", relation)


def test_withdrawing_a_vouch_is_a_rule_for_the_vouching_organization(kim, kit, ana, unverified_org):
    vouch = services.vouch_add(actor=kim, organization=unverified_org)
    assert kim.has_perm("organizations.withdraw_vouch", vouch)
    assert not kit.has_perm("organizations.withdraw_vouch", vouch)
    assert not ana.has_perm("organizations.withdraw_vouch", vouch)
    with pytest.raises(PermissionDenied):
        services.vouch_withdraw(actor=ana, vouch=vouch)
    assert Vouch.objects.get().withdrawn_at is None


def test_tokens_are_created_for_oneself_and_revoked_by_owner_or_admin(ana, mo, sam, owner_org):
    assert mo.has_perm("accounts.create_token", mo)
    assert not ana.has_perm("accounts.create_token", mo)
    token, _raw = token_create(actor=mo, user=mo, organization=owner_org)
    assert mo.has_perm("accounts.revoke_token", token)
    assert ana.has_perm("accounts.revoke_token", token)
    assert not sam.has_perm("accounts.revoke_token", token)
    with pytest.raises(PermissionDenied):
        token_revoke(actor=sam, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_only_an_operator_makes_an_operator_and_it_is_audited(oscar, ana, nell):
    with pytest.raises(PermissionDenied):
        user_set_operator(actor=ana, user=nell)
    assert not User.objects.get(pk=nell.pk).is_staff
    user_set_operator(actor=oscar, user=nell)
    nell.refresh_from_db()
    assert nell.is_staff and nell.is_superuser
    entry = AuditEntry.objects.for_target(nell).get()
    assert entry.action == "user.operator" and entry.actor == oscar


# Audit entries: target, history, wording


def test_what_happened_to_a_relation_is_one_query(kim, sam, owner_org, other_org):
    relation = services.relation_propose(
        actor=sam, proposer=owner_org, partner=other_org, kind=Relation.Kind.FRATERNAL
    )
    services.relation_decide(actor=kim, relation=relation, accept=True)
    services.relation_end(actor=kim, relation=relation)
    history = AuditEntry.objects.for_target(relation)
    # Each step is on both organizations' logs.
    assert sorted(history.values_list("action", flat=True)) == sorted(
        ["relation.propose", "relation.accept", "relation.end"] * 2
    )
    assert not AuditEntry.objects.for_target(owner_org).filter(action__startswith="relation")


def test_the_audit_log_is_worded_in_the_readers_language(client_for, ana, mo, owner_org):
    with translation.override("fr"):  # an admin working in French...
        services.membership_set_role(
            actor=ana, membership=Membership.objects.get(user=mo), role="secretary"
        )
    entry = AuditEntry.objects.get(action="membership.role")
    assert "Secretary" in entry.summary  # ...stores the server's language
    client = client_for(ana)
    page = client.get("/organizations/metal-sp/audit/", HTTP_ACCEPT_LANGUAGE="fr").content
    assert "Secrétaire" in page.decode()
    page = client.get("/organizations/metal-sp/audit/", HTTP_ACCEPT_LANGUAGE="en").content
    assert "Secretary" in page.decode()


def test_an_entry_whose_wording_no_longer_fits_shows_its_stored_summary(client_for, ana, owner_org):
    AuditEntry.objects.create(
        actor=ana,
        organization=owner_org,
        action="membership.role",
        summary="An older entry",
        data={"user": 1},
    )
    page = client_for(ana).get("/organizations/metal-sp/audit/").content.decode()
    assert "An older entry" in page


# The operator pages go through the services


def test_an_operator_editing_an_organization_in_the_operator_pages_is_audited(
    client_for, oscar, owner_org
):
    oscar.is_superuser = True
    oscar.save()
    response = client_for(oscar).post(
        f"/operator/organizations/organization/{owner_org.pk}/change/",
        {
            "name": "Metalworkers of São Paulo and region",
            "short_name": owner_org.short_name,
            "slug": owner_org.slug,
            "kind": owner_org.kind,
            "country": owner_org.country,
            "city": owner_org.city,
            "website": owner_org.website,
            "description": owner_org.description,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Organization.objects.get(pk=owner_org.pk).name.endswith("and region")
    entry = AuditEntry.objects.for_target(owner_org).get(action="organization.update")
    assert entry.actor == oscar and entry.data["fields"] == ["name"]


def test_granting_operator_rights_in_the_operator_pages_is_audited(client_for, oscar, nell):
    oscar.is_superuser = True
    oscar.save()
    response = client_for(oscar).post(
        f"/operator/accounts/user/{nell.pk}/change/",
        {
            "email": nell.email,
            "name": nell.name,
            "language": nell.language,
            "time_zone": nell.time_zone,
            "is_active": "on",
            "is_staff": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": nell.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": nell.date_joined.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    nell.refresh_from_db()
    assert nell.is_staff
    entry = AuditEntry.objects.for_target(nell).get()
    assert entry.action == "user.operator" and entry.actor == oscar
