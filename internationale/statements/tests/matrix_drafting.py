"""Permission-matrix cases for the drafting pages (see matrix.py). Starting a statement: those who
speak for a verified organization. Inviting, the settings, withdrawing: the initiator's speakers.
Supporting: the invited organization's speakers. Comments: read by the participants, written by
those who speak for one. Successful posts redirect (302)."""

from internationale.core.tests.matrix import OWNER_SPEAKERS, Case, expect

from .matrix_world import built, deadlines

INVITED_SPEAKERS = ["kim", "kai"]
INVITED = ["kit", "kim", "kai"]
PARTICIPANTS = ["olu", "mo", "sam", "ana", *INVITED]
PARTICIPANT_SPEAKERS = [*OWNER_SPEAKERS, *INVITED_SPEAKERS]


def on_draft(ok: int, allowed: list[str]) -> dict[str, int]:
    """`ok` for the allowed, 403 for the other participants, 404 for those who do not see the
    draft, 302 (to sign in) for the anonymous visitor."""
    result = expect([], 0, 404, anonymous=302)
    result.update({p: 403 for p in PARTICIPANTS})
    result.update({p: ok for p in allowed})
    return result


def draft_path(template: str):  # type: ignore[no-untyped-def]
    return lambda w: template.format(built(w)["statement"].pk)


def local(when) -> str:  # type: ignore[no-untyped-def]
    return when.strftime("%Y-%m-%dT%H:%M")


def settings_data(w):  # type: ignore[no-untyped-def]
    when = deadlines(15)
    return {
        "title": "For the right to strike everywhere",
        "amendments_until": local(when["amendments_until"]),
        "positions_until": local(when["positions_until"]),
        "min_agree": "2",
        "min_supporters": "0",
        "adopted_visibility": "public",
    }


def create_data(w):  # type: ignore[no-untyped-def]
    # No organization named: those who speak for one only act for it.
    return {**settings_data(w), "language": "en", "text": "One.\n\nTwo."}


SPEAK_FOR_VERIFIED = [*OWNER_SPEAKERS, *INVITED_SPEAKERS]

CASES = [
    Case(
        "statement_create",
        "GET",
        lambda w: "/statements/new/",
        expect(SPEAK_FOR_VERIFIED, 200, 403, 302),
    ),
    Case(
        "statement_create",
        "POST",
        lambda w: "/statements/new/",
        expect(SPEAK_FOR_VERIFIED, 302, 403, 302),
        data=create_data,
    ),
    Case(
        "statement_invite",
        "GET",
        draft_path("/statements/{}/invite/"),
        on_draft(200, OWNER_SPEAKERS),
    ),
    Case(
        "statement_invite",
        "POST",
        draft_path("/statements/{}/invite/"),
        on_draft(302, OWNER_SPEAKERS),
        data=lambda w: {"add": built(w)["third"].slug},
    ),
    Case(
        "statement_settings",
        "GET",
        draft_path("/statements/{}/settings/"),
        on_draft(200, OWNER_SPEAKERS),
    ),
    Case(
        "statement_settings",
        "POST",
        draft_path("/statements/{}/settings/"),
        on_draft(302, OWNER_SPEAKERS),
        data=settings_data,
    ),
    Case(
        "statement_withdraw",
        "GET",
        draft_path("/statements/{}/withdraw/"),
        on_draft(200, OWNER_SPEAKERS),
    ),
    Case(
        "statement_withdraw",
        "POST",
        draft_path("/statements/{}/withdraw/"),
        on_draft(302, OWNER_SPEAKERS),
        data=lambda w: {"reason": "Events overtook it."},
    ),
    Case("statement_support", "GET", draft_path("/statements/{}/support/"), expect([], 200, 405)),
    Case(
        "statement_support",
        "POST",
        draft_path("/statements/{}/support/"),
        on_draft(302, INVITED_SPEAKERS),
        data=lambda w: {},
    ),
    Case(
        "statement_unsupport", "GET", draft_path("/statements/{}/unsupport/"), expect([], 200, 405)
    ),
    Case(
        "statement_unsupport",
        "POST",
        draft_path("/statements/{}/unsupport/"),
        on_draft(302, INVITED_SPEAKERS),
        data=lambda w: {},
    ),
    Case(
        "statement_participants",
        "GET",
        draft_path("/statements/{}/participants/"),
        on_draft(200, PARTICIPANTS),
    ),
    Case(
        "statement_participants",
        "POST",
        draft_path("/statements/{}/participants/"),
        expect([], 200, 405),
    ),
    Case(
        "paragraph_comments",
        "GET",
        draft_path("/statements/{}/paragraphs/2/comments/"),
        on_draft(200, PARTICIPANTS),
    ),
    Case(
        "paragraph_comments",
        "POST",
        draft_path("/statements/{}/paragraphs/2/comments/"),
        on_draft(302, PARTICIPANT_SPEAKERS),
        data=lambda w: {"text": "Name the port."},
    ),
]
