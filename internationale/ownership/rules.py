"""Permissions of ownership, declared once. Checked inside services; asked by pages and the API only to
choose what to show."""

import rules

from internationale.core.predicates import is_org_admin, is_server_operator

# Asking for an emergency erase and confirming it: an organization's admins, and operators (the
# service requires two different people, one of them its admin).
rules.add_perm("ownership.erase_content", is_org_admin | is_server_operator)
