"""The notice and audit kinds of reports back and the aggregated report (core/notices.py,
core/audit.py), worded in each reader's language. Registered when the app is ready."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internationale.core.audit import Confidential, register
from internationale.core.notices import register_kind

from .notices import DAYS, SAMPLE

# Notices -----------------------------------------------------------------------------------------
register_kind(
    "day.reported",
    label=gettext_lazy("A report back from an action of your day of action"),
    wording=lambda p: (
        _("%(organization)s reports back from %(city)s: %(title)s")
        % {"organization": p["organization"], "city": p["city"], "title": p["title"]}
    ),
    sample={"organization": "Korean Dockworkers", "city": "Busan", "title": SAMPLE["title"]},
    group=DAYS,
)
register_kind(
    "day.report_published",
    label=gettext_lazy("The report of your day of action published to the library"),
    wording=lambda p: (
        _("Every caller approved the report; it is in the library: %(title)s")
        % {"title": p["title"]}
    ),
    sample={"title": SAMPLE["title"]},
    group=DAYS,
)
register_kind(
    "day.report_unpublished",
    label=gettext_lazy("The report of your day of action taken out of the library"),
    wording=lambda p: (
        _("A caller withdrew its approval of the report; it is no longer in the library: %(title)s")
        % {"title": p["title"]}
    ),
    sample={"title": SAMPLE["title"]},
    group=DAYS,
)

# Audit -------------------------------------------------------------------------------------------
REPORT = Confidential(
    rule="actions.view_report",
    related=("action",),
    wording=lambda p: _("A report back from an action of a day of action"),
)
DAY = Confidential(rule="actions.view_dayofaction", wording=lambda p: _("A day of action"))

for kind, label in (
    ("report.submit", gettext_lazy("Report back from a local action")),
    ("report.change", gettext_lazy("Report back changed")),
    ("report.photo_add", gettext_lazy("Photo added to a report back")),
    ("report.photo_remove", gettext_lazy("Photo of a report back removed")),
):
    register(
        kind,
        label=label,
        wording=lambda p: _("%(title)s: %(city)s") % {"title": p["title"], "city": p["city"]},
        confidential=REPORT,
    )
register(
    "day.report_approve",
    label=gettext_lazy("Report of a day of action approved"),
    wording=lambda p: str(p["title"]),
    confidential=DAY,
)
register(
    "day.report_approval_withdraw",
    label=gettext_lazy("Approval of the report of a day of action withdrawn"),
    wording=lambda p: str(p["title"]),
    confidential=DAY,
)
