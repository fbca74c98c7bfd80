"""Permission-matrix cases (see core/tests/matrix.py): matrix_machine.

The operators' page of machine translation: operators only; for anyone else signed in the page
does not exist (404); the anonymous visitor is sent to sign in."""

from internationale.core.tests.matrix import Case, expect

CASES: list[Case] = [
    Case(
        "translation_pairs",
        "GET",
        lambda w: "/translations/pairs/",
        expect(["oscar"], 200, 404, anonymous=302),
        note="operators only",
    ),
    Case("translation_pairs", "POST", lambda w: "/translations/pairs/", expect([], 200, 405)),
]
