"""Who the viewer is, in terms the permission rules are declared in.

Every role lookup goes through `roles_of`, which reads the actor's roles (`core/actors.py`): loaded
once and kept on the actor for the rest of the request, so permission checks in lists cost no
queries. The django-rules predicates receive the actor (`Person`, `Anonymous` or `System`).
"""

from typing import Any

import rules

from .actors import Actor, Person, Remote, Roles, ViewerLike, as_actor

ADMIN = "admin"
SECRETARY = "secretary"
MEMBER = "member"
OBSERVER = "observer"
SPEAKING_ROLES = (ADMIN, SECRETARY)


def roles_of(actor: ViewerLike) -> Roles:
    """{organization id: (role, organization verified)} for a signed-in person, else {}. A person
    acting through an organization's API token has their role in that organization only; a remote
    organization acting (`Remote`) is the secretary of its own, unverified for these checks."""
    who = as_actor(actor)
    return who.roles if isinstance(who, Person | Remote) else {}


def forget_roles(actor: ViewerLike) -> None:
    """After a change of membership: the actor's next check reads their roles again."""
    if isinstance(actor, Person):
        actor.forget()


def role_in(actor: ViewerLike, organization: Any) -> str | None:
    org_id = getattr(organization, "pk", organization)
    entry = roles_of(actor).get(org_id)
    return entry[0] if entry else None


def organizations_of(actor: ViewerLike, roles: tuple[str, ...] | None = None) -> list[int]:
    return [oid for oid, (role, _v) in roles_of(actor).items() if roles is None or role in roles]


def in_network(actor: ViewerLike) -> bool:
    """A member of at least one verified organization, or an operator: may see `network` content."""
    return is_operator(actor) or any(verified for _role, verified in roles_of(actor).values())


def is_operator(actor: ViewerLike) -> bool:
    who = as_actor(actor)
    # A token speaks for its organization and nothing else: a staff member's token is no operator.
    return isinstance(who, Person) and who.acting_for is None and who.is_active and who.is_staff


# Predicates for django-rules. Each takes (actor, organization).
@rules.predicate
def is_server_operator(actor: Actor) -> bool:
    return is_operator(actor)


@rules.predicate
def is_org_admin(actor: Actor, organization: Any) -> bool:
    return organization is not None and role_in(actor, organization) == ADMIN


@rules.predicate
def is_org_member(actor: Actor, organization: Any) -> bool:
    """Any role at all, observers included."""
    return organization is not None and role_in(actor, organization) is not None


@rules.predicate
def speaks_for_org(actor: Actor, organization: Any) -> bool:
    return organization is not None and role_in(actor, organization) in SPEAKING_ROLES


@rules.predicate
def org_is_verified(actor: Actor, organization: Any) -> bool:
    return organization is not None and organization.verified_at is not None


@rules.predicate
def is_in_network(actor: Actor) -> bool:
    return in_network(actor)


@rules.predicate
def speaks_for_a_verified_org(actor: Actor) -> bool:
    return any(role in SPEAKING_ROLES and verified for role, verified in roles_of(actor).values())
