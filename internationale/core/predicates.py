"""Who the viewer is, in terms the permission rules are declared in.

Every role lookup goes through `roles_of`, which loads a person's memberships once and keeps them
on the user object for the rest of the request, so permission checks in lists cost no queries.
"""

from typing import Any

import rules
from django.apps import apps

ADMIN = "admin"
SECRETARY = "secretary"
MEMBER = "member"
OBSERVER = "observer"
SPEAKING_ROLES = (ADMIN, SECRETARY)


def roles_of(user: Any) -> dict[int, tuple[str, bool]]:
    """{organization id: (role, organization verified)} for a signed-in person, else {}."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, "_internationale_roles", None)
    if cached is None:
        # By its label, not imported: core lies below organizations and imports no app.
        memberships = apps.get_model("organizations", "Membership")._default_manager
        cached = {
            org_id: (role, verified is not None)
            for org_id, role, verified in memberships.filter(user=user).values_list(
                "organization_id", "role", "organization__verified_at"
            )
        }
        user._internationale_roles = cached
    return cached


def forget_roles(user: Any) -> None:
    if hasattr(user, "_internationale_roles"):
        del user._internationale_roles


def role_in(user: Any, organization: Any) -> str | None:
    org_id = getattr(organization, "pk", organization)
    entry = roles_of(user).get(org_id)
    return entry[0] if entry else None


def organizations_of(user: Any, roles: tuple[str, ...] | None = None) -> list[int]:
    return [oid for oid, (role, _v) in roles_of(user).items() if roles is None or role in roles]


def in_network(user: Any) -> bool:
    """A member of at least one verified organization, or an operator: may see `network` content."""
    return is_operator(user) or any(verified for _role, verified in roles_of(user).values())


def is_operator(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


# Predicates for django-rules. Each takes (user, organization).
@rules.predicate
def is_server_operator(user: Any) -> bool:
    return is_operator(user)


@rules.predicate
def is_org_admin(user: Any, organization: Any) -> bool:
    return organization is not None and role_in(user, organization) == ADMIN


@rules.predicate
def is_org_member(user: Any, organization: Any) -> bool:
    """Any role at all, observers included."""
    return organization is not None and role_in(user, organization) is not None


@rules.predicate
def speaks_for_org(user: Any, organization: Any) -> bool:
    return organization is not None and role_in(user, organization) in SPEAKING_ROLES


@rules.predicate
def org_is_verified(user: Any, organization: Any) -> bool:
    return organization is not None and organization.verified_at is not None


@rules.predicate
def is_in_network(user: Any) -> bool:
    return in_network(user)


@rules.predicate
def speaks_for_a_verified_org(user: Any) -> bool:
    return any(role in SPEAKING_ROLES and verified for role, verified in roles_of(user).values())
