"""Permission-matrix cases for translation's pages (see core/tests/matrix.py).

Asking for a translation (the rule `translation.ask`): anyone signed in who may read the content
(sent back to the page); the anonymous visitor is sent to sign in; content one may not read
answers 404."""

from internationale.core.tests.matrix import OWNERS, SIGNED_IN, Case, expect

from .world import addressed_document, document, private_document

CASES = [
    Case(
        "translation_ask",
        "POST",
        lambda w: "/translations/ask/",
        expect(SIGNED_IN, 302, 404, anonymous=302),
        data=lambda w: {"content": "library.document", "id": document(w), "language": "en"},
        note="a public document in Portuguese",
    ),
    Case(
        "translation_ask",
        "POST",
        lambda w: "/translations/ask/",
        expect(OWNERS, 302, 404, anonymous=302),
        data=lambda w: {"content": "library.document", "id": private_document(w), "language": "en"},
        note="a private document: its organization's people only",
    ),
    Case(
        "translation_ask",
        "POST",
        lambda w: "/translations/ask/",
        expect([*OWNERS, "kit", "kim", "kai"], 302, 404, anonymous=302),
        data=lambda w: {
            "content": "library.document",
            "id": addressed_document(w),
            "language": "en",
        },
        note="an addressed document: its organization's and the addressees' people only",
    ),
]

# Each part of the app declares its cases in its own module.
from .matrix_machine import CASES as _machine  # noqa: E402
from .matrix_people import CASES as _people  # noqa: E402

CASES += _machine + _people
