"""Permissions on appeals, declared once. Checked inside services and selectors.

Issuing, sending, updating and resolving: those who speak (admin, secretary) for the issuing
organization. Answering and pledging: those who speak for an organization the appeal was sent to.
Members and observers read, and do nothing else.
"""

from typing import Any

import rules

from internationale.core.predicates import (
    SPEAKING_ROLES,
    in_network,
    org_is_verified,
    organizations_of,
    role_in,
    speaks_for_org,
)

from .models import Addressee, Appeal, Pledge


@rules.predicate
def speaks_for_issuer(user: Any, appeal: Appeal) -> bool:
    return appeal is not None and role_in(user, appeal.organization_id) in SPEAKING_ROLES


@rules.predicate
def belongs_to_issuer(user: Any, appeal: Appeal) -> bool:
    return appeal is not None and role_in(user, appeal.organization_id) is not None


def _addressed_to_one_of(appeal: Appeal, organization_ids: list[int]) -> bool:
    return bool(organization_ids) and (
        Addressee.objects.filter(appeal=appeal, organization_id__in=organization_ids).exists()
    )


@rules.predicate
def speaks_for_an_addressee(user: Any, appeal: Appeal) -> bool:
    if appeal is None or appeal.status == Appeal.Status.DRAFT:
        return False
    return _addressed_to_one_of(appeal, organizations_of(user, SPEAKING_ROLES))


@rules.predicate
def belongs_to_an_addressee(user: Any, appeal: Appeal) -> bool:
    if appeal is None or appeal.status == Appeal.Status.DRAFT:
        return False
    return _addressed_to_one_of(appeal, organizations_of(user))


@rules.predicate
def appeal_is_visible_by_visibility(user: Any, appeal: Appeal) -> bool:
    """Public and network appeals, once sent. (Addressed ones: see belongs_to_an_addressee.)"""
    if appeal is None or appeal.status == Appeal.Status.DRAFT:
        return False
    return appeal.visibility == "public" or (appeal.visibility == "network" and in_network(user))


@rules.predicate
def belongs_to_pledger(user: Any, pledge: Pledge) -> bool:
    return pledge is not None and role_in(user, pledge.organization_id) is not None


@rules.predicate
def speaks_for_pledger(user: Any, pledge: Pledge) -> bool:
    return pledge is not None and role_in(user, pledge.organization_id) in SPEAKING_ROLES


@rules.predicate
def belongs_to_pledge_issuer(user: Any, pledge: Pledge) -> bool:
    return pledge is not None and role_in(user, pledge.appeal.organization_id) is not None


@rules.predicate
def pledge_is_public(user: Any, pledge: Pledge) -> bool:
    return pledge is not None and pledge.public


# Issuing: the object is the organization; only a verified one reaches the network.
rules.add_perm("appeals.issue_appeal", speaks_for_org & org_is_verified)
# On the appeal itself.
rules.add_perm("appeals.send_appeal", speaks_for_issuer)
rules.add_perm("appeals.update_appeal", speaks_for_issuer)
rules.add_perm("appeals.resolve_appeal", speaks_for_issuer)
rules.add_perm("appeals.view_summary", belongs_to_issuer)
rules.add_perm("appeals.respond_to_appeal", speaks_for_an_addressee)
rules.add_perm(
    "appeals.view_appeal",
    belongs_to_issuer | appeal_is_visible_by_visibility | belongs_to_an_addressee,
)
# On a pledge.
rules.add_perm("appeals.change_pledge", speaks_for_pledger)
rules.add_perm(
    "appeals.see_pledge_amount", pledge_is_public | belongs_to_pledger | belongs_to_pledge_issuer
)
