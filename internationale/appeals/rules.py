"""Permissions on appeals, declared once. Checked inside services and selectors.

Issuing, sending, updating and resolving: those who speak (admin, secretary) for the issuing
organization. Answering and pledging: those who speak for an organization the appeal was sent to.
Members and observers read, and do nothing else. Who sees an appeal, its updates, responses and
pledges is each model's audience (internationale/core/visibility.py), from which the rules
"appeals.view_<model>" come.
"""

import rules

from internationale.core.actors import Actor
from internationale.core.predicates import (
    SPEAKING_ROLES,
    org_is_verified,
    organizations_of,
    role_in,
    speaks_for_org,
)
from internationale.core.services import needs_verified_organization
from internationale.core.visibility import addressed_among, shows

from .models import Appeal, Pledge


@rules.predicate
def speaks_for_issuer(user: Actor, appeal: Appeal) -> bool:
    return appeal is not None and role_in(user, appeal.organization_id) in SPEAKING_ROLES


@rules.predicate
def belongs_to_issuer(user: Actor, appeal: Appeal) -> bool:
    return appeal is not None and role_in(user, appeal.organization_id) is not None


@rules.predicate
def speaks_for_an_addressee(user: Actor, appeal: Appeal) -> bool:
    """For an organization the appeal was sent to (never while it is a draft)."""
    if appeal is None or appeal.status in (Appeal.Status.DRAFT, Appeal.Status.SENDING):
        return False
    addressees = addressed_among(appeal, frozenset(organizations_of(user)))
    return any(role_in(user, org) in SPEAKING_ROLES for org in addressees)


@rules.predicate
def speaks_for_pledger(user: Actor, pledge: Pledge) -> bool:
    return pledge is not None and role_in(user, pledge.organization_id) in SPEAKING_ROLES


@rules.predicate
def may_read_pledge_details(user: Actor, pledge: Pledge) -> bool:
    return pledge is not None and shows(pledge, "details", user)


# Issuing: the object is the organization; only a verified one reaches the network.
rules.add_perm("appeals.issue_appeal", speaks_for_org & org_is_verified)
needs_verified_organization("appeals.issue_appeal", object_acts=True)
# On the appeal itself.
rules.add_perm("appeals.send_appeal", speaks_for_issuer)
rules.add_perm("appeals.update_appeal", speaks_for_issuer)
rules.add_perm("appeals.resolve_appeal", speaks_for_issuer)
rules.add_perm("appeals.view_summary", belongs_to_issuer)
rules.add_perm("appeals.respond_to_appeal", speaks_for_an_addressee)
# On a pledge.
rules.add_perm("appeals.change_pledge", speaks_for_pledger)
# What was pledged and the evidence: the pledge's "details" (Pledge.audience).
rules.add_perm("appeals.see_pledge_amount", may_read_pledge_details)
