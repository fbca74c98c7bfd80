"""Permissions of federation, declared once (see DESIGN.md)."""

import rules

from internationale.core.predicates import is_org_admin, is_server_operator

# A new key pair for an organization as an actor: its admins, and the server's operators.
rules.add_perm("federation.rotate_key", is_org_admin | is_server_operator)
