"""Permissions on organizations, declared once. Checked inside services and selectors."""

import rules

from internationale.core.predicates import (
    is_in_network,
    is_org_admin,
    is_org_member,
    is_server_operator,
    org_is_verified,
    speaks_for_a_verified_org,
    speaks_for_org,
)

# Reading: an organization is public once verified; before that, its own people and the network
# (members of verified organizations, operators) see it, so that they can vouch for it.
rules.add_perm("organizations.see_organization", org_is_verified | is_org_member | is_in_network)
# Who belongs to an organization stays inside it: not even operators list its members.
rules.add_perm("organizations.view_members", is_org_member)
rules.add_perm("organizations.view_inbox", is_org_member)
rules.add_perm("organizations.view_audit", is_org_admin | is_server_operator)

# Managing the organization itself.
rules.add_perm("organizations.edit_organization", is_org_admin | is_server_operator)
rules.add_perm("organizations.manage_members", is_org_admin)
rules.add_perm("organizations.manage_webhooks", is_org_admin)
rules.add_perm("organizations.create_token", is_org_member)
# An admin sees and revokes every token of the organization, not only their own.
rules.add_perm("organizations.manage_tokens", is_org_admin)

# Speaking for the organization.
rules.add_perm("organizations.speak_for", speaks_for_org)
# An unverified organization cannot put proposals in verified organizations' inboxes.
rules.add_perm("organizations.propose_relation", speaks_for_org & org_is_verified)
rules.add_perm("organizations.record_presence", speaks_for_org)

# Verification: an operator verifies; a verified organization's admin or secretary vouches.
rules.add_perm("organizations.verify_organization", is_server_operator)
rules.add_perm("organizations.vouch_for", speaks_for_a_verified_org & ~is_org_member)

# Employers are a shared directory: any person speaking for a verified organization may add one.
rules.add_perm("organizations.register_employer", speaks_for_a_verified_org | is_server_operator)
