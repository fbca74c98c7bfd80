"""Permission-matrix cases for the API on meetings (see matrix.py for the pages): as the API on
appeals answers (401 for the anonymous visitor, 404 for what one may not see, 403 for what one
sees but may not do)."""

from internationale.core.tests.matrix import OWNER_SPEAKERS, OWNERS, PERSONAS, Case, expect

from .matrix import INVITED, INVITED_SPEAKERS
from .matrix_world import kit_membership, meeting, third


def api(template: str, ref=meeting):  # type: ignore[no-untyped-def]
    return lambda w: "/api/v1" + template.format(ref(w))


def on_meeting(ok: int, allowed: list[str]) -> dict[str, int]:
    result = {p: 404 for p in PERSONAS}
    result.update({p: 403 for p in [*OWNERS, *INVITED]})
    result["anonymous"] = 401
    result.update({p: ok for p in allowed})
    return result


PARTICIPANTS = expect([*OWNERS, *INVITED], 200, 404, anonymous=401)

CASES = [
    Case(
        "api:meeting_list",
        "GET",
        lambda w: "/api/v1/meetings",
        {**expect(PERSONAS, 200, 200), "anonymous": 401},
    ),
    Case(
        "api:meeting_create",
        "POST",
        lambda w: f"/api/v1/organizations/{w.owner_org.slug}/meetings",
        expect(OWNER_SPEAKERS, 201, 404, anonymous=401),
        data=lambda w: {
            "kind": "seminar",
            "title": "Health and safety seminar",
            "start": "2030-03-01T09:00:00",
            "end": "2030-03-01T17:00:00",
            "time_zone": "America/Sao_Paulo",
        },
        json=True,
    ),
    Case("api:meeting_detail", "GET", api("/meetings/{}"), PARTICIPANTS),
    Case(
        "api:meeting_update",
        "PATCH",
        api("/meetings/{}"),
        on_meeting(200, OWNER_SPEAKERS),
        data=lambda w: {"title": "Plant closures, second day"},
        json=True,
    ),
    Case("api:invitation_list", "GET", api("/meetings/{}/invitations"), PARTICIPANTS),
    Case(
        "api:invitation_preview",
        "POST",
        api("/meetings/{}/invitations/preview"),
        {
            **on_meeting(200, OWNER_SPEAKERS),
            **{p: 404 for p in [*OWNERS, *INVITED]},
            "sam": 200,
            "ana": 200,
        },
        data=lambda w: {"add": [third(w)]},
        json=True,
        note="a preview is for those who may invite; 404 for the others",
    ),
    Case(
        "api:invitation_create",
        "POST",
        api("/meetings/{}/invitations"),
        on_meeting(201, OWNER_SPEAKERS),
        data=lambda w: {"add": [third(w)]},
        json=True,
    ),
    Case(
        "api:meeting_answer",
        "POST",
        api("/meetings/{}/answer"),
        on_meeting(200, INVITED_SPEAKERS),
        data=lambda w: {"answer": "accept", "delegates": [kit_membership(w)]},
        json=True,
    ),
]


# Series and readiness ---------------------------------------------------------------------------

from .matrix_world import congress, series  # noqa: E402

CASES += [
    Case("api:series_detail", "GET", api("/series/{}", series), PARTICIPANTS),
    Case(
        "api:series_create",
        "POST",
        api("/meetings/{}/series"),
        on_meeting(201, OWNER_SPEAKERS),
        data=lambda w: {"title": "Plant closures", "period": "yearly"},
        json=True,
    ),
    Case(
        "api:series_next_edition",
        "POST",
        api("/series/{}/next-edition", series),
        on_meeting(201, OWNER_SPEAKERS),
        data=lambda w: {},
        json=True,
        note="every field left out is the last edition's, its times a year later",
    ),
    Case("api:meeting_readiness", "GET", api("/meetings/{}/readiness", congress), PARTICIPANTS),
]

CASES += [
    Case(
        "api:meeting_cancel",
        "POST",
        api("/meetings/{}/cancel"),
        on_meeting(200, OWNER_SPEAKERS),
        data=lambda w: {"reason": "The plant was occupied."},
        json=True,
    ),
    Case(
        "api:meeting_check_times",
        "POST",
        lambda w: "/api/v1/meeting-times",
        expect(OWNER_SPEAKERS, 200, 404, anonymous=401),
        data=lambda w: {
            "start": "2030-03-01T09:00:00",
            "end": "2030-03-01T11:00:00",
            "time_zone": "America/Sao_Paulo",
            "host": w.owner_org.slug,
            "organizations": [w.other_org.slug],
        },
        json=True,
        note="planning: for those who may host for the organization named",
    ),
]

# The agenda and minutes of a meeting.
from .matrix_agenda import API_CASES  # noqa: E402

CASES += API_CASES
# Agreements, tasks and commitments.
from .matrix_agreements import API as AGREEMENT_API  # noqa: E402

CASES += AGREEMENT_API

# An organization's calendar address: its admins and secretaries; its other people are refused,
# others find nothing.
FEED = {**expect(OWNER_SPEAKERS, 200, 404, anonymous=401), "olu": 403, "mo": 403}
CASES += [
    Case(
        "api:calendar_feed",
        "GET",
        lambda w: f"/api/v1/organizations/{w.owner_org.slug}/calendar-feed",
        FEED,
    ),
    Case(
        "api:calendar_feed_renew",
        "POST",
        lambda w: f"/api/v1/organizations/{w.owner_org.slug}/calendar-feed/renew",
        FEED,
        data=lambda w: {},
        json=True,
    ),
]
