"""Permission-matrix cases for the API on the emergency erase (see matrix.py for the pages): 401
for the anonymous visitor; 404 for anyone but the organization's admins and the operators; the
confirmation of the person who asked, 400."""

from typing import Any

from internationale.core.tests.matrix import Case

from .matrix_erase import pending, statuses


def path(w: Any) -> str:
    return f"/api/v1/organizations/{w.owner_org.slug}/erase"


CASES = [
    Case("api:erase_state", "GET", path, statuses(200, anonymous=401)),
    Case(
        "api:erase_request",
        "POST",
        path,
        statuses(201, anonymous=401),
        data=lambda w: {"keep_profile": True},
        json=True,
    ),
    Case(
        "api:erase_confirm",
        "POST",
        lambda w: f"{path(w)}/{pending(w)}/confirm",
        statuses(200, anonymous=401, oscar=400),
    ),
    Case(
        "api:erase_cancel",
        "POST",
        lambda w: f"{path(w)}/{pending(w)}/cancel",
        statuses(200, anonymous=401),
    ),
]
