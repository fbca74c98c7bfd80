"""Who acts. A person acts as a user object; the server itself acts as an explicit `System`.

The system actor is the only way past a service's permission rule, and the audit entry records it
with its reason ("cli", "demo", "escalation"), so nothing the server does is done by nobody.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class System:
    """The server acting on its own account: the command line, the demo, a scheduled task."""

    reason: str

    # What a user object answers, so code that reads these never takes the system for a person.
    is_authenticated = False
    is_active = False
    is_staff = False
    pk = None

    def __str__(self) -> str:
        return f"system ({self.reason})"


def is_system(actor: Any) -> bool:
    return isinstance(actor, System)


def person(actor: Any) -> Any:
    """The person behind an actor, or None for the system and anonymous visitors."""
    return actor if getattr(actor, "is_authenticated", False) else None
