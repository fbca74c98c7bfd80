"""Permission-matrix cases for the API of reports back and the aggregated report (see
matrix_reports.py for the pages): 401 for the anonymous visitor, 404 for what one may not see and
for another organization's action, 403 for what one sees but may not do."""

from typing import Any

from internationale.core.tests.matrix import IN_NETWORK, OWNER_SPEAKERS, PERSONAS, Case

from .matrix import on_day
from .matrix_reports import approved, reported


def api(template: str, key: str = "day"):  # type: ignore[no-untyped-def]
    return lambda w: "/api/v1" + template.format(reported(w)[key].pk)


def api_action(template: str):  # type: ignore[no-untyped-def]
    def path(w: Any) -> str:
        extra = reported(w)
        return "/api/v1" + template.format(extra["day"].pk, extra["action"].pk, extra["photo"].pk)

    return path


def reading() -> dict[str, int]:
    return on_day(200, IN_NETWORK, IN_NETWORK, anonymous=401)


def own_action(ok: int) -> dict[str, int]:
    result = {p: 404 for p in PERSONAS}
    result.update({"kim": ok, "kai": ok, "kit": 403, "anonymous": 401})
    return result


CASES = [
    Case("api:report_list", "GET", api("/days/{}/reports"), reading()),
    Case("api:report_detail", "GET", api_action("/days/{}/actions/{}/report"), reading()),
    Case(
        "api:report_submit",
        "PUT",
        api_action("/days/{}/actions/{}/report"),
        own_action(200),
        data=lambda w: {"outcome": "partly", "participants": 250, "text": "Held in part."},
        json=True,
    ),
    Case(
        "api:report_photo_add",
        "POST",
        api_action("/days/{}/actions/{}/report/photos"),
        own_action(400),
        note="no photo",
    ),
    Case(
        "api:report_photo_remove",
        "DELETE",
        api_action("/days/{}/actions/{}/report/photos/{}"),
        own_action(204),
    ),
    Case("api:day_report", "GET", api("/days/{}/report"), reading()),
    Case(
        "api:day_report",
        "GET",
        api("/days/{}/report", "public_day"),
        {**{p: 200 for p in PERSONAS}, "anonymous": 401},
        note="public",
    ),
    Case("api:day_report_csv", "GET", api("/days/{}/report.csv"), reading()),
    Case(
        "api:day_report_approve",
        "POST",
        api("/days/{}/report/approve"),
        on_day(200, OWNER_SPEAKERS, IN_NETWORK, anonymous=401),
        data=lambda w: {},
        json=True,
    ),
    Case(
        "api:day_report_withdraw",
        "DELETE",
        lambda w: f"/api/v1/days/{approved(w)['day'].pk}/report/approve",
        on_day(200, OWNER_SPEAKERS, IN_NETWORK, anonymous=401),
    ),
]
