"""Permissions on organizations, declared once. Checked inside services and selectors."""

from typing import Any

import rules

from internationale.core.actors import Actor, Remote
from internationale.core.predicates import (
    SPEAKING_ROLES,
    is_in_network,
    is_org_admin,
    is_org_member,
    is_server_operator,
    org_is_verified,
    role_in,
    speaks_for_a_verified_org,
    speaks_for_org,
)
from internationale.core.services import needs_verified_organization


@rules.predicate
def is_own_membership(user: Actor, membership: Any) -> bool:
    return membership is not None and user.pk is not None and membership.user_id == user.pk


@rules.predicate
def admin_of_membership_org(user: Actor, membership: Any) -> bool:
    return membership is not None and is_org_admin(user, membership.organization_id)


@rules.predicate
def is_remote_organization(user: Actor) -> bool:
    """A remote organization accepted on this server, acting through its activity (federation):
    verified by its acceptance, though its roles count it unverified for what it may read."""
    return isinstance(user, Remote)


@rules.predicate
def speaks_for_voucher(user: Actor, vouch: Any) -> bool:
    return vouch is not None and role_in(user, vouch.voucher_id) in SPEAKING_ROLES


@rules.predicate
def speaks_for_either_side(user: Actor, relation: Any) -> bool:
    return relation is not None and (
        role_in(user, relation.proposer_id) in SPEAKING_ROLES
        or role_in(user, relation.partner_id) in SPEAKING_ROLES
    )


# Reading: an organization is public once verified; before that, its own people and the network
# (members of verified organizations, operators) see it, so that they can vouch for it.
rules.add_perm("organizations.see_organization", org_is_verified | is_org_member | is_in_network)
# Who belongs to an organization stays inside it: not even operators list its members.
rules.add_perm("organizations.view_members", is_org_member)
rules.add_perm("organizations.view_inbox", is_org_member)
rules.add_perm("organizations.view_audit", is_org_admin | is_server_operator)

# Anyone signed in may register an organization (it starts unverified, its creator its admin);
# only an operator registers one verified, or for someone else.
rules.add_perm("organizations.create_organization", rules.is_authenticated)
rules.add_perm("organizations.create_verified_organization", is_server_operator)

# Managing the organization itself.
rules.add_perm("organizations.edit_organization", is_org_admin | is_server_operator)
rules.add_perm("organizations.change_slug", is_server_operator)
rules.add_perm("organizations.manage_members", is_org_admin)
# On a membership: a person may always leave; removing someone else takes an admin.
rules.add_perm("organizations.leave_organization", is_own_membership)
rules.add_perm("organizations.remove_member", is_own_membership | admin_of_membership_org)
rules.add_perm("organizations.manage_webhooks", is_org_admin)
rules.add_perm("organizations.create_token", is_org_member)
# An admin sees and revokes every token of the organization, not only their own.
rules.add_perm("organizations.manage_tokens", is_org_admin)

# Speaking for the organization.
rules.add_perm("organizations.speak_for", speaks_for_org)
# An unverified organization cannot put proposals in verified organizations' inboxes.
rules.add_perm("organizations.propose_relation", speaks_for_org & org_is_verified)
rules.add_perm("organizations.record_presence", speaks_for_org)
# On a relation: either side may end it.
rules.add_perm("organizations.end_relation", speaks_for_either_side)

# Verification: an operator verifies; a verified organization's admin or secretary vouches.
rules.add_perm("organizations.verify_organization", is_server_operator)
# The organizations waiting to be verified, with their vouches and similar names.
rules.add_perm("organizations.view_verification_queue", is_server_operator)
# An accepted remote organization vouches through an activity (federation/acting.py); whether its
# vouch counts is the operator's setting (FEDERATION_REMOTE_VOUCHES, in services.vouch_add).
rules.add_perm(
    "organizations.vouch_for",
    (speaks_for_a_verified_org | is_remote_organization) & ~is_org_member,
)
# On a vouch: the vouching organization's admin or secretary withdraws it.
rules.add_perm("organizations.withdraw_vouch", speaks_for_voucher)

# Employers are a shared directory: any person speaking for a verified organization may add one.
rules.add_perm("organizations.register_employer", speaks_for_a_verified_org | is_server_operator)
needs_verified_organization("organizations.propose_relation", object_acts=True)
needs_verified_organization("organizations.vouch_for", "organizations.register_employer")
