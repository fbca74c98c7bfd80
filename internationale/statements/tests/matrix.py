"""Permission-matrix cases for the statement pages (see core/tests/matrix.py; the statement they
point at: matrix_world.py).

As on the appeal pages: a statement the persona may not see answers 404; a visible one with an
action reserved to other roles answers 403; an anonymous visitor is sent to sign in (302).
Successful form posts redirect (302). A statement being drafted is for its participants: the
initiator's people and the invited organization's see it, nobody else, operators included.
"""

from internationale.core.tests.matrix import OWNER_SPEAKERS, OWNERS, PERSONAS, Case, expect

from .matrix_world import statement

INVITED_SPEAKERS = ["kim", "kai"]
INVITED = ["kit", "kim", "kai"]
PARTICIPANTS = [*OWNERS, *INVITED]
PARTICIPANT_SPEAKERS = [*OWNER_SPEAKERS, *INVITED_SPEAKERS]


def statuses(default: int, anonymous: int = 302, **by_persona: int) -> dict[str, int]:
    result = {p: default for p in PERSONAS}
    result["anonymous"] = anonymous
    result.update(by_persona)
    return result


def on_statement(ok: int, allowed: list[str]) -> dict[str, int]:
    """An action on the draft: `ok` for the allowed, 403 for the other participants, 404 for
    those who do not see it, 302 for the anonymous visitor."""
    result = statuses(404, **{p: 403 for p in PARTICIPANTS})
    result.update({p: ok for p in allowed})
    return result


def path(template: str, ref=statement):  # type: ignore[no-untyped-def]
    return lambda w: template.format(ref(w))


CASES = [
    Case("statement_list", "GET", lambda w: "/statements/", statuses(200)),
    Case("statement_list", "POST", lambda w: "/statements/", expect([], 200, 405)),
    Case(
        "statement_detail",
        "GET",
        path("/statements/{}/"),
        statuses(404, anonymous=404, **{p: 200 for p in PARTICIPANTS}),
    ),
    Case("statement_detail", "POST", path("/statements/{}/"), expect([], 200, 405)),
]

from .matrix_publication import CASES as _publication  # noqa: E402

CASES += _publication
from .matrix_advice import CASES as _advice  # noqa: E402

CASES += _advice
# Drafting ----------------------------------------------------------------------------------------
from .matrix_drafting import CASES as _drafting  # noqa: E402

CASES += _drafting
from .matrix_amend import CASES as _amend  # noqa: E402

CASES += _amend
from .matrix_consensus import CASES as _consensus  # noqa: E402

CASES += _consensus
