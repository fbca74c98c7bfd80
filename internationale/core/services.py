"""What every service shares: the permission check that says why."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .actors import ViewerLike, as_actor, is_system


def allowed(actor: ViewerLike, perm: str, obj: Any = None) -> bool:
    """Whether `actor` may do what `perm` declares: the system always may, explicitly."""
    if actor is None:
        raise TypeError("No actor: pass the person, or System(reason=...) for the server itself.")
    who = as_actor(actor)
    return is_system(who) or bool(who.has_perm(perm, obj))


def require(actor: ViewerLike, perm: str, obj: Any = None, message: str | None = None) -> None:
    if not allowed(actor, perm, obj):
        raise PermissionDenied(message or _("You are not allowed to do this."))
