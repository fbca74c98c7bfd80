"""What every service shares: the permission check that says why."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .actors import ViewerLike, as_actor, is_system
from .predicates import SPEAKING_ROLES, roles_of

# Permissions that an admin or secretary holds only once their organization is verified (see
# `needs_verified_organization`): refusing one of them says why, not just "no". The value says
# whether the permission's object is the organization that acts (issuing for it, proposing from it)
# rather than another one (vouching for it) or none (registering an employer).
_NEEDS_VERIFICATION: dict[str, bool] = {}


class NotVerified(PermissionDenied):
    """Refused because the organizations the person speaks for are not verified yet. The error
    page explains verification and how to get there (see web/errors.py)."""

    def __init__(self, organization_ids: list[int]) -> None:
        super().__init__(_("Your organization is not verified yet."))
        self.organization_ids = organization_ids


def needs_verified_organization(*perms: str, object_acts: bool = False) -> None:
    """Declare, beside the rules, permissions that only a verified organization's people hold;
    `object_acts`: the permission's object is the organization that acts."""
    _NEEDS_VERIFICATION.update(dict.fromkeys(perms, object_acts))


def allowed(actor: ViewerLike, perm: str, obj: Any = None) -> bool:
    """Whether `actor` may do what `perm` declares: the system always may, explicitly."""
    if actor is None:
        raise TypeError("No actor: pass the person, or System(reason=...) for the server itself.")
    who = as_actor(actor)
    return is_system(who) or bool(who.has_perm(perm, obj))


def require(actor: ViewerLike, perm: str, obj: Any = None, message: str | None = None) -> None:
    if not allowed(actor, perm, obj):
        waiting = _waiting_for_verification(actor, perm, obj)
        if waiting:
            raise NotVerified(waiting)
        raise PermissionDenied(message or _("You are not allowed to do this."))


def _waiting_for_verification(actor: ViewerLike, perm: str, obj: Any) -> list[int]:
    """The unverified organizations the actor speaks for, when only their verification stands
    between the actor and `perm`: the organization that acts (when the object is it), or, for a
    permission on another organization or on none, all of them while none is verified."""
    object_acts = _NEEDS_VERIFICATION.get(perm)
    if object_acts is None:
        return []
    roles = roles_of(actor)
    speaking = {
        org_id: verified for org_id, (role, verified) in roles.items() if role in SPEAKING_ROLES
    }
    is_organization = obj is not None and hasattr(obj, "verified_at")
    if object_acts and is_organization:
        return [obj.pk] if obj.verified_at is None and speaking.get(obj.pk) is False else []
    if is_organization and obj.pk in roles:
        return []  # on one's own organization (vouching for it, say): refused for that reason
    if any(speaking.values()):
        return []  # speaks for a verified organization: refused for another reason
    return sorted(speaking)


def reason_text(reason: str | None, limit: int) -> str:
    """The reason given for ending something (cancelling, withdrawing), stripped; refused, as the
    form's `reason` field, when longer than `limit` characters."""
    reason = (reason or "").strip()
    if len(reason) > limit:
        message = _("Say it in %(max)s characters at most.") % {"max": limit}
        raise ValidationError({"reason": ValidationError(message, code="max_length")})
    return reason
