"""Permission-matrix cases for the meeting pages (see core/tests/matrix.py; the meeting they point
at: matrix_world.py).

As on the appeal pages: a meeting the persona may not see answers 404; a visible one with an
action reserved to other roles answers 403; an anonymous visitor is sent to sign in (302).
Successful form posts redirect (302). The meeting is for its participants: the host's people and
the invited organization's see it, nobody else, operators included.
"""

import datetime

from django.utils import timezone

from internationale.core.tests.matrix import OWNER_SPEAKERS, OWNERS, PERSONAS, Case, expect

from .matrix_world import feed_token, kit_membership, meeting, third

INVITED_SPEAKERS = ["kim", "kai"]
INVITED = ["kit", "kim", "kai"]
VERIFIED_SPEAKERS = INVITED_SPEAKERS + OWNER_SPEAKERS


def statuses(default: int, anonymous: int = 302, **by_persona: int) -> dict[str, int]:
    result = {p: default for p in PERSONAS}
    result["anonymous"] = anonymous
    result.update(by_persona)
    return result


def on_meeting(ok: int, allowed: list[str]) -> dict[str, int]:
    """An action on the meeting: `ok` for the allowed, 403 for the other participants, 404 for
    those who do not see it, 302 for the anonymous visitor."""
    result = statuses(404, **{p: 403 for p in [*OWNERS, *INVITED]})
    result.update({p: ok for p in allowed})
    return result


def path(template: str, ref=meeting):  # type: ignore[no-untyped-def]
    return lambda w: template.format(ref(w))


def planned(w):  # type: ignore[no-untyped-def]
    return {
        "organization": w.owner_org.slug,
        "kind": "seminar",
        "title": "Health and safety seminar",
        "start": "2030-03-01T09:00",
        "end": "2030-03-01T17:00",
        "time_zone": "America/Sao_Paulo",
        "visibility": "addressed",
    }


CASES = [
    Case("meeting_list", "GET", lambda w: "/meetings/", statuses(200)),
    Case("meeting_list", "POST", lambda w: "/meetings/", expect([], 200, 405)),
    Case(
        "meeting_create",
        "GET",
        lambda w: "/meetings/new/",
        statuses(403, **{p: 200 for p in VERIFIED_SPEAKERS}),
        note="admins and secretaries of verified organizations",
    ),
    Case(
        "meeting_create",
        "POST",
        lambda w: "/meetings/new/",
        statuses(403, kim=200, kai=200, sam=302, ana=302),
        data=planned,
        note="Kim and Kai may host, but not for the owning organization: the form refuses it",
    ),
    Case(
        "meeting_detail",
        "GET",
        path("/meetings/{}/"),
        statuses(404, anonymous=404, **{p: 200 for p in [*OWNERS, *INVITED]}),
    ),
    Case("meeting_detail", "POST", path("/meetings/{}/"), expect([], 200, 405)),
    Case("meeting_edit", "GET", path("/meetings/{}/edit/"), on_meeting(200, OWNER_SPEAKERS)),
    Case(
        "meeting_edit",
        "POST",
        path("/meetings/{}/edit/"),
        on_meeting(302, OWNER_SPEAKERS),
        data=lambda w: {
            "title": "Plant closures, second day",
            "start": "2030-03-01T09:00",
            "end": "2030-03-01T17:00",
            "time_zone": "America/Sao_Paulo",
            "visibility": "addressed",
        },
    ),
    Case(
        "meeting_calendar",
        "GET",
        path("/meetings/{}/calendar.ics"),
        statuses(404, anonymous=404, **{p: 200 for p in [*OWNERS, *INVITED]}),
    ),
    Case("meeting_calendar", "POST", path("/meetings/{}/calendar.ics"), expect([], 200, 405)),
    Case("meeting_invite", "GET", path("/meetings/{}/invite/"), on_meeting(200, OWNER_SPEAKERS)),
    Case(
        "meeting_invite",
        "POST",
        path("/meetings/{}/invite/"),
        on_meeting(302, OWNER_SPEAKERS),
        data=lambda w: {"add": third(w)},
    ),
    Case("meeting_answer", "GET", path("/meetings/{}/answer/"), on_meeting(200, INVITED_SPEAKERS)),
    Case(
        "meeting_answer",
        "POST",
        path("/meetings/{}/answer/"),
        on_meeting(302, INVITED_SPEAKERS),
        data=lambda w: {
            "organization": w.other_org.slug,
            "answer": "accept",
            "delegates": [kit_membership(w)],
        },
    ),
]


# Series and readiness ---------------------------------------------------------------------------
# A series is seen by whoever sees one of its editions (the congress: its participants); the
# readiness of the congress by the people of its participants. Proposing a bilateral meeting from
# it: for those who speak for the organization named (here the host).

from .matrix_world import congress, series  # noqa: E402

