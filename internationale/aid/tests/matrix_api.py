"""Permission-matrix cases for the API on material aid (see matrix.py for the pages): as the API
on appeals answers (appeals/tests/matrix_api.py)."""

from internationale.appeals.tests.matrix_api import (
    ADDRESSEE_SPEAKERS,
    READ_SENT,
    api,
    on_pledge,
)
from internationale.appeals.tests.matrix_world import contribution, pledge
from internationale.core.tests.matrix import OWNER_SPEAKERS, Case

CASES = [
    Case("api:contribution_list", "GET", api("/appeals/{}/contributions"), READ_SENT),
    Case(
        "api:contribution_declare",
        "POST",
        api("/pledges/{}/contributions", pledge),
        on_pledge(201, ADDRESSEE_SPEAKERS),
        data=lambda w: {"amount": "50", "currency": "USD"},
        json=True,
    ),
    Case(
        "api:contribution_confirm",
        "POST",
        api("/contributions/{}/confirm", contribution),
        on_pledge(200, OWNER_SPEAKERS),
    ),
]
