"""Permissions on people and their API tokens, declared once. Checked inside services."""

from typing import Any

import rules

from internationale.core.actors import Actor
from internationale.core.predicates import is_org_admin, is_server_operator


@rules.predicate
def is_self(user: Actor, person: Any) -> bool:
    return person is not None and user.pk is not None and person.pk == user.pk


@rules.predicate
def owns_token(user: Actor, token: Any) -> bool:
    return token is not None and user.pk is not None and token.user_id == user.pk


@rules.predicate
def admin_of_token_org(user: Actor, token: Any) -> bool:
    return token is not None and is_org_admin(user, token.organization_id)


# On the person the token is for: a person creates tokens for themselves only.
rules.add_perm("accounts.create_token", is_self)
# On a token: its owner, or an admin of the organization it acts for.
rules.add_perm("accounts.revoke_token", owns_token | admin_of_token_org)
# Making someone a server operator takes an operator (or the server's own command line).
rules.add_perm("accounts.make_operator", is_server_operator)