PARTICIPANTS_SEE = statuses(404, anonymous=404, **{p: 200 for p in [*OWNERS, *INVITED]})


def next_edition(w):  # type: ignore[no-untyped-def]
    return {
        "kind": "congress",
        "title": "Metalworkers' congress, second edition",
        "start": "2030-03-01T09:00",
        "end": "2030-03-02T17:00",
        "time_zone": "America/Sao_Paulo",
        "visibility": "addressed",
    }


def propose(w):  # type: ignore[no-untyped-def]
    return f"/meetings/{congress(w)}/readiness/propose/?organization={w.owner_org.slug}&partner={w.other_org.slug}"


def proposed(w):  # type: ignore[no-untyped-def]
    at = (timezone.now() + datetime.timedelta(days=10)).strftime("%Y-%m-%dT10:00")
    end = (timezone.now() + datetime.timedelta(days=10)).strftime("%Y-%m-%dT12:00")
    return {
        "title": "Before the congress",
        "start": at,
        "end": end,
        "time_zone": "America/Sao_Paulo",
        "visibility": "addressed",
    }


CASES += [
    Case("series_create", "GET", path("/meetings/{}/series/"), on_meeting(200, OWNER_SPEAKERS)),
    Case(
        "series_create",
        "POST",
        path("/meetings/{}/series/"),
        on_meeting(302, OWNER_SPEAKERS),
        data=lambda w: {"title": "Plant closures", "period": "yearly"},
    ),
    Case("series_detail", "GET", path("/meetings/series/{}/", series), PARTICIPANTS_SEE),
    Case("series_detail", "POST", path("/meetings/series/{}/", series), expect([], 200, 405)),
    Case(
        "series_next",
        "GET",
        path("/meetings/series/{}/next/", series),
        on_meeting(200, OWNER_SPEAKERS),
    ),
    Case(
        "series_next",
        "POST",
        path("/meetings/series/{}/next/", series),
        on_meeting(302, OWNER_SPEAKERS),
        data=next_edition,
    ),
    Case(
        "meeting_readiness",
        "GET",
        path("/meetings/{}/readiness/", congress),
        statuses(404, **{p: 200 for p in [*OWNERS, *INVITED]}),
    ),
    Case(
        "meeting_readiness",
        "POST",
        path("/meetings/{}/readiness/", congress),
        expect([], 200, 405),
    ),
    Case(
        "readiness_propose",
        "GET",
        propose,
        on_meeting(200, OWNER_SPEAKERS),
        note="Kim and Kai speak for the partner, not for the organization named",
    ),
    Case("readiness_propose", "POST", propose, on_meeting(302, OWNER_SPEAKERS), data=proposed),
]

# Calendars: cancelling (the host's speakers), the organization's calendar address (those who
# speak for a verified organization; renewing, for the organization's own: its other people are
# refused, as on the API), and the feed, open to whoever has its secret address.
CASES += [
    Case("meeting_cancel", "GET", path("/meetings/{}/cancel/"), on_meeting(200, OWNER_SPEAKERS)),
    Case(
        "meeting_cancel",
        "POST",
        path("/meetings/{}/cancel/"),
        on_meeting(302, OWNER_SPEAKERS),
        data=lambda w: {"reason": "The plant was occupied."},
    ),
    Case(
        "calendar_feeds",
        "GET",
        lambda w: "/meetings/calendar/",
        statuses(403, **{p: 200 for p in VERIFIED_SPEAKERS}),
    ),
    Case("calendar_feeds", "POST", lambda w: "/meetings/calendar/", expect([], 200, 405)),
    Case(
        "calendar_feed_renew",
        "GET",
        lambda w: f"/meetings/calendar/{w.owner_org.slug}/renew/",
        statuses(404, olu=403, mo=403, **{p: 200 for p in OWNER_SPEAKERS}),
        note="as the API: the organization's other people are refused, others find nothing",
    ),
    Case(
        "calendar_feed_renew",
        "POST",
        lambda w: f"/meetings/calendar/{w.owner_org.slug}/renew/",
        statuses(404, olu=403, mo=403, **{p: 302 for p in OWNER_SPEAKERS}),
        note="another organization's calendar is not found",
    ),
    Case(
        "calendar_feed",
        "GET",
        lambda w: f"/calendars/{feed_token(w)}.ics",
        expect(PERSONAS, 200, 200),
        note="the secret address is the key: no sign-in",
    ),
    Case(
        "calendar_feed", "POST", lambda w: f"/calendars/{feed_token(w)}.ics", expect([], 200, 405)
    ),
]

# The agenda and minutes of a meeting.
from .matrix_agenda import PAGE_CASES  # noqa: E402

CASES += PAGE_CASES
# Agreements, tasks, commitments and relation histories.
from .matrix_agreements import PAGES as AGREEMENT_PAGES  # noqa: E402

CASES += AGREEMENT_PAGES
