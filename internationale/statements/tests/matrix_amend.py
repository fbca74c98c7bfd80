"""Permission-matrix cases for the pages of amendments and versions (see matrix.py). The drafted
statement of matrix_world.py gets an open amendment by the invited organization (Kim), and one
that needs rebasing, built lazily here.

Versions, the comparison and amendments are for the participants; deciding and revising for
those who speak for the initiator (Sam, Ana); proposing, rebasing and withdrawing for those who
speak for the invited organization (Kim, Kai)."""

from typing import Any

from internationale.core.tests.matrix import OWNER_SPEAKERS, PERSONAS, Case, expect
from internationale.statements.amendments import amendment_propose
from internationale.statements.models import Amendment

from .matrix import INVITED_SPEAKERS, PARTICIPANTS, on_statement, path, statuses
from .matrix_world import built


def _amendment(w: Any, key: str, paragraph: int) -> int:
    extra = built(w)
    if key not in extra:
        extra[key] = amendment_propose(
            actor=w.people["kim"],
            statement=extra["statement"],
            organization=w.other_org,
            version=1,
            paragraph=paragraph,
            kind="replace",
            text="We condemn the arrests of organizers at the ports of Santos and Busan.",
            reason="Busan too.",
        )
    return extra[key].pk


def amendment(w: Any) -> int:
    return _amendment(w, "amendment", 2)


def to_rebase(w: Any) -> int:
    pk = _amendment(w, "to_rebase", 3)
    Amendment.objects.filter(pk=pk).update(status=Amendment.Status.NEEDS_REBASE)
    return pk


READ = statuses(404, **{p: 200 for p in PARTICIPANTS})
READ_OPEN = statuses(404, anonymous=404, **{p: 200 for p in PARTICIPANTS})
ONLY_GET = expect([], 200, 405)

CASES = [
    Case("version_list", "GET", path("/statements/{}/versions/"), READ),
    Case("version_list", "POST", path("/statements/{}/versions/"), ONLY_GET),
    Case("version_detail", "GET", path("/statements/{}/versions/1/"), READ_OPEN),
    Case("version_detail", "POST", path("/statements/{}/versions/1/"), ONLY_GET),
    Case("version_compare", "GET", path("/statements/{}/compare/?from=1&to=1"), READ),
    Case("version_compare", "POST", path("/statements/{}/compare/"), ONLY_GET),
    Case(
        "statement_revise", "GET", path("/statements/{}/revise/"), on_statement(200, OWNER_SPEAKERS)
    ),
    Case(
        "statement_revise",
        "POST",
        path("/statements/{}/revise/"),
        on_statement(302, OWNER_SPEAKERS),
        data=lambda w: {"text": "One.\n\nTwo.", "note": "Shorter."},
    ),
    Case("amendment_list", "GET", path("/statements/{}/amendments/"), READ),
    Case("amendment_list", "POST", path("/statements/{}/amendments/"), ONLY_GET),
    Case(
        "amendment_propose",
        "GET",
        path("/statements/{}/amendments/propose/"),
        on_statement(200, INVITED_SPEAKERS),
    ),
    Case(
        "amendment_propose",
        "POST",
        path("/statements/{}/amendments/propose/"),
        on_statement(302, INVITED_SPEAKERS),
        data=lambda w: {
            "organization": w.other_org.slug,
            "version": 1,
            "paragraph": 1,
            "kind": "delete",
            "reason": "Said elsewhere.",
        },
    ),
    Case("amendment_detail", "GET", path("/statements/amendments/{}/", amendment), READ),
    Case("amendment_detail", "POST", path("/statements/amendments/{}/", amendment), ONLY_GET),
    Case(
        "amendment_decide",
        "GET",
        path("/statements/amendments/{}/decide/", amendment),
        on_statement(200, OWNER_SPEAKERS),
    ),
    Case(
        "amendment_decide",
        "POST",
        path("/statements/amendments/{}/decide/", amendment),
        on_statement(302, OWNER_SPEAKERS),
        data=lambda w: {"decision": "reject", "reason": "Not now.", "confirm": "on"},
    ),
    Case(
        "amendment_rebase",
        "GET",
        path("/statements/amendments/{}/rebase/", to_rebase),
        on_statement(200, INVITED_SPEAKERS),
    ),
    Case(
        "amendment_rebase",
        "POST",
        path("/statements/amendments/{}/rebase/", to_rebase),
        on_statement(302, INVITED_SPEAKERS),
        data=lambda w: {"paragraph": 3, "kind": "replace", "text": "Send them.", "reason": "Now."},
    ),
    Case(
        "amendment_withdraw",
        "GET",
        path("/statements/amendments/{}/withdraw/", amendment),
        on_statement(200, INVITED_SPEAKERS),
    ),
    Case(
        "amendment_withdraw",
        "POST",
        path("/statements/amendments/{}/withdraw/", amendment),
        on_statement(302, INVITED_SPEAKERS),
    ),
]

assert all(set(case.expected) == set(PERSONAS) for case in CASES)
