"""Who acts, and who views. Three kinds, each explicit:

- `Person`: a signed-in person, with the organization they act for when the request came with
  that organization's API token (`acting_for`), else None. Their roles are loaded once, on first
  use, and kept on this object for the rest of the request: permission checks in lists cost no
  queries, and a token's person counts as a member of the token's organization only.
- `System`: the server acting on its own account, with its reason ("cli", "demo", "escalation").
  It is the only way past a service's permission rule, and the audit entry records it.
- `ANONYMOUS`: a visitor who has not signed in. No roles, sees public content only.
- `Remote`: an organization of another server, accepted on this one, acting through an activity
  its actor sent to an inbox (federation). It acts for that organization only, as its secretary
  (it answers and pledges, states positions on statements and signs them, nothing else), never
  counts as a verified organization of this server (it sees no `network` content, vouches and
  issues nothing), and the audit records its actor URL.

Each request has one actor, `actor_of(request)` (the middleware puts it on `request.actor`; the
API's authentication on `request.auth`). Services take an `ActorLike`, selectors a `ViewerLike`;
both also accept a user object, which becomes a `Person` at the boundary (`as_actor`).
"""

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeAlias, TypeGuard

import rules
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

if TYPE_CHECKING:
    from internationale.accounts.models import User

# Where core/signed_in.py leaves the memberships it read with the request's person.
MEMBERSHIPS_READ = "_memberships_read"

# {organization id: (role, organization verified)}
Roles: TypeAlias = dict[int, tuple[str, bool]]


def _take(user: "User", name: str) -> Any:
    """The attribute `name` of `user` (None if it has none), removed from it. Through getattr and
    delattr: the request's user is a lazy object that passes them on."""
    value = getattr(user, name, None)
    if value is not None:
        delattr(user, name)
    return value


@dataclass(frozen=True)
class Person:
    """A signed-in person acting, for one organization only when `acting_for` is set."""

    user: "User"
    acting_for: int | None = None  # the organization of the API token the request came with

    is_authenticated = True

    @property
    def pk(self) -> int:
        return self.user.pk

    @property
    def is_active(self) -> bool:
        return self.user.is_active

    @property
    def is_staff(self) -> bool:
        return self.user.is_staff

    @cached_property
    def _memberships(self) -> list[tuple[int, str, bool, str]]:
        """(organization, role, verified, its country), oldest membership first: one query, on
        first use, kept on this actor (`forget` drops it after a change)."""
        # Read with the request's person (core/signed_in.py), for the first actor made of it.
        read = _take(self.user, MEMBERSHIPS_READ)
        if not self.user.is_active:
            return []
        if read is not None:
            if self.acting_for is None:
                return list(read)
            return [membership for membership in read if membership[0] == self.acting_for]
        # By its label, not imported: core lies below organizations and imports no app.
        memberships = apps.get_model("organizations", "Membership")._default_manager.filter(
            user=self.user
        )
        if self.acting_for is not None:
            memberships = memberships.filter(organization_id=self.acting_for)
        return [
            (org_id, role, verified is not None, str(country or ""))
            for org_id, role, verified, country in memberships.order_by(
                "created_at", "pk"
            ).values_list(
                "organization_id", "role", "organization__verified_at", "organization__country"
            )
        ]

    @property
    def roles(self) -> Roles:
        return {org_id: (role, verified) for org_id, role, verified, _c in self._memberships}

    @property
    def countries(self) -> list[str]:
        """The countries of the person's organizations, oldest membership first."""
        return [country for _o, _r, _v, country in self._memberships]

    def forget(self) -> None:
        """Drop the loaded roles: the next check reads them again (after a change of membership)."""
        self.__dict__.pop("_memberships", None)
        _take(self.user, MEMBERSHIPS_READ)

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """The platform's rules, with this actor as the predicates' subject; Django's own
        permissions (the operator pages) are the person's."""
        if rules.perm_exists(perm):
            return self.user.is_active and rules.has_perm(perm, self, obj)
        return self.user.has_perm(perm, obj)

    def __str__(self) -> str:
        return str(self.user)


@dataclass(frozen=True)
class Anonymous:
    """A visitor who has not signed in."""

    is_authenticated = False
    is_active = False
    is_staff = False
    pk = None

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return rules.perm_exists(perm) and rules.has_perm(perm, self, obj)

    def __str__(self) -> str:
        return "anonymous"


ANONYMOUS = Anonymous()


@dataclass(frozen=True)
class System:
    """The server acting on its own account: the command line, the demo, a scheduled task."""

    reason: str

    # What a user object answers, so code that reads these never takes the system for a person.
    is_authenticated = False
    is_active = False
    is_staff = False
    pk = None

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        # The system holds no rule itself: `core.services.allowed` lets it past, explicitly.
        return False

    def __str__(self) -> str:
        return f"system ({self.reason})"


@dataclass(frozen=True)
class Remote:
    """A remote organization (accepted on this server, with its `Organization` row here) acting
    through an activity sent by its actor `actor_url`: for that organization only, as its
    secretary. Its organization counts as unverified in its roles, so that it never sees what the
    network of this server's verified organizations sees."""

    organization_id: int
    actor_url: str

    is_authenticated = False  # no person behind it: never taken for a signed-in user
    is_active = True
    is_staff = False
    pk = None

    @property
    def roles(self) -> Roles:
        return {self.organization_id: ("secretary", False)}

    @property
    def countries(self) -> list[str]:
        return []

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return rules.perm_exists(perm) and rules.has_perm(perm, self, obj)

    def __str__(self) -> str:
        return f"remote ({self.actor_url})"


Actor: TypeAlias = Person | Anonymous | System | Remote
# Who a service accepts as acting: an actor (an anonymous one is refused by the rule), or a user
# object (made a `Person` on the way in).
ActorLike: TypeAlias = "Person | Anonymous | System | Remote | User"
# Who a selector accepts as viewing: any actor, a user object, Django's anonymous user, or None.
ViewerLike: TypeAlias = "Person | Anonymous | System | Remote | User | AnonymousUser | None"


def as_actor(who: "ViewerLike") -> Actor:
    """The actor for `who`: actors as they are; a signed-in user as a `Person` acting for all
    their organizations (with roles of its own: pass the request's actor where there is one)."""
    if isinstance(who, Person | Anonymous | System | Remote):
        return who
    if who is None or not who.is_authenticated:
        return ANONYMOUS
    return Person(user=who)  # type: ignore[arg-type]


def actor_of(request: HttpRequest) -> Actor:
    """The one actor of this request, built on first use from its signed-in person."""
    actor = request.__dict__.get("actor")
    if actor is None:
        actor = as_actor(getattr(request, "user", None))
        request.actor = actor  # type: ignore[attr-defined]
    return actor


def is_system(actor: object) -> TypeGuard[System]:
    return isinstance(actor, System)


def person(actor: "ViewerLike") -> "User | None":
    """The person behind an actor, or None for the system and anonymous visitors."""
    who = as_actor(actor)
    return who.user if isinstance(who, Person) else None


def user_of(actor: "ActorLike") -> "User":
    """The person behind an actor that must be one (their own profile, their own invitation)."""
    user = person(actor)
    if user is None:
        raise TypeError("This action is a person's own: the system cannot take it.")
    return user


def acting_for(actor: "ViewerLike") -> int | None:
    """The organization an API token (or a remote organization's activity) limits the actor to,
    or None."""
    who = as_actor(actor)
    if isinstance(who, Remote):
        return who.organization_id
    return who.acting_for if isinstance(who, Person) else None
