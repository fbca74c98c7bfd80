"""Permissions of actions, declared once. Checked inside services; asked by pages and the API only to
choose what to show.

Calling a day: those who speak (admin, secretary) for a verified organization. Changing the call,
inviting co-callers and calling organizations: those who speak for the calling organization.
Accepting or declining to co-call: those who speak for an organization invited to. Answering the
call: those who speak for a called organization. Registering a local action: those who speak for
a verified organization that may read the day (the service checks the organization named).
Changing or withdrawing an action: those who speak for its organization. The callers' pages (the
answers per country, the contacts of local actions): the people of the callers, that is the
calling organization and the co-callers that accepted. Members and observers read, and do
nothing else. Who sees a day is its audience (DayOfAction.audience), from which the rule
"actions.view_dayofaction" comes.
"""

from typing import Any

import rules

from internationale.core.actors import Actor
from internationale.core.predicates import (
    SPEAKING_ROLES,
    org_is_verified,
    organizations_of,
    role_in,
    speaks_for_a_verified_org,
    speaks_for_org,
)
from internationale.core.services import needs_verified_organization

from .models import CoCaller, DayOfAction, LocalAction


def callers_of(day: DayOfAction) -> frozenset[int]:
    """The calling organization and the co-callers that accepted. Kept on the day read."""
    memo = day.__dict__.get("_callers")
    if memo is None:
        accepted = CoCaller.objects.filter(day=day, status=CoCaller.Status.ACCEPTED)
        memo = frozenset([day.organization_id, *accepted.values_list("organization_id", flat=True)])
        day.__dict__["_callers"] = memo
    return memo


def forget_callers(day: DayOfAction) -> None:
    day.__dict__.pop("_callers", None)


def invited_cocallers(day: DayOfAction) -> dict[int, str]:
    """{organization id: status} of the organizations invited to co-call."""
    return dict(CoCaller.objects.filter(day=day).values_list("organization_id", "status"))


@rules.predicate
def speaks_for_caller(user: Actor, day: DayOfAction) -> bool:
    """Speaks for the calling organization (the one that prepares the call)."""
    return day is not None and role_in(user, day.organization_id) in SPEAKING_ROLES


@rules.predicate
def is_of_a_caller(user: Actor, day: DayOfAction) -> bool:
    """Belongs (any role) to the calling organization or to a co-caller that accepted."""
    return day is not None and bool(callers_of(day) & set(organizations_of(user)))


@rules.predicate
def speaks_for_a_caller(user: Actor, day: DayOfAction) -> bool:
    return day is not None and bool(callers_of(day) & set(organizations_of(user, SPEAKING_ROLES)))


@rules.predicate
def speaks_for_an_invited_cocaller(user: Actor, day: DayOfAction) -> bool:
    if day is None:
        return False
    mine = set(organizations_of(user, SPEAKING_ROLES))
    return bool(mine & set(invited_cocallers(day)))


@rules.predicate
def speaks_for_a_called(user: Actor, day: DayOfAction) -> bool:
    """Speaks for an organization the day was called to (not through co-calling)."""
    if day is None:
        return False
    mine = frozenset(organizations_of(user, SPEAKING_ROLES))
    if not mine:
        return False
    from .models import Called

    return Called.objects.filter(day=day, organization_id__in=mine).exists()


@rules.predicate
def speaks_for_action_org(user: Actor, action: LocalAction) -> bool:
    return action is not None and role_in(user, action.organization_id) in SPEAKING_ROLES


@rules.predicate
def sees_day(user: Actor, day: Any) -> bool:
    return day is not None and day.is_visible_to(user)


# Calling: the object is the organization; only a verified one reaches the network.
rules.add_perm("actions.call_day", speaks_for_org & org_is_verified)
needs_verified_organization("actions.call_day", object_acts=True)
# On the day, for the calling organization.
rules.add_perm("actions.change_day", speaks_for_caller)
rules.add_perm("actions.call_organizations", speaks_for_caller)
rules.add_perm("actions.invite_cocallers", speaks_for_caller)
# Co-calling: for those invited to.
rules.add_perm("actions.answer_cocall", speaks_for_an_invited_cocaller)
# The callers' pages.
rules.add_perm("actions.view_answers", is_of_a_caller)
rules.add_perm("actions.view_contacts", is_of_a_caller)
# Answering the call.
rules.add_perm("actions.answer_day", speaks_for_a_called)
# Local actions: registering on the day (the service checks the organization named); changing one.
rules.add_perm("actions.register_action", speaks_for_a_verified_org & sees_day)
needs_verified_organization("actions.register_action")
rules.add_perm("actions.change_action", speaks_for_action_org)
