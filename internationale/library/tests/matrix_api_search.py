"""Permission-matrix cases (see core/tests/matrix.py): matrix_api_search. Open to anyone, the
anonymous visitor included (the public documents alone); a query without words is a 400."""

from internationale.core.tests.matrix import PERSONAS, Case, expect

CASES: list[Case] = [
    Case(
        "api:library_search",
        "GET",
        lambda w: "/api/v1/library/search?q=greve",
        expect(PERSONAS, 200, 200),
    ),
    Case(
        "api:library_search",
        "GET",
        lambda w: "/api/v1/library/search?q=%3F",
        expect(PERSONAS, 400, 400),
        note="no words",
    ),
    Case(
        "api:library_search",
        "GET",
        lambda w: "/api/v1/library/search?q=" + "a" * 201,
        expect(PERSONAS, 400, 400),
        note="too long",
    ),
]
