"""Permission-matrix cases for the API on an organization's exports: its admins only (Ana);
anyone else 404, as if there were none; the anonymous visitor 401."""

from typing import Any

from internationale.accounts.tests.factories import PASSWORD
from internationale.core.tests.matrix import PERSONAS, Case, expect

from .matrix import ADMINS, export


def _exports(w: Any) -> str:
    return f"/api/v1/organizations/{w.owner_org.slug}/exports"


CASES = [
    Case("api:ownership_export_list", "GET", _exports, expect(ADMINS, 200, 404, anonymous=401)),
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
