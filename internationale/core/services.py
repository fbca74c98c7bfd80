"""What every service shares: the permission check that says why."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .actors import is_system


def allowed(actor: Any, perm: str, obj: Any = None) -> bool:
    """Whether `actor` may do what `perm` declares: the system always may, explicitly."""
    if actor is None:
        raise TypeError("No actor: pass the person, or System(reason=...) for the server itself.")
    return is_system(actor) or bool(actor.has_perm(perm, obj))


def require(actor: Any, perm: str, obj: Any = None, message: str | None = None) -> None:
    if not allowed(actor, perm, obj):
        raise PermissionDenied(message or _("You are not allowed to do this."))
