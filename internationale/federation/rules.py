"""Permissions of federation, declared once (see DESIGN.md)."""

import rules

from internationale.core.actors import Actor
from internationale.core.predicates import ADMIN, is_org_admin, is_server_operator, role_in

# A new key pair for an organization as an actor: its admins, and the server's operators.
rules.add_perm("federation.rotate_key", is_org_admin | is_server_operator)
# A new key pair for the server's own actor (which signs its fetches): its operators.
rules.add_perm("federation.rotate_server_key", is_server_operator)

# Block lists (blocks.py): a remote server for the whole server, by its operators; a remote server
# or actor for one organization, by its admins (and the operators).
rules.add_perm("federation.block_for_server", is_server_operator)
rules.add_perm("federation.block_for_organization", is_org_admin | is_server_operator)


@rules.predicate
def is_admin_of_related(actor: Actor, entry: object) -> bool:
    """The admin of the organization a remote organization asked to relate to."""
    organization_id = getattr(entry, "relates_to_id", None)
    return organization_id is not None and role_in(actor, organization_id) == ADMIN


# Remote organizations (remote_orgs.py): asked for by the operators for the whole server, or by
# an organization's admins for their organization; accepted or refused by the operators, or by
# the admins of the organization it relates to.
rules.add_perm("federation.request_remote_for_server", is_server_operator)
rules.add_perm("federation.request_remote_for_organization", is_org_admin | is_server_operator)
rules.add_perm("federation.decide_remote", is_server_operator | is_admin_of_related)

# Where an organization moved to, or from (moving.py): its admins, and the server's operators.
rules.add_perm("federation.move_organization", is_org_admin | is_server_operator)
