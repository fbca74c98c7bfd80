"""Permissions of federation, declared once (see DESIGN.md)."""

import rules

from internationale.core.predicates import is_org_admin, is_server_operator

# A new key pair for an organization as an actor: its admins, and the server's operators.
rules.add_perm("federation.rotate_key", is_org_admin | is_server_operator)

# Block lists (blocks.py): a remote server for the whole server, by its operators; a remote server
# or actor for one organization, by its admins (and the operators).
rules.add_perm("federation.block_for_server", is_server_operator)
rules.add_perm("federation.block_for_organization", is_org_admin | is_server_operator)
