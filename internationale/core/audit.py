from typing import Any

from .models import AuditEntry


def audit(
    *, actor: Any, action: str, summary: str, organization: Any = None, **data: Any
) -> AuditEntry:
    """Record a sensitive action. Call inside the service's transaction."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organization=organization,
        action=action,
        summary=summary[:500],
        data=data,
    )
