"""Permission-matrix cases (see core/tests/matrix.py): matrix_api_machine.

The pairs and what was translated: operators only (404 for anyone else). How a pair would be
translated: anyone signed in; a pair no backend translates is a 400 that says so."""

from internationale.core.tests.matrix import SIGNED_IN, Case, expect

CASES: list[Case] = [
    Case(
        "api:translation_pairs",
        "GET",
        lambda w: "/api/v1/translation/pairs",
        expect(["oscar"], 200, 404, anonymous=401),
        note="operators only",
    ),
    Case(
        "api:translation_route",
        "GET",
        lambda w: "/api/v1/translation/route?source=pt-BR&target=en",
        expect(SIGNED_IN, 200, 200, anonymous=401),
    ),
    Case(
        "api:translation_route",
        "GET",
        lambda w: "/api/v1/translation/route?source=pt&target=tlh",
        expect(SIGNED_IN, 400, 400, anonymous=401),
        note="no backend for the pair",
    ),
]
