"""Permission-matrix cases for the API of days of action (see matrix.py for the pages): 401 for the
anonymous visitor, 404 for what one may not see, 403 for what one sees but may not do."""

from internationale.core.tests.matrix import (
    IN_NETWORK,
    OWNER_SPEAKERS,
    OWNERS,
    PERSONAS,
    Case,
    expect,
)

from .matrix import DOCK_SPEAKERS, DRAFT_SEEN, SPEAK_FOR_VERIFIED, on_day
from .world import built


def api(template: str, key: str = "day"):  # type: ignore[no-untyped-def]
    return lambda w: "/api/v1" + template.format(built(w)[key].pk)


def api_action(template: str):  # type: ignore[no-untyped-def]
    return lambda w: "/api/v1" + template.format(built(w)["day"].pk, built(w)["action"].pk)


def reading(seen_by: list[str] = IN_NETWORK) -> dict[str, int]:
    return on_day(200, seen_by, seen_by, anonymous=401)


def acting(ok: int, allowed: list[str], seen_by: list[str] = IN_NETWORK) -> dict[str, int]:
    return on_day(ok, allowed, seen_by, anonymous=401)


def action_body(w):  # type: ignore[no-untyped-def]
    date = built(w)["day"].date.isoformat()
    return {
        "kind": "picket",
        "city": "Santos",
        "country": "BR",
        "time_zone": "America/Sao_Paulo",
        "start": f"{date}T07:00",
        "end": f"{date}T09:00",
        "expected_participants": 50,
    }


CASES = [
    Case(
        "api:day_list",
        "GET",
        lambda w: "/api/v1/days",
        {**expect(PERSONAS, 200, 200), "anonymous": 401},
    ),
    Case(
        "api:day_create",
        "POST",
        lambda w: f"/api/v1/organizations/{w.owner_org.slug}/days",
        expect(OWNER_SPEAKERS, 201, 404, anonymous=401),
        data=lambda w: {
            "title": "Day for the port workers",
            "text": "Act together.",
            "language": "en",
            "date": built(w)["day"].date.isoformat(),
            "suggested_kinds": ["rally"],
        },
        json=True,
    ),
    Case("api:day_detail", "GET", api("/days/{}"), reading()),
    Case(
        "api:day_edit",
        "PATCH",
        api("/days/{}"),
        acting(200, OWNER_SPEAKERS),
        data=lambda w: {"title": "Day for the port workers"},
        json=True,
    ),
    Case(
        "api:day_cancel",
        "POST",
        api("/days/{}/cancel"),
        acting(200, OWNER_SPEAKERS),
        data=lambda w: {"reason": "Won."},
        json=True,
    ),
    Case(
        "api:day_invite",
        "POST",
        api("/days/{}/cocallers"),
        acting(201, OWNER_SPEAKERS),
        data=lambda w: {"cocallers": [built(w)["third"].slug]},
        json=True,
    ),
    Case(
        "api:day_cocall",
        "POST",
        api("/days/{}/cocall", "draft"),
        acting(200, DOCK_SPEAKERS, DRAFT_SEEN),
        data=lambda w: {"accept": True},
        json=True,
    ),
    Case(
        "api:day_call",
        "POST",
        api("/days/{}/called"),
        acting(201, OWNER_SPEAKERS),
        data=lambda w: {"add": [built(w)["third"].slug]},
        json=True,
    ),
    Case(
        "api:day_answer",
        "POST",
        api("/days/{}/answer"),
        acting(200, DOCK_SPEAKERS),
        data=lambda w: {"kind": "will_act"},
        json=True,
    ),
    Case("api:day_answers", "GET", api("/days/{}/answers"), acting(200, OWNERS)),
    Case("api:local_action_list", "GET", api("/days/{}/actions"), reading()),
    Case(
        "api:local_action_create",
        "POST",
        api("/days/{}/actions"),
        acting(201, SPEAK_FOR_VERIFIED),
        data=action_body,
        json=True,
    ),
    Case("api:local_action_detail", "GET", api_action("/days/{}/actions/{}"), reading()),
    Case(
        "api:local_action_withdraw",
        "POST",
        api_action("/days/{}/actions/{}/withdraw"),
        acting(200, DOCK_SPEAKERS),
    ),
]

# Reports back and the aggregated report ---------------------------------------------------------
from .matrix_api_reports import CASES as _reports  # noqa: E402

CASES += _reports
