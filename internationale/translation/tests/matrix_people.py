"""Permission-matrix cases of the people who translate (see core/tests/matrix.py).

Anyone signed in volunteers for pairs and lists the requests open to them and their own. A
request is seen by whoever may read its content, and by no one else (404): the public document's
by everyone signed in, the private one's by its organization's people. Of those who see it, the
volunteers of its pair (kit, mo) take it, the one who took it (mo) submits or gives it back, the
one who asked (sam) withdraws it; the others are refused with the reason (403). The anonymous
visitor is sent to sign in."""

from internationale.core.tests.matrix import OWNERS, SIGNED_IN, Case, expect

from .people_world import open_request, pair, taken_request, translation

VOLUNTEERS = ["kit", "mo"]


def _on_private(allowed: list[str], ok: int) -> dict[str, int]:
    """On the private document's request: `ok` for `allowed`, 403 for its organization's other
    people, 404 for everyone else, sign in for the anonymous visitor."""
    return {
        **expect(OWNERS, 403, 404, anonymous=302),
        **dict.fromkeys(allowed, ok),
    }


CASES = [
    Case(
        "translation_volunteer",
        "GET",
        lambda w: "/translations/volunteer/",
        expect(SIGNED_IN, 200, 302),
    ),
    Case(
        "translation_volunteer",
        "POST",
        lambda w: "/translations/volunteer/",
        expect(SIGNED_IN, 302, 302),
        data=lambda w: {"source_language": "fr", "target_language": "en"},
    ),
    Case(
        "translation_volunteer_remove",
        "GET",
        lambda w: f"/translations/volunteer/{pair(w)}/remove/",
        expect(["kit"], 200, 404, anonymous=302),
        note="kit's pair: kit only",
    ),
    Case(
        "translation_volunteer_remove",
        "POST",
        lambda w: f"/translations/volunteer/{pair(w)}/remove/",
        expect(["kit"], 302, 404, anonymous=302),
    ),
    Case(
        "translation_request_list",
        "GET",
        lambda w: "/translations/requests/",
        expect(SIGNED_IN, 200, 302),
    ),
    Case(
        "translation_request_mine",
        "GET",
        lambda w: "/translations/requests/mine/",
        expect(SIGNED_IN, 200, 302),
    ),
    Case(
        "translation_request",
        "GET",
        lambda w: f"/translations/requests/{open_request(w)}/",
        expect(SIGNED_IN, 200, 302),
        note="about the public document",
    ),
    Case(
        "translation_request",
        "GET",
        lambda w: f"/translations/requests/{taken_request(w)}/",
        expect(OWNERS, 200, 404, anonymous=302),
        note="about the private document",
    ),
    Case(
        "translation_request_take",
        "POST",
        lambda w: f"/translations/requests/{open_request(w)}/take/",
        expect(VOLUNTEERS, 302, 403, anonymous=302),
    ),
    Case(
        "translation_request_take",
        "POST",
        lambda w: f"/translations/requests/{taken_request(w)}/take/",
        _on_private([], 0) | {"mo": 400},
        note="taken already: mo is told; the others may not take it",
    ),
    Case(
        "translation_request_release",
        "POST",
        lambda w: f"/translations/requests/{taken_request(w)}/release/",
        _on_private(["mo"], 302),
    ),
    Case(
        "translation_request_submit",
        "POST",
        lambda w: f"/translations/requests/{taken_request(w)}/submit/",
        _on_private(["mo"], 302),
        data=translation,
    ),
    Case(
        "translation_request_withdraw",
        "GET",
        lambda w: f"/translations/requests/{open_request(w)}/withdraw/",
        expect(["sam"], 200, 403, anonymous=302),
    ),
    Case(
        "translation_request_withdraw",
        "POST",
        lambda w: f"/translations/requests/{open_request(w)}/withdraw/",
        expect(["sam"], 302, 403, anonymous=302),
    ),
]
