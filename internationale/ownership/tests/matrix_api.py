"""Permission-matrix cases for the API on an organization's exports: its admins only (Ana);
anyone else 404, as if there were none; the anonymous visitor 401."""

from typing import Any

from internationale.accounts.tests.factories import PASSWORD
from internationale.core.tests.matrix import PERSONAS, Case, expect

from .matrix import ADMINS, SIGNED_IN, export, pending


def _exports(w: Any) -> str:
    return f"/api/v1/organizations/{w.owner_org.slug}/exports"


CASES = [
    Case("api:ownership_export_list", "GET", _exports, expect(ADMINS, 200, 404, anonymous=401)),
    Case(
        "api:pending_list",
        "GET",
        lambda w: f"/api/v1/organizations/{w.owner_org.slug}/pending-relations",
        expect(ADMINS, 200, 404, anonymous=401),
    ),
    Case(
        "api:pending_relation_propose",
        "POST",
        lambda w: (
            f"/api/v1/organizations/{w.owner_org.slug}/pending-relations/{pending(w)}/propose"
        ),
        expect(ADMINS, 201, 404, anonymous=401),
        data=lambda w: {},
        json=True,
    ),
    Case(
        "api:pending_relation_dismiss",
        "POST",
        lambda w: (
            f"/api/v1/organizations/{w.owner_org.slug}/pending-relations/{pending(w)}/dismiss"
        ),
        expect(ADMINS, 204, 404, anonymous=401),
        data=lambda w: {},
        json=True,
    ),
    Case(
        "api:ownership_export_start",
        "POST",
        _exports,
        expect(ADMINS, 201, 404, anonymous=401),
        data=lambda w: {"include_emails": False},
        json=True,
    ),
    Case(
        "api:ownership_export_detail",
        "GET",
        lambda w: f"{_exports(w)}/{export(w)}",
        expect(ADMINS, 200, 404, anonymous=401),
    ),
    Case(
        "api:ownership_export_download",
        "POST",
        lambda w: f"{_exports(w)}/{export(w)}/download",
        expect(ADMINS, 200, 404, anonymous=401),
        data=lambda w: {"password": PASSWORD},
        json=True,
    ),
    Case(
        "api:ownership_export_download",
        "GET",
        lambda w: f"{_exports(w)}/{export(w)}/download",
        expect(PERSONAS, 405, 405),
    ),
]

# A person's own data, with their password again. The last admin of an organization (Uma, Kai,
# Ana) cannot delete their account: 400, nothing changed. Operators confirm with a second-factor
# code, not a password: 400 on `code` for Oscar, who gives none here.
LAST_ADMINS = ["uma", "kai", "ana"]
CASES += [
    Case(
        "api:person_data_export",
        "POST",
        lambda w: "/api/v1/me/data",
        {**expect([p for p in PERSONAS if p != "anonymous"], 200, 401), "oscar": 400},
        data=lambda w: {"password": PASSWORD},
        json=True,
    ),
    Case("api:person_data_export", "GET", lambda w: "/api/v1/me/data", expect(PERSONAS, 405, 405)),
    Case(
        "api:account_delete",
        "POST",
        lambda w: "/api/v1/me/delete",
        {
            **expect([p for p in SIGNED_IN if p not in LAST_ADMINS], 204, 400, anonymous=401),
            "oscar": 400,
        },
        data=lambda w: {"password": PASSWORD, "confirm": True},
        json=True,
    ),
    Case("api:account_delete", "GET", lambda w: "/api/v1/me/delete", expect(PERSONAS, 405, 405)),
]

from .matrix_api_erase import CASES as _erase  # noqa: E402

CASES += _erase
