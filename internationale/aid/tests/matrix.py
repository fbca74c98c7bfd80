"""Permission-matrix cases for the material aid pages (see core/tests/matrix.py). They follow the
appeal pages' rule (appeals/tests/matrix.py) and point at the pledge and the aid declared against
it in appeals/tests/matrix_world.py."""

from internationale.appeals.tests.matrix import ADDRESSEE_SPEAKERS, on_pledge, path
from internationale.appeals.tests.matrix_world import contribution, pledge
from internationale.core.tests.matrix import OWNER_SPEAKERS, Case, expect

CASES = [
    Case(
        "contribution_declare",
        "GET",
        path("/appeals/pledges/{}/aid/", pledge),
        on_pledge(200, ADDRESSEE_SPEAKERS),
    ),
    Case(
        "contribution_declare",
        "POST",
        path("/appeals/pledges/{}/aid/", pledge),
        on_pledge(302, ADDRESSEE_SPEAKERS),
        data=lambda w: {"amount": "50", "currency": "USD"},
    ),
    Case(
        "contribution_confirm",
        "GET",
        path("/appeals/aid/{}/confirm/", contribution),
        expect([], 200, 405),
    ),
    Case(
        "contribution_confirm",
        "POST",
        path("/appeals/aid/{}/confirm/", contribution),
        on_pledge(302, OWNER_SPEAKERS),
        note="seen by the issuer's people and the giver's; confirmed by the issuer's speakers",
    ),
]
