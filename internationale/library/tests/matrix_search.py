"""Permission-matrix cases (see core/tests/matrix.py): matrix_search. Searching the library is
open to everyone; what each finds is tested in test_search.py and test_search_page.py."""

from internationale.core.tests.matrix import PERSONAS, Case, expect

EVERYONE = expect(PERSONAS, 200, 200)

CASES: list[Case] = [
    Case("library_search", "GET", lambda w: "/library/search/", EVERYONE, note="the empty form"),
    Case("library_search", "GET", lambda w: "/library/search/?q=greve", EVERYONE),
    Case(
        "library_search",
        "GET",
        lambda w: "/library/search/?q=%3F%21",
        EVERYONE,
        note="no words: the form says so",
    ),
    Case("library_search", "POST", lambda w: "/library/search/", expect([], 405, 405)),
]
