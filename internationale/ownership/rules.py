"""Permissions of ownership, declared once. Checked inside services; asked by pages and the API only to
choose what to show."""

from typing import Any

import rules

from internationale.core.actors import Actor
from internationale.core.predicates import is_org_admin, is_server_operator


@rules.predicate
def admin_of_export_org(actor: Actor, export: Any) -> bool:
    return export is not None and is_org_admin(actor, export.organization_id)


# An organization's data leaves the server only through its admins: not its members, observers,
# other organizations, nor operators (who move an organization with the command line).
rules.add_perm("ownership.export_organization", is_org_admin)
rules.add_perm("ownership.download_export", admin_of_export_org)

# Asking for an emergency erase and confirming it: an organization's admins, and operators (the
# service requires two different people, one of them its admin).
rules.add_perm("ownership.erase_content", is_org_admin | is_server_operator)

# Relations brought from another server, waiting for their partner: proposed again or dismissed
# by its admins (pending.py).
rules.add_perm("ownership.manage_pending_relations", is_org_admin)
