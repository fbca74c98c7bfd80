"""Permissions on material aid: the giver declares what it sent, the issuer confirms receipt."""

import rules

from internationale.appeals.rules import speaks_for_pledger
from internationale.core.actors import Actor
from internationale.core.predicates import SPEAKING_ROLES, role_in

from .models import Contribution


@rules.predicate
def speaks_for_the_appeals_issuer(user: Actor, contribution: Contribution) -> bool:
    return (
        contribution is not None
        and role_in(user, contribution.appeal.organization_id) in SPEAKING_ROLES
    )


# The object of "declare" is the pledge (appeals.Pledge); of "confirm", the contribution.
rules.add_perm("aid.declare_contribution", speaks_for_pledger)
rules.add_perm("aid.confirm_receipt", speaks_for_the_appeals_issuer)
