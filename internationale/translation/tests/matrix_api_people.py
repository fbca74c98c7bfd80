"""Permission-matrix cases of the people who translate, through the API (see matrix_people.py for
who may do what: the same here, with 401 for the anonymous visitor)."""

from internationale.core.tests.matrix import OWNERS, SIGNED_IN, Case, expect

from .people_world import open_request, pair, taken_request, translation
from .world import addressed_document, document, private_document

VOLUNTEERS = ["kit", "mo"]


def _on_private(allowed: list[str], ok: int) -> dict[str, int]:
    return {**expect(OWNERS, 403, 404, anonymous=401), **dict.fromkeys(allowed, ok)}


def _submitted(w):  # type: ignore[no-untyped-def]
    sent = translation(w)
    return {"source_hash": sent.pop("source_hash"), "texts": sent}


CASES = [
    Case(
        "api:translation_pair_list",
        "GET",
        lambda w: "/api/v1/translation/volunteer/pairs",
        expect(SIGNED_IN, 200, 401),
    ),
    Case(
        "api:translation_pair_create",
        "POST",
        lambda w: "/api/v1/translation/volunteer/pairs",
        expect(SIGNED_IN, 201, 401),
        data=lambda w: {"source_language": "fr", "target_language": "en"},
        json=True,
    ),
    Case(
        "api:translation_pair_delete",
        "DELETE",
        lambda w: f"/api/v1/translation/volunteer/pairs/{pair(w)}",
        expect(["kit"], 204, 404, anonymous=401),
        note="kit's pair: kit only",
    ),
    Case(
        "api:translation_request_list",
        "GET",
        lambda w: "/api/v1/translation/requests?show=open",
        expect(SIGNED_IN, 200, 401),
    ),
    Case(
        "api:translation_request_ask",
        "POST",
        lambda w: "/api/v1/translation/requests",
        expect(SIGNED_IN, 200, 401),
        data=lambda w: {"content": "library.document", "content_id": document(w), "language": "es"},
        json=True,
        note="a public document in Portuguese",
    ),
    Case(
        "api:translation_request_ask",
        "POST",
        lambda w: "/api/v1/translation/requests",
        expect(OWNERS, 200, 404, anonymous=401),
        data=lambda w: {
            "content": "library.document",
            "content_id": private_document(w),
            "language": "es",
        },
        json=True,
        note="a private document: its organization's people only",
    ),
    Case(
        "api:translation_request_ask",
        "POST",
        lambda w: "/api/v1/translation/requests",
        expect([*OWNERS, "kit", "kim", "kai"], 200, 404, anonymous=401),
        data=lambda w: {
            "content": "library.document",
            "content_id": addressed_document(w),
            "language": "es",
        },
        json=True,
        note="an addressed document: its organization's and the addressees' people only",
    ),
    Case(
        "api:translation_request_detail",
        "GET",
        lambda w: f"/api/v1/translation/requests/{open_request(w)}",
        expect(SIGNED_IN, 200, 401),
        note="about the public document",
    ),
    Case(
        "api:translation_request_detail",
        "GET",
        lambda w: f"/api/v1/translation/requests/{taken_request(w)}",
        expect(OWNERS, 200, 404, anonymous=401),
        note="about the private document",
    ),
    Case(
        "api:translation_request_take",
        "POST",
        lambda w: f"/api/v1/translation/requests/{open_request(w)}/take",
        expect(VOLUNTEERS, 200, 403, anonymous=401),
    ),
    Case(
        "api:translation_request_release",
        "POST",
        lambda w: f"/api/v1/translation/requests/{taken_request(w)}/release",
        _on_private(["mo"], 200),
    ),
    Case(
        "api:translation_request_submit",
        "POST",
        lambda w: f"/api/v1/translation/requests/{taken_request(w)}/submit",
        _on_private(["mo"], 200),
        data=_submitted,
        json=True,
    ),
    Case(
        "api:translation_request_withdraw",
        "POST",
        lambda w: f"/api/v1/translation/requests/{open_request(w)}/withdraw",
        expect(["sam"], 200, 403, anonymous=401),
    ),
]
