"""Permission-matrix cases for the advice pages (see core/tests/matrix.py): the advice they point
at is given by the owning organization (Sam) to the other one, built lazily in `w.extra`.

Advice is for those who speak for the two organizations (Sam and Ana, Kim and Kai) and nobody
else: to members, observers, operators and everyone else a piece of advice, and an
organization's advice history, answer 404, as if missing (as the audit log of an organization
does to its members). A visible piece of advice answered by the sender: 403. Giving advice
without speaking for a verified organization: 403. The anonymous visitor is sent to sign in
(302); successful form posts redirect (302).
"""

from typing import Any

from internationale.core.tests.matrix import OWNER_SPEAKERS, PERSONAS, Case, expect
from internationale.statements.advice import advice_give

from .matrix import INVITED_SPEAKERS, statuses

SPEAKERS = [*OWNER_SPEAKERS, *INVITED_SPEAKERS]


def advice(w: Any) -> int:
    if "advice" not in w.extra:
        w.extra["advice"] = advice_give(
            actor=w.people["sam"],
            sender=w.owner_org,
            receiver=w.other_org,
            subject="Talk to the port authority first",
            text="It worked for us.",
        )
    return w.extra["advice"].pk


def form(w: Any) -> dict[str, Any]:
    return {
        "sender": w.owner_org.pk,
        "receiver": w.other_org.slug,
        "subject": "Solidarity first",
        "text": "Ask your members before the vote.",
    }


CASES = [
    Case(
        "advice_create",
        "GET",
        lambda w: "/statements/advice/new/",
        statuses(403, **{p: 200 for p in SPEAKERS}),
        note="admins and secretaries of verified organizations",
    ),
    Case(
        "advice_create",
        "POST",
        lambda w: "/statements/advice/new/",
        statuses(403, sam=302, ana=302, kim=200, kai=200),
        data=form,
        note="Kim and Kai may give advice, but not for the owning organization: the form refuses it",
    ),
    Case(
        "advice_detail",
        "GET",
        lambda w: f"/statements/advice/{advice(w)}/",
        statuses(404, **{p: 200 for p in SPEAKERS}),
    ),
    Case(
        "advice_detail",
        "POST",
        lambda w: f"/statements/advice/{advice(w)}/",
        expect([], 200, 405),
    ),
    Case(
        "advice_answer",
        "POST",
        lambda w: f"/statements/advice/{advice(w)}/answer/",
        statuses(404, sam=403, ana=403, kim=302, kai=302),
        data=lambda w: {"answer": "accepted", "reason": "We will."},
        note="the receiver's speakers answer; the sender's see it and may not",
    ),
    Case(
        "advice_answer",
        "GET",
        lambda w: f"/statements/advice/{advice(w)}/answer/",
        expect([], 200, 405),
    ),
    Case(
        "advice_history",
        "GET",
        lambda w: f"/statements/advice/of/{w.owner_org.slug}/",
        statuses(404, sam=200, ana=200),
        note="the organization's speakers only: 404 to its members and observers too",
    ),
    Case(
        "advice_history",
        "POST",
        lambda w: f"/statements/advice/of/{w.owner_org.slug}/",
        expect([], 200, 405),
    ),
]

assert all(set(c.expected) == set(PERSONAS) for c in CASES)
