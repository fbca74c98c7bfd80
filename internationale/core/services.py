"""What every service shares: the permission check that says why."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require(user: Any, perm: str, obj: Any = None, message: str | None = None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message or _("You are not allowed to do this."))
