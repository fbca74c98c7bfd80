"""Permission-matrix cases for the pages of days of action (see core/tests/matrix.py; what they
point at: world.py).

The day is for the network: a persona outside it (Nell, Uma, the anonymous visitor) gets 404 on
its pages, or is sent to sign in (302) where the page needs an account. A visible day with an
action reserved to other roles answers 403. The draft is for its callers and the organizations
invited to call it (the dockworkers). Successful form posts redirect (302).
"""

from internationale.core.tests.matrix import (
    IN_NETWORK,
    OWNER_SPEAKERS,
    OWNERS,
    PERSONAS,
    Case,
    expect,
)

from .world import action_path, built, path

DOCKS = ["kit", "kim", "kai"]
DOCK_SPEAKERS = ["kim", "kai"]
SPEAK_FOR_VERIFIED = [*OWNER_SPEAKERS, *DOCK_SPEAKERS]


def on_day(
    ok: int, allowed: list[str], seen_by: list[str] = IN_NETWORK, anonymous: int = 302
) -> dict[str, int]:
    """`ok` for the allowed, 403 for the others who see the day, 404 for those who do not, and
    `anonymous` for the anonymous visitor."""
    result = {p: 404 for p in PERSONAS}
    result.update({p: 403 for p in seen_by})
    result.update({p: ok for p in allowed})
    result["anonymous"] = anonymous
    return result


def reading(seen_by: list[str] = IN_NETWORK) -> dict[str, int]:
    return on_day(200, seen_by, seen_by, anonymous=404)


def create_data(w):  # type: ignore[no-untyped-def]
    return {
        "title": "Day for the port workers",
        "language": "en",
        "date": built(w)["day"].date.isoformat(),
        "text": "Act together.",
        "suggested_kinds": ["rally"],
        "called_visibility": "network",
    }


def action_data(w):  # type: ignore[no-untyped-def]
    date = built(w)["day"].date.isoformat()
    return {
        "kind": "picket",
        "city": "Santos",
        "country": "BR",
        "time_zone": "America/Sao_Paulo",
        "start": f"{date}T07:00",
        "end": f"{date}T09:00",
        "expected_participants": "50",
    }


DRAFT_SEEN = [*OWNERS, *DOCKS]

CASES = [
    Case("day_list", "GET", lambda w: "/days/", expect(PERSONAS, 200, 200)),
    Case("day_list", "POST", lambda w: "/days/", expect([], 200, 405)),
    Case("day_create", "GET", lambda w: "/days/new/", expect(SPEAK_FOR_VERIFIED, 200, 403, 302)),
    Case(
        "day_create",
        "POST",
        lambda w: "/days/new/",
        expect(SPEAK_FOR_VERIFIED, 302, 403, 302),
        data=create_data,
    ),
    Case("day_detail", "GET", path("/days/{}/"), reading()),
    Case("day_detail", "GET", path("/days/{}/", "draft"), reading(DRAFT_SEEN), note="draft"),
    Case("day_detail", "POST", path("/days/{}/"), expect([], 200, 405)),
    Case("day_calendar", "GET", path("/days/{}/calendar.ics"), reading()),
    Case(
        "day_cocall",
        "GET",
        path("/days/{}/cocall/", "draft"),
        on_day(200, DOCK_SPEAKERS, DRAFT_SEEN),
    ),
    Case(
        "day_cocall",
        "POST",
        path("/days/{}/cocall/", "draft"),
        on_day(302, DOCK_SPEAKERS, DRAFT_SEEN),
        data=lambda w: {"accept": "1"},
    ),
    Case("day_edit", "GET", path("/days/{}/edit/"), on_day(200, OWNER_SPEAKERS)),
    Case(
        "day_edit",
        "POST",
        path("/days/{}/edit/"),
        on_day(302, OWNER_SPEAKERS),
        data=lambda w: {"title": "Day for the port workers", "text": "Act together, again."},
    ),
    Case("day_cancel", "GET", path("/days/{}/cancel/"), on_day(200, OWNER_SPEAKERS)),
    Case(
        "day_cancel",
        "POST",
        path("/days/{}/cancel/"),
        on_day(302, OWNER_SPEAKERS),
        data=lambda w: {"reason": "Won."},
    ),
    Case(
        "day_cancel",
        "POST",
        path("/days/{}/cancel/", "draft"),
        on_day(302, OWNER_SPEAKERS, DRAFT_SEEN),
        data=lambda w: {"reason": ""},
        note="draft",
    ),
    Case("day_invite", "GET", path("/days/{}/invite/"), on_day(200, OWNER_SPEAKERS)),
    Case(
        "day_invite",
        "POST",
        path("/days/{}/invite/"),
        on_day(302, OWNER_SPEAKERS),
        data=lambda w: {"cocallers": built(w)["third"].name},
    ),
    Case("day_call", "GET", path("/days/{}/call/"), on_day(200, OWNER_SPEAKERS)),
    Case(
        "day_call",
        "POST",
        path("/days/{}/call/"),
        on_day(302, OWNER_SPEAKERS),
        data=lambda w: {"add": built(w)["third"].slug},
    ),
    Case("day_answer", "GET", path("/days/{}/answer/"), on_day(200, DOCK_SPEAKERS)),
    Case(
        "day_answer",
        "POST",
        path("/days/{}/answer/"),
        on_day(302, DOCK_SPEAKERS),
        data=lambda w: {"kind": "will_act"},
    ),
    Case("day_answers", "GET", path("/days/{}/answers/"), on_day(200, OWNERS)),
    Case(
        "local_action_create",
        "GET",
        path("/days/{}/actions/new/"),
        on_day(200, SPEAK_FOR_VERIFIED),
    ),
    Case(
        "local_action_create",
        "POST",
        path("/days/{}/actions/new/"),
        on_day(302, SPEAK_FOR_VERIFIED),
        data=action_data,
    ),
    Case("local_action_detail", "GET", action_path("/days/{}/actions/{}/"), reading()),
    Case(
        "local_action_withdraw",
        "GET",
        action_path("/days/{}/actions/{}/withdraw/"),
        on_day(200, DOCK_SPEAKERS),
    ),
    Case(
        "local_action_withdraw",
        "POST",
        action_path("/days/{}/actions/{}/withdraw/"),
        on_day(302, DOCK_SPEAKERS),
    ),
]

# Reports back and the aggregated report ---------------------------------------------------------
from .matrix_reports import CASES as _reports  # noqa: E402

CASES += _reports
