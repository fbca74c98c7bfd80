"""Permission-matrix cases for the emergency erase pages (see core/tests/matrix.py).

Only the organization's admins (Ana) and the server's operators (Oscar) reach them: to its
members and observers, other organizations and everyone else they answer 404, as if missing;
the anonymous visitor is sent to sign in (302). The request a confirmation points at was made by
Oscar, built lazily in `w.extra`: Ana's confirmation erases (302), Oscar's own is refused on the
form (200).
"""

from typing import Any

from internationale.core.tests.matrix import PERSONAS, Case, expect
from internationale.ownership.erase import erase_request

ERASERS = ["ana", "oscar"]


def statuses(ok: int, anonymous: int = 302, **by_persona: int) -> dict[str, int]:
    result = {p: 404 for p in PERSONAS}
    result["anonymous"] = anonymous
    result.update({p: ok for p in ERASERS})
    result.update(by_persona)
    return result


def pending(w: Any) -> int:
    if "erase" not in w.extra:
        w.extra["erase"] = erase_request(
            actor=w.people["oscar"], organization=w.owner_org, keep_profile=True
        )
    return w.extra["erase"].pk


def page(w: Any) -> str:
    return f"/ownership/{w.owner_org.slug}/erase/"


CASES = [
    Case("erase", "GET", page, statuses(200)),
    Case(
        "erase",
        "POST",
        page,
        statuses(302),
        data=lambda w: {"profile": "keep", "understood": "on"},
    ),
    Case("erase_confirm", "GET", lambda w: f"{page(w)}{pending(w)}/confirm/", statuses(200)),
    Case(
        "erase_confirm",
        "POST",
        lambda w: f"{page(w)}{pending(w)}/confirm/",
        statuses(302, oscar=200),
        data=lambda w: {"understood": "on"},
        note="Oscar asked: his own confirmation is refused on the form",
    ),
    Case(
        "erase_cancel",
        "POST",
        lambda w: f"{page(w)}{pending(w)}/cancel/",
        statuses(302),
        data=lambda w: {},
    ),
    Case("erase_cancel", "GET", lambda w: f"{page(w)}{pending(w)}/cancel/", expect([], 200, 405)),
]
