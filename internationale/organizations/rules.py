"""Permissions on organizations, declared once. Checked inside services and selectors."""

import rules

from internationale.core.predicates import (
    is_org_admin,
    is_org_member,
    is_server_operator,
    org_is_verified,
    speaks_for_a_verified_org,
    speaks_for_org,
)

# Reading: an organization is visible once verified; before that, to its own people and operators.
rules.add_perm(
    "organizations.view_organization", org_is_verified | is_org_member | is_server_operator
)
rules.add_perm("organizations.view_members", is_org_member | is_server_operator)
rules.add_perm("organizations.view_inbox", is_org_member)
rules.add_perm("organizations.view_audit", is_org_admin | is_server_operator)

# Managing the organization itself.
rules.add_perm("organizations.change_organization", is_org_admin | is_server_operator)
rules.add_perm("organizations.manage_members", is_org_admin)
rules.add_perm("organizations.manage_webhooks", is_org_admin)
rules.add_perm("organizations.create_token", is_org_member)

# Speaking for the organization.
rules.add_perm("organizations.speak_for", speaks_for_org)
rules.add_perm("organizations.propose_relation", speaks_for_org)
rules.add_perm("organizations.record_presence", speaks_for_org)

# Verification: an operator verifies; a verified organization's admin or secretary vouches.
rules.add_perm("organizations.verify_organization", is_server_operator)
rules.add_perm("organizations.vouch_for", speaks_for_a_verified_org & ~is_org_member)

# Employers are a shared directory: any person speaking for a verified organization may add one.
rules.add_perm("organizations.add_employer", speaks_for_a_verified_org | is_server_operator)
