"""Permission-matrix cases for the pages on positions and signatures (see matrix.py), and the
statements they point at, built from the shared world and kept in `w.extra`:

- `called`: a statement of the owning organization (Sam), the other organization invited,
  positions called on version 1, nobody has answered;
- `adopted`: another, adopted and public: the owning organization agreed (its signature), the
  other stood aside (it may still sign); `added`: a signature the third organization added
  after adoption, which the initiator may decline.
"""

from typing import Any

from internationale.addressing.routing import Criteria
from internationale.core.actors import System
from internationale.core.tests.matrix import OWNER_SPEAKERS, PERSONAS, Case
from internationale.statements import consensus
from internationale.statements.services import statement_create

from .matrix import INVITED_SPEAKERS, on_statement, statuses
from .matrix_world import PARAGRAPHS, built, deadlines


def _start(w: Any, title: str, **changes: Any) -> Any:
    return statement_create(
        actor=w.people["sam"],
        organization=w.owner_org,
        title=title,
        language="en",
        paragraphs=PARAGRAPHS,
        criteria=Criteria(add=[w.other_org.pk]),
        **deadlines(),
        **changes,
    )


def called(w: Any) -> int:
    if "called" not in w.extra:
        statement = _start(w, "Solidarity with the dockers of Busan")
        w.extra["called"] = consensus.positions_call(actor=w.people["sam"], statement=statement)
    return w.extra["called"].pk


def adopted(w: Any) -> int:
    if "adopted" not in w.extra:
        statement = _start(w, "For the right to strike everywhere", min_agree=1)
        consensus.positions_call(actor=w.people["sam"], statement=statement)
        consensus.position_state(
            actor=w.people["sam"], statement=statement, organization=w.owner_org, stance="agree"
        )
        consensus.position_state(
            actor=w.people["kim"],
            statement=statement,
            organization=w.other_org,
            stance="stand_aside",
        )
        statement.refresh_from_db()
        w.extra["adopted"] = statement
        w.extra["added"] = consensus.signature_add(
            actor=System(reason="test"), statement=statement, organization=built(w)["third"]
        )
    return w.extra["adopted"].pk


def added(w: Any) -> int:
    adopted(w)
    return w.extra["added"].pk


def on_adopted(ok: int, allowed: list[str]) -> dict[str, int]:
    """An action on the public adopted statement: everyone sees it, so 403 for those not
    allowed, 302 for the anonymous visitor."""
    result = statuses(403)
    result.update({p: ok for p in allowed})
    return result


def _decline(w: Any) -> str:
    return f"/statements/{adopted(w)}/signatures/{added(w)}/decline/"


CASES = [
    Case(
        "statement_positions_call",
        "GET",
        lambda w: f"/statements/{called(w)}/positions/call/",
        on_statement(200, OWNER_SPEAKERS),
    ),
    Case(
        "statement_positions_call",
        "POST",
        lambda w: f"/statements/{called(w)}/positions/call/",
        on_statement(302, OWNER_SPEAKERS),
        data=lambda w: {},
    ),
    Case(
        "statement_position",
        "GET",
        lambda w: f"/statements/{called(w)}/positions/",
        on_statement(200, [*OWNER_SPEAKERS, *INVITED_SPEAKERS]),
    ),
    Case(
        "statement_position",
        "POST",
        lambda w: f"/statements/{called(w)}/positions/",
        # The position is the invited organization's: its speakers record it; the initiator's
        # speakers do not speak for it, and see the form again with the error.
        {**on_statement(302, INVITED_SPEAKERS), **dict.fromkeys(OWNER_SPEAKERS, 200)},
        data=lambda w: {"organization": w.other_org.slug, "version": 1, "stance": "agree"},
    ),
    Case(
        "statement_sign",
        "GET",
        lambda w: f"/statements/{adopted(w)}/signatures/add/",
        on_adopted(200, INVITED_SPEAKERS),
    ),
    Case(
        "statement_sign",
        "POST",
        lambda w: f"/statements/{adopted(w)}/signatures/add/",
        # The initiator's speakers do not speak for the organization named: the form again,
        # with the error.
        {**on_adopted(302, INVITED_SPEAKERS), **dict.fromkeys(OWNER_SPEAKERS, 200)},
        data=lambda w: {"organization": w.other_org.slug},
    ),
    Case(
        "statement_signature_decline",
        "GET",
        _decline,
        on_adopted(200, OWNER_SPEAKERS),
    ),
    Case(
        "statement_signature_decline",
        "POST",
        _decline,
        on_adopted(302, OWNER_SPEAKERS),
        data=lambda w: {"reason": "Not an organization of workers."},
    ),
]

assert all(set(case.expected) == set(PERSONAS) for case in CASES)
