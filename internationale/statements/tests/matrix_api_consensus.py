"""Permission-matrix cases for the API on positions, consensus and signatures (statements:
matrix_consensus.py). 401 for the anonymous visitor, 404 for a statement one may not see, 403
for what one sees but may not do."""

from internationale.core.tests.matrix import OWNER_SPEAKERS, PERSONAS, Case, expect

from .matrix import INVITED_SPEAKERS, PARTICIPANTS
from .matrix_consensus import added, adopted, called


def on_called(ok: int, allowed: list[str]) -> dict[str, int]:
    result = expect([], 0, 404, anonymous=401)
    result.update(dict.fromkeys(PARTICIPANTS, 403))
    result.update(dict.fromkeys(allowed, ok))
    return result


def on_adopted(ok: int, allowed: list[str]) -> dict[str, int]:
    return expect(allowed, ok, 403, anonymous=401)


CASES = [
    Case(
        "api:statement_positions_call",
        "POST",
        lambda w: f"/api/v1/statements/{called(w)}/positions/call",
        on_called(200, OWNER_SPEAKERS),
        data=lambda w: {},
        json=True,
    ),
    Case(
        "api:statement_position_list",
        "GET",
        lambda w: f"/api/v1/statements/{called(w)}/positions",
        on_called(200, PARTICIPANTS),
    ),
    Case(
        "api:statement_position_state",
        "POST",
        lambda w: f"/api/v1/statements/{called(w)}/positions",
        on_called(200, INVITED_SPEAKERS),
        data=lambda w: {"organization": w.other_org.slug, "stance": "agree", "version": 1},
        json=True,
    ),
    Case(
        "api:statement_consensus",
        "GET",
        lambda w: f"/api/v1/statements/{called(w)}/consensus",
        on_called(200, PARTICIPANTS),
    ),
    Case(
        "api:statement_signature_list",
        "GET",
        lambda w: f"/api/v1/statements/{adopted(w)}/signatures",
        expect([p for p in PERSONAS if p != "anonymous"], 200, 401),
    ),
    Case(
        "api:statement_sign",
        "POST",
        lambda w: f"/api/v1/statements/{adopted(w)}/signatures",
        on_adopted(201, INVITED_SPEAKERS),
        data=lambda w: {"organization": w.other_org.slug},
        json=True,
    ),
    Case(
        "api:statement_signature_decline",
        "POST",
        lambda w: f"/api/v1/statements/{adopted(w)}/signatures/{added(w)}/decline",
        on_adopted(200, OWNER_SPEAKERS),
        data=lambda w: {"reason": "Not an organization of workers."},
        json=True,
    ),
]
