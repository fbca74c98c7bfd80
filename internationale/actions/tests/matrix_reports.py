"""Permission-matrix cases for the pages of reports back and the aggregated report (see
core/tests/matrix.py; what they point at: world.py, with the rally reported on here).

The day is for the network: a persona outside it gets 404 on its pages, or is sent to sign in
(302) where the page needs an account. Reporting and removing photos is for those who speak for
the action's organization (the dockworkers): another organization's people get 404, the
dockworkers' member 403. Approving, and withdrawing an approval, is for those who speak for a
caller. The feed is read as an
anonymous visitor: the network's day has none (404), a public day's is everyone's.
"""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from internationale.actions import reports
from internationale.core.tests import files
from internationale.core.tests.matrix import OWNER_SPEAKERS, PERSONAS, Case

from .matrix import on_day, reading
from .reports_world import called_day, started
from .world import built


def reported(w: Any) -> dict[str, Any]:
    extra = built(w)
    if "report" in extra:
        return extra
    action = started(extra["action"])
    photo = SimpleUploadedFile("gate.png", files.still_image("PNG"))
    extra["report"] = reports.report_submit(
        actor=w.people["kim"],
        action=action,
        text="Three hundred dockers at the gate.",
        outcome="held",
        participants=300,
        photos=[(photo, "The gate")],
    )
    extra["photo"] = extra["report"].photos.get()
    extra["public_day"] = called_day(
        w.people["sam"], w.owner_org, w.other_org, title="Public day", called_visibility="public"
    )
    return extra


def approved(w: Any) -> dict[str, Any]:
    """The reported world, the owning organization (the caller) having approved the report."""
    extra = reported(w)
    if "approval" not in extra:
        reports.report_approve(actor=w.people["sam"], day=extra["day"], organization=w.owner_org)
        extra["approval"] = True
    return extra


def at(template: str, key: str = "day"):  # type: ignore[no-untyped-def]
    return lambda w: template.format(reported(w)[key].pk)


def on_action(template: str):  # type: ignore[no-untyped-def]
    def path(w: Any) -> str:
        extra = reported(w)
        return template.format(extra["day"].pk, extra["action"].pk, extra["photo"].pk)

    return path


def own_action(ok: int) -> dict[str, int]:
    """`ok` for those who speak for the dockworkers, 403 for their member, 404 for the rest, 302
    for the anonymous visitor."""
    result = {p: 404 for p in PERSONAS}
    result.update({"kim": ok, "kai": ok, "kit": 403, "anonymous": 302})
    return result


def report_data(w: Any) -> dict[str, str]:
    return {"outcome": "partly", "participants": "250", "text": "Held in part.", "language": "en"}


CASES = [
    Case("report_detail", "GET", on_action("/days/{}/actions/{}/report/"), reading()),
    Case(
        "report_detail",
        "POST",
        on_action("/days/{}/actions/{}/report/"),
        {p: 405 for p in PERSONAS},
    ),
    Case("report_edit", "GET", on_action("/days/{}/actions/{}/report/edit/"), own_action(200)),
    Case(
        "report_edit",
        "POST",
        on_action("/days/{}/actions/{}/report/edit/"),
        own_action(302),
        data=report_data,
    ),
    Case("report_photo", "GET", on_action("/days/{}/actions/{}/report/photos/{}/"), reading()),
    Case(
        "report_photo_remove",
        "GET",
        on_action("/days/{}/actions/{}/report/photos/{}/remove/"),
        own_action(200),
    ),
    Case(
        "report_photo_remove",
        "POST",
        on_action("/days/{}/actions/{}/report/photos/{}/remove/"),
        own_action(302),
    ),
    Case("day_report", "GET", at("/days/{}/report/"), reading()),
    Case(
        "day_report",
        "GET",
        at("/days/{}/report/", "public_day"),
        {p: 200 for p in PERSONAS},
        note="public",
    ),
    Case("day_report_csv", "GET", at("/days/{}/report.csv"), reading()),
    Case("day_report_approve", "GET", at("/days/{}/report/approve/"), on_day(200, OWNER_SPEAKERS)),
    Case(
        "day_report_approve",
        "POST",
        at("/days/{}/report/approve/"),
        on_day(302, OWNER_SPEAKERS),
        data=lambda w: {"organization": str(w.owner_org.pk)},
    ),
    Case(
        "day_report_withdraw",
        "GET",
        lambda w: f"/days/{approved(w)['day'].pk}/report/withdraw/",
        on_day(200, OWNER_SPEAKERS),
    ),
    Case(
        "day_report_withdraw",
        "POST",
        lambda w: f"/days/{approved(w)['day'].pk}/report/withdraw/",
        on_day(302, OWNER_SPEAKERS),
        data=lambda w: {"organization": str(w.owner_org.pk)},
    ),
    Case("day_reports_feed", "GET", at("/days/{}/reports.atom"), {p: 404 for p in PERSONAS}),
    Case(
        "day_reports_feed",
        "GET",
        at("/days/{}/reports.atom", "public_day"),
        {p: 200 for p in PERSONAS},
        note="public",
    ),
]
