"""Permission-matrix cases for the library's pages (see core/tests/matrix.py). They point at the
documents of translation/tests/world.py: a public one and a private one of the owning
organization."""

from internationale.core.tests.matrix import OWNERS, PERSONAS, Case, expect
from internationale.translation.tests.world import document, private_document

CASES = [
    Case(
        "document_detail",
        "GET",
        lambda w: f"/library/{document(w)}/",
        expect(PERSONAS, 200, 404),
        note="public",
    ),
    Case(
        "document_detail",
        "GET",
        lambda w: f"/library/{private_document(w)}/",
        expect(OWNERS, 200, 404),
        note="private: its organization's people only",
    ),
]

# Each part of the app declares its cases in its own module.
from .matrix_docs import CASES as _docs  # noqa: E402
from .matrix_search import CASES as _search  # noqa: E402

CASES += _docs + _search
