"""Permission-matrix cases for the API on drafting (see matrix_drafting.py for the pages): 401
for the anonymous visitor, 404 for what one may not see, 403 for what one sees but may not do."""

import datetime

from django.utils import timezone

from internationale.core.tests.matrix import OWNER_SPEAKERS, PERSONAS, Case, expect

from .matrix_drafting import INVITED_SPEAKERS, PARTICIPANT_SPEAKERS, PARTICIPANTS
from .matrix_world import PARAGRAPHS, built


def api(template: str):  # type: ignore[no-untyped-def]
    return lambda w: "/api/v1" + template.format(built(w)["statement"].pk)


def on_draft(ok: int, allowed: list[str]) -> dict[str, int]:
    result = expect([], 0, 404, anonymous=401)
    result.update({p: 403 for p in PARTICIPANTS})
    result.update({p: ok for p in allowed})
    return result


def ahead(days: int) -> str:
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


CASES = [
    Case(
        "api:statement_list",
        "GET",
        lambda w: "/api/v1/statements",
        {**expect(PERSONAS, 200, 200), "anonymous": 401},
    ),
    Case(
        "api:statement_create",
        "POST",
        lambda w: f"/api/v1/organizations/{w.owner_org.slug}/statements",
        expect(OWNER_SPEAKERS, 201, 404, anonymous=401),
        data=lambda w: {
            "title": "Solidarity with the dockers",
            "language": "en",
            "paragraphs": PARAGRAPHS,
            "amendments_until": ahead(10),
            "positions_until": ahead(20),
        },
        json=True,
    ),
    Case(
        "api:statement_detail",
        "GET",
        api("/statements/{}"),
        expect(PARTICIPANTS, 200, 404, anonymous=401),
    ),
    Case(
        "api:statement_update",
        "PATCH",
        api("/statements/{}"),
        on_draft(200, OWNER_SPEAKERS),
        data=lambda w: {"min_agree": 2, "positions_until": ahead(25)},
        json=True,
    ),
    Case(
        "api:statement_withdraw",
        "POST",
        api("/statements/{}/withdraw"),
        on_draft(200, OWNER_SPEAKERS),
        data=lambda w: {"reason": "Events overtook it."},
        json=True,
    ),
    Case(
        "api:statement_invite",
        "POST",
        api("/statements/{}/participants"),
        on_draft(201, OWNER_SPEAKERS),
        data=lambda w: {"add": [built(w)["third"].slug]},
        json=True,
    ),
    Case(
        "api:statement_support",
        "POST",
        api("/statements/{}/support"),
        on_draft(200, INVITED_SPEAKERS),
        data=lambda w: {},
        json=True,
    ),
    Case(
        "api:statement_unsupport",
        "POST",
        api("/statements/{}/unsupport"),
        on_draft(200, INVITED_SPEAKERS),
        data=lambda w: {},
        json=True,
    ),
    Case(
        "api:comment_list",
        "GET",
        api("/statements/{}/paragraphs/2/comments"),
        expect(PARTICIPANTS, 200, 404, anonymous=401),
    ),
    Case(
        "api:comment_create",
        "POST",
        api("/statements/{}/paragraphs/2/comments"),
        on_draft(201, PARTICIPANT_SPEAKERS),
        data=lambda w: {"text": "Name the port."},
        json=True,
    ),
]
