"""Permission-matrix cases for the API on advice (see matrix_advice.py for the pages): 401 for
the anonymous visitor; 404 for anyone who does not speak for the sender or the receiver, the
organizations' members and observers and the operators included; 403 for the sender's people
answering."""

from typing import Any

from internationale.core.tests.matrix import OWNER_SPEAKERS, PERSONAS, Case, expect

from .matrix_advice import SPEAKERS, advice


def body(w: Any) -> dict[str, Any]:
    return {"receiver": w.other_org.slug, "subject": "Solidarity first", "text": "Ask first."}


def statuses(default: int, **by_persona: int) -> dict[str, int]:
    result = {p: default for p in PERSONAS}
    result["anonymous"] = 401
    result.update(by_persona)
    return result


CASES = [
    Case(
        "api:advice_list",
        "GET",
        lambda w: f"/api/v1/organizations/{w.owner_org.slug}/advice",
        expect(OWNER_SPEAKERS, 200, 404, anonymous=401),
    ),
    Case(
        "api:advice_give",
        "POST",
        lambda w: f"/api/v1/organizations/{w.owner_org.slug}/advice",
        expect(OWNER_SPEAKERS, 201, 404, anonymous=401),
        data=body,
        json=True,
    ),
    Case(
        "api:advice_detail",
        "GET",
        lambda w: f"/api/v1/advice/{advice(w)}",
        expect(SPEAKERS, 200, 404, anonymous=401),
    ),
    Case(
        "api:advice_answer",
        "POST",
        lambda w: f"/api/v1/advice/{advice(w)}/answer",
        statuses(404, sam=403, ana=403, kim=200, kai=200),
        data=lambda w: {"answer": "partly", "reason": "Not in May."},
        json=True,
    ),
]
