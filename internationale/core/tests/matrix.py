"""The permission matrix: every URL of the platform, HTML and API, against every persona.

Each app declares its cases in `<app>/tests/matrix.py` as `CASES = [Case(...), ...]`.
`test_permission_matrix.py` collects them, runs each against each persona on a fresh world,
and fails when a URL pattern of the project has no case (see EXEMPT for the few that are not ours).

Personas, from least to most entitled:
  anonymous; nell (signed in, no organization); uma (admin of an unverified organization);
  kit, kim, kai (member, secretary, admin of another verified organization);
  olu, mo, sam, ana (observer, member, secretary, admin of the owning organization); oscar (operator).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = ["anonymous", "nell", "uma", "kit", "kim", "kai", "olu", "mo", "sam", "ana", "oscar"]
OWNERS = ["olu", "mo", "sam", "ana"]
OWNER_SPEAKERS = ["sam", "ana"]
SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]
IN_NETWORK = ["kit", "kim", "kai", "olu", "mo", "sam", "ana", "oscar"]


@dataclass
class World:
    """What every case can point at. Built fresh for each test by the `world` fixture."""

    people: dict[str, Any]
    owner_org: Any  # verified, Brazilian metalworkers: olu, mo, sam, ana
    other_org: Any  # verified, Korean dockworkers: kit, kim, kai
    unverified_org: Any  # uma
    membership: Any  # mo's membership in owner_org
    relation: Any  # proposed by other_org to owner_org, still open
    employer: Any
    site: Any
    presence: Any  # owner_org at employer/site, network visibility
    vouch: Any  # other_org vouches for unverified_org (by kim)
    token: Any  # ana's API token for owner_org
    token_raw: str
    webhook: Any  # owner_org's webhook
    inbox_entry: Any  # in owner_org's inbox
    invitation_token: str  # an open invitation to owner_org for nell's address
    extra: dict[str, Any] = field(default_factory=dict)


def expect(
    allowed: list[str], ok: int, denied: int, anonymous: int | None = None
) -> dict[str, int]:
    """Status per persona: `ok` for the allowed ones, `denied` for the others, and a distinct
    status for the anonymous visitor when it differs (302 to sign in, 401 on the API)."""
    result = {p: (ok if p in allowed else denied) for p in PERSONAS}
    if anonymous is not None and "anonymous" not in allowed:
        result["anonymous"] = anonymous
    return result


@dataclass
class Case:
    name: str  # URL pattern name, "api:<name>" for the API
    method: str
    path: Callable[[World], str]
    expected: dict[str, int]
    data: Callable[[World], Any] | None = None  # form data, or a JSON-able body for the API
    json: bool = False
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}"
